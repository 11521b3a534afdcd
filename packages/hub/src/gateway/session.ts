import type { Client } from 'aedes';
import type { SubscriptionFilter } from '@vigil/protocol';
import type { SessionIdentity, SessionProtocol } from '../contract/index.js';
import type { AuthMethod } from '../auth/index.js';
import { identityKeyOf } from '../auth/index.js';
import { Semaphore } from './semaphore.js';

/** Shared by every session that has none: most sessions never subscribe or get a QoS 1 delivery. */
const NO_SUBSCRIPTIONS: ReadonlyMap<string, SubscriptionFilter> = new Map();
const NO_ACKS: ReadonlyMap<number, (acknowledged: boolean) => void> = new Map();

/**
 * One authenticated MQTT connection and what the gateway tracks about it. Its maps and its append
 * semaphore are created on first use: at 100,000 sessions each empty structure costs megabytes.
 */
export class Session {
  readonly key: string;
  private granted: Map<string, SubscriptionFilter> | undefined;
  private semaphore: Semaphore | undefined;
  private pendingAcks: Map<number, (acknowledged: boolean) => void> | undefined;
  /** True once CONNACK went out (Aedes `clientReady`). */
  ready = false;
  closed = false;
  /** Set when a newer connection of the same identity took over (IoT Hub 400027). */
  replaced = false;
  /** Why the hub closed the session, when it did (`sasExpired`, or a service's reason). */
  closeReason: string | null = null;
  /** Which key or thumbprint matched, or the CA's name. */
  matched = '';
  /** The SAS expiry slot it waits in (expiry-schedule.ts), 0 when none. */
  expirySlot = 0;
  /** The revocation generation its authentication started at (revocations.ts). */
  authGeneration = 0;
  private packetId = 0;

  constructor(
    readonly client: Client,
    readonly identity: SessionIdentity,
    readonly protocol: SessionProtocol,
    readonly remoteAddress: string,
    readonly authMethod: AuthMethod,
    readonly connectedAt: number,
    private readonly maxInflight: number,
  ) {
    this.key = identityKeyOf(identity);
  }

  /** Granted subscriptions by filter text (restored ones included). */
  get subscriptions(): ReadonlyMap<string, SubscriptionFilter> {
    return this.granted ?? NO_SUBSCRIPTIONS;
  }

  /** Records a granted subscription. */
  grant(topic: string, filter: SubscriptionFilter): void {
    (this.granted ??= new Map()).set(topic, filter);
  }

  /** Forgets a subscription the device dropped. */
  revoke(topic: string): void {
    this.granted?.delete(topic);
  }

  /** QoS 1 deliveries waiting for the device's PUBACK, by packet id. */
  get awaitingAck(): ReadonlyMap<number, (acknowledged: boolean) => void> {
    return this.pendingAcks ?? NO_ACKS;
  }

  /** Waits for the PUBACK of packet `id`. */
  expectAck(id: number, settle: (acknowledged: boolean) => void): void {
    (this.pendingAcks ??= new Map()).set(id, settle);
  }

  /** The delivery packet `id` acknowledged, no longer waiting. */
  takeAck(id: number): ((acknowledged: boolean) => void) | undefined {
    const settle = this.pendingAcks?.get(id);
    this.pendingAcks?.delete(id);
    return settle;
  }

  /** A slot for one durable D2C append (at most `maxInflight` in flight per connection). */
  appendSlot(): Promise<() => void> {
    return (this.semaphore ??= new Semaphore(this.maxInflight)).acquire();
  }

  /**
   * The packet id for the next QoS 1 delivery. The gateway is the only source of packets to a
   * device, so it numbers them itself and can match the PUBACK to the delivery.
   */
  nextPacketId(): number {
    for (let tries = 0; tries < 65535; tries++) {
      this.packetId = (this.packetId % 65535) + 1;
      if (!this.awaitingAck.has(this.packetId)) return this.packetId;
    }
    return this.packetId;
  }

  /** Fails every delivery still waiting for a PUBACK (the connection ended). */
  failPendingAcks(): void {
    const pending = this.pendingAcks;
    this.pendingAcks = undefined;
    if (pending !== undefined) for (const settle of pending.values()) settle(false);
  }
}

/** Live sessions by identity key and by Aedes client. */
export class SessionRegistry {
  private readonly byKey = new Map<string, Session>();
  private readonly byClient = new WeakMap<Client, Session>();

  /** Links an authenticated connection to its session before Aedes registers it. */
  attach(session: Session): void {
    this.byClient.set(session.client, session);
  }

  /**
   * Makes the session the live one for its identity (Aedes `client`: an older connection with the
   * same client id has been closed by then, MQTT-3.1.4-2).
   */
  activate(session: Session): void {
    this.byClient.set(session.client, session);
    this.byKey.set(session.key, session);
  }

  /** Removes a session if it is still the current one for its identity; true when removed. */
  remove(session: Session): boolean {
    session.closed = true;
    if (this.byKey.get(session.key) !== session) return false;
    this.byKey.delete(session.key);
    return true;
  }

  ofClient(client: Client | null): Session | undefined {
    return client === null ? undefined : this.byClient.get(client);
  }

  get(identity: SessionIdentity): Session | undefined {
    return this.byKey.get(identityKeyOf(identity));
  }

  all(): Session[] {
    return [...this.byKey.values()];
  }

  get size(): number {
    return this.byKey.size;
  }
}
