/**
 * Times the README's promise and takes its screenshots: starts `vigil demo` from the built CLI (as
 * `npm start` does, on free ports and a scratch data directory), signs in to the dashboard in
 * Debian's Chromium with the token the demo prints, and waits for the alerts page to list the demo
 * fleet's alerts. Prints the time from launch to a dashboard showing alerts, and saves
 * `docs/images/demo-overview.png` and `docs/images/demo-alerts.png`.
 *
 * Run after `npm run build`: `node --import tsx scripts/demo-screenshot.ts` (no network beyond loopback).
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const images = join(root, 'docs', 'images');
const WAIT_LIMIT_MS = 180_000;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address !== null ? address.port : 0));
    });
  });
}

const dataDir = mkdtempSync(join(tmpdir(), 'vigil-demo-shot-'));
const [apiPort, mqttsPort] = [await freePort(), await freePort()];
const launchedAt = Date.now();
const demo = spawn(
  process.execPath,
  [
    join(root, 'packages/cli/dist/bin.js'),
    'demo',
    '--data-dir',
    dataDir,
    '--api-port',
    String(apiPort),
    '--mqtts-port',
    String(mqttsPort),
  ],
  { stdio: ['ignore', 'pipe', 'inherit'] },
);
let output = '';
const token = await new Promise<string>((resolve, reject) => {
  const timer = setTimeout(() => reject(new Error(`no admin token printed:\n${output}`)), WAIT_LIMIT_MS);
  demo.stdout.setEncoding('utf8');
  demo.stdout.on('data', (chunk: string) => {
    output += chunk;
    const match = /\n\s+(vgl_\S+)\n/.exec(output);
    if (match) {
      clearTimeout(timer);
      resolve(match[1]!);
    }
  });
  demo.once('exit', (code) => reject(new Error(`vigil demo exited with ${code}:\n${output}`)));
});
const printedAt = Date.now();

const browser = await chromium.launch({
  executablePath: process.env.VIGIL_CHROMIUM ?? '/usr/bin/chromium',
  headless: true,
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
  ],
});
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 860 } });
  await page.goto(`http://127.0.0.1:${apiPort}`);
  await page.getByLabel('API token').fill(token);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'Fleet overview' }).waitFor();
  await page.getByRole('link', { name: 'Alerts', exact: true }).click();
  // The alerts list refreshes itself; wait until the fleet's attacks have raised several alerts.
  const rows = page.locator('table tbody tr');
  const deadline = launchedAt + WAIT_LIMIT_MS;
  while ((await rows.count()) < 5 && Date.now() < deadline) await page.waitForTimeout(500);
  const alertsAt = Date.now();
  const count = await rows.count();
  mkdirSync(images, { recursive: true });
  await page.screenshot({ path: join(images, 'demo-alerts.png') });
  await page.getByRole('link', { name: 'Overview', exact: true }).click();
  await page.getByRole('img', { name: /Alerts per hour/ }).waitFor();
  await page.waitForTimeout(1_000);
  await page.screenshot({ path: join(images, 'demo-overview.png') });
  console.log(
    `token printed ${((printedAt - launchedAt) / 1000).toFixed(1)} s after launch; ` +
      `alerts page listing ${count} alerts ${((alertsAt - launchedAt) / 1000).toFixed(1)} s after launch`,
  );
  if (count < 5) process.exitCode = 1;
} finally {
  await browser.close();
  demo.kill('SIGTERM');
  await new Promise((resolve) => demo.once('exit', resolve));
  rmSync(dataDir, { recursive: true, force: true });
}
