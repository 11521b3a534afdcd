import type { AuthenticateError, Client, ConnectPacket } from 'aedes';
import { parseClientId, type AuthOutcome } from '../auth/index.js';
import type { AuthUnavailableReason } from '../contract/index.js';
import { answerOnce } from './answer-once.js';
import { Session } from './session.js';
import { recordFor, type GatewayState } from './state.js';

const SERVER_UNAVAILABLE = 3;

function refusal(returnCode: number, message: string): AuthenticateError {
  return Object.assign(new Error(message), { returnCode });
}

/** IoT Hub enforces keep-alive at 1.5 × the client's value, capped at 1767 s (reference/iothub-mqtt.md §0 item 12). */
export const MAX_KEEP_ALIVE_SECONDS = 1767;

/**
 * Aedes `preConnect`: refuses connections while the hub is stopping and caps the keep-alive Aedes
 * will enforce. Answers at once.
 */
export function preConnectHook(state: GatewayState) {
  return (
    _client: Client,
    packet: ConnectPacket,
    callback: (error: Error | null, ok: boolean) => void,
  ): void => {
    if (!state.accepting) return callback(new Error('the hub is stopping'), false);
    if (packet.keepalive !== undefined && packet.keepalive > MAX_KEEP_ALIVE_SECONDS) {
      packet.keepalive = MAX_KEEP_ALIVE_SECONDS;
    }
    callback(null, true);
  };
}

/**
 * Aedes `authenticate`: runs the authenticator, records a failure with its reason (and the CONNACK
 * code it answered), or attaches a new session and records a replaced one. A timeout or an
 * internal failure answers 3 (server unavailable), which the SDKs retry; a credential problem
 * never does (reference/iothub-mqtt.md §0 item 11).
 */
export function authenticateHook(state: GatewayState) {
  return (
    client: Client,
    username: string | undefined,
    password: Buffer | undefined,
    done: (error: AuthenticateError | null, success: boolean | null) => void,
  ): void => {
    const context = state.contexts.get(client.conn);
    const unavailable = (reason: AuthUnavailableReason, message: string): void => {
      const claimed = parseClientId(client.id);
      state.operations.record({
        operation: 'authenticationFailed',
        at: state.now(),
        outcome: 'failure',
        deviceId: claimed?.deviceId ?? null,
        moduleId: claimed?.moduleId ?? null,
        sourceAddress: context?.remoteAddress ?? null,
        reason,
        details: {
          protocol: context?.protocol ?? null,
          returnCode: SERVER_UNAVAILABLE,
          message,
          clientId: client.id.slice(0, 256),
        },
      });
    };
    // Once the time limit answered, whatever the authenticator says later is ignored: a late
    // success must never attach a session to a connection that was already refused.
    let timedOut = false;
    const answer = answerOnce(done, state.config.limits.hookTimeoutMs, () => {
      timedOut = true;
      state.warn(`authentication of "${client.id}" timed out`);
      const message = `authentication took longer than ${state.config.limits.hookTimeoutMs} ms`;
      unavailable('authenticationTimedOut', message);
      return [refusal(SERVER_UNAVAILABLE, message), null] as const;
    });
    if (context === undefined) {
      answer(refusal(SERVER_UNAVAILABLE, 'connection has no listener context'), null);
      return;
    }
    const attempt = (retries: number): void => {
      const since = state.revocations.now();
      state.authenticator
        .authenticate({
          clientId: client.id,
          username,
          password,
          protocol: context.protocol,
          remoteAddress: context.remoteAddress,
          certificateChain: context.certificateChain,
        })
        .then((outcome) => settle(outcome, since, retries))
        .catch(fail);
    };
    const fail = (error: unknown): void => {
      if (timedOut) return;
      state.warn(`authentication of "${client.id}" failed`, error);
      // The cause stays in the hub's own log; the operations log says only that the hub failed.
      unavailable('authenticationUnavailable', 'the registry could not be read');
      answer(refusal(SERVER_UNAVAILABLE, 'authentication is unavailable'), null);
    };
    const settle = (outcome: AuthOutcome, since: number, retries: number): void => {
      if (timedOut) return;
      if (!outcome.ok) {
        state.operations.record({
          operation: 'authenticationFailed',
          at: state.now(),
          outcome: 'failure',
          deviceId: outcome.identity?.deviceId ?? null,
          moduleId: outcome.identity?.moduleId ?? null,
          sourceAddress: context.remoteAddress,
          reason: outcome.reason,
          details: {
            protocol: context.protocol,
            returnCode: outcome.returnCode,
            message: outcome.message,
            clientId: client.id.slice(0, 256),
          },
        });
        answer(refusal(outcome.returnCode, outcome.message), null);
        return;
      }
      // Answered already (timed out) or the connection went away meanwhile: nothing to attach.
      if (client.closed)
        return answer(refusal(SERVER_UNAVAILABLE, 'connection closed during authentication'), null);
      // The identity was disabled, deleted or re-keyed while this was read: decide again on fresh answers.
      if (state.revocations.revokedSince(outcome.identity, outcome.method === 'sasPolicy', since)) {
        if (retries > 0) return attempt(retries - 1);
        unavailable('authenticationUnavailable', 'the registry kept changing during authentication');
        return answer(refusal(SERVER_UNAVAILABLE, 'the registry changed during authentication'), null);
      }
      const session = new Session(
        client,
        outcome.identity,
        context.protocol,
        context.remoteAddress,
        outcome.method,
        state.now(),
        state.config.limits.maxInflightPerConnection,
      );
      const previous = state.sessions.get(outcome.identity);
      if (previous !== undefined && !previous.closed) {
        previous.replaced = true;
        // IoT Hub logs 400027 ConnectionForcefullyClosedOnNewConnection (reference/iothub-mqtt.md §1.5).
        recordFor(state, session, {
          operation: 'sessionReplaced',
          outcome: 'success',
          details: { protocol: session.protocol, previousAddress: previous.remoteAddress },
        });
      }
      state.sessions.attach(session);
      if (outcome.expiresAt !== null) {
        // IoT Hub drops a connection when its token expires (reference/iothub-mqtt.md §1.3).
        state.expiry.add(session, (outcome.expiresAt + state.config.sasClockSkewSeconds) * 1000);
      }
      session.matched = outcome.matched;
      session.authGeneration = since;
      answer(null, true);
    };
    attempt(2);
  };
}
