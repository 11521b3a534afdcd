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
import type { IngestLog } from './ingest-log.js';

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

/** Everything Vigil keeps, behind one open database. */
export interface Store {
  readonly adapter: 'sqlite' | 'postgres';
  /** The schema version this store runs at. */
  readonly schemaVersion: number;
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
  readonly ingestLog: IngestLog;
  /**
   * Deletes ingest records, security events and operations older than the retention age in bounded
   * batches, yielding between them so appends keep flowing.
   */
  prune(options?: PruneOptions): Promise<PruneResult>;
  /** Finishes in-flight appends, then closes the database. */
  close(): Promise<void>;
}
