/**
 * `gongshi serve --demo` as a newcomer runs it: a real process on a fresh data folder. It prints the
 * demo's addresses; every public page of both demo polls renders in a real browser with the
 * demonstration banner (read from the manifest's title), no console error and no axe violation; the
 * finished poll's record passes the in-browser verifier and `gongshi verify`; a demo code from the
 * /demo page votes in the booth up to a cast. A second start on the same folder makes no second pair
 * of polls, and a start without --demo serves no demo route.
 */
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { booth } from '../../client/src/i18n/booth.ts';
import { observer } from '../../client/src/i18n/observer.ts';
import { DESKTOP, PHONE, expectClean, launchBrowser, openTab, screenshot, settle } from './support.ts';
import { tempDir } from '../server/support.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const BIN = resolve(ROOT, 'server/bin/gongshi.js');
const exec = promisify(execFile);

interface Served {
  readonly child: ChildProcess;
  readonly base: string;
  readonly out: string;
  readonly finished: string;
  readonly open: string;
}

/** Starts `gongshi serve --port 0 [--demo]` on `data` and waits for what it prints (with --demo, up to the open poll's address). */
async function serve(data: string, demo: boolean): Promise<Served> {
  const child = spawn('node', [BIN, 'serve', '--port', '0', '--data', data, '--log-level', 'warn', ...(demo ? ['--demo'] : [])], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, GONGSHI_CLIENT_DIR: inject('clientDir'), HOST: '', PORT: '' },
  });
  return new Promise<Served>((done, fail) => {
    let out = '';
    let err = '';
    child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const base = /serving on (http:\/\/127\.0\.0\.1:\d+)\//.exec(out)?.[1];
      const finished = /the finished poll: \S+\/poll\/([0-9a-f]{32})\/results/.exec(out)?.[1] ?? '';
      const open = /the open poll: \S+\/poll\/([0-9a-f]{32})\/vote\n/.exec(out)?.[1] ?? '';
      if (base && (!demo || (finished && open))) done({ child, base, out, finished, open });
    });
    child.once('exit', (code) => fail(new Error(`serve exited with ${code}: ${out}${err}`)));
  });
}

async function stop(s: Served | undefined): Promise<void> {
  if (!s || s.child.exitCode !== null) return;
  const exited = new Promise<number | null>((r) => s.child.once('exit', (code) => r(code)));
  s.child.kill('SIGTERM');
  expect(await exited).toBe(0);
}

let browser: Browser;
let data: string;
let first: Served;

beforeAll(async () => {
  data = tempDir('demo-site');
  [browser, first] = await Promise.all([launchBrowser(), serve(data, true)]);
});
afterAll(async () => {
  await browser?.close();
  await stop(first);
});

type Lang = 'en' | 'zh';
const o = (lang: Lang, key: keyof typeof observer.en) => (lang === 'en' ? observer.en : observer.zh)[key];
const b = (lang: Lang, key: keyof typeof booth.en) => (lang === 'en' ? booth.en : booth.zh)[key];

/** The page at `path` settles, shows the demo banner when asked, and is clean; a screenshot. */
async function visit(page: Page, problems: string[], path: string, name: string, lang: Lang, banner: boolean): Promise<void> {
  await page.goto(path);
  await settle(page);
  if (banner) await page.getByText(o(lang, 'observer.demo.banner'), { exact: true }).waitFor();
  else expect(await page.locator('[data-demo-banner]').count()).toBe(0);
  await expectClean(page, problems);
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(page.viewportSize()!.width);
  await screenshot(page, `demo-site-${name}`);
}

describe('gongshi serve --demo', () => {
  test('prints the demo’s addresses, and the finished poll’s record verifies with gongshi verify', async () => {
    expect(first.out).toContain(`the demo page, with the voter codes: ${first.base}/demo`);
    expect(first.out).toContain('made two demonstration polls');
    const polls = (await (await fetch(`${first.base}/api/polls`)).json()) as { polls: { id: string; status: string; title: string[] }[] };
    expect(polls.polls.map((p) => [p.id, p.status])).toEqual([
      [first.finished, 'done'],
      [first.open, 'open'],
    ]);
    for (const p of polls.polls) expect(p.title.every((t) => /Demo|演示/.test(t))).toBe(true);
    const finished = (await (await fetch(`${first.base}/api/polls/${first.finished}`)).json()) as { turnout: { ballots: number; audits: number } };
    expect(finished.turnout).toMatchObject({ ballots: 12, audits: 1 });
    const { stdout } = await exec('node', [BIN, 'verify', `${first.base}/api/polls/${first.finished}/record`], { cwd: ROOT });
    expect(stdout).toMatch(/VALID: every check passed/);
  });

  test('every public page renders clean, with the demonstration banner on the demo polls’ pages', async () => {
    for (const [lang, viewport, locale] of [['en', DESKTOP, 'en-GB'], ['zh', PHONE, 'zh-CN']] as const) {
      const size = viewport === PHONE ? 'phone' : 'desktop';
      const { page, problems, context } = await openTab(browser, first.base, { viewport, locale });
      await visit(page, problems, '/', `front-${lang}-${size}`, lang, false);
      await page.getByRole('link', { name: o(lang, 'observer.list.demoLink'), exact: true }).waitFor();
      await visit(page, problems, '/demo', `demo-page-${lang}-${size}`, lang, false);
      expect(await page.getByRole('link', { name: /[0-9A-Z]{4}-[0-9A-Z]{4}-/ }).count()).toBeGreaterThan(0);
      for (const [path, name] of [
        [`/poll/${first.finished}`, 'finished-poll'],
        [`/poll/${first.finished}/results`, 'finished-results'],
        [`/poll/${first.finished}/board`, 'finished-board'],
        [`/verify?poll=${first.finished}`, 'finished-verify'],
        [`/poll/${first.open}`, 'open-poll'],
        [`/poll/${first.open}/board`, 'open-board'],
        [`/poll/${first.open}/vote`, 'open-booth'],
      ])
        await visit(page, problems, path, `${name}-${lang}-${size}`, lang, true);
      await context.close();
    }
  });

  test('the in-browser verifier passes the finished demo poll', async () => {
    const { page, problems, context } = await openTab(browser, first.base, { viewport: PHONE, locale: 'en-GB' });
    await page.goto(`/verify?poll=${first.finished}`);
    await settle(page);
    await page.getByRole('button', { name: o('en', 'observer.verify.start') }).click();
    await page.getByRole('heading', { name: /The record passed every check/ }).waitFor({ timeout: 90_000 });
    await page.getByText(o('en', 'observer.demo.banner'), { exact: true }).waitFor();
    await expectClean(page, problems);
    await screenshot(page, 'demo-site-verified-en-phone');
    await context.close();
  });

  test('a demo code from the demo page votes in the booth up to a cast', async () => {
    const { page, problems, context } = await openTab(browser, first.base, { viewport: PHONE, locale: 'en-GB' });
    await page.goto('/demo');
    await settle(page);
    const code = page.locator('ul.codes a').first();
    const text = (await code.textContent())!.trim();
    await code.click();
    await page.getByRole('heading', { name: b('en', 'booth.step.ready'), exact: true }).waitFor({ timeout: 30_000 });
    expect(await page.locator('main').innerText()).not.toContain(text); // the code left the address bar and the screen
    await page.getByText(o('en', 'observer.demo.banner'), { exact: true }).waitFor();
    await page.getByRole('button', { name: b('en', 'booth.ready.start') }).click();
    await page.getByRole('radio', { name: 'Green' }).check();
    await page.getByRole('button', { name: b('en', 'booth.nav.next') }).click();
    await page.getByRole('checkbox', { name: 'Tai chi' }).check();
    await page.getByRole('button', { name: b('en', 'booth.nav.next') }).click();
    await page.getByRole('checkbox', { name: /Plants/ }).check();
    await page.getByRole('button', { name: b('en', 'booth.nav.review') }).click();
    await page.getByRole('button', { name: b('en', 'booth.review.seal') }).click();
    await page.getByRole('heading', { name: b('en', 'booth.step.tracker'), exact: true }).waitFor({ timeout: 60_000 });
    await page.getByRole('button', { name: b('en', 'booth.tracker.cast') }).click();
    await page.getByRole('heading', { name: b('en', 'booth.step.cast'), exact: true }).waitFor();
    await page.getByText(b('en', 'booth.check.allGood')).waitFor({ timeout: 30_000 });
    await expectClean(page, problems);
    await screenshot(page, 'demo-site-cast-en-phone');
    await context.close();
    const open = (await (await fetch(`${first.base}/api/polls/${first.open}`)).json()) as { turnout: { ballots: number } };
    expect(open.turnout.ballots).toBe(1);
  });

  test('a second start on the same folder finds the demo polls and makes none; without --demo there is no demo route', async () => {
    await stop(first);
    const again = await serve(data, true);
    try {
      expect(again.out).toContain('the demonstration polls are already in the data folder');
      expect([again.finished, again.open]).toEqual([first.finished, first.open]);
      const polls = (await (await fetch(`${again.base}/api/polls`)).json()) as { polls: { id: string }[] };
      expect(polls.polls.map((p) => p.id)).toEqual([first.finished, first.open]);
    } finally {
      await stop(again);
    }
    const plain = await serve(data, false);
    try {
      expect(plain.out).not.toContain('demo:');
      const res = await fetch(`${plain.base}/api/demo`);
      expect(res.status).toBe(404);
      expect(((await res.json()) as { error: string }).error).toBe('NOT_FOUND');
      // The demo polls stay in the folder, and their pages still say what they are: the title says so, not the server.
      const { page, problems, context } = await openTab(browser, plain.base, { viewport: PHONE, locale: 'en-GB' });
      await visit(page, problems, `/poll/${first.finished}/results`, 'results-without-demo-flag-en-phone', 'en', true);
      await visit(page, problems, '/demo', 'no-demo-en-phone', 'en', false);
      await page.getByText(o('en', 'observer.demo.none')).waitFor();
      await context.close();
    } finally {
      await stop(plain);
    }
  });
});
