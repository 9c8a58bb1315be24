/**
 * Several organisers in a real browser against a real server: the first invites a second from the
 * Organisers page (a one-time link with copy and QR), the second accepts it on a phone in Chinese and
 * sees the same polls; a used invitation says so at once; the second changes her password (a wrong
 * current one refused) and the old one is then refused at sign-in; sign out everywhere ends a session
 * on another device; a reset link printed by `gongshi admin reset-password` names her and sets a new
 * password. Each screen in English and Chinese, desktop and phone: axe, no missing key,
 * no console problem, screenshots.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { DESKTOP, PHONE, axe, launchBrowser, missingKeys, openTab, screenshot, startSite, type Tab } from './support.ts';
import { Client, ORGANISER, courtyardDraft, organiser, type Running } from '../server/support.ts';

let browser: Browser;
let site: Running;
let first: Client; // the first organiser's own client, over HTTP
let pollId: string;
const SECOND = { name: '王会计', password: '蓝色水壶在炉子上烧开水了' };
const NEW_PASSWORD = 'a fresh password for the treasurer';

beforeAll(async () => {
  [browser, site] = await Promise.all([launchBrowser(), startSite()]);
  first = await organiser(site);
  const created = await first.post('/api/polls', { draft: courtyardDraft({ title: 'Repaint the gate' }) });
  expect(created.status).toBe(201);
  pollId = created.body.id;
});
afterAll(async () => {
  await browser?.close();
  await site?.close();
});

const heading = (page: Page, name: string) => page.getByRole('heading', { name, exact: true });
const label = (page: Page, name: string) => page.getByLabel(name, { exact: true });
const button = (page: Page, name: string) => page.getByRole('button', { name, exact: true });
const link = (page: Page, name: string) => page.getByRole('link', { name, exact: true });

/**
 * The page passes axe, shows no missing key, is no wider than the screen, has no console problem, and
 * is photographed as `accounts-<name>-<lang>-<device>`.
 */
async function looked(page: Page, problems: string[], name: string, lang: 'en' | 'zh', device: 'desktop' | 'phone') {
  expect(await missingKeys(page)).toEqual([]);
  expect(await axe(page)).toEqual([]);
  expect(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBeLessThanOrEqual(1);
  await screenshot(page, `accounts-${name}-${lang}-${device}`);
  expect(problems).toEqual([]);
}

/** Looks at the screen in both languages, on a desktop and a phone, then goes back to English on the desktop. */
async function everyWay(tab: Tab, name: string) {
  const { page, problems } = tab;
  for (const device of ['desktop', 'phone'] as const) {
    await page.setViewportSize(device === 'phone' ? PHONE : DESKTOP);
    await looked(page, problems, name, 'en', device);
    await page.getByRole('button', { name: '切换到中文' }).click();
    await expect.poll(() => page.locator('html').getAttribute('lang')).toBe('zh-CN');
    await looked(page, problems, name, 'zh', device);
    await page.getByRole('button', { name: 'Switch to English' }).click();
    await expect.poll(() => page.locator('html').getAttribute('lang')).toBe('en');
  }
  await page.setViewportSize(DESKTOP);
}

async function signIn(page: Page, who: { name: string; password: string }) {
  await page.goto('/organiser');
  await heading(page, 'Organiser sign-in').waitFor();
  await label(page, 'Name').fill(who.name);
  await label(page, 'Password').fill(who.password);
  await button(page, 'Sign in').click();
}

describe('several organisers', () => {
  let invitation: string;

  test('the first organiser invites another from the Organisers page: a one-time link with copy and QR', async () => {
    const tab = await openTab(browser, site.base);
    const { page, context } = tab;
    await signIn(page, ORGANISER);
    await heading(page, 'Your polls').waitFor();
    await page.getByText(`by ${ORGANISER.name}`).waitFor();
    await link(page, 'Organisers').click();
    await heading(page, 'Organisers').waitFor();
    await expect.poll(() => page.locator('ul.organisers li').allInnerTexts()).toEqual([expect.stringContaining(ORGANISER.name)]);
    await everyWay(tab, 'organisers');
    await button(page, 'Invite an organiser').click();
    await heading(page, 'Invitation link').waitFor();
    invitation = await label(page, 'One-time invitation link').inputValue();
    expect(invitation).toMatch(new RegExp(`^${site.base}/join#[A-Za-z0-9_-]{43}$`));
    await page.getByText('Show the QR code').click();
    await page.getByRole('img', { name: 'QR code of the invitation link' }).waitFor();
    await everyWay(tab, 'invite-link');
    await context.close();
  });

  test('the invitee accepts on a phone in Chinese, is signed in, and sees the same polls; the used link says so at once', async () => {
    const tab = await openTab(browser, site.base, { locale: 'zh-CN', viewport: PHONE });
    const { page, problems, context } = tab;
    await page.goto(invitation.slice(site.base.length));
    await heading(page, '成为组织者').waitFor();
    expect(new URL(page.url()).hash).toBe('');
    await looked(page, problems, 'join', 'zh', 'phone');
    await label(page, '您的名字（用于登录）').fill(ORGANISER.name);
    await label(page, '密码').fill(SECOND.password);
    await label(page, '再次输入密码').fill(SECOND.password);
    await button(page, '加入').click();
    // a name another organiser has: refused, and the link still works
    await page.getByRole('alert').filter({ hasText: '已有组织者使用这个名字' }).waitFor();
    await looked(page, problems, 'join-name-taken', 'zh', 'phone');
    await label(page, '您的名字（用于登录）').fill(SECOND.name);
    await button(page, '加入').click();
    await heading(page, '完成').waitFor();
    await page.getByText(`您现在是组织者了，已作为 ${SECOND.name} 登录。`).waitFor();
    await looked(page, problems, 'join-done', 'zh', 'phone');
    await link(page, '前往我的投票').click();
    await heading(page, '我的投票').waitFor();
    await page.getByText(`${ORGANISER.name} 创建于`).waitFor();
    await link(page, 'Repaint the gate').or(link(page, '院落委员会投票')).first().waitFor();
    await looked(page, problems, 'polls-second', 'zh', 'phone');
    await context.close();

    const again = await openTab(browser, site.base, { locale: 'zh-CN', viewport: PHONE });
    await again.page.goto(invitation.slice(site.base.length));
    await again.page.getByRole('alert').filter({ hasText: '这个邀请链接已经用过或已过期' }).waitFor();
    await expect(again.page.getByLabel('密码', { exact: true }).count()).resolves.toBe(0);
    await looked(again.page, again.problems, 'join-used', 'zh', 'phone');
    await again.context.close();

    // both organisers see the same polls, each with who made it
    const names = (await first.get('/api/organisers')).body.organisers.map((o: { name: string }) => o.name);
    expect(names).toEqual([ORGANISER.name, SECOND.name]);
    expect((await first.get('/api/organiser/polls')).body.polls.map((p: { id: string; madeBy: string }) => [p.id, p.madeBy])).toEqual([[pollId, ORGANISER.name]]);
  });

  test('she changes her password (a wrong current one refused); her other device is signed out; the old password is refused', async () => {
    const other = new Client(site.base);
    expect((await other.post('/api/session', SECOND)).status).toBe(201);
    const tab = await openTab(browser, site.base);
    const { page, problems, context } = tab;
    await signIn(page, SECOND);
    await heading(page, 'Your polls').waitFor();
    await link(page, 'Your account').click();
    await heading(page, 'Your account').waitFor();
    await everyWay(tab, 'account');
    await label(page, 'Current password').fill('not my password at all');
    await label(page, 'New password').fill(NEW_PASSWORD);
    await label(page, 'New password again').fill(NEW_PASSWORD);
    await button(page, 'Change the password').click();
    await page.getByRole('alert').filter({ hasText: 'The current password is wrong. Nothing was changed.' }).waitFor();
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('account-current');
    await looked(page, problems, 'account-wrong-current', 'en', 'desktop');
    expect((await other.get('/api/session')).status).toBe(200);
    await label(page, 'Current password').fill(SECOND.password);
    await button(page, 'Change the password').click();
    await page.getByRole('status').filter({ hasText: 'Your password is changed.' }).waitFor();
    await looked(page, problems, 'account-changed', 'en', 'desktop');
    expect((await other.get('/api/session')).status).toBe(401);
    await button(page, 'Sign out').click();
    await heading(page, 'Organiser sign-in').waitFor();
    await label(page, 'Name').fill(SECOND.name);
    await label(page, 'Password').fill(SECOND.password);
    await button(page, 'Sign in').click();
    await page.getByRole('alert').filter({ hasText: 'The name or the password is wrong.' }).waitFor();
    await looked(page, problems, 'old-password-refused', 'en', 'desktop');
    await label(page, 'Password').fill(NEW_PASSWORD);
    await expect.poll(() => label(page, 'Password').inputValue()).toBe(NEW_PASSWORD);
    await label(page, 'Password').press('Enter');
    // signed in again where she signed out: her account page
    await heading(page, 'Your account').waitFor();
    expect(problems).toEqual([]);
    await context.close();
  });

  test('sign out everywhere asks first, then ends her sessions on this device and another', async () => {
    const other = new Client(site.base);
    expect((await other.post('/api/session', { name: SECOND.name, password: NEW_PASSWORD })).status).toBe(201);
    const tab = await openTab(browser, site.base, { locale: 'zh-CN', viewport: PHONE });
    const { page, problems, context } = tab;
    await page.goto('/organiser');
    await label(page, '名字').fill(SECOND.name);
    await label(page, '密码').fill(NEW_PASSWORD);
    await button(page, '登录').click();
    await heading(page, '我的投票').waitFor();
    await page.goto('/organiser/account');
    await heading(page, '我的账户').waitFor();
    await button(page, '在所有设备上退出登录').click();
    await page.getByRole('dialog').waitFor();
    await looked(page, problems, 'everywhere-confirm', 'zh', 'phone');
    await button(page, '全部退出登录').click();
    await heading(page, '组织者登录').waitFor();
    expect((await other.get('/api/session')).status).toBe(401);
    const cookie = (await context.cookies()).map((c) => `${c.name}=${c.value}`).join('; ');
    expect((await fetch(`${site.base}/api/session`, { headers: { cookie } })).status).toBe(401);
    // the first organiser is still signed in
    expect((await first.get('/api/session')).status).toBe(200);
    expect(problems).toEqual([]);
    await context.close();
  });

  test('a reset link printed by gongshi admin names her, sets a new password and signs her in; the old one is refused', async () => {
    const child = spawn(process.execPath, ['server/bin/gongshi.js', 'admin', 'reset-password', SECOND.name, '--data', site.dataDir, '--public-url', site.base], {
      cwd: resolve(import.meta.dirname, '../..'),
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    expect((await once(child, 'close'))[0]).toBe(0);
    const resetLink = new RegExp(`${site.base}/reset-password#[A-Za-z0-9_-]{43}`).exec(out)![0];

    const tab = await openTab(browser, site.base);
    const { page, problems, context } = tab;
    await page.goto(resetLink.slice(site.base.length));
    await heading(page, 'Choose a new password').waitFor();
    await page.getByText(`Choose a new password for ${SECOND.name}.`).waitFor();
    await everyWay(tab, 'reset');
    await label(page, 'Password').fill('the password after the reset');
    await label(page, 'Password again').fill('the password after the reset');
    await button(page, 'Set the new password').click();
    await page.getByText(`The new password is set, and you are signed in as ${SECOND.name}.`).waitFor();
    await looked(page, problems, 'reset-done', 'en', 'desktop');
    expect((await new Client(site.base).post('/api/session', { name: SECOND.name, password: NEW_PASSWORD })).status).toBe(401);
    expect((await new Client(site.base).post('/api/session', { name: SECOND.name, password: 'the password after the reset' })).status).toBe(201);
    await context.close();
  });
});
