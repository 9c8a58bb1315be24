/**
 * The receipt checks against a lying server, in a real browser (spec §B.3.10, §B.3.11): a board that
 * dropped her entry or rolled back to an older signed checkpoint fails the check as evidence (not
 * "could not finish"); a pasted receipt whose signature does not verify is refused before anything
 * is looked up, and the page never says the board lost a signed ballot; a cast whose 201 answer was
 * altered on the way is still cast, shows the tracker this phone computed, keeps nothing the server
 * made up, and says plainly that the board's receipt does not check out.
 * The server's answers are altered with page.route; the board itself is real and only grows by what
 * each scenario casts.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { encodePoint, formatTracker, parseTracker, seededRandom, toHex } from '../../crypto/index.ts';
import { booth } from '../../client/src/i18n/booth.ts';
import { receiptFileText } from '../../client/src/booth/receipt-file.ts';
import { PHONE, axe, browserAndSite, missingKeys, openTab, screenshot } from './support.ts';
import { Client, castBallot, courtyardDraft, openPoll, unhex, type Voter } from '../server/support.ts';
import type { Draft } from '../../server/polls/draft.ts';

const both = browserAndSite();
let poll: string;
let voters: Voter[];
let reader: Client;

const bi = (en: string, zh: string) => [en, zh];
/** One question: the attacks are about receipts, not answers. */
const draft: Draft = {
  languages: ['en', 'zh-CN'],
  title: bi('Gate poll', '院门投票'),
  description: bi('One question about the gate.', '关于院门的一个问题。'),
  questions: [{ question: { kind: 'single', options: 3, blank: true }, prompt: bi('Gate colour?', '院门颜色？'), options: [bi('Red', '红色'), bi('Green', '绿色'), bi('Grey', '灰色')] }],
  trustees: { t: 1, n: 1, names: ['Ms Li'] },
  opensAt: 0,
  closesAt: 0,
  maxBallots: 3,
  registrar: courtyardDraft().registrar,
};

type Lang = 'en' | 'zh';
const say = (lang: Lang, key: keyof typeof booth.en, vars: Record<string, string | number> = {}) =>
  (lang === 'en' ? booth.en : booth.zh)[key].replace(/\{(\w+)\}/g, (_, k: string) => String(vars[k]));
/** The fixed start of a message with placeholders (the text before the first one). */
const lead = (lang: Lang, key: keyof typeof booth.en) => say(lang, key).split('{')[0];

/** Chromium's console line for a 4xx answer is filtered by watch(); any other problem fails the test. */
async function screen(page: Page, problems: string[], name: string, lang: Lang) {
  expect(await missingKeys(page)).toEqual([]);
  expect(await axe(page)).toEqual([]);
  expect(problems).toEqual([]);
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(page.viewportSize()!.width);
  await screenshot(page, `receipt-attacks-${name}-${lang}-phone`);
}

async function boardSize(): Promise<number> {
  return (await reader.get(`/api/polls/${poll}/checkpoint`)).body.size;
}

async function ballotsOf(voter: Voter): Promise<number> {
  return (await reader.get(`/api/polls/${poll}/credentials/${toHex(encodePoint(voter.credential.publicKey))}`)).body.ballots;
}

/** Casts a ballot for `voter` through the API; returns the server's receipt view. */
async function castByApi(voter: Voter, seed: string) {
  const made = await voter.ballot(reader, [{ values: [0, 1, 0] }], seededRandom(seed));
  const cast = await castBallot(reader, poll, made.bytes);
  expect(cast.status).toBe(201);
  return cast.body;
}

/** The "could not finish" lines: a check the server can stop by refusing to answer. */
async function unfinished(page: Page, lang: Lang): Promise<number> {
  return page.locator('li.line').filter({ hasText: lead(lang, 'booth.check.stopped') }).count();
}

describe('a board that dropped a ballot', () => {
  test('an entry answered 404 and a latest checkpoint older than the receipt both fail the check as evidence', async () => {
    ({ poll, voters } = await openPoll(both.site, { voters: 4, draft, seed: 'receipt attacks' }));
    reader = new Client(both.site.base);
    const view = await castByApi(voters[0], 'rolled back');
    const size = await boardSize();

    // Her receipt file, as the booth writes it; the board then "loses" her entry.
    const { page, problems, context } = await openTab(both.browser, both.site.base, { viewport: PHONE, locale: 'en-GB' });
    await page.route(
      (url) => url.pathname === `/api/polls/${poll}/entries/${view.height}`,
      (route) => route.fulfill({ status: 404, contentType: 'application/json', body: JSON.stringify({ error: 'NOT_FOUND', message: 'no such entry' }) }),
    );
    await page.goto(`/poll/${poll}/check`);
    const file = receiptFileText(['gongshi ballot receipt'], { receipt: view.receipt, checkpoint: view.checkpoint, path: view.path.map((p) => unhex(p)) });
    await page.getByLabel('Load a receipt file').setInputFiles({ name: 'receipt.txt', mimeType: 'text/plain', buffer: Buffer.from(file) });
    await page.locator('li.line.fail').filter({ hasText: say('en', 'booth.check.entryGone', { height: view.height }) }).waitFor({ timeout: 30_000 });
    await page.getByRole('alert').filter({ hasText: booth.en['booth.check.evidence'] }).waitFor();
    await page.getByRole('status').filter({ hasText: booth.en['booth.check.running'] }).waitFor({ state: 'detached' });
    expect(await unfinished(page, 'en')).toBe(0);
    // What was checked before the entry still passed (folded in the details): her receipt is signed and its own proof holds.
    await page.locator('li.line.pass').filter({ hasText: say('en', 'booth.check.signature', { height: view.height }) }).waitFor({ state: 'attached' });
    await screen(page, problems, 'entry-gone', 'en');
    await context.close();

    // In Chinese, with only her tracker: the board answers with an older signed checkpoint, one that does not reach her entry.
    let older: { size: number; checkpoint: string } | null = null;
    for (let s = view.height; s >= 1 && older === null; s--) {
      const got = await reader.get(`/api/polls/${poll}/checkpoints/${s}`);
      if (got.status === 200) older = got.body;
    }
    expect(older).not.toBeNull();
    const latest = (await reader.get(`/api/polls/${poll}/checkpoint`)).body;
    const zh = await openTab(both.browser, both.site.base, { viewport: PHONE, locale: 'zh-CN' });
    await zh.page.route(
      (url) => url.pathname === `/api/polls/${poll}/checkpoint`,
      (route) => route.fulfill({ status: 200, contentType: 'application/json', body: JSON.stringify({ ...latest, size: older!.size, checkpoint: older!.checkpoint, cosignatures: [] }) }),
    );
    await zh.page.goto(`/poll/${poll}/check?tracker=${view.tracker}`);
    // Only a tracker was given: the words speak of what the board signed for it, not of a receipt.
    await zh.page.locator('li.line.fail').filter({ hasText: say('zh', 'booth.check.rolledBackTracker', { size: older!.size, height: view.height }) }).waitFor({ timeout: 30_000 });
    await zh.page.getByRole('alert').filter({ hasText: booth.zh['booth.check.evidenceTracker'] }).waitFor();
    await zh.page.getByRole('status').filter({ hasText: booth.zh['booth.check.running'] }).waitFor({ state: 'detached' });
    expect(await unfinished(zh.page, 'zh')).toBe(0);
    expect(await zh.page.getByText(booth.zh['booth.check.allGood']).count()).toBe(0);
    await screen(zh.page, zh.problems, 'rolled-back', 'zh');
    await zh.context.close();

    // The pages only read: the board holds what this scenario cast, nothing more.
    expect(await boardSize()).toBe(size);
  });
});

describe('a pasted receipt that is not signed', () => {
  test('is refused on its signature before any lookup, and the page never says the board lost a signed ballot', async () => {
    const view = await castByApi(voters[1], 'forged note');
    const size = await boardSize();
    // Her real note with another (unknown) tracker and one character of the signature changed.
    const lines = view.receipt.split('\n');
    lines[4] = Buffer.from(seededRandom('unknown tracker')(32)).toString('base64');
    const sig = lines.length - 2;
    const at = lines[sig].length - 5;
    lines[sig] = lines[sig].slice(0, at) + (lines[sig][at] === 'A' ? 'B' : 'A') + lines[sig].slice(at + 1);
    const forged = lines.join('\n');

    const { page, problems, context } = await openTab(both.browser, both.site.base, { viewport: PHONE, locale: 'en-GB' });
    const asked: string[] = [];
    page.on('request', (r) => asked.push(new URL(r.url()).pathname));
    await page.goto('/check');
    await page.getByLabel('Tracker or receipt', { exact: true }).fill(forged);
    await page.getByRole('button', { name: 'Check', exact: true }).click();
    await page.locator('li.line.fail').filter({ hasText: booth.en['booth.check.badSignature'] }).waitFor({ timeout: 30_000 });
    await page.getByRole('status').filter({ hasText: booth.en['booth.check.running'] }).waitFor({ state: 'detached' });
    expect(await page.getByText(booth.en['booth.check.receiptMissing']).count()).toBe(0);
    expect(await page.locator('li.line.pass').count()).toBe(0);
    expect(asked.filter((p) => p.includes('/receipts/') || p.includes('/entries'))).toEqual([]);
    // It says the receipt proves nothing about the board, not that the board lost anything.
    await page.getByRole('alert').filter({ hasText: booth.en['booth.check.unsignedInput'] }).waitFor();
    expect(await page.getByText(booth.en['booth.check.evidence']).count()).toBe(0);
    await screen(page, problems, 'forged-note', 'en');
    await context.close();
    expect(await boardSize()).toBe(size);
  });
});

/** Opens the booth with her code, answers the one question, seals; returns the tracker this phone shows. */
async function sealOne(page: Page, voter: Voter, lang: Lang): Promise<string> {
  // From another page: a link to the same page with only another #fragment would not reload it.
  await page.goto('about:blank');
  await page.goto(`/poll/${poll}/vote#${voter.code}`);
  await page.getByRole('heading', { name: say(lang, 'booth.step.ready'), exact: true }).waitFor();
  await page.getByRole('button', { name: say(lang, 'booth.ready.start') }).click();
  await page.getByRole('radio', { name: lang === 'en' ? 'Grey' : '灰色' }).check();
  await page.getByRole('button', { name: say(lang, 'booth.nav.review') }).click();
  await page.getByRole('button', { name: say(lang, 'booth.review.seal') }).click();
  await page.getByRole('heading', { name: say(lang, 'booth.step.tracker'), exact: true }).waitFor({ timeout: 60_000 });
  const bytes = parseTracker((await page.locator('p.tracker').first().textContent()) ?? '');
  expect(bytes).not.toBeNull();
  return toHex(bytes!);
}

/** Answers the next cast with the real answer changed by `alter`. */
async function alterCast(page: Page, alter: (view: Record<string, unknown>) => Record<string, unknown>) {
  await page.route(
    (url) => url.pathname === `/api/polls/${poll}/ballots`,
    async (route) => {
      const real = await route.fetch();
      expect(real.status()).toBe(201);
      await route.fulfill({ response: real, body: JSON.stringify(alter(await real.json())) });
    },
    { times: 1 },
  );
}

/** Every receipt kept on the device, all polls. */
async function kept(page: Page): Promise<{ poll: string; tracker: string; height: number }[]> {
  return page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('gongshi.receipts.')).flatMap((k) => JSON.parse(localStorage.getItem(k) ?? '[]')));
}

describe('a cast whose answer was altered on the way', () => {
  test('is cast, shows and keeps only what this phone verified, and says when the receipt does not check out', async () => {
    const fake = toHex(seededRandom('server-invented tracker')(32));
    const otherPoll = 'f'.repeat(32);
    const { page, problems, context } = await openTab(both.browser, both.site.base, { viewport: PHONE, locale: 'en-GB' });

    // 1. The JSON's tracker, height and poll are made up; the signed receipt and its proof are real.
    const voter = voters[2];
    const sizeBefore = await boardSize();
    const ballotsBefore = await ballotsOf(voter);
    const mine = await sealOne(page, voter, 'en');
    await alterCast(page, (v) => ({ ...v, tracker: fake, height: Number(v.height) + 1000, poll: otherPoll }));
    await page.getByRole('button', { name: say('en', 'booth.tracker.cast') }).click();
    await page.getByRole('heading', { name: say('en', 'booth.step.cast'), exact: true }).waitFor();
    const real = (await reader.get(`/api/polls/${poll}/receipts/${mine}`)).body;
    await page.getByText(say('en', 'booth.cast.verified', { height: real.height })).waitFor();
    expect(await page.locator('p.tracker').textContent()).toBe(formatTracker(unhex(mine)));
    await page.getByText(booth.en['booth.check.allGood']).waitFor({ timeout: 30_000 });
    expect((await kept(page)).map((r) => [r.poll, r.tracker, r.height])).toEqual([[poll, mine, real.height]]);
    expect(await page.locator('main').innerText()).not.toContain(formatTracker(unhex(fake)));
    await screen(page, problems, 'cast-altered-fields', 'en');

    // 2. The proof is malformed: the ballot was taken, so the page says it is cast, with a receipt that does not verify.
    const mine2 = await sealOne(page, voter, 'en');
    await alterCast(page, (v) => ({ ...v, tracker: fake, path: ['zz'] }));
    await page.getByRole('button', { name: say('en', 'booth.tracker.cast') }).click();
    await page.getByRole('heading', { name: say('en', 'booth.step.cast'), exact: true }).waitFor();
    await page.getByRole('alert').filter({ hasText: booth.en['booth.cast.badReceipt'] }).waitFor();
    expect(await page.getByText(booth.en['booth.step.notCast']).count()).toBe(0);
    await page.getByText(booth.en['booth.cast.ownTracker']).waitFor();
    expect(await page.locator('p.tracker').textContent()).toBe(formatTracker(unhex(mine2)));
    await page.getByText(booth.en['booth.cast.notKept']).waitFor();
    await page.getByText(booth.en['booth.cast.checkByTracker']).waitFor();
    // What the board sent is kept on the page and in a file, as evidence.
    await page.getByRole('heading', { name: booth.en['booth.cast.sentTitle'] }).waitFor();
    expect(await page.locator('pre.note').textContent()).toContain('"zz"');
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: booth.en['booth.cast.downloadSent'] }).click()]);
    const evidence = readFileSync((await download.path())!, 'utf8');
    expect(evidence).toContain(formatTracker(unhex(mine2)));
    expect(evidence).toContain(fake);
    // Her ballot is on the board under the tracker this phone computed: the check by that tracker passes.
    await page.getByText(booth.en['booth.check.allGood']).waitFor({ timeout: 30_000 });
    // Nothing the server invented is kept on the phone.
    expect((await kept(page)).map((r) => r.tracker)).toEqual([mine]);
    await screen(page, problems, 'cast-bad-receipt', 'en');
    await context.close();

    // Both ballots were taken, and nothing else was written.
    expect(await ballotsOf(voter)).toBe(ballotsBefore + 2);
    expect(await boardSize()).toBe(sizeBefore + 2);
    expect((await reader.get(`/api/polls/${poll}/receipts/${mine2}`)).status).toBe(200);
    expect((await reader.get(`/api/polls/${poll}/receipts/${fake}`)).status).toBe(404);
  });

  test('in Chinese: a receipt whose note was changed says the ballot is cast but the receipt does not check out', async () => {
    const voter = voters[3];
    const sizeBefore = await boardSize();
    const { page, problems, context } = await openTab(both.browser, both.site.base, { viewport: PHONE, locale: 'zh-CN' });
    const mine = await sealOne(page, voter, 'zh');
    await alterCast(page, (v) => ({ ...v, receipt: String(v.receipt).replace(/\n(\d+)\n/, (_, h: string) => `\n${Number(h) + 1}\n`) }));
    await page.getByRole('button', { name: say('zh', 'booth.tracker.cast') }).click();
    await page.getByRole('heading', { name: say('zh', 'booth.step.cast'), exact: true }).waitFor();
    await page.getByRole('alert').filter({ hasText: booth.zh['booth.cast.badReceipt'] }).waitFor();
    expect(await page.locator('p.tracker').textContent()).toBe(formatTracker(unhex(mine)));
    await page.getByText(booth.zh['booth.check.allGood']).waitFor({ timeout: 30_000 });
    expect(await kept(page)).toEqual([]);
    await screen(page, problems, 'cast-bad-receipt', 'zh');
    await context.close();
    expect(await boardSize()).toBe(sizeBefore + 1);
  });
});
