/**
 * The organiser's console in a real browser against a real server: first start with the setup link,
 * sign-in (a wrong password refused), a poll with all six kinds of question in English and Chinese
 * (a field error shown and fixed), trustee links, publishing, a voter list with Chinese names and a
 * bad line, codes made in the browser and checked against what the server lists, the mail-merge file
 * and the print view, registering, the ceremony and a voter over the API, opening, closing, counting.
 * Every screen in English and Chinese, on a desktop and a phone: axe, no missing key, screenshots.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { deriveCredential, encodePoint, seededRandom } from '../../crypto/index.ts';
import { DESKTOP, PHONE, axe, launchBrowser, missingKeys, openTab, screenshot, startSite, type Tab } from './support.ts';
import { Client, ORGANISER, TrusteeDevice, Voter, castBallot, hex, runCeremony, unb64, unhex, type Running } from '../server/support.ts';
import { formatPollFingerprint, pollFingerprint } from '../../bulletin-board/index.ts';

let browser: Browser;
let site: Running;
let api: Client; // the organiser's own client, signed in over HTTP, to check what the page did

beforeAll(async () => {
  [browser, site] = await Promise.all([launchBrowser(), startSite()]);
});
afterAll(async () => {
  await browser?.close();
  await site?.close();
});

/**
 * Console lines that are not problems: Chromium logs every 4xx answer to fetch as a console error,
 * and the refused sign-in (BAD_LOGIN, 401) is the point of one test. Whether and when Chromium logs
 * it varies, so it is filtered, not counted.
 */
const REFUSED_SIGN_IN = /^console: Failed to load resource: the server responded with a status of 401 \(Unauthorized\) \(http:\/\/[^)]*\/api\/session\)$/;
const real = (problems: string[], expected: RegExp[] = []) => problems.filter((p) => !expected.some((r) => r.test(p)));

/** The page passes axe, shows no missing key, and is photographed as `organiser-<name>-<lang>-<device>`. */
async function looked(page: Page, problems: string[], name: string, lang: 'en' | 'zh', device: 'desktop' | 'phone', expected: RegExp[] = []) {
  expect(await missingKeys(page)).toEqual([]);
  expect(await axe(page)).toEqual([]);
  await screenshot(page, `organiser-${name}-${lang}-${device}`);
  expect(real(problems, expected)).toEqual([]);
}

/** Looks at the screen in both languages (and on a phone too when `phone`), then goes back to English on the desktop. */
async function everyWay(tab: Tab, name: string, o: { phone?: boolean; expected?: RegExp[] } = {}) {
  const { page, problems } = tab;
  for (const device of o.phone ? (['desktop', 'phone'] as const) : (['desktop'] as const)) {
    await page.setViewportSize(device === 'phone' ? PHONE : DESKTOP);
    await looked(page, problems, name, 'en', device, o.expected);
    await page.getByRole('button', { name: '切换到中文' }).click();
    await expect.poll(() => page.locator('html').getAttribute('lang')).toBe('zh-CN');
    await looked(page, problems, name, 'zh', device, o.expected);
    await page.getByRole('button', { name: 'Switch to English' }).click();
    await expect.poll(() => page.locator('html').getAttribute('lang')).toBe('en');
  }
  await page.setViewportSize(DESKTOP);
}

/** The manifest bytes of a published poll, as the board's entry 0 holds them (the test's own reading). */
const manifestOf = async (poll: string): Promise<Uint8Array> => unb64((await api.get(`/api/polls/${poll}`)).body.manifest);

const heading = (page: Page, name: string) => page.getByRole('heading', { name, exact: true });
const label = (page: Page, name: string) => page.getByLabel(name, { exact: true });
const button = (page: Page, name: string) => page.getByRole('button', { name, exact: true });
const link = (page: Page, name: string) => page.getByRole('link', { name, exact: true });

/** Whether leaving the page now would ask first (the voter codes are not safe yet). */
const asksBeforeLeaving = (page: Page) =>
  page.evaluate(() => {
    const e = new Event('beforeunload', { cancelable: true });
    window.dispatchEvent(e);
    return e.defaultPrevented;
  });

describe('the organiser console', () => {
  test('first start: the setup link sets the password (in Chinese, on a phone); the link then leaves the address bar', async () => {
    const tab = await openTab(browser, site.base, { locale: 'zh-CN', viewport: PHONE });
    const { page, problems, context } = tab;
    await page.goto(`/setup#${site.app.setupToken}`);
    await heading(page, '设置组织者账户').waitFor();
    expect(new URL(page.url()).hash).toBe('');
    await looked(page, problems, 'setup', 'zh', 'phone');
    await label(page, '您的名字（用于登录）').fill(ORGANISER.name);
    await label(page, '密码').fill(ORGANISER.password);
    await label(page, '再次输入密码').fill('something else entirely');
    await button(page, '设置密码').click();
    await page.getByRole('alert').filter({ hasText: '两次输入的密码不一致' }).waitFor();
    await label(page, '再次输入密码').fill(ORGANISER.password);
    await button(page, '设置密码').click();
    await heading(page, '完成').waitFor();
    await looked(page, problems, 'setup-done', 'zh', 'phone');
    await link(page, '前往我的投票').click();
    await heading(page, '我的投票').waitFor();
    await page.getByText('您还没有投票').waitFor();
    await context.close();
    api = new Client(site.base);
    expect((await api.post('/api/session', ORGANISER)).status).toBe(201);
  });

  test('a wrong password is refused with a clear message; the right one signs in; sign-out signs out', async () => {
    const tab = await openTab(browser, site.base, { locale: 'en-GB' });
    const { page, problems, context } = tab;
    await page.goto('/organiser');
    await heading(page, 'Organiser sign-in').waitFor();
    await label(page, 'Name').fill(ORGANISER.name);
    await label(page, 'Password').fill('not the password');
    await button(page, 'Sign in').click();
    await page.getByRole('alert').filter({ hasText: 'The name or the password is wrong.' }).waitFor();
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('sign-in-password');
    await everyWay(tab, 'sign-in-refused', { phone: true, expected: [REFUSED_SIGN_IN] });
    await label(page, 'Password').fill(ORGANISER.password);
    await button(page, 'Sign in').click();
    await heading(page, 'Your polls').waitFor();
    await button(page, 'Sign out').click();
    await heading(page, 'Organiser sign-in').waitFor();
    expect((await fetch(`${site.base}/api/session`, { headers: { cookie: (await context.cookies()).map((c) => `${c.name}=${c.value}`).join('; ') } })).status).toBe(401);
    expect(real(problems, [REFUSED_SIGN_IN])).toEqual([]);
    await context.close();
  });

  test('a whole poll from the console: six kinds in two languages, trustees, voters, ceremony, voting, count', async () => {
    const tab = await openTab(browser, site.base, { locale: 'en-GB' });
    const { page, problems, context } = tab;
    await page.goto('/organiser');
    await label(page, 'Name').fill(ORGANISER.name);
    await label(page, 'Password').fill(ORGANISER.password);
    await button(page, 'Sign in').click();
    await heading(page, 'Your polls').waitFor();
    await everyWay(tab, 'polls-empty', { phone: true });

    // --- A new poll with the six kinds of question. The Chinese title is forgotten at first.
    await link(page, 'New poll').click();
    await heading(page, 'New poll').waitFor();
    await label(page, 'Title: English').fill('Courtyard committee poll');
    await label(page, 'Description: English').fill('Six questions about the courtyard.');
    await label(page, 'Description: Chinese').fill('关于院落的六个问题。');
    const texts = async (field: string, en: string, zh: string) => {
      await label(page, `${field}: English`).fill(en);
      await label(page, `${field}: Chinese`).fill(zh);
    };
    const kind = (n: number, value: string) => label(page, `Question ${n}: Kind of answer`).selectOption(value);
    // 1 single, with a blank vote
    await texts('Question 1', 'Gate colour?', '院门颜色？');
    await texts('Question 1, option 1', 'Red', '红色');
    await texts('Question 1, option 2', 'Green', '绿色');
    await button(page, 'Question 1: Add an option').click();
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('f-questions-0-options-2-en');
    await texts('Question 1, option 3', 'Grey', '灰色');
    await label(page, 'Question 1: Voters may also vote blank').check();
    // 2 multiple, one or two
    await button(page, 'Add a question').click();
    await kind(2, 'multiple');
    await texts('Question 2', 'Evening classes (one or two)?', '晚间课程（一到两项）？');
    await texts('Question 2, option 1', 'Tai chi', '太极');
    await texts('Question 2, option 2', 'Calligraphy', '书法');
    await button(page, 'Question 2: Add an option').click();
    await texts('Question 2, option 3', 'English', '英语');
    await label(page, 'Question 2: Fewest options to choose').fill('1');
    await label(page, 'Question 2: Most options to choose').fill('2');
    // 3 yes-no-abstain: its answers are fixed
    await button(page, 'Add a question').click();
    await kind(3, 'yes-no-abstain');
    await texts('Question 3', 'Keep the night light on?', '夜灯保持开启？');
    await page.getByRole('group', { name: 'Answers (fixed)' }).getByText('Abstain', { exact: true }).waitFor();
    // 4 score
    await button(page, 'Add a question').click();
    await kind(4, 'score');
    await texts('Question 4', 'Rate the caretakers', '为管理员打分');
    await texts('Question 4, option 1', 'Morning shift', '早班');
    await texts('Question 4, option 2', 'Night shift', '夜班');
    await label(page, 'Question 4: Highest score').fill('5');
    // 5 cumulative, with a blank vote
    await button(page, 'Add a question').click();
    await kind(5, 'cumulative');
    await texts('Question 5', 'Spread 10 points', '分配 10 分');
    await texts('Question 5, option 1', 'Paving', '铺路');
    await texts('Question 5, option 2', 'Lighting', '照明');
    await button(page, 'Question 5: Add an option').click();
    await texts('Question 5, option 3', 'Benches', '长椅');
    await label(page, 'Question 5: Points each voter can spread').fill('10');
    await label(page, 'Question 5: Voters may also vote blank').check();
    // 6 budget
    await button(page, 'Add a question').click();
    await kind(6, 'budget');
    await texts('Question 6', 'Spend up to 700 on:', '700 元以内：');
    await label(page, 'Question 6: Budget (the most that may be spent)').fill('700');
    for (const [k, en, zh, cost] of [
      [1, 'Benches', '长椅', '300'],
      [2, 'Bicycle shed', '车棚', '500'],
    ] as const) {
      await texts(`Question 6, option ${k}`, en, zh);
      await label(page, `Question 6, option ${k}: Cost`).fill(cost);
    }
    await button(page, 'Question 6: Add an option').click();
    await texts('Question 6, option 3', 'Plants', '绿植');
    await label(page, 'Question 6, option 3: Cost').fill('200');
    // trustees and voting again
    for (const [i, name] of ['Ms Li', 'Mr Wang', 'Ms Zhao'].entries()) await label(page, `Name of trustee ${i + 1}`).fill(name);
    await label(page, 'How many ballots each voter may cast').fill('3');

    await button(page, 'Save the draft').click();
    await page.getByRole('alert').filter({ hasText: 'Please fix what is marked below (1).' }).waitFor();
    await page.getByText('Write this in Chinese too.').waitFor();
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('f-title-zh-CN');
    expect(await label(page, 'Title: Chinese').getAttribute('aria-invalid')).toBe('true');
    expect(await label(page, 'Question 6, option 3: English').inputValue()).toBe('Plants'); // nothing typed is lost
    await everyWay(tab, 'editor-error', { phone: true });
    await label(page, 'Title: Chinese').fill('院落委员会投票');
    await button(page, 'Save the draft').click();
    await page.getByRole('status').filter({ hasText: 'The draft is saved.' }).waitFor();
    const poll = new URL(page.url()).pathname.split('/')[3];
    expect(poll).toMatch(/^[0-9a-f]{32}$/);
    await heading(page, 'Courtyard committee poll').waitFor();
    await everyWay(tab, 'poll-draft', { phone: true });

    // --- Edit: reorder, remove, change a text; save.
    await link(page, 'Edit the questions').click();
    await heading(page, 'Edit the poll').waitFor();
    expect(await label(page, 'Question 2: Kind of answer').inputValue()).toBe('multiple');
    await button(page, 'Question 2: Move up').click();
    expect(await label(page, 'Question 1: English').inputValue()).toBe('Evening classes (one or two)?');
    await expect.poll(() => page.evaluate(() => document.activeElement?.textContent?.trim())).toBe('Question 1: Move down');
    await button(page, 'Question 1: Move down').click(); // focus followed the question: move it back
    expect(await label(page, 'Question 1: English').inputValue()).toBe('Gate colour?');
    await button(page, 'Question 2: Add an option').click();
    await texts('Question 2, option 4', 'Computers', '电脑');
    await button(page, 'Question 2, option 4: Move up').click();
    expect(await label(page, 'Question 2, option 3: English').inputValue()).toBe('Computers');
    await button(page, 'Question 2, option 3: Move down').click();
    await button(page, 'Question 6: Add an option').click();
    await button(page, 'Question 6, option 4: Remove').click();
    await label(page, 'Fewest counted ballots before the count is decrypted').fill('1'); // one voter votes below
    await label(page, 'Description: English').fill('Six questions about our courtyard.');
    await everyWay(tab, 'editor', { phone: true });
    await button(page, 'Save the draft').click();
    await page.getByRole('status').filter({ hasText: 'Your changes are saved.' }).waitFor();

    const draft = (await api.get(`/api/polls/${poll}`)).body.draft;
    expect(draft.languages).toEqual(['en', 'zh-CN']);
    expect(draft.title).toEqual(['Courtyard committee poll', '院落委员会投票']);
    expect(draft.description).toEqual(['Six questions about our courtyard.', '关于院落的六个问题。']);
    expect(draft.questions.map((q: { question: unknown }) => q.question)).toEqual([
      { kind: 'single', options: 3, blank: true },
      { kind: 'multiple', options: 4, min: 1, max: 2 },
      { kind: 'yes-no-abstain' },
      { kind: 'score', options: 2, maxScore: 5 },
      { kind: 'cumulative', options: 3, points: 10, blank: true },
      { kind: 'budget', costs: [300, 500, 200], budget: 700 },
    ]);
    expect(draft.questions[1].options).toEqual([
      ['Tai chi', '太极'],
      ['Calligraphy', '书法'],
      ['English', '英语'],
      ['Computers', '电脑'],
    ]);
    expect(draft.questions[2].options).toEqual([
      ['Yes', '是'],
      ['No', '否'],
      ['Abstain', '弃权'],
    ]);
    expect(draft.trustees).toEqual({ t: 2, n: 3, names: ['Ms Li', 'Mr Wang', 'Ms Zhao'] });
    expect([draft.opensAt, draft.closesAt, draft.maxBallots, draft.privacyFloor]).toEqual([0, 0, 3, 1]);
    expect(draft.registrar).toMatchObject({ name: ORGANISER.name, isOrganiser: true });
    expect(draft.witnesses).toEqual({ keys: [], k: 0 });

    // --- Trustee links: shown with copy and QR, to be sent privately.
    await link(page, 'Make the trustee links').click();
    await heading(page, 'Trustee links').waitFor();
    await button(page, 'Make the links').click();
    await heading(page, 'The links').waitFor();
    const links: string[] = [];
    for (const name of ['Ms Li', 'Mr Wang', 'Ms Zhao']) links.push(await label(page, `Secret link for ${name}`).inputValue());
    expect(links.every((l) => l.startsWith(`${site.base}/trustee/${poll}#`))).toBe(true);
    await button(page, 'Copy the link for Mr Wang').click();
    await page.getByText('Copied.').waitFor();
    await page.getByText('Show the QR code').first().click();
    await page.getByRole('img', { name: 'QR code of the secret link for Ms Li' }).waitFor();
    await everyWay(tab, 'trustee-links', { phone: true });
    await link(page, 'Back to the poll').click();

    // --- Publish, after a confirmation that says what can no longer change.
    await button(page, 'Publish the poll').click();
    const publish = page.getByRole('dialog', { name: 'Publish the poll?' });
    await publish.getByText('can no longer change').waitFor();
    await screenshot(page, 'organiser-publish-confirm-en-desktop');
    expect(await axe(page)).toEqual([]);
    await publish.getByRole('button', { name: 'Yes, publish' }).click();
    await page.getByRole('status').filter({ hasText: 'The poll is published.' }).waitFor();
    await page.getByText('Trustees are making the key').waitFor();
    expect((await api.get(`/api/polls/${poll}`)).body.status).toBe('ceremony');

    // --- The fingerprint her browser computed from entry 0, and the notice (公示) for the notice board.
    const fingerprint = formatPollFingerprint(pollFingerprint(await manifestOf(poll)));
    await page.getByText(fingerprint, { exact: true }).waitFor();
    await page.getByText('Checked: the board names the log key').waitFor();
    await link(page, 'Print the notice (公示)').click();
    await heading(page, 'The poll’s notice').waitFor();
    expect(await page.locator('[data-fingerprint]').textContent()).toBe(fingerprint);
    await page.getByText('She made every code, so she could vote for a resident who did not.').waitFor();
    await page.getByText('她生成了每一个投票码').waitFor();
    await page.getByRole('img', { name: 'QR code to check this poll with its fingerprint' }).waitFor();
    await everyWay(tab, 'notice', { phone: true });
    await page.emulateMedia({ media: 'print' });
    expect(await page.locator('header.site').isVisible()).toBe(false);
    expect(await button(page, 'Print the notice').isVisible()).toBe(false);
    await page.setViewportSize({ width: 794, height: 1123 }); // A4 at 96 dpi
    await screenshot(page, 'organiser-notice-en-a4');
    const noticePdf = (await page.pdf({ format: 'A4' })).toString('latin1');
    expect(noticePdf.match(/\/Type\s*\/Page\b(?!s)/g)?.length).toBe(1); // one A4 page
    await page.emulateMedia({ media: 'screen' });
    await page.setViewportSize(DESKTOP);
    await link(page, 'Back to the poll').click();

    // --- The voter list: Chinese names, a quoted name with a comma, a BOM, a header, one bad line.
    await link(page, 'Make the voter codes').click();
    await heading(page, 'Voter codes').waitFor();
    await everyWay(tab, 'voters-choose', { phone: true });
    const csv = '\uFEFFname,weight\r\n王秀英,1\r\nLi Wei,2\r\n"Zhang, Min",1\r\nBad Weight,abc\r\n陈静\r\n';
    await label(page, 'Choose a CSV file').setInputFiles({ name: 'voters.csv', mimeType: 'text/csv', buffer: Buffer.from(csv, 'utf8') });
    await heading(page, 'The list has 4 voters').waitFor();
    await page.getByText('Line 5: the weight must be a whole number from 1 to 1000.').waitFor();
    const table = page.getByRole('table', { name: 'Voters read from the list' });
    for (const name of ['王秀英', 'Li Wei', 'Zhang, Min', '陈静']) await table.getByRole('cell', { name, exact: true }).waitFor();
    await everyWay(tab, 'voters-read', { phone: true });
    expect(await asksBeforeLeaving(page)).toBe(false);

    await button(page, 'Make codes for 4 voters').click();
    await heading(page, 'Codes made for 4 voters').waitFor();
    await page.getByText('These codes exist only in this browser tab.').waitFor();
    expect(await asksBeforeLeaving(page)).toBe(true);
    await everyWay(tab, 'voters-made', { phone: true });

    // The mail-merge file: BOM, name, code, link; every code gives a key the page will register.
    const [download] = await Promise.all([page.waitForEvent('download'), button(page, 'Save the list for mail merge (CSV)').click()]);
    const file = readFileSync((await download.path())!, 'utf8');
    expect(file.startsWith('\uFEFFname,code,link\r\n')).toBe(true);
    const rows = file
      .slice(1)
      .trim()
      .split('\r\n')
      .slice(1)
      .map((line) => /^("(?:[^"]|"")*"|[^,]*),([^,]+),([^,]+)$/.exec(line)!.slice(1));
    expect(rows.map((r) => r[0])).toEqual(['王秀英', 'Li Wei', '"Zhang, Min"', '陈静']);
    const codes = rows.map((r) => r[1]);
    for (const [i, r] of rows.entries()) expect(r[2]).toBe(`${site.base}/poll/${poll}/vote#${codes[i]}&fp=${fingerprint.replace(/ /g, '')}`);
    const keys = codes.map((code) => hex(encodePoint(deriveCredential(code, unhex(poll)).publicKey)));
    expect(await asksBeforeLeaving(page)).toBe(true); // saved, but not registered yet

    // The print view: one sheet per voter, the frame and the buttons gone on paper.
    await link(page, 'Print the code sheets').click();
    await heading(page, 'Code sheets to print').waitFor();
    expect(await page.locator('article.sheet').count()).toBe(4);
    for (const code of codes) await page.getByText(code, { exact: true }).waitFor();
    await page.getByRole('heading', { name: '王秀英' }).waitFor();
    await page.getByRole('img', { name: 'QR code to vote, for Li Wei' }).waitFor();
    expect(await page.locator('article.sheet .fingerprint').allTextContents()).toEqual(Array(4).fill(fingerprint));
    await everyWay(tab, 'print-view');
    await page.emulateMedia({ media: 'print' });
    expect(await page.locator('header.site').isVisible()).toBe(false);
    expect(await button(page, 'Print').isVisible()).toBe(false);
    expect(await page.getByText(codes[0], { exact: true }).isVisible()).toBe(true);
    await screenshot(page, 'organiser-print-en-paper');
    const pdf = (await page.pdf({ format: 'A4' })).toString('latin1');
    expect(pdf.match(/\/Type\s*\/Page\b(?!s)/g)?.length).toBe(4); // one page per voter
    await page.emulateMedia({ media: 'screen' });
    await page.evaluate(() => {
      (window as unknown as { printed: boolean }).printed = false;
      window.print = () => ((window as unknown as { printed: boolean }).printed = true);
    });
    await button(page, 'Print').click();
    expect(await page.evaluate(() => (window as unknown as { printed: boolean }).printed)).toBe(true);
    await link(page, 'Back to the voter codes').click();

    // Register: only the public keys go to the server.
    await button(page, 'Register 4 voters').click();
    await page.getByRole('status').filter({ hasText: '4 voters are registered. The poll now has 4 registered voters.' }).waitFor();
    expect(await asksBeforeLeaving(page)).toBe(false);
    await page.getByText('Done: the codes are saved and the voters are registered.').waitFor();
    for (const [i, key] of keys.entries()) {
      const listed = await api.get(`/api/polls/${poll}/credentials/${key}`);
      expect(listed.status).toBe(200);
      expect(listed.body.weight).toBe(i === 1 ? 2 : 1);
    }
    expect((await api.get(`/api/polls/${poll}`)).body.turnout.listed).toBe(4);

    // A second, larger list, pasted: the codes are made in a worker, with progress shown.
    await button(page, 'Make codes for another list').click();
    await heading(page, 'Your list of voters').waitFor();
    await page.getByText('4 voters are already registered for this poll.').waitFor();
    await label(page, 'Or paste the list here (one voter per line)').fill(Array.from({ length: 1500 }, (_, i) => `Resident ${i + 1}`).join('\n'));
    await button(page, 'Read the pasted list').click();
    await heading(page, 'The list has 1,500 voters').waitFor();
    await page.getByText('… and 1,400 more.').waitFor();
    await button(page, 'Make codes for 1,500 voters').click();
    await page.getByRole('progressbar', { name: 'Making codes for 1,500 voters' }).waitFor();
    await heading(page, 'Codes made for 1,500 voters').waitFor({ timeout: 60_000 });
    await button(page, 'Register 1,500 voters').click();
    await page.getByRole('status').filter({ hasText: 'The poll now has 1,504 registered voters.' }).waitFor();
    await link(page, 'Back to the poll').click();
    await page.getByText('This tab holds voter codes that are not saved or not registered yet.').waitFor(); // registered, not saved
    await link(page, 'Go to the voter codes').click();
    await Promise.all([page.waitForEvent('download'), button(page, 'Save the list for mail merge (CSV)').click()]);
    await link(page, 'Back to the poll').click();

    // --- The ceremony, done by the trustees' devices over the API, followed live on the page.
    await page.getByText('Step 1 of 6 (attempt 1):').waitFor();
    const trustees = links.map((l, i) => new TrusteeDevice(site.base, poll, i + 1, l.split('#')[1]));
    const progress = page.getByRole('table', { name: 'Which trustees have done this step' });
    await expect.poll(() => progress.getByRole('row', { name: /Ms Li/ }).textContent()).toContain('Waiting');
    await trustees[0].act();
    await expect.poll(() => progress.getByRole('row', { name: /Ms Li/ }).textContent()).toContain('Done');
    expect(await progress.getByRole('row', { name: /Mr Wang/ }).textContent()).toContain('Waiting');
    expect(await button(page, 'Close this step now').count()).toBe(0); // closing now would leave fewer than t = 2
    await trustees[1].act();
    await expect.poll(() => progress.getByRole('row', { name: /Mr Wang/ }).textContent()).toContain('Done');
    await button(page, 'Close this step now').waitFor(); // two of three: the key can be made without Ms Zhao
    await everyWay(tab, 'poll-ceremony', { phone: true });
    await trustees[2].act();
    await page.getByText('Step 2 of 6 (attempt 1):').waitFor();
    await runCeremony(api, poll, trustees);
    await page.getByText('Key ready, not open yet').first().waitFor();

    // --- Open, a voter votes over the API, close, count.
    await button(page, 'Open the poll now').click();
    const opening = page.getByRole('dialog', { name: 'Open the poll now?' });
    await opening.getByText('1,504 voters are registered.').waitFor();
    await opening.getByRole('button', { name: 'Yes, open it' }).click();
    await page.getByRole('status').filter({ hasText: 'The poll is open for voting.' }).waitFor();
    expect((await api.get(`/api/polls/${poll}`)).body.status).toBe('open');
    const voter = new Voter(poll, codes[1]);
    const made = await voter.ballot(api, [{ values: [1, 0, 0] }, { values: [1, 1, 0, 0] }, { values: [1, 0, 0] }, { values: [3, 5] }, { values: [5, 3, 2] }, { values: [1, 0, 1] }], seededRandom('organiser test ballot'));
    expect((await castBallot(new Client(site.base, null), poll, made.bytes)).status).toBe(201);
    const voted = page.getByRole('definition').nth(1); // Registered voters, Voters who have voted, Ballots
    await expect.poll(() => voted.textContent()).toBe('1');
    await everyWay(tab, 'poll-open', { phone: true });

    await button(page, 'Close the poll now').click();
    await page.getByRole('dialog', { name: 'Close the poll now?' }).getByRole('button', { name: 'Yes, close it' }).click();
    await page.getByRole('status').filter({ hasText: 'The poll is closed.' }).waitFor();
    await button(page, 'Start the count').click();
    await page.getByRole('dialog', { name: 'Start the count?' }).getByRole('button', { name: 'Yes, start the count' }).click();
    await page.getByRole('status').filter({ hasText: 'The count has started.' }).waitFor();
    expect((await api.get(`/api/polls/${poll}`)).body.status).toBe('tallied');
    await trustees[0].decrypt();
    await trustees[2].decrypt();
    await link(page, 'See the results').waitFor(); // the result came live
    await page.getByText('Results published').first().waitFor();
    const result = (await api.get(`/api/polls/${poll}/result`)).body.result;
    expect(result.questions[5].options.map((o: { total: number }) => o.total)).toEqual([2, 0, 2]); // Li Wei weighs 2
    await everyWay(tab, 'poll-done', { phone: true });

    // --- Her list of polls shows it, with its stage.
    await link(page, 'Back to your polls').click();
    await heading(page, 'Your polls').waitFor();
    await link(page, 'Courtyard committee poll').waitFor();
    await page.getByText('Nothing: the result is published.').waitFor();
    await everyWay(tab, 'polls', { phone: true });
    expect(problems).toEqual([]);
    await context.close();
  }, 300_000); // the whole poll, every screen in two languages on two devices
});
