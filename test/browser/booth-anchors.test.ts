/**
 * The booth against what the voter holds outside the server, in a real browser (spec §B.1.5.1,
 * §B.3.11 step 2). A server that records her audit as a cast ballot (a receipt the log key signed
 * with type `ballot`), or her cast ballot as an audit, raises an alarm with the signed receipt and
 * checkpoint as evidence, and the booth seals nothing more. A poll fingerprint from her sheet (in the
 * link or typed) that is not the board's stops the booth before anything is sealed or sent. The right
 * fingerprint is shown as matching, kept in the tab, and she votes as usual.
 * The forging server is the real one with its answers re-signed by a page.route that holds the
 * poll's log key (read from the server's database, as a server that lies would have it).
 */
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, test } from 'vitest';
import type { Page, Request } from 'playwright-core';
import { formatTracker, parseTracker, seededRandom, toHex } from '../../crypto/index.ts';
import {
  decodeManifest,
  encodeVerifierKey,
  formatPollFingerprint,
  openReceipt,
  pollFingerprint,
  registrarPublicKey,
  signReceipt,
  signerKeyFromSeed,
  verifierKeyOf,
  type ReceiptEntryType,
  type SignerKey,
} from '../../bulletin-board/index.ts';
import { classifyReceipt } from '../../verifier/index.ts';
import { booth } from '../../client/src/i18n/booth.ts';
import { readReceiptFile } from '../../client/src/booth/receipt-file.ts';
import { PHONE, axe, browserAndSite, missingKeys, openTab, screenshot } from './support.ts';
import { Client, TEST_REGISTRAR_SEED, hex, openPoll, readDatabase, unb64, unhex, type Voter } from '../server/support.ts';
import type { Draft } from '../../server/polls/draft.ts';

const both = browserAndSite();
let poll: string;
let voters: Voter[];
let reader: Client;
let logKey: SignerKey;
let manifestBytes: Uint8Array;

const bi = (en: string, zh: string) => [en, zh];
const draft: Draft = {
  languages: ['en', 'zh-CN'],
  title: bi('Gate poll', '院门投票'),
  description: bi('One question about the gate.', '关于院门的一个问题。'),
  questions: [{ question: { kind: 'single', options: 3, blank: true }, prompt: bi('Gate colour?', '院门颜色？'), options: [bi('Red', '红色'), bi('Green', '绿色'), bi('Grey', '灰色')] }],
  trustees: { t: 1, n: 1, names: ['Ms Li'] },
  opensAt: 0,
  closesAt: 0,
  maxBallots: 3,
  registrar: { name: 'Registrar Wang', key: hex(registrarPublicKey(TEST_REGISTRAR_SEED)), isOrganiser: true },
};

// After browserAndSite's own beforeAll: one open poll, and its log key as the server holds it.
beforeAll(async () => {
  ({ poll, voters } = await openPoll(both.site, { voters: 7, draft, seed: 'booth anchors' }));
  reader = new Client(both.site.base);
  manifestBytes = unb64((await reader.get(`/api/polls/${poll}`)).body.manifest);
  const manifest = decodeManifest(manifestBytes);
  const row = readDatabase(both.site).polls.find((r) => r.id === poll)!;
  logKey = signerKeyFromSeed(manifest.origin, new Uint8Array(row.log_seed as Buffer));
  expect(encodeVerifierKey(verifierKeyOf(logKey))).toBe(manifest.logKey);
});

type Lang = 'en' | 'zh';
const say = (lang: Lang, key: keyof typeof booth.en, vars: Record<string, string | number> = {}) =>
  (lang === 'en' ? booth.en : booth.zh)[key].replace(/\{(\w+)\}/g, (_, k: string) => String(vars[k]));
const locale = (lang: Lang) => (lang === 'en' ? 'en-GB' : 'zh-CN');

/** Every screen: no missing text, no axe violation, nothing in the console, nothing wider than the phone; and a screenshot. */
async function screen(page: Page, problems: string[], name: string, lang: Lang) {
  expect(await missingKeys(page)).toEqual([]);
  expect(await axe(page)).toEqual([]);
  expect(problems).toEqual([]);
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(page.viewportSize()!.width);
  await screenshot(page, `booth-anchors-${name}-${lang}-phone`);
}

async function boardSize(): Promise<number> {
  return (await reader.get(`/api/polls/${poll}/checkpoint`)).body.size;
}

async function heading(page: Page, lang: Lang, key: keyof typeof booth.en, timeout?: number) {
  await page.getByRole('heading', { name: say(lang, key), exact: true }).waitFor({ timeout });
}

/** The fingerprint of this poll as 52 symbols, the form a QR link carries. */
const symbols = (fp: Uint8Array) => formatPollFingerprint(fp).replace(/ /g, '');

/** Answers the one question from the ready step and reaches the review. */
async function answer(page: Page, lang: Lang) {
  await page.getByRole('button', { name: say(lang, 'booth.ready.start') }).click();
  await page.getByRole('radio', { name: lang === 'en' ? 'Grey' : '灰色' }).check();
  await page.getByRole('button', { name: say(lang, 'booth.nav.review') }).click();
  await heading(page, lang, 'booth.step.review');
}

/** From the review: seals, and returns the tracker the sealed-ballot step shows, as hex. */
async function seal(page: Page, lang: Lang): Promise<string> {
  await page.getByRole('button', { name: say(lang, 'booth.review.seal') }).click();
  await heading(page, lang, 'booth.step.tracker', 60_000);
  const bytes = parseTracker((await page.locator('p.tracker').first().textContent()) ?? '');
  expect(bytes).not.toBeNull();
  return toHex(bytes!);
}

/** The next answer to `path` (a cast or an audit) is the real one with its receipt re-signed by the log key as `type`. */
async function resignNext(page: Page, path: 'ballots' | 'audits', type: ReceiptEntryType) {
  await page.route(
    (url) => url.pathname === `/api/polls/${poll}/${path}`,
    async (route) => {
      const real = await route.fetch();
      expect(real.status()).toBe(201);
      const view = await real.json();
      const opened = openReceipt(view.receipt, verifierKeyOf(logKey));
      if (!opened.ok) throw new Error(opened.reason);
      await route.fulfill({ response: real, body: JSON.stringify({ ...view, type, receipt: signReceipt({ ...opened.receipt, type }, logKey) }) });
    },
    { times: 1 },
  );
}

/** What the page asked the server for, as "METHOD /path". */
function requests(page: Page): string[] {
  const seen: string[] = [];
  page.on('request', (r: Request) => seen.push(`${r.method()} ${new URL(r.url()).pathname}`));
  return seen;
}

describe('a receipt for another entry type than the booth posted', () => {
  for (const lang of ['en', 'zh'] as const)
    test(`an audit the server records as a cast ballot raises the alarm with the evidence, and nothing more is sealed (${lang})`, async () => {
      const voter = voters[lang === 'en' ? 0 : 1];
      const sizeBefore = await boardSize();
      const { page, problems, context } = await openTab(both.browser, both.site.base, { viewport: PHONE, locale: locale(lang) });
      await page.goto(`/poll/${poll}/vote#${voter.code}`);
      await heading(page, lang, 'booth.step.ready');
      await answer(page, lang);
      const tracker = await seal(page, lang);
      await resignNext(page, 'audits', 'ballot');
      await page.getByRole('button', { name: say(lang, 'booth.tracker.audit') }).click();

      await heading(page, lang, 'booth.step.auditAlarm');
      await page.getByRole('alert').filter({ hasText: say(lang, 'booth.alarm.auditAsBallot') }).waitFor();
      await page.getByText(say(lang, 'booth.alarm.auditAsBallotDo')).waitFor();
      expect(await page.getByText(say(lang, 'booth.audit.posted')).count()).toBe(0);
      // She is not offered to seal again on this device.
      expect(await page.getByRole('button', { name: say(lang, 'booth.audit.reseal') }).count()).toBe(0);
      // The signed receipt and checkpoint are shown, and offered as a file that is a receipt file.
      const shown = await page.locator('pre.note').allTextContents();
      expect(shown[0]).toMatch(/^gongshi\/1 receipt\n.*\nballot\n/);
      expect(shown[1]).toContain(`/poll/${poll}\n`);
      const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: say(lang, 'booth.alarm.download') }).click()]);
      expect(download.suggestedFilename()).toMatch(/^gongshi-evidence-audit-signed-as-ballot-[0-9a-f]{12}\.txt$/);
      const file = readFileSync((await download.path())!, 'utf8');
      expect(file).toContain(formatTracker(unhex(tracker)));
      expect(file).toContain(say(lang, 'booth.file.signed', { kind: say(lang, 'booth.file.kindBallot') }));
      const parts = readReceiptFile(file);
      expect(parts).not.toBeNull();
      const verdict = classifyReceipt(parts!, verifierKeyOf(logKey), unhex(tracker), 'audit');
      expect(verdict.kind === 'wrong-type' && verdict.checkpoint !== null).toBe(true);
      await screen(page, problems, 'audit-as-ballot', lang);
      await context.close();
      // Only her audit reached the board.
      expect(await boardSize()).toBe(sizeBefore + 1);
    });

  test('a cast ballot the server records as an audit raises the alarm with the evidence', async () => {
    const lang: Lang = 'en';
    const sizeBefore = await boardSize();
    const { page, problems, context } = await openTab(both.browser, both.site.base, { viewport: PHONE, locale: locale(lang) });
    await page.goto(`/poll/${poll}/vote#${voters[2].code}`);
    await heading(page, lang, 'booth.step.ready');
    await answer(page, lang);
    const tracker = await seal(page, lang);
    await resignNext(page, 'ballots', 'audit');
    await page.getByRole('button', { name: say(lang, 'booth.tracker.cast') }).click();
    await heading(page, lang, 'booth.step.castAlarm');
    await page.getByRole('alert').filter({ hasText: say(lang, 'booth.alarm.castAsAudit') }).waitFor();
    expect(await page.getByText(say(lang, 'booth.cast.verified', { height: sizeBefore })).count()).toBe(0);
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: say(lang, 'booth.alarm.download') }).click()]);
    const parts = readReceiptFile(readFileSync((await download.path())!, 'utf8'));
    expect(classifyReceipt(parts!, verifierKeyOf(logKey), unhex(tracker), 'ballot').kind).toBe('wrong-type');
    // The receipt is not kept as a good one.
    expect(await page.evaluate((p) => localStorage.getItem(`gongshi.receipts.${p}`), poll)).toBeNull();
    await page.getByText(booth.en['booth.check.allGood']).waitFor({ timeout: 30_000 });
    await screen(page, problems, 'cast-as-audit', lang);
    await context.close();
    expect(await boardSize()).toBe(sizeBefore + 1);
  });
});

describe('the poll fingerprint she holds', () => {
  const otherBytes = seededRandom('another poll’s fingerprint')(32);
  const other = symbols(otherBytes);

  test('another fingerprint in her sheet’s link stops the booth before her code is even checked (en)', async () => {
    const sizeBefore = await boardSize();
    const { page, problems, context } = await openTab(both.browser, both.site.base, { viewport: PHONE, locale: 'en-GB' });
    const asked = requests(page);
    await page.goto(`/poll/${poll}/vote#${voters[3].code}&fp=${other}`);
    await heading(page, 'en', 'booth.step.wrongPoll', 30_000);
    await page.getByRole('alert').filter({ hasText: booth.en['booth.wrongPoll.intro'] }).waitFor();
    await page.getByText(booth.en['booth.wrongPoll.nothing']).waitFor();
    await page.getByText(formatPollFingerprint(otherBytes)).waitFor();
    await page.getByText(formatPollFingerprint(pollFingerprint(manifestBytes))).waitFor();
    expect(await page.getByRole('button', { name: booth.en['booth.ready.start'] }).count()).toBe(0);
    await screen(page, problems, 'wrong-poll-link', 'en');
    // Kept in the tab: a reload without the link stops again.
    await page.reload();
    await heading(page, 'en', 'booth.step.wrongPoll', 30_000);
    expect(asked.filter((r) => !r.startsWith('GET ') || r.includes('/credentials/'))).toEqual([]);
    await context.close();
    expect(await boardSize()).toBe(sizeBefore);
  });

  test('another fingerprint typed with her code stops the booth; typing it again goes back (zh)', async () => {
    const sizeBefore = await boardSize();
    const { page, problems, context } = await openTab(both.browser, both.site.base, { viewport: PHONE, locale: 'zh-CN' });
    const asked = requests(page);
    await page.goto(`/poll/${poll}/vote`);
    await heading(page, 'zh', 'booth.step.code', 30_000);
    await page.getByLabel(booth.zh['booth.code.label']).fill(voters[4].code);
    await page.getByLabel(booth.zh['booth.fp.label']).fill(formatPollFingerprint(otherBytes).toLowerCase());
    await screen(page, problems, 'fingerprint-typed', 'zh');
    await page.getByRole('button', { name: booth.zh['booth.code.submit'] }).click();
    await heading(page, 'zh', 'booth.step.wrongPoll');
    await page.getByRole('alert').filter({ hasText: booth.zh['booth.wrongPoll.intro'] }).waitFor();
    await screen(page, problems, 'wrong-poll-typed', 'zh');
    expect(asked.filter((r) => !r.startsWith('GET ') || r.includes('/credentials/'))).toEqual([]);
    await page.getByRole('button', { name: booth.zh['booth.wrongPoll.retype'] }).click();
    await heading(page, 'zh', 'booth.step.code');
    expect(await page.getByLabel(booth.zh['booth.fp.label']).inputValue()).toBe('');
    await context.close();
    expect(await boardSize()).toBe(sizeBefore);
  });

  test('another fingerprint typed on the review step stops the booth before sealing (en)', async () => {
    const sizeBefore = await boardSize();
    const { page, problems, context } = await openTab(both.browser, both.site.base, { viewport: PHONE, locale: 'en-GB' });
    const asked = requests(page);
    await page.goto(`/poll/${poll}/vote#${voters[5].code}`);
    await heading(page, 'en', 'booth.step.ready');
    // She holds none: the board's fingerprint is shown with a line asking her to compare it.
    await page.getByText(formatPollFingerprint(pollFingerprint(manifestBytes))).waitFor();
    await page.getByText(booth.en['booth.fp.compare']).waitFor();
    await screen(page, problems, 'fingerprint-none', 'en');
    await answer(page, 'en');
    await page.getByText(booth.en['booth.fp.typeIt']).click();
    // A typo that is not a fingerprint is said so, and nothing stops.
    await page.getByLabel(booth.en['booth.fp.label']).fill(other.slice(1));
    await page.getByRole('button', { name: booth.en['booth.fp.check'] }).click();
    await page.getByRole('alert').filter({ hasText: booth.en['booth.fp.unreadable'] }).waitFor();
    await page.getByLabel(booth.en['booth.fp.label']).fill(other);
    await page.getByRole('button', { name: booth.en['booth.fp.check'] }).click();
    await heading(page, 'en', 'booth.step.wrongPoll');
    expect(await page.getByRole('button', { name: booth.en['booth.review.seal'] }).count()).toBe(0);
    expect(asked.filter((r) => !r.startsWith('GET '))).toEqual([]);
    await context.close();
    expect(await boardSize()).toBe(sizeBefore);
  });

  test('the right fingerprint in her link is shown as matching, kept in the tab, and she votes as usual (en)', async () => {
    const sizeBefore = await boardSize();
    const fingerprint = pollFingerprint(manifestBytes);
    const { page, problems, context } = await openTab(both.browser, both.site.base, { viewport: PHONE, locale: 'en-GB' });
    await page.goto(`/poll/${poll}/vote#code=${voters[6].code}&fp=${symbols(fingerprint).toLowerCase()}`);
    await heading(page, 'en', 'booth.step.ready');
    await page.getByText(booth.en['booth.fp.match']).waitFor();
    await page.getByText(formatPollFingerprint(fingerprint)).waitFor();
    await screen(page, problems, 'fingerprint-match', 'en');
    await answer(page, 'en');
    await page.getByText(booth.en['booth.fp.match']).waitFor();
    await seal(page, 'en');
    await page.getByRole('button', { name: booth.en['booth.tracker.cast'] }).click();
    await heading(page, 'en', 'booth.step.cast');
    await page.getByText(booth.en['booth.check.allGood']).waitFor({ timeout: 30_000 });
    expect(await boardSize()).toBe(sizeBefore + 1);
    // Back in the same tab with only her code: the fingerprint she gave is still compared.
    await page.goto('about:blank');
    await page.goto(`/poll/${poll}/vote#${voters[6].code}`);
    await heading(page, 'en', 'booth.step.ready');
    await page.getByText(booth.en['booth.fp.match']).waitFor();
    expect(problems).toEqual([]);
    expect(await missingKeys(page)).toEqual([]);
    await context.close();
  });
});

