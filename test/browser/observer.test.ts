/**
 * The observer pages in a real browser against a real server: the poll list and the poll page (status,
 * turnout, live turnout), the board explorer (entries, filter, details, live entries, checkpoint), the
 * results (the API's numbers), and the verifier page (a record from the server and from a file passes;
 * a file with a flipped byte in a ballot fails at that entry; the report text is `gongshi verify`'s).
 * Every screen in English and Chinese passes axe-core, has no missing key and no console problem.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Browser } from 'playwright-core';
import { formatTracker, type Answer } from '../../crypto/index.ts';
import { castBallot, courtyardDraft, openPoll, unb64, unhex, type Running } from '../server/support.ts';
import { formatPollFingerprint, pollFingerprint } from '../../bulletin-board/index.ts';
import { DESKTOP, PHONE, expectClean, launchBrowser, openTab, screenshot, settle, startSite } from './support.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const HOSTILE = '<script>window.__pwned=1</script><img src=x onerror="window.__pwned=2">';
const dir = mkdtempSync(join(tmpdir(), 'gongshi-observer-'));
const exec = promisify(execFile);

let browser: Browser;
let site: Running;
type OpenedPoll = Awaited<ReturnType<typeof openPoll>>;
let done: OpenedPoll;
let open: OpenedPoll;
let hostile: string;

const draft = (en: string, zh: string) => ({ ...courtyardDraft(), title: [en, zh] }) as ReturnType<typeof courtyardDraft>;
const answers = (k: number): Answer[] => [{ values: [0, 1, 2].map((x) => (x === k % 3 ? 1 : 0)) }, { values: [1, 0, 0, k % 2] }, { values: [k % 2, 0, 1] }];

beforeAll(async () => {
  [browser, site] = await Promise.all([launchBrowser(), startSite()]);
  const finished = await openPoll(site, { voters: 3, seed: 'observer finished', draft: draft('Finished poll', '已结束的投票') });
  for (const [k, v] of finished.voters.entries()) expect((await castBallot(finished.owner, finished.poll, (await v.ballot(finished.owner, answers(k), finished.rng)).bytes)).status).toBe(201);
  expect((await finished.owner.post(`/api/polls/${finished.poll}/close`)).status).toBe(200);
  expect((await finished.owner.post(`/api/polls/${finished.poll}/tally`)).status).toBe(200);
  await finished.trustees[0].decrypt();
  await finished.trustees[1].decrypt();
  // The server appends the result right after the t-th share; expect.poll is for tests only.
  for (let i = 0; (await finished.owner.get(`/api/polls/${finished.poll}/result`)).body.status !== 'done'; i++) {
    if (i > 400) throw new Error('no result after the decryption shares');
    await new Promise((r) => setTimeout(r, 50));
  }
  done = finished;
  open = await openPoll(site, { voters: 3, seed: 'observer open', draft: draft('Open poll', '进行中的投票') });
  hostile = (await openPoll(site, { voters: 1, seed: 'observer hostile', draft: courtyardDraft({ title: HOSTILE }) })).poll;
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await site?.close();
});



/** Casts one more ballot in the open poll, over the API (voter `k`). */
async function castInOpen(k: number): Promise<void> {
  const made = await open.voters[k].ballot(open.owner, answers(k), open.rng);
  expect((await castBallot(open.owner, open.poll, made.bytes)).status).toBe(201);
}

/** `gongshi verify` as a process, on a file or URL: its standard output and exit code. */
async function cliVerify(source: string): Promise<{ code: number; stdout: string }> {
  try {
    const { stdout } = await exec('node', [join(ROOT, 'server/bin/gongshi.js'), 'verify', source, '--workers', '1'], { cwd: dir, maxBuffer: 1 << 24 });
    return { code: 0, stdout };
  } catch (e) {
    const err = e as { code: number; stdout: string };
    return { code: err.code, stdout: err.stdout };
  }
}

/** The record with one byte of its first ballot flipped (its credential key); and that ballot's height. */
function tamper(record: Uint8Array): { bytes: Uint8Array; height: number } {
  const bad = Buffer.from(record);
  let at = 17; // after "gongshi-record/1\n"; items are u8 tag ‖ u32 length ‖ bytes (spec §B.6)
  let height = -1;
  for (;;) {
    const tag = bad[at];
    const length = bad.readUInt32BE(at + 1);
    if (tag === 2) height += 1;
    if (tag === 2 && bad[at + 5] === 8) break;
    at += 5 + length;
  }
  bad[at + 5 + 50 + 40] ^= 0x01;
  return { bytes: new Uint8Array(bad), height };
}

describe('poll list and poll page', () => {
  test('en: the list shows titles, status and turnout; the poll page its questions, trustees, fingerprint, and turnout live', async () => {
    const { page, problems, context } = await openTab(browser, site.base, { locale: 'en-GB', viewport: PHONE });
    await page.goto('/');
    await settle(page);
    const finishedItem = page.getByRole('listitem').filter({ has: page.getByRole('link', { name: 'Finished poll', exact: true }) });
    await expect.poll(() => finishedItem.innerText()).toMatch(/Results published[\s\S]*3 of 3 voters have voted\./);
    const openItem = page.getByRole('listitem').filter({ has: page.getByRole('link', { name: 'Open poll', exact: true }) });
    expect(await openItem.innerText()).toMatch(/Open for voting[\s\S]*0 of 3 voters have voted\./);
    expect(await openItem.getByRole('link', { name: /^Vote\b.*Open poll$/ }).getAttribute('href')).toBe(`/poll/${open.poll}/vote`);
    expect(await finishedItem.getByRole('link', { name: /^Results\b.*Finished poll$/ }).getAttribute('href')).toBe(`/poll/${done.poll}/results`);
    await expectClean(page, problems);
    await screenshot(page, 'observer-list-en-phone');

    await page.getByRole('link', { name: 'Open poll', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Open poll' }).waitFor();
    await settle(page);
    const main = page.locator('main');
    await expect.poll(() => main.innerText()).toMatch(/Status: Open for voting/);
    const text = await main.innerText();
    expect(text).toMatch(/0 of 3 voters have voted\./);
    expect(text).toMatch(/Voting opens when the organiser opens it by hand\./);
    expect(text).toMatch(/Gate colour\?\s*Choose one\. A blank vote is allowed\./);
    expect(text).toMatch(/Evening classes \(one or two\)\?\s*Choose 1 to 2\./);
    expect(text).toMatch(/Choose projects whose costs add up to at most 700\./);
    expect(text).toMatch(/Bicycle shed \(costs 500\)/);
    expect(text).toMatch(/Any 2 of the 3 together/);
    expect(text).toMatch(/Trustee 1\s+Trustee 2\s+Trustee 3/);
    const fingerprint: string = (await open.owner.get(`/api/polls/${open.poll}`)).body.election.fingerprint;
    expect(text).toContain(fingerprint.slice(0, 16).toUpperCase().replace(/(.{4})(?!$)/g, '$1 '));
    // B.1.5.1 the poll fingerprint the page computed from entry 0, and who can do what (B.1.4).
    const manifest = unb64((await open.owner.get(`/api/polls/${open.poll}/entries?from=0&limit=1`)).body.entries[0].bytes).subarray(50);
    expect(text).toContain(formatPollFingerprint(pollFingerprint(manifest)));
    expect(text).toMatch(/The voter codes were made by Registrar Wang/);
    expect(text).toMatch(/The organiser made the voter codes herself: she could vote for a resident who does not vote/);
    expect(text).toMatch(/This poll names no witness/);
    expect(text).toMatch(/Privacy floor: the trustees decrypt the count only if at least this many voters are counted: 1\./);
    for (const [name, href] of [
      ['Vote', `/poll/${open.poll}/vote`],
      ['Check a receipt', `/poll/${open.poll}/check`],
      ['See the public board', `/poll/${open.poll}/board`],
      ['Verify this poll', `/verify?poll=${open.poll}`],
    ]) {
      expect(await main.getByRole('link', { name, exact: true }).getAttribute('href')).toBe(href);
    }
    expect(await main.getByRole('link', { name: 'See the results' }).count()).toBe(0);
    await expectClean(page, problems);
    await screenshot(page, 'observer-poll-en-phone');

    await castInOpen(0);
    await expect.poll(() => main.innerText(), { timeout: 15_000 }).toMatch(/1 of 3 voters have voted\. Ballots cast in all \(changed votes included\): 1\./);
    expect(problems).toEqual([]);
    await context.close();
  });

  test('zh-CN: the list and the poll page in Chinese; a finished poll links to its results', async () => {
    const { page, problems, context } = await openTab(browser, site.base, { locale: 'zh-CN', viewport: DESKTOP });
    await page.goto('/');
    await settle(page);
    const finishedItem = page.getByRole('listitem').filter({ has: page.getByRole('link', { name: '已结束的投票', exact: true }) });
    await expect.poll(() => finishedItem.innerText()).toMatch(/结果已公布[\s\S]*3 位投票人中已有 3 位投票。/);
    const openItem = page.getByRole('listitem').filter({ has: page.getByRole('link', { name: '进行中的投票', exact: true }) });
    expect(await openItem.innerText()).toMatch(/投票进行中/);
    await expectClean(page, problems);
    await screenshot(page, 'observer-list-zh-desktop');

    await page.goto(`/poll/${done.poll}`);
    await page.getByRole('heading', { level: 1, name: '已结束的投票' }).waitFor();
    await settle(page);
    const main = page.locator('main');
    const text = await main.innerText();
    expect(text).toMatch(/状态：结果已公布/);
    expect(text).toMatch(/3 位投票人中已有 3 位投票。/);
    expect(text).toMatch(/院门颜色？\s*选一项。可以投空白票。/);
    expect(text).toMatch(/车棚（费用 500）/);
    expect(text).toMatch(/选 1 到 2 项。/);
    expect(text).toMatch(/投票码由组织者本人生成：她可以替没有投票的居民投票/);
    expect(text).toMatch(/本次投票没有指定见证方/);
    expect(await main.getByRole('link', { name: '查看结果' }).getAttribute('href')).toBe(`/poll/${done.poll}/results`);
    expect(await main.getByRole('link', { name: '去投票' }).count()).toBe(0);
    await expectClean(page, problems);
    await screenshot(page, 'observer-poll-zh-desktop');
    await context.close();
  });
});

describe('board explorer', () => {
  test('shows the entries, filters ballots, opens an entry’s details and the checked checkpoint', async () => {
    const { page, problems, context } = await openTab(browser, site.base, { locale: 'en-GB', viewport: PHONE });
    await page.goto(`/poll/${done.poll}/board`);
    await page.getByRole('heading', { level: 1, name: 'Public board: Finished poll' }).waitFor();
    await settle(page);
    const board = (await done.owner.get(`/api/polls/${done.poll}/entries?from=0&limit=200`)).body;
    const entries = page.locator('main ol > li');
    expect(await entries.count()).toBe(Math.min(50, board.size));
    await page.getByRole('button', { name: `Entry ${board.size - 1}: Result`, exact: false }).waitFor();
    await page.getByRole('button', { name: /^Entry 0: Poll set-up/ }).waitFor();
    await expect.poll(() => page.locator('main').innerText()).toMatch(/Signature checked on this device with the poll’s log key\./);
    expect(await page.locator('main').innerText()).toContain(`Entries signed: ${board.size}`);
    await expectClean(page, problems);
    await screenshot(page, 'observer-board-en-phone');

    await page.getByLabel('Show', { exact: true }).selectOption({ label: 'Ballots' });
    const ballots = board.entries.filter((e: { type: string }) => e.type === 'ballot');
    await expect.poll(() => entries.count()).toBe(ballots.length);
    for (const name of await entries.getByRole('button').allInnerTexts()) expect(name).toMatch(/^Entry \d+: Ballot/);

    const first = ballots[0];
    const button = page.getByRole('button', { name: new RegExp(`^Entry ${first.height}: Ballot`) });
    await button.click();
    expect(await button.getAttribute('aria-expanded')).toBe('true');
    const details = page.locator(`#entry-${first.height}`);
    await expect.poll(() => details.innerText()).toMatch(/An encrypted ballot answering 3 questions/);
    const shown = await details.innerText();
    expect(shown).toContain(formatTracker(unhex(first.tracker)));
    expect(shown).toContain(first.hash);
    await expectClean(page, problems);
    await screenshot(page, 'observer-board-details-en-phone');

    await page.getByLabel('Show', { exact: true }).selectOption({ label: 'Key ceremony' });
    const trustee = board.entries.find((e: { type: string }) => e.type === 'trustee');
    await page.getByRole('button', { name: new RegExp(`^Entry ${trustee.height}: Trustee message`) }).click();
    await expect.poll(() => page.locator(`#entry-${trustee.height}`).innerText()).toMatch(/Trustee \d \(trustee \d\): introduces the keys/);
    await page.getByLabel('Show', { exact: true }).selectOption({ label: 'Voter lists' });
    await page.getByRole('button', { name: /^Entry \d+: Voter list/ }).click();
    await expect.poll(() => page.locator('main').innerText()).toMatch(/3 voter credentials listed \(total voting weight 3\)/);
    await expectClean(page, problems);
    await context.close();
  });

  test('a ballot cast over the API arrives live; zh-CN', async () => {
    const { page, problems, context } = await openTab(browser, site.base, { locale: 'zh-CN', viewport: DESKTOP });
    await page.goto(`/poll/${open.poll}/board`);
    await page.getByRole('heading', { level: 1, name: '公告板：进行中的投票' }).waitFor();
    await settle(page);
    const size: number = (await open.owner.get(`/api/polls/${open.poll}/checkpoint`)).body.size;
    await page.getByRole('button', { name: new RegExp(`^第 ${size - 1} 条：`) }).waitFor();
    await castInOpen(1);
    const arrived = page.getByRole('button', { name: new RegExp(`^第 ${size} 条：选票`) });
    await arrived.waitFor({ timeout: 15_000 });
    await arrived.click();
    await expect.poll(() => page.locator(`#entry-${size}`).innerText()).toMatch(/一张加密选票，回答了 3 个问题/);
    await expect.poll(() => page.locator('main').innerText()).toContain(`已签署的记录数：${size + 1}`);
    await expectClean(page, problems);
    await screenshot(page, 'observer-board-zh-desktop');
    await context.close();
  });
});

describe('results', () => {
  test('the numbers on the page are the API’s result; before the result, when to come back', async () => {
    const api = (await done.owner.get(`/api/polls/${done.poll}/result`)).body.result;
    for (const [locale, viewport, name] of [
      ['en-GB', PHONE, 'en-phone'],
      ['zh-CN', DESKTOP, 'zh-desktop'],
    ] as const) {
      const { page, problems, context } = await openTab(browser, site.base, { locale, viewport });
      await page.goto(`/poll/${done.poll}/results`);
      await settle(page);
      const sections = page.locator('main section.question');
      await expect.poll(() => sections.count()).toBe(api.questions.length);
      for (const [i, q] of api.questions.entries()) {
        const rows = sections.nth(i).locator('li');
        expect(await rows.count()).toBe(q.options.length + (q.blank === null ? 0 : 1));
        for (const [k, o] of q.options.entries()) {
          const row = await rows.nth(k).innerText();
          expect(row).toContain(locale === 'en-GB' ? o.text[0] : o.text[1]);
          expect(row).toMatch(locale === 'en-GB' ? new RegExp(`\\b${o.total} votes?\\b`) : new RegExp(`${o.total} 票`));
        }
        if (q.blank !== null) expect(await rows.nth(q.options.length).innerText()).toMatch(locale === 'en-GB' ? new RegExp(`Blank votes\\s+${q.blank} votes?`) : new RegExp(`空白票\\s+${q.blank} 票`));
      }
      const text = await page.locator('main').innerText();
      if (locale === 'en-GB') {
        expect(text).toContain(`The last ballot of ${api.counted} voters was counted (${api.ballots} ballots cast in all`);
        expect(await page.getByRole('link', { name: 'Verify this result yourself' }).getAttribute('href')).toBe(`/verify?poll=${done.poll}`);
      } else {
        expect(text).toContain(`已计入 ${api.counted} 位投票人的最后一张选票`);
        expect(await page.getByRole('link', { name: '亲自验证这个结果' }).getAttribute('href')).toBe(`/verify?poll=${done.poll}`);
      }
      await expectClean(page, problems);
      await screenshot(page, `observer-results-${name}`);

      await page.goto(`/poll/${open.poll}/results`);
      await settle(page);
      await expect.poll(() => page.locator('main').innerText()).toMatch(locale === 'en-GB' ? /The result is not published yet\.[\s\S]*Voting is open until the organiser closes it\./ : /结果尚未公布。/);
      await expectClean(page, problems);
      await screenshot(page, `observer-results-waiting-${name}`);
      await context.close();
    }
  });
});

describe('verifier page', () => {
  test('passes a finished poll from the server and from its downloaded file, with the command line’s report text', async () => {
    const { page, problems, context } = await openTab(browser, site.base, { locale: 'en-GB', viewport: PHONE });
    await page.goto(`/verify?poll=${done.poll}`);
    await settle(page);
    expect(await page.getByLabel('Poll', { exact: true }).inputValue()).toBe(done.poll);
    await expectClean(page, problems);
    await screenshot(page, 'observer-verify-en-phone');

    const cli = await cliVerify(`${site.base}/api/polls/${done.poll}/record`);
    expect(cli.code).toBe(0);
    await page.getByRole('button', { name: 'Verify this poll' }).click();
    const passed = page.getByRole('heading', { name: /The record passed every check/ });
    await passed.waitFor({ timeout: 60_000 });
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('report-heading');
    expect(await page.getByTestId('report-text').textContent()).toBe(cli.stdout);
    expect(cli.stdout).toMatch(/VALID: every check passed/);
    await expectClean(page, problems);
    await screenshot(page, 'observer-verify-passed-en-phone');

    const [report] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download the report' }).click()]);
    expect(readFileSync((await report.path())!, 'utf8')).toBe(cli.stdout);

    await page.getByRole('button', { name: 'Verify another record' }).click();
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Download the record file' }).click()]);
    const file = join(dir, `gongshi-${done.poll}.record`);
    await download.saveAs(file);
    await page.getByLabel('Choose a record file').setInputFiles(file);
    await page.getByRole('button', { name: 'Verify the file' }).click();
    await passed.waitFor({ timeout: 60_000 });
    const fromFile = await cliVerify(file);
    expect(fromFile.code).toBe(0);
    expect(await page.getByTestId('report-text').textContent()).toBe(fromFile.stdout);
    expect(problems).toEqual([]);

    // The same file with one flipped byte in a ballot: the failure is named by check and entry.
    const { bytes, height } = tamper(readFileSync(file));
    const bad = join(dir, 'tampered.record');
    writeFileSync(bad, bytes);
    const badCli = await cliVerify(bad);
    expect(badCli.code).toBe(1);
    await page.getByRole('button', { name: 'Verify another record' }).click();
    await page.getByLabel('Choose a record file').setInputFiles(bad);
    await page.getByRole('button', { name: 'Verify the file' }).click();
    await page.getByRole('heading', { name: /The record did not pass: \d+ problems found/ }).waitFor({ timeout: 60_000 });
    const failures = page.locator('main ul.failures > li');
    const atBallot = failures.filter({ hasText: `at entry ${height}` });
    expect(await atBallot.count()).toBeGreaterThan(0);
    expect(await atBallot.first().innerText()).toMatch(/^V\d+ at entry/);
    expect(await failures.filter({ hasText: /V15\s+in the record as a whole/ }).count()).toBeGreaterThan(0);
    expect(await page.getByTestId('report-text').textContent()).toBe(badCli.stdout);
    expect(badCli.stdout).toMatch(new RegExp(`INVALID: \\d+ failures?\\n(.|\\n)*entry ${height}: `));
    await expectClean(page, problems);
    await screenshot(page, 'observer-verify-failed-en-phone');
    await context.close();
  });

  test('zh-CN: a file that is not a record is refused in words; a finished poll passes', async () => {
    const { page, problems, context } = await openTab(browser, site.base, { locale: 'zh-CN', viewport: DESKTOP });
    await page.goto(`/verify?poll=${done.poll}`);
    await settle(page);
    const junk = join(dir, 'junk.record');
    writeFileSync(junk, 'this is not a record');
    await page.getByLabel('选择记录文件').setInputFiles(junk);
    await page.getByRole('button', { name: '验证这个文件' }).click();
    await expect.poll(() => page.getByRole('alert').innerText()).toMatch(/这不是可读的公示记录文件/);
    await expectClean(page, problems);
    await screenshot(page, 'observer-verify-zh-desktop');
    await page.getByRole('button', { name: '验证这项投票' }).click();
    await page.getByRole('heading', { name: /记录通过了全部检查/ }).waitFor({ timeout: 60_000 });
    await expectClean(page, problems);
    await screenshot(page, 'observer-verify-passed-zh-desktop');
    await context.close();
  });
});

describe('text from the server is shown as text', () => {
  test('a title with script and image tags is shown literally on the list, poll page and results, and runs nothing', async () => {
    const { page, problems, context } = await openTab(browser, site.base, { locale: 'en-GB' });
    for (const path of ['/', `/poll/${hostile}`, `/poll/${hostile}/results`, `/poll/${hostile}/board`]) {
      await page.goto(path);
      await settle(page);
      await page.getByText(HOSTILE, { exact: false }).first().waitFor();
      expect(await page.evaluate(() => (window as { __pwned?: number }).__pwned)).toBeUndefined();
      expect(await page.locator('main script, main img').count()).toBe(0);
    }
    await screenshot(page, 'observer-hostile-board-en-desktop');
    expect(problems).toEqual([]);
    await context.close();
  });
});
