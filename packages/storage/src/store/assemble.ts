import { join } from 'node:path';
import { StorageError } from '../errors/index.js';
import { createSqlIngestCursors, type ClosableIngestLog } from '../ingest/index.js';
import type { Store, StoreRepositories, StoreTransaction } from '../ports/index.js';
import { createAccessPolicyRepository } from '../repositories/access-policies.js';
import { createAlertRepository } from '../repositories/alerts.js';
import { createC2dRepository } from '../repositories/c2d.js';
import { createCertificateRepository } from '../repositories/certificates.js';
import type { RepositoryContext } from '../repositories/common.js';
import { createDeviceStateRepository } from '../repositories/device-states.js';
import { createHubSettingsRepository } from '../repositories/hub-settings.js';
import { createIdentityRepository } from '../repositories/identities.js';
import { createOperationsRepository } from '../repositories/operations.js';
import { createRecommendationRepository } from '../repositories/recommendations.js';
import { createSecurityEventRepository } from '../repositories/security-events.js';
import { createSecurityGroupRepository } from '../repositories/security-groups.js';
import { createThreatIntelFeedRepository } from '../repositories/threat-intel.js';
import { createTwinRepository } from '../repositories/twins.js';
import { DEFAULT_RETENTION_MS, prune } from '../retention/index.js';
import {
  createSecretBox,
  DEFAULT_KEY_FILE_NAME,
  loadOrCreateKeyFile,
  type SecretBox,
} from '../secrets/index.js';
import { openTransactionScope, type SqlDatabase, type SqlExecutor, type SqlSession } from '../sql/index.js';
import type { CommonStoreOptions } from './options.js';

/** Resolves the secret key from the options: a key, a key file, or `<dataDir>/storage.key`. */
export async function resolveSecretBox(
  options: CommonStoreOptions,
  dataDir: string | undefined,
): Promise<{ box: SecretBox; source: string }> {
  if (options.secretKey)
    return { box: createSecretBox(options.secretKey), source: 'the configured secretKey' };
  const file =
    options.secretKeyFile ?? (dataDir === undefined ? undefined : join(dataDir, DEFAULT_KEY_FILE_NAME));
  if (file === undefined) {
    throw new StorageError(
      'INVALID_OPTIONS',
      'a secret key is needed to encrypt device keys: set secretKey, secretKeyFile or dataDir',
    );
  }
  return { box: createSecretBox(await loadOrCreateKeyFile(file)), source: `key file ${file}` };
}

/**
 * Refuses a key other than the one this database's secrets were sealed with, at open time rather
 * than at the first device authentication. The first open records the key id.
 */
export async function checkSecretKey(db: SqlDatabase, box: SecretBox, source: string): Promise<void> {
  await db.run(
    `INSERT INTO store_meta (meta_key, meta_value) VALUES ('secret_key_id', ?) ON CONFLICT (meta_key) DO NOTHING`,
    [box.keyId],
  );
  const row = await db.get<{ meta_value: string }>(
    `SELECT meta_value FROM store_meta WHERE meta_key = 'secret_key_id'`,
  );
  if (row && row.meta_value !== box.keyId) {
    throw new StorageError(
      'SECRET_KEY_MISMATCH',
      `this database's device keys were encrypted with key id ${row.meta_value}, but ${source} has key id ${box.keyId}; ` +
        'configure the original key file',
    );
  }
}

/** Every repository over one session (the database, or a unit of work's transaction); they keep no state of their own. */
function createRepositories(context: RepositoryContext): StoreRepositories {
  return {
    identities: createIdentityRepository(context),
    certificates: createCertificateRepository(context),
    hubSettings: createHubSettingsRepository(context),
    accessPolicies: createAccessPolicyRepository(context),
    twins: createTwinRepository(context),
    c2d: createC2dRepository(context),
    operations: createOperationsRepository(context),
    securityEvents: createSecurityEventRepository(context),
    deviceStates: createDeviceStateRepository(context),
    alerts: createAlertRepository(context),
    recommendations: createRecommendationRepository(context),
    securityGroups: createSecurityGroupRepository(context),
    threatIntelFeeds: createThreatIntelFeedRepository(context),
  };
}

/**
 * Runs `work` with a {@link StoreTransaction} over the open transaction `tx` of `session`; the handle
 * is retired when `work` settles, so a leaked reference cannot write outside the transaction.
 */
async function runUnitOfWork<T>(
  session: Pick<SqlSession, 'dialect' | 'forUpdate'>,
  tx: SqlExecutor,
  secrets: SecretBox,
  work: (tx: StoreTransaction) => Promise<T>,
): Promise<T> {
  const scope = openTransactionScope(session, tx);
  const unit: StoreTransaction = {
    ...createRepositories({ db: scope.session, secrets }),
    ingestLog: createSqlIngestCursors(scope.session),
    transaction: (nested) =>
      scope.session.transaction((inner) => runUnitOfWork(session, inner, secrets, nested)),
  };
  try {
    return await work(unit);
  } finally {
    scope.end();
  }
}

/** Builds the {@link Store} from an open, migrated database and its ingest log. */
export function assembleStore(parts: {
  readonly db: SqlDatabase;
  readonly secrets: SecretBox;
  readonly schemaVersion: number;
  readonly ingestLog: ClosableIngestLog;
  readonly options: CommonStoreOptions;
}): Store {
  const { db, ingestLog, options, secrets } = parts;
  let closing: Promise<void> | undefined;
  return {
    adapter: db.dialect,
    schemaVersion: parts.schemaVersion,
    ...createRepositories({ db, secrets }),
    ingestLog,
    transaction: (work, unitOptions) =>
      db.transaction((tx) => runUnitOfWork(db, tx, secrets, work), unitOptions),
    prune: (pruneOptions = {}) =>
      prune(db, {
        maxAgeMs: pruneOptions.maxAgeMs ?? options.retention?.maxAgeMs ?? DEFAULT_RETENTION_MS,
        batchSize: pruneOptions.batchSize ?? options.retention?.batchSize,
        now: pruneOptions.now,
      }),
    close() {
      closing ??= ingestLog.close().then(() => db.close());
      return closing;
    },
  };
}
