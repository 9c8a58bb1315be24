/**
 * Desk mode in a real browser, on a tablet: the organiser makes a shared device the poll's voting desk
 * (signed in, behind a confirm; she is signed out at once); two voters vote one after the other on it.
 * After each, the page's localStorage, sessionStorage and IndexedDB hold no receipt, tracker or code,
 * the second voter never sees the first's receipt, and the printed receipt's tracker is the board's and
 * its QR code is the check link, which passes the check on another browser. The final screen also
 * starts over by itself after the quiet time. A resident cannot end desk mode without the organiser's
 * password; once she ends it, the booth keeps receipts again. In English and Chinese, with axe.
 */
import QR from 'qrcode';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { parseTracker, toHex, trackerText } from '../../crypto/index.ts';
import { booth } from '../../client/src/i18n/booth.ts';
import { organiser as organiserTexts } from '../../client/src/i18n/organiser.ts';
import { DESK_IDLE_MS } from '../../client/src/booth/desk-flag.ts';
import { PHONE, axe, launchBrowser, missingKeys, openTab, screenshot, startSite, type Tab } from './support.ts';
import { Client, ORGANISER, openPoll, type Running, type Voter } from '../server/support.ts';
import type { Draft } from '../../server/polls/draft.ts';

const TABLET = { width: 768, height: 1024 };
/** The tracker of a receipt this device kept before it became a desk. */
const EARLIER = 'ee'.repeat(32);

let browser: Browser;
let site: Running;
let poll: string;
let voters: Voter[];
let reader: Client;

const bi = (en: string, zh: string) => [en, zh];

function gateDraft(): Draft {
  return {
    languages: ['en', 'zh-CN'],
    title: bi('Gate colour', '院门颜色'),
    description: bi('One question.', '一个问题。'),
    questions: [{ question: { kind: 'single', options: 2 }, prompt: bi('Which colour for the gate?', '院门漆成什么颜色？'), options: [bi('Red', '红色'), bi('Green', '绿色')] }],
    trustees: { t: 1, n: 1, names: ['Ms Li'] },
    opensAt: 0,
    closesAt: 0,
    maxBallots: 2,
  };
}

beforeAll(async () => {
  [browser, site] = await Promise.all([launchBrowser(), startSite()]);
  const opened = await openPoll(site, { voters: 3, draft: gateDraft(), seed: 'desk voters' });
  poll = opened.poll;
  voters = opened.voters;
  reader = new Client(site.base);
});
afterAll(async () => {
  await browser?.close();
  await site?.close();
});

type Lang = 'en' | 'zh';
type BoothKey = keyof typeof booth.en;
type OrganiserKey = keyof typeof organiserTexts.en;
const fill = (text: string, vars: Record<string, string | number>) => text.replace(/\{(\w+)\}/g, (_, k: string) => String(vars[k]));
const say = (lang: Lang, key: BoothKey, vars: Record<string, string | number> = {}) => fill((lang === 'en' ? booth.en : booth.zh)[key], vars);
const org = (lang: Lang, key: OrganiserKey, vars: Record<string, string | number> = {}) => fill((lang === 'en' ? organiserTexts.en : organiserTexts.zh)[key], vars);
const button = (page: Page, name: string) => page.getByRole('button', { name, exact: true });
const heading = (page: Page, name: string) => page.getByRole('heading', { name, exact: true });

/** Accessible, translated, no console problem, nothing wider than the screen; and a screenshot. */
async function looked(tab: Tab, name: string): Promise<void> {
  expect(await missingKeys(tab.page), name).toEqual([]);
  expect(await axe(tab.page), name).toEqual([]);
  expect(tab.problems, name).toEqual([]);
  expect(await tab.page.evaluate(() => document.documentElement.scrollWidth), name).toBeLessThanOrEqual(tab.page.viewportSize()!.width);
  await screenshot(tab.page, `desk-${name}`);
}

async function signIn(page: Page, lang: Lang): Promise<void> {
  await page.getByLabel(org(lang, 'organiser.signIn.name'), { exact: true }).fill(ORGANISER.name);
  await page.getByLabel(org(lang, 'organiser.signIn.password'), { exact: true }).fill(ORGANISER.password);
  await button(page, org(lang, 'organiser.signIn.submit')).click();
}

/** Everything the page's storage holds: every localStorage and sessionStorage key and value, and the IndexedDB databases. */
async function storage(page: Page): Promise<{ local: Record<string, string>; session: Record<string, string>; indexedDB: string[] }> {
  return page.evaluate(async () => {
    const dump = (s: Storage) => Object.fromEntries(Array.from({ length: s.length }, (_, i) => s.key(i)!).map((k) => [k, s.getItem(k) ?? '']));
    const dbs = await indexedDB.databases();
    return { local: dump(localStorage), session: dump(sessionStorage), indexedDB: dbs.map((d) => d.name ?? '') };
  });
}

/** Nothing of this voter (her code, her tracker in any spelling) and no receipt list is in the page's storage. */
async function expectNoTrace(page: Page, voter: Voter, tracker: string): Promise<void> {
  const kept = await storage(page);
  expect(kept.indexedDB).toEqual([]);
  // The one receipt list is the one kept before the device became a desk, unchanged.
  const keys = [...Object.keys(kept.local), ...Object.keys(kept.session)];
  expect(keys.filter((k) => /receipt|code|fingerprint|tracker/.test(k))).toEqual([`gongshi.receipts.${poll}`]);
  expect(JSON.parse(kept.local[`gongshi.receipts.${poll}`]).map((r: { tracker: string }) => r.tracker)).toEqual([EARLIER]);
  const all = JSON.stringify(kept).toLowerCase();
  const bytes = Buffer.from(tracker, 'hex');
  for (const trace of [voter.code, tracker, trackerText(bytes), trackerText(bytes).slice(0, 16)]) expect(all).not.toContain(trace.toLowerCase());
}

/** At the desk's empty code step: types her code, answers, seals and casts. Returns the printed receipt's tracker (hex) and check link. */
async function voteAtDesk(tab: Tab, voter: Voter, lang: Lang, colour: string): Promise<{ tracker: string; link: string }> {
  const { page } = tab;
  await heading(page, say(lang, 'booth.step.code')).waitFor();
  expect(await page.getByLabel(say(lang, 'booth.code.label'), { exact: true }).inputValue()).toBe('');
  await page.getByLabel(say(lang, 'booth.code.label'), { exact: true }).fill(voter.code);
  await button(page, say(lang, 'booth.code.submit')).click();
  await heading(page, say(lang, 'booth.step.ready')).waitFor();
  await button(page, say(lang, 'booth.ready.start')).click();
  await page.getByRole('radio', { name: colour }).check();
  await button(page, say(lang, 'booth.nav.review')).click();
  await button(page, say(lang, 'booth.review.seal')).click();
  await heading(page, say(lang, 'booth.step.tracker')).waitFor({ timeout: 60_000 });
  await button(page, say(lang, 'booth.tracker.cast')).click();
  await heading(page, say(lang, 'booth.step.cast')).waitFor();
  await page.getByText(say(lang, 'booth.check.allGood')).waitFor({ timeout: 30_000 });
  // No download of a receipt file on a desk: it would stay on the shared device.
  expect(await page.getByRole('link', { name: say(lang, 'booth.cast.download') }).count()).toBe(0);
  const shown = parseTracker((await page.locator('[data-tracker]').textContent()) ?? '');
  expect(shown).not.toBeNull();
  const link = (await page.locator('[data-check-link]').textContent())!.trim();
  return { tracker: toHex(shown!), link };
}

/** The QR code on the printed receipt draws exactly `link` (the same modules the QrCode component draws for it). */
async function expectQrOf(page: Page, link: string): Promise<void> {
  const code = QR.create(link, { errorCorrectionLevel: 'M' });
  let d = '';
  for (let y = 0; y < code.modules.size; y++) for (let x = 0; x < code.modules.size; x++) if (code.modules.get(x, y)) d += `M${x} ${y}h1v1h-1z`;
  expect(await page.locator('[data-qr] svg path').getAttribute('d')).toBe(d);
}

/** The board holds a cast ballot under this tracker. */
async function expectOnBoard(tracker: string): Promise<void> {
  const receipt = await reader.get(`/api/polls/${poll}/receipts/${tracker}`);
  expect(receipt.status).toBe(200);
  const entry = await reader.get(`/api/polls/${poll}/entries/${receipt.body.height}`);
  expect([entry.body.type, entry.body.tracker]).toEqual(['ballot', tracker]);
}

describe('a voting desk', () => {
  test('two voters one after the other leave no trace, print receipts that check out elsewhere, and only the organiser ends desk mode', async () => {
    const desk = await openTab(browser, site.base, { viewport: TABLET, locale: 'en-GB' });
    const { page } = desk;

    // The device kept a receipt before it became a desk (someone voted on it as on her own phone).
    await page.goto('/');
    await page.evaluate(
      ([p, r]) => localStorage.setItem(`gongshi.receipts.${p}`, JSON.stringify([r])),
      [poll, { poll, type: 'ballot', height: 1, tracker: EARLIER, entryHash: '00'.repeat(32), receipt: 'earlier', checkpoint: '', size: 2, path: [], title: ['Gate colour', '院门颜色'], languages: ['en', 'zh-CN'], savedAt: 1 }] as const,
    );

    // The organiser, signed in on the shared device, finds the desk on her poll's page.
    await page.goto(`/organiser/polls/${poll}`);
    await signIn(page, 'en');
    await page.getByRole('link', { name: org('en', 'organiser.home.desk'), exact: true }).click();
    await heading(page, org('en', 'organiser.desk.title')).waitFor();
    await page.getByText(org('en', 'organiser.desk.noReceipts')).waitFor();
    await looked(desk, 'setup-en-tablet');
    await button(page, org('en', 'organiser.desk.start')).click();
    await page.getByRole('dialog').getByText(org('en', 'organiser.desk.startExplain', { title: 'Gate colour' })).waitFor();
    await looked(desk, 'setup-confirm-en-tablet');
    await button(page, org('en', 'organiser.desk.startYes')).click();

    // The desk's booth, with its banner; she is signed out here.
    await page.waitForURL(`${site.base}/poll/${poll}/vote`);
    await page.getByText(say('en', 'booth.desk.banner')).waitFor();
    await heading(page, say('en', 'booth.step.code')).waitFor();
    expect((await storage(page)).local['gongshi.desk']).toContain(poll);
    expect((await page.request.get(`${site.base}/api/session`)).status()).toBe(401);
    await looked(desk, 'banner-en-tablet');

    // Voter 1.
    const first = await voteAtDesk(desk, voters[0], 'en', 'Red');
    await expectOnBoard(first.tracker);
    expect(first.link).toBe(`${site.base}/poll/${poll}/check?tracker=${trackerText(Buffer.from(first.tracker, 'hex'))}`);
    await expectQrOf(page, first.link);
    await page.getByText(say('en', 'booth.desk.nothingKept', { minutes: DESK_IDLE_MS / 60_000 })).waitFor();
    await expectNoTrace(page, voters[0], first.tracker);
    await looked(desk, 'cast-en-tablet');

    // The print view: the receipt alone (title, time, tracker, QR code), none of the screen around it.
    await page.emulateMedia({ media: 'print' });
    expect(await page.locator('.desk-receipt').isVisible()).toBe(true);
    expect(await heading(page, say('en', 'booth.step.cast')).isVisible()).toBe(false);
    expect(await button(page, say('en', 'booth.desk.next')).isVisible()).toBe(false);
    expect(await page.getByText(say('en', 'booth.desk.banner')).isVisible()).toBe(false);
    const printed = await page.locator('.desk-receipt').innerText();
    expect(printed).toContain('Gate colour');
    expect(printed).toContain(say('en', 'booth.desk.receipt.kind'));
    await screenshot(page, 'desk-print-en-tablet');
    await page.emulateMedia({ media: 'screen' });

    // Done: an empty code step, nothing of voter 1 on the screen or in storage.
    await button(page, say('en', 'booth.desk.next')).click();
    await heading(page, say('en', 'booth.step.code')).waitFor();
    expect(await page.locator('main').innerText()).not.toContain(trackerText(Buffer.from(first.tracker, 'hex')).slice(0, 4));
    await expectNoTrace(page, voters[0], first.tracker);
    await looked(desk, 'reset-en-tablet');

    // The printed link checks out from the voter's own phone, another browser.
    const phone = await openTab(browser, site.base, { viewport: PHONE, locale: 'en-GB' });
    await phone.page.goto(first.link);
    await phone.page.getByText(say('en', 'booth.check.allGood')).waitFor({ timeout: 30_000 });
    expect(phone.problems).toEqual([]);
    await phone.context.close();

    // Voter 2, in Chinese, on a phone-sized screen: she never sees voter 1's receipt.
    await page.setViewportSize(PHONE);
    await button(page, '切换到中文').click();
    await heading(page, say('zh', 'booth.step.code')).waitFor();
    await page.getByText(say('zh', 'booth.desk.banner')).waitFor();
    await looked(desk, 'banner-zh-phone');
    const second = await voteAtDesk(desk, voters[1], 'zh', '绿色');
    expect(second.tracker).not.toBe(first.tracker);
    await expectOnBoard(second.tracker);
    await expectQrOf(page, second.link);
    const screenText = await page.locator('main').innerText();
    expect(screenText).not.toContain(trackerText(Buffer.from(first.tracker, 'hex')).slice(0, 4));
    await expectNoTrace(page, voters[0], first.tracker);
    await expectNoTrace(page, voters[1], second.tracker);
    await looked(desk, 'cast-zh-phone');
    await page.emulateMedia({ media: 'print' });
    await screenshot(page, 'desk-print-zh-phone');
    await page.emulateMedia({ media: 'screen' });

    // The check page on the desk lists no kept receipt, not even one kept before it became a desk.
    await page.goto('/check');
    await heading(page, say('zh', 'booth.checkPage.title')).waitFor();
    expect(await heading(page, say('zh', 'booth.checkPage.savedTitle')).count()).toBe(0);
    await looked(desk, 'check-zh-phone');
    await page.getByRole('link', { name: say('zh', 'booth.desk.toBooth'), exact: true }).click();
    await heading(page, say('zh', 'booth.step.code')).waitFor();
    const again = await voteAtDesk(desk, voters[1], 'zh', '红色'); // her second (last) ballot, left on the final screen
    await expectOnBoard(again.tracker);
    // Left alone on the final screen, the desk starts over by itself after the quiet time.
    await page.clock.install();
    await page.mouse.move(5, 5);
    await page.locator('main').click({ position: { x: 2, y: 2 } }); // a touch: the wait starts again, on the installed clock
    await page.clock.runFor(DESK_IDLE_MS - 1000);
    await heading(page, say('zh', 'booth.step.cast')).waitFor();
    await page.clock.runFor(2000);
    await heading(page, say('zh', 'booth.step.code')).waitFor();
    expect(await page.locator('main').innerText()).not.toContain(trackerText(Buffer.from(again.tracker, 'hex')).slice(0, 4));
    await expectNoTrace(page, voters[1], again.tracker);
    await looked(desk, 'reset-zh-phone');
    await page.clock.resume();

    // A resident cannot end desk mode: the control asks for the organiser's password.
    await button(page, say('zh', 'booth.desk.end')).click();
    await page.getByRole('dialog').getByText(say('zh', 'booth.desk.endExplain')).waitFor();
    await looked(desk, 'end-confirm-zh-phone');
    await button(page, say('zh', 'booth.desk.endYes')).click();
    await page.waitForURL(`${site.base}/organiser/polls/${poll}/desk`);
    await page.getByLabel(org('zh', 'organiser.signIn.password'), { exact: true }).waitFor();
    expect((await storage(page)).local['gongshi.desk']).toContain(poll); // still a desk until she signs in and ends it
    await page.getByText(say('zh', 'booth.desk.banner')).waitFor();
    await signIn(page, 'zh');
    await page.getByText(/^本设备是本次投票的投票台/).waitFor();
    await looked(desk, 'is-desk-zh-phone');
    await button(page, org('zh', 'organiser.desk.end')).click();
    await button(page, org('zh', 'organiser.desk.endYes')).click();
    await page.getByText(org('zh', 'organiser.desk.ended')).waitFor();
    expect(await page.getByText(say('zh', 'booth.desk.banner')).count()).toBe(0);
    expect((await storage(page)).local['gongshi.desk']).toBeUndefined();
    await looked(desk, 'ended-zh-phone');

    // Normal again: a vote on this device keeps its receipt.
    await page.goto(`/poll/${poll}/vote`);
    const third = await (async () => {
      await page.getByLabel(say('zh', 'booth.code.label'), { exact: true }).fill(voters[2].code);
      await button(page, say('zh', 'booth.code.submit')).click();
      await button(page, say('zh', 'booth.ready.start')).click();
      await page.getByRole('radio', { name: '红色' }).check();
      await button(page, say('zh', 'booth.nav.review')).click();
      await button(page, say('zh', 'booth.review.seal')).click();
      await heading(page, say('zh', 'booth.step.tracker')).waitFor({ timeout: 60_000 });
      await button(page, say('zh', 'booth.tracker.cast')).click();
      await page.getByText(say('zh', 'booth.cast.saved')).waitFor({ timeout: 30_000 });
      return toHex(parseTracker((await page.locator('p.tracker').first().textContent()) ?? '')!);
    })();
    const kept = JSON.parse((await storage(page)).local[`gongshi.receipts.${poll}`] ?? '[]') as { tracker: string }[];
    expect(kept.map((r) => r.tracker)).toEqual([EARLIER, third]);
    expect(await page.getByText(say('zh', 'booth.desk.banner')).count()).toBe(0);
    expect(desk.problems).toEqual([]);
    await desk.context.close();
  });
});
