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

/** Records one operation stamped with the context's clock. */
export function recordOperation(context: ServiceContext, operation: Omit<HubOperation, 'at'>): void {
  context.operations.record({ ...operation, at: context.now() });
}
