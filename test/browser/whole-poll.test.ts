/**
 * One whole poll, clicked through in the browser with nothing done over the API: the organiser
 * sets her password, writes a two-language poll, makes the trustee links and the voter codes in
 * her browser; three trustees in three browser contexts run the ceremony and save their key
 * files; residents vote on phones (one audits first, one votes again) and each sees her receipt
 * check pass; the organiser closes and starts the count; two trustees decrypt with their key
 * files in fresh browsers; the results page shows the right numbers and the verifier page passes
 * the record. The API is only read, to confirm what the pages claim.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, test } from 'vitest';
import { messages, type MessageKey } from '../../client/src/i18n/index.ts';
import { Client, ORGANISER } from '../server/support.ts';
import { formatPollFingerprint, pollFingerprint } from '../../bulletin-board/index.ts';
import { DESKTOP, PHONE, axe, browserAndSite, missingKeys, openTab, screenshot, type Tab } from './support.ts';

const web = browserAndSite();
const keys = mkdtempSync(join(tmpdir(), 'gongshi-whole-poll-keys-'));
const PASSPHRASES = ['plum blossom on the old wall', '院子里的老槐树开花了', 'ninety nine red kites'];

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
  await screenshot(tab.page, `whole-poll-${name}`);
}

interface Resident {
  readonly name: string;
  readonly lang: 'en' | 'zh';
  code: string;
  /** her sheet's link: the code and the poll fingerprint after # */
  link: string;
}

/** One resident's visit to her vote link on a phone: answers, optionally audits first, casts, sees the check pass. */
async function vote(r: Resident, poll: string, choice: { single: [string, string]; multiple: [string, string][] }, o: { audit?: boolean; again?: boolean } = {}): Promise<string> {
  const en = r.lang === 'en';
  const l = r.lang;
  const tab = await openTab(web.browser, web.site.base, { viewport: PHONE, locale: en ? 'en-GB' : 'zh-CN' });
  const { page } = tab;
  expect(r.link.startsWith(`${web.site.base}/poll/${poll}/vote#${r.code}&fp=`)).toBe(true);
  await page.goto(r.link.slice(web.site.base.length));
  await heading(page, say(l, 'booth.step.ready'))
    .waitFor()
    .catch(async (e) => {
      await screenshot(page, `whole-poll-${r.name}-stuck-${r.lang}-phone`);
      throw new Error(`${r.name}: ${await page.locator('main').innerText()} ${tab.problems.join(' ')}`, { cause: e });
    });
  if (o.again) await page.getByText(say(l, 'booth.ready.revote', { ballots: 1, left: 1 })).waitFor();
  await button(page, say(l, 'booth.ready.start')).click();
  await page.getByRole('radio', { name: en ? choice.single[0] : choice.single[1], exact: true }).check();
  await button(page, say(l, 'booth.nav.next')).click();
  for (const [optionEn, optionZh] of choice.multiple) await page.getByRole('checkbox', { name: en ? optionEn : optionZh, exact: true }).check();
  await button(page, say(l, 'booth.nav.review')).click();
  await button(page, say(l, 'booth.review.seal')).click();
  await button(page, say(l, 'booth.tracker.cast')).waitFor({ timeout: 60_000 });
  if (o.audit) {
    await looked(tab, `${r.name}-sealed-${r.lang}-phone`);
    await button(page, say(l, 'booth.tracker.audit')).click();
    await heading(page, say(l, 'booth.step.audit')).waitFor();
    await page.locator('ol.choices').waitFor();
    expect(await page.locator('ol.choices').innerText()).toContain(en ? choice.single[0] : choice.single[1]);
    await looked(tab, `${r.name}-audit-${r.lang}-phone`);
    await button(page, say(l, 'booth.audit.reseal')).click();
    await button(page, say(l, 'booth.tracker.cast')).waitFor({ timeout: 60_000 });
  }
  const tracker = (await page.locator('p.tracker').first().textContent())!.trim();
  await button(page, say(l, 'booth.tracker.cast')).click();
  await page.getByText(say(l, 'booth.check.allGood')).waitFor({ timeout: 60_000 });
  await looked(tab, `${r.name}-cast${o.again ? '-again' : ''}-${r.lang}-phone`);
  await tab.context.close();
  return tracker;
}

describe('a whole poll in the browser', () => {
  test('organiser, three trustees, four residents, count, results and verifier — all by clicking', async () => {
    const reader = new Client(web.site.base, null);

    // --- The organiser: first start, then a new poll in English and Chinese.
    const org = await openTab(web.browser, web.site.base, { viewport: DESKTOP, locale: 'en-GB' });
    const page = org.page;
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
    await texts('Title', 'Courtyard poll', '院落投票');
    await texts('Description', 'Two questions about our courtyard.', '关于院落的两个问题。');
    await texts('Question 1', 'Gate colour?', '院门颜色？');
    await texts('Question 1, option 1', 'Red', '红色');
    await texts('Question 1, option 2', 'Green', '绿色');
    await button(page, 'Question 1: Add an option').click();
    await texts('Question 1, option 3', 'Grey', '灰色');
    await button(page, 'Add a question').click();
    await label(page, 'Question 2: Kind of answer').selectOption('multiple');
    await texts('Question 2', 'Evening classes (one or two)?', '晚间课程（一到两项）？');
    await texts('Question 2, option 1', 'Tai chi', '太极');
    await texts('Question 2, option 2', 'Calligraphy', '书法');
    await button(page, 'Question 2: Add an option').click();
    await texts('Question 2, option 3', 'English', '英语');
    await label(page, 'Question 2: Fewest options to choose').fill('1');
    await label(page, 'Question 2: Most options to choose').fill('2');
    for (const [i, name] of ['Ms Li', 'Mr Wang', 'Ms Zhao'].entries()) await label(page, `Name of trustee ${i + 1}`).fill(name);
    await label(page, 'How many ballots each voter may cast').fill('2');
    await label(page, 'Fewest counted ballots before the count is decrypted').fill('3'); // three residents vote
    await button(page, 'Save the draft').click();
    await page.getByRole('status').filter({ hasText: 'The draft is saved.' }).waitFor();
    const poll = new URL(page.url()).pathname.split('/')[3];
    expect(poll).toMatch(/^[0-9a-f]{32}$/);
    await looked(org, 'organiser-draft-en-desktop');

    // Trustee links, then publish.
    await link(page, 'Make the trustee links').click();
    await button(page, 'Make the links').click();
    const links: string[] = [];
    for (const name of ['Ms Li', 'Mr Wang', 'Ms Zhao']) links.push(await label(page, `Secret link for ${name}`).inputValue());
    await link(page, 'Back to the poll').click();
    await button(page, 'Publish the poll').click();
    await page.getByRole('dialog', { name: 'Publish the poll?' }).getByRole('button', { name: 'Yes, publish' }).click();
    await page.getByRole('status').filter({ hasText: 'The poll is published.' }).waitFor();

    // The fingerprint her browser computed from entry 0 is the board's manifest hash.
    const manifest = (await new Client(web.site.base).get(`/api/polls/${poll}`)).body.manifest as string;
    const fingerprint = formatPollFingerprint(pollFingerprint(new Uint8Array(Buffer.from(manifest, 'base64')))).replace(/ /g, '');
    await page.getByText(formatPollFingerprint(pollFingerprint(new Uint8Array(Buffer.from(manifest, 'base64')))), { exact: true }).waitFor();

    // Voter codes, made in her web.browser; the mail-merge file gives each resident her code and link.
    await link(page, 'Make the voter codes').click();
    await label(page, 'Or paste the list here (one voter per line)').fill('Wang Xiuying\nLi Wei\nZhang Min\nChen Jing');
    await button(page, 'Read the pasted list').click();
    await button(page, 'Make codes for 4 voters').click();
    await heading(page, 'Codes made for 4 voters').waitFor({ timeout: 60_000 });
    const [download] = await Promise.all([page.waitForEvent('download'), button(page, 'Save the list for mail merge (CSV)').click()]);
    const rows = readFileSync((await download.path())!, 'utf8').replace(/^\uFEFF/, '').trim().split('\r\n').slice(1).map((line) => line.split(','));
    const residents: Resident[] = [
      { name: 'wang', lang: 'en', code: '', link: '' },
      { name: 'li', lang: 'zh', code: '', link: '' },
      { name: 'zhang', lang: 'en', code: '', link: '' },
      { name: 'chen', lang: 'zh', code: '', link: '' },
    ];
    for (const [i, row] of rows.entries()) {
      residents[i].code = row[1];
      residents[i].link = row[2];
      expect(row[2]).toBe(`${web.site.base}/poll/${poll}/vote#${row[1]}&fp=${fingerprint}`);
    }
    await button(page, 'Register 4 voters').click();
    await page.getByRole('status').filter({ hasText: '4 voters are registered.' }).waitFor();
    await looked(org, 'organiser-codes-en-desktop');
    await link(page, 'Back to the poll').click();

    // --- Three trustees, three browsers (one in Chinese, one on a phone): the ceremony runs by itself until each saves her key file.
    const kinds = [
      { lang: 'en', locale: 'en-GB', viewport: DESKTOP },
      { lang: 'zh', locale: 'zh-CN', viewport: DESKTOP },
      { lang: 'en', locale: 'en-GB', viewport: PHONE },
    ] as const;
    const trustees: Tab[] = [];
    for (const [i, l] of links.entries()) {
      const tab = await openTab(web.browser, web.site.base, { viewport: kinds[i].viewport, locale: kinds[i].locale });
      await tab.page.goto(l);
      trustees.push(tab);
    }
    const keyFiles: string[] = [];
    for (const [i, tab] of trustees.entries()) {
      const l = kinds[i].lang;
      const p = tab.page;
      await heading(p, say(l, 'trustee.save.heading')).waitFor({ timeout: 90_000 });
      await label(p, say(l, 'trustee.save.passphrase', { min: 10 })).fill(PASSPHRASES[i]);
      await label(p, say(l, 'trustee.save.again')).fill(PASSPHRASES[i]);
      await button(p, say(l, 'trustee.save.make')).click();
      await link(p, say(l, 'trustee.save.download')).waitFor({ timeout: 60_000 });
      const [file] = await Promise.all([p.waitForEvent('download'), link(p, say(l, 'trustee.save.download')).click()]);
      keyFiles.push(join(keys, file.suggestedFilename()));
      await file.saveAs(keyFiles[i]);
      await label(p, say(l, 'trustee.save.confirm')).check();
      await looked(tab, `trustee-${i + 1}-key-saved-${l}-${kinds[i].viewport === PHONE ? 'phone' : 'desktop'}`);
      await button(p, say(l, 'trustee.save.sign')).click();
    }
    for (const [i, tab] of trustees.entries()) await tab.page.getByText(say(kinds[i].lang, 'trustee.phase.ready')).waitFor({ timeout: 60_000 });
    expect((await reader.get(`/api/polls/${poll}`)).body.status).toBe('ready');
    expect(new Set(keyFiles).size).toBe(3);
    for (const tab of trustees) await tab.context.close();

    // --- The organiser opens the poll.
    await page.reload();
    await button(page, 'Open the poll now').click();
    await page.getByRole('dialog', { name: 'Open the poll now?' }).getByRole('button', { name: 'Yes, open it' }).click();
    await page.getByRole('status').filter({ hasText: 'The poll is open for voting.' }).waitFor();

    // --- Residents on phones: Wang audits first; Li votes in Chinese; Zhang votes, then votes again; Chen stays home.
    const [wang, li, zhang] = residents;
    await vote(wang, poll, { single: ['Red', '红色'], multiple: [['Tai chi', '太极'], ['Calligraphy', '书法']] }, { audit: true });
    await vote(li, poll, { single: ['Green', '绿色'], multiple: [['Calligraphy', '书法']] });
    const first = await vote(zhang, poll, { single: ['Grey', '灰色'], multiple: [['Tai chi', '太极']] });
    await vote(zhang, poll, { single: ['Red', '红色'], multiple: [['Tai chi', '太极'], ['English', '英语']] }, { again: true });

    // Zhang checks her first receipt on the check page: it is on the board, and replaced by her later ballot.
    const check = await openTab(web.browser, web.site.base, { viewport: PHONE, locale: 'en-GB' });
    await check.page.goto(`/poll/${poll}/check`);
    await label(check.page, 'Tracker or receipt').fill(first);
    await button(check.page, 'Check').click();
    await check.page.getByText('Every check passed.').waitFor({ timeout: 60_000 });
    await looked(check, 'check-first-ballot-en-phone');
    await check.context.close();

    const turnout = (await reader.get(`/api/polls/${poll}`)).body.turnout;
    expect([turnout.voters, turnout.listed]).toEqual([3, 4]);

    // --- The organiser closes the poll and starts the count.
    await button(page, 'Close the poll now').click();
    await page.getByRole('dialog', { name: 'Close the poll now?' }).getByRole('button', { name: 'Yes, close it' }).click();
    await page.getByRole('status').filter({ hasText: 'The poll is closed.' }).waitFor();
    await button(page, 'Start the count').click();
    await page.getByRole('dialog', { name: 'Start the count?' }).getByRole('button', { name: 'Yes, start the count' }).click();
    await page.getByRole('status').filter({ hasText: 'The count has started.' }).waitFor();

    // --- Trustees 1 and 3, another day, in fresh browsers with only their links and key files.
    for (const i of [0, 2]) {
      const tab = await openTab(web.browser, web.site.base, { viewport: kinds[i].viewport, locale: 'en-GB' });
      await tab.page.goto(links[i]);
      const section = tab.page.locator('section, div').filter({ has: heading(tab.page, 'Count the votes') }).last();
      await heading(tab.page, 'Count the votes').waitFor({ timeout: 60_000 });
      await section.getByLabel('Your key file (ends in .key)').setInputFiles(keyFiles[i]);
      await section.getByLabel('Your passphrase', { exact: true }).fill(PASSPHRASES[i]);
      await button(tab.page, 'Unlock the result with my key').click();
      // No witnesses (k = 0): she confirms the trustees compared the checkpoint aloud.
      await tab.page.getByLabel('We compared this checkpoint aloud and it is the same for all of us').check({ timeout: 90_000 });
      await button(tab.page, 'It is the same: unlock the result').click();
      await tab.page.getByText(/Your share is on the board\.|The result is published/).first().waitFor({ timeout: 90_000 });
      await looked(tab, `trustee-${i + 1}-decrypted-en-${kinds[i].viewport === PHONE ? 'phone' : 'desktop'}`);
      await tab.context.close();
    }
    await link(page, 'See the results').waitFor({ timeout: 60_000 });
    await looked(org, 'organiser-done-en-desktop');

    // --- The results page: Red 2, Green 1, Grey 0; Tai chi 2, Calligraphy 2, English 1; 3 ballots counted.
    const results = await openTab(web.browser, web.site.base, { viewport: PHONE, locale: 'en-GB' });
    await results.page.goto(`/poll/${poll}/results`);
    const questions = results.page.locator('section.question');
    await questions.first().waitFor();
    const totals = async (q: number) =>
      Object.fromEntries(
        await questions
          .nth(q)
          .locator('li')
          .evaluateAll((items) => items.map((li) => [li.querySelector('.option')!.textContent!.trim(), Number(/\d+/.exec(li.querySelector('.total')!.textContent!)![0])])),
      );
    expect(await totals(0)).toEqual({ Red: 2, Green: 1, Grey: 0 });
    expect(await totals(1)).toEqual({ 'Tai chi': 2, Calligraphy: 2, English: 1 });
    await results.page.getByText(say('en', 'observer.results.counted', { counted: 3, ballots: 4 })).waitFor();
    await looked(results, 'results-en-phone');

    // --- The verifier page checks the whole record in the web.browser.
    await link(results.page, 'Verify this result yourself').click();
    await button(results.page, 'Verify this poll').click();
    await heading(results.page, '✓ The record passed every check').waitFor({ timeout: 120_000 });
    expect(await results.page.getByTestId('report-text').innerText()).toMatch(/valid/i);
    await looked(results, 'verifier-passed-en-phone');
    await results.context.close();
    await org.context.close();
  }, 600_000);
});
