/**
 * Browser test support: Debian's Chromium driven by playwright-core, against a real server (real
 * SQLite file, real sockets) serving the built client. Every page records its console errors,
 * uncaught exceptions and CSP refusals; tests assert there are none. Screenshots go to
 * test-artifacts/screenshots/ (kept by CI as artifacts, looked at before an issue is resolved).
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, expect, inject } from 'vitest';
import { startServer, type Running } from '../server/support.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
export const SCREENSHOTS = join(root, 'test-artifacts', 'screenshots');

/** Debian's Chromium (apt-get install -y chromium); CHROMIUM overrides the path. */
export const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'];

export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`Chromium is not installed at ${CHROMIUM}: run \`apt-get install -y chromium\` (as .ci/run does) or set CHROMIUM`);
  return chromium.launch({ executablePath: CHROMIUM, args: FLAGS });
}

/** A server on 127.0.0.1 serving the client built by the global setup. */
export async function startSite(o: Parameters<typeof startServer>[0] = {}): Promise<Running> {
  return startServer({ ...o, clientDir: inject('clientDir') });
}

/** A browser and a site for the tests of one file: started before them, stopped after. Read the fields inside tests. */
export function browserAndSite(o: Parameters<typeof startServer>[0] = {}): { browser: Browser; site: Running } {
  const both = {} as { browser: Browser; site: Running };
  beforeAll(async () => {
    [both.browser, both.site] = await Promise.all([launchBrowser(), startSite(o)]);
  });
  afterAll(async () => {
    await both.browser?.close();
    await both.site?.close();
  });
  return both;
}

export const PHONE = { width: 375, height: 740 };
export const DESKTOP = { width: 1100, height: 900 };

export interface Tab {
  readonly context: BrowserContext;
  readonly page: Page;
  /** console errors, uncaught exceptions and CSP refusals seen so far */
  readonly problems: string[];
}

/** A fresh browser context (its own cookies and storage) with one page at `base`. */
export async function openTab(browser: Browser, base: string, o: { viewport?: { width: number; height: number }; locale?: string; acceptDownloads?: boolean } = {}): Promise<Tab> {
  const context = await browser.newContext({ viewport: o.viewport ?? DESKTOP, locale: o.locale ?? 'en-GB', acceptDownloads: o.acceptDownloads ?? true, baseURL: base });
  const page = await context.newPage();
  const problems = watch(page);
  return { context, page, problems };
}

/** Records what went wrong on a page (and on pages it opens). */
export function watch(page: Page): string[] {
  const problems: string[] = [];
  page.on('console', (m) => {
    // Chromium logs every 4xx answer as a console error; refusals (an unregistered code, a 404 while
    // looking a tracker up) are part of the pages' normal work and are asserted by the tests themselves.
    if (/^Failed to load resource: the server responded with a status of 4\d\d/.test(m.text())) return;
    if (m.type() === 'error' || /Content Security Policy/i.test(m.text())) problems.push(`console: ${m.text()} (${m.location().url})`);
  });
  page.on('pageerror', (e) => problems.push(`exception: ${e.message}`));
  return problems;
}

/** Writes a screenshot of the whole page to test-artifacts/screenshots/<name>.png. */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const path = join(SCREENSHOTS, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  // A full-page capture resizes the page for a moment; wait until it has been laid out again at
  // its own size, or the next click can land where a button was during the capture.
  await page.evaluate(() => new Promise<void>((done) => requestAnimationFrame(() => requestAnimationFrame(() => done()))));
  return path;
}

const AXE = readFileSync(join(root, 'node_modules', 'axe-core', 'axe.min.js'), 'utf8');

export interface AxeViolation {
  readonly id: string;
  readonly impact: string;
  readonly help: string;
  readonly targets: string[];
}

/**
 * Runs axe-core in the page (evaluated through the DevTools protocol, so the page's CSP stays on)
 * and returns the serious and critical violations.
 */
export async function axe(page: Page): Promise<AxeViolation[]> {
  const found = (await page.evaluate(`(async () => {
    if (!window.axe) { ${AXE}\n }
    const r = await window.axe.run(document, { resultTypes: ['violations'] });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.map((n) => String(n.target)) }));
  })()`)) as AxeViolation[];
  return found.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

/** Text of the page that is a missing translation key (shown as ⟦key⟧ by t()). */
export async function missingKeys(page: Page): Promise<string[]> {
  const text = await page.evaluate(() => document.body.innerText + ' ' + [...document.querySelectorAll('[aria-label],[title],[placeholder],[alt]')].map((e) => ['aria-label', 'title', 'placeholder', 'alt'].map((a) => e.getAttribute(a) ?? '').join(' ')).join(' '));
  return [...text.matchAll(/⟦[^⟧]*⟧/g)].map((m) => m[0]);
}

/** Waits until the page has its heading and nothing is loading any more. */
export async function settle(page: Page): Promise<void> {
  await page.locator('main h1').first().waitFor();
  await page.waitForFunction(() => !document.body.innerText.includes('Loading…') && !document.body.innerText.includes('加载中…'), undefined, { timeout: 20_000 });
}

/** axe, translations and console, on the screen as it is now: nothing wrong. */
export async function expectClean(page: Page, problems: readonly string[]): Promise<void> {
  expect(await axe(page)).toEqual([]);
  expect(await missingKeys(page)).toEqual([]);
  expect(problems).toEqual([]);
}
