import { AsyncLocalStorage } from 'node:async_hooks';
import type { Millis, Store } from '@vigil/storage';
import type { DeviceChannel, HubOperation, OperationsSink } from '../contract/index.js';

/** What every device service is built from (one per hub). */
export interface ServiceContext {
  readonly store: Store;
  readonly channel: DeviceChannel;
  readonly operations: OperationsSink;
  /** The clock; injected in tests. */
  readonly now: () => Millis;
}

/** Who asked for a service-side change: the API caller's address, stamped on the operations it causes. */
export interface OperationCaller {
  readonly sourceAddress: string | null;
}

const caller = new AsyncLocalStorage<OperationCaller>();

/**
 * Runs `work` on behalf of a caller: operations recorded inside it (a certificate added, an IP
 * filter changed…) carry the caller's source address, as the operations log requires of every entry.
 */
export function runAsCaller<T>(origin: OperationCaller, work: () => T): T {
  return caller.run(origin, work);
}

/** Records one operation stamped with the context's clock (and the caller's address, when known). */
export function recordOperation(context: ServiceContext, operation: Omit<HubOperation, 'at'>): void {
  const sourceAddress = operation.sourceAddress ?? caller.getStore()?.sourceAddress ?? null;
  context.operations.record({ ...operation, sourceAddress, at: context.now() });
}
