import { StorageError } from '../errors/index.js';
import { LIMITS } from '../limits.js';
import type { IngestId, IngestKind, IngestRecord, IngestRecordInput } from '../ports/index.js';

/** A record checked and serialised, ready for a writer. */
export interface PreparedRecord {
  readonly kind: IngestKind;
  readonly deviceId: string;
  readonly moduleId: string | null;
  readonly receivedAt: number;
  readonly properties: string;
  readonly body: Buffer;
}

/** A row as the adapters read it back. */
export interface IngestRow {
  id: number;
  kind: IngestKind;
  device_id: string;
  module_id: string | null;
  received_at: number;
  properties: string;
  body: Buffer;
}

const KINDS: ReadonlySet<string> = new Set<IngestKind>(['d2c', 'operation']);

/**
 * Checks a batch against the log's bounds and serialises it. Runs before queueing, so one caller's
 * bad record fails only that caller's append, never the group it would have shared.
 */
export function prepareBatch(batch: readonly IngestRecordInput[]): PreparedRecord[] {
  if (batch.length > LIMITS.maxAppendBatch) {
    throw new StorageError(
      'LIMIT_EXCEEDED',
      `an append holds at most ${LIMITS.maxAppendBatch} records, got ${batch.length}`,
    );
  }
  return batch.map((record, index) => {
    const where = `record ${index}`;
    if (!KINDS.has(record.kind))
      throw new StorageError('LIMIT_EXCEEDED', `${where}: kind must be d2c or operation`);
    if (typeof record.deviceId !== 'string' || record.deviceId.length === 0 || record.deviceId.length > 128) {
      throw new StorageError('LIMIT_EXCEEDED', `${where}: deviceId must be 1 to 128 characters`);
    }
    if (!Number.isSafeInteger(record.receivedAt))
      throw new StorageError('LIMIT_EXCEEDED', `${where}: receivedAt must be epoch milliseconds`);
    if (record.body.byteLength > LIMITS.maxRecordBodyBytes) {
      throw new StorageError(
        'LIMIT_EXCEEDED',
        `${where}: body is ${record.body.byteLength} bytes; the limit is ${LIMITS.maxRecordBodyBytes}`,
      );
    }
    const properties = JSON.stringify(record.properties ?? {});
    if (Buffer.byteLength(properties) > LIMITS.maxRecordPropertiesBytes) {
      throw new StorageError(
        'LIMIT_EXCEEDED',
        `${where}: properties exceed ${LIMITS.maxRecordPropertiesBytes} bytes as JSON`,
      );
    }
    const body = Buffer.isBuffer(record.body)
      ? record.body
      : Buffer.from(record.body.buffer, record.body.byteOffset, record.body.byteLength);
    return {
      kind: record.kind,
      deviceId: record.deviceId,
      moduleId: record.moduleId ?? null,
      receivedAt: record.receivedAt,
      properties,
      body,
    };
  });
}

/** Turns a stored row into the record consumers see. */
export function recordFromRow(row: IngestRow): IngestRecord {
  return {
    id: String(row.id),
    kind: row.kind,
    deviceId: row.device_id,
    moduleId: row.module_id,
    receivedAt: row.received_at,
    properties: JSON.parse(row.properties) as Record<string, string>,
    body: Buffer.from(row.body),
  };
}

/** Parses an id this log issued (a positive decimal integer); anything else is `NOT_FOUND`. */
export function parseIngestId(id: IngestId): number {
  if (!/^[1-9][0-9]{0,15}$/.test(id))
    throw new StorageError('NOT_FOUND', `"${id}" is not an id of this ingest log`);
  return Number(id);
}
