/**
 * Printed links carry the address the poll's own record names, never one the server merely says
 * (verifier/link-address.ts). A server whose GET /api/server names a stranger's host (answered here
 * with page.route; the board itself is real) would have every sheet's QR code send a resident, her
 * code in the link, to that host. The code sheets, the mail-merge file and the notice refuse with an
 * alarm and make nothing with a link; the result notice goes without its verifier link. The same
 * steps with the server's true answer print the sheets: the refusal came from the lie.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { messages, type MessageKey } from '../../client/src/i18n/index.ts';
import { ORGANISER, TEST_REGISTRAR_SEED, courtyardDraft, hex, organiser, type Running } from '../server/support.ts';
import { finishedPoll } from './finished-poll.ts';
import { PHONE, axe, launchBrowser, missingKeys, openTab, screenshot, settle, startSite } from './support.ts';

/** A server started with --public-url https://vote.example.org, reached at the address it listens on. */
const web = {} as { browser: Browser; site: Running };
beforeAll(async () => {
  const [browser, started] = await Promise.all([launchBrowser(), startSite({ publicUrl: 'https://vote.example.org' })]);
  const a = started.app.http.address() as { port: number };
  Object.assign(web, { browser, site: { ...started, base: `http://127.0.0.1:${a.port}` } });
});
afterAll(async () => {
  await web.browser?.close();
  await web.site?.close();
});
const STRANGER = 'https://vote.example.org.evil.test';

function say(lang: 'en' | 'zh', key: MessageKey, vars: Record<string, string | number> = {}): string {
  return messages[lang][key].replace(/\{(\w+)\}/g, (_, name: string) => String(vars[name]));
}
const button = (page: Page, name: string) => page.getByRole('button', { name, exact: true });

/** From now on, this page's GET /api/server names `publicUrl`. */
async function serverSays(page: Page, publicUrl: string): Promise<void> {
  await page.route('**/api/server', (route) => route.fulfill({ status: 200, contentType: 'application/json', body: JSON.stringify({ publicUrl }) }));
}

async function signIn(page: Page, lang: 'en' | 'zh'): Promise<void> {
  await page.goto('/organiser');
  await page.getByLabel(say(lang, 'organiser.signIn.name'), { exact: true }).fill(ORGANISER.name);
  await page.getByLabel(say(lang, 'organiser.signIn.password'), { exact: true }).fill(ORGANISER.password);
  await button(page, say(lang, 'organiser.signIn.submit')).click();
  await page.getByRole('heading', { name: say(lang, 'organiser.polls.title'), exact: true }).waitFor();
}

/** Makes codes for two voters on the poll's voter-codes page; they live in this tab only. */
async function makeTwoCodes(page: Page, poll: string, lang: 'en' | 'zh'): Promise<void> {
  await page.goto(`/organiser/polls/${poll}/voters`);
  await page.getByLabel(say(lang, 'organiser.roll.file'), { exact: true }).setInputFiles({ name: 'voters.csv', mimeType: 'text/csv', buffer: Buffer.from('王秀英\r\nLi Wei\r\n', 'utf8') });
  await button(page, say(lang, 'organiser.roll.generate', { count: 2 })).click();
  await page.getByRole('heading', { name: say(lang, 'organiser.roll.madeTitle', { count: 2 }), exact: true }).waitFor();
}

describe('a server naming a stranger’s address for links', () => {
  test('the code sheets, the mail-merge file and the notice raise the alarm and make nothing with a link, in English and Chinese', async () => {
    const owner = await organiser(web.site);
    const poll: string = (await owner.post('/api/polls', { draft: courtyardDraft() })).body.id;
    expect((await owner.post(`/api/polls/${poll}/publish`)).status).toBe(200);
    for (const lang of ['en', 'zh'] as const) {
      const tab = await openTab(web.browser, web.site.base, { locale: lang === 'en' ? 'en-GB' : 'zh-CN', viewport: PHONE });
      const { page } = tab;
      await page.addInitScript(([p, seed]) => localStorage.setItem(`gongshi.registrar.${p}`, seed), [poll, hex(TEST_REGISTRAR_SEED)]);
      await signIn(page, lang);
      await serverSays(page, STRANGER);
      await makeTwoCodes(page, poll, lang);
      const downloads: string[] = [];
      page.on('download', (d) => downloads.push(d.suggestedFilename()));
      await button(page, say(lang, 'organiser.roll.export')).click();
      const alarm = page.getByRole('alert').filter({ hasText: say(lang, 'common.addressAlarm.title') });
      await alarm.waitFor();
      expect(await alarm.innerText()).toContain(STRANGER);
      expect(await alarm.innerText()).toContain('vote.example.org');
      expect(downloads).toEqual([]);
      expect(await page.getByText(say(lang, 'organiser.roll.exportedNote')).count()).toBe(0);
      await screenshot(page, `address-alarm-csv-${lang}-phone`);

      // The print view, reached by the page's own link (the codes live in this tab's memory).
      await page.getByRole('link', { name: say(lang, 'organiser.roll.print'), exact: true }).click();
      await page.getByRole('alert').filter({ hasText: say(lang, 'common.addressAlarm.title') }).waitFor();
      expect(await page.locator('article.sheet').count()).toBe(0);
      expect(await page.getByRole('button', { name: say(lang, 'organiser.sheets.print'), exact: true }).count()).toBe(0);
      expect(await missingKeys(page)).toEqual([]);
      expect(await axe(page)).toEqual([]);
      await screenshot(page, `address-alarm-sheets-${lang}-phone`);

      await page.goto(`/organiser/polls/${poll}/notice`);
      await page.getByRole('alert').filter({ hasText: say(lang, 'common.addressAlarm.title') }).waitFor();
      expect(await page.locator('article.notice').count()).toBe(0);
      expect(await page.getByRole('button', { name: say(lang, 'organiser.notice.print'), exact: true }).count()).toBe(0);
      expect(await page.content()).not.toContain('evil.test/poll');

      expect(tab.problems).toEqual([]);
      await tab.context.close();
    }
  });

  test('with the server’s true answer, the same steps print the sheets with the address the record names', async () => {
    const owner = await organiser(web.site);
    const poll: string = (await owner.post('/api/polls', { draft: courtyardDraft() })).body.id;
    expect((await owner.post(`/api/polls/${poll}/publish`)).status).toBe(200);
    const tab = await openTab(web.browser, web.site.base, { locale: 'en-GB', viewport: PHONE });
    const { page } = tab;
    await page.addInitScript(([p, seed]) => localStorage.setItem(`gongshi.registrar.${p}`, seed), [poll, hex(TEST_REGISTRAR_SEED)]);
    await signIn(page, 'en');
    await makeTwoCodes(page, poll, 'en');
    await page.getByRole('link', { name: say('en', 'organiser.roll.print'), exact: true }).click();
    await page.locator('article.sheet').first().waitFor();
    expect(await page.locator('article.sheet').count()).toBe(2);
    expect(await page.getByRole('alert').count()).toBe(0);
    expect(await page.locator('article.sheet').first().innerText()).toContain(`https://vote.example.org/poll/${poll}/vote`);
    expect(tab.problems).toEqual([]);
    await tab.context.close();
  });

  test('the result notice of a verified record goes without the verifier’s link', async () => {
    const poll = await finishedPoll(web.site, { en: 'Address poll', zh: '地址投票', weights: [1, 1, 1] });
    const tab = await openTab(web.browser, web.site.base, { locale: 'en-GB', viewport: PHONE });
    const { page } = tab;
    await serverSays(page, STRANGER);
    await page.goto(`/verify?poll=${poll}`);
    await settle(page);
    await button(page, 'Verify this poll').click();
    await page.getByRole('heading', { name: /The record passed every check/ }).waitFor({ timeout: 90_000 });
    await button(page, say('en', 'observer.verify.showNotice')).click();
    const notice = page.locator('article.result-notice');
    await notice.waitFor();
    await notice.getByText(say('en', 'observer.notice.noLink', { host: 'vote.example.org' })).waitFor();
    expect(await notice.innerText()).not.toContain('evil.test');
    expect(await notice.getByRole('img').count()).toBe(0);
    expect(tab.problems).toEqual([]);
    await tab.context.close();
  });
});
