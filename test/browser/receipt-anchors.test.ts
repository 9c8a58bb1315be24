/**
 * The pages' trust anchors in a real browser (spec §B.1.5.1, §B.3.9, V40, V42): the receipt check counts
 * only the cosignatures of the witnesses the manifest names (a stranger's valid cosignature, slipped into
 * the server's answer, is ignored and said so); the receipt check and the verifier page stop, in both
 * languages, on a poll fingerprint other than the board's; "check my code" shows a ballot cast in a
 * resident's name, and no request the page makes carries her code or her secret.
 */
import { describe, expect, test } from 'vitest';
import type { Page, Request } from 'playwright-core';
import { encodePoint, encodeScalar, formatTracker, seededRandom, toHex } from '../../crypto/index.ts';
import { SIG_TYPE_COSIGNATURE_V1, cosignCheckpoint, encodeVerifierKey, formatPollFingerprint, pollFingerprint, signerKeyFromSeed, verifierKeyOf, type SignerKey } from '../../bulletin-board/index.ts';
import { booth } from '../../client/src/i18n/booth.ts';
import { observer } from '../../client/src/i18n/observer.ts';
import { PHONE, axe, browserAndSite, missingKeys, openTab, screenshot } from './support.ts';
import { Client, castBallot, courtyardDraft, openPoll, unb64, type Voter } from '../server/support.ts';

const both = browserAndSite();

type Lang = 'en' | 'zh';
const say = (lang: Lang, key: keyof typeof booth.en, vars: Record<string, string | number> = {}) =>
  (lang === 'en' ? booth.en : booth.zh)[key].replace(/\{(\w+)\}/g, (_, k: string) => String(vars[k]));
const sayObserver = (lang: Lang, key: keyof typeof observer.en, vars: Record<string, string | number> = {}) =>
  (lang === 'en' ? observer.en : observer.zh)[key].replace(/\{(\w+)\}/g, (_, k: string) => String(vars[k]));

const witness = (name: string, seed: number): SignerKey => signerKeyFromSeed(name, new Uint8Array(32).fill(seed), SIG_TYPE_COSIGNATURE_V1);
const vkey = (k: SignerKey) => encodeVerifierKey(verifierKeyOf(k));
const alice = witness('alice.witness.example', 71);
const bob = witness('bob.witness.example', 72);
const stranger = witness('stranger.example', 73);
const now = () => Math.floor(Date.now() / 1000);

/** Another poll's fingerprint, as a notice would print it. */
const OTHER = formatPollFingerprint(seededRandom('another poll')(32));

let poll: string;
let voters: Voter[];
let reader: Client;
let fingerprint: string;

async function clean(page: Page, problems: string[], name: string) {
  expect(await missingKeys(page)).toEqual([]);
  expect(await axe(page)).toEqual([]);
  expect(problems).toEqual([]);
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(page.viewportSize()!.width);
  await screenshot(page, `receipt-anchors-${name}`);
}

async function setUp() {
  if (poll) return;
  const draft = { ...courtyardDraft({ maxBallots: 3 }), witnesses: { keys: [vkey(alice), vkey(bob)], k: 2 } };
  ({ poll, voters } = await openPoll(both.site, { voters: 4, draft, seed: 'receipt anchors' }));
  reader = new Client(both.site.base);
  fingerprint = formatPollFingerprint(pollFingerprint(unb64((await reader.get(`/api/polls/${poll}`)).body.manifest)));
}

async function castFor(voter: Voter, seed: string) {
  const made = await voter.ballot(reader, [{ values: [0, 1, 0] }, { values: [1, 0, 0, 0] }, { values: [0, 0, 1] }], seededRandom(seed));
  const cast = await castBallot(reader, poll, made.bytes);
  expect(cast.status, JSON.stringify(cast.body)).toBe(201);
  return cast.body;
}

/** A real witness cosigns the board's latest checkpoint through the API. */
async function cosign(w: SignerKey) {
  const latest = (await reader.get(`/api/polls/${poll}/checkpoint`)).body.checkpoint as string;
  const r = await reader.post(`/api/polls/${poll}/cosignatures`, { witness: vkey(w), cosigned: cosignCheckpoint(latest, w, now()) });
  expect(r.status, JSON.stringify(r.body)).toBeLessThan(300);
}

/** The server's checkpoint answer, with a stranger's valid cosignature added and the server claiming it counts. */
async function forgeStranger(page: Page) {
  await page.route(
    (url) => url.pathname === `/api/polls/${poll}/checkpoint`,
    async (route) => {
      const real = await (await route.fetch()).json();
      const cosigned = cosignCheckpoint(real.checkpoint, stranger, now());
      const body = { ...real, witnesses: [...real.witnesses, vkey(stranger)], k: 1, cosignatures: [...real.cosignatures, { witness: vkey(stranger), size: real.size, cosigned }] };
      await route.fulfill({ status: 200, contentType: 'application/json', body: JSON.stringify(body) });
    },
  );
}

describe('witnesses on the receipt check', () => {
  test('a stranger’s valid cosignature is not counted: one of two witnesses is too few, and the stranger is said to be ignored', async () => {
    await setUp();
    const view = await castFor(voters[0], 'witness ballot');
    await cosign(alice);

    const en = await openTab(both.browser, both.site.base, { viewport: PHONE, locale: 'en-GB' });
    await forgeStranger(en.page);
    await en.page.goto(`/poll/${poll}/check?tracker=${view.tracker}`);
    await en.page.locator('li.line.fail').filter({ hasText: say('en', 'booth.check.witnessesTooFew', { count: 1, listed: 2, k: 2 }) }).waitFor({ timeout: 30_000 });
    await en.page.locator('li.line.info').filter({ hasText: say('en', 'booth.check.witnessesIgnored', { count: 1 }) }).waitFor();
    await en.page.getByRole('alert').filter({ hasText: booth.en['booth.check.witnessesWaitTitle'] }).waitFor();
    await en.page.getByRole('status').filter({ hasText: booth.en['booth.check.running'] }).waitFor({ state: 'detached' });
    // Everything else holds: the stranger made nothing else fail.
    expect(await en.page.locator('li.line.fail').count()).toBe(1);
    // (Passed checks are folded in the report's details.)
    await en.page.locator('li.line.pass').filter({ hasText: booth.en['booth.check.manifestOnBoard'] }).waitFor({ state: 'attached' });
    await clean(en.page, en.problems, 'stranger-en-phone');
    await en.context.close();

    // The second named witness cosigns: two of two, in Chinese, the stranger still ignored.
    await cosign(bob);
    const zh = await openTab(both.browser, both.site.base, { viewport: PHONE, locale: 'zh-CN' });
    await forgeStranger(zh.page);
    await zh.page.goto(`/poll/${poll}/check?tracker=${view.tracker}`);
    await zh.page.locator('li.line.pass').filter({ hasText: say('zh', 'booth.check.witnessesEnough', { count: 2, listed: 2, k: 2 }) }).waitFor({ state: 'attached', timeout: 30_000 });
    await zh.page.locator('li.line.info').filter({ hasText: say('zh', 'booth.check.witnessesIgnored', { count: 1 }) }).waitFor();
    await zh.page.getByText(booth.zh['booth.check.allGood']).waitFor();
    await clean(zh.page, zh.problems, 'witnesses-enough-zh-phone');
    await zh.context.close();
  });
});

describe('another poll’s fingerprint', () => {
  test('stops the receipt check, in English (from the link) and Chinese (typed)', async () => {
    await setUp();
    const view = await castFor(voters[1], 'fingerprint ballot');

    const en = await openTab(both.browser, both.site.base, { viewport: PHONE, locale: 'en-GB' });
    await en.page.goto(`/poll/${poll}/check?tracker=${view.tracker}&fp=${encodeURIComponent(OTHER.replace(/ /g, ''))}`);
    await en.page.locator('li.line.fail').filter({ hasText: say('en', 'booth.check.fingerprintDiffers', { held: OTHER, board: fingerprint }) }).waitFor({ timeout: 30_000 });
    await en.page.getByRole('alert').filter({ hasText: booth.en['booth.check.fingerprintStopTitle'] }).waitFor();
    await en.page.getByRole('status').filter({ hasText: booth.en['booth.check.running'] }).waitFor({ state: 'detached' });
    // Nothing else was checked.
    expect(await en.page.locator('li.line').count()).toBe(1);
    await clean(en.page, en.problems, 'fingerprint-check-en-phone');
    await en.context.close();

    const zh = await openTab(both.browser, both.site.base, { viewport: PHONE, locale: 'zh-CN' });
    await zh.page.goto(`/poll/${poll}/check`);
    await zh.page.getByLabel(booth.zh['booth.checkPage.fingerprintLabel'], { exact: true }).fill(OTHER.toLowerCase());
    await zh.page.getByLabel(booth.zh['booth.checkPage.inputLabel'], { exact: true }).fill(formatTracker(Buffer.from(view.tracker, 'hex')));
    await zh.page.getByRole('button', { name: booth.zh['booth.checkPage.check'], exact: true }).click();
    await zh.page.locator('li.line.fail').filter({ hasText: say('zh', 'booth.check.fingerprintDiffers', { held: OTHER, board: fingerprint }) }).waitFor({ timeout: 30_000 });
    await zh.page.getByRole('alert').filter({ hasText: booth.zh['booth.check.fingerprintStopTitle'] }).waitFor();
    expect(await zh.page.locator('li.line').count()).toBe(1);
    await clean(zh.page, zh.problems, 'fingerprint-check-zh-phone');

    // The right fingerprint, typed with hyphens: it matches, and the check goes on.
    await zh.page.getByLabel(booth.zh['booth.checkPage.fingerprintLabel'], { exact: true }).fill(fingerprint.replace(/ /g, '-'));
    await zh.page.getByRole('button', { name: booth.zh['booth.checkPage.check'], exact: true }).click();
    await zh.page.locator('li.line.pass').filter({ hasText: say('zh', 'booth.check.fingerprintMatches', { fingerprint }) }).waitFor({ state: 'attached', timeout: 30_000 });
    await zh.page.locator('li.line.pass').filter({ hasText: say('zh', 'booth.check.included', { size: 'X' }).split('X')[0] }).first().waitFor({ state: 'attached', timeout: 30_000 });
    await zh.context.close();
  });

  test('makes the verifier page fail V42, verdict first, in English (from the link) and Chinese (typed)', async () => {
    await setUp();
    const en = await openTab(both.browser, both.site.base, { viewport: PHONE, locale: 'en-GB' });
    await en.page.goto(`/verify?poll=${poll}&fp=${encodeURIComponent(OTHER)}`);
    expect(await en.page.getByLabel(observer.en['observer.verify.fingerprintLabel'], { exact: true }).inputValue()).toBe(OTHER);
    await en.page.getByRole('button', { name: observer.en['observer.verify.start'] }).click();
    const verdict = en.page.locator('#report-heading');
    await verdict.waitFor({ timeout: 60_000 });
    expect(await verdict.innerText()).toMatch(/The record did not pass/);
    await en.page.getByRole('alert').filter({ hasText: sayObserver('en', 'observer.verify.fingerprintDiffers', { held: OTHER, board: fingerprint }) }).waitFor();
    expect(await en.page.locator('main ul.failures > li').filter({ hasText: /^V42/ }).count()).toBe(1);
    // The verdict comes first in the report, then the fingerprint.
    const order = await en.page.evaluate(() => [...document.querySelectorAll('section.report > *')].map((e) => e.id || e.className));
    expect(order[0]).toBe('report-heading');
    await clean(en.page, en.problems, 'fingerprint-verify-en-phone');
    await en.context.close();

    const zh = await openTab(both.browser, both.site.base, { viewport: PHONE, locale: 'zh-CN' });
    await zh.page.goto(`/verify?poll=${poll}`);
    await zh.page.getByLabel(observer.zh['observer.verify.fingerprintLabel'], { exact: true }).fill(OTHER);
    await zh.page.getByRole('button', { name: observer.zh['observer.verify.start'] }).click();
    await zh.page.getByRole('alert').filter({ hasText: sayObserver('zh', 'observer.verify.fingerprintDiffers', { held: OTHER, board: fingerprint }) }).waitFor({ timeout: 60_000 });
    expect(await zh.page.locator('#report-heading').innerText()).toMatch(/记录未通过检查/);
    await clean(zh.page, zh.problems, 'fingerprint-verify-zh-phone');

    // The right one: it matches and V42 passes.
    await zh.page.getByRole('button', { name: observer.zh['observer.verify.again'] }).click();
    await zh.page.getByLabel(observer.zh['observer.verify.fingerprintLabel'], { exact: true }).fill(fingerprint);
    await zh.page.getByRole('button', { name: observer.zh['observer.verify.start'] }).click();
    await zh.page.getByText(sayObserver('zh', 'observer.verify.fingerprintMatches', { fingerprint })).waitFor({ timeout: 60_000 });
    expect(await zh.page.locator('main ul.failures > li').filter({ hasText: /^V42/ }).count()).toBe(0);
    await zh.context.close();
  });
});

describe('check my code', () => {
  test('shows a ballot cast in her name, and no request carries her code or her secret', async () => {
    await setUp();
    const victim = voters[2];
    const view = await castFor(victim, 'someone else, with her code');

    const { page, problems, context } = await openTab(both.browser, both.site.base, { viewport: PHONE, locale: 'en-GB' });
    const sent: string[] = [];
    const record = (r: Request) => sent.push(`${r.method()} ${r.url()}\n${r.postData() ?? ''}\n${JSON.stringify(r.headers())}`);
    context.on('request', record);
    await page.goto(`/poll/${poll}/check?fp=${encodeURIComponent(fingerprint)}`);
    await page.getByLabel(booth.en['booth.codeCheck.codeLabel'], { exact: true }).fill(victim.code.toLowerCase());
    await page.getByRole('button', { name: booth.en['booth.codeCheck.submit'] }).click();
    await page.getByRole('heading', { name: booth.en['booth.codeCheck.resultTitle'] }).waitFor({ timeout: 60_000 });
    await page.getByText(say('en', 'booth.codeCheck.castCount', { count: 1 })).waitFor();
    await page.getByText(formatTracker(Buffer.from(view.tracker, 'hex'))).waitFor();
    await page.getByText(booth.en['booth.codeCheck.counts']).waitFor();
    await page.getByText(booth.en['booth.codeCheck.notYouTitle']).waitFor();
    await page.getByText(booth.en['booth.codeCheck.listed'].split('{')[0], { exact: false }).waitFor();
    await clean(page, problems, 'code-check-voted-en-phone');

    // No request holds the code (as printed, without dashes, in lower case), the secret, or even the public key.
    const code = victim.code.toUpperCase();
    const secret = victim.credential.secret;
    const needles = [code, code.replace(/-/g, ''), code.toLowerCase(), code.replace(/-/g, '').toLowerCase(), toHex(encodeScalar(secret)), secret.toString(16), secret.toString(), toHex(encodePoint(victim.credential.publicKey))];
    expect(sent.length).toBeGreaterThan(5);
    for (const n of needles) expect(sent.filter((s) => s.toLowerCase().includes(n.toLowerCase()))).toEqual([]);
    await context.close();

    // A resident who did not vote, in Chinese, on /check with the poll chosen: nothing was cast in her name.
    const zh = await openTab(both.browser, both.site.base, { viewport: PHONE, locale: 'zh-CN' });
    await zh.page.goto('/check');
    await zh.page.getByLabel(booth.zh['booth.codeCheck.pollLabel'], { exact: true }).selectOption(poll);
    await zh.page.getByLabel(booth.zh['booth.codeCheck.codeLabel'], { exact: true }).fill(voters[3].code.replace(/-/g, ' '));
    await zh.page.getByRole('button', { name: booth.zh['booth.codeCheck.submit'] }).click();
    await zh.page.getByText(booth.zh['booth.codeCheck.noneCast']).waitFor({ timeout: 60_000 });
    expect(await zh.page.getByText(booth.zh['booth.codeCheck.notYouTitle']).count()).toBe(0);
    await clean(zh.page, zh.problems, 'code-check-none-zh-phone');
    await zh.context.close();
  });
});
