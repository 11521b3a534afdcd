/**
 * The Heartbeat collector (reference/azure-security-module.md §1.3): an empty event that proves the
 * module is alive, so a silent device can be told from a quiet one.
 */
import type { Collector } from './collector.js';
import { eventHeader } from './event-header.js';

/** The collector's id in configuration. */
export const HEARTBEAT_ID = 'heartbeat';

/** Creates the heartbeat collector; it reads nothing and runs everywhere. */
export function createHeartbeatCollector(): Collector {
  return {
    id: HEARTBEAT_ID,
    platforms: ['any'],
    priority: 'Low',
    description: 'Nothing: an empty Heartbeat event every Low-priority interval.',
    collect(context) {
      const header = eventHeader(context, 'Heartbeat', 'Periodic');
      return Promise.resolve({ events: [{ ...header, kind: 'heartbeat' }], errors: [] });
    },
  };
}
