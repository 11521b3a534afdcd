import { formatConnectionString } from '@vigil/protocol';
import type { Identity, IdentityKey, IdentityStatus } from '@vigil/storage';
import { resolveAuth, checkIds, type AuthInput } from './auth-input.js';
import { recordOperation, type ServiceContext } from './context.js';
import { identityLabel } from './identity-views.js';
import { ServiceError, toServiceError, validationFailed, type ServiceViolation } from './service-error.js';

/** What a caller supplies to create a device or module. */
export interface CreateIdentityInput {
  readonly deviceId: string;
  readonly moduleId?: string | null;
  readonly auth?: AuthInput;
  readonly status?: IdentityStatus;
  readonly statusReason?: string | null;
}

/** What an update may change; new SAS keys are generated when `auth` is `{ type: 'sas' }` alone. */
export interface UpdateIdentityInput {
  readonly auth?: AuthInput;
  readonly status?: IdentityStatus;
  readonly statusReason?: string | null;
}

/** Which key or how a connection string is made. */
export interface ConnectionStringOptions {
  readonly key?: 'primary' | 'secondary';
  /** Where the device's socket goes when it differs from the hub's name (`host:port`). */
  readonly gatewayHostName?: string;
}

/** The identity registry as the service API drives it. */
export interface Registry {
  /** Creates a device or module; `CONFLICT` when it exists, `NOT_FOUND` for a module of an unknown device. */
  create(input: CreateIdentityInput): Promise<Identity>;
  /** The identity; `NOT_FOUND` when absent. */
  get(key: IdentityKey): Promise<Identity>;
  /** Devices (or one device's modules when `deviceId` is given), ordered, after `after`. */
  list(options?: {
    readonly deviceId?: string;
    readonly after?: string;
    readonly limit?: number;
  }): Promise<Identity[]>;
  /** Changes status or credentials; disabling or new credentials close the live session. */
  update(
    key: IdentityKey,
    patch: UpdateIdentityInput,
    options?: { readonly ifMatch?: string },
  ): Promise<Identity>;
  /** Deletes an identity (a device takes its modules); live sessions are closed. `NOT_FOUND` when absent. */
  delete(key: IdentityKey, options?: { readonly ifMatch?: string }): Promise<void>;
  /** The SAS or X.509 connection string a device or module uses to reach this hub. */
  connectionString(key: IdentityKey, options?: ConnectionStringOptions): Promise<string>;
}

const MAX_STATUS_REASON = 128;

function checkStatusReason(reason: string | null | undefined, violations: ServiceViolation[]): void {
  if (typeof reason === 'string' && reason.length > MAX_STATUS_REASON) {
    violations.push({ path: 'statusReason', message: `is longer than ${MAX_STATUS_REASON} characters` });
  }
}

/**
 * Builds the {@link Registry} over `store.identities`; `hostName` is the hub's name in connection
 * strings, `onChange` runs after every change (the gateway may cache identities: pass `hub.invalidate`).
 */
export function createRegistry(
  context: ServiceContext,
  options: { readonly hostName: string; readonly onChange?: () => void },
): Registry {
  const changed = options.onChange ?? (() => undefined);
  const { store, channel } = context;
  const operation = (
    name: 'identityCreated' | 'identityUpdated' | 'identityDeleted',
    key: IdentityKey,
    details: Record<string, string | boolean>,
  ): void => {
    changed();
    recordOperation(context, {
      operation: name,
      outcome: 'success',
      deviceId: key.deviceId,
      moduleId: key.moduleId,
      details,
    });
  };

  // The registry's connection columns are written in batches; the hub's live view is fresher.
  const withLive = (identity: Identity): Identity => {
    const live = channel.liveActivity?.(identity);
    return live === undefined ? identity : { ...identity, ...live };
  };

  const get = async (key: IdentityKey): Promise<Identity> => {
    const identity = await store.identities.get(key).catch((error: unknown) => {
      throw toServiceError(error);
    });
    if (identity === undefined)
      throw new ServiceError('NOT_FOUND', `identity ${identityLabel(key)} does not exist`);
    return withLive(identity);
  };

  return {
    async create(input) {
      const violations: ServiceViolation[] = [];
      checkIds(input, violations);
      checkStatusReason(input.statusReason, violations);
      const auth = resolveAuth(input.auth, violations);
      if (violations.length > 0) throw validationFailed(violations);
      const key = { deviceId: input.deviceId, moduleId: input.moduleId ?? null };
      try {
        const created = await store.identities.create(
          { ...key, auth, status: input.status ?? 'enabled', statusReason: input.statusReason ?? null },
          context.now(),
        );
        operation('identityCreated', key, { authType: auth.type, status: created.status });
        return created;
      } catch (error) {
        const mapped = toServiceError(error);
        if (mapped.code === 'CONFLICT') {
          throw new ServiceError('CONFLICT', `identity ${identityLabel(key)} already exists`);
        }
        throw mapped;
      }
    },
    get,
    async list(options = {}) {
      try {
        if (options.deviceId !== undefined) {
          const rows = await store.identities.list({ deviceId: options.deviceId, limit: 1000 });
          return rows
            .filter((row) => row.moduleId !== null)
            .slice(0, options.limit ?? 100)
            .map(withLive);
        }
        // Devices only: page through identities, skipping modules, until the page is full.
        const limit = options.limit ?? 100;
        const devices: Identity[] = [];
        let after: IdentityKey | undefined =
          options.after === undefined ? undefined : { deviceId: options.after, moduleId: '\u{10ffff}' };
        for (;;) {
          const rows: Identity[] = await store.identities.list({ limit: 1000, ...(after ? { after } : {}) });
          for (const row of rows) if (row.moduleId === null && devices.length < limit) devices.push(row);
          const last = rows.at(-1);
          if (devices.length >= limit || last === undefined || rows.length < 1000)
            return devices.map(withLive);
          after = last;
        }
      } catch (error) {
        throw toServiceError(error);
      }
    },
    async update(key, patch, updateOptions = {}) {
      const violations: ServiceViolation[] = [];
      checkStatusReason(patch.statusReason, violations);
      const auth = patch.auth === undefined ? undefined : resolveAuth(patch.auth, violations);
      if (violations.length > 0) throw validationFailed(violations);
      await get(key);
      let updated: Identity;
      try {
        updated = await store.identities.update(
          key,
          {
            ...(auth === undefined ? {} : { auth }),
            ...(patch.status === undefined ? {} : { status: patch.status }),
            ...(patch.statusReason === undefined ? {} : { statusReason: patch.statusReason }),
          },
          {
            now: context.now(),
            ...(updateOptions.ifMatch === undefined ? {} : { ifMatch: updateOptions.ifMatch }),
          },
        );
      } catch (error) {
        throw toServiceError(error);
      }
      const details: Record<string, string | boolean> = {
        status: updated.status,
        credentialsChanged: auth !== undefined,
      };
      operation('identityUpdated', key, details);
      // A disabled identity, or one whose credentials changed, must not keep its session (IoT Hub closes it).
      if (updated.status === 'disabled') channel.disconnect(key, 'identity disabled');
      else if (auth !== undefined) channel.disconnect(key, 'credentials changed');
      return withLive(updated);
    },
    async delete(key, deleteOptions = {}) {
      const modules =
        key.moduleId === null ? await store.identities.list({ deviceId: key.deviceId, limit: 1000 }) : [];
      let removed: boolean;
      try {
        removed = await store.identities.delete(
          key,
          deleteOptions.ifMatch === undefined ? {} : { ifMatch: deleteOptions.ifMatch },
        );
      } catch (error) {
        throw toServiceError(error);
      }
      if (!removed) throw new ServiceError('NOT_FOUND', `identity ${identityLabel(key)} does not exist`);
      operation('identityDeleted', key, {});
      channel.disconnect(key, 'identity deleted');
      for (const module of modules) {
        if (module.moduleId !== null) channel.disconnect(module, 'device deleted');
      }
    },
    async connectionString(key, csOptions = {}) {
      const identity = await get(key);
      const common = {
        hostName: options.hostName,
        deviceId: key.deviceId,
        ...(key.moduleId === null ? {} : { moduleId: key.moduleId }),
        ...(csOptions.gatewayHostName === undefined ? {} : { gatewayHostName: csOptions.gatewayHostName }),
      };
      if (identity.auth.type !== 'sas') return formatConnectionString({ ...common, kind: 'device-x509' });
      const sharedAccessKey =
        csOptions.key === 'secondary' ? identity.auth.secondaryKey : identity.auth.primaryKey;
      return formatConnectionString({ ...common, kind: 'device-key', sharedAccessKey });
    },
  };
}
