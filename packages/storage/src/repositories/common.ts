import { randomUUID } from 'node:crypto';
import { StorageError } from '../errors/index.js';
import type { SecretBox } from '../secrets/index.js';
import type { SqlSession } from '../sql/index.js';
import type { Severity, SeverityTally } from '../ports/index.js';

/** What every shared repository is built from. */
export interface RepositoryContext {
  readonly db: SqlSession;
  readonly secrets: SecretBox;
}

/** A row of a `GROUP BY device_id, severity` count (PostgreSQL answers COUNT as text). */
export interface TallyRow {
  device_id: string;
  severity: Severity;
  n: number | string;
}

/** A tally row as the ports describe it. */
export function fromTallyRow(row: TallyRow): SeverityTally {
  return { deviceId: row.device_id, severity: row.severity, count: Number(row.n) };
}

/** The `OFFSET` of a paged list, clamped to what a list may skip (deep pages cost a scan). */
export function readOffset(offset: number | undefined): number {
  return Math.max(0, Math.min(Math.trunc(offset ?? 0), MAX_LIST_OFFSET));
}

/** The deepest `offset` a paged list honours. */
export const MAX_LIST_OFFSET = 100_000;

/** A fresh etag. */
export function newEtag(): string {
  return randomUUID();
}

/** Throws `PRECONDITION_FAILED` unless `ifMatch` is absent, `*`, or the stored etag. */
export function checkEtag(what: string, stored: string, ifMatch: string | undefined): void {
  if (ifMatch !== undefined && ifMatch !== '*' && ifMatch !== stored) {
    throw new StorageError(
      'PRECONDITION_FAILED',
      `${what}: etag ${ifMatch} does not match the stored etag ${stored}`,
    );
  }
}

/** Throws `NOT_FOUND` when `value` is undefined. */
export function found<T>(what: string, value: T | undefined): T {
  if (value === undefined) throw new StorageError('NOT_FOUND', `${what} does not exist`);
  return value;
}

/** The module column's value for a key: devices use `''` so the pair can be a primary key. */
export function moduleColumn(moduleId: string | null): string {
  return moduleId ?? '';
}

/** The inverse of {@link moduleColumn}. */
export function moduleFromColumn(value: string): string | null {
  return value === '' ? null : value;
}

/** Checks an identifier-like string (device id, name): non-empty and bounded. */
export function checkName(what: string, value: string, max = 128): void {
  if (typeof value !== 'string' || value.length === 0 || value.length > max) {
    throw new StorageError('LIMIT_EXCEEDED', `${what} must be 1 to ${max} characters`);
  }
}
