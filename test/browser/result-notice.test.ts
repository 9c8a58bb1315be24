/**
 * Results to post (issue 14): the results page hands out the record; the verifier page, once the
 * record passed, saves the result as CSV and shows a printable result notice (公示). Both must match
 * what the verifier computes from that record, here recomputed in Node from the downloaded file.
 */
import { readFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { verifyRecord, type VerifyReport } from '../../verifier/index.ts';
import type { Running } from '../server/support.ts';
import { finishedPoll } from './finished-poll.ts';
import { PHONE, expectClean, launchBrowser, openTab, screenshot, settle, startSite } from './support.ts';

let browser: Browser;
let site: Running;
let poll: string;
/** the verifier's report of the record the results page handed out */
let verified: VerifyReport;

beforeAll(async () => {
  [browser, site] = await Promise.all([launchBrowser(), startSite()]);
  poll = await finishedPoll(site, { en: 'Notice poll', zh: '公示投票', weights: [2, 1, 1] });
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await site?.close();
});

async function download(page: Page, button: ReturnType<Page['getByRole']>): Promise<Buffer> {
  const [file] = await Promise.all([page.waitForEvent('download'), button.click()]);
  return readFileSync((await file.path())!);
}

/** A CSV file's rows (quoted cells unquoted), after its byte order mark. */
function csvRows(bytes: Buffer): string[][] {
  const text = bytes.toString('utf8');
  expect(text.startsWith('\uFEFF')).toBe(true);
  return text
    .slice(1)
    .trimEnd()
    .split('\r\n')
    .map((line) => [...line.matchAll(/("(?:[^"]|"")*"|[^,]*)(,|$)/g)].slice(0, -1).map((m) => m[1].replace(/^"|"$/g, '').replace(/""/g, '"')));
}

const groups = (hex: string) => hex.toUpperCase().replace(/(.{4})(?!$)/g, '$1 ');

describe('results to post', () => {
  test('the results page hands out the record, which verifies', async () => {
    const { page, problems, context } = await openTab(browser, site.base, { locale: 'en-GB', viewport: PHONE });
    await page.goto(`/poll/${poll}/results`);
    await settle(page);
    const bytes = await download(page, page.getByRole('link', { name: 'Download the record' }));
    verified = await verifyRecord([new Uint8Array(bytes)]);
    expect(verified).toMatchObject({ valid: true, phase: 'done', counted: 3, listed: 3, weight: 4, weighted: true });
    expect(await page.getByText('verify it first: the verifier page offers both').count()).toBe(1);
    await expectClean(page, problems);
    await context.close();
  });

  test('zh-CN: after the check passes, the CSV and the result notice hold the verified result', async () => {
    expect(verified?.result).not.toBeNull();
    const { page, problems, context } = await openTab(browser, site.base, { locale: 'zh-CN', viewport: PHONE });
    await page.goto(`/verify?poll=${poll}`);
    await settle(page);
    await page.getByRole('button', { name: '验证这项投票' }).click();
    await page.getByRole('heading', { name: /记录通过了全部检查/ }).waitFor({ timeout: 90_000 });

    const rows = csvRows(await download(page, page.getByRole('button', { name: '保存结果（CSV）' })));
    expect(rows[0]).toEqual(['序号', '问题', '答案', '加权票数', '占已计入权重的百分比']);
    const expected: string[][] = [];
    verified.result!.forEach((q, i) => {
      const zh = (texts: readonly string[]) => texts[verified.poll!.languages.findIndex((l) => l.startsWith('zh'))];
      const pct = (v: number) => (q.rule.kind === 'score' || q.rule.kind === 'cumulative' ? '' : String(Math.round((v / verified.weight) * 100)));
      for (const o of q.options) expected.push([String(i + 1), zh(q.prompts), zh(o.texts), String(o.total), pct(o.total)]);
      if (q.blank !== null) expected.push([String(i + 1), zh(q.prompts), '空白票', String(q.blank), pct(q.blank)]);
    });
    expect(rows.slice(1)).toEqual(expected);
    expect(rows[1]).toEqual(['1', '院门颜色？', '红色', '3', '75']);

    await page.getByRole('button', { name: '显示结果公示' }).click();
    const notice = page.locator('article.result-notice');
    await notice.waitFor();
    const text = await notice.innerText();
    expect(text).toContain('公示投票');
    expect(text).toContain('3 位登记投票人中有 3 位被计入（100%）');
    expect(text).toContain('已计入的权重合计 4');
    expect(text).toContain(verified.fingerprint!);
    expect(text).toContain(`公告板的最终状态（${verified.checkpoint!.size} 条记录）`);
    expect(text).toContain(groups(verified.checkpoint!.root));
    expect(text).toContain(`${new URL(site.base).origin}/verify?poll=${poll}`);
    expect(await notice.getByRole('img', { name: '验证本次投票页面的二维码' }).count()).toBe(1);
    expect(await notice.locator('table').first().innerText()).toMatch(/红色\s+加权 3 票\s+75%/);
    await expectClean(page, problems);
    await screenshot(page, 'result-notice-zh-phone');
    await page.emulateMedia({ media: 'print' });
    await screenshot(page, 'result-notice-zh-print');
    await context.close();
  });

  test('en-GB: the CSV speaks English', async () => {
    const { page, context } = await openTab(browser, site.base, { locale: 'en-GB', viewport: PHONE });
    await page.goto(`/verify?poll=${poll}`);
    await settle(page);
    await page.getByRole('button', { name: 'Verify this poll' }).click();
    await page.getByRole('heading', { name: /The record passed every check/ }).waitFor({ timeout: 90_000 });
    const rows = csvRows(await download(page, page.getByRole('button', { name: 'Save the result (CSV)' })));
    expect(rows[0]).toEqual(['No.', 'Question', 'Answer', 'Weighted votes', 'Share of the counted weight (%)']);
    expect(rows[1]).toEqual(['1', 'Gate colour?', 'Red', '3', '75']);
    await context.close();
  });
});
