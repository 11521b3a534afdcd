import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';

/** Debian's Chromium, installed by scripts/install-system-deps.sh. */
export const CHROMIUM_PATH = process.env.VIGIL_CHROMIUM ?? '/usr/bin/chromium';

/** True when a browser test can run here; under CI=true a missing browser is a failure, not a skip. */
export function browserAvailable(): boolean {
  if (existsSync(CHROMIUM_PATH)) return true;
  if (process.env.CI === 'true')
    throw new Error(`Chromium is missing at ${CHROMIUM_PATH}; CI must install it`);
  console.warn(
    `dashboard browser tests skipped: no Chromium at ${CHROMIUM_PATH} (run scripts/install-system-deps.sh)`,
  );
  return false;
}

/**
 * Headless Chromium with the flags this machine needs: no sandbox (root), and no background
 * networking, which would otherwise try (and fail) to reach Google's services.
 */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** Where the dashboard tests save their screenshots. */
export const SCREENSHOTS = join(process.cwd(), 'test-results', 'dashboard');

/** A launched browser and its one page, whose console errors collect in `consoleErrors`. */
export interface WatchedPage {
  readonly browser: Browser;
  readonly page: Page;
  readonly consoleErrors: string[];
}

/**
 * Launches the browser, opens a 1280×900 page watched for console errors (see {@link watchConsole})
 * and makes the screenshot folder; close `browser` in `afterAll`.
 */
export async function openWatchedPage(): Promise<WatchedPage> {
  const browser = await launchBrowser();
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const consoleErrors = watchConsole(page);
  await mkdir(SCREENSHOTS, { recursive: true });
  return { browser, page, consoleErrors };
}

/** Saves a full-page screenshot of `page` as `<SCREENSHOTS>/<name>.png`. */
export function screenshot(page: Page, name: string): Promise<Buffer> {
  return page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

/** Collects console errors and page errors; a dashboard test fails on any. */
export function watchConsole(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(error.message));
  return errors;
}

/**
 * Removes the console errors Chromium logs for responses with `status` (a refusal the test provoked
 * on purpose) and says how many there were; every other error stays to fail the test.
 */
export function takeExpectedErrors(errors: string[], status: number): number {
  const expected = errors.filter((error) => error.includes(`status of ${status}`));
  const rest = errors.filter((error) => !error.includes(`status of ${status}`));
  errors.splice(0, errors.length, ...rest);
  return expected.length;
}
