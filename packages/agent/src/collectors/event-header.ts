/**
 * The header every collected event carries, filled from the collection context.
 */
import type { SecurityEventCategory, SecurityEventHeader, SecurityEventType } from '@vigil/protocol';
import type { CollectorContext } from './collector.js';

/**
 * A fresh event header: new id, the context clock's time, the run's interval and the target format.
 * `name` is the catalogue name (reference/azure-security-module.md §2.2: `ListeningPorts`, `Login`…).
 */
export function eventHeader(
  context: CollectorContext,
  name: string,
  category: SecurityEventCategory,
  eventType: SecurityEventType = 'Security',
): SecurityEventHeader {
  const header: SecurityEventHeader = {
    id: context.newId(),
    name,
    eventType,
    category,
    timeUtc: context.clock.now(),
    format: context.format ?? 'json-1.0',
  };
  return context.intervalSeconds === undefined
    ? header
    : { ...header, collectionIntervalSeconds: context.intervalSeconds };
}
