import type { SubscriptionFilter } from '@vigil/protocol';
import type { DeviceChannel, OutboundMessage, SessionIdentity } from '../../contract/index.js';

const label = (identity: SessionIdentity): string =>
  identity.moduleId === null ? identity.deviceId : `${identity.deviceId}/${identity.moduleId}`;

/** One delivery the stand-in saw. */
export interface RecordedDelivery extends OutboundMessage {
  readonly identity: string;
}

/**
 * An in-memory stand-in for the gateway's {@link DeviceChannel}, for unit tests of the device
 * services: sessions and subscriptions are set by the test, every delivery is recorded, and QoS 1
 * deliveries wait for the test to acknowledge (or refuse) them, as a device's PUBACK would.
 */
export class RecordingDeviceChannel implements DeviceChannel {
  readonly delivered: RecordedDelivery[] = [];
  readonly disconnects: { identity: string; reason: string }[] = [];
  /** `disconnectPolicy` calls, in order. */
  readonly policyDisconnects: { policyName: string; reason: string; key: string | null }[] = [];
  /** When true, QoS 1 deliveries resolve true at once (an eager device). */
  autoAck = true;
  private readonly sessions = new Map<string, Set<SubscriptionFilter['kind']>>();
  private readonly awaiting: { delivery: RecordedDelivery; settle: (ok: boolean) => void }[] = [];
  private readonly listeners: ((delivery: RecordedDelivery) => void)[] = [];

  /** Marks the identity connected with the given subscriptions. */
  connect(identity: SessionIdentity, kinds: readonly SubscriptionFilter['kind'][] = []): void {
    this.sessions.set(label(identity), new Set(kinds));
  }

  /** Adds a subscription kind to a connected identity. */
  subscribe(identity: SessionIdentity, kind: SubscriptionFilter['kind']): void {
    this.sessions.get(label(identity))?.add(kind);
  }

  /** Ends the identity's session; unacknowledged deliveries fail, as the gateway's do. */
  drop(identity: SessionIdentity): void {
    this.sessions.delete(label(identity));
    for (const waiting of this.awaiting.splice(0)) {
      if (waiting.delivery.identity === label(identity)) waiting.settle(false);
      else this.awaiting.push(waiting);
    }
  }

  /** Acknowledges the oldest waiting QoS 1 delivery (the device's PUBACK). */
  ack(ok = true): RecordedDelivery | undefined {
    const waiting = this.awaiting.shift();
    waiting?.settle(ok);
    return waiting?.delivery;
  }

  /** Resolves with the next delivery (or the first already recorded after `index`). */
  next(index = this.delivered.length): Promise<RecordedDelivery> {
    const existing = this.delivered[index];
    if (existing !== undefined) return Promise.resolve(existing);
    return new Promise((resolve) => {
      const listener = (delivery: RecordedDelivery): void => {
        if (this.delivered.indexOf(delivery) < index) return;
        this.listeners.splice(this.listeners.indexOf(listener), 1);
        resolve(delivery);
      };
      this.listeners.push(listener);
    });
  }

  isConnected(identity: SessionIdentity): boolean {
    return this.sessions.has(label(identity));
  }

  isSubscribed(identity: SessionIdentity, kind: SubscriptionFilter['kind']): boolean {
    const kinds = this.sessions.get(label(identity));
    return kinds !== undefined && (kinds.has(kind) || (kind === 'c2d' && kinds.has('c2d-any-device')));
  }

  deliver(identity: SessionIdentity, message: OutboundMessage): Promise<boolean> {
    if (!this.isConnected(identity)) return Promise.resolve(false);
    const delivery: RecordedDelivery = { ...message, identity: label(identity) };
    this.delivered.push(delivery);
    for (const listener of [...this.listeners]) listener(delivery);
    if (message.qos === 0 || this.autoAck) return Promise.resolve(true);
    return new Promise((settle) => this.awaiting.push({ delivery, settle }));
  }

  disconnect(identity: SessionIdentity, reason: string): void {
    this.disconnects.push({ identity: label(identity), reason });
    this.drop(identity);
  }

  /** Records the call; the stand-in's sessions carry no credential, so it closes none. */
  disconnectPolicy(policyName: string, reason: string, key?: 'primary' | 'secondary'): number {
    this.policyDisconnects.push({ policyName, reason, key: key ?? null });
    return 0;
  }
}
