import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectDevice } from '../testing/connect-device.js';
import { startApiTestServer, type ApiTestServer } from './api-test-server.js';

let api: ApiTestServer;
let startedAt = 0;

beforeAll(async () => {
  api = await startApiTestServer();
  startedAt = Math.floor(Date.now() / 1000);
  const connection = (await api.run(['device', 'add', 'op-1'])).out.split('\n')[2]!.trim();
  await api.run(['device', 'update', 'op-1', '--status', 'disabled', '--status-reason', 'audit']);
  // A refused connection: the disabled device still tries.
  await connectDevice(api.server.hub.addresses.mqtt!.port, connection).then(
    (client) => client.endAsync(),
    () => undefined,
  );
  await api.run(['device', 'add', 'op-2']);
  // The gateway records connection operations in background batches; the log is read after them.
  await api.server.hub.operations.flush();
});
afterAll(async () => {
  await api?.close();
});

describe('vigil operations', () => {
  it("lists a device's operations newest first, as a table and as JSON", async () => {
    const table = await api.run(['operations', '--device', 'op-1']);
    expect(table.code).toBe(0);
    const lines = table.out.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^ID\s+TIME\s+OPERATION\s+OUTCOME\s+DEVICE\s+SOURCE\s+DETAILS$/);
    expect(lines.slice(1).map((line) => line.split(/\s+/)[2])).toEqual([
      'authenticationFailed',
      'identityUpdated',
      'identityCreated',
    ]);
    expect(lines[1]).toMatch(/authenticationFailed\s+failure\s+op-1\s+\S+\s+identityDisabled/);
    expect(lines[2]).toMatch(/identityUpdated\s+success\s+op-1\s+127\.0\.0\.1\s+\{"status":"disabled"/);
    const failures = JSON.parse((await api.run(['operations', '--outcome', 'failure', '--json'])).out);
    expect(failures.items).toEqual([
      expect.objectContaining({ operation: 'authenticationFailed', deviceId: 'op-1', outcome: 'failure' }),
    ]);
    expect(failures.next).toBeNull();
  });

  it('filters by kind and time (an age counts back from now) and pages with --before', async () => {
    const created = JSON.parse((await api.run(['operations', '--kind', 'identityCreated', '--json'])).out);
    expect(created.items.map((item: { deviceId: string }) => item.deviceId)).toEqual(['op-2', 'op-1']);
    const first = await api.run(['operations', '--kind', 'identityCreated', '--limit', '1']);
    const more = /\nmore: --before (\d+)\n$/.exec(first.out);
    expect(more).not.toBeNull();
    const next = await api.run(['operations', '--kind', 'identityCreated', '--before', more![1]!, '--json']);
    expect(JSON.parse(next.out).items.map((item: { deviceId: string }) => item.deviceId)).toEqual(['op-1']);

    const recent = await api.run(['operations', '--kind', 'identityCreated', '--since', '10m', '--json'], {
      nowSeconds: startedAt,
    });
    expect(JSON.parse(recent.out).items).toHaveLength(2);
    const later = await api.run(['operations', '--kind', 'identityCreated', '--since', '10m'], {
      nowSeconds: startedAt + 3600,
    });
    expect(later.out).toBe('no operations match\n');
    const until = await api.run([
      'operations',
      '--device',
      'op-1',
      '--until',
      new Date((startedAt - 60) * 1000).toISOString(),
    ]);
    expect(until.out).toBe('no operations match\n');
  });

  it('refuses an unknown kind (listing the kinds), a malformed time and a bad outcome', async () => {
    const kind = await api.run(['operations', '--kind', 'teleported']);
    expect(kind.code).toBe(1);
    expect(kind.err).toContain('refused: VALIDATION_FAILED (HTTP 400)');
    expect(kind.err).toMatch(/query\.operation: must be one of .*identityCreated/);
    const time = await api.run(['operations', '--since', 'yesterday']);
    expect(time.code).toBe(2);
    expect(time.err).toContain(
      '--since must be an age such as 15m, 2h or 7d, an ISO-8601 time or epoch milliseconds (got yesterday)',
    );
    const outcome = await api.run(['operations', '--outcome', 'maybe']);
    expect(outcome.err).toContain('--outcome must be success, failure (got maybe)');
    const limit = await api.run(['operations', '--limit', '5000']);
    expect(limit.err).toContain('--limit must be a whole number from 1 to 1000 (got 5000)');
  });
});
