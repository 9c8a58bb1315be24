/**
 * What a first-time observer met on the results and verifier pages (issue 15): the verified result in
 * the reader's language (the poll's own texts in Chinese or English, the words around them from the
 * dictionary); weighted results said to be weighted, each percentage said to be of what, and why a
 * multiple-choice question's add up to more than 100%; English dates in the browser's own English
 * (day before month under en-GB); and the tab titles of the observer pages.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { Running } from '../server/support.ts';
import { finishedPoll } from './finished-poll.ts';
import { DESKTOP, PHONE, expectClean, launchBrowser, openTab, screenshot, settle, startSite } from './support.ts';

let browser: Browser;
let site: Running;
let weighted: string;
let plain: string;
let dated: string;

/** 7 December 2030, 10:00 UTC: the same day in every time zone from UTC−10 to UTC+13. */
const OPENS = Date.UTC(2030, 11, 7, 10);
const CLOSES = Date.UTC(2030, 11, 14, 10);


beforeAll(async () => {
  [browser, site] = await Promise.all([launchBrowser(), startSite()]);
  weighted = await finishedPoll(site, { en: 'Weighted poll', zh: '加权投票', weights: [2, 1, 1] });
  plain = await finishedPoll(site, { en: 'Plain poll', zh: '普通投票', weights: [1, 1, 1] });
  dated = await finishedPoll(site, { en: 'Dated poll', zh: '定时投票', weights: [1], dates: { opensAt: OPENS, closesAt: CLOSES } });
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await site?.close();
});

/** Each question's rows as shown: [option, total words] per row, per question section inside `within`. */
async function rows(page: Page, within: string): Promise<string[][][]> {
  const sections = page.locator(`${within} section.question`);
  await sections.first().waitFor();
  const out: string[][][] = [];
  for (let i = 0; i < (await sections.count()); i++)
    out.push(await sections.nth(i).locator('li').evaluateAll((items) => items.map((li) => [li.querySelector('.option')!.textContent!.trim(), li.querySelector('.total')!.textContent!.trim()])));
  return out;
}

/** The verifier report's result part as read: from its heading to the list of checks that ran. */
async function verifiedResult(page: Page, heading: string, after: string): Promise<string> {
  const text = await page.locator('main').innerText();
  return text.slice(text.indexOf(heading), text.indexOf(after));
}

/** Verifies the poll on the verifier page and waits for the verdict. */
async function verify(page: Page, poll: string, start: string, passed: RegExp): Promise<void> {
  await page.goto(`/verify?poll=${poll}`);
  await settle(page);
  await page.getByRole('button', { name: start }).click();
  await page.getByRole('heading', { name: passed }).waitFor({ timeout: 90_000 });
}

describe('item 7: the verified result in the reader’s language', () => {
  test('zh-CN: a two-language poll verified in a Chinese browser shows the Chinese questions, options and words', async () => {
    const { page, problems, context } = await openTab(browser, site.base, { locale: 'zh-CN', viewport: PHONE });
    await verify(page, weighted, '验证这项投票', /记录通过了全部检查/);
    const text = await verifiedResult(page, '检查算出的结果', '显示执行的全部检查');
    expect(text).toContain('1. 院门颜色？');
    expect(text).toContain('2. 晚间课程（一到两项）？');
    expect(text).not.toMatch(/Gate colour|Red|Tai chi|votes?\b|Option|Total/);
    const shown = await rows(page, 'main section.result');
    expect(shown[0].map((r) => r[0])).toEqual(['红色', '绿色', '灰色', '空白票']);
    expect(shown[1].map((r) => r[0])).toEqual(['太极', '书法', '英语', '电脑']);
    expect((await page.locator('main dl.counts').innerText()).replace(/\s+/g, ' ')).toContain('投票 加权投票');
    await expectClean(page, problems);
    await screenshot(page, 'first-use-verify-result-zh-phone');
    await context.close();
  });

  test('en-GB: the same poll verified in an English browser shows the English ones', async () => {
    const { page, problems, context } = await openTab(browser, site.base, { locale: 'en-GB', viewport: PHONE });
    await verify(page, weighted, 'Verify this poll', /The record passed every check/);
    const text = await verifiedResult(page, 'The result, as the check computed it', 'Show every check that ran');
    expect(text).toContain('1. Gate colour?');
    expect(text).not.toMatch(/院门|红色|票/);
    const shown = await rows(page, 'main section.result');
    expect(shown[0].map((r) => r[0])).toEqual(['Red', 'Green', 'Grey', 'Blank votes']);
    expect(shown[2].map((r) => r[0])).toEqual(['Benches', 'Bicycle shed', 'Plants']);
    await expectClean(page, problems);
    await screenshot(page, 'first-use-verify-result-en-phone');
    await context.close();
  });
});

describe('item 8: weighted results explained', () => {
  test('en-GB: a weighted poll says "weighted", what each percentage is of, and why they add up to more than 100%; the verifier agrees', async () => {
    const { page, problems, context } = await openTab(browser, site.base, { locale: 'en-GB', viewport: PHONE });
    await page.goto(`/poll/${weighted}/results`);
    await settle(page);
    const shown = await rows(page, 'main');
    expect(shown[0]).toEqual([
      ['Red', '3 weighted votes (75%)'],
      ['Green', '1 weighted vote (25%)'],
      ['Grey', '0 weighted votes (0%)'],
      ['Blank votes', '0 weighted votes (0%)'],
    ]);
    expect(shown[1].map((r) => r[1])).toEqual(['4 weighted votes (100%)', '2 weighted votes (50%)', '1 weighted vote (25%)', '0 weighted votes (0%)']);
    const text = await page.locator('main').innerText();
    expect(text).toContain('Weighted votes: some voters count more than others.');
    expect(text).toContain('The 3 voters counted have a total weight of 4.');
    const notes = page.locator('main section.question .share-note');
    expect(await notes.nth(0).innerText()).toBe('Each voter chose one answer. Each percentage is of the total weight of the voters counted, 4.');
    expect(await notes.nth(1).innerText()).toBe('Each voter could choose up to 2. Each percentage is of the total weight of the voters counted, 4, so together they can add up to more than 100%.');
    await expectClean(page, problems);
    await screenshot(page, 'first-use-results-weighted-en-phone');

    await verify(page, weighted, 'Verify this poll', /The record passed every check/);
    expect(await rows(page, 'main section.result')).toEqual(shown);
    const verified = await page.locator('main section.result').innerText();
    expect(verified).toContain('Weighted votes: some voters count more than others.');
    expect(verified).toContain('can add up to more than 100%');
    await expectClean(page, problems);
    await screenshot(page, 'first-use-verify-weighted-en-phone');
    await context.close();
  });

  test('zh-CN: the weighted poll in Chinese, and the verifier’s numbers are the results page’s', async () => {
    const { page, problems, context } = await openTab(browser, site.base, { locale: 'zh-CN', viewport: PHONE });
    await page.goto(`/poll/${weighted}/results`);
    await settle(page);
    const shown = await rows(page, 'main');
    expect(shown[0]).toEqual([
      ['红色', '加权 3 票（75%）'],
      ['绿色', '加权 1 票（25%）'],
      ['灰色', '加权 0 票（0%）'],
      ['空白票', '加权 0 票（0%）'],
    ]);
    const text = await page.locator('main').innerText();
    expect(text).toContain('加权计票');
    expect(text).toContain('已计入的 3 位投票人权重合计 4。');
    expect(await page.locator('main section.question .share-note').nth(1).innerText()).toContain('所以各项百分比加起来可能超过 100%');
    await expectClean(page, problems);
    await screenshot(page, 'first-use-results-weighted-zh-phone');

    await verify(page, weighted, '验证这项投票', /记录通过了全部检查/);
    expect(await rows(page, 'main section.result')).toEqual(shown);
    expect(await page.locator('main section.result').innerText()).toContain('加权计票');
    await context.close();
  });

  test('an unweighted poll does not say "weighted", in either language, on the results page or in the verifier', async () => {
    for (const [locale, start, passed, word] of [
      ['en-GB', 'Verify this poll', /The record passed every check/, /weight/i],
      ['zh-CN', '验证这项投票', /记录通过了全部检查/, /加权|权重/],
    ] as const) {
      const { page, problems, context } = await openTab(browser, site.base, { locale, viewport: PHONE });
      await page.goto(`/poll/${plain}/results`);
      await settle(page);
      const shown = await rows(page, 'main');
      expect(shown[0][0]).toEqual(locale === 'en-GB' ? ['Red', '2 votes (67%)'] : ['红色', '2 票（67%）']);
      expect(await page.locator('main').innerText()).not.toMatch(word);
      expect(await page.locator('main section.question .share-note').nth(1).innerText()).toBe(
        locale === 'en-GB'
          ? 'Each voter could choose up to 2. Each percentage is of the 3 voters counted, so together they can add up to more than 100%.'
          : '每人最多可选 2 项。百分比按已计入的 3 位投票人计算，所以各项百分比加起来可能超过 100%。',
      );
      await expectClean(page, problems);
      await screenshot(page, `first-use-results-plain-${locale === 'en-GB' ? 'en' : 'zh'}-phone`);
      await verify(page, plain, start, passed);
      expect(await rows(page, 'main section.result')).toEqual(shown);
      expect(await page.locator('main section.result').innerText()).not.toMatch(word);
      await context.close();
    }
  });
});

describe('dates in the browser’s own English', () => {
  test('en-GB shows day before month; en-US month before day; Chinese in Chinese; switching from Chinese to English falls back to en-GB', async () => {
    const cases = [
      ['en-GB', /Voting opens: 7 Dec 2030/, 'en-gb'],
      ['en-US', /Voting opens: Dec 7, 2030/, 'en-us'],
      ['zh-CN', /开始投票：2030年12月7日/, 'zh'],
    ] as const;
    for (const [locale, shown, name] of cases) {
      const { page, problems, context } = await openTab(browser, site.base, { locale, viewport: PHONE });
      await page.goto(`/poll/${dated}`);
      await settle(page);
      await expect.poll(() => page.locator('main').innerText()).toMatch(shown);
      await expectClean(page, problems);
      await screenshot(page, `first-use-dates-poll-${name}-phone`);
      if (locale === 'zh-CN') {
        await page.getByRole('button', { name: 'Switch to English' }).click();
        await expect.poll(() => page.locator('main').innerText()).toMatch(/Voting opens: 7 Dec 2030/);
        expect(await page.locator('main').innerText()).not.toMatch(/Dec 7/);
      }
      await context.close();
    }
  });

  test('en-GB: the board’s entry times are day-month too', async () => {
    const { page, problems, context } = await openTab(browser, site.base, { locale: 'en-GB', viewport: PHONE });
    await page.goto(`/poll/${dated}/board`);
    await settle(page);
    await page.getByRole('button', { name: /^Entry 0: Poll set-up/ }).click();
    const details = page.locator('#entry-0');
    const year = new Date().getFullYear();
    await expect.poll(() => details.innerText()).toMatch(new RegExp(`\\b\\d{1,2} [A-Z][a-z]{2,3} ${year}, \\d\\d:\\d\\d:\\d\\d`));
    expect(problems).toEqual([]);
    await context.close();
  });
});

describe('tab titles', () => {
  test('en-GB and zh-CN: the poll list, poll page, board, results, verifier and not-found pages name themselves and their poll', async () => {
    const cases: [string, string, string][] = [
      ['/', 'Polls — 公示 gongshi', '投票 — 公示 gongshi'],
      [`/poll/${weighted}`, 'Weighted poll — 公示 gongshi', '加权投票 — 公示 gongshi'],
      [`/poll/${weighted}/board`, 'Public board · Weighted poll — 公示 gongshi', '公告板 · 加权投票 — 公示 gongshi'],
      [`/poll/${weighted}/results`, 'Results · Weighted poll — 公示 gongshi', '结果 · 加权投票 — 公示 gongshi'],
      [`/verify?poll=${weighted}`, 'Verify a poll · Weighted poll — 公示 gongshi', '验证投票 · 加权投票 — 公示 gongshi'],
      ['/verify', 'Verify a poll — 公示 gongshi', '验证投票 — 公示 gongshi'],
      ['/no/such/page', 'Page not found — 公示 gongshi', '找不到页面 — 公示 gongshi'],
    ];
    for (const [locale, at] of [
      ['en-GB', 1],
      ['zh-CN', 2],
    ] as const) {
      const { page, problems, context } = await openTab(browser, site.base, { locale, viewport: DESKTOP });
      for (const c of cases) {
        await page.goto(c[0]);
        await page.locator('main h1').first().waitFor();
        await expect.poll(() => page.title(), { message: c[0] }).toBe(c[at]);
      }
      expect(problems).toEqual([]);
      await context.close();
    }
  });
});
