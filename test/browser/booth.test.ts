/**
 * The voting booth and the receipt check in a real browser, on a phone: a voter opens her sheet's
 * link, answers every question kind (the limits hold as she goes), reviews, audits a sealed ballot
 * (the audit is on the board and a second device re-checks it), seals again, casts, and her receipt
 * checks out in the browser, is kept on the device and downloads as a file that verifies in Node;
 * she revotes later; an unregistered code writes nothing. The check page passes a tracker and a
 * receipt file and fails a forged one. In English and Chinese, with axe and no missing text.
 */
import { readFileSync } from 'node:fs';
import QR from 'qrcode';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { encodePoint, formatTracker, generateCredentialCode, parseTracker, seededRandom, toHex, trackerText } from '../../crypto/index.ts';
import { formatPollFingerprint, parseVerifierKey, pollFingerprint, registrarPublicKey } from '../../bulletin-board/index.ts';
import { verifyReceipt } from '../../verifier/index.ts';
import { booth } from '../../client/src/i18n/booth.ts';
import { readReceiptFile, receiptFileText } from '../../client/src/booth/receipt-file.ts';
import { PHONE, axe, launchBrowser, missingKeys, openTab, screenshot, startSite } from './support.ts';
import { Client, TEST_REGISTRAR_SEED, castBallot, hex, openPoll, postAudit, unb64, unhex, type Running, type Voter } from '../server/support.ts';
import type { Draft } from '../../server/polls/draft.ts';

let browser: Browser;
let site: Running;
let poll: string;
let notOpen: string;
let voters: Voter[];
let logKey: string;
let reader: Client;

const bi = (en: string, zh: string) => [en, zh];

/** Six questions, one of each kind, in English and Chinese. */
function allKindsDraft(): Draft {
  return {
    languages: ['en', 'zh-CN'],
    title: bi('Courtyard poll', '院落投票'),
    description: bi('Six questions about the courtyard.', '关于院落的六个问题。'),
    questions: [
      { question: { kind: 'single', options: 3, blank: true }, prompt: bi('Gate colour?', '院门颜色？'), options: [bi('Red', '红色'), bi('Green', '绿色'), bi('Grey', '灰色')] },
      {
        question: { kind: 'multiple', options: 4, min: 1, max: 2 },
        prompt: bi('Evening classes (one or two)?', '晚间课程（一到两项）？'),
        options: [bi('Tai chi', '太极'), bi('Calligraphy', '书法'), bi('English', '英语'), bi('Computers', '电脑')],
      },
      { question: { kind: 'yes-no-abstain' }, prompt: bi('Keep the night light on?', '夜灯保持开启？'), options: [bi('Yes', '是'), bi('No', '否'), bi('Abstain', '弃权')] },
      { question: { kind: 'score', options: 2, maxScore: 5 }, prompt: bi('Rate the caretakers', '为管理员打分'), options: [bi('Morning shift', '早班'), bi('Night shift', '夜班')] },
      { question: { kind: 'cumulative', options: 3, points: 10, blank: true }, prompt: bi('Spread 10 points', '分配 10 分'), options: [bi('Paving', '铺路'), bi('Lighting', '照明'), bi('Benches', '长椅')] },
      { question: { kind: 'budget', costs: [300, 500, 200], budget: 700 }, prompt: bi('Spend up to 700 on:', '700 元以内：'), options: [bi('Seats', '座椅'), bi('Bicycle shed', '车棚'), bi('Plants', '绿植')] },
    ],
    trustees: { t: 1, n: 1, names: ['Ms Li'] },
    opensAt: 0,
    closesAt: 0,
    maxBallots: 3,
    registrar: { name: 'Registrar Wang', key: hex(registrarPublicKey(TEST_REGISTRAR_SEED)), isOrganiser: true },
  };
}

beforeAll(async () => {
  [browser, site] = await Promise.all([launchBrowser(), startSite()]);
  notOpen = (await openPoll(site, { voters: 1, draft: allKindsDraft(), seed: 'not open yet', open: false })).poll;
  const opened = await openPoll(site, { voters: 5, draft: allKindsDraft(), seed: 'booth voters' });
  poll = opened.poll;
  voters = opened.voters;
  reader = new Client(site.base);
  logKey = (await reader.get(`/api/polls/${poll}`)).body.logKey;
});
afterAll(async () => {
  await browser?.close();
  await site?.close();
});

type Lang = 'en' | 'zh';
/** The booth's own texts, so the same steps drive the page in either language. */
const say = (lang: Lang, key: keyof typeof booth.en, vars: Record<string, string | number> = {}) =>
  (lang === 'en' ? booth.en : booth.zh)[key].replace(/\{(\w+)\}/g, (_, k: string) => String(vars[k]));
const text = (lang: Lang, en: string, zh: string) => (lang === 'en' ? en : zh);

/** Every screen: nothing in the console, no axe violation, no missing text; and a screenshot. */
async function screen(page: Page, problems: string[], name: string, lang: Lang) {
  expect(await missingKeys(page)).toEqual([]);
  expect(await axe(page)).toEqual([]);
  expect(problems).toEqual([]);
  // Nothing wider than the phone: no sideways scrolling.
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(page.viewportSize()!.width);
  await screenshot(page, `booth-${name}-${lang}-phone`);
}

/** The same screen at 200% zoom: half the CSS width, still no sideways scrolling. */
async function zoomed(page: Page, problems: string[], name: string, lang: Lang) {
  await page.setViewportSize({ width: Math.floor(PHONE.width / 2), height: PHONE.height });
  await expect.poll(() => page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(Math.floor(PHONE.width / 2));
  await screen(page, problems, `${name}-zoom200`, lang);
  await page.setViewportSize(PHONE);
}

async function boardSize(): Promise<number> {
  return (await reader.get(`/api/polls/${poll}/checkpoint`)).body.size;
}

async function heading(page: Page, name: string) {
  await page.getByRole('heading', { name, exact: true }).waitFor();
}

/** The tracker shown on the sealed-ballot step, as hex. */
async function shownTracker(page: Page): Promise<string> {
  const shown = (await page.locator('p.tracker').first().textContent()) ?? '';
  const bytes = parseTracker(shown);
  expect(bytes).not.toBeNull();
  return toHex(bytes!);
}

/** Answers the six questions (checking the limits as it goes), screenshots each, and reaches the review. */
async function answerEverything(page: Page, problems: string[], lang: Lang) {
  const next = say(lang, 'booth.nav.next');
  // 1 single, blank allowed: going on without a choice is refused, with the reason.
  await heading(page, say(lang, 'booth.step.question', { n: 1, count: 6 }));
  await page.getByText(say(lang, 'booth.limit.single')).waitFor();
  await page.getByRole('button', { name: next }).click();
  await page.getByRole('alert').filter({ hasText: say(lang, 'booth.need.oneOrBlank') }).waitFor();
  await page.getByRole('radio', { name: text(lang, 'Green', '绿色') }).check();
  await screen(page, problems, 'question-single', lang);
  await page.getByRole('button', { name: next }).click();

  // 2 multiple, at most 2: a third box is disabled once two are ticked.
  await heading(page, say(lang, 'booth.step.question', { n: 2, count: 6 }));
  await page.getByRole('checkbox', { name: text(lang, 'Tai chi', '太极') }).check();
  await page.getByRole('checkbox', { name: text(lang, 'Calligraphy', '书法') }).check();
  await expect.poll(() => page.getByRole('checkbox', { name: text(lang, 'English', '英语') }).isDisabled()).toBe(true);
  expect(await page.getByRole('checkbox', { name: text(lang, 'Computers', '电脑') }).isDisabled()).toBe(true);
  await page.getByText(say(lang, 'booth.multiple.full', { count: 2, max: 2 })).waitFor();
  await screen(page, problems, 'question-multiple', lang);
  await page.getByRole('button', { name: next }).click();

  // 3 yes / no / abstain
  await heading(page, say(lang, 'booth.step.question', { n: 3, count: 6 }));
  await page.getByRole('radio', { name: text(lang, 'Yes', '是'), exact: true }).check();
  await screen(page, problems, 'question-yes-no', lang);
  await page.getByRole('button', { name: next }).click();

  // 4 score 0..5: a typed 9 is refused; + stops at 5.
  await heading(page, say(lang, 'booth.step.question', { n: 4, count: 6 }));
  const morning = text(lang, 'Morning shift', '早班');
  for (let i = 0; i < 4; i++) await page.getByRole('button', { name: say(lang, 'booth.number.more', { option: morning }) }).click();
  await page.getByRole('spinbutton', { name: text(lang, 'Night shift', '夜班') }).fill('9');
  await page.getByRole('button', { name: next }).click();
  await page.getByRole('alert').filter({ hasText: say(lang, 'booth.need.scoreRange', { max: 5 }) }).waitFor();
  await page.getByRole('spinbutton', { name: text(lang, 'Night shift', '夜班') }).fill('2');
  await page.getByRole('button', { name: say(lang, 'booth.number.more', { option: morning }) }).click();
  expect(await page.getByRole('spinbutton', { name: morning }).inputValue()).toBe('5');
  expect(await page.getByRole('button', { name: say(lang, 'booth.number.more', { option: morning }) }).isDisabled()).toBe(true);
  await screen(page, problems, 'question-score', lang);
  await page.getByRole('button', { name: next }).click();

  // 5 cumulative, 10 points: 11 is refused; at 10 every + is disabled.
  await heading(page, say(lang, 'booth.step.question', { n: 5, count: 6 }));
  await page.getByRole('spinbutton', { name: text(lang, 'Paving', '铺路') }).fill('8');
  await page.getByRole('spinbutton', { name: text(lang, 'Lighting', '照明') }).fill('3');
  await page.getByText(say(lang, 'booth.number.over', { over: 1, points: 10 })).waitFor();
  await page.getByRole('button', { name: next }).click();
  await page.getByRole('alert').filter({ hasText: say(lang, 'booth.need.tooManyPoints', { over: 1, points: 10 }) }).waitFor();
  await page.getByRole('button', { name: say(lang, 'booth.number.less', { option: text(lang, 'Lighting', '照明') }) }).click();
  await page.getByText(say(lang, 'booth.number.left', { left: 0, points: 10 })).waitFor();
  expect(await page.getByRole('button', { name: say(lang, 'booth.number.more', { option: text(lang, 'Benches', '长椅') }) }).isDisabled()).toBe(true);
  await screen(page, problems, 'question-cumulative', lang);
  await page.getByRole('button', { name: next }).click();

  // 6 budget 700: after 300 + 200, the 500 project no longer fits and cannot be ticked.
  await heading(page, say(lang, 'booth.step.question', { n: 6, count: 6 }));
  await page.getByRole('checkbox', { name: new RegExp(text(lang, 'Seats', '座椅')) }).check();
  await page.getByRole('checkbox', { name: new RegExp(text(lang, 'Plants', '绿植')) }).check();
  const shed = page.getByRole('checkbox', { name: new RegExp(text(lang, 'Bicycle shed', '车棚')) });
  await expect.poll(() => shed.isDisabled()).toBe(true);
  await page.getByText(say(lang, 'booth.budget.left', { spent: 500, budget: 700, left: 200 })).waitFor();
  await screen(page, problems, 'question-budget', lang);
  await page.getByRole('button', { name: say(lang, 'booth.nav.review') }).click();
  await heading(page, say(lang, 'booth.step.review'));
}

/** The answers in words, as the review, the audit and the check page list them. */
async function choicesText(page: Page, within = page.locator('main')): Promise<string[]> {
  return (await within.locator('ol.choices > li > ul').allInnerTexts()).map((s) => s.trim());
}

/** From the sealed-ballot step: audit, see it on the board and on a second device, seal again. Returns the audited tracker. */
async function auditOnce(page: Page, problems: string[], lang: Lang): Promise<string> {
  const audited = await shownTracker(page);
  await page.getByRole('button', { name: say(lang, 'booth.tracker.audit') }).click();
  await heading(page, say(lang, 'booth.step.audit'));
  await page.getByText(say(lang, 'booth.audit.posted')).waitFor();
  await page.getByText(say(lang, 'booth.audit.opens')).waitFor();
  const revealed = await choicesText(page);
  await screen(page, problems, 'audit', lang);

  // The audit is on the board, under the same tracker.
  const receipt = await reader.get(`/api/polls/${poll}/receipts/${audited}`);
  expect(receipt.status).toBe(200);
  const entry = await reader.get(`/api/polls/${poll}/entries/${receipt.body.height}`);
  expect(entry.body.type).toBe('audit');
  expect(entry.body.tracker).toBe(audited);

  // A second device, with only the check link, re-opens it itself and shows the same choices.
  const link = await page.getByRole('link', { name: say(lang, 'booth.audit.openCheck') }).getAttribute('href');
  expect(link).toBe(`${site.base}/poll/${poll}/check?tracker=${trackerText(unhex(audited))}`);
  const second = await openTab(browser, site.base, { viewport: PHONE, locale: lang === 'en' ? 'en-GB' : 'zh-CN' });
  await second.page.goto(link!);
  // (Passed checks are folded in the report's details.)
  await second.page.getByText(say(lang, 'booth.check.opening')).waitFor({ state: 'attached' });
  await second.page.getByText(say(lang, 'booth.check.allGood')).waitFor({ timeout: 30_000 });
  expect(await choicesText(second.page)).toEqual(revealed);
  await screen(second.page, second.problems, 'check-audit-second-device', lang);
  await second.context.close();

  await page.getByRole('button', { name: say(lang, 'booth.audit.reseal') }).click();
  await heading(page, say(lang, 'booth.step.tracker'));
  expect(await shownTracker(page)).not.toBe(audited);
  return audited;
}

/** Casts the sealed ballot and waits for the receipt check to pass. Returns the cast tracker. */
async function castIt(page: Page, lang: Lang): Promise<string> {
  const tracker = await shownTracker(page);
  await page.getByRole('button', { name: say(lang, 'booth.tracker.cast') }).click();
  await heading(page, say(lang, 'booth.step.cast'));
  await page.getByText(say(lang, 'booth.check.allGood')).waitFor({ timeout: 30_000 });
  return tracker;
}

describe('the booth on a phone', () => {
  test('in English: every question kind with its limits, an audit checked on a second device, a cast with a receipt that verifies, then a revote', async () => {
    const lang: Lang = 'en';
    const voter = voters[0];
    const { page, problems, context } = await openTab(browser, site.base, { viewport: PHONE, locale: 'en-GB' });
    await page.goto(`/poll/${poll}/vote#${voter.code}`);
    await heading(page, say(lang, 'booth.step.ready'));
    expect(new URL(page.url()).hash).toBe('');
    await page.getByText(say(lang, 'booth.ready.mayRevote', { max: 3 })).waitFor();
    // Her link holds no poll fingerprint: the booth shows the board's and asks her to compare it with her sheet.
    const manifest = unb64((await reader.get(`/api/polls/${poll}`)).body.manifest);
    await page.getByText(formatPollFingerprint(pollFingerprint(manifest))).waitFor();
    await page.getByText(say(lang, 'booth.fp.compare')).waitFor();
    await screen(page, problems, 'ready', lang);
    await page.getByRole('button', { name: say(lang, 'booth.ready.start') }).click();
    await answerEverything(page, problems, lang);

    // The review lists every answer in words; "Change" goes back to a question and returns.
    const review = await choicesText(page);
    expect(review).toEqual(['Green', 'Tai chi\nCalligraphy', 'Yes', 'Morning shift: 5 of 5\nNight shift: 2 of 5', 'Paving: 8 points\nLighting: 2 points', 'Seats (costs 300)\nPlants (costs 200)\nIn all: 500 of 700']);
    await screen(page, problems, 'review', lang);
    await page.getByRole('button', { name: 'Change answer 1' }).click();
    await heading(page, say(lang, 'booth.step.question', { n: 1, count: 6 }));
    await page.getByRole('radio', { name: 'Grey' }).check();
    await page.getByRole('button', { name: say(lang, 'booth.nav.toReview') }).click();
    await heading(page, say(lang, 'booth.step.review'));
    expect((await choicesText(page))[0]).toBe('Grey');

    await page.getByRole('button', { name: say(lang, 'booth.review.seal') }).click();
    await heading(page, say(lang, 'booth.step.tracker'));
    await screen(page, problems, 'tracker', lang);
    await zoomed(page, problems, 'tracker', lang);

    const before = (await reader.get(`/api/polls/${poll}/credentials/${toHex(encodePoint(voter.credential.publicKey))}`)).body;
    await auditOnce(page, problems, lang);
    const tracker = await castIt(page, lang);
    await screen(page, problems, 'cast', lang);
    await zoomed(page, problems, 'cast', lang);
    const after = (await reader.get(`/api/polls/${poll}/credentials/${toHex(encodePoint(voter.credential.publicKey))}`)).body;
    expect([after.ballots - before.ballots, after.audits - before.audits]).toEqual([1, 1]);

    // Kept on the device, per poll.
    const kept = JSON.parse((await page.evaluate((p) => localStorage.getItem(`gongshi.receipts.${p}`), poll)) ?? '[]');
    expect(kept.map((r: { tracker: string }) => r.tracker)).toEqual([tracker]);

    // The downloaded file verifies in Node with the poll's log key.
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: say(lang, 'booth.cast.download') }).click()]);
    const file = readFileSync((await download.path())!, 'utf8');
    expect(download.suggestedFilename()).toMatch(/^gongshi-receipt-[0-9a-f]{12}\.txt$/);
    expect(file).toContain(formatTracker(unhex(tracker)));
    const parts = readReceiptFile(file);
    expect(parts).not.toBeNull();
    expect(verifyReceipt(parts!, parseVerifierKey(logKey), unhex(tracker)).ok).toBe(true);

    // It survives a reload and is offered on the check page.
    await page.goto('/check');
    await page.getByRole('button', { name: /^Check the ballot of/ }).click();
    await page.getByText(say(lang, 'booth.check.allGood')).waitFor({ timeout: 30_000 });
    await page.getByText(say(lang, 'booth.check.latestBallotOpen')).waitFor();
    await screen(page, problems, 'check-saved', lang);

    // Later, the same code votes again; the booth says she has voted, and the last ballot counts.
    await page.goto(`/poll/${poll}/vote#${voter.code}`);
    await heading(page, say(lang, 'booth.step.ready'));
    await page.getByText(say(lang, 'booth.ready.revote', { ballots: 1, left: 2 })).waitFor();
    await screen(page, problems, 'ready-revote', lang);
    await page.getByRole('button', { name: say(lang, 'booth.ready.start') }).click();
    await page.getByRole('radio', { name: 'Vote blank (none of these)' }).check();
    await page.getByRole('button', { name: say(lang, 'booth.nav.next') }).click();
    await page.getByRole('checkbox', { name: 'English' }).check();
    await page.getByRole('button', { name: say(lang, 'booth.nav.next') }).click();
    await page.getByRole('radio', { name: 'No', exact: true }).check();
    for (let i = 0; i < 3; i++) await page.getByRole('button', { name: say(lang, 'booth.nav.next') }).click();
    await page.getByRole('button', { name: say(lang, 'booth.nav.review') }).click();
    await page.getByRole('button', { name: say(lang, 'booth.review.seal') }).click();
    await heading(page, say(lang, 'booth.step.tracker'));
    const second = await castIt(page, lang);
    expect(second).not.toBe(tracker);
    await page.getByText(say(lang, 'booth.cast.revote', { left: 1 })).waitFor();
    expect((await reader.get(`/api/polls/${poll}/credentials/${toHex(encodePoint(voter.credential.publicKey))}`)).body.ballots).toBe(2);

    // The first ballot is now replaced: its check says so.
    await page.goto(`/poll/${poll}/check?tracker=${trackerText(unhex(tracker))}`);
    await page.getByText(/Only the last ballot counts, so this one is replaced/).waitFor({ timeout: 30_000 });
    expect(problems).toEqual([]);

    // Her last allowed ballot goes in from another device while this one is sealing: the cast is refused in words.
    await page.goto(`/poll/${poll}/vote#${voter.code}`);
    await page.getByText(say(lang, 'booth.ready.revote', { ballots: 2, left: 1 })).waitFor();
    await page.getByRole('button', { name: say(lang, 'booth.ready.start') }).click();
    await page.getByRole('radio', { name: 'Red' }).check();
    await page.getByRole('button', { name: say(lang, 'booth.nav.next') }).click();
    await page.getByRole('checkbox', { name: 'Computers' }).check();
    await page.getByRole('button', { name: say(lang, 'booth.nav.next') }).click();
    await page.getByRole('radio', { name: 'Abstain' }).check();
    for (let i = 0; i < 3; i++) await page.getByRole('button', { name: say(lang, 'booth.nav.next') }).click();
    await page.getByRole('button', { name: say(lang, 'booth.nav.review') }).click();
    await page.getByRole('button', { name: say(lang, 'booth.review.seal') }).click();
    await heading(page, say(lang, 'booth.step.tracker'));
    const elsewhere = await voter.ballot(reader, [{ blank: true }, { values: [1, 0, 0, 0] }, { values: [0, 0, 1] }, { values: [0, 0] }, { blank: true }, { values: [0, 0, 0] }], seededRandom('other device'));
    expect((await castBallot(reader, poll, elsewhere.bytes)).status).toBe(201);
    await page.getByRole('button', { name: say(lang, 'booth.tracker.cast') }).click();
    await page.getByRole('alert').filter({ hasText: 'You have already voted as many times as this poll allows.' }).waitFor();
    await page.getByText(say(lang, 'booth.cast.cannot')).waitFor();
    expect(await page.getByRole('button', { name: 'Try again' }).count()).toBe(0);
    expect(problems.filter((p) => !/Failed to load resource: .* 422 /.test(p))).toEqual([]);
    problems.length = 0;
    await screen(page, problems, 'cast-revote-limit', lang);
    await context.close();
  });

  test('in Chinese: every step, from the typed code to the receipt check', async () => {
    const lang: Lang = 'zh';
    const voter = voters[1];
    const { page, problems, context } = await openTab(browser, site.base, { viewport: PHONE, locale: 'zh-CN' });
    await page.goto(`/poll/${poll}/vote`);
    await heading(page, say(lang, 'booth.step.code'));
    await screen(page, problems, 'code', lang);
    // Typed in lower case with spaces instead of dashes: accepted.
    await page.getByLabel(say(lang, 'booth.code.label'), { exact: true }).fill(voter.code.toLowerCase().replace(/-/g, ' '));
    await page.getByRole('button', { name: say(lang, 'booth.code.submit') }).click();
    await heading(page, say(lang, 'booth.step.ready'));
    await screen(page, problems, 'ready', lang);
    await page.getByRole('button', { name: say(lang, 'booth.ready.start') }).click();
    await answerEverything(page, problems, lang);
    expect((await choicesText(page))[0]).toBe('绿色');
    await screen(page, problems, 'review', lang);
    await page.getByRole('button', { name: say(lang, 'booth.review.seal') }).click();
    await heading(page, say(lang, 'booth.step.tracker'));
    await screen(page, problems, 'tracker', lang);
    await zoomed(page, problems, 'tracker', lang);
    await auditOnce(page, problems, lang);

    // The network fails on the first try: she is told in words, and a retry casts the same sealed ballot.
    const sealed = await shownTracker(page);
    await page.route('**/api/polls/*/ballots', (route) => route.abort('internetdisconnected'), { times: 1 });
    await page.getByRole('button', { name: say(lang, 'booth.tracker.cast') }).click();
    await page.getByRole('alert').filter({ hasText: '无法连接服务器' }).waitFor();
    await page.getByText(say(lang, 'booth.cast.kept')).waitFor();
    expect(problems.filter((p) => !/Failed to load resource: net::ERR_INTERNET_DISCONNECTED/.test(p))).toEqual([]);
    problems.length = 0;
    await screen(page, problems, 'cast-network-error', lang);
    await page.getByRole('button', { name: '重试' }).click();
    await heading(page, say(lang, 'booth.step.cast'));
    await page.getByText(say(lang, 'booth.check.allGood')).waitFor({ timeout: 30_000 });
    expect((await reader.get(`/api/polls/${poll}/receipts/${sealed}`)).status).toBe(200);
    await screen(page, problems, 'cast', lang);
    await context.close();
  });

  test('a code with a typo, and a code that is not registered, are refused in words and nothing reaches the board; a photo of the sheet\'s QR code works', async () => {
    const { page, problems, context } = await openTab(browser, site.base, { viewport: PHONE, locale: 'en-GB' });
    const size = await boardSize();
    await page.goto(`/poll/${poll}/vote`);
    const box = page.getByLabel('Voter code', { exact: true });
    await box.fill(voters[2].code.slice(0, -1) + (voters[2].code.endsWith('0') ? '1' : '0'));
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByRole('alert').filter({ hasText: booth.en['booth.code.typo'] }).waitFor();
    await box.fill(generateCredentialCode(seededRandom('not registered')));
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByRole('alert').filter({ hasText: booth.en['booth.code.notListed'] }).waitFor();
    // The server answers an unlisted key with 404 NOT_LISTED, which Chromium reports in the console as a failed resource.
    const notListed = (p: string) => /Failed to load resource: .* 404 .*\/credentials\/[0-9a-f]{64}\)$/.test(p);
    expect(problems.filter((p) => !notListed(p))).toEqual([]);
    problems.length = 0;
    await screen(page, problems, 'code-not-listed', 'en');
    // An unregistered code in the link: the same message, and no step further.
    await page.goto(`/poll/${poll}/vote#${generateCredentialCode(seededRandom('another stranger'))}`);
    await page.getByRole('alert').filter({ hasText: booth.en['booth.code.notListed'] }).waitFor();
    expect(await page.getByRole('button', { name: 'Start voting' }).count()).toBe(0);
    expect(await boardSize()).toBe(size);
    expect(problems.filter((p) => !notListed(p))).toEqual([]);
    problems.length = 0;

    // A photo of the QR code on her sheet (the vote link) fills the code in.
    const photo = await QR.toBuffer(`${site.base}/poll/${poll}/vote#${voters[2].code}`, { type: 'png', margin: 4, scale: 6 });
    await page.getByLabel('Read it from a photo').setInputFiles({ name: 'sheet.png', mimeType: 'image/png', buffer: photo });
    await heading(page, 'Your code is registered');
    expect(problems).toEqual([]);
    await context.close();
  });
});

describe('the booth of a poll that is not open', () => {
  test('says so in words, in both languages, and asks for no code', async () => {
    const { page, problems, context } = await openTab(browser, site.base, { viewport: PHONE, locale: 'en-GB' });
    await page.goto(`/poll/${notOpen}/vote`);
    await heading(page, 'Voting is not open');
    await page.getByText(booth.en['booth.unavailable.notYet']).waitFor();
    expect(await page.getByLabel('Voter code').count()).toBe(0);
    await screen(page, problems, 'not-open', 'en');
    await page.getByRole('button', { name: '切换到中文' }).click();
    await heading(page, booth.zh['booth.step.unavailable']);
    await screen(page, problems, 'not-open', 'zh');
    await context.close();
  });
});

describe('the receipt check page', () => {
  test('a pasted tracker and a loaded receipt file pass; a forged receipt fails visibly; a new checkpoint is checked live', async () => {
    const voter = voters[3];
    const rng = seededRandom('check page ballots');
    const made = await voter.ballot(reader, [{ values: [1, 0, 0] }, { values: [0, 0, 1, 0] }, { values: [0, 0, 1] }, { values: [1, 1] }, { blank: true }, { values: [0, 1, 0] }], rng);
    const cast = await castBallot(reader, poll, made.bytes);
    expect(cast.status).toBe(201);
    const view = cast.body;

    const { page, problems, context } = await openTab(browser, site.base, { viewport: PHONE, locale: 'en-GB' });
    await page.goto('/check');
    await page.getByRole('heading', { name: 'Check a receipt', level: 1 }).waitFor();
    await screen(page, problems, 'check-empty', 'en');

    // A tracker typed in groups, on the page without a poll: the poll is found, every check passes.
    await page.getByLabel('Tracker or receipt', { exact: true }).fill(formatTracker(made.tracker).toLowerCase());
    await page.getByRole('button', { name: 'Check', exact: true }).click();
    await page.getByText(booth.en['booth.check.allGood']).waitFor({ timeout: 30_000 });
    // The passed checks are folded under the verdict; a typed tracker's lines speak of what the board signed for it.
    await page.locator('section.report details summary').click();
    for (const key of ['booth.check.signatureTracker', 'booth.check.proofTracker', 'booth.check.entryBallot', 'booth.check.included', 'booth.check.consistentTracker'] as const) {
      await page.locator('li.line.pass').filter({ hasText: booth.en[key].split('{')[0] }).first().waitFor();
    }
    await page.getByText(booth.en['booth.check.noWitnessRequired']).waitFor();
    await screen(page, problems, 'check-tracker', 'en');

    // Live: another ballot lands; the consistency line moves on to the new checkpoint.
    const sizeBefore = await boardSize();
    const other = await voters[4].ballot(reader, [{ blank: true }, { values: [1, 0, 0, 0] }, { values: [1, 0, 0] }, { values: [0, 0] }, { blank: true }, { values: [0, 0, 0] }], rng);
    expect((await castBallot(reader, poll, other.bytes)).status).toBe(201);
    await page.locator('li.line.pass').filter({ hasText: `latest (${sizeBefore + 1} entries)` }).waitFor({ timeout: 20_000 });

    // A receipt file (as the booth writes it) passes.
    const parts = { receipt: view.receipt, checkpoint: view.checkpoint, path: view.path.map((p) => unhex(p)) };
    const file = receiptFileText(['gongshi ballot receipt'], parts);
    await page.getByLabel('Load a receipt file').setInputFiles({ name: 'receipt.txt', mimeType: 'text/plain', buffer: Buffer.from(file) });
    await page.getByText(booth.en['booth.check.allGood']).waitFor({ timeout: 30_000 });
    expect(await page.locator('li.line.fail').count()).toBe(0);
    await screen(page, problems, 'check-file', 'en');

    // The same file with one byte of the receipt's entry hash (line 4 of the note) changed fails, and says it is evidence.
    const lines = view.receipt.split('\n');
    lines[4] = (lines[4][0] === 'A' ? 'B' : 'A') + lines[4].slice(1);
    const forged = receiptFileText(['gongshi ballot receipt'], { ...parts, receipt: lines.join('\n') });
    await page.getByLabel('Load a receipt file').setInputFiles({ name: 'forged.txt', mimeType: 'text/plain', buffer: Buffer.from(forged) });
    await page.locator('li.line.fail').filter({ hasText: 'Failed' }).filter({ hasText: 'NOT signed by this poll' }).waitFor({ timeout: 30_000 });
    // Its note no longer carries the board's signature: the verdict says the receipt proves nothing.
    await page.getByRole('alert').filter({ hasText: booth.en['booth.verdict.unsigned'] }).waitFor();
    await screen(page, problems, 'check-forged', 'en');

    // A photo of the receipt's QR code (the signed note alone): the proofs come from the board, and pass.
    const photo = await QR.toBuffer(view.receipt, { type: 'png', margin: 4, scale: 4 });
    await page.locator('form', { has: page.locator('#check-input') }).getByLabel('Read it from a photo').setInputFiles({ name: 'receipt.png', mimeType: 'image/png', buffer: photo });
    await page.getByText(booth.en['booth.check.allGood']).waitFor({ timeout: 30_000 });
    expect(await page.locator('li.line.fail').count()).toBe(0);

    // An audit posted by another client: its check link shows the revealed choices, in Chinese.
    const audited = await voter.ballot(reader, [{ values: [0, 0, 1] }, { values: [1, 1, 0, 0] }, { values: [0, 1, 0] }, { values: [5, 0] }, { values: [3, 3, 4] }, { values: [1, 0, 1] }], rng);
    expect((await postAudit(reader, poll, audited)).status).toBe(201);
    const zh = await openTab(browser, site.base, { viewport: PHONE, locale: 'zh-CN' });
    await zh.page.goto(`/poll/${poll}/check?tracker=${trackerText(audited.tracker)}`);
    await zh.page.getByText(booth.zh['booth.check.allGood']).waitFor({ timeout: 30_000 });
    expect(await choicesText(zh.page)).toEqual(['灰色', '太极\n书法', '否', '早班：5 分（满分 5）\n夜班：0 分（满分 5）', '铺路：3 分\n照明：3 分\n长椅：4 分', '座椅（费用 300）\n绿植（费用 200）\n合计：500，预算 700']);
    await screen(zh.page, zh.problems, 'check-audit', 'zh');
    await zh.context.close();
    expect(problems).toEqual([]);
    await context.close();
  });
});
