import {
  connectMqttDevice,
  SUBACK_FAILURE,
  type HubEndpoint,
  type MqttDevice,
  type SimulatedIdentity,
} from '../device/mqtt-device.js';
import type { HubScenario } from '../behaviour/scenarios.js';
import type { Random } from '../random.js';
import { ROGUE_CA_CERTIFICATES } from './rogue-ca.js';

/**
 * The part of the hub's service API the certificate-churn scenario uses (`PUT`/`DELETE
 * /api/hub/certificates/{name}`); each call rejects when the hub refuses. The CLI adapts its API client.
 */
export interface HubServiceApi {
  addCertificate(name: string, pem: string): Promise<void>;
  deleteCertificate(name: string): Promise<void>;
}

/** What a hub scenario needs: the device's identity and live connection, and the hub around it. */
export interface HubAttackContext {
  readonly scenario: HubScenario;
  readonly endpoint: HubEndpoint;
  readonly identity: SimulatedIdentity;
  readonly connection: MqttDevice;
  readonly random: Random;
  /** Other devices of the fleet, whose topics unauthorized-topics reaches for. */
  readonly peers: readonly string[];
  readonly serviceApi?: HubServiceApi;
  readonly connectTimeoutMs?: number;
}

/** What a hub scenario did. */
export interface HubAttackOutcome {
  /** How many attempts the hub refused (the ones its alerts count). */
  readonly refused: number;
  /** Attempts that should have been refused and were not, or steps that failed for another reason. */
  readonly problems: readonly string[];
  /** The connection to carry on with: a new one when the hub closed the old one. */
  readonly connection: MqttDevice;
}

/** Connection attempts per credential scenario: a few, like a device retrying a stale token. */
const CREDENTIAL_ATTEMPTS = 3;
/** How long to wait for the hub to drop a connection after a refused publish. */
const CLOSE_WAIT_MS = 5_000;

/** Plays one hub scenario to its end; never throws (failures land in `problems`). */
export async function playHubScenario(context: HubAttackContext): Promise<HubAttackOutcome> {
  switch (context.scenario) {
    case 'expired-sas':
      // Expired by more than the hub's largest clock-skew allowance (one hour).
      return credentialAttempts(context, () => ({ ttlSeconds: -context.random.int(7_200, 86_400) }));
    case 'forged-sas':
      return credentialAttempts(context, () => ({ signingKey: forgedKey(context.random) }));
    case 'unauthorized-topics':
      return unauthorizedTopics(context);
    case 'certificate-churn':
      return certificateChurn(context);
  }
}

/** A well-formed symmetric key (32 bytes, base64) that is not the identity's. */
function forgedKey(random: Random): string {
  return Buffer.from(Array.from({ length: 32 }, () => random.int(0, 255))).toString('base64');
}

async function credentialAttempts(
  context: HubAttackContext,
  tamper: () => { readonly ttlSeconds?: number; readonly signingKey?: string },
): Promise<HubAttackOutcome> {
  let refused = 0;
  const problems: string[] = [];
  for (let i = 0; i < CREDENTIAL_ATTEMPTS; i += 1) {
    try {
      // A refused CONNECT never reaches the session, so the device's own connection stays up.
      const intruder = await connectMqttDevice(context.endpoint, context.identity, {
        ...tamper(),
        connectTimeoutMs: context.connectTimeoutMs ?? 10_000,
      });
      problems.push(`the hub accepted a ${context.scenario} token`);
      await intruder.close();
    } catch {
      refused += 1;
    }
  }
  return { refused, problems, connection: context.connection };
}

async function unauthorizedTopics(context: HubAttackContext): Promise<HubAttackOutcome> {
  const { identity } = context;
  const others = context.peers.filter((peer) => peer !== identity.deviceId);
  const victim = others.length > 0 ? context.random.pick(others) : `${identity.deviceId}-neighbour`;
  let refused = 0;
  const problems: string[] = [];
  // Subscriptions first: the hub answers SUBACK 0x80 and keeps the connection.
  for (const filter of [
    `devices/${victim}/messages/devicebound/#`,
    `devices/${victim}/modules/azureiotsecurity/inputs/#`,
  ]) {
    try {
      if ((await context.connection.subscribe(filter)) === SUBACK_FAILURE) refused += 1;
      else problems.push(`the hub granted ${filter}`);
    } catch (error) {
      problems.push(`subscribe ${filter} failed: ${(error as Error).message}`);
    }
  }
  // Then a publish on the victim's telemetry topic, which IoT Hub answers by closing the connection.
  const topic = `devices/${victim}/messages/events/`;
  const body = new TextEncoder().encode(JSON.stringify({ spoofed: true, temperature: -40 }));
  try {
    await context.connection.publishToTopic(topic, body);
  } catch {
    // Already closing: the refusal is what counts.
  }
  let timer: NodeJS.Timeout | undefined;
  const dropped = await Promise.race([
    context.connection.closed.then(() => true),
    new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), CLOSE_WAIT_MS))),
  ]);
  clearTimeout(timer);
  if (!dropped) {
    problems.push(`the hub kept the connection after a publish to ${topic}`);
    return { refused, problems, connection: context.connection };
  }
  refused += 1;
  // Release the dropped client's state (it never reconnects by itself).
  await context.connection.close().catch(() => undefined);
  try {
    const connection = await connectMqttDevice(context.endpoint, identity, {
      connectTimeoutMs: context.connectTimeoutMs ?? 10_000,
    });
    return { refused, problems, connection };
  } catch (error) {
    problems.push(`reconnect failed: ${(error as Error).message}`);
    return { refused, problems, connection: context.connection };
  }
}

/** Certificate names allow letters, digits, `_`, `.` and `-` only; device ids allow more. */
function certificateName(deviceId: string, round: number): string {
  return `rogue-${deviceId.replace(/[^A-Za-z0-9_.-]/g, '_').slice(0, 100)}-${round}`;
}

async function certificateChurn(context: HubAttackContext): Promise<HubAttackOutcome> {
  const api = context.serviceApi;
  if (api === undefined) {
    return {
      refused: 0,
      problems: ['certificate-churn needs the service API (an API address and an admin token)'],
      connection: context.connection,
    };
  }
  let refused = 0;
  const problems: string[] = [];
  const step = async (what: string, call: () => Promise<void>, expectRefusal = false): Promise<void> => {
    try {
      await call();
      if (expectRefusal) problems.push(`${what} was accepted`);
    } catch (error) {
      if (expectRefusal) refused += 1;
      else problems.push(`${what} failed: ${(error as Error).message}`);
    }
  };
  // Two add/delete rounds with different CAs, the second with a duplicate add the hub refuses.
  const first = context.random.int(0, 1);
  for (const [round, pem] of [ROGUE_CA_CERTIFICATES[first], ROGUE_CA_CERTIFICATES[1 - first]].entries()) {
    const name = certificateName(context.identity.deviceId, round + 1);
    await step(`adding CA ${name}`, () => api.addCertificate(name, pem!));
    if (round === 1) await step(`adding CA ${name} again`, () => api.addCertificate(name, pem!), true);
    await step(`deleting CA ${name}`, () => api.deleteCertificate(name));
  }
  return { refused, problems, connection: context.connection };
}
