import type { Client } from 'aedes';
import type { SubscriptionFilter } from '@vigil/protocol';
import type { SessionIdentity, SessionProtocol } from '../contract/index.js';
import type { AuthMethod } from '../auth/index.js';
import { identityKeyOf } from '../auth/index.js';
import { Semaphore } from './semaphore.js';

/** One authenticated MQTT connection and what the gateway tracks about it. */
export class Session {
  readonly key: string;
  /** Granted subscriptions by filter text (restored ones included). */
  readonly subscriptions = new Map<string, SubscriptionFilter>();
  /** Durable D2C appends in flight for this connection. */
  readonly appends: Semaphore;
  /** QoS 1 deliveries waiting for the device's PUBACK, by packet id. */
  readonly awaitingAck = new Map<number, (acknowledged: boolean) => void>();
  /** True once CONNACK went out (Aedes `clientReady`). */
  ready = false;
  closed = false;
  /** Set when a newer connection of the same identity took over (IoT Hub 400027). */
  replaced = false;
  /** Why the hub closed the session, when it did (`sasExpired`, or a service's reason). */
  closeReason: string | null = null;
  /** Which key or thumbprint matched, or the CA's name. */
  matched = '';
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
    maxInflight: number,
  ) {
    this.key = identityKeyOf(identity);
    this.appends = new Semaphore(maxInflight);
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
    for (const settle of this.awaitingAck.values()) settle(false);
    this.awaitingAck.clear();
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
