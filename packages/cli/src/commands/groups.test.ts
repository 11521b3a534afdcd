import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VigilClient } from '@vigil/api-client';
import { startApiTestServer, type ApiTestServer } from './api-test-server.js';

let api: ApiTestServer;
let client: VigilClient;

beforeAll(async () => {
  api = await startApiTestServer();
  client = new VigilClient({ baseUrl: api.server.url, token: api.adminToken });
});
afterAll(async () => {
  await api?.close();
});

describe('vigil groups', () => {
  it('creates a group, lists and shows it with every rule, deletes it', async () => {
    const created = await api.run(['groups', 'create', 'cameras']);
    expect(created.code).toBe(0);
    expect(created.out).toMatch(
      /^created security group cameras \(updated \S+, etag \S+\)\nRULE\s+KIND\s+ENABLED\s+SETTING\n/,
    );
    expect(created.out).toMatch(/\nActiveConnectionsNotInAllowedRange\s+range\s+no\s+0–0 per PT15M\n/);
    expect(created.out).toMatch(/\nProcessNotAllowed\s+allowlist\s+no\s+\(nothing allowed\)\n/);
    const listed = await api.run(['groups', 'list']);
    expect(listed.out).toMatch(/^NAME\s+ENABLED RULES\s+UPDATED\n/);
    expect(listed.out).toMatch(/\ncameras\s+0 of \d+\s+\S+\n/);
    const items = JSON.parse((await api.run(['groups', 'list', '--json'])).out).items;
    expect(items.map((group: { name: string }) => group.name)).toContain('cameras');
    const again = await api.run(['groups', 'create', 'cameras']);
    expect(again.code).toBe(1);
    expect(again.err).toContain('refused: security group cameras already exists');
    const deleted = await api.run(['groups', 'delete', 'cameras']);
    expect(deleted).toMatchObject({ code: 0, out: 'deleted security group cameras\n' });
    const gone = await api.run(['groups', 'show', 'cameras']);
    expect(gone.code).toBe(1);
    expect(gone.err).toContain('refused: NOT_FOUND (HTTP 404): no security group cameras');
  });

  it('changes one range rule and one allow-list rule, keeping what is not given', async () => {
    await api.run(['groups', 'create', 'plcs']);
    const range = await api.run([
      'groups',
      'set-rule',
      'plcs',
      'ActiveConnectionsNotInAllowedRange',
      '--enable',
      '--max',
      '20',
      '--window',
      'PT5M',
    ]);
    expect(range).toMatchObject({
      code: 0,
      out: 'plcs: ActiveConnectionsNotInAllowedRange enabled, 0–20 per PT5M\n',
    });
    await api.run(['groups', 'set-rule', 'plcs', 'ActiveConnectionsNotInAllowedRange', '--min', '2']);
    await api.run([
      'groups',
      'set-rule',
      'plcs',
      'ProcessNotAllowed',
      '--enable',
      '--values',
      '/usr/bin/plc,/bin/sh',
    ]);
    const json = await api.run([
      'groups',
      'set-rule',
      'plcs',
      'ProcessNotAllowed',
      '--add',
      'cron',
      '--remove',
      '/bin/sh',
      '--json',
    ]);
    expect(json.code).toBe(0);
    expect(JSON.parse(json.out).name).toBe('plcs');
    const stored = await client.securityGroups.get('plcs');
    expect(stored.rules.find((rule) => rule.ruleId === 'ActiveConnectionsNotInAllowedRange')).toMatchObject({
      enabled: true,
      min: 2,
      max: 20,
      window: 'PT5M',
    });
    expect(stored.rules.find((rule) => rule.ruleId === 'ProcessNotAllowed')).toMatchObject({
      enabled: true,
      values: ['/usr/bin/plc', 'cron'],
    });
    const shown = await api.run(['groups', 'show', 'plcs']);
    expect(shown.out).toMatch(/\nActiveConnectionsNotInAllowedRange\s+range\s+yes\s+2–20 per PT5M\n/);
    expect(shown.out).toMatch(/\nProcessNotAllowed\s+allowlist\s+yes\s+\/usr\/bin\/plc, cron\n/);
  });

  it('refuses unknown rules, flags of the other kind, bad thresholds, stale etags and missing groups', async () => {
    await api.run(['groups', 'create', 'meters']);
    const before = await client.securityGroups.get('meters');
    const unknown = await api.run(['groups', 'set-rule', 'meters', 'NoSuchRule', '--enable']);
    expect(unknown.code).toBe(2);
    expect(unknown.err).toMatch(
      /NoSuchRule is not a rule of security groups; the rules are .*ProcessNotAllowed/,
    );
    const wrongKind = await api.run(['groups', 'set-rule', 'meters', 'ProcessNotAllowed', '--max', '3']);
    expect(wrongKind.err).toContain(
      'ProcessNotAllowed is an allow-list rule: use --values, --add or --remove',
    );
    const listOnRange = await api.run([
      'groups',
      'set-rule',
      'meters',
      'ActiveConnectionsNotInAllowedRange',
      '--add',
      'x',
    ]);
    expect(listOnRange.err).toContain('ActiveConnectionsNotInAllowedRange is a range rule');
    const negative = await api.run([
      'groups',
      'set-rule',
      'meters',
      'ActiveConnectionsNotInAllowedRange',
      '--min',
      '-1',
    ]);
    expect(negative.err).toContain('--min must be a whole number from 0 to 1000000000 (got -1)');
    const window = await api.run([
      'groups',
      'set-rule',
      'meters',
      'ActiveConnectionsNotInAllowedRange',
      '--window',
      'PT10S',
    ]);
    expect(window.code).toBe(1);
    expect(window.err).toContain('refused: VALIDATION_FAILED (HTTP 400)');
    expect(window.err).toContain('body.rules[0].window: must be an ISO-8601 duration from PT1M to P7D');
    const badIp = await api.run([
      'groups',
      'set-rule',
      'meters',
      'ConnectionToIpNotAllowed',
      '--values',
      '10.0.0.0/8,nope',
    ]);
    expect(badIp.err).toContain('body.rules[0].values[1]: must be an IPv4 or IPv6 address or CIDR block');
    const both = await api.run([
      'groups',
      'set-rule',
      'meters',
      'ProcessNotAllowed',
      '--enable',
      '--disable',
    ]);
    expect(both.err).toContain('give --enable or --disable, not both');
    const stale = await api.run([
      'groups',
      'set-rule',
      'meters',
      'ProcessNotAllowed',
      '--enable',
      '--if-match',
      'old',
    ]);
    expect(stale.code).toBe(1);
    expect(stale.err).toContain('PRECONDITION_FAILED');
    const missing = await api.run(['groups', 'set-rule', 'nowhere', 'ProcessNotAllowed', '--enable']);
    expect(missing.err).toContain('refused: NOT_FOUND (HTTP 404): no security group nowhere');
    expect(await client.securityGroups.get('meters')).toEqual(before);
    const viewer = await api.run(['groups', 'create', 'other'], { token: api.viewerToken });
    expect(viewer.code).toBe(1);
    expect(viewer.err).toContain('FORBIDDEN');
  });
});
