/**
 * The schedule's rules in the browser (spec B.1.4, B.4.6.6–7): the editor writes them into the draft
 * (only with a closing time); the organiser's page says what they allow, offers closing only when the
 * board would take it and an extension within the manifest's limit (refusing a later time before
 * anything is sent); the notice prints the rules; the poll page shows the extension and the early close.
 */
import type { Page } from 'playwright-core';
import { describe, expect, test } from 'vitest';
import { toLocalTime } from '../../client/src/organiser/draft-form.ts';
import { ORGANISER, TEST_REGISTRAR_SEED, castBallot, courtyardDraft, hex, openPoll, organiser } from '../server/support.ts';
import { PHONE, browserAndSite, expectClean, openTab, screenshot, settle, type Tab } from './support.ts';

const web = browserAndSite();
const HOUR = 3_600_000;
const ANSWERS = [{ values: [1, 0, 0] }, { values: [1, 0, 0, 0] }, { values: [0, 0, 1] }];
/** a time on a whole minute, as a datetime-local field holds it */
const minute = (ms: number) => Math.floor(ms / 60_000) * 60_000;

async function signedIn(lang: 'en' | 'zh', poll: string): Promise<Tab> {
  const tab = await openTab(web.browser, web.site.base, { locale: lang === 'en' ? 'en-GB' : 'zh-CN', viewport: PHONE });
  await tab.page.addInitScript(([p, seed]) => localStorage.setItem(`gongshi.registrar.${p}`, seed), [poll, hex(TEST_REGISTRAR_SEED)]);
  const { page } = tab;
  await page.goto('/organiser');
  await page.getByLabel(lang === 'en' ? 'Name' : '名字', { exact: true }).fill(ORGANISER.name);
  await page.getByLabel(lang === 'en' ? 'Password' : '密码', { exact: true }).fill(ORGANISER.password);
  await page.getByRole('button', { name: lang === 'en' ? 'Sign in' : '登录', exact: true }).click();
  await page.getByRole('heading', { name: lang === 'en' ? 'Your polls' : '我的投票', exact: true }).waitFor();
  return tab;
}

async function size(poll: string): Promise<number> {
  return (await (await fetch(`${web.site.base}/api/polls/${poll}/checkpoint`)).json()).size;
}

const text = (page: Page) => page.locator('main').innerText();

describe('the schedule’s rules', () => {
  test('the editor offers them with a closing time only, and saves them into the draft', async () => {
    const owner = await organiser(web.site);
    const closes = minute(Date.now() + 48 * HOUR);
    const poll: string = (await owner.post('/api/polls', { draft: { ...courtyardDraft(), closesAt: closes } })).body.id;
    const tab = await signedIn('zh', poll);
    const { page } = tab;
    await page.goto(`/organiser/polls/${poll}/edit`);
    await page.getByText('所有登记的投票人都投票后可以提前结束').click();
    await page.getByLabel('结束时间最多可延长的小时数（0 表示不能延长）').fill('24');
    await expectClean(page, tab.problems);
    await page.getByRole('button', { name: '保存草稿', exact: true }).click();
    await page.getByText('修改已保存。', { exact: true }).waitFor();
    const draft = (await owner.get(`/api/polls/${poll}`)).body.draft;
    expect(draft).toMatchObject({ closesAt: closes, closeEarly: 'all-voted', maxExtension: 24 * HOUR });
    // Back in the editor the rules are as saved. (A full-page screenshot is taken here, not between
    // typing and clicking: it resizes the page under the pointer.)
    await page.goto(`/organiser/polls/${poll}/edit`);
    expect(await page.getByLabel('结束时间最多可延长的小时数（0 表示不能延长）').inputValue()).toBe('24');
    expect(await page.getByRole('radio', { name: '所有登记的投票人都投票后可以提前结束' }).isChecked()).toBe(true);
    await screenshot(page, 'schedule-rules-editor-zh-phone');
    // Closing by hand: the rules leave the form, and the draft.
    await page.getByLabel('投票结束时间', { exact: true }).fill('');
    expect(await page.getByText('提前结束', { exact: true }).count()).toBe(0);
    await page.getByRole('button', { name: '保存草稿', exact: true }).click();
    await page.getByText('修改已保存。', { exact: true }).waitFor();
    expect((await owner.get(`/api/polls/${poll}`)).body.draft).toMatchObject({ closesAt: 0, closeEarly: 'never', maxExtension: 0 });
    await tab.context.close();
  });

  test('the organiser’s page offers what the rules allow: no early close while voters wait, an extension within the limit; the notice and the poll page show them', async () => {
    const closes = minute(Date.now() + 2 * HOUR);
    const draft = { ...courtyardDraft(), closesAt: closes, closeEarly: 'all-voted' as const, maxExtension: 3 * HOUR };
    const { owner, poll, voters, rng } = await openPoll(web.site, { voters: 2, draft, seed: 'schedule rules' });
    const tab = await signedIn('en', poll);
    const { page } = tab;
    await page.goto(`/organiser/polls/${poll}`);
    await page.getByText('once every registered voter has voted', { exact: true }).waitFor();
    expect(await text(page)).toContain('You can close it earlier once every registered voter has voted: 2 have not yet.');
    expect(await page.getByRole('button', { name: 'Close the poll now' }).count()).toBe(0);

    // An extension past the limit is refused on the page, and nothing is sent.
    const before = await size(poll);
    await page.getByRole('button', { name: 'Extend the closing time' }).click();
    const dialog = page.getByRole('dialog', { name: 'Extend the closing time?' });
    await dialog.getByLabel('New closing time').fill(toLocalTime(closes + 3 * HOUR + 60_000));
    await dialog.getByRole('button', { name: 'Extend', exact: true }).click();
    await dialog.getByRole('alert').getByText('The poll’s rules allow').waitFor();
    await screenshot(page, 'schedule-extend-refused-en-phone');
    expect(await size(poll)).toBe(before);
    await dialog.getByLabel('New closing time').fill(toLocalTime(closes + HOUR));
    await dialog.getByRole('button', { name: 'Extend', exact: true }).click();
    await page.getByText('Extended 1 time(s)', { exact: false }).waitFor();
    expect(await size(poll)).toBe(before + 1);
    expect((await owner.get(`/api/polls/${poll}`)).body.closesAt).toBe(closes + HOUR);
    await screenshot(page, 'schedule-extended-en-phone');
    await expectClean(page, tab.problems);

    // The notice prints the rules in both languages.
    await page.goto(`/organiser/polls/${poll}/notice`);
    await page.getByText('It may close earlier, once every registered voter has voted.').waitFor();
    expect(await text(page)).toContain('所有登记的投票人都投票后，投票可以提前结束。');
    expect(await text(page)).toContain('Its closing time may be extended, to');

    // Once both have voted, the close is offered, and it is early.
    for (const v of voters) expect((await castBallot(owner, poll, (await v.ballot(owner, ANSWERS, rng)).bytes)).status).toBe(201);
    await page.goto(`/organiser/polls/${poll}`);
    await page.getByRole('button', { name: 'Close the poll now' }).click();
    const confirm = page.getByRole('dialog', { name: 'Close the poll now?' });
    await confirm.getByText('This is before the closing time on the notice').waitFor();
    await confirm.getByRole('button', { name: 'Yes, close it' }).click();
    await page.getByText('Closed before that time, as the poll’s rules allow.').waitFor();

    // The poll's public page, in Chinese: the extension and the early close.
    const zh = await openTab(web.browser, web.site.base, { locale: 'zh-CN', viewport: PHONE });
    await zh.page.goto(`/poll/${poll}`);
    await settle(zh.page);
    await zh.page.getByText('按本次投票的规则，投票在结束时间之前提前结束。').waitFor();
    expect(await text(zh.page)).toContain('记录板上已延长结束时间 1 次');
    await screenshot(zh.page, 'schedule-poll-page-zh-phone');
    await expectClean(zh.page, zh.problems);
    await zh.context.close();
    await tab.context.close();
  });
});
