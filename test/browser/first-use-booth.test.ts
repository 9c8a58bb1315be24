/**
 * A resident's first use of the booth and of the receipt check, as a tester following the README found
 * it (issue 15): her sheet's link opened before the poll opens keeps her code in the tab and the booth
 * goes on by itself when the poll opens; the sheet's link opened in a tab already on the booth takes the
 * new code (asking first when she has answers, never mixing two codes); a mistyped tracker leaves no old
 * green report on screen; the first groups of a tracker, as the booth advises writing them down, find
 * the ballot; and a report gives one plain verdict first, in words that match what was given, with the
 * details folded. In English and Chinese, on a phone.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Browser, Locator, Page } from 'playwright-core';
import { encodePoint, formatTracker, parseTracker, seededRandom, toHex, trackerText } from '../../crypto/index.ts';
import { booth } from '../../client/src/i18n/booth.ts';
import { receiptFileText } from '../../client/src/booth/receipt-file.ts';
import { PHONE, axe, launchBrowser, missingKeys, openTab, screenshot, startSite } from './support.ts';
import { Client, castBallot, openPoll, unhex, type Running, type Voter } from '../server/support.ts';

let browser: Browser;
let site: Running;
let reader: Client;
let poll: string;
let voters: Voter[];

beforeAll(async () => {
  [browser, site] = await Promise.all([launchBrowser(), startSite()]);
  reader = new Client(site.base);
  ({ poll, voters } = await openPoll(site, { voters: 6, seed: 'first use of the booth' }));
});
afterAll(async () => {
  await browser?.close();
  await site?.close();
});

type Lang = 'en' | 'zh';
const locale = (lang: Lang) => (lang === 'en' ? 'en-GB' : 'zh-CN');
/** The booth's own words, so the same steps run in either language; a text the dictionary lacks fails in words. */
function say(lang: Lang, key: string, vars: Record<string, string | number> = {}): string {
  const text = (lang === 'en' ? booth.en : booth.zh)[key as keyof typeof booth.en];
  if (text === undefined) throw new Error(`client/src/i18n/booth.ts has no text "${key}"`);
  return text.replace(/\{(\w+)\}/g, (_, k: string) => String(vars[k]));
}
const RECEIPT_WORD = { en: /receipt/i, zh: /回执/ };

/** Nothing in the console, no axe violation, no missing text, nothing wider than the phone; then a screenshot. */
async function screen(page: Page, problems: string[], name: string, lang: Lang) {
  expect(await missingKeys(page)).toEqual([]);
  expect(await axe(page)).toEqual([]);
  expect(problems).toEqual([]);
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(page.viewportSize()!.width);
  await screenshot(page, `first-use-${name}-${lang}-phone`);
}

async function heading(page: Page, name: string, timeout = 30_000) {
  await page.getByRole('heading', { name, exact: true }).waitFor({ timeout });
}

/** Answers the courtyard poll's three questions and seals: the booth is then on the sealed-ballot step. */
async function voteAndSeal(page: Page, lang: Lang) {
  await page.getByRole('button', { name: say(lang, 'booth.ready.start') }).click();
  await heading(page, say(lang, 'booth.step.question', { n: 1, count: 3 }));
  await page.getByRole('radio', { name: lang === 'en' ? 'Red' : '红色' }).check();
  await page.getByRole('button', { name: say(lang, 'booth.nav.next') }).click();
  await page.getByRole('checkbox', { name: lang === 'en' ? 'Calligraphy' : '书法' }).check();
  await page.getByRole('button', { name: say(lang, 'booth.nav.next') }).click();
  await page.getByRole('checkbox', { name: new RegExp(lang === 'en' ? 'Plants' : '绿植') }).check();
  await page.getByRole('button', { name: say(lang, 'booth.nav.review') }).click();
  await page.getByRole('button', { name: say(lang, 'booth.review.seal') }).click();
  await heading(page, say(lang, 'booth.step.tracker'), 60_000);
}

/** The tracker on the sealed-ballot step, as the page shows it (13 groups of four). */
async function shownTracker(page: Page): Promise<string> {
  const shown = ((await page.locator('p.tracker').first().textContent()) ?? '').replace(/\s+/g, ' ').trim();
  expect(parseTracker(shown)).not.toBeNull();
  return shown;
}

async function ballotsOf(voter: Voter): Promise<number> {
  return (await reader.get(`/api/polls/${poll}/credentials/${toHex(encodePoint(voter.credential.publicKey))}`)).body.ballots;
}

/** A ballot cast by another device, straight to the server; returns its tracker and the server's receipt. */
async function castElsewhere(voter: Voter, seed: string) {
  const made = await voter.ballot(reader, [{ values: [0, 1, 0] }, { values: [1, 0, 0, 0] }, { values: [0, 0, 1] }], seededRandom(seed));
  const cast = await castBallot(reader, poll, made.bytes);
  expect(cast.status, JSON.stringify(cast.body)).toBe(201);
  return { tracker: made.tracker, view: cast.body };
}

const report = (page: Page): Locator => page.locator('section.report');

/** The report's text as a person reads it from the top, line by line (folded details are not read). */
async function reportLines(page: Page): Promise<string[]> {
  return (await report(page).innerText()).split('\n').map((s) => s.trim()).filter((s) => s !== '');
}

describe('her sheet scanned before the poll opens', () => {
  test('the code is kept in this tab through a reload, never in localStorage or a request, and the booth goes on by itself when the poll opens', async () => {
    const ready = await openPoll(site, { voters: 1, seed: 'scanned too early', open: false });
    const voter = ready.voters[0];
    const { page, problems, context } = await openTab(browser, site.base, { viewport: PHONE, locale: 'en-GB' });
    const sent: string[] = [];
    page.on('request', (r) => sent.push(`${r.url()} ${r.postData() ?? ''}`));

    await page.goto(`/poll/${ready.poll}/vote#${voter.code}`);
    await heading(page, say('en', 'booth.step.unavailable'));
    expect(new URL(page.url()).hash).toBe('');
    await page.reload();
    await heading(page, say('en', 'booth.step.unavailable'));
    expect(await page.getByLabel(say('en', 'booth.code.label'), { exact: true }).count()).toBe(0);

    // The poll opens on the server: the booth follows the poll's phase live and checks the kept code by itself.
    expect((await ready.owner.post(`/api/polls/${ready.poll}/open`)).status).toBe(200);
    await heading(page, say('en', 'booth.step.ready'), 30_000);
    expect(await page.getByLabel(say('en', 'booth.code.label'), { exact: true }).count()).toBe(0);
    expect(problems).toEqual([]);
    await context.close();

    // Again from the start, in Chinese, to see the words of the wait: a second poll, still not open.
    const later = await openPoll(site, { voters: 1, seed: 'scanned too early, in Chinese', open: false });
    const zh = await openTab(browser, site.base, { viewport: PHONE, locale: 'zh-CN' });
    zh.page.on('request', (r) => sent.push(`${r.url()} ${r.postData() ?? ''}`));
    await zh.page.goto(`/poll/${later.poll}/vote#${later.voters[0].code}`);
    await heading(zh.page, say('zh', 'booth.step.unavailable'));
    await zh.page.getByText(say('zh', 'booth.unavailable.codeKept')).waitFor();
    await zh.page.reload();
    await zh.page.getByText(say('zh', 'booth.unavailable.codeKept')).waitFor();
    expect(await zh.page.title()).toContain(say('zh', 'booth.step.unavailable'));
    await screen(zh.page, zh.problems, 'waiting', 'zh');
    await zh.page.getByRole('button', { name: 'Switch to English' }).click();
    await zh.page.getByText(say('en', 'booth.unavailable.codeKept')).waitFor();
    await screen(zh.page, zh.problems, 'waiting', 'en');
    // Kept in the tab's sessionStorage only.
    const stored = await zh.page.evaluate(() => ({ local: JSON.stringify({ ...localStorage }), session: JSON.stringify({ ...sessionStorage }) }));
    expect(stored.local).not.toContain(later.voters[0].code);
    expect(stored.session).toContain(later.voters[0].code);

    expect((await later.owner.post(`/api/polls/${later.poll}/open`)).status).toBe(200);
    await heading(zh.page, say('en', 'booth.step.ready'), 30_000);
    await voteAndSeal(zh.page, 'en');
    await zh.page.getByRole('button', { name: say('en', 'booth.tracker.cast') }).click();
    await heading(zh.page, say('en', 'booth.step.cast'), 60_000);
    await zh.page.getByText(say('en', 'booth.check.allGood')).waitFor({ timeout: 60_000 });
    expect((await reader.get(`/api/polls/${later.poll}/credentials/${toHex(encodePoint(later.voters[0].credential.publicKey))}`)).body.ballots).toBe(1);
    // No request carried the code, in any spelling.
    for (const code of [voter.code, later.voters[0].code]) {
      const bare = code.replace(/-/g, '');
      expect(sent.filter((s) => s.includes(code) || s.includes(bare))).toEqual([]);
    }
    expect(zh.problems).toEqual([]);
    await zh.context.close();
  });
});

describe('the sheet’s link opened in a tab already on the booth', () => {
  test('on the code form the booth takes the code; mid-ballot it asks first, and the two codes never mix', async () => {
    const [first, second] = [voters[0], voters[1]];
    const { page, problems, context } = await openTab(browser, site.base, { viewport: PHONE, locale: 'zh-CN' });
    await page.goto(`/poll/${poll}/vote`);
    await heading(page, say('zh', 'booth.step.code'));
    // The link of her sheet, opened in the same tab: only the fragment changes.
    await page.goto(`/poll/${poll}/vote#${first.code}`);
    await heading(page, say('zh', 'booth.step.ready'));
    expect(new URL(page.url()).hash).toBe('');
    expect(await page.title()).toContain(say('zh', 'booth.step.ready'));

    // Mid-ballot, another sheet's link: she is asked first, and may go on with the code she has.
    await page.getByRole('button', { name: say('zh', 'booth.ready.start') }).click();
    await page.getByRole('radio', { name: '红色' }).check();
    await page.getByRole('button', { name: say('zh', 'booth.nav.next') }).click();
    await heading(page, say('zh', 'booth.step.question', { n: 2, count: 3 }));
    await page.goto(`/poll/${poll}/vote#${second.code}`);
    await page.getByRole('alert').filter({ hasText: say('zh', 'booth.switch.title') }).waitFor();
    await screen(page, problems, 'new-code-mid-ballot', 'zh');
    await page.getByRole('button', { name: 'Switch to English' }).click();
    await page.getByRole('alert').filter({ hasText: say('en', 'booth.switch.title') }).waitFor();
    await screen(page, problems, 'new-code-mid-ballot', 'en');
    await page.getByRole('button', { name: say('en', 'booth.switch.keep') }).click();
    await heading(page, say('en', 'booth.step.question', { n: 2, count: 3 }));
    expect(await page.getByRole('alert').filter({ hasText: say('en', 'booth.switch.title') }).count()).toBe(0);
    await page.getByRole('button', { name: say('en', 'booth.nav.previous') }).click();
    expect(await page.getByRole('radio', { name: 'Red' }).isChecked()).toBe(true);

    // Again, and this time she starts over with the new code: the first code's answers are gone.
    await page.goto(`/poll/${poll}/vote#${second.code}`);
    await page.getByRole('button', { name: say('en', 'booth.switch.newCode') }).click();
    await heading(page, say('en', 'booth.step.ready'));
    await voteAndSeal(page, 'en');
    await page.getByRole('button', { name: say('en', 'booth.tracker.cast') }).click();
    await heading(page, say('en', 'booth.step.cast'), 60_000);
    expect(await ballotsOf(second)).toBe(1);
    expect(await ballotsOf(first)).toBe(0);

    // After a cast there are no answers to lose: a third sheet's link is taken at once.
    await page.goto(`/poll/${poll}/vote#${voters[2].code}`);
    await heading(page, say('en', 'booth.step.ready'));
    await page.getByText(say('en', 'booth.ready.mayRevote', { max: 3 })).waitFor();
    expect(problems).toEqual([]);
    await context.close();
  });
});

describe('the receipt check', () => {
  test('a mistyped tracker after a passed check leaves no green report: only the error', async () => {
    const { tracker } = await castElsewhere(voters[3], 'checked then mistyped');
    for (const lang of ['en', 'zh'] as const) {
      const { page, problems, context } = await openTab(browser, site.base, { viewport: PHONE, locale: locale(lang) });
      await page.goto(`/poll/${poll}/check`);
      const box = page.getByLabel(say(lang, 'booth.checkPage.inputLabel'), { exact: true });
      await box.fill(formatTracker(tracker));
      await page.getByRole('button', { name: say(lang, 'booth.checkPage.check'), exact: true }).click();
      await page.getByText(say(lang, 'booth.check.allGood')).waitFor({ timeout: 30_000 });
      // A U (no tracker has one) in place of a symbol: not a tracker.
      const typo = formatTracker(tracker).replace(/^(\S{4} \S{4} \S)\S/, '$1U');
      await box.fill(typo);
      await page.getByRole('button', { name: say(lang, 'booth.checkPage.check'), exact: true }).click();
      await page.getByRole('alert').filter({ hasText: say(lang, 'booth.checkPage.unreadable') }).waitFor();
      expect(await page.getByText(say(lang, 'booth.check.allGood')).count()).toBe(0);
      expect(await report(page).count()).toBe(0);
      await screen(page, problems, 'check-typo', lang);
      await context.close();
    }
  });

  test('the first groups of the tracker, as the booth advises writing them down, find the ballot; too few are refused in words; a server answer that does not match is an alarm', async () => {
    const { page, problems, context } = await openTab(browser, site.base, { viewport: PHONE, locale: 'en-GB' });
    await page.goto(`/poll/${poll}/vote#${voters[4].code}`);
    await heading(page, say('en', 'booth.step.ready'));
    await voteAndSeal(page, 'en');
    const whole = await shownTracker(page);
    await page.getByRole('button', { name: say('en', 'booth.tracker.cast') }).click();
    await heading(page, say('en', 'booth.step.cast'), 60_000);
    const groups = whole.split(' ');

    // On the check page of the site (no poll named: every poll is searched), only the first four groups.
    await page.goto('/check');
    const box = page.getByLabel(say('en', 'booth.checkPage.inputLabel'), { exact: true });
    await box.fill(groups.slice(0, 4).join(' ').toLowerCase());
    await page.getByRole('button', { name: say('en', 'booth.checkPage.check'), exact: true }).click();
    await report(page).getByText(whole).waitFor({ timeout: 30_000 });
    await report(page).getByRole('heading', { name: say('en', 'booth.verdict.foundTracker') }).waitFor({ timeout: 30_000 });
    await page.getByText(say('en', 'booth.check.allGood')).waitFor();
    await screen(page, problems, 'check-prefix', 'en');

    // The booth said how many groups to write down: four.
    await page.goto(`/poll/${poll}/vote#${voters[5].code}`);
    await heading(page, say('en', 'booth.step.ready'));
    await voteAndSeal(page, 'en');
    await page.getByText(say('en', 'booth.tracker.keep', { groups: 4 })).waitFor();
    await screen(page, problems, 'tracker-keep', 'en');

    // Three groups are too few, in words, in both languages; nothing is looked up.
    for (const lang of ['en', 'zh'] as const) {
      const tab = await openTab(browser, site.base, { viewport: PHONE, locale: locale(lang) });
      await tab.page.goto(`/poll/${poll}/check`);
      await tab.page.getByLabel(say(lang, 'booth.checkPage.inputLabel'), { exact: true }).fill(groups.slice(0, 3).join(' '));
      await tab.page.getByRole('button', { name: say(lang, 'booth.checkPage.check'), exact: true }).click();
      await tab.page.getByRole('alert').filter({ hasText: say(lang, 'booth.checkPage.prefixTooShort', { groups: 4, symbols: 16 }) }).waitFor();
      expect(await report(tab.page).count()).toBe(0);
      await screen(tab.page, tab.problems, 'check-prefix-short', lang);
      await tab.context.close();
    }

    // A server that answers the four groups with another ballot's tracker is caught on this device.
    const other = await castElsewhere(voters[3], 'the server points elsewhere');
    await page.route('**/api/polls/*/trackers?*', (route) => route.fulfill({ status: 200, contentType: 'application/json', body: JSON.stringify({ trackers: [toHex(other.tracker)] }) }));
    await page.goto(`/poll/${poll}/check`);
    await page.getByLabel(say('en', 'booth.checkPage.inputLabel'), { exact: true }).fill(groups.slice(0, 4).join(' '));
    await page.getByRole('button', { name: say('en', 'booth.checkPage.check'), exact: true }).click();
    await page.getByRole('alert').filter({ hasText: say('en', 'booth.verdict.alarm') }).waitFor({ timeout: 30_000 });
    await page.locator('li.line.fail').filter({ hasText: say('en', 'booth.check.startAlarm', { prefix: groups.slice(0, 4).join(' '), tracker: formatTracker(other.tracker) }) }).waitFor();
    expect(await page.getByText(say('en', 'booth.check.allGood')).count()).toBe(0);
    await screen(page, problems, 'check-prefix-alarm', 'en');
    await context.close();
  });

  test('the report gives its verdict first, in words that match what was given, with the details folded', async () => {
    const { tracker, view } = await castElsewhere(voters[3], 'a report to read');
    for (const lang of ['en', 'zh'] as const) {
      const { page, problems, context } = await openTab(browser, site.base, { viewport: PHONE, locale: locale(lang) });
      await page.goto(`/poll/${poll}/check`);
      await page.getByLabel(say(lang, 'booth.checkPage.inputLabel'), { exact: true }).fill(formatTracker(tracker));
      await page.getByRole('button', { name: say(lang, 'booth.checkPage.check'), exact: true }).click();
      await page.getByText(say(lang, 'booth.check.allGood')).waitFor({ timeout: 30_000 });
      await page.getByRole('status').filter({ hasText: say(lang, 'booth.check.running') }).waitFor({ state: 'detached' });
      // Only a tracker was typed: the report never speaks of a receipt.
      const all = await report(page).evaluate((e) => e.textContent ?? '');
      expect(all).not.toMatch(RECEIPT_WORD[lang]);
      // The technical lines are folded; the verdict is the first thing read.
      const details = report(page).locator('details');
      expect(await details.count()).toBe(1);
      expect(await details.evaluate((d) => (d as HTMLDetailsElement).open)).toBe(false);
      expect(await report(page).locator('li.line.pass').first().isVisible()).toBe(false);
      const lines = await reportLines(page);
      expect(lines[0]).toBe(say(lang, 'booth.verdict.foundTracker'));
      expect(await report(page).getByRole('heading', { name: say(lang, 'booth.verdict.foundTracker') }).count()).toBe(1);
      await screen(page, problems, 'check-verdict', lang);
      // Unfolded, the details are there.
      await details.locator('summary').click();
      await report(page).locator('li.line.pass').filter({ hasText: say(lang, 'booth.check.entryBallot', { height: view.height, time: 'X' }).split('X')[0] }).waitFor();
      await screen(page, problems, 'check-verdict-open', lang);
      expect(await page.title()).toContain(say(lang, 'booth.checkPage.title'));

      // A check link: its own words.
      await page.goto(`/poll/${poll}/check?tracker=${trackerText(tracker)}`);
      await report(page).getByRole('heading', { name: say(lang, 'booth.verdict.foundLink') }).waitFor({ timeout: 30_000 });
      expect((await reportLines(page))[0]).toBe(say(lang, 'booth.verdict.foundLink'));
      expect(await report(page).evaluate((e) => e.textContent ?? '')).not.toMatch(RECEIPT_WORD[lang]);

      // A receipt file: now it is a receipt.
      const parts = { receipt: view.receipt, checkpoint: view.checkpoint, path: view.path.map((p) => unhex(p)) };
      await page.getByLabel(say(lang, 'booth.checkPage.loadFile')).setInputFiles({ name: 'receipt.txt', mimeType: 'text/plain', buffer: Buffer.from(receiptFileText(['gongshi ballot receipt'], parts)) });
      await report(page).getByRole('heading', { name: say(lang, 'booth.verdict.foundReceipt') }).waitFor({ timeout: 30_000 });
      expect((await reportLines(page))[0]).toBe(say(lang, 'booth.verdict.foundReceipt'));

      // A tracker not on the board: NOT found, first, in words.
      const unknown = formatTracker(seededRandom(`no such ballot ${lang}`)(32));
      await page.getByLabel(say(lang, 'booth.checkPage.inputLabel'), { exact: true }).fill(unknown);
      await page.getByRole('button', { name: say(lang, 'booth.checkPage.check'), exact: true }).click();
      await report(page).getByRole('heading', { name: say(lang, 'booth.verdict.notFound') }).waitFor({ timeout: 30_000 });
      expect((await reportLines(page))[0]).toBe(say(lang, 'booth.verdict.notFound'));
      expect(await report(page).evaluate((e) => e.textContent ?? '')).not.toMatch(RECEIPT_WORD[lang]);
      await screen(page, problems, 'check-not-found', lang);
      await context.close();
    }
  });
});

describe('tab titles', () => {
  test('the booth names its step and its poll', async () => {
    const { page, context } = await openTab(browser, site.base, { viewport: PHONE, locale: 'en-GB' });
    await page.goto(`/poll/${poll}/vote`);
    await heading(page, say('en', 'booth.step.code'));
    await expect.poll(() => page.title()).toBe(`${say('en', 'booth.step.code')} · Courtyard committee poll — 公示 gongshi`);
    await page.goto('/check');
    await expect.poll(() => page.title()).toBe(`${say('en', 'booth.checkPage.title')} — 公示 gongshi`);
    await context.close();
  });
});
