import type { SecurityEvent } from '@vigil/protocol';
import { describe, expect, it } from 'vitest';
import { buildMessage, encodedEventSize, type MessageEncoder } from './batcher.js';
import { createEventQueues, jsonEventSize } from './event-queues.js';

const encoder: MessageEncoder = (events) => new TextEncoder().encode(JSON.stringify(events));
const decode = (body: Uint8Array) => JSON.parse(new TextDecoder().decode(body)) as SecurityEvent[];

let n = 0;
function event(name: string, eventType: SecurityEvent['eventType'] = 'Security'): SecurityEvent {
  n += 1;
  return {
    kind: 'heartbeat',
    id: `e${String(n).padStart(4, '0')}`,
    name,
    eventType,
    category: 'Periodic',
    timeUtc: 0,
    format: 'json-1.0',
  };
}

function fill(names: readonly string[]) {
  const queues = createEventQueues();
  for (const name of names)
    queues.enqueue(event(name, name === 'MessageStatistics' ? 'Operational' : 'Security'));
  return queues;
}

describe('batching (reference §2.4)', () => {
  it('puts operational events first, then the preferred queue, then the other as padding', () => {
    const queues = fill(['SystemInformation', 'ListeningPorts', 'MessageStatistics', 'LocalUsers']);
    const msg = buildMessage({ queues, preferred: 'High', maxMessageSizeInBytes: 100_000, encoder, now: 5 })!;
    expect(decode(msg.body).map((e) => e.name)).toEqual([
      'MessageStatistics',
      'ListeningPorts',
      'LocalUsers',
      'SystemInformation',
    ]);
    expect(msg).toMatchObject({ priority: 'High', eventCount: 4, createdAt: 5 });
    expect(queues.totalBytes).toBe(0);
  });

  it('adds no padding when the preferred queue is empty', () => {
    const queues = fill(['SystemInformation', 'MessageStatistics']);
    const msg = buildMessage({ queues, preferred: 'High', maxMessageSizeInBytes: 100_000, encoder, now: 0 })!;
    expect(decode(msg.body).map((e) => e.name)).toEqual(['MessageStatistics']);
    expect(queues.low.length).toBe(1);
    expect(
      buildMessage({ queues: fill([]), preferred: 'Low', maxMessageSizeInBytes: 100_000, encoder, now: 0 }),
    ).toBeUndefined();
  });

  it('fills messages greedily up to the maximum size and never beyond', () => {
    const queues = fill(Array.from({ length: 200 }, () => 'SystemInformation'));
    const one = jsonEventSize(event('SystemInformation'));
    const max = 4_096;
    const sizes: number[] = [];
    const counts: number[] = [];
    for (
      let m = buildMessage({ queues, preferred: 'Low', maxMessageSizeInBytes: max, encoder, now: 0 });
      m !== undefined;
      m = buildMessage({ queues, preferred: 'Low', maxMessageSizeInBytes: max, encoder, now: 0 })
    ) {
      sizes.push(m.body.byteLength);
      counts.push(m.eventCount);
    }
    expect(counts.reduce((a, b) => a + b, 0)).toBe(200);
    expect(sizes.every((s) => s <= max)).toBe(true);
    // Greedy: every full message is within one event of the limit.
    expect(sizes.slice(0, -1).every((s) => s > max - one - 1)).toBe(true);
  });

  it('trusts the real encoding: events that overflow a non-additive encoder go back to their queue in order', () => {
    const queues = fill(['ListeningPorts', 'ListeningPorts', 'ListeningPorts', 'ListeningPorts']);
    const ids = [] as string[];
    for (let q = queues.high.shift(); q !== undefined; q = queues.high.shift()) ids.push(q.event.id);
    queues.high.restore(ids.map((id) => ({ event: { ...event('ListeningPorts'), id }, size: 100 })));
    // An encoder with 200 bytes of per-event framing the size estimates do not know about.
    const framed: MessageEncoder = (events) => new Uint8Array(events.length * 400);
    const msg = buildMessage({
      queues,
      preferred: 'High',
      maxMessageSizeInBytes: 1_000,
      encoder: framed,
      now: 0,
    })!;
    expect(msg.body.byteLength).toBeLessThanOrEqual(1_000);
    expect(msg.eventCount).toBe(2);
    expect(queues.high.length).toBe(2);
    expect(queues.high.shift()!.event.id).toBe(ids[2]);
    expect(queues.high.shift()!.event.id).toBe(ids[3]);
  });

  it('drops an event whose encoding alone exceeds the message size, counts it, and carries on', () => {
    const queues = fill(['ListeningPorts', 'ListeningPorts']);
    const first = queues.high.peek()!.event.id;
    // An encoder that blows up the first event only.
    const lopsided: MessageEncoder = (events) =>
      new Uint8Array(events.some((e) => e.id === first) ? 5_000 : 100 * events.length);
    const dropped: string[] = [];
    const msg = buildMessage({
      queues,
      preferred: 'High',
      maxMessageSizeInBytes: 1_000,
      encoder: lopsided,
      now: 0,
      onOversized: (e) => dropped.push(e.id),
    })!;
    expect(dropped).toEqual([first]);
    expect(msg.eventCount).toBe(1);
    expect(queues.high.counters.dropped).toBe(1);
  });

  it('sizes events by the encoder output without the envelope, so estimates add up to the real message', () => {
    const sizeOf = encodedEventSize(encoder);
    const events = [event('A'), event('B'), event('C')];
    const total = encoder(events).byteLength;
    // A JSON array's envelope is one byte net ("[]" once, less the comma the last event does not need).
    expect(events.reduce((n, e) => n + sizeOf(e), 0) + 1).toBe(total);
    expect(sizeOf(events[0]!)).toBe(jsonEventSize(events[0]!) + 1);
  });
});
