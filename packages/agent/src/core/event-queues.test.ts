import type { SecurityEvent } from '@vigil/protocol';
import { describe, expect, it } from 'vitest';
import { createEventQueue } from './event-queue.js';
import { createEventQueues, jsonEventSize } from './event-queues.js';

let n = 0;
function event(name: string, padding = 0, eventType: SecurityEvent['eventType'] = 'Security'): SecurityEvent {
  n += 1;
  return {
    kind: 'heartbeat',
    id: `e${n}`,
    name,
    eventType,
    category: 'Periodic',
    timeUtc: 0,
    format: 'json-1.0',
    timeLocalText: 'x'.repeat(padding),
  };
}

describe('byte-capped event queue', () => {
  it('evicts the oldest events when a new one does not fit, and counts them', () => {
    const q = createEventQueue('Low', 300);
    for (let i = 0; i < 4; i += 1) q.push({ event: event(`E${i}`), size: 100 });
    expect(q.length).toBe(3);
    expect(q.bytes).toBe(300);
    expect(q.peek()!.event.name).toBe('E1');
    expect(q.takeCounters()).toEqual({ collected: 4, dropped: 1 });
    expect(q.counters).toEqual({ collected: 0, dropped: 0 });
  });

  it('drops an event larger than the whole cap without evicting anything', () => {
    const q = createEventQueue('High', 300);
    q.push({ event: event('keep'), size: 200 });
    expect(q.push({ event: event('huge'), size: 301 })).toBe(false);
    expect(q.length).toBe(1);
    expect(q.counters.dropped).toBe(1);
  });

  it('evicts several small old events to fit one big new one', () => {
    const q = createEventQueue('Low', 100);
    for (let i = 0; i < 10; i += 1) q.push({ event: event(`s${i}`), size: 10 });
    q.push({ event: event('big'), size: 75 });
    expect(q.length).toBe(3);
    expect(q.bytes).toBe(95);
    expect(q.counters.dropped).toBe(8);
  });

  it('shrinking the cap evicts the oldest; restore puts events back at the front', () => {
    const q = createEventQueue('Low', 1_000);
    for (let i = 0; i < 5; i += 1) q.push({ event: event(`E${i}`), size: 100 });
    q.setMaxBytes(250);
    expect(q.length).toBe(2);
    const a = q.shift()!;
    q.restore([a]);
    expect(q.peek()!.event.name).toBe('E3');
    expect(q.bytes).toBe(200);
  });

  it('stays correct across many shifts (compaction)', () => {
    const q = createEventQueue('Low', 1_000_000);
    for (let i = 0; i < 1_000; i += 1) q.push({ event: event(`E${i}`), size: 1 });
    for (let i = 0; i < 700; i += 1) q.shift();
    expect(q.length).toBe(300);
    expect(q.peek()!.event.name).toBe('E700');
    expect(q.bytes).toBe(300);
  });
});

describe('event queues and priorities (reference §2.4, §2.5)', () => {
  it('routes by the default twin priorities: ListeningPorts High, SystemInformation Low, operational events apart', () => {
    const queues = createEventQueues();
    expect(queues.enqueue(event('ListeningPorts'))).toBe('High');
    expect(queues.enqueue(event('SystemInformation'))).toBe('Low');
    expect(queues.enqueue(event('DroppedEventsStatistics', 0, 'Operational'))).toBe('Operational');
    expect(queues.enqueue(event('SomethingNew'))).toBe('Low');
  });

  it('never queues an event whose priority is Off', () => {
    const queues = createEventQueues({ priorities: { Heartbeat: 'Off' } });
    expect(queues.enqueue(event('Heartbeat'))).toBe('off');
    expect(queues.totalBytes).toBe(0);
  });

  it('splits the local cache: High and Low half each, Operational a tenth', () => {
    const queues = createEventQueues({ maxLocalCacheSizeInBytes: 10_000 });
    expect([queues.high.maxBytes, queues.low.maxBytes, queues.operational.maxBytes]).toEqual([
      5_000, 5_000, 1_000,
    ]);
    queues.configure({ maxLocalCacheSizeInBytes: 2_000 });
    expect(queues.high.maxBytes).toBe(1_000);
  });

  it('caps in serialised bytes: a queue of 1,000 bytes holds as many events as their JSON fits', () => {
    const queues = createEventQueues({ maxLocalCacheSizeInBytes: 2_000 });
    const sample = event('LocalUsers', 100);
    const size = jsonEventSize(sample);
    for (let i = 0; i < 20; i += 1) queues.enqueue(event('LocalUsers', 100));
    expect(queues.high.length).toBe(Math.floor(1_000 / size));
    expect(queues.high.bytes).toBeLessThanOrEqual(1_000);
    expect(queues.high.counters.dropped).toBe(20 - queues.high.length);
  });

  it('drops an event larger than the maximum message size on arrival', () => {
    const queues = createEventQueues({ maxMessageSizeInBytes: 500 });
    expect(queues.enqueue(event('LocalUsers', 600))).toBe('dropped');
    expect(queues.high.counters).toEqual({ collected: 1, dropped: 1 });
  });
});
