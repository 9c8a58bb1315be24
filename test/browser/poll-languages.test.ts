/**
 * A poll in one language, in the browser (README "Run a poll on the site", step 2): the organiser
 * writes a Chinese-only poll in the editor with the site in English (switching from both to Chinese
 * hides what she typed in English, and saving drops it); its code sheets and notice are in Chinese
 * only; a resident with the site in English votes and sees the site's words in English and the poll's
 * texts in Chinese, marked lang="zh-CN"; the results, the verifier's result notice and CSV give the
 * Chinese texts. Then an English-only poll read in Chinese: booth, poll page, results and notice.
 * The poll's steps that are not the subject (publishing, the ceremony, the count) go through the API.
 */
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { describe, expect, test } from 'vitest';
import { messages, type MessageKey } from '../../client/src/i18n/index.ts';
import { organiser as organiserWords } from '../../client/src/i18n/organiser.ts';
import { hex } from '../server/support.ts';
import { Client, ORGANISER, TEST_REGISTRAR_SEED, TrusteeDevice, courtyardDraft, openPoll, organiser, runCeremony, type Running } from '../server/support.ts';
import type { Draft } from '../../server/polls/draft.ts';
import { DESKTOP, PHONE, expectClean, openTab, screenshot, settle, browserAndSite, watch, type Tab } from './support.ts';

const web = browserAndSite();

type Lang = 'en' | 'zh';
/** A page text in English or Chinese, from the client's own dictionaries. */
function say(lang: Lang, key: MessageKey, vars: Record<string, string | number> = {}): string {
  return messages[lang][key].replace(/\{(\w+)\}/g, (_, name: string) => String(vars[name]));
}
const sheetWord = (lang: Lang, key: keyof typeof organiserWords.en) => organiserWords[lang][key];

const label = (page: Page, name: string) => page.getByLabel(name, { exact: true });
const button = (page: Page, name: string) => page.getByRole('button', { name, exact: true });
const heading = (page: Page, name: string) => page.getByRole('heading', { name, exact: true });
const LONG = { timeout: 90_000 };

/** Accessible, translated, no console problem, no "undefined" shown; then a screenshot. */
async function looked(tab: Tab, name: string): Promise<void> {
  await expectClean(tab.page, tab.problems);
  expect(await tab.page.locator('body').innerText(), name).not.toMatch(/undefined|NaN|⟦/);
  expect(await tab.page.evaluate(() => document.documentElement.scrollWidth), name).toBeLessThanOrEqual(tab.page.viewportSize()!.width);
  await screenshot(tab.page, `poll-languages-${name}`);
}

/** The same screen on a phone, then back to the desktop. */
async function onPhoneToo(tab: Tab, name: string): Promise<void> {
  await tab.page.setViewportSize(PHONE);
  await looked(tab, `${name}-phone`);
  await tab.page.setViewportSize(DESKTOP);
}

/** The lang attribute of the nearest element holding `text` on the page. */
async function langOf(page: Page, text: string): Promise<string | null> {
  return page.getByText(text, { exact: true }).first().evaluate((el) => el.closest('[lang]')?.getAttribute('lang') ?? null);
}

/** Closes, counts and has two trustees decrypt; waits for the result on the board. */
async function count(owner: Client, poll: string, trustees: readonly TrusteeDevice[]): Promise<void> {
  expect((await owner.post(`/api/polls/${poll}/close`)).status).toBe(200);
  expect((await owner.post(`/api/polls/${poll}/tally`)).status).toBe(200);
  await trustees[0].decrypt();
  await trustees[1].decrypt();
  for (let i = 0; (await owner.get(`/api/polls/${poll}/result`)).body.status !== 'done'; i++) {
    if (i > 400) throw new Error('no result after the decryption shares');
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** A CSV file's rows, after its byte order mark (no cell here holds a comma or a quote). */
function csvRows(bytes: Buffer): string[][] {
  const text = bytes.toString('utf8');
  expect(text.startsWith('\uFEFF')).toBe(true);
  return text.slice(1).trimEnd().split('\r\n').map((line) => line.split(','));
}

/** The courtyard draft with only English (0) or Chinese (1) texts. */
function oneLanguage(at: 0 | 1): Draft {
  const d = courtyardDraft();
  const one = (texts: string[]) => [texts[at]];
  return { ...d, languages: [d.languages[at]], title: one(d.title), description: one(d.description), questions: d.questions.map((q) => ({ ...q, prompt: one(q.prompt), options: q.options.map(one) })) };
}

describe('a poll in Chinese only, the site in English', () => {
  test('made in the editor, printed in Chinese, voted in the booth, counted and verified', async () => {
    const site: Running = web.site;
    const owner = await organiser(site);

    // --- The editor: both languages by default; she types an English title, then chooses Chinese only.
    const org = await openTab(web.browser, site.base, { viewport: DESKTOP, locale: 'en-GB' });
    const { page } = org;
    await page.goto('/organiser');
    await label(page, 'Name').fill(ORGANISER.name);
    await label(page, 'Password').fill(ORGANISER.password);
    await button(page, 'Sign in').click();
    await heading(page, 'Your polls').waitFor();
    await page.goto('/organiser/new');
    await heading(page, 'New poll').waitFor();
    expect(await page.getByRole('radio', { name: say('en', 'organiser.edit.languages.both') }).isChecked()).toBe(true);
    await label(page, 'Title: English').fill('Courtyard poll');
    await page.getByRole('radio', { name: say('en', 'organiser.edit.languages.zh') }).check();
    await page.getByText(say('en', 'organiser.edit.hidden.en', { count: 1 })).waitFor();
    expect(await label(page, 'Title: English').count()).toBe(0);
    expect(await label(page, 'Question 1: English').count()).toBe(0);
    await label(page, 'Title: Chinese').fill('院子投票');
    await label(page, 'Question 1: Chinese').fill('院门刷什么颜色？');
    await label(page, 'Question 1, option 1: Chinese').fill('红色');
    await label(page, 'Question 1, option 2: Chinese').fill('绿色');
    for (const [i, name] of ['李女士', '王先生', '赵女士'].entries()) await label(page, `Name of trustee ${i + 1}`).fill(name);
    await label(page, say('en', 'organiser.edit.privacyFloor')).fill('1');
    expect(await langOf(page, say('en', 'organiser.edit.languages'))).toBe('en');
    expect(await label(page, 'Title: Chinese').getAttribute('lang')).toBe('zh-CN');
    await looked(org, 'editor-zh-only-en-desktop');
    await onPhoneToo(org, 'editor-zh-only-en');
    // An empty Chinese text is asked for in Chinese alone, not "too"; the hidden English is no problem.
    await label(page, 'Question 1, option 2: Chinese').fill('');
    await button(page, 'Save the draft').click();
    await page.getByText(say('en', 'organiser.check.needChineseOnly')).waitFor();
    expect(await page.locator('[aria-invalid="true"]').count()).toBe(1);
    await label(page, 'Question 1, option 2: Chinese').fill('绿色');
    await button(page, 'Save the draft').click();
    await page.getByRole('status').filter({ hasText: say('en', 'organiser.edit.created') }).waitFor();
    const poll = new URL(page.url()).pathname.split('/')[3];
    expect(poll).toMatch(/^[0-9a-f]{32}$/);
    const saved = (await owner.get(`/api/polls/${poll}`)).body.draft as Draft;
    expect(saved.languages).toEqual(['zh-CN']);
    expect(saved.title).toEqual(['院子投票']);
    expect(saved.questions[0]).toMatchObject({ prompt: ['院门刷什么颜色？'], options: [['红色'], ['绿色']] });
    expect(JSON.stringify(saved)).not.toContain('Courtyard');

    // Reopened, the editor shows Chinese only, with nothing hidden.
    await page.goto(`/organiser/polls/${poll}/edit`);
    await label(page, 'Title: Chinese').waitFor();
    expect(await label(page, 'Title: Chinese').inputValue()).toBe('院子投票');
    expect(await page.getByRole('radio', { name: say('en', 'organiser.edit.languages.zh') }).isChecked()).toBe(true);
    expect(await label(page, 'Title: English').count()).toBe(0);
    expect(await page.locator('.warn[role="status"]').count()).toBe(0);
    expect(await page.title()).toBe('Edit the poll · 院子投票 — 公示 gongshi');

    // --- Published (through the API), then the voter codes made in her browser and the sheets printed.
    const invites = (await owner.post(`/api/polls/${poll}/invites`)).body.invites as { trustee: number; token: string }[];
    expect((await owner.post(`/api/polls/${poll}/publish`)).status).toBe(200);
    await page.goto(`/organiser/polls/${poll}/voters`);
    await label(page, say('en', 'organiser.roll.paste')).fill('王秀英\n李伟');
    await button(page, say('en', 'organiser.roll.readPasted')).click();
    await button(page, 'Make codes for 2 voters').click();
    await heading(page, 'Codes made for 2 voters').waitFor(LONG);
    await button(page, 'Register 2 voters').click();
    await page.getByRole('status').filter({ hasText: '2 voters are registered.' }).waitFor(LONG);

    // The codes live only in this tab: to the sheets by the page's own link.
    await page.getByRole('link', { name: say('en', 'organiser.roll.print') }).click();
    const sheet = page.locator('article.sheet').first();
    await sheet.waitFor(LONG);
    const sheetText = await sheet.innerText();
    for (const key of ['organiser.sheet.code', 'organiser.sheet.how', 'organiser.sheet.fingerprint', 'organiser.sheet.voter'] as const) {
      expect(sheetText).toContain(sheetWord('zh', key));
      expect(sheetText).not.toContain(sheetWord('en', key));
    }
    expect(sheetText).toContain('院子投票');
    expect(await sheet.locator('.how section').count()).toBe(1);
    expect(await sheet.locator('.how section').getAttribute('lang')).toBe('zh-CN');
    expect(await langOf(page, '院子投票')).toBe('zh-CN');
    expect(await page.title()).toBe('Code sheets to print · 院子投票 — 公示 gongshi');
    const codes = await page.locator('article.sheet .code').allInnerTexts();
    expect(codes.length).toBe(2);
    await looked(org, 'sheets-zh-only-en-desktop');
    await onPhoneToo(org, 'sheets-zh-only-en');

    // The notice (公示), in another tab of hers: Chinese only, and no "Public notice".
    const noticeTab: Tab = await (async () => {
      const p = await org.context.newPage();
      return { context: org.context, page: p, problems: watch(p) };
    })();
    await noticeTab.page.goto(`/organiser/polls/${poll}/notice`);
    const notice = noticeTab.page.locator('article.notice');
    await notice.waitFor(LONG);
    const noticeText = await notice.innerText();
    expect(noticeText).toContain('院子投票');
    expect(noticeText).toContain(sheetWord('zh', 'organiser.notice.where'));
    expect(noticeText).not.toContain(sheetWord('en', 'organiser.notice.where'));
    expect(noticeText).not.toContain('Public notice');
    expect(noticeText).toContain('李女士, 王先生, 赵女士');
    await looked(noticeTab, 'notice-zh-only-en-desktop');
    await onPhoneToo(noticeTab, 'notice-zh-only-en');
    await org.context.close();

    // --- The ceremony (through the API), then the poll opens.
    const trustees = invites.map((i) => new TrusteeDevice(site.base, poll, i.trustee, i.token));
    await runCeremony(owner, poll, trustees);
    expect((await owner.post(`/api/polls/${poll}/open`)).status).toBe(200);

    // --- A resident with the site in English, on a phone: the booth's words in English, the poll's in Chinese.
    const voter = await openTab(web.browser, site.base, { viewport: PHONE, locale: 'en-GB' });
    const v = voter.page;
    await v.goto(`/poll/${poll}/vote#${codes[0].trim()}`);
    await heading(v, say('en', 'booth.step.ready')).waitFor(LONG);
    expect(await v.locator('main h1').innerText()).toBe('院子投票');
    expect(await v.locator('main h1').getAttribute('lang')).toBe('zh-CN');
    expect(await v.title()).toMatch(/院子投票/);
    await looked(voter, 'booth-ready-zh-only-en-phone');
    await button(v, say('en', 'booth.ready.start')).click();
    await heading(v, say('en', 'booth.step.question', { n: 1, count: 1 })).waitFor();
    await v.getByText('院门刷什么颜色？').first().waitFor();
    expect(await langOf(v, '院门刷什么颜色？')).toBe('zh-CN');
    expect(await langOf(v, '红色')).toBe('zh-CN');
    await looked(voter, 'booth-question-zh-only-en-phone');
    await v.setViewportSize(DESKTOP);
    await looked(voter, 'booth-question-zh-only-en-desktop');
    await v.setViewportSize(PHONE);
    await v.getByRole('radio', { name: '红色', exact: true }).check();
    await button(v, say('en', 'booth.nav.review')).click();
    await v.getByText('红色').first().waitFor();
    await looked(voter, 'booth-review-zh-only-en-phone');
    await button(v, say('en', 'booth.review.seal')).click();
    await button(v, say('en', 'booth.tracker.cast')).waitFor(LONG);
    await looked(voter, 'booth-sealed-zh-only-en-phone');
    await button(v, say('en', 'booth.tracker.cast')).click();
    await v.getByText(say('en', 'booth.check.allGood')).waitFor(LONG);
    expect(await v.locator('section.report').innerText()).toContain('Poll: 院子投票');
    expect(await v.locator('section.report').getByText('院子投票', { exact: true }).getAttribute('lang')).toBe('zh-CN');
    await looked(voter, 'booth-receipt-zh-only-en-phone');
    await voter.context.close();

    // --- Counted; the results, and the verifier's CSV and result notice, give the Chinese texts.
    await count(owner, poll, trustees);
    const reader = await openTab(web.browser, site.base, { viewport: PHONE, locale: 'en-GB' });
    const r = reader.page;
    await r.goto(`/poll/${poll}/results`);
    await settle(r);
    await r.getByText('红色', { exact: true }).first().waitFor();
    expect(await langOf(r, '红色')).toBe('zh-CN');
    expect(await r.locator('main').innerText()).toContain('院门刷什么颜色？');
    expect(await r.locator('main h1').innerText()).toBe('Results: 院子投票');
    expect(await langOf(r, '院子投票')).toBe('zh-CN');
    await looked(reader, 'results-zh-only-en-phone');
    await r.goto(`/poll/${poll}/board`);
    await settle(r);
    expect(await r.locator('main h1').innerText()).toBe('Public board: 院子投票');
    expect(await langOf(r, '院子投票')).toBe('zh-CN');
    await looked(reader, 'board-zh-only-en-phone');
    await r.goto(`/poll/${poll}`);
    await settle(r);
    expect(await r.locator('main h1').getAttribute('lang')).toBe('zh-CN');
    await looked(reader, 'poll-zh-only-en-phone');
    await r.goto(`/verify?poll=${poll}`);
    await settle(r);
    await button(r, 'Verify this poll').click();
    await r.getByRole('heading', { name: /The record passed every check/ }).waitFor(LONG);
    const [file] = await Promise.all([r.waitForEvent('download'), button(r, 'Save the result (CSV)').click()]);
    const rows = csvRows(readFileSync((await file.path())!));
    expect(rows).toEqual([
      ['序号', '问题', '答案', '票数', '占已计入权重的百分比'],
      ['1', '院门刷什么颜色？', '红色', '1', '100'],
      ['1', '院门刷什么颜色？', '绿色', '0', '0'],
    ]);
    await button(r, say('en', 'observer.verify.showNotice')).click();
    const resultNotice = r.locator('article.result-notice');
    await resultNotice.waitFor();
    expect(await resultNotice.getAttribute('lang')).toBe('zh-CN');
    const resultText = await resultNotice.innerText();
    expect(resultText).toContain('院子投票');
    expect(resultText).toMatch(/红色\s+1 票\s+100%/);
    expect(resultText.replace(/https?:\S+/g, '')).not.toMatch(/\b(votes?|Result|counted|[Ff]ingerprint)\b/);
    await looked(reader, 'result-notice-zh-only-en-phone');
    await reader.context.close();
  }, 600_000);
});

describe('a poll in English only, the site in Chinese', () => {
  test('the booth, the poll page, the results and the notice show English poll texts among Chinese words', async () => {
    const site: Running = web.site;
    const { owner, poll, voters, trustees } = await openPoll(site, { voters: 2, draft: oneLanguage(0), seed: 'english only' });
    const tab = await openTab(web.browser, site.base, { viewport: PHONE, locale: 'zh-CN' });
    const { page } = tab;
    await page.goto(`/poll/${poll}/vote#${voters[0].code}`);
    await heading(page, say('zh', 'booth.step.ready')).waitFor(LONG);
    expect(await page.locator('main h1').innerText()).toBe('Courtyard committee poll');
    expect(await page.locator('main h1').getAttribute('lang')).toBe('en');
    await looked(tab, 'booth-ready-en-only-zh-phone');
    await button(page, say('zh', 'booth.ready.start')).click();
    await heading(page, say('zh', 'booth.step.question', { n: 1, count: 3 })).waitFor();
    expect(await langOf(page, 'Red')).toBe('en');
    await looked(tab, 'booth-question-en-only-zh-phone');
    await page.getByRole('radio', { name: 'Green', exact: true }).check();
    await button(page, say('zh', 'booth.nav.next')).click();
    await page.getByRole('checkbox', { name: 'Calligraphy', exact: true }).check();
    await button(page, say('zh', 'booth.nav.next')).click();
    await page.getByRole('checkbox', { name: /Plants/ }).check();
    await button(page, say('zh', 'booth.nav.review')).click();
    await button(page, say('zh', 'booth.review.seal')).click();
    await button(page, say('zh', 'booth.tracker.cast')).waitFor(LONG);
    await button(page, say('zh', 'booth.tracker.cast')).click();
    await page.getByText(say('zh', 'booth.check.allGood')).waitFor(LONG);
    await looked(tab, 'booth-receipt-en-only-zh-phone');

    await count(owner, poll, trustees);
    await page.goto(`/poll/${poll}/results`);
    await settle(page);
    await page.getByText('Green', { exact: true }).first().waitFor();
    expect(await langOf(page, 'Green')).toBe('en');
    expect(await page.locator('main').innerText()).toContain(say('zh', 'observer.results.heading'));
    await looked(tab, 'results-en-only-zh-phone');
    await tab.context.close();

    // The notice, printed by an organiser reading the site in Chinese: English only but for 公示.
    const org = await openTab(web.browser, site.base, { viewport: PHONE, locale: 'zh-CN' });
    await org.page.addInitScript(([p, seed]) => localStorage.setItem(`gongshi.registrar.${p}`, seed), [poll, hex(TEST_REGISTRAR_SEED)]);
    await org.page.goto('/organiser');
    await label(org.page, '名字').fill(ORGANISER.name);
    await label(org.page, '密码').fill(ORGANISER.password);
    await button(org.page, '登录').click();
    await heading(org.page, '我的投票').waitFor();
    await org.page.goto(`/organiser/polls/${poll}/notice`);
    const notice = org.page.locator('article.notice');
    await notice.waitFor(LONG);
    const text = await notice.innerText();
    expect(text).toContain('Courtyard committee poll');
    expect(text).toContain(sheetWord('en', 'organiser.notice.where'));
    expect(text).not.toContain(sheetWord('zh', 'organiser.notice.where'));
    expect(text.replace('公示', '')).not.toMatch(/[\u4e00-\u9fff]/);
    await looked(org, 'notice-en-only-zh-phone');
    await org.context.close();
  }, 400_000);
});
