/**
 * One whole poll, clicked through in the browser, with its three anchors (spec §B.1.4, §B.1.5.1,
 * §B.8 item 4): a registrar of her own makes the voter codes, so the organiser never sees one; one
 * witness is pinned in the manifest with k = 1; and the notice prints the poll fingerprint. The
 * organiser writes the poll, makes the registrar link, lists the witness and publishes; the notice
 * carries the fingerprint of the board's entry 0; the registrar makes the codes and prints sheets with
 * that fingerprint; the trustee runs the ceremony; residents vote through their sheets' links and the
 * booth shows the fingerprint as matching, their receipts waiting for the witness until its next round
 * (run in-process, as `gongshi witness --once` would) cosigns them; the witness cosigns the tally, so
 * the trustee's gate passes with no comparison aloud, and the final board; the results show, and
 * the verifier page passes the record, with the fingerprint and 1 of the 1 witnesses. The API is only
 * read, to confirm what the pages claim.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext, Page, Request } from 'playwright-core';
import { describe, expect, test } from 'vitest';
import { decodeEntry, formatPollFingerprint, pollFingerprint } from '../../bulletin-board/index.ts';
import { messages, type MessageKey } from '../../client/src/i18n/index.ts';
import { Witness, parsePollUrl, type FollowOutcome } from '../../server/witness/index.ts';
import { Client, ORGANISER, unb64 } from '../server/support.ts';
import { DESKTOP, PHONE, axe, browserAndSite, missingKeys, openTab, screenshot, type Tab } from './support.ts';

const web = browserAndSite();
const keys = mkdtempSync(join(tmpdir(), 'gongshi-whole-anchors-keys-'));
const PASSPHRASE = 'plum blossom on the old wall';
const WITNESS = 'courtyard-witness';

/** A page text in English or Chinese, from the client's own dictionaries. */
function say(lang: 'en' | 'zh', key: MessageKey, vars: Record<string, string | number> = {}): string {
  return messages[lang][key].replace(/\{(\w+)\}/g, (_, name: string) => String(vars[name]));
}

const label = (page: Page, name: string) => page.getByLabel(name, { exact: true });
const button = (page: Page, name: string) => page.getByRole('button', { name, exact: true });
const link = (page: Page, name: string) => page.getByRole('link', { name, exact: true });
const heading = (page: Page, name: string) => page.getByRole('heading', { name, exact: true });

/** Every screen the test stops at: accessible, translated, no console problem; and a screenshot. */
async function looked(tab: Tab, name: string): Promise<void> {
  expect(await axe(tab.page), name).toEqual([]);
  expect(await missingKeys(tab.page), name).toEqual([]);
  expect(tab.problems, name).toEqual([]);
  await screenshot(tab.page, `whole-poll-anchors-${name}`);
}

/** Every request the pages of a browser context send, URL and body, for what must never be in them. */
function recordRequests(context: BrowserContext): string[] {
  const seen: string[] = [];
  context.on('request', (r: Request) => seen.push(`${r.method()} ${r.url()} ${r.postData() ?? ''}`));
  return seen;
}

/** The witness's round must have cosigned the board as it is now. */
function cosigned(outcome: FollowOutcome): { size: number } {
  expect(outcome.kind, JSON.stringify(outcome)).toBe('cosigned');
  return outcome as { size: number };
}

interface Resident {
  readonly name: string;
  readonly lang: 'en' | 'zh';
  /** her sheet's link: her code and the poll fingerprint after # */
  readonly link: string;
}

/**
 * One resident's visit to her sheet's link on a phone: the fingerprint matches; she answers and
 * casts. Her receipt checks out but for the witness: none has cosigned a record with her ballot yet,
 * and the booth says to check again later. Returns her tracker.
 */
async function vote(r: Resident, fingerprint: string, choice: [string, string]): Promise<string> {
  const l = r.lang;
  const tab = await openTab(web.browser, web.site.base, { viewport: PHONE, locale: l === 'en' ? 'en-GB' : 'zh-CN' });
  const { page } = tab;
  const stuck = (what: string) => async (e: unknown) => {
    await screenshot(page, `whole-poll-anchors-${r.name}-${what}-stuck-${l}-phone`);
    throw new Error(`${r.name}: ${await page.locator('main').innerText()} ${tab.problems.join(' ')}`, { cause: e });
  };
  await page.goto(r.link.slice(web.site.base.length));
  await heading(page, say(l, 'booth.step.ready')).waitFor().catch(stuck('ready'));
  await page.getByText(say(l, 'booth.fp.match')).waitFor();
  await page.getByText(fingerprint, { exact: true }).first().waitFor();
  await looked(tab, `${r.name}-ready-${l}-phone`);
  await button(page, say(l, 'booth.ready.start')).click();
  await page.getByRole('radio', { name: l === 'en' ? choice[0] : choice[1], exact: true }).check();
  await button(page, say(l, 'booth.nav.review')).click();
  await button(page, say(l, 'booth.review.seal')).click();
  await button(page, say(l, 'booth.tracker.cast')).waitFor({ timeout: 60_000 });
  const tracker = (await page.locator('p.tracker').first().textContent())!.trim();
  await button(page, say(l, 'booth.tracker.cast')).click();
  await page.getByRole('alert').filter({ hasText: say(l, 'booth.check.witnessesWaitTitle') }).waitFor({ timeout: 60_000 }).catch(stuck('cast'));
  await page.locator('li.line.fail').filter({ hasText: say(l, 'booth.check.witnessesTooFew', { count: 0, listed: 1, k: 1 }) }).waitFor();
  expect(await page.locator('li.line.fail').count()).toBe(1);
  await looked(tab, `${r.name}-cast-${l}-phone`);
  await tab.context.close();
  return tracker;
}

/** Later, on the check page of a fresh phone, her tracker: every check passes, the witness's among them. */
async function checkAgain(r: Resident, poll: string, tracker: string): Promise<void> {
  const l = r.lang;
  const tab = await openTab(web.browser, web.site.base, { viewport: PHONE, locale: l === 'en' ? 'en-GB' : 'zh-CN' });
  const { page } = tab;
  await page.goto(`/poll/${poll}/check`);
  await label(page, say(l, 'booth.checkPage.inputLabel')).fill(tracker);
  await button(page, say(l, 'booth.checkPage.check')).click();
  await page.getByText(say(l, 'booth.check.allGood')).waitFor({ timeout: 60_000 });
  // (Passed checks are folded in the report's details.)
  await page.locator('li.line.pass').filter({ hasText: say(l, 'booth.check.witnessesEnough', { count: 1, listed: 1, k: 1 }) }).waitFor({ state: 'attached' });
  await looked(tab, `${r.name}-checked-${l}-phone`);
  await tab.context.close();
}

describe('a whole poll in the browser, with its anchors', () => {
  test('a registrar of her own, a pinned witness (k = 1) and the printed notice, from the draft to the verifier — all by clicking', async () => {
    const reader = new Client(web.site.base, null);
    const witness = Witness.open(mkdtempSync(join(tmpdir(), 'gongshi-whole-anchors-witness-')), { name: WITNESS });

    // --- The organiser: first start, then a new poll with a registrar of her own, a witness and a privacy floor.
    const org = await openTab(web.browser, web.site.base, { viewport: DESKTOP, locale: 'en-GB' });
    const page = org.page;
    const orgSent = recordRequests(org.context);
    await page.goto(`/setup#${web.site.app.setupToken}`);
    await label(page, 'Your name (to sign in with)').fill(ORGANISER.name);
    await label(page, 'Password').fill(ORGANISER.password);
    await label(page, 'Password again').fill(ORGANISER.password);
    await button(page, 'Set the password').click();
    await link(page, 'Go to your polls').click();
    await link(page, 'New poll').click();
    await heading(page, 'New poll').waitFor();
    const texts = async (field: string, en: string, zh: string) => {
      await label(page, `${field}: English`).fill(en);
      await label(page, `${field}: Chinese`).fill(zh);
    };
    await texts('Title', 'Courtyard gate', '院门');
    await texts('Description', 'One question about our courtyard gate.', '关于院门的一个问题。');
    await texts('Question 1', 'Gate colour?', '院门颜色？');
    await texts('Question 1, option 1', 'Red', '红色');
    await texts('Question 1, option 2', 'Green', '绿色');
    await label(page, say('en', 'organiser.edit.n')).fill('1');
    await label(page, say('en', 'organiser.edit.t')).fill('1');
    await label(page, 'Name of trustee 1').fill('Ms Li');
    await label(page, say('en', 'organiser.edit.registrarOther')).check();
    await button(page, say('en', 'organiser.edit.addWitness')).click();
    await label(page, say('en', 'organiser.edit.witnessKey', { n: 1 })).fill(witness.vkey);
    await page.getByText(say('en', 'organiser.edit.witnessNamed', { name: WITNESS })).waitFor();
    await label(page, say('en', 'organiser.edit.k')).fill('1');
    await label(page, say('en', 'organiser.edit.privacyFloor')).fill('2'); // two residents vote
    await looked(org, 'organiser-new-en-desktop');
    await button(page, 'Save the draft').click();
    await page.getByRole('status').filter({ hasText: 'The draft is saved.' }).waitFor({ timeout: 60_000 }); // a loaded 2-core machine
    const poll = new URL(page.url()).pathname.split('/')[3];
    expect(poll).toMatch(/^[0-9a-f]{32}$/);

    // The registrar's link, made in the editor once the draft is saved.
    await link(page, say('en', 'organiser.home.edit')).click();
    await heading(page, 'Edit the poll').waitFor();
    expect(await label(page, say('en', 'organiser.edit.registrarOther')).isChecked()).toBe(true);
    await page.getByText(say('en', 'organiser.edit.registrarNotYet')).waitFor();
    await button(page, say('en', 'organiser.edit.registrarMakeLink')).click();
    const registrarLink = await label(page, say('en', 'organiser.edit.registrarLinkLabel')).inputValue();
    expect(registrarLink).toMatch(new RegExp(`^${web.site.base}/registrar/${poll}#`));
    await looked(org, 'organiser-registrar-link-en-desktop');
    await link(page, say('en', 'common.cancel')).click();

    // Trustee link.
    await link(page, 'Make the trustee links').click();
    await button(page, 'Make the links').click();
    const trusteeLink = await label(page, 'Secret link for Ms Li').inputValue();
    await link(page, 'Back to the poll').click();

    // --- The registrar opens her link in her own browser (in Chinese, on her phone) and names herself.
    const reg = await openTab(web.browser, web.site.base, { locale: 'zh-CN', viewport: PHONE });
    const r = reg.page;
    await r.goto(registrarLink.slice(web.site.base.length));
    await heading(r, say('zh', 'registrar.join.title')).waitFor();
    await label(r, say('zh', 'registrar.join.name')).fill('陈女士');
    await button(r, say('zh', 'registrar.join.submit')).click();
    await r.getByRole('status').filter({ hasText: say('zh', 'registrar.join.given', { name: '陈女士' }) }).waitFor();
    await looked(reg, 'registrar-joined-zh-phone');

    // --- The organiser sees her joined, and publishes.
    await page.reload();
    await page.locator('dd').getByText('陈女士', { exact: true }).waitFor(); // Voter codes made by
    await button(page, 'Publish the poll').click();
    await page.getByRole('dialog', { name: 'Publish the poll?' }).getByRole('button', { name: 'Yes, publish' }).click();
    await page.getByRole('status').filter({ hasText: 'The poll is published.' }).waitFor();

    // The fingerprint of entry 0 as the server's API gives it: on her poll page, checked, and on the notice.
    const entry0 = decodeEntry(unb64((await reader.get(`/api/polls/${poll}/entries?from=0&limit=1`)).body.entries[0].bytes));
    const fingerprint = formatPollFingerprint(pollFingerprint(entry0.payload));
    expect(formatPollFingerprint(pollFingerprint(unb64((await reader.get(`/api/polls/${poll}`)).body.manifest)))).toBe(fingerprint);
    await page.getByText(fingerprint, { exact: true }).waitFor();
    await page.getByText(say('en', 'organiser.home.fingerprintChecked')).waitFor();
    await page.getByText(say('en', 'organiser.home.witnessesK', { k: 1, w: 1 })).waitFor();
    await looked(org, 'organiser-published-en-desktop');
    await link(page, say('en', 'organiser.home.notice')).click();
    await heading(page, say('en', 'organiser.notice.title')).waitFor();
    expect(await page.locator('[data-fingerprint]').textContent()).toBe(fingerprint);
    await page.getByText(say('en', 'organiser.notice.registrar', { name: '陈女士' })).waitFor();
    await page.getByText(say('en', 'organiser.notice.witnesses', { names: WITNESS, k: 1, w: 1 })).waitFor();
    await page.getByText(say('en', 'organiser.notice.privacyFloor', { floor: 2 })).waitFor();
    await looked(org, 'organiser-notice-en-desktop');
    await link(page, say('en', 'organiser.notice.back')).click();

    // --- The registrar makes three codes, prints the sheets with the fingerprint, and uploads the list she signed.
    await r.reload();
    await r.getByText(fingerprint, { exact: true }).waitFor();
    await label(r, say('zh', 'organiser.roll.paste')).fill('王秀英\nWang Wei\n张敏');
    await button(r, say('zh', 'organiser.roll.readPasted')).click();
    await button(r, say('zh', 'organiser.roll.generate', { count: '3' })).click();
    await heading(r, say('zh', 'organiser.roll.madeTitle', { count: '3' })).waitFor({ timeout: 60_000 });
    const [csv] = await Promise.all([r.waitForEvent('download'), button(r, say('zh', 'organiser.roll.export')).click()]);
    const rows = readFileSync((await csv.path())!, 'utf8').replace(/^\uFEFF/, '').trim().split('\r\n').slice(1).map((line) => line.split(','));
    expect(rows.length).toBe(3);
    const codes = rows.map((row) => row[1]);
    for (const row of rows) expect(row[2]).toBe(`${web.site.base}/poll/${poll}/vote#${row[1]}&fp=${fingerprint.replace(/ /g, '')}`);
    await r.getByRole('link', { name: say('zh', 'organiser.roll.print'), exact: true }).click();
    await heading(r, say('zh', 'organiser.sheets.title')).waitFor();
    expect(await r.locator('article.sheet .fingerprint').allTextContents()).toEqual(Array(3).fill(fingerprint));
    await looked(reg, 'registrar-sheets-zh-phone');
    await r.getByRole('link', { name: say('zh', 'organiser.sheets.back'), exact: true }).click();
    await button(r, say('zh', 'organiser.roll.register', { count: '3' })).click();
    await r.getByRole('status').filter({ hasText: say('zh', 'organiser.roll.registered', { count: '3', listed: '3' }) }).waitFor();
    await looked(reg, 'registrar-registered-zh-phone');
    await reg.context.close();
    expect((await reader.get(`/api/polls/${poll}`)).body.turnout.listed).toBe(3);

    // --- The trustee, in her own browser: the ceremony runs until she saves her key file.
    const trustee = await openTab(web.browser, web.site.base, { viewport: DESKTOP, locale: 'en-GB' });
    await trustee.page.goto(trusteeLink);
    {
      const p = trustee.page;
      await heading(p, say('en', 'trustee.save.heading')).waitFor({ timeout: 90_000 });
      await label(p, say('en', 'trustee.save.passphrase', { min: 10 })).fill(PASSPHRASE);
      await label(p, say('en', 'trustee.save.again')).fill(PASSPHRASE);
      await button(p, say('en', 'trustee.save.make')).click();
      await link(p, say('en', 'trustee.save.download')).waitFor({ timeout: 60_000 });
      const [file] = await Promise.all([p.waitForEvent('download'), link(p, say('en', 'trustee.save.download')).click()]);
      const keyFile = join(keys, file.suggestedFilename());
      await file.saveAs(keyFile);
      await label(p, say('en', 'trustee.save.confirm')).check();
      await looked(trustee, 'trustee-key-saved-en-desktop');
      await button(p, say('en', 'trustee.save.sign')).click();
      await p.getByText(say('en', 'trustee.phase.ready')).waitFor({ timeout: 60_000 });
      await trustee.context.close();

      expect((await reader.get(`/api/polls/${poll}`)).body.status).toBe('ready');

      // --- The organiser opens the poll.
      await page.reload();
      await button(page, 'Open the poll now').click();
      await page.getByRole('dialog', { name: 'Open the poll now?' }).getByRole('button', { name: 'Yes, open it' }).click();
      await page.getByRole('status').filter({ hasText: 'The poll is open for voting.' }).waitFor();

      // --- Two residents vote through their sheets' links; the third stays home.
      const wang: Resident = { name: 'wang', lang: 'zh', link: rows[0][2] };
      const wei: Resident = { name: 'wei', lang: 'en', link: rows[1][2] };
      const wangTracker = await vote(wang, fingerprint, ['Red', '红色']);
      const weiTracker = await vote(wei, fingerprint, ['Green', '绿色']);
      expect((await reader.get(`/api/polls/${poll}`)).body.turnout.voters).toBe(2);

      // The witness's next round (it runs every few minutes) cosigns the board with both ballots; their receipts now pass.
      const url = parsePollUrl(`${web.site.base}/poll/${poll}`);
      cosigned(await witness.followOnce(url));
      await checkAgain(wang, poll, wangTracker);
      await checkAgain(wei, poll, weiTracker);

      // --- The organiser closes the poll and starts the count.
      await button(page, 'Close the poll now').click();
      await page.getByRole('dialog', { name: 'Close the poll now?' }).getByRole('button', { name: 'Yes, close it' }).click();
      await page.getByRole('status').filter({ hasText: 'The poll is closed.' }).waitFor();
      await button(page, 'Start the count').click();
      await page.getByRole('dialog', { name: 'Start the count?' }).getByRole('button', { name: 'Yes, start the count' }).click();
      await page.getByRole('status').filter({ hasText: 'The count has started.' }).waitFor();

      // --- The witness follows the board once and cosigns the checkpoint that holds the tally.
      const atTally = cosigned(await witness.followOnce(url));
      expect(atTally.size).toBe((await reader.get(`/api/polls/${poll}/checkpoint`)).body.size);

      // --- The trustee, another day, in a fresh browser with her link and key file: the gate passes on the cosignature.
      const again = await openTab(web.browser, web.site.base, { viewport: DESKTOP, locale: 'en-GB' });
      const a = again.page;
      await a.goto(trusteeLink);
      await heading(a, say('en', 'trustee.decrypt.heading')).waitFor({ timeout: 60_000 });
      await a.getByText(fingerprint, { exact: true }).waitFor();
      await a.getByLabel(say('en', 'trustee.key.file')).setInputFiles(keyFile);
      await a.getByLabel(say('en', 'trustee.key.passphrase'), { exact: true }).fill(PASSPHRASE);
      await button(a, say('en', 'trustee.decrypt.button')).click();
      await a.getByText(say('en', 'trustee.phase.done')).waitFor({ timeout: 90_000 });
      expect(await a.getByText(say('en', 'trustee.gate.compareHeading')).count()).toBe(0);
      await looked(again, 'trustee-decrypted-en-desktop');
      await again.context.close();
    }
    await link(page, 'See the results').waitFor({ timeout: 60_000 });
    await looked(org, 'organiser-done-en-desktop');

    // The witness cosigns the final board too (the result is on it now).
    const final = cosigned(await witness.followOnce(parsePollUrl(`${web.site.base}/poll/${poll}`)));
    expect(final.size).toBe((await reader.get(`/api/polls/${poll}/checkpoint`)).body.size);

    // --- The results page: Red 1, Green 1; 2 ballots counted.
    const results = await openTab(web.browser, web.site.base, { viewport: PHONE, locale: 'en-GB' });
    await results.page.goto(`/poll/${poll}/results`);
    const question = results.page.locator('section.question').first();
    await question.waitFor();
    const totals = Object.fromEntries(
      await question.locator('li').evaluateAll((items) => items.map((li) => [li.querySelector('.option')!.textContent!.trim(), Number(/\d+/.exec(li.querySelector('.total')!.textContent!)![0])])),
    );
    expect(totals).toEqual({ Red: 1, Green: 1 });
    await results.page.getByText(say('en', 'observer.results.counted', { counted: 2, ballots: 2 })).waitFor();
    await looked(results, 'results-en-phone');

    // --- The verifier page, with the fingerprint from the notice typed in: valid, the fingerprint matches, 1 of 1 witnesses.
    await link(results.page, 'Verify this result yourself').click();
    await label(results.page, say('en', 'observer.verify.fingerprintLabel')).fill(fingerprint);
    await button(results.page, say('en', 'observer.verify.start')).click();
    await heading(results.page, `✓ ${say('en', 'observer.verify.passed')}`).waitFor({ timeout: 120_000 });
    expect(await results.page.getByTestId('report-text').innerText()).toMatch(/valid/i);
    await results.page.getByText(say('en', 'observer.verify.fingerprintMatches', { fingerprint })).waitFor();
    await results.page.getByText(say('en', 'observer.verify.witnessesCount', { count: 1, listed: 1, k: 1 })).waitFor();
    await looked(results, 'verifier-passed-en-phone');
    await results.context.close();

    // --- No request the organiser's browser sent ever held a code.
    const bare = codes.map((c) => c.replace(/-/g, ''));
    expect(orgSent.length).toBeGreaterThan(0);
    for (const request of orgSent) for (const [i, code] of codes.entries()) expect(request.includes(code) || request.replace(/-/g, '').includes(bare[i]), request).toBe(false);
    await org.context.close();
  }, 300_000);
});
