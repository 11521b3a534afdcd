/**
 * The two output profiles a Vigil agent can speak (reference/azure-security-module.md §1.8, §2.7):
 * the message body encoder plus the property bag every message of the profile carries — the
 * security marker `$.ifid` always; `$.ct`/`$.ce` for JSON; `mti` (and no content type) for
 * FlatBuffers, exactly as the RTOS module sends it.
 */
import { RTOS_MTI, SECURITY_INTERFACE_ID, type PropertyBagInput, type WireFormat } from '@vigil/protocol';
import type { MessageEncoder } from '../core/index.js';
import { createJsonEncoder, type JsonEncoderOptions } from './json-encoder.js';
import { createRtosEncoder } from './rtos-encoder.js';

/** `json-1.0`: the Linux/Edge profile (default). `flatbuffers-2.3`: the RTOS profile. */
export type OutputProfileName = WireFormat;

/** An encoder and the properties that go with its bodies. */
export interface OutputProfile {
  readonly name: OutputProfileName;
  readonly encoder: MessageEncoder;
  /** The topic property bag of every message of this profile. */
  readonly properties: PropertyBagInput;
}

/** Options for {@link createOutputProfile}. */
export interface OutputProfileOptions extends JsonEncoderOptions {
  readonly name?: OutputProfileName;
}

/** Property bag of JSON 1.0 security messages (the Node SDK's `setAsSecurityMessage` bag, §2.7). */
export const JSON_SECURITY_PROPERTIES: PropertyBagInput = Object.freeze({
  system: Object.freeze({
    contentType: 'application/json',
    contentEncoding: 'utf-8',
    interfaceId: SECURITY_INTERFACE_ID,
  }),
});

/** Property bag of FlatBuffers 2.3 security messages: `mti` and `$.ifid`, nothing else (§1.8). */
export const RTOS_SECURITY_PROPERTIES: PropertyBagInput = Object.freeze({
  system: Object.freeze({ interfaceId: SECURITY_INTERFACE_ID }),
  application: Object.freeze({ mti: RTOS_MTI }),
});

/** The profile `name` (default `json-1.0`) for this agent. */
export function createOutputProfile(options: OutputProfileOptions): OutputProfile {
  if (options.name === 'flatbuffers-2.3') {
    return {
      name: 'flatbuffers-2.3',
      encoder: createRtosEncoder({
        securityModuleId: options.agentId,
        agentVersion: options.agentVersion,
        ...(options.utcOffsetMinutes === undefined ? {} : { utcOffsetMinutes: options.utcOffsetMinutes }),
        ...(options.newId === undefined ? {} : { newId: options.newId }),
        ...(options.now === undefined ? {} : { now: options.now }),
      }),
      properties: RTOS_SECURITY_PROPERTIES,
    };
  }
  return { name: 'json-1.0', encoder: createJsonEncoder(options), properties: JSON_SECURITY_PROPERTIES };
}

/**
 * Collectors whose events the profile has no table for; the RTOS profile turns them off by default
 * (FlatBuffers 2.3 has no Login, LocalUsers or FirewallConfiguration, §1.7). JSON 1.0 has every
 * collector's event except the heartbeat, which it sends as a Diagnostic and leaves off by default.
 */
export function collectorsOffByDefault(name: OutputProfileName): readonly string[] {
  return name === 'flatbuffers-2.3'
    ? ['logins', 'local-users', 'firewall-configuration', 'containers', 'edge-deployment']
    : ['heartbeat'];
}
