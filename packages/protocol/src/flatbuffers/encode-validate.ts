/**
 * Checks an {@link RtosSecurityMessage} before encoding: every value must fit its schema type
 * (reference/azure-security-module.md §1.7), or the bytes would silently carry something else.
 */
import { ProtocolError, type Violation } from '../errors/index.js';
import { parseIpv4, parseIpv6 } from './ip-address.js';
import {
  RTOS_LOG_LEVELS,
  RTOS_PAYLOAD_TYPES,
  RTOS_PROCESS_EVENT_TYPES,
  RTOS_PROTOCOLS,
  RTOS_RESULTS,
  RTOS_SEVERITIES,
  type RtosListeningPort,
  type RtosNetworkFlow,
  type RtosPayload,
  type RtosSecurityMessage,
} from './rtos-message.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The 16 bytes of an 8-4-4-4-12 hex id (validated first). */
export function uuidBytes(id: string): Uint8Array {
  const hex = id.replaceAll('-', '');
  const bytes = new Uint8Array(16);
  for (let i = 0; i < 16; i += 1) bytes[i] = Number.parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return bytes;
}

/** The network-order bytes of an address (validated first). */
export function addressBytes(text: string, version: 4 | 6): Uint8Array {
  return (version === 4 ? parseIpv4(text) : parseIpv6(text)) ?? new Uint8Array(version === 4 ? 4 : 16);
}

type Check = (path: string, ok: boolean, message: string) => void;

function unsigned(check: Check, path: string, value: number, bits: 8 | 16 | 32): void {
  check(path, Number.isInteger(value) && value >= 0 && value < 2 ** bits, `must be a uint${bits}`);
}

function oneOf(check: Check, path: string, value: string, names: readonly string[]): void {
  check(path, names.includes(value), `must be one of ${names.join(', ')}`);
}

function flows(check: Check, path: string, list: readonly RtosNetworkFlow[], version: 4 | 6): void {
  const parse = version === 4 ? parseIpv4 : parseIpv6;
  list.forEach((flow, i) => {
    const at = `${path}[${i}]`;
    check(`${at}.localAddress`, parse(flow.localAddress) !== null, `must be an IPv${version} address`);
    check(`${at}.remoteAddress`, parse(flow.remoteAddress) !== null, `must be an IPv${version} address`);
    const c = flow.common;
    unsigned(check, `${at}.common.localPort`, c.localPort, 16);
    unsigned(check, `${at}.common.remotePort`, c.remotePort, 16);
    unsigned(check, `${at}.common.bytesIn`, c.bytesIn, 32);
    unsigned(check, `${at}.common.bytesOut`, c.bytesOut, 32);
    unsigned(check, `${at}.common.processId`, c.processId, 16);
    unsigned(check, `${at}.common.userId`, c.userId, 16);
    oneOf(check, `${at}.common.protocol`, c.protocol, RTOS_PROTOCOLS);
  });
}

function ports(check: Check, path: string, list: readonly RtosListeningPort[], version: 4 | 6): void {
  const parse = version === 4 ? parseIpv4 : parseIpv6;
  list.forEach((port, i) => {
    check(
      `${path}[${i}].localAddress`,
      parse(port.localAddress) !== null,
      `must be an IPv${version} address`,
    );
    unsigned(check, `${path}[${i}].localPort`, port.localPort, 16);
    oneOf(check, `${path}[${i}].protocol`, port.protocol, RTOS_PROTOCOLS);
  });
}

function payload(check: Check, path: string, p: RtosPayload): void {
  oneOf(check, `${path}.type`, p.type, RTOS_PAYLOAD_TYPES.slice(1));
  switch (p.type) {
    case 'NetworkActivity':
      flows(check, `${path}.ipv4Activity`, p.ipv4Activity, 4);
      flows(check, `${path}.ipv6Activity`, p.ipv6Activity, 6);
      return;
    case 'ListeningPorts':
      ports(check, `${path}.ipv4Ports`, p.ipv4Ports, 4);
      ports(check, `${path}.ipv6Ports`, p.ipv6Ports, 6);
      return;
    case 'Baseline':
      p.baselineChecks.forEach((c, i) => {
        oneOf(check, `${path}.baselineChecks[${i}].result`, c.result, RTOS_RESULTS);
        oneOf(check, `${path}.baselineChecks[${i}].severity`, c.severity, RTOS_SEVERITIES);
      });
      return;
    case 'Process':
      unsigned(check, `${path}.processId`, p.processId, 32);
      unsigned(check, `${path}.parentProcessId`, p.parentProcessId, 32);
      unsigned(check, `${path}.userId`, p.userId, 32);
      unsigned(check, `${path}.hitCount`, p.hitCount, 32);
      oneOf(check, `${path}.eventType`, p.eventType, RTOS_PROCESS_EVENT_TYPES);
      return;
    case 'Log':
      p.logs.forEach((r, i) => {
        oneOf(check, `${path}.logs[${i}].level`, r.level, RTOS_LOG_LEVELS);
        unsigned(check, `${path}.logs[${i}].line`, r.line, 32);
        check(
          `${path}.logs[${i}].timestamp`,
          typeof r.timestamp === 'bigint' && r.timestamp >= 0n && r.timestamp < 2n ** 64n,
          'must be a uint64 bigint',
        );
      });
      return;
    case 'SystemInformation':
    case 'Heartbeat':
      return;
  }
}

/** Throws INVALID_SECURITY_MESSAGE listing every value the schema cannot carry. */
export function validateRtosMessage(message: RtosSecurityMessage): void {
  const violations: Violation[] = [];
  const check: Check = (path, ok, text) => {
    if (!ok) violations.push({ path, message: text });
  };
  unsigned(check, '$.securityModuleVersion', message.securityModuleVersion, 32);
  check(
    '$.timezone',
    Number.isInteger(message.timezone) && message.timezone >= -128 && message.timezone <= 127,
    'must be an int8',
  );
  message.events.forEach((e, i) => {
    const at = `$.events[${i}]`;
    check(`${at}.id`, UUID.test(e.id), 'must be 32 hex digits as 8-4-4-4-12');
    unsigned(check, `${at}.time`, e.time, 32);
    unsigned(check, `${at}.collectionInterval`, e.collectionInterval, 32);
    payload(check, `${at}.payload`, e.payload);
  });
  const first = violations[0];
  if (first) {
    throw new ProtocolError(
      'INVALID_SECURITY_MESSAGE',
      `cannot encode: ${first.path} ${first.message}${violations.length > 1 ? ` (and ${violations.length - 1} more)` : ''}`,
      { violations },
    );
  }
}
