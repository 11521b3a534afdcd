import type { Duplex } from 'node:stream';
import type { Store } from '@vigil/storage';
import type { Authenticator, AuthLookups } from '../auth/index.js';
import type { HubConfig } from '../config/index.js';
import type { DeviceService, HubOperation, OperationsSink } from '../contract/index.js';
import type { ConnectionContext } from '../listeners/index.js';
import type { ActivityWriter } from './activity-writer.js';
import type { D2cCounter } from './d2c-counter.js';
import type { ExpirySchedule } from './expiry-schedule.js';
import type { Revocations } from './revocations.js';
import type { Session, SessionRegistry } from './session.js';

/** A delivery handed to a session, recognised again by Aedes' forward hook by its payload buffer. */
export interface OutboundDelivery {
  readonly session: Session;
  readonly qos: 0 | 1;
  settle?: (acknowledged: boolean) => void;
}

/** What the gateway's hooks share. */
export interface GatewayState {
  readonly config: HubConfig;
  readonly store: Store;
  readonly sessions: SessionRegistry;
  readonly operations: OperationsSink;
  readonly counter: D2cCounter;
  /** Connection state and last activity, written to the registry in batches. */
  readonly activity: ActivityWriter;
  readonly lookups: AuthLookups;
  /** SAS token expiry of every session, on one timer. */
  readonly expiry: ExpirySchedule<Session>;
  /** Identities and policies revoked while connects were being authenticated. */
  readonly revocations: Revocations;
  readonly authenticator: Authenticator;
  readonly services: DeviceService[];
  readonly now: () => number;
  /** Listener context per connection stream. */
  readonly contexts: WeakMap<Duplex, ConnectionContext>;
  /** Deliveries by payload buffer (a fresh buffer per delivery). */
  readonly outbound: WeakMap<Buffer, OutboundDelivery>;
  /** Durable appends in flight, awaited at shutdown. */
  readonly appends: Set<Promise<unknown>>;
  /** False once the hub is stopping: new CONNECTs are refused. */
  accepting: boolean;
  /** Reports something the gateway could not do (a failed write, a service that threw). */
  readonly warn: (message: string, error?: unknown) => void;
}

/** Records an operation for a session's identity and address. */
export function recordFor(
  state: GatewayState,
  session: Pick<Session, 'identity' | 'remoteAddress'> | undefined,
  operation: Omit<HubOperation, 'at' | 'deviceId' | 'moduleId' | 'sourceAddress'> &
    Partial<Pick<HubOperation, 'deviceId' | 'moduleId' | 'sourceAddress'>>,
): void {
  state.operations.record({
    at: state.now(),
    deviceId: session?.identity.deviceId ?? null,
    moduleId: session?.identity.moduleId ?? null,
    sourceAddress: session?.remoteAddress ?? null,
    ...operation,
  });
}

/** Keeps a background write in `state.appends` until it settles, so shutdown waits for it. */
export function track(state: GatewayState, work: Promise<unknown>): void {
  state.appends.add(work);
  const done = (): void => void state.appends.delete(work);
  work.then(done, done);
}
