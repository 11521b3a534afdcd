import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../run-cli.js';
import { captureIo } from '../testing/capture-io.js';
import { startApiTestServer, type ApiTestServer } from './api-test-server.js';

let api: ApiTestServer;
const ids: Record<string, number> = {};

beforeAll(async () => {
  api = await startApiTestServer();
  const { store } = api.server;
  const at = Date.UTC(2026, 10, 22, 12);
  for (const [typeId, deviceId, severity, offset] of [
    ['Vigil_CryptoMiner', 'hmi-1', 'medium', 3000],
    ['Vigil_ReverseShell', 'router-1', 'high', 2000],
    ['Vigil_SuspiciousIp', 'hmi-1', 'low', 1000],
  ] as const) {
    const { alert } = await store.alerts.raise({
      typeId,
      deviceId,
      key: typeId,
      occurrenceId: `${typeId}-1`,
      severity,
      title: `${typeId} seen`,
      at: at - offset,
      evidence: { process: '/tmp/xmrig' },
      remediation: ['Reimage the device'],
    });
    ids[typeId] = alert.id;
  }
  await store.recommendations.raise({
    typeId: 'Vigil_PermissiveFirewall',
    deviceId: 'plc-7',
    key: 'INPUT',
    severity: 'medium',
    details: { chain: 'INPUT' },
    at,
  });
});
afterAll(async () => {
  await api?.close();
});

describe('vigil alerts', () => {
  it('lists active alerts as a table, filtered and sorted, with the page position', async () => {
    const result = await api.run(['alerts', '--status', 'active', '--sort', 'severity']);
    expect(result.code).toBe(0);
    const lines = result.out.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^ID\s+SEVERITY\s+STATUS\s+DEVICE\s+TYPE\s+LAST SEEN\s+COUNT\s+TITLE$/);
    expect(lines.slice(1, 4).map((line) => line.split(/\s+/)[4])).toEqual([
      'Vigil_ReverseShell',
      'Vigil_CryptoMiner',
      'Vigil_SuspiciousIp',
    ]);
    expect(lines.at(-1)).toBe('1–3 of 3');
    const onePage = await api.run(['alerts', '--device', 'hmi-1', '--limit', '1']);
    expect(onePage.out).toContain('1–1 of 2 (next page: --offset 1)');
  });

  it('prints the page as JSON with --json', async () => {
    const result = await api.run(['alerts', '--severity', 'high', '--json']);
    expect(result.code).toBe(0);
    const page = JSON.parse(result.out);
    expect(page).toMatchObject({ total: 1, limit: 50, offset: 0 });
    expect(page.items[0]).toMatchObject({ typeId: 'Vigil_ReverseShell', deviceId: 'router-1' });
  });

  it("reports the API's code and every violation, exit 1", async () => {
    const result = await api.run(['alerts', '--status', 'open', '--sort', 'random']);
    expect(result.code).toBe(1);
    expect(result.err).toContain('refused: VALIDATION_FAILED (HTTP 400)');
    expect(result.err).toMatch(/query\.status: must be one of active, dismissed, resolved/);
    expect(result.err).toMatch(/query\.sort: must be one of lastSeen/);
    expect(result.out).toBe('');
  });

  it('shows one alert with remediation, evidence and history', async () => {
    const result = await api.run(['alerts', 'show', String(ids.Vigil_CryptoMiner)]);
    expect(result.code).toBe(0);
    expect(result.out).toContain(`alert ${ids.Vigil_CryptoMiner}: Vigil_CryptoMiner seen`);
    expect(result.out).toContain('- Reimage the device');
    expect(result.out).toContain('{"process":"/tmp/xmrig"}');
    expect(result.out).toMatch(/history\n\s+\S+\s+raised/);
    const missing = await api.run(['alerts', 'show', '99999']);
    expect(missing.code).toBe(1);
    expect(missing.err).toContain('refused: NOT_FOUND (HTTP 404): no alert 99999');
    const bad = await api.run(['alerts', 'show', 'abc']);
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('the alert id must be a whole number');
  });

  it('dismisses with a note (admin), refuses a viewer, and a second dismissal conflicts', async () => {
    const id = String(ids.Vigil_SuspiciousIp);
    const viewer = await api.run(['alerts', 'dismiss', id], { token: api.viewerToken });
    expect(viewer.code).toBe(1);
    expect(viewer.err).toContain('refused: FORBIDDEN (HTTP 403)');
    expect(viewer.err).toContain('(this needs an admin token)');
    const dismissed = await api.run(['alerts', 'dismiss', id, '--note', 'pen test']);
    expect(dismissed).toMatchObject({ code: 0, out: `alert ${id} is now dismissed\n` });
    const history = JSON.parse((await api.run(['alerts', 'show', id, '--json'])).out).history;
    expect(history.at(-1)).toMatchObject({ action: 'dismissed', actor: 'admin', note: 'pen test' });
    const again = await api.run(['alerts', 'resolve', id]);
    expect(again.code).toBe(1);
    expect(again.err).toContain('refused: CONFLICT (HTTP 409)');
  });

  it('resolves and prints the alert as JSON', async () => {
    const id = ids.Vigil_ReverseShell!;
    const result = await api.run(['alerts', 'resolve', String(id), '--json']);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.out)).toMatchObject({ id, status: 'resolved' });
  });
});

describe('vigil recommendations', () => {
  it('lists as a table and as JSON; an unknown state is refused with its allowed values', async () => {
    const table = await api.run(['recommendations', '--state', 'raised']);
    expect(table.code).toBe(0);
    expect(table.out).toMatch(/^ID\s+SEVERITY\s+STATE\s+DEVICE\s+TYPE\s+RAISED\n/);
    expect(table.out).toMatch(
      /\n\d+\s+medium\s+raised\s+plc-7\s+Vigil_PermissiveFirewall\s+2026-11-22T12:00:00Z\n/,
    );
    expect(table.out).toMatch(/\n1–\d+ of \d+\n$/);
    const json = JSON.parse((await api.run(['recommendations', '--device', 'plc-7', '--json'])).out);
    expect(json).toMatchObject({ total: 1, limit: 100, offset: 0 });
    expect(json.items).toHaveLength(1);
    // A second one on the same device: pages of one, ordered by severity, say where the next starts.
    await api.server.store.recommendations.raise({
      typeId: 'Vigil_OpenPorts',
      deviceId: 'plc-7',
      key: '23',
      severity: 'high',
      at: Date.UTC(2026, 10, 22, 11),
    });
    const first = await api.run([
      'recommendations',
      '--device',
      'plc-7',
      '--sort',
      'severity',
      '--limit',
      '1',
    ]);
    expect(first.out).toMatch(
      /\n\d+\s+high\s+raised\s+plc-7\s+Vigil_OpenPorts\s+.*\n1–1 of 2 \(next page: --offset 1\)\n$/,
    );
    const second = await api.run([
      'recommendations',
      '--device',
      'plc-7',
      '--sort',
      'severity',
      '--limit',
      '1',
      '--offset',
      '1',
    ]);
    expect(second.out).toMatch(
      /\n\d+\s+medium\s+raised\s+plc-7\s+Vigil_PermissiveFirewall\s+.*\n2–2 of 2\n$/,
    );
    const past = await api.run(['recommendations', '--device', 'plc-7', '--offset', '2']);
    expect(past.out).toBe('no recommendations on this page (2 match)\n');
    const none = await api.run(['recommendations', '--device', 'nobody']);
    expect(none.out).toBe('no recommendations match\n');
    const bad = await api.run(['recommendations', '--state', 'open']);
    expect(bad.code).toBe(1);
    expect(bad.err).toContain('query.state: must be one of raised, resolved');
  });
});

describe('API access', () => {
  it('without a token: a usage error naming --token and VIGIL_TOKEN (exit 2)', async () => {
    const previous = process.env.VIGIL_TOKEN;
    delete process.env.VIGIL_TOKEN;
    try {
      const result = await api.run(['alerts'], { token: null });
      expect(result.code).toBe(2);
      expect(result.err).toContain('no API token: pass --token <token> or set VIGIL_TOKEN');
    } finally {
      if (previous !== undefined) process.env.VIGIL_TOKEN = previous;
    }
  });

  it('reads VIGIL_URL and VIGIL_TOKEN; a wrong token is UNAUTHENTICATED; an unreachable API exits 3', async () => {
    const saved = { url: process.env.VIGIL_URL, token: process.env.VIGIL_TOKEN };
    try {
      process.env.VIGIL_URL = api.server.url;
      process.env.VIGIL_TOKEN = api.viewerToken;
      const io = captureIo();
      expect(await runCli(['alerts', '--json'], io)).toBe(0);
      expect(JSON.parse(io.out()).total).toBe(3);
      const wrong = captureIo();
      expect(await runCli(['alerts', '--token', 'vgl_wrong'], wrong)).toBe(1);
      expect(wrong.err()).toContain('UNAUTHENTICATED');
      expect(wrong.err()).toContain('(check --token or VIGIL_TOKEN)');
      const down = captureIo();
      // Port 9 (discard) on loopback: nothing listens there in the test environment.
      expect(await runCli(['alerts', '--url', 'http://127.0.0.1:9'], down)).toBe(3);
      expect(down.err()).toContain('cannot reach the Vigil API at http://127.0.0.1:9');
    } finally {
      for (const [key, value] of [
        ['VIGIL_URL', saved.url],
        ['VIGIL_TOKEN', saved.token],
      ] as const) {
        if (value === undefined) delete process.env[key];
        else process.env[key] = value;
      }
    }
  });
});
