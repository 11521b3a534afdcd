import { describe, expect, it } from 'vitest';
import { encodeRtosMessage } from '@vigil/protocol';
import { runCli } from '../run-cli.js';
import { captureIo } from '../testing/capture-io.js';

const message = {
  AgentVersion: '1.0.0',
  AgentId: '9c647395-b913-4997-a732-a7fe7303b649',
  MessageSchemaVersion: '1.0',
  Events: [
    {
      Id: '00001234-5678-0000-4000-800000000001',
      TimestampLocal: '2026-11-22T12:00:00Z',
      TimestampUTC: '2026-11-22T12:00:00Z',
      Category: 'Triggered',
      Name: 'ProcessCreate',
      EventType: 'Security',
      IsEmpty: false,
      PayloadSchemaVersion: '1.0',
      Payload: [
        {
          Executable: '/tmp/.x/xmrig',
          ProcessId: 42,
          ParentProcessId: 1,
          UserId: '1000',
          CommandLine: '/tmp/.x/xmrig -o stratum+tcp://pool:3333',
        },
      ],
    },
  ],
};
const encode = (value: unknown) => new TextEncoder().encode(JSON.stringify(value));

describe('vigil check', () => {
  it('prints the events of a valid JSON 1.0 message and exits 0', async () => {
    const io = captureIo({ files: { 'ok.json': encode(message) } });
    expect(await runCli(['check', 'ok.json'], io)).toBe(0);
    expect(io.out()).toContain(
      'format json-1.0 · agent 9c647395-b913-4997-a732-a7fe7303b649 v1.0.0 · 1 event(s)',
    );
    expect(io.out()).toContain('ProcessCreate');
    expect(io.out()).toContain('/tmp/.x/xmrig -o stratum+tcp://pool:3333');
  });

  it('lists every violation with its path and exits 1; --json gives the same as data', async () => {
    const broken = {
      ...message,
      AgentId: 'short',
      Events: [{ ...message.Events[0], Category: 'Sometimes', Payload: [{}] }],
    };
    const io = captureIo({ files: { 'bad.json': encode(broken) } });
    expect(await runCli(['check', 'bad.json'], io)).toBe(1);
    expect(io.out()).toMatch(/^refused: INVALID_SECURITY_MESSAGE/);
    expect(io.out()).toContain('/AgentId');
    expect(io.out()).toContain('/Events/0/Category');
    const json = captureIo({ files: { 'bad.json': encode(broken) } });
    expect(await runCli(['check', 'bad.json', '--json'], json)).toBe(1);
    const parsed = JSON.parse(json.out()) as { ok: boolean; error: { code: string; violations: unknown[] } };
    expect(parsed.ok).toBe(false);
    expect(parsed.error.violations.length).toBeGreaterThanOrEqual(3);
  });

  it('reads an RTOS FlatBuffers message with --mti', async () => {
    const body = encodeRtosMessage({
      securityModuleId: 'defender-iot-micro-agent',
      securityModuleVersion: 50_659_332,
      timezone: 0,
      events: [],
    });
    const io = captureIo({ files: { 'rtos.bin': body } });
    expect(await runCli(['check', 'rtos.bin', '--mti', '2.3-1-0-0'], io)).toBe(0);
    expect(io.out()).toContain(
      'format flatbuffers-2.3 · agent defender-iot-micro-agent v50659332 · 0 event(s)',
    );
    // The same bytes without --mti are read as JSON and refused.
    const plain = captureIo({ files: { 'rtos.bin': body } });
    expect(await runCli(['check', 'rtos.bin'], plain)).toBe(1);
  });

  it('names a missing file without a stack trace', async () => {
    const io = captureIo();
    expect(await runCli(['check', 'nope.json'], io)).toBe(2);
    expect(io.err()).toContain("ENOENT: no such file, open 'nope.json'");
  });
});
