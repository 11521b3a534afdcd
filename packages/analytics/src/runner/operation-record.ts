import type { IngestRecord, JsonObject, NewOperation } from '@vigil/storage';

/**
 * Reads an operations-log entry from an ingest record (kind `operation`, a JSON body shaped like the
 * hub's `HubOperation`). Undefined when the body is not one, so a damaged record is skipped, not fatal.
 */
export function readOperationRecord(record: IngestRecord): NewOperation | undefined {
  let value: unknown;
  try {
    value = JSON.parse(record.body.toString('utf8'));
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const entry = value as Record<string, unknown>;
  if (typeof entry.operation !== 'string' || (entry.outcome !== 'success' && entry.outcome !== 'failure'))
    return undefined;
  const text = (field: unknown): string | null => (typeof field === 'string' ? field : null);
  const details = entry.details;
  return {
    sourceId: record.id,
    operation: entry.operation,
    at: typeof entry.at === 'number' && Number.isFinite(entry.at) ? entry.at : record.receivedAt,
    outcome: entry.outcome,
    // The body is authoritative: the record's device id is only where the hub filed it.
    deviceId: text(entry.deviceId),
    moduleId: text(entry.moduleId),
    sourceAddress: text(entry.sourceAddress),
    reason: text(entry.reason),
    details:
      typeof details === 'object' && details !== null && !Array.isArray(details)
        ? (details as JsonObject)
        : {},
  };
}
