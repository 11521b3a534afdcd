/**
 * Session lifecycle: registration, ready (the `connect` operation and connection state), and
 * disconnect (the `disconnect` operation, failed deliveries, service notifications).
 */
import type { Client } from 'aedes';
import type { SubscriptionFilter } from '@vigil/protocol';
import type { Session } from './session.js';
import { recordFor, type GatewayState } from './state.js';

/** Tells each service about granted subscriptions (after SUBACK, or after CONNACK for restored ones). */
export function notifySubscribed(
  state: GatewayState,
  session: Session,
  filters: Iterable<SubscriptionFilter>,
): void {
  for (const filter of filters) {
    for (const service of state.services) {
      try {
        service.onSubscribed?.(session.identity, filter);
      } catch (error) {
        state.warn('a device service failed in onSubscribed', error);
      }
    }
  }
}

/** Wires session lifecycle events: registration, ready (connect), disconnect. */
export function watchLifecycle(
  state: GatewayState,
  broker: { on(event: string, listener: (...args: never[]) => void): unknown },
  failDeliveries: (session: Session) => void,
): void {
  broker.on('client', (client: Client) => {
    const session = state.sessions.ofClient(client);
    if (session === undefined) return;
    state.sessions.activate(session);
    // Revoked between the authentication's answer and now (Aedes registers the client before its
    // CONNACK): the revoking call could not find this session, so it is closed here instead.
    if (
      state.revocations.revokedSince(
        session.identity,
        session.authMethod === 'sasPolicy',
        session.authGeneration,
      )
    ) {
      session.closeReason = 'identity changed during connect';
      client.close();
    }
  });
  broker.on('clientReady', (client: Client) => {
    const session = state.sessions.ofClient(client);
    if (session === undefined) return;
    session.ready = true;
    recordFor(state, session, {
      operation: 'connect',
      outcome: 'success',
      details: {
        protocol: session.protocol,
        authMethod: session.authMethod,
        matched: session.matched,
        cleanSession: client.clean,
      },
    });
    state.activity.record(session.identity, state.now(), 'connected');
    // Subscriptions restored from a clean=false session count as granted again (§0 item 3).
    notifySubscribed(state, session, session.subscriptions.values());
  });
  broker.on('clientDisconnect', (client: Client) => {
    const session = state.sessions.ofClient(client);
    if (session === undefined) return;
    state.expiry.remove(session);
    const wasCurrent = state.sessions.remove(session);
    failDeliveries(session);
    recordFor(state, session, {
      operation: 'disconnect',
      outcome: 'success',
      reason: session.replaced ? 'replaced' : session.closeReason,
      details: { protocol: session.protocol, connectedMs: state.now() - session.connectedAt },
    });
    if (!wasCurrent || session.replaced) return;
    state.activity.record(session.identity, state.now(), 'disconnected');
    for (const service of state.services) {
      try {
        service.onDisconnected?.(session.identity);
      } catch (error) {
        state.warn('a device service failed in onDisconnected', error);
      }
    }
  });
}
