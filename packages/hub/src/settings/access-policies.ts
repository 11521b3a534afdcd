import { generateSymmetricKey, symmetricKeyProblem } from '@vigil/protocol';
import { ACCESS_RIGHTS, type AccessPolicy, type AccessRight } from '@vigil/storage';
import {
  recordOperation,
  ServiceError,
  toServiceError,
  validationFailed,
  type ServiceContext,
  type ServiceViolation,
} from '../registry/index.js';

/**
 * The policies IoT Hub creates in every hub, with their rights (reference/iothub-mqtt.md §5.1).
 * Vigil creates none by itself — a `DeviceConnect` key can connect as any device — but a policy
 * created under one of these names without rights gets IoT Hub's.
 */
export const IOT_HUB_POLICY_RIGHTS: Readonly<Record<string, readonly AccessRight[]>> = Object.freeze({
  iothubowner: ['RegistryRead', 'RegistryWrite', 'ServiceConnect', 'DeviceConnect'],
  service: ['ServiceConnect'],
  device: ['DeviceConnect'],
  registryRead: ['RegistryRead'],
  registryReadWrite: ['RegistryRead', 'RegistryWrite'],
});

/** IoT Hub's rule for policy names: letters, digits and `-_.`, at most 64 characters. */
const POLICY_NAME = /^[A-Za-z0-9_.-]{1,64}$/;

/** What a caller gives to create a policy; keys left out are generated (32 random bytes). */
export interface AccessPolicyInput {
  readonly name: string;
  readonly rights?: readonly string[];
  readonly primaryKey?: string;
  readonly secondaryKey?: string;
}

/** Which key a rotation replaces; `swap` exchanges them (IoT Hub's roll-over). */
export type PolicyKeySlot = 'primary' | 'secondary' | 'swap';

/** The hub's shared access policies; every change is an operation with the policy's name, never a key. */
export interface AccessPolicySettings {
  list(): Promise<readonly AccessPolicy[]>;
  /** `NOT_FOUND` when absent. */
  get(name: string): Promise<AccessPolicy>;
  /** `VALIDATION_FAILED` (every problem with its path), `CONFLICT` when the name is taken. Records `accessPolicyCreated`. */
  create(input: AccessPolicyInput): Promise<AccessPolicy>;
  /**
   * Replaces one key (given or generated) or swaps them; records `accessPolicyKeyRotated`. Sessions
   * that authenticated with a replaced key are closed.
   */
  rotate(
    name: string,
    slot: PolicyKeySlot,
    options?: { readonly key?: string; readonly ifMatch?: string },
  ): Promise<AccessPolicy>;
  /** `NOT_FOUND` when absent; closes the policy's sessions and records `accessPolicyDeleted`. */
  delete(name: string, options?: { readonly ifMatch?: string }): Promise<void>;
}

function checkName(name: string, violations: ServiceViolation[]): void {
  if (!POLICY_NAME.test(name)) {
    violations.push({ path: 'name', message: 'must be 1–64 letters, digits, "_", "." or "-"' });
  }
}

function checkKey(key: string | undefined, path: string, violations: ServiceViolation[]): string {
  if (key === undefined) return generateSymmetricKey();
  const problem = symmetricKeyProblem(key);
  if (problem !== undefined) violations.push({ path, message: `key ${problem}` });
  return key;
}

function resolveRights(input: AccessPolicyInput, violations: ServiceViolation[]): AccessRight[] {
  const given = input.rights ?? IOT_HUB_POLICY_RIGHTS[input.name];
  if (given === undefined || given.length === 0) {
    violations.push({ path: 'rights', message: `list at least one of ${ACCESS_RIGHTS.join(', ')}` });
    return [];
  }
  const known: readonly string[] = ACCESS_RIGHTS;
  given.forEach((right, index) => {
    if (!known.includes(right)) {
      violations.push({ path: `rights[${index}]`, message: `must be one of ${ACCESS_RIGHTS.join(', ')}` });
    }
  });
  return ACCESS_RIGHTS.filter((right) => given.includes(right));
}

/**
 * Builds {@link AccessPolicySettings} over `store.accessPolicies`. `onChange` runs after every change
 * (the gateway may cache policies with identities: pass `hub.invalidate`).
 */
export function createAccessPolicySettings(
  context: ServiceContext,
  onChange: () => void = () => undefined,
): AccessPolicySettings {
  const { store, channel } = context;
  const fail = (error: unknown): never => {
    throw toServiceError(error);
  };
  const get = async (name: string): Promise<AccessPolicy> => {
    const policy = await store.accessPolicies.get(name).catch(fail);
    if (policy === undefined) throw new ServiceError('NOT_FOUND', `access policy ${name} does not exist`);
    return policy;
  };
  const changed = (
    operation: 'accessPolicyCreated' | 'accessPolicyKeyRotated' | 'accessPolicyDeleted',
    details: Record<string, string | string[] | number>,
  ): void => {
    onChange();
    recordOperation(context, { operation, outcome: 'success', details });
  };

  return {
    async list() {
      return store.accessPolicies.list({ limit: 1000 }).catch(fail);
    },
    get,
    async create(input) {
      const violations: ServiceViolation[] = [];
      checkName(input.name, violations);
      const rights = resolveRights(input, violations);
      const primaryKey = checkKey(input.primaryKey, 'primaryKey', violations);
      const secondaryKey = checkKey(input.secondaryKey, 'secondaryKey', violations);
      if (violations.length > 0) throw validationFailed(violations);
      const created = await store.accessPolicies
        .create({ name: input.name, rights, primaryKey, secondaryKey }, context.now())
        .catch(fail);
      changed('accessPolicyCreated', { name: created.name, rights: [...created.rights] });
      return created;
    },
    async rotate(name, slot, options = {}) {
      const violations: ServiceViolation[] = [];
      if (slot === 'swap' && options.key !== undefined) {
        violations.push({ path: 'key', message: 'cannot be given when swapping the keys' });
      }
      const key = checkKey(options.key, 'key', violations);
      if (violations.length > 0) throw validationFailed(violations);
      const current = await get(name);
      const patch =
        slot === 'swap'
          ? { primaryKey: current.secondaryKey, secondaryKey: current.primaryKey }
          : slot === 'primary'
            ? { primaryKey: key }
            : { secondaryKey: key };
      const ifMatch =
        options.ifMatch === undefined || options.ifMatch === '*' ? current.etag : options.ifMatch;
      const updated = await store.accessPolicies
        .update(name, patch, { ifMatch, now: context.now() })
        .catch(fail);
      // Sessions that proved themselves with the replaced key go, as a device's do when its keys
      // change; a swap keeps both keys valid, so nobody is dropped.
      const disconnected = slot === 'swap' ? 0 : channel.disconnectPolicy(name, 'credentials changed', slot);
      changed('accessPolicyKeyRotated', { name, key: slot, disconnected });
      return updated;
    },
    async delete(name, options = {}) {
      const ifMatch =
        options.ifMatch === undefined || options.ifMatch === '*' ? {} : { ifMatch: options.ifMatch };
      const deleted = await store.accessPolicies.delete(name, ifMatch).catch(fail);
      if (!deleted) throw new ServiceError('NOT_FOUND', `access policy ${name} does not exist`);
      const disconnected = channel.disconnectPolicy(name, 'policy deleted');
      changed('accessPolicyDeleted', { name, disconnected });
    },
  };
}
