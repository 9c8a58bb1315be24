/**
 * The frame of every page in a real browser: the language follows the browser, can be switched and
 * is remembered; the poll list passes axe-core; nothing fails in the console or against the CSP.
 */
import { describe, expect, test } from 'vitest';
import { PHONE, axe, browserAndSite, missingKeys, openTab, screenshot } from './support.ts';

const web = browserAndSite();

describe('the frame', () => {
  test('a Chinese browser gets Chinese; switching to English is remembered after a reload', async () => {
    const { page, problems, context } = await openTab(web.browser, web.site.base, { locale: 'zh-CN', viewport: PHONE });
    await page.goto('/');
    await expect.poll(() => page.locator('html').getAttribute('lang')).toBe('zh-CN');
    await page.getByRole('navigation').getByRole('link', { name: '投票', exact: true }).waitFor();
    await screenshot(page, 'frame-poll-list-zh-phone');
    await page.getByRole('button', { name: 'Switch to English' }).click();
    await page.getByRole('navigation').getByRole('link', { name: 'Polls', exact: true }).waitFor();
    await page.reload();
    await page.getByRole('navigation').getByRole('link', { name: 'Polls', exact: true }).waitFor();
    expect(await page.locator('html').getAttribute('lang')).toBe('en');
    expect(await missingKeys(page)).toEqual([]);
    expect(await axe(page)).toEqual([]);
    expect(problems).toEqual([]);
    await context.close();
  });

  test('an English browser gets English; an unknown address says so', async () => {
    const { page, problems, context } = await openTab(web.browser, web.site.base, { locale: 'en-US' });
    await page.goto('/no/such/page');
    await page.getByRole('heading', { name: 'There is no page at this address.' }).waitFor();
    expect(problems).toEqual([]);
    await context.close();
  });
});
