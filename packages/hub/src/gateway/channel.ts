import type { AedesPublishPacket, Client } from 'aedes';
import type { SubscriptionFilter } from '@vigil/protocol';
import type { DeviceChannel, LiveActivity, OutboundMessage, SessionIdentity } from '../contract/index.js';
import type { Session } from './session.js';
import type { GatewayState } from './state.js';

/** How long a QoS 1 delivery waits for the device's PUBACK before it counts as not delivered. */
export const DELIVERY_ACK_TIMEOUT_MS = 30_000;

/** The slice of Aedes' persistence the gateway touches (its documented interface). */
interface OutgoingPersistence {
  outgoingClearMessageId(client: Client, packet: { messageId?: number }): Promise<unknown>;
}

/**
 * Aedes `authorizeForward`: only the gateway's own deliveries reach a device. Device publishes are
 * never forwarded to other sessions (a module's `devices/{d}/modules/{m}/#` filter would otherwise
 * echo its own telemetry), and the gateway numbers QoS 1 deliveries so it can match the PUBACK.
 */
export function authorizeForwardHook(state: GatewayState) {
  return (client: Client, packet: AedesPublishPacket): AedesPublishPacket | null => {
    const delivery = state.outbound.get(packet.payload as Buffer);
    if (delivery === undefined || delivery.session.client !== client) return null;
    if (delivery.qos === 1 && delivery.settle !== undefined) {
      const id = delivery.session.nextPacketId();
      delivery.session.expectAck(id, delivery.settle);
      packet.messageId = id;
    }
    return packet;
  };
}

/**
 * Lets the gateway see each PUBACK: Aedes reports a PUBACK through the persistence's
 * `outgoingClearMessageId`, the only place the acknowledged packet id is visible. Returns the
 * function that fails a closed session's unacknowledged deliveries and drops Aedes' stored copies
 * (for `clean=false` sessions), so nothing waits forever and the services stay the ones that
 * redeliver (the forward hook would refuse those copies on the next connection anyway).
 */
export function watchAcknowledgements(
  state: GatewayState,
  persistence: OutgoingPersistence,
): (session: Session) => void {
  const clear = persistence.outgoingClearMessageId.bind(persistence);
  persistence.outgoingClearMessageId = (client, packet) => {
    const session = state.sessions.ofClient(client);
    const id = packet.messageId;
    if (session !== undefined && id !== undefined) {
      session.takeAck(id)?.(true);
    }
    return clear(client, packet);
  };
  return (session) => {
    for (const id of session.awaitingAck.keys()) {
      clear(session.client, { messageId: id }).catch((error: unknown) =>
        state.warn('cannot drop a stored delivery', error),
      );
    }
    session.failPendingAcks();
  };
}

function subscribedTo(session: Session, kind: SubscriptionFilter['kind']): boolean {
  for (const filter of session.subscriptions.values()) {
    if (filter.kind === kind || (kind === 'c2d' && filter.kind === 'c2d-any-device')) return true;
  }
  return false;
}

/** The {@link DeviceChannel} the device services send through. */
export function createDeviceChannel(state: GatewayState): DeviceChannel {
  const live = (identity: SessionIdentity): Session | undefined => {
    const session = state.sessions.get(identity);
    return session !== undefined && session.ready && !session.closed ? session : undefined;
  };
  return {
    isConnected: (identity) => live(identity) !== undefined,
    isSubscribed(identity, kind) {
      const session = live(identity);
      return session !== undefined && subscribedTo(session, kind);
    },
    deliver(identity, message: OutboundMessage) {
      const session = live(identity);
      if (session === undefined) return Promise.resolve(false);
      // A fresh buffer per delivery: the forward hook recognises the delivery by it.
      const payload = Buffer.from(message.payload);
      const packet = {
        cmd: 'publish' as const,
        topic: message.topic,
        payload,
        qos: message.qos,
        retain: false,
        dup: false,
      };
      return new Promise<boolean>((resolve) => {
        if (message.qos === 0) {
          state.outbound.set(payload, { session, qos: 0 });
          session.client.publish(packet, (error) => resolve(error === undefined || error === null));
          return;
        }
        const timer = setTimeout(() => settle(false), DELIVERY_ACK_TIMEOUT_MS);
        timer.unref();
        const settle = (acknowledged: boolean): void => {
          clearTimeout(timer);
          resolve(acknowledged);
        };
        state.outbound.set(payload, { session, qos: 1, settle });
        session.client.publish(packet, (error) => {
          if (error !== undefined && error !== null) settle(false);
        });
      });
    },
    liveActivity(identity) {
      const pending = state.activity.pending(identity);
      const session = live(identity);
      const view: { -readonly [K in keyof LiveActivity]: LiveActivity[K] } = {};
      if (pending !== undefined) {
        view.lastActivityAt = pending.lastActivityAt;
        if (pending.connectionState !== undefined) {
          view.connectionState = pending.connectionState;
          if (pending.connectionStateAt !== undefined)
            view.connectionStateUpdatedAt = pending.connectionStateAt;
        }
      }
      // The hub holds the session: connected, whatever the registry says (e.g. an older process's row).
      if (session !== undefined) view.connectionState = 'connected';
      return pending === undefined && session === undefined ? undefined : view;
    },
    disconnect(identity, reason) {
      // The registry changed (disabled, deleted, new credentials): no cached answer may outlive it,
      // nor an authentication that read the old answer and is not a findable session yet.
      state.revocations.revokeIdentity(identity);
      state.lookups.forget(identity);
      const session = state.sessions.get(identity);
      if (session === undefined) return;
      session.closeReason = reason;
      session.client.close();
    },
    disconnectPolicy(policyName, reason, key) {
      state.revocations.revokePolicies();
      state.lookups.forget();
      // A policy session's `matched` is `{policy}/{key}`; policy names cannot contain `/`.
      const uses = (matched: string): boolean =>
        key === undefined ? matched.startsWith(`${policyName}/`) : matched === `${policyName}/${key}`;
      let closed = 0;
      for (const session of state.sessions.all()) {
        if (session.authMethod !== 'sasPolicy' || !uses(session.matched)) continue;
        session.closeReason = reason;
        session.client.close();
        closed++;
      }
      return closed;
    },
  };
}
