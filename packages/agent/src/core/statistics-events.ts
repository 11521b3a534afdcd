/**
 * The agent's operational self-reports (reference/azure-security-module.md §2.2):
 * DroppedEventsStatistics (per queue: collected and dropped) and MessageStatistics (sent, sent under
 * 4 KB, failed), both Operational / Periodic.
 */
import type { SecurityEvent, WireFormat } from '@vigil/protocol';
import type { MessageCounters } from './delivery.js';
import type { QueueCounters } from './event-queue.js';

/** What the statistics events are built from. */
export interface StatisticsInput {
  readonly high: QueueCounters;
  readonly low: QueueCounters;
  readonly messages: MessageCounters;
  readonly now: number;
  readonly newId: () => string;
  readonly format: WireFormat;
}

/** One DroppedEventsStatistics and one MessageStatistics event. */
export function statisticsEvents(input: StatisticsInput): SecurityEvent[] {
  const header = (name: string) => ({
    id: input.newId(),
    name,
    eventType: 'Operational' as const,
    category: 'Periodic' as const,
    timeUtc: input.now,
    format: input.format,
  });
  return [
    {
      ...header('DroppedEventsStatistics'),
      kind: 'dropped-events',
      queues: [
        { queue: 'high', collectedEvents: input.high.collected, droppedEvents: input.high.dropped },
        { queue: 'low', collectedEvents: input.low.collected, droppedEvents: input.low.dropped },
      ],
    },
    {
      ...header('MessageStatistics'),
      kind: 'message-statistics',
      statistics: [{ ...input.messages }],
    },
  ];
}
