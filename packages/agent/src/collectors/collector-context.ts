/**
 * Building a `CollectorContext` with sensible defaults (wall clock, random GUIDs, a signal that never
 * aborts), for the scheduler and for tests.
 */
import { randomUUID } from 'node:crypto';
import type { CollectorContext } from './collector.js';
import type { SystemAccess } from './system-access.js';

/** Options for {@link createCollectorContext}: only `system` is required. */
export interface CollectorContextOptions extends Partial<Omit<CollectorContext, 'system'>> {
  readonly system: SystemAccess;
}

/** A context with defaults filled in. */
export function createCollectorContext(options: CollectorContextOptions): CollectorContext {
  return {
    clock: { now: () => Date.now() },
    signal: new AbortController().signal,
    newId: () => randomUUID(),
    ...options,
  };
}
