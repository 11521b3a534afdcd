import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { VigilClient } from '@vigil/api-client';
import { browserAvailable, openWatchedPage, screenshot, takeExpectedErrors } from './browser.js';
import { buildDashboard } from './build-dashboard.js';
import { CONFIGURED_DEVICE, eventually, startLiveServer, type LiveServer } from './live-server.js';

const CONFIGURATION = 'ms_iotn:urn_azureiot_Security_SecurityAgentConfiguration';
const run = browserAvailable();

/** How `{ key: { value } }` reads in the page's pretty-printed reported configuration. */
const reportedValue = (key: string, value: string): RegExp =>
  new RegExp(`"${key}": \\{\\s*"value": "?${value}"?\\s*\\}`);

describe.runIf(run)('dashboard in a real browser against a running server and simulated fleet', () => {
  let live: LiveServer;
  let client: VigilClient;
  let browser: Browser;
  let page: Page;
  let consoleErrors: string[];
  const shot = (name: string) => screenshot(page, name);
  const open = (route: string) => page.goto(`${live.server.url}/#/${route}`);

  beforeAll(async () => {
    await buildDashboard();
    live = await startLiveServer();
    client = new VigilClient({ baseUrl: live.server.url, token: live.adminToken });
    ({ browser, page, consoleErrors } = await openWatchedPage());
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await live?.stop();
  });

  it('refuses a wrong token, then signs in and shows the overview chart with the attack alert', async () => {
    // The miner scenario plays within a second; the overview should open on a real alert.
    await eventually(async () =>
      (await client.listAlerts({ typeId: 'Vigil_CryptoMiner' })).total > 0 ? true : undefined,
    );
    await page.goto(live.server.url);
    await page.getByLabel('API token').fill('vgl_not-a-token');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').filter({ hasText: 'not valid' }).waitFor();
    expect(takeExpectedErrors(consoleErrors, 401)).toBeGreaterThan(0);
    await page.getByLabel('API token').fill(live.adminToken);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Fleet overview' }).waitFor();
    await page.getByRole('img', { name: /Alerts per hour/ }).waitFor();
    expect(await page.getByTestId('chart-bar').count()).toBe(24);
    expect(await page.locator('rect.bar').count()).toBeGreaterThan(0);
    expect(await page.getByRole('link', { name: 'hmi-1' }).count()).toBe(1);
    await shot('overview');
    expect(consoleErrors).toEqual([]);
  });

  it('opens the alert the simulated miner raised, shows its evidence, and dismisses it', async () => {
    await page.getByRole('link', { name: 'Alerts', exact: true }).click();
    await page.getByRole('link', { name: 'Crypto coin miner' }).first().click();
    await page.getByTestId('evidence').first().waitFor();
    expect(await page.getByTestId('evidence').first().textContent()).toContain('xmrig');
    await shot('alert');
    await page.getByLabel('Note').fill('lab device');
    await page.getByRole('button', { name: 'Dismiss' }).click();
    await page.getByTestId('alert-status').filter({ hasText: 'dismissed' }).waitFor();
    const dismissed = await client.listAlerts({ status: 'dismissed' });
    expect(dismissed.items.map((alert) => alert.typeId)).toContain('Vigil_CryptoMiner');
    await shot('alert-dismissed');
    expect(consoleErrors).toEqual([]);
  });

  it('lists the devices with connection state and opens one with its events and network flow chart', async () => {
    await page.getByRole('link', { name: 'Devices', exact: true }).click();
    await page.getByTestId('device-row').nth(2).waitFor();
    expect(await page.getByTestId('device-row').count()).toBe(3);
    const gateway = page.getByTestId('device-row').filter({ hasText: 'gw-1' });
    // The agent connects as the azureiotsecurity module; the row says so.
    expect(await gateway.textContent()).toMatch(/connected \(azureiotsecurity\).*symmetric key/);
    await shot('devices');
    await page.getByRole('link', { name: 'gw-1', exact: true }).click();
    await page.getByRole('img', { name: /Network flows per minute/ }).waitFor();
    const agentIdentity = page.getByTestId('identity-row').filter({ hasText: 'azureiotsecurity' });
    expect(await agentIdentity.textContent()).toContain('connected');
    expect(await page.getByTestId('security-group').textContent()).toBe('default');
    expect(await page.locator('rect.bar.flows').count()).toBeGreaterThan(0);
    await page.getByTestId('event-row').first().waitFor();
    expect(await page.getByText('ConnectionCreate').count()).toBeGreaterThan(0);
    await shot('device');
    await page.getByRole('link', { name: 'Recommendations', exact: true }).click();
    await page.getByRole('heading', { name: 'Recommendations' }).waitFor();
    await page.getByText('gw-1').first().waitFor();
    await shot('recommendations');
    expect(consoleErrors).toEqual([]);
  });

  it('validates an agent configuration edit in the page; the real agent applies a valid one and refuses an out-of-range value, which the page shows', async () => {
    const moduleKey = { deviceId: CONFIGURED_DEVICE, moduleId: 'azureiotsecurity' };
    await open(`devices/${CONFIGURED_DEVICE}`);
    const editor = page.getByLabel('Desired agent configuration');
    await editor.waitFor();
    const reportedConfig = page.getByTestId('reported-config');
    const sync = page.getByTestId('config-sync');
    // The agent reports its starting configuration on connecting (reference/azure-security-module.md §2.5).
    await reportedConfig.filter({ hasText: reportedValue('highPriorityMessageFrequency', 'PT2S') }).waitFor();
    const versionBefore = live.agent.remoteConfiguration?.desiredVersion;
    await editor.fill('{ "eventPriorityLogin": { "value": "Sometimes" }, "colour": { "value": 1 } }');
    await page.getByRole('button', { name: 'Save configuration' }).click();
    const problems = page.getByRole('alert', { name: 'Configuration problems' });
    await problems.waitFor();
    expect(await problems.locator('li').count()).toBe(2);
    // Refused in the page: nothing was desired, so the agent saw no change.
    expect((await client.getTwin(moduleKey)).properties.desired[CONFIGURATION]).toBeUndefined();
    expect(live.agent.remoteConfiguration?.desiredVersion).toBe(versionBefore);

    await editor.fill(
      '{ "highPriorityMessageFrequency": { "value": "PT1S" }, "eventPriorityConnectionCreate": { "value": "High" } }',
    );
    await page.getByRole('button', { name: 'Save configuration' }).click();
    await reportedConfig
      .filter({ hasText: reportedValue('highPriorityMessageFrequency', 'PT1S') })
      .waitFor({ timeout: 15_000 });
    await sync.filter({ hasText: 'reports the desired configuration' }).waitFor();
    // The agent runs with it, not only reports it.
    expect(live.agent.core.configuration.highPriorityMessageFrequencyMs).toBe(1_000);
    expect(live.agent.core.configuration.eventPriorities.ConnectionCreate).toBe('High');
    const twin = await client.getTwin(moduleKey);
    expect(twin.properties.reported[CONFIGURATION]).toMatchObject({
      highPriorityMessageFrequency: { value: 'PT1S' },
      eventPriorityConnectionCreate: { value: 'High' },
    });
    await shot('device-agent-configuration');

    // A whole number passes the page's type check, but is above the agent's 262144-byte message
    // limit (§2.5, the IoT Hub telemetry limit): the agent keeps the limit and says so.
    await editor.fill('{ "maxMessageSizeInBytes": { "value": 1000000 } }');
    await page.getByRole('button', { name: 'Save configuration' }).click();
    await sync
      .filter({ hasText: 'Waiting for the agent to apply: maxMessageSizeInBytes' })
      .waitFor({ timeout: 15_000 });
    await reportedConfig
      .filter({ hasText: reportedValue('maxMessageSizeInBytes', '262144') })
      .waitFor({ timeout: 15_000 });
    expect(await reportedConfig.textContent()).not.toContain('1000000');
    expect(live.agent.core.configuration.maxMessageSizeInBytes).toBe(262_144);
    // The earlier change stays in force.
    expect(live.agent.core.configuration.highPriorityMessageFrequencyMs).toBe(1_000);
    // Its ConfigurationError event reaches the device's recent events by live refresh.
    const errorRow = page
      .getByTestId('event-row')
      .filter({ hasText: 'ConfigurationError' })
      .filter({ hasText: 'maxMessageSizeInBytes' });
    await errorRow.waitFor({ timeout: 20_000 });
    expect(await errorRow.textContent()).toContain('NotOptimal');
    const [stored] = (await client.deviceEvents(CONFIGURED_DEVICE, { name: 'ConfigurationError' })).items;
    expect(stored?.payload).toMatchObject({
      errors: [
        expect.objectContaining({
          configurationName: 'maxMessageSizeInBytes',
          errorType: 'NotOptimal',
          usedConfiguration: '262144',
        }),
      ],
    });
    await shot('device-agent-configuration-refused');
    expect(consoleErrors).toEqual([]);
  });

  it('edits a custom rule with inline validation errors, then sees it enforced as an alert', async () => {
    await open('security-groups');
    // Every device without a SecurityGroup tag is in `default`, which exists with every rule disabled.
    const group = page.getByRole('article', { name: 'Security group default' });
    await group.getByText('defaults, never changed').waitFor();
    const rule = group.getByTestId('rule-ActiveConnectionsNotInAllowedRange');
    await rule.waitFor();
    await rule.getByLabel('ActiveConnectionsNotInAllowedRange enabled').check();
    await rule.getByLabel('ActiveConnectionsNotInAllowedRange max').fill('lots');
    await rule.getByLabel('ActiveConnectionsNotInAllowedRange window').fill('PT10S');
    await rule.getByRole('button', { name: 'Save ActiveConnectionsNotInAllowedRange' }).click();
    await rule.getByText('must be a whole number').waitFor();
    expect(await rule.getByText('must be an ISO-8601 duration').count()).toBe(1);
    expect(takeExpectedErrors(consoleErrors, 400)).toBe(1);
    await shot('security-groups-invalid');
    await rule.getByLabel('ActiveConnectionsNotInAllowedRange max').fill('2');
    await rule.getByLabel('ActiveConnectionsNotInAllowedRange window').fill('PT15M');
    await rule.getByRole('button', { name: 'Save ActiveConnectionsNotInAllowedRange' }).click();
    await rule.getByText('saved').waitFor();
    const stored = (
      await client.request<{ rules: { ruleId: string }[] }>('GET', '/api/security-groups/default')
    ).rules;
    expect(
      stored.find((candidate) => candidate.ruleId === 'ActiveConnectionsNotInAllowedRange'),
    ).toMatchObject({
      enabled: true,
      min: 0,
      max: 2,
      window: 'PT15M',
    });
    const allowlist = group.getByTestId('rule-ConnectionToIpNotAllowed');
    await allowlist.getByLabel('ConnectionToIpNotAllowed values').fill('10.0.0.0/8\nsomewhere');
    await allowlist.getByRole('button', { name: 'Save ConnectionToIpNotAllowed' }).click();
    await allowlist.getByText('line 2 must be an IPv4 or IPv6 address or CIDR block').waitFor();
    expect(takeExpectedErrors(consoleErrors, 400)).toBe(1);
    await allowlist.getByLabel('ConnectionToIpNotAllowed values').fill('10.0.0.0/8\n192.0.2.7');
    await allowlist.getByRole('button', { name: 'Save ConnectionToIpNotAllowed' }).click();
    await allowlist.getByText('saved').waitFor();
    // The gateway reports several connections every tick: over a max of 2 within seconds.
    await eventually(async () =>
      (await client.deviceEvents('gw-1', { name: 'ConnectionCreate' })).items.length >= 3 ? true : undefined,
    );
    // The alerts page is open before the check runs: the alert arrives by live refresh, no reload.
    await open('alerts?deviceId=gw-1');
    // The benign gateway has no alert of its own until the rule is checked.
    await page.getByText('No alerts match these filters').waitFor();
    await live.server.analytics.runPeriodicChecks();
    await page
      .getByRole('link', { name: /Custom alert - Number of active connections/ })
      .waitFor({ timeout: 10_000 });
    await shot('custom-rule-alert');
    // The device list counts it among the gateway's open alerts, linking to them.
    await page.getByRole('link', { name: 'Devices', exact: true }).click();
    const gateway = page.getByTestId('device-row').filter({ hasText: 'gw-1' });
    await gateway.getByRole('link', { name: '1', exact: true }).waitFor();
    expect(consoleErrors).toEqual([]);
  });

  it('designs its empty and error states: no matching alerts, an unknown device', async () => {
    await open('alerts?deviceId=no-such-device');
    await page.getByText('No alerts match these filters').waitFor();
    await shot('alerts-empty');
    await open('devices/no-such-device');
    await page
      .getByRole('alert')
      .filter({ hasText: 'No device named no-such-device is registered' })
      .waitFor();
    expect(await page.getByRole('heading', { name: 'Security agent configuration' }).count()).toBe(0);
    expect(takeExpectedErrors(consoleErrors, 404)).toBeGreaterThan(0);
    await shot('device-unknown');
    expect(consoleErrors).toEqual([]);
  });

  it('shows hub settings as they change (CA certificates, diagnostic settings) and saves an IP filter rule after the API refused a bad address', async () => {
    await open('hub');
    await page.getByText('No CA certificates').waitFor();
    await page.getByText('No diagnostic settings').waitFor();
    await shot('hub-settings-empty');
    // Settings made elsewhere (here: the hub API) appear on the open page by live refresh.
    await client.request('PUT', '/api/hub/certificates/fleet-ca', {
      certificate: live.server.hub.caCertificatePem,
    });
    await client.request('PUT', '/api/hub/diagnostic-settings/ops-archive', {
      destination: 'file:///var/log/vigil/operations',
      categories: ['Connections', 'C2DCommands'],
    });
    const certificate = page.getByTestId('certificate-row').filter({ hasText: 'fleet-ca' });
    await certificate.waitFor({ timeout: 10_000 });
    expect(await certificate.textContent()).toContain('awaiting proof of possession');
    await page.getByText('Connections, C2DCommands').waitFor({ timeout: 10_000 });
    await page.getByRole('button', { name: 'Add rule' }).click();
    await page.getByLabel('Rule 1 address').fill('not-an-address');
    await page.getByRole('button', { name: 'Save IP filter' }).click();
    await page.getByTestId('ip-rule').getByRole('alert').waitFor();
    expect(takeExpectedErrors(consoleErrors, 400)).toBe(1);
    await page.getByLabel('Rule 1 address').fill('127.0.0.0/8');
    await page.getByRole('button', { name: 'Save IP filter' }).click();
    await page.getByRole('status').filter({ hasText: 'Saved' }).waitFor();
    const filter = await client.request<{ rules: { ipMask: string }[] }>('GET', '/api/hub/ip-filter');
    expect(filter.rules.map((rule) => rule.ipMask)).toEqual(['127.0.0.0/8']);
    await shot('hub-settings');
    expect(consoleErrors).toEqual([]);
  });
});
