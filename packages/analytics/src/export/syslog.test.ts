import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { createServer, type AddressInfo, type Server } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createAlertExporter } from './alert-exporter.js';
import { testAlert } from './test-alert.js';
import type { AlertExportFailure } from './types.js';
import { AlertExportConfigError } from './validate-destinations.js';

const NOW = Date.UTC(2026, 10, 22, 13, 30, 15, 250);

let udp: UdpSocket | undefined;
let tcp: Server | undefined;
afterEach(async () => {
  udp?.close();
  udp = undefined;
  await new Promise((resolve) => (tcp ? tcp.close(resolve) : resolve(undefined)));
  tcp = undefined;
});

/** The RFC 5424 header fields and MSG of one message (STRUCTURED-DATA is `-` in ours). */
function parseSyslog(message: string) {
  const match = /^<(\d{1,3})>1 (\S+) (\S+) (\S+) (\S+) (\S+) (-|\[.*?\]) ([\s\S]*)$/.exec(message);
  expect(match, message).not.toBeNull();
  const [, pri, timestamp, hostname, appName, procId, msgId, sd, msg] = match!;
  return { pri: Number(pri), timestamp, hostname, appName, procId, msgId, sd, msg: msg! };
}

const unescapeCef = (text: string) =>
  text.replace(/\\(.)/g, (_m, c: string) => (c === 'n' ? '\n' : c === 'r' ? '\r' : c));

/** Splits a CEF line back into its seven header fields and its extensions, undoing the escapes. */
function parseCef(line: string) {
  const header: string[] = [];
  let rest = line;
  for (let i = 0; i < 7; i += 1) {
    const end = /(?<!\\)(?:\\\\)*\|/.exec(rest);
    expect(end, line).not.toBeNull();
    const cut = end!.index + end![0].length - 1;
    header.push(unescapeCef(rest.slice(0, cut)));
    rest = rest.slice(cut + 1);
  }
  const extensions: Record<string, string> = {};
  // A key starts after a space and runs to an unescaped `=`; its value runs to the next such key.
  const keys = [...rest.matchAll(/(?:^| )(\w+)=/g)].filter(
    (m) => !/(?<!\\)(?:\\\\)*\\$/.test(rest.slice(0, m.index)),
  );
  keys.forEach((m, i) => {
    const start = m.index + m[0].length;
    const end = keys[i + 1]?.index ?? rest.length;
    extensions[m[1]!] = unescapeCef(rest.slice(start, end));
  });
  return { header, extensions };
}

async function startUdp(): Promise<{ port: number; messages: Buffer[] }> {
  const messages: Buffer[] = [];
  udp = createSocket('udp4');
  udp.on('message', (m) => messages.push(m));
  await new Promise<void>((resolve) => udp!.bind(0, '127.0.0.1', resolve));
  return { port: udp.address().port, messages };
}

async function startTcp(): Promise<{ port: number; received: () => Buffer }> {
  const chunks: Buffer[] = [];
  tcp = createServer((socket) => socket.on('data', (c: Buffer) => chunks.push(c)));
  await new Promise<void>((resolve) => tcp!.listen(0, '127.0.0.1', resolve));
  return { port: (tcp.address() as AddressInfo).port, received: () => Buffer.concat(chunks) };
}

/** Reads octet-counted frames (RFC 6587 §3.4.1), failing on any byte that is not part of one. */
function readFrames(stream: Buffer): string[] {
  const frames: string[] = [];
  let at = 0;
  while (at < stream.length) {
    const space = stream.indexOf(0x20, at);
    const length = Number(stream.subarray(at, space).toString());
    expect(Number.isInteger(length) && length > 0).toBe(true);
    frames.push(stream.subarray(space + 1, space + 1 + length).toString());
    at = space + 1 + length;
  }
  expect(at).toBe(stream.length);
  return frames;
}

const tricky = testAlert({
  title: 'Shell | piped \\ through',
  evidence: [{ commandLine: 'export A=b\nrm -rf /' }],
});

describe('syslog export', () => {
  it('sends RFC 5424 over UDP with a CEF body whose escaping reads back exactly', async () => {
    const { port, messages } = await startUdp();
    const exporter = createAlertExporter({
      destinations: [{ kind: 'syslog', host: '127.0.0.1', port, facility: 'local4', hostname: 'vigil-01' }],
      clock: { now: () => NOW },
    });
    exporter.export(tricky, 'created');
    await exporter.close();
    await expect.poll(() => messages.length).toBe(1);

    const syslog = parseSyslog(messages[0]!.toString());
    expect(syslog).toMatchObject({
      pri: 20 * 8 + 3, // local4, high → error
      timestamp: '2026-11-22T13:30:15.250Z',
      hostname: 'vigil-01',
      appName: 'vigil',
      procId: String(process.pid),
      msgId: 'IoT_Expired_SAS_Token',
      sd: '-',
    });
    expect(syslog.msg).not.toContain('\n');
    const cef = parseCef(syslog.msg);
    expect(cef.header).toEqual([
      'CEF:0',
      'Vigil',
      'Vigil',
      '0.1.0',
      'IoT_Expired_SAS_Token',
      'Shell | piped \\ through',
      '8',
    ]);
    expect(cef.extensions).toEqual({
      rt: String(tricky.lastSeenAt),
      start: String(tricky.firstSeenAt),
      dvchost: 'cam-7',
      cnt: '3',
      externalId: '42',
      act: 'created',
      cs2Label: 'status',
      cs2: 'active',
      cs1Label: 'evidence',
      cs1: JSON.stringify(tricky.evidence),
    });
    expect(JSON.parse(cef.extensions.cs1!)).toEqual([{ commandLine: 'export A=b\nrm -rf /' }]);
  });

  it('keeps UDP messages within 2048 bytes by cutting the evidence', async () => {
    const { port, messages } = await startUdp();
    const exporter = createAlertExporter({ destinations: [{ kind: 'syslog', host: '127.0.0.1', port }] });
    const evidence = Array.from({ length: 60 }, (_, i) => ({ line: `é=${i} ${'x'.repeat(80)}` }));
    exporter.export(testAlert({ severity: 'low', evidence }), 'updated');
    await exporter.close();
    await expect.poll(() => messages.length).toBe(1);

    const raw = messages[0]!;
    expect(raw.length).toBeLessThanOrEqual(2048);
    expect(raw.length).toBeGreaterThan(1900);
    const syslog = parseSyslog(raw.toString());
    expect(syslog.pri).toBe(16 * 8 + 5); // local0 by default, low → notice
    const { extensions } = parseCef(syslog.msg);
    expect(extensions.act).toBe('updated');
    expect(extensions.cs1!.endsWith('…')).toBe(true);
    expect(JSON.stringify(evidence).startsWith(extensions.cs1!.slice(0, -1))).toBe(true);
  });

  it('frames TCP messages by octet counting; hub-wide alerts carry no dvchost; MSGID is cut to 32', async () => {
    const { port, received } = await startTcp();
    const exporter = createAlertExporter({
      destinations: [{ kind: 'syslog', host: '127.0.0.1', port, transport: 'tcp', facility: 10 }],
    });
    exporter.export(tricky, 'created');
    exporter.export(
      testAlert({
        id: 43,
        typeId: 'IoT_CertificateSuccessfullyAddedToHub',
        deviceId: '',
        severity: 'medium',
      }),
      'created',
    );
    await exporter.close();
    await expect.poll(() => readFrames(received()).length).toBe(2);

    const [first, second] = readFrames(received()).map(parseSyslog);
    expect(parseCef(first!.msg).header[5]).toBe('Shell | piped \\ through');
    expect(second).toMatchObject({ pri: 10 * 8 + 4, msgId: 'IoT_CertificateSuccessfullyAdded' });
    const cef = parseCef(second!.msg);
    expect(cef.header[4]).toBe('IoT_CertificateSuccessfullyAddedToHub');
    expect(cef.header[6]).toBe('5');
    expect(cef.extensions).not.toHaveProperty('dvchost');
    expect(exporter.stats()[0]).toMatchObject({
      destination: `syslog tcp://127.0.0.1:${port}`,
      delivered: 2,
    });
  });

  it('retries a refused TCP collector, then gives up and reports it', async () => {
    const { port } = await startTcp();
    await new Promise((resolve) => tcp!.close(resolve));
    tcp = undefined;
    const failures: AlertExportFailure[] = [];
    const exporter = createAlertExporter({
      destinations: [
        {
          kind: 'syslog',
          host: '127.0.0.1',
          port,
          transport: 'tcp',
          retry: { maxAttempts: 3, baseDelayMs: 5 },
        },
      ],
      onError: (f) => failures.push(f),
    });
    exporter.export(tricky, 'created');
    await exporter.close();
    expect(failures).toHaveLength(1);
    expect(failures[0]).toMatchObject({ reason: 'gave-up', attempts: 3 });
    expect(failures[0]!.detail).toMatch(/ECONNREFUSED/);
  });

  it('refuses a misconfigured destination at start, listing every problem with its path', () => {
    let error: unknown;
    try {
      createAlertExporter({
        destinations: [
          { kind: 'webhook', url: 'ftp://siem/hook', secret: '' },
          { kind: 'syslog', host: '127.0.0.1', port: 70_000, facility: 'local9', appName: 'vigil app' },
        ],
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(AlertExportConfigError);
    expect((error as AlertExportConfigError).violations.map((v) => v.path)).toEqual([
      'destinations[0].url',
      'destinations[0].secret',
      'destinations[1].port',
      'destinations[1].facility',
      'destinations[1].appName',
    ]);
  });
});
