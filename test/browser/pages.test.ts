/**
 * Every page of the site, in both languages, on a phone at 200% zoom (320 CSS px wide): axe-core
 * finds no serious or critical violation, no text is a missing translation key, nothing is wider
 * than the screen, and nothing fails in the console or against the CSP. A poll whose texts hold
 * script and image tags shows them as text and runs nothing.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { Answer } from '../../crypto/index.ts';
import { castBallot, courtyardDraft, openPoll, type Running } from '../server/support.ts';
import { axe, launchBrowser, missingKeys, openTab, screenshot, startSite } from './support.ts';

/** A 640 px wide phone screen at 200% zoom: 320 CSS pixels. */
const ZOOMED = { width: 320, height: 640 };
const HOSTILE = '<script>window.__pwned=1</script><img src=x onerror="window.__pwned=2">';

let browser: Browser;
let site: Running;
let done: string;
let open: string;
let hostile: string;

const answers = (k: number): Answer[] => [{ values: [0, 1, 2].map((x) => (x === k % 3 ? 1 : 0)) }, { values: [1, 0, 0, k % 2] }, { values: [k % 2, 0, 1] }];

beforeAll(async () => {
  [browser, site] = await Promise.all([launchBrowser(), startSite()]);
  // A finished poll: three ballots, closed, tallied, decrypted by two of three trustees.
  const finished = await openPoll(site, { voters: 3, seed: 'pages finished' });
  for (const [k, v] of finished.voters.entries()) expect((await castBallot(finished.owner, finished.poll, (await v.ballot(finished.owner, answers(k), finished.rng)).bytes)).status).toBe(201);
  expect((await finished.owner.post(`/api/polls/${finished.poll}/close`)).status).toBe(200);
  expect((await finished.owner.post(`/api/polls/${finished.poll}/tally`)).status).toBe(200);
  await finished.trustees[0].decrypt();
  await finished.trustees[1].decrypt();
  for (let i = 0; (await finished.owner.get(`/api/polls/${finished.poll}/result`)).body.status !== 'done'; i++) {
    if (i > 200) throw new Error('the result did not appear');
    await new Promise((r) => setTimeout(r, 50));
  }
  done = finished.poll;
  open = (await openPoll(site, { voters: 2, seed: 'pages open' })).poll;
  hostile = (await openPoll(site, { voters: 1, seed: 'pages hostile', draft: courtyardDraft({ title: HOSTILE }) })).poll;
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await site?.close();
});

/** Waits until the page has its heading and has stopped loading. */
async function settle(page: Page): Promise<void> {
  await page.locator('main h1').first().waitFor();
  await page.waitForLoadState('networkidle');
  await page.waitForFunction(() => !document.body.innerText.includes('Loading…') && !document.body.innerText.includes('加载中…'), undefined, { timeout: 20_000 });
}

const pages = () => [
  ['poll-list', '/'],
  ['poll', `/poll/${done}`],
  ['poll-open', `/poll/${open}`],
  ['booth', `/poll/${open}/vote`],
  ['check', `/poll/${open}/check`],
  ['check-any', '/check'],
  ['board', `/poll/${done}/board`],
  ['results', `/poll/${done}/results`],
  ['verify', `/verify?poll=${done}`],
  ['organiser', '/organiser'],
  ['setup', '/setup'],
  ['join-no-token', '/join'],
  ['reset-password-no-token', '/reset-password'],
  ['trustee-no-token', `/trustee/${open}`],
  ['registrar-no-token', `/registrar/${open}`],
  ['demo-none', '/demo'],
];

describe('every page at 200% zoom on a phone', () => {
  for (const locale of ['en-GB', 'zh-CN']) {
    test(`${locale}: accessible, translated, no wider than the screen, no console problem`, async () => {
      const { page, problems, context } = await openTab(browser, site.base, { locale, viewport: ZOOMED });
      const report: Record<string, unknown> = {};
      for (const [name, path] of pages()) {
        await page.goto(path);
        await settle(page);
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
        const found = { axe: await axe(page), missing: await missingKeys(page), overflow: overflow > 1 ? overflow : 0 };
        if (found.axe.length || found.missing.length || found.overflow) report[name] = found;
        await screenshot(page, `pages-${name}-${locale === 'en-GB' ? 'en' : 'zh'}-zoomed`);
      }
      expect(report).toEqual({});
      expect(problems).toEqual([]);
      await context.close();
    }, 240_000);
  }
});

describe('text from the server is shown as text', () => {
  test('a poll title with script and image tags is shown literally and runs nothing', async () => {
    const { page, problems, context } = await openTab(browser, site.base);
    for (const path of ['/', `/poll/${hostile}`, `/poll/${hostile}/vote`, `/poll/${hostile}/board`]) {
      await page.goto(path);
      await settle(page);
      await page.getByText(HOSTILE, { exact: false }).first().waitFor();
      expect(await page.evaluate(() => (window as { __pwned?: number }).__pwned)).toBeUndefined();
      expect(await page.locator('main script, main img[src="x"]').count()).toBe(0);
    }
    expect(problems).toEqual([]);
    await context.close();
  });
});
