import { existsSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';

/**
 * Headless Chromium for browser tests (Debian package `chromium`, driven by playwright-core). Tests that need it
 * use `describe.skipIf(!HAS_CHROMIUM)` so a machine without the browser skips them cleanly.
 */
export const CHROMIUM_PATH = process.env.PULSE_CHROMIUM ?? '/usr/bin/chromium';
export const HAS_CHROMIUM = existsSync(CHROMIUM_PATH);

/** Flags for a quiet, offline, sandbox-free headless run (CI containers have no user namespaces). */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Launch headless Chromium (imported lazily so test files load fast where the browser is absent). */
export async function launchChromium(): Promise<Browser> {
  const { chromium } = await import('playwright-core');
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, headless: true });
}

/** What a page did while it loaded: console errors, uncaught exceptions and every request URL it attempted. */
export interface PageActivity {
  consoleErrors: string[];
  pageErrors: string[];
  requests: string[];
  blocked: string[];
}

/**
 * Watch a page: record console errors, uncaught exceptions and every request, and abort any request that is not
 * a `data:` URL or one of `allowed` (e.g. the `file:` URL of the document under test itself).
 */
export async function watchPage(page: Page, allowed: readonly string[] = []): Promise<PageActivity> {
  const activity: PageActivity = { consoleErrors: [], pageErrors: [], requests: [], blocked: [] };
  page.on('console', (msg) => {
    if (msg.type() === 'error') activity.consoleErrors.push(msg.text());
  });
  page.on('pageerror', (err) => activity.pageErrors.push(err.message));
  await page.route('**/*', async (route) => {
    const url = route.request().url();
    activity.requests.push(url);
    if (url.startsWith('data:') || allowed.includes(url)) await route.continue();
    else {
      activity.blocked.push(url);
      await route.abort();
    }
  });
  return activity;
}

declare const document: any;

/**
 * Open a pulse HTML report in a new page with every request watched (only the file itself and data: URLs are
 * allowed), and wait until its script has marked the charts (`document.body.dataset.charts`).
 */
export async function openReport(browser: Browser, file: string, colorScheme: 'light' | 'dark' = 'light'): Promise<{ page: Page; activity: PageActivity }> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 }, colorScheme });
  const url = pathToFileURL(file).href;
  const activity = await watchPage(page, [url]);
  await page.goto(url, { waitUntil: 'load' });
  await page.waitForFunction(() => document.body.dataset.charts !== undefined, undefined, { timeout: 20_000 });
  return { page, activity };
}
