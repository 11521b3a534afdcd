import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApiTestServer, type ApiTestServer } from './api-test-server.js';

let api: ApiTestServer;

beforeAll(async () => {
  api = await startApiTestServer();
});
afterAll(async () => {
  await api?.close();
});

describe('vigil token', () => {
  it('creates a viewer token shown once, lists it without its secret, and revokes it', async () => {
    const created = await api.run(['token', 'create', 'grafana']);
    expect(created.code).toBe(0);
    const match =
      /^created viewer token ([0-9a-f]{12}) \(grafana\)\nsecret \(shown once, keep it safe\):\n {2}(vgl_\S+)\n$/.exec(
        created.out,
      );
    expect(match, created.out).not.toBeNull();
    const [, id, secret] = match as unknown as [string, string, string];

    // The new token reads as a viewer and cannot change anything.
    const reads = await api.run(['alerts', '--json'], { token: secret });
    expect(reads.code).toBe(0);
    const write = await api.run(['token', 'create', 'sneaky', '--role', 'admin'], { token: secret });
    expect(write.code).toBe(1);
    expect(write.err).toContain('refused: FORBIDDEN (HTTP 403)');

    const table = await api.run(['token', 'list']);
    expect(table.code).toBe(0);
    expect(table.out).toMatch(/^ID\s+ROLE\s+PREFIX\s+CREATED\s+LAST USED\s+NAME\n/);
    // Used once just now: the last-used column holds a time, not a dash.
    expect(table.out).toMatch(
      new RegExp(`\\n${id}\\s+viewer\\s+${secret.slice(0, 8)}…\\s+\\S+Z\\s+\\S+Z\\s+grafana\\n`),
    );
    expect(table.out).not.toContain(secret);
    const listed = JSON.parse((await api.run(['token', 'list', '--json'])).out) as {
      items: { id: string; role: string }[];
    };
    expect(listed.items.find((item) => item.id === id)).toMatchObject({ role: 'viewer' });
    expect(JSON.stringify(listed)).not.toContain(secret);

    const revoked = await api.run(['token', 'revoke', id]);
    expect(revoked).toMatchObject({ code: 0, out: `revoked token ${id}\n` });
    const after = await api.run(['alerts'], { token: secret });
    expect(after.code).toBe(1);
    expect(after.err).toContain('refused: UNAUTHENTICATED (HTTP 401)');
    const again = await api.run(['token', 'revoke', id]);
    expect(again.code).toBe(1);
    expect(again.err).toContain('refused: NOT_FOUND (HTTP 404)');
  });

  it('creates an admin token with --role admin, as JSON with its secret', async () => {
    const created = await api.run(['token', 'create', 'ci', '--role', 'admin', '--json']);
    expect(created.code).toBe(0);
    const body = JSON.parse(created.out) as { role: string; token: string; name: string };
    expect(body).toMatchObject({ role: 'admin', name: 'ci' });
    expect((await api.run(['token', 'list'], { token: body.token })).code).toBe(0);
  });

  it('refuses a bad role as a usage error and a bad name or id with the API code', async () => {
    const role = await api.run(['token', 'create', 'x', '--role', 'root']);
    expect(role.code).toBe(2);
    expect(role.err).toContain('--role must be viewer or admin (got root)');
    const name = await api.run(['token', 'create', 'n'.repeat(65)]);
    expect(name.code).toBe(1);
    expect(name.err).toMatch(/refused: VALIDATION_FAILED \(HTTP 400\).*\n {2}body\.name: /);
    const id = await api.run(['token', 'revoke', 'nope']);
    expect(id.code).toBe(1);
    expect(id.err).toContain('params.id: must be a token id');
    // A viewer may not even see who has access.
    const asViewer = await api.run(['token', 'list'], { token: api.viewerToken });
    expect(asViewer.code).toBe(1);
    expect(asViewer.err).toContain('refused: FORBIDDEN (HTTP 403): a viewer token cannot GET /api/tokens');
  });
});
