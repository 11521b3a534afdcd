import type { IngestRecordInput, NewOperation, Store } from '@vigil/storage';
import type { HubOperation, OperationsSink } from '../contract/index.js';

/** The device id an operation without one (a hub setting change) is filed under in the ingest log. */
export const HUB_SCOPE_DEVICE_ID = '$hub';

/** The gateway's {@link OperationsSink}, with its counters and shutdown. */
export interface IngestOperationsSink extends OperationsSink {
  /** Operations dropped because the queue was full, and ones whose write failed. */
  readonly stats: () => { readonly recorded: number; readonly dropped: number; readonly failed: number };
  /** Flushes, then stops the timer; later records are dropped. */
  close(): Promise<void>;
}

/**
 * Appends hub operations to the ingest log (kind `operation`, the JSON of the {@link HubOperation}
 * as body) in batches in the background, then records the same batch into `store.operations`
 * with the ingest id as `sourceId`, so the API can list them at once and a consumer replaying the
 * log records nothing twice. `record` never blocks and never throws: when `maxQueue` operations
 * already wait, the new one is dropped and counted.
 */
export function createOperationsSink(options: {
  readonly store: Pick<Store, 'ingestLog' | 'operations'>;
  readonly batchSize: number;
  readonly flushIntervalMs: number;
  readonly maxQueue: number;
  readonly onError?: (error: unknown) => void;
}): IngestOperationsSink {
  let queue: HubOperation[] = [];
  let writing: Promise<void> | undefined;
  let timer: NodeJS.Timeout | undefined;
  let closed = false;
  const counters = { recorded: 0, dropped: 0, failed: 0 };

  const writeBatch = async (batch: HubOperation[]): Promise<void> => {
    const records: IngestRecordInput[] = batch.map((op) => ({
      kind: 'operation',
      deviceId: op.deviceId ?? HUB_SCOPE_DEVICE_ID,
      moduleId: op.moduleId ?? null,
      receivedAt: op.at,
      properties: { operation: op.operation, outcome: op.outcome },
      body: Buffer.from(JSON.stringify(op)),
    }));
    const ids = await options.store.ingestLog.append(records);
    const rows: NewOperation[] = batch.map((op, i) => ({
      sourceId: ids[i] ?? null,
      at: op.at,
      operation: op.operation,
      outcome: op.outcome,
      deviceId: op.deviceId ?? null,
      moduleId: op.moduleId ?? null,
      sourceAddress: op.sourceAddress ?? null,
      reason: op.reason ?? null,
      details: op.details ?? {},
    }));
    await options.store.operations.record(rows);
    counters.recorded += batch.length;
  };

  // One writer at a time drains the queue in batches, so appends keep their order.
  const drain = (): Promise<void> => {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
    writing ??= (async () => {
      while (queue.length > 0) {
        const batch = queue.slice(0, options.batchSize);
        queue = queue.slice(batch.length);
        try {
          await writeBatch(batch);
        } catch (error) {
          counters.failed += batch.length;
          options.onError?.(error);
        }
      }
    })().finally(() => {
      writing = undefined;
      // Something recorded while the last batch settled still needs its timer.
      if (queue.length > 0) timer ??= setTimeout(() => void drain(), options.flushIntervalMs);
    });
    return writing;
  };

  return {
    record(operation) {
      if (closed || queue.length >= options.maxQueue) {
        counters.dropped++;
        return;
      }
      queue.push(operation);
      if (queue.length >= options.batchSize) void drain();
      else if (timer === undefined && writing === undefined) {
        timer = setTimeout(() => void drain(), options.flushIntervalMs);
      }
    },
    async flush() {
      while (queue.length > 0 || writing !== undefined) await drain();
    },
    stats: () => ({ ...counters }),
    async close() {
      await this.flush();
      closed = true;
      if (timer !== undefined) clearTimeout(timer);
    },
  };
}
