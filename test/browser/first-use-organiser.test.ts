/**
 * What a first-time organiser and her trustees meet, in a real browser against a real server started
 * as the README says (no public URL, so it names itself http://127.0.0.1:<port>) and one started with
 * --public-url: the warning that printed links will not open on residents' phones; the name of the
 * "key ready" stage in Chinese; a trustee who loads another trustee's key file; a used setup link; the
 * editor's list of problems; the ceremony's restart button; the voter-codes page after voting; the
 * publish dialog's questions; the trustee page before publication; and the tabs' titles.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createKeyFile } from '../../crypto/index.ts';
import { registrarPublicKey } from '../../bulletin-board/index.ts';
import { Client, ORGANISER, TEST_REGISTRAR_SEED, courtyardDraft, hex, openPoll, organiser, replayBoard, seenBoard, type Running } from '../server/support.ts';
import { PHONE, axe, browserAndSite, missingKeys, openTab, screenshot, startSite, type Tab } from './support.ts';

const web = browserAndSite();
const folder = mkdtempSync(join(tmpdir(), 'gongshi-first-use-'));

/** A server started with --public-url https://vote.example.org, reached by the browser at the address it listens on. */
let named: Running;
beforeAll(async () => {
  const started = await startSite({ publicUrl: 'https://vote.example.org' });
  const a = started.app.http.address();
  if (a === null || typeof a !== 'object') throw new Error('not listening');
  named = { ...started, base: `http://127.0.0.1:${a.port}` };
});
afterAll(async () => {
  await named?.close();
});

type Lang = 'en' | 'zh';
const locale = (lang: Lang) => (lang === 'en' ? 'en-GB' : 'zh-CN');

/** No missing key, no serious axe violation, no console problem; a screenshot. */
async function looked(tab: Tab, name: string): Promise<void> {
  expect(await missingKeys(tab.page), name).toEqual([]);
  expect(await axe(tab.page), name).toEqual([]);
  expect(tab.problems, name).toEqual([]);
  await screenshot(tab.page, `first-use-${name}`);
}

async function signIn(page: Page, lang: Lang): Promise<void> {
  await page.goto('/organiser');
  await page.getByLabel(lang === 'en' ? 'Name' : '名字', { exact: true }).fill(ORGANISER.name);
  await page.getByLabel(lang === 'en' ? 'Password' : '密码', { exact: true }).fill(ORGANISER.password);
  await page.getByRole('button', { name: lang === 'en' ? 'Sign in' : '登录', exact: true }).click();
  await page.getByRole('heading', { name: lang === 'en' ? 'Your polls' : '我的投票', exact: true }).waitFor();
}

/** A tab of the organiser, signed in, whose device holds the test registrar key of `poll`. */
async function organiserTab(site: Running, lang: Lang, poll: string, viewport = PHONE): Promise<Tab> {
  const tab = await openTab(web.browser, site.base, { locale: locale(lang), viewport });
  await tab.page.addInitScript(([p, seed]) => localStorage.setItem(`gongshi.registrar.${p}`, seed), [poll, hex(TEST_REGISTRAR_SEED)]);
  await signIn(tab.page, lang);
  return tab;
}

const WARNING = { en: 'Printed links will not open on residents’ phones', zh: '居民的手机打不开打印出来的链接' };
const RESTART = { en: 'npm start -- --public-url https://', zh: 'npm start -- --public-url https://' };
const SHORT = { timeout: 15_000 };

describe('the server’s address (issue 15, item 2)', () => {
  test('started as the README says, the poll page warns before publishing, in the publish dialog and on the sheets’ pages, in English and Chinese', async () => {
    const owner = await organiser(web.site);
    const poll: string = (await owner.post('/api/polls', { draft: courtyardDraft() })).body.id;
    for (const lang of ['en', 'zh'] as const) {
      const tab = await organiserTab(web.site, lang, poll);
      const { page } = tab;
      await page.goto(`/organiser/polls/${poll}`);
      const warning = page.locator('.address-warning');
      await warning.getByText(WARNING[lang]).waitFor(SHORT);
      expect(await warning.textContent()).toContain(new URL(web.site.base).host);
      expect(await warning.textContent()).toContain(RESTART[lang]);
      await looked(tab, `address-warning-draft-${lang}-phone`);
      await page.getByRole('button', { name: lang === 'en' ? 'Publish the poll' : '发布投票', exact: true }).click();
      const dialog = page.getByRole('dialog');
      await dialog.getByText(WARNING[lang]).waitFor(SHORT);
      await screenshot(page, `first-use-address-warning-publish-${lang}-phone`);
      await dialog.getByRole('button', { name: lang === 'en' ? 'Cancel' : '取消', exact: true }).click();
      await tab.context.close();
    }
    expect((await owner.post(`/api/polls/${poll}/publish`)).status).toBe(200);
    for (const lang of ['en', 'zh'] as const) {
      const tab = await organiserTab(web.site, lang, poll);
      const { page } = tab;
      await page.goto(`/organiser/polls/${poll}/voters`);
      await page.locator('.address-warning').getByText(WARNING[lang]).waitFor(SHORT);
      await looked(tab, `address-warning-voters-${lang}-phone`);
      await page.goto(`/organiser/polls/${poll}/voters/print`);
      await page.locator('.address-warning').getByText(WARNING[lang]).waitFor(SHORT);
      await tab.context.close();
    }

    // The registrar's page, where she prints the sheets of a poll whose codes she makes.
    const other: string = (await owner.post('/api/polls', { draft: { ...courtyardDraft(), registrar: null } })).body.id;
    const link: string = (await owner.post(`/api/polls/${other}/registrar-invite`)).body.link;
    const token = link.split('#')[1];
    const registrar = new Client(web.site.base, web.site.base, { authorization: `Bearer ${token}` });
    expect((await registrar.put(`/api/polls/${other}/registrar/key`, { name: 'Ms Chen', key: hex(registrarPublicKey(new Uint8Array(32).fill(7))) })).status).toBe(200);
    expect((await owner.post(`/api/polls/${other}/publish`)).status).toBe(200);
    const tab = await openTab(web.browser, web.site.base, { locale: 'zh-CN', viewport: PHONE });
    await tab.page.goto(`/registrar/${other}#${token}`);
    await tab.page.locator('.address-warning').getByText(WARNING.zh).waitFor(SHORT);
    await screenshot(tab.page, 'first-use-address-warning-registrar-zh-phone');
    expect(await tab.page.title()).toBe('登记员 · 院落委员会投票 — 公示 gongshi');
    await tab.context.close();
  });

  test('started with --public-url https://vote.example.org, no page warns, and the notice prints that address', async () => {
    const owner = await organiser(named);
    const poll: string = (await owner.post('/api/polls', { draft: courtyardDraft() })).body.id;
    const tab = await organiserTab(named, 'en', poll);
    const { page } = tab;
    await page.goto(`/organiser/polls/${poll}`);
    await page.getByRole('button', { name: 'Publish the poll', exact: true }).waitFor();
    await page.getByRole('heading', { name: 'All steps' }).waitFor();
    expect(await page.locator('.address-warning').count()).toBe(0);
    expect((await owner.post(`/api/polls/${poll}/publish`)).status).toBe(200);
    await page.goto(`/organiser/polls/${poll}/voters`);
    await page.getByRole('heading', { name: 'Your list of voters', exact: true }).waitFor();
    expect(await page.locator('.address-warning').count()).toBe(0);
    await page.goto(`/organiser/polls/${poll}/notice`);
    await page.getByText(`https://vote.example.org/poll/${poll}/vote`).first().waitFor(SHORT);
    expect(await page.locator('.address-warning').count()).toBe(0);
    await tab.context.close();
  });
});

describe('a poll whose key is ready (issue 15, item 3)', () => {
  test('in Chinese, neither the organiser’s page nor the poll page says voting can start', async () => {
    const { poll } = await openPoll(web.site, { voters: 1, open: false, seed: 'ready words' });
    const tab = await organiserTab(web.site, 'zh', poll);
    const { page } = tab;
    await page.goto(`/organiser/polls/${poll}`);
    await page.getByText('密钥已就绪').first().waitFor(SHORT);
    expect(await page.locator('body').innerText()).not.toContain('可以开始投票');
    await looked(tab, 'ready-organiser-zh-phone');
    await page.goto('/organiser');
    await page.getByText('密钥已就绪').first().waitFor(SHORT);
    expect(await page.locator('body').innerText()).not.toContain('可以开始投票');
    await page.goto(`/poll/${poll}`);
    await page.getByText('密钥已就绪').first().waitFor(SHORT);
    expect(await page.locator('body').innerText()).not.toContain('可以开始投票');
    await screenshot(page, 'first-use-ready-poll-page-zh-phone');
    await tab.context.close();
  });
});

describe('a trustee’s key file (issue 15, item 6)', () => {
  test('trustee 2 loads trustee 1’s key file: the page names trustee 1’s file, not a wrong passphrase, in English and Chinese; the toggle shows the passphrase', async () => {
    const draft = { ...courtyardDraft(), trustees: { t: 2, n: 3, names: ['Ms Li', 'Mr Sun (Building 3)', 'Ms Zhao'] } };
    const { owner, poll, trustees } = await openPoll(web.site, { voters: 1, open: false, draft, seed: 'other trustee' });
    const state = await replayBoard(owner, poll);
    const outcome = state.ceremony!.outcome!;
    const first = trustees[0];
    const file = join(folder, 'trustee-1.key');
    writeFileSync(
      file,
      await createKeyFile(
        { params: state.ceremony!.params, index: 1, signing: first.secrets!.signing, encryption: first.secrets!.encryption, keyShare: first.keyShare!, jointKey: outcome.jointKey!, transcript: outcome.transcript, seen: await seenBoard(owner, poll) },
        'plum blossom on the old wall',
        { logN: 14 },
      ),
    );
    const links = (await owner.post(`/api/polls/${poll}/invites`)).body.invites as { trustee: number; token: string }[];
    const second = `/trustee/${poll}#${links[1].token}`;
    const words = {
      en: { file: 'Your key file (ends in .key)', passphrase: 'Your passphrase', show: 'Show what I type', button: 'Check my key', other: 'This is the key file of trustee 1 (Ms Li), not yours', wrong: 'That passphrase does not open' },
      zh: { file: '您的密钥文件（以 .key 结尾）', passphrase: '您的口令', show: '显示我输入的内容', button: '核对我的密钥', other: '这是第 1 位监票人（Ms Li）的密钥文件，不是您的', wrong: '这个口令打不开' },
    };
    for (const lang of ['en', 'zh'] as const) {
      const w = words[lang];
      const tab = await openTab(web.browser, web.site.base, { locale: locale(lang), viewport: PHONE });
      const { page } = tab;
      await page.goto(second);
      await page.getByLabel(w.file).setInputFiles(file, { timeout: 60_000 });
      await page.getByLabel(w.passphrase, { exact: true }).fill('my own passphrase');
      await page.getByRole('button', { name: w.button }).click();
      const alert = page.getByRole('alert').filter({ hasText: w.other });
      await alert.waitFor(SHORT);
      expect(await alert.textContent()).not.toContain(w.wrong);
      // The toggle shows what she typed.
      await page.getByLabel(w.show).first().check(SHORT);
      expect(await page.getByLabel(w.passphrase, { exact: true }).getAttribute('type')).toBe('text');
      expect(await page.getByLabel(w.passphrase, { exact: true }).inputValue()).toBe('my own passphrase');
      await looked(tab, `other-trustee-file-${lang}-phone`);
      await tab.context.close();
    }
  });
});

describe('the smaller ones of issue 15', () => {
  test('a used setup link says so at once, without showing the form', async () => {
    await organiser(web.site); // the README's first step: the link is used
    for (const lang of ['en', 'zh'] as const) {
      const tab = await openTab(web.browser, web.site.base, { locale: locale(lang), viewport: PHONE });
      await tab.page.goto(`/setup#${web.site.app.setupToken}`);
      await tab.page.getByRole('alert').filter({ hasText: lang === 'en' ? 'This setup link has already been used' : '这个设置链接已经用过了' }).waitFor(SHORT);
      expect(await tab.page.locator('input[type=password]').count()).toBe(0);
      await looked(tab, `setup-used-${lang}-phone`);
      await tab.context.close();
    }
  });

  test('the editor’s list of problems is at the top of the form and announced when she saves', async () => {
    await organiser(web.site);
    const tab = await openTab(web.browser, web.site.base, { locale: 'en-GB', viewport: PHONE });
    const { page } = tab;
    await signIn(page, 'en');
    await page.goto('/organiser/new');
    await page.getByRole('button', { name: 'Save the draft', exact: true }).click();
    const alert = page.getByRole('alert').filter({ hasText: 'Please fix what is marked below' });
    await alert.waitFor();
    const about = await page.getByRole('heading', { name: 'About the poll' }).boundingBox();
    expect((await alert.boundingBox())!.y).toBeLessThan(about!.y);
    await tab.context.close();
  });

  test('the publish dialog shows the questions; the restart button waits for a trustee; the voter-codes page after voting; the trustee page names the draft’s poll', async () => {
    const owner = await organiser(web.site);
    const poll: string = (await owner.post('/api/polls', { draft: courtyardDraft() })).body.id;
    const links = (await owner.post(`/api/polls/${poll}/invites`)).body.invites as { trustee: number; token: string }[];
    const trustee = await openTab(web.browser, web.site.base, { locale: 'zh-CN', viewport: PHONE });
    await trustee.page.goto(`/trustee/${poll}#${links[0].token}`);
    await trustee.page.getByText('院落委员会投票').first().waitFor(SHORT);
    await trustee.page.getByText('您是第 1 位监票人：Trustee 1。').waitFor(SHORT);
    await looked(trustee, 'trustee-draft-zh-phone');
    await trustee.context.close();

    const tab = await organiserTab(web.site, 'en', poll);
    const { page } = tab;
    await page.goto(`/organiser/polls/${poll}`);
    await page.getByRole('button', { name: 'Publish the poll', exact: true }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByText('Gate colour?').waitFor(SHORT);
    await dialog.getByText('Spend up to 700 on:').waitFor();
    await screenshot(page, 'first-use-publish-dialog-en-phone');
    await dialog.getByRole('button', { name: 'Yes, publish' }).click();
    await page.getByText('Step 1 of 6 (attempt 1):').waitFor();
    expect(await page.getByRole('button', { name: 'Start the ceremony again' }).count()).toBe(0);
    await tab.context.close();

    const done = await openPoll(web.site, { voters: 1, open: true, seed: 'closed roll' });
    expect((await done.owner.post(`/api/polls/${done.poll}/close`)).status).toBe(200);
    const zh = await organiserTab(web.site, 'zh', done.poll);
    await zh.page.goto(`/organiser/polls/${done.poll}/voters`);
    await zh.page.getByText('投票已经结束，不能再添加投票人。').waitFor(SHORT);
    expect(await zh.page.locator('body').innerText()).not.toContain('隐私从设计开始');
    await looked(zh, 'voters-closed-zh-phone');
    await zh.context.close();
  });

  test('tab titles: the organiser’s pages name themselves and the poll; the trustee’s tab says first when it is her turn', async () => {
    const owner = await organiser(web.site);
    const poll: string = (await owner.post('/api/polls', { draft: courtyardDraft({ t: 1, n: 1 }) })).body.id;
    const tab = await organiserTab(web.site, 'en', poll);
    await tab.page.goto(`/organiser/polls/${poll}`);
    await expect.poll(() => tab.page.title(), SHORT).toBe('Organiser · Courtyard committee poll — 公示 gongshi');
    await tab.context.close();

    const links = (await owner.post(`/api/polls/${poll}/invites`)).body.invites as { trustee: number; token: string }[];
    const trustee = await openTab(web.browser, web.site.base, { locale: 'en-GB', viewport: PHONE });
    const { page } = trustee;
    await page.goto(`/trustee/${poll}#${links[0].token}`);
    await expect.poll(() => page.title(), SHORT).toBe('Trustee’s page · Courtyard committee poll — 公示 gongshi');
    expect((await owner.post(`/api/polls/${poll}/publish`)).status).toBe(200);
    await page.getByRole('heading', { name: 'Step 6: save your key file' }).waitFor({ timeout: 60_000 });
    await expect.poll(() => page.title(), SHORT).toBe('● Your turn: save your key file · Courtyard committee poll — 公示 gongshi');
    await page.getByLabel('Passphrase (at least 10 characters)').fill('plum blossom on the old wall');
    await page.getByLabel('Type the passphrase again').fill('plum blossom on the old wall');
    await page.getByRole('button', { name: 'Make my key file' }).click();
    await page.getByRole('link', { name: 'Save my key file' }).waitFor({ timeout: 60_000 });
    await page.getByLabel('I have saved my key file and I know my passphrase').check();
    await page.getByRole('button', { name: 'Sign the key' }).click();
    await page.getByText('The poll’s key is made.').waitFor({ timeout: 60_000 });
    await expect.poll(() => page.title(), SHORT).toBe('Trustee’s page · Courtyard committee poll — 公示 gongshi');
    await trustee.context.close();
  });
});
