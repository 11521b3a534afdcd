/**
 * Cost of validating a JSON 1.0 security message against the cost of parsing it. A realistic
 * ~8 KiB message (ConnectionCreate items in the C agent's shape and ListeningPorts items, ~50 network
 * payload items) is parsed
 * with `JSON.parse` alone, then parsed and checked with `validateSecurityMessage`. The peer is
 * `JSON.parse` measured in the same run; the goal is validation costing no more than parsing (≤ 1×).
 */
import { decodeJsonSecurityMessage, validateSecurityMessage } from '@vigil/protocol';

const SECONDS = Number(process.env.VIGIL_BENCH_SECONDS ?? 2);

function connection(i: number): Record<string, unknown> {
  return {
    RemoteAddress:
      i % 4 === 0
        ? `2001:db8:${i.toString(16)}::${(i * 7).toString(16)}`
        : `52.${i % 250}.${(i * 13) % 250}.${(i * 7) % 250}`,
    RemotePort: String(443 + (i % 3) * 1000),
    Direction: i % 5 === 0 ? 'In' : 'Out',
    Protocol: 'tcp',
    ProcessId: 1_000 + i,
    Executable: '/usr/bin/python3',
  };
}

function event(n: number, name: string, category: string, payload: unknown[]): Record<string, unknown> {
  return {
    Id: `0c1d2e3f-4a5b-4c6d-8e7f-${n.toString(16).padStart(12, '0')}`,
    TimestampLocal: '2024-03-05T10:15:30.123+01:00',
    TimestampUTC: '2024-03-05T09:15:30.123Z',
    Category: category,
    Name: name,
    EventType: 'Security',
    IsEmpty: false,
    PayloadSchemaVersion: '1.0',
    Payload: payload,
  };
}

const events: Record<string, unknown>[] = [];
let items = 0;
for (let n = 0; JSON.stringify({ events }).length < 8_000; n += 1) {
  if (n % 3 === 2) {
    const ports = Array.from({ length: 6 }, (_, k) => ({
      LocalPort: String(20 + k),
      Protocol: k % 2 ? 'udp' : 'tcp',
      LocalAddress: '0.0.0.0',
      RemoteAddress: '0.0.0.0',
      RemotePort: '*',
      ExtraDetails: { Pid: String(300 + k) },
    }));
    events.push(event(n, 'ListeningPorts', 'Periodic', ports));
    items += ports.length;
  } else {
    const flows = Array.from({ length: 8 }, (_, k) => connection(n * 8 + k));
    events.push(event(n, 'ConnectionCreate', 'Triggered', flows));
    items += flows.length;
  }
}
const text = JSON.stringify({
  AgentVersion: '1.2.0',
  AgentId: '9c647395-b913-4997-a732-a7fe7303b649',
  MessageSchemaVersion: '1.0',
  Events: events,
});
const bytes = Buffer.byteLength(text);
if (!validateSecurityMessage(JSON.parse(text), { strict: true }).valid)
  throw new Error('bench message is invalid');

/** Runs `body` repeatedly for SECONDS and returns nanoseconds per call (best of three rounds). */
function timePerCall(body: () => unknown): number {
  let best = Infinity;
  for (let round = 0; round < 3; round += 1) {
    let calls = 0;
    const start = process.hrtime.bigint();
    const deadline = start + BigInt(Math.round((SECONDS / 3) * 1e9));
    let now = start;
    while (now < deadline) {
      for (let i = 0; i < 100; i += 1) body();
      calls += 100;
      now = process.hrtime.bigint();
    }
    best = Math.min(best, Number(now - start) / calls);
  }
  return best;
}

let sink = 0;
timePerCall(() => validateSecurityMessage(JSON.parse(text)));
const parseNs = timePerCall(() => (sink += (JSON.parse(text) as { Events: unknown[] }).Events.length));
const both = timePerCall(() => (sink += validateSecurityMessage(JSON.parse(text)).errors.length));
const parsed: unknown = JSON.parse(text);
const validateNs = timePerCall(() => (sink += validateSecurityMessage(parsed).errors.length));
const decodeNs = timePerCall(() => (sink += decodeJsonSecurityMessage(parsed).events.length));

const row = (label: string, ns: number): string =>
  `| ${label} | ${Math.round(1e9 / ns).toLocaleString('en')} | ${((bytes / ns) * 1e3).toFixed(0)} | ${(ns / 1e3).toFixed(1)} |\n`;
process.stdout.write(`message: ${bytes} bytes, ${events.length} events, ${items} payload items\n\n`);
process.stdout.write('| step | messages/s | MB/s | µs/message |\n|---|---|---|---|\n');
process.stdout.write(row('JSON.parse (peer)', parseNs));
process.stdout.write(row('JSON.parse + validateSecurityMessage', both));
process.stdout.write(row('validateSecurityMessage alone (parsed once)', validateNs));
process.stdout.write(row('decodeJsonSecurityMessage alone (validate + map)', decodeNs));
process.stdout.write(
  `\nvalidation time / parse time: ${((both - parseNs) / parseNs).toFixed(2)}× (from the pair), ${(validateNs / parseNs).toFixed(2)}× (validate alone); goal ≤ 1×\n`,
);
if (sink === -1) process.stdout.write('unreachable\n');
