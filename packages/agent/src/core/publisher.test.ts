import type { SecurityEvent } from '@vigil/protocol';
import { describe, expect, it } from 'vitest';
import type { MessageEncoder } from './batcher.js';
import { createEventQueues } from './event-queues.js';
import { createFakeClock } from './fake-clock.js';
import { createPublisher } from './publisher.js';

const encoder: MessageEncoder = (events) => new TextEncoder().encode(JSON.stringify(events));
let n = 0;
const event = (name: string): SecurityEvent => ({
  kind: 'heartbeat',
  id: `e${(n += 1)}`,
  name,
  eventType: 'Security',
  category: 'Periodic',
  timeUtc: 0,
  format: 'json-1.0',
});

function setup(maxMessageSizeInBytes = 204_800) {
  const clock = createFakeClock();
  const queues = createEventQueues();
  const settings = {
    highPriorityMessageFrequencyMs: 420_000,
    lowPriorityMessageFrequencyMs: 18_000_000,
    maxMessageSizeInBytes,
  };
  const publisher = createPublisher({ clock, queues, encoder, settings: () => settings });
  return { clock, queues, publisher, settings };
}

describe('publisher (reference §2.4)', () => {
  it('sends High every highPriorityMessageFrequency (PT7M) and Low every lowPriorityMessageFrequency (PT5H)', async () => {
    const { clock, queues, publisher } = setup();
    queues.enqueue(event('ListeningPorts'));
    queues.enqueue(event('SystemInformation'));
    await clock.advance(419_000);
    expect(publisher.due()).toEqual([]);
    await clock.advance(1_000);
    const high = publisher.due();
    // The High message takes the Low event as padding.
    expect(high.map((m) => [m.priority, m.eventCount])).toEqual([['High', 2]]);
    queues.enqueue(event('SystemInformation'));
    await clock.advance(18_000_000 - 420_000 - 1_000);
    expect(publisher.due().filter((m) => m.priority === 'Low')).toEqual([]);
    await clock.advance(1_000);
    expect(publisher.due().map((m) => m.priority)).toEqual(['Low']);
  });

  it('sends early when a whole message worth of events is waiting', () => {
    const { queues, publisher } = setup(8_192);
    for (let i = 0; i < 100; i += 1) queues.enqueue(event('SystemInformation'));
    const messages = publisher.due();
    expect(messages.length).toBeGreaterThan(1);
    expect(messages.every((m) => m.body.byteLength <= 8_192)).toBe(true);
    expect(queues.totalBytes).toBe(0);
  });

  it('picks up a changed frequency at the next check', async () => {
    const { clock, queues, publisher, settings } = setup();
    queues.enqueue(event('ListeningPorts'));
    settings.highPriorityMessageFrequencyMs = 10_000;
    await clock.advance(10_000);
    expect(publisher.due()).toHaveLength(1);
  });
});
