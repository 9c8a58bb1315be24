/**
 * The booth with the keyboard alone, as a resident who cannot use a mouse or a touch screen would:
 * Tab to move, Space to tick, Enter to press. After each step the focus starts at the new step, so
 * a screen reader reads it. She votes, casts, and sees her receipt check pass.
 */
import { describe, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { openPoll } from '../server/support.ts';
import { PHONE, browserAndSite, openTab, screenshot } from './support.ts';

const web = browserAndSite();

/** The focused element's role-ish kind and name, as a screen reader would announce it. */
const focused = (page: Page) =>
  page.evaluate(() => {
    const e = document.activeElement as HTMLElement | null;
    if (!e) return { kind: '', name: '' };
    const input = e as HTMLInputElement;
    const kind = e.tagName === 'INPUT' ? input.type : e.tagName.toLowerCase();
    const name = e.getAttribute('aria-label') ?? (input.labels?.[0]?.textContent ?? e.textContent ?? '');
    return { kind, name: name.replace(/\s+/g, ' ').trim() };
  });

/** Presses Tab until the focus is on an element of `kind` whose name matches; fails after 40 presses. */
async function tabTo(page: Page, kind: string, name: RegExp): Promise<void> {
  for (let i = 0; i < 40; i++) {
    await page.keyboard.press('Tab');
    const f = await focused(page);
    if (f.kind === kind && name.test(f.name)) return;
  }
  throw new Error(`no ${kind} named ${name} reached with Tab`);
}

describe('the booth by keyboard alone', () => {
  test('a resident answers, seals, casts and sees her receipt check pass without a mouse', async () => {
    const { owner, poll, voters } = await openPoll(web.site, { voters: 1, seed: 'keyboard voter' });
    const { page, problems, context } = await openTab(web.browser, web.site.base, { viewport: PHONE, locale: 'en-GB' });
    await page.goto(`/poll/${poll}/vote#${voters[0].code}`);
    await page.getByRole('heading', { name: 'Your code is registered', exact: true }).waitFor();

    await tabTo(page, 'button', /^Start voting$/);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Question 1 of 3', exact: true }).waitFor();
    await expect.poll(() => focused(page)).toEqual({ kind: 'h2', name: 'Question 1 of 3' });
    // Tab enters a radio group once; the arrow keys move within it and choose.
    await tabTo(page, 'radio', /Red/);
    await page.keyboard.press('ArrowDown');
    expect(await focused(page)).toEqual({ kind: 'radio', name: 'Green' });
    expect(await page.getByRole('radio', { name: 'Green', exact: true }).isChecked()).toBe(true);
    await tabTo(page, 'button', /^Next question$/);
    await page.keyboard.press('Enter');

    await page.getByRole('heading', { name: 'Question 2 of 3', exact: true }).waitFor();
    await tabTo(page, 'checkbox', /Calligraphy/);
    await page.keyboard.press('Space');
    await tabTo(page, 'button', /^Next question$/);
    await page.keyboard.press('Enter');

    await page.getByRole('heading', { name: 'Question 3 of 3', exact: true }).waitFor();
    await tabTo(page, 'checkbox', /Plants/);
    await page.keyboard.press('Space');
    await tabTo(page, 'button', /^Review my answers$/);
    await page.keyboard.press('Enter');

    await page.getByRole('heading', { name: 'Check your answers', exact: true }).waitFor();
    await expect.poll(() => focused(page)).toEqual({ kind: 'h2', name: 'Check your answers' });
    await tabTo(page, 'button', /^Seal my ballot$/);
    await page.keyboard.press('Enter');
    await page.getByRole('button', { name: 'Cast my ballot', exact: true }).waitFor({ timeout: 60_000 });
    await tabTo(page, 'button', /^Cast my ballot$/);
    await page.keyboard.press('Enter');
    await page.getByText('Every check passed.').waitFor({ timeout: 60_000 });
    await screenshot(page, 'keyboard-cast-en-phone');

    const turnout = (await owner.get(`/api/polls/${poll}`)).body.turnout;
    expect(turnout.voters).toBe(1);
    expect(problems).toEqual([]);
    await context.close();
  });
});
