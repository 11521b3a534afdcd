import type { Millis } from './common.js';
import type { IdentityRepository } from './identities.js';
import type { CertificateRepository } from './certificates.js';
import type { HubSettingsRepository } from './hub-settings.js';
import type { AccessPolicyRepository } from './access-policies.js';
import type { TwinRepository } from './twins.js';
import type { C2dRepository } from './c2d.js';
import type { OperationsRepository } from './operations.js';
import type { SecurityEventRepository } from './security-events.js';
import type { DeviceStateRepository } from './device-states.js';
import type { AlertRepository } from './alerts.js';
import type { RecommendationRepository } from './recommendations.js';
import type { SecurityGroupRepository } from './security-groups.js';
import type { ThreatIntelFeedRepository } from './threat-intel.js';
import type { IngestCursors, IngestLog } from './ingest-log.js';

/** A retention pass: what it removed and in how many transactions. */
export interface PruneResult {
  readonly ingestRecords: number;
  readonly securityEvents: number;
  readonly operations: number;
  readonly batches: number;
}

/** Options for a retention pass; defaults come from the store's configuration. */
export interface PruneOptions {
  /** Rows older than this (ingest records and events by received time, operations by time) go. */
  readonly maxAgeMs?: number;
  readonly now?: Millis;
  /** Rows deleted per transaction (1…10,000). */
  readonly batchSize?: number;
}

/** The repositories of a store: on the store each call commits on its own, in a unit of work they share its transaction. */
export interface StoreRepositories {
  readonly identities: IdentityRepository;
  readonly certificates: CertificateRepository;
  readonly hubSettings: HubSettingsRepository;
  /** Hub-level shared access policies (schema version 2). */
  readonly accessPolicies: AccessPolicyRepository;
  readonly twins: TwinRepository;
  readonly c2d: C2dRepository;
  readonly operations: OperationsRepository;
  readonly securityEvents: SecurityEventRepository;
  readonly deviceStates: DeviceStateRepository;
  readonly alerts: AlertRepository;
  readonly recommendations: RecommendationRepository;
  readonly securityGroups: SecurityGroupRepository;
  readonly threatIntelFeeds: ThreatIntelFeedRepository;
}

/**
 * A unit of work: the repositories and the ingest log's cursors bound to one open transaction.
 * Everything written through it commits together (one COMMIT, one fsync) or not at all, and reads
 * see its own writes. A repository call that is a transaction on the store is a savepoint here, so
 * when it fails its own statements roll back and the unit goes on; but a statement the database
 * itself refuses (a duplicate key) aborts the whole transaction on PostgreSQL, so wrap work that may
 * fail that way in a nested unit ({@link StoreTransaction.transaction}).
 */
export interface StoreTransaction extends StoreRepositories {
  /** Reads and cursor commits; a committed cursor moves only if the unit commits. */
  readonly ingestLog: IngestCursors;
  /**
   * A nested unit (a savepoint): rolled back on its own when `work` throws, while the enclosing unit
   * goes on. Nested units of one handle run one after another.
   */
  transaction<T>(work: (tx: StoreTransaction) => Promise<T>): Promise<T>;
}

/** How a unit of work commits. */
export interface UnitOfWorkOptions {
  /**
   * `false` for derived data that is rebuilt from the durable ingest log (analytics' writes with
   * their cursor): the COMMIT does not wait for the disk (SQLite `synchronous=NORMAL`, PostgreSQL
   * `synchronous_commit=off`, for this unit only). A process crash loses nothing; a power failure
   * may lose the newest such units, each whole, cursor included, so their records are processed
   * again. Default `true`.
   */
  readonly durable?: boolean;
}

/** Everything Vigil keeps, behind one open database. */
export interface Store extends StoreRepositories {
  readonly adapter: 'sqlite' | 'postgres';
  /** The schema version this store runs at. */
  readonly schemaVersion: number;
  readonly ingestLog: IngestLog;
  /**
   * Runs `work` as one unit of work: committed once (one fsync; none with `durable: false`) when it
   * resolves, rolled back entirely when it throws, and the handle refuses use afterwards
   * (`TRANSACTION_ENDED`). Appends to the ingest log are not part of it: they stay group-committed
   * on their own.
   *
   * Inside `work`, use only `tx`, and keep the unit short: on SQLite the store has one connection,
   * so every other caller (the ingest log's appends, the API) waits until the unit ends, and
   * awaiting a call on the store itself from inside `work` would wait forever.
   */
  transaction<T>(work: (tx: StoreTransaction) => Promise<T>, options?: UnitOfWorkOptions): Promise<T>;
  /**
   * Deletes ingest records, security events and operations older than the retention age in bounded
   * batches, yielding between them so appends keep flowing.
   */
  prune(options?: PruneOptions): Promise<PruneResult>;
  /** Finishes in-flight appends, then closes the database. */
  close(): Promise<void>;
}
