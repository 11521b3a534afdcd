/**
 * The "Threat intelligence" page in a real browser against the real server: an operator adds a feed
 * from a file, sees what it loaded and set aside, and a device connecting to a listed address raises
 * the suspicious-IP alert without a restart.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { curlConnection as connection } from '../analytics/support/curl-connection.js';
import { startScenarioServer, type ScenarioServer } from '../analytics/support/scenario-server.js';
import { browserAvailable, openWatchedPage, screenshot, takeExpectedErrors } from './browser.js';
import { buildDashboard } from './build-dashboard.js';
import { eventually } from './live-server.js';

const LISTED = '45.133.1.20';
const run = browserAvailable();

describe.runIf(run)('threat-intel feeds page in a real browser', () => {
  let t: ScenarioServer;
  let browser: Browser;
  let page: Page;
  let consoleErrors: string[];
  let feedPath: string;
  const shot = (name: string) => screenshot(page, name);
  const row = () => page.getByTestId('feed-row').filter({ hasText: 'blocklist' });

  beforeAll(async () => {
    await buildDashboard();
    t = await startScenarioServer();
    feedPath = join(t.dataDir, 'blocklist.txt');
    // One public range, and two reserved ranges a public feed must not match (FireHOL lists such).
    await writeFile(feedPath, '# test blocklist\n45.133.1.0/24\n10.0.0.0/8\n192.0.2.0/24\n');
    ({ browser, page, consoleErrors } = await openWatchedPage());
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await t?.stop();
  });

  it('signs in and opens the page from the navigation on its empty state', async () => {
    await page.goto(t.server.url);
    await page.getByLabel('API token').fill(t.server.firstAdminToken!);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('link', { name: 'Threat intelligence' }).click();
    await page.getByRole('heading', { name: 'Threat intelligence' }).waitFor();
    await page.getByText('No threat-intelligence feeds yet').waitFor();
    await shot('threat-intel-empty');
    expect(consoleErrors).toEqual([]);
  });

  it('shows the API’s violation beside the field it names', async () => {
    await page.getByLabel('Feed name').fill('blocklist');
    await page.getByLabel(/^Source/).fill('relative/blocklist.txt');
    await page.getByRole('button', { name: 'Add feed' }).click();
    const error = page.getByRole('alert').filter({ hasText: 'must be an absolute file path' });
    await error.waitFor();
    expect(await error.textContent()).toContain('FEED_SOURCE_INVALID');
    expect(takeExpectedErrors(consoleErrors, 400)).toBe(1);
    expect(await t.store.threatIntelFeeds.list()).toEqual([]);
    await shot('threat-intel-invalid');
    expect(consoleErrors).toEqual([]);
  });

  it('adds a feed from a file and shows its entry and set-aside counts', async () => {
    await page.getByLabel(/^Source/).fill(feedPath);
    await page.getByRole('button', { name: 'Add feed' }).click();
    await page
      .getByRole('status')
      .filter({ hasText: 'Added blocklist: 1 entry loaded, 2 set aside' })
      .waitFor();
    await row().waitFor();
    expect(await row().getByTestId('feed-entries').textContent()).toBe('1');
    expect(await row().getByTestId('feed-set-aside').textContent()).toBe('2documentation 1, private 1');
    expect(await row().locator('.badge').textContent()).toBe('loaded');
    await shot('threat-intel-added');
    expect(consoleErrors).toEqual([]);
  });

  it('a device connecting to a listed address raises the suspicious-IP alert; the page follows a reload', async () => {
    const agent = await t.addAgent('ti-dash');
    await t.sendEvents(agent, [
      { name: 'ConnectionCreate', payload: [connection(LISTED), connection('10.1.2.3')] },
    ]);
    await t.settle();
    expect(await t.alertKeys({ deviceId: 'ti-dash' })).toEqual(['ti-dash:IoT_SuspiciousIpCommunication']);
    await page.getByRole('link', { name: 'Alerts', exact: true }).click();
    await page.getByRole('link', { name: 'Suspicious IP address communication' }).first().click();
    await page.getByTestId('evidence').first().waitFor();
    const evidence = await page.getByTestId('evidence').first().textContent();
    expect(evidence).toContain(LISTED);
    expect(evidence).toContain('blocklist');
    await shot('threat-intel-alert');

    // The file grows; a reload from elsewhere (the CLI, say) shows up on the open page by itself.
    await page.getByRole('link', { name: 'Threat intelligence' }).click();
    await row().waitFor();
    await writeFile(feedPath, '45.133.1.0/24\n185.220.101.0/24\n10.0.0.0/8\n');
    const reloaded = await t.call('POST', '/api/threat-intel/feeds/blocklist/reload');
    expect(reloaded.status).toBe(200);
    await eventually(async () =>
      (await row().getByTestId('feed-entries').textContent()) === '2' ? true : undefined,
    );
    expect(await row().getByTestId('feed-set-aside').textContent()).toBe('1private 1');
    await shot('threat-intel-live');
    expect(consoleErrors).toEqual([]);
  });

  it('a broken source shows its error and keeps matching; removing the feed empties the page', async () => {
    await writeFile(feedPath, 'not an address\nnor this\n');
    await row().getByRole('button', { name: 'Reload now' }).click();
    await row().getByTestId('feed-error').waitFor();
    expect(await row().getByTestId('feed-error').textContent()).toMatch(
      /^NO_VALID_ENTRIES: .* — still matching the previous load$/,
    );
    expect(await row().getByTestId('feed-entries').textContent()).toBe('2');
    expect(t.server.threatIntel.lookup('185.220.101.1')?.feed).toBe('blocklist');
    await shot('threat-intel-failed');
    await row().getByRole('button', { name: 'Remove' }).click();
    await row().getByRole('button', { name: 'Confirm removal' }).click();
    await page.getByText('No threat-intelligence feeds yet').waitFor();
    expect(t.server.threatIntel.lookup('185.220.101.1')).toBeUndefined();
    expect(consoleErrors).toEqual([]);
  });
});
