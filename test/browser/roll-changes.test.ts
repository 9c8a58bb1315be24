/**
 * Roll changes in the browser (spec §B.4.6.1, §B.4.6.8), on an OPEN poll whose registrar is the
 * organiser (her tab holds the test registrar key): she adds a voter through the voter-codes page, who
 * votes in the booth; a resident lost her sheet, so she picks her from the saved mail-merge file and
 * replaces her code (the list upload fails once after the revocation: the page says so, keeps the new
 * code and lists it on "Try again"); the new sheet prints; in the booth the old code gets its own
 * message, Check my code shows it revoked, the new code votes; a code that has voted is refused with
 * the explanation and nothing is written, and a server hiding that vote from the entries is caught (the
 * board does not replay against its signed checkpoint); the poll page counts the changes. The check
 * asks the server only for the checkpoint and entries. A registrar of her own does the same with her link before
 * opening (weight 2 kept, her own routes, her print view). English and Chinese where words matter;
 * phone screenshots.
 */
import { readFileSync } from 'node:fs';
import type { Page, Route } from 'playwright-core';
import { describe, expect, test } from 'vitest';
import { deriveCredential, encodePoint, fromHex, toHex } from '../../crypto/index.ts';
import { messages, type MessageKey } from '../../client/src/i18n/index.ts';
import { mailMergeCsv } from '../../client/src/organiser/mail-merge.ts';
import { decodeEntry, registrarPublicKey } from '../../bulletin-board/index.ts';
import { Client, ORGANISER, TEST_REGISTRAR_SEED, Voter, courtyardDraft, credentialsBody, dumpDatabase, hex, openPoll, organiser, type Running } from '../server/support.ts';
import { seededRandom } from '../../crypto/index.ts';
import { DESKTOP, PHONE, axe, browserAndSite, missingKeys, openTab, screenshot, type Tab } from './support.ts';

const web = browserAndSite();
type Lang = 'en' | 'zh';
const locale = (lang: Lang) => (lang === 'en' ? 'en-GB' : 'zh-CN');

function say(lang: Lang, key: MessageKey, vars: Record<string, string | number> = {}): string {
  return messages[lang][key].replace(/\{(\w+)\}/g, (_, name: string) => String(vars[name]));
}
/** The words of `key` before its first {placeholder} (a date the page writes in its own format). */
const sayStart = (lang: Lang, key: MessageKey) => messages[lang][key].split('{')[0];
const button = (page: Page, name: string) => page.getByRole('button', { name, exact: true });
const heading = (page: Page, name: string, timeout = 30_000) => page.getByRole('heading', { name, exact: true }).waitFor({ timeout });

/** No missing key, no serious axe violation, no console problem, nothing wider than the screen; a screenshot. */
async function looked(tab: Tab, name: string): Promise<void> {
  expect(await missingKeys(tab.page), name).toEqual([]);
  expect(await axe(tab.page), name).toEqual([]);
  expect(tab.problems, name).toEqual([]);
  expect(await tab.page.evaluate(() => document.documentElement.scrollWidth), name).toBeLessThanOrEqual(tab.page.viewportSize()!.width);
  await screenshot(tab.page, `roll-${name}`);
}

/** The organiser, signed in, her device holding the test registrar key of `poll`. */
async function organiserTab(site: Running, lang: Lang, poll: string, viewport = PHONE): Promise<Tab> {
  const tab = await openTab(web.browser, site.base, { locale: locale(lang), viewport });
  await tab.page.addInitScript(([p, seed]) => localStorage.setItem(`gongshi.registrar.${p}`, seed), [poll, hex(TEST_REGISTRAR_SEED)]);
  await tab.page.goto('/organiser');
  await tab.page.getByLabel(say(lang, 'organiser.signIn.name'), { exact: true }).fill(ORGANISER.name);
  await tab.page.getByLabel(say(lang, 'organiser.signIn.password'), { exact: true }).fill(ORGANISER.password);
  await button(tab.page, say(lang, 'organiser.signIn.submit')).click();
  await heading(tab.page, say(lang, 'organiser.polls.title'));
  return tab;
}

/** In the booth with `code`: answers the courtyard poll's three questions, seals and casts. */
async function voteWith(tab: Tab, poll: string, code: string): Promise<void> {
  const { page } = tab;
  await page.goto(`/poll/${poll}/vote#${code}`);
  await heading(page, say('en', 'booth.step.ready'));
  await button(page, say('en', 'booth.ready.start')).click();
  await heading(page, say('en', 'booth.step.question', { n: 1, count: 3 }));
  await page.getByRole('radio', { name: 'Red' }).check();
  await button(page, say('en', 'booth.nav.next')).click();
  await page.getByRole('checkbox', { name: 'Calligraphy' }).check();
  await button(page, say('en', 'booth.nav.next')).click();
  await page.getByRole('checkbox', { name: /Plants/ }).check();
  await button(page, say('en', 'booth.nav.review')).click();
  await button(page, say('en', 'booth.review.seal')).click();
  await heading(page, say('en', 'booth.step.tracker'), 90_000);
  await button(page, say('en', 'booth.tracker.cast')).click();
  await heading(page, say('en', 'booth.step.cast'), 60_000);
}

const keyOf = (v: Voter) => toHex(encodePoint(v.credential.publicKey));
/** The credential of `code` in `poll` as the API names it (§C.4). */
const keyOfCode = (poll: string, code: string) => toHex(encodePoint(deriveCredential(code, fromHex(poll, 'poll')).publicKey));
/** A sentence of the dictionary as a pattern: its {placeholders} given, or any text. */
function sentence(lang: Lang, key: MessageKey, vars: Record<string, string | number>): RegExp {
  const escaped = messages[lang][key].replace(/[.*+?^$()|[\]\\]/g, '\\$&');
  return new RegExp(escaped.replace(/\\?\{(\w+)\\?\}/g, (_, name: string) => (name in vars ? String(vars[name]) : '.+')));
}

describe('roll changes on an open poll', () => {
  test('a voter added while open votes; a lost code is replaced (revoked first, then listed, with Try again); the old code is refused and shown revoked; a code that voted cannot be replaced; the poll page counts the changes', async () => {
    const { owner, poll, voters } = await openPoll(web.site, { voters: 2, seed: 'roll changes in the browser' });
    const org = await organiserTab(web.site, 'en', poll);
    const { page } = org;

    // 1. A household that moved in after opening: the page says voters added now are on the board with the time.
    await page.goto(`/organiser/polls/${poll}/voters`);
    await page.getByText(say('en', 'organiser.roll.openNow')).waitFor();
    await heading(page, say('en', 'organiser.roll.chooseTitle'));
    await looked(org, 'voters-open-en-phone');
    await page.getByLabel(say('en', 'organiser.roll.paste'), { exact: true }).fill('Ms Newcomer');
    await button(page, say('en', 'organiser.roll.readPasted')).click();
    await button(page, say('en', 'organiser.roll.generate', { count: 1 })).click();
    await heading(page, say('en', 'organiser.roll.madeTitle', { count: 1 }));
    const [csv] = await Promise.all([page.waitForEvent('download'), button(page, say('en', 'organiser.roll.export')).click()]);
    const newcomerCode = readFileSync((await csv.path())!, 'utf8').slice(1).trim().split('\r\n')[1].split(',')[1];
    await button(page, say('en', 'organiser.roll.register', { count: 1 })).click();
    await page.getByRole('status').filter({ hasText: say('en', 'organiser.roll.registered', { count: 1, listed: 3 }) }).waitFor();
    expect((await owner.get(`/api/polls/${poll}`)).body.roll.at(-1)).toMatchObject({ added: 1, revoked: 0, whileOpen: true });

    const booth = await openTab(web.browser, web.site.base, { locale: 'en-GB', viewport: PHONE });
    await voteWith(booth, poll, newcomerCode);

    // 2. 王秀英 (voter 0, never voted) lost her sheet: picked from the saved mail-merge file.
    const lost = voters[0];
    const file = mailMergeCsv([
      { name: '王秀英', code: lost.code, link: `${web.site.base}/poll/${poll}/vote#${lost.code}` },
      { name: 'Li Wei', code: voters[1].code, link: `${web.site.base}/poll/${poll}/vote#${voters[1].code}` },
      { name: 'Ms Newcomer', code: newcomerCode, link: `${web.site.base}/poll/${poll}/vote#${newcomerCode}` },
    ]);
    await page.getByLabel(say('en', 'organiser.replace.file'), { exact: true }).setInputFiles({ name: 'voter-codes.csv', mimeType: 'text/csv', buffer: Buffer.from(file, 'utf8') });
    await page.getByText(say('en', 'organiser.replace.fileRead', { count: 3 })).waitFor();
    await page.getByLabel(say('en', 'organiser.replace.pick'), { exact: true }).selectOption({ label: '王秀英' });
    expect(await page.getByLabel(say('en', 'organiser.replace.code'), { exact: true }).inputValue()).toBe(lost.code);
    // The device reads the board itself: it asks only for the checkpoint and entries, never the server's word on her code.
    const asked: string[] = [];
    const record = (r: { url: () => string }) => asked.push(r.url());
    page.on('request', record);
    await button(page, say('en', 'organiser.replace.check')).click();
    await page.getByRole('status').filter({ hasText: say('en', 'organiser.replace.ok', { weight: 1 }) }).waitFor({ timeout: 60_000 });
    page.off('request', record);
    expect(asked.length).toBeGreaterThan(0);
    for (const url of asked) expect(url).toMatch(new RegExp(`/api/polls/${poll}/(checkpoint|entries\\?from=\\d+&limit=\\d+)$`));
    expect(asked.join(' ')).not.toContain(keyOf(lost));
    await looked(org, 'replace-ok-en-phone');
    await button(page, say('en', 'organiser.replace.replace')).click();
    const dialog = page.getByRole('dialog', { name: say('en', 'organiser.replace.confirmTitle', { name: '王秀英' }) });
    await dialog.waitFor();
    await screenshot(page, 'roll-replace-confirm-en-phone');

    // The list upload fails once, after the revocation went through: said plainly, the new code kept.
    let failOnce = true;
    await page.route('**/api/polls/*/credentials', async (route) => {
      if (failOnce && route.request().method() === 'POST') {
        failOnce = false;
        await route.abort('connectionreset');
      } else await route.continue();
    });
    await dialog.getByRole('button', { name: say('en', 'organiser.replace.confirm'), exact: true }).click();
    await page.getByRole('alert').filter({ hasText: say('en', 'organiser.replace.listFailed') }).waitFor({ timeout: 30_000 });
    const revokedAt = (await owner.get(`/api/polls/${poll}/credentials/${keyOf(lost)}`)).body;
    expect(revokedAt.error).toBe('REVOKED'); // revoked FIRST: the old code is dead before the new one exists on the board
    expect((await owner.get(`/api/polls/${poll}`)).body.turnout.listed).toBe(2);
    const newCode = ((await page.locator('p.new-code').textContent()) ?? '').match(/[0-9A-Z]{4}(?:-[0-9A-Z]{4}){5}/)![0];
    org.problems.splice(0); // the aborted request is logged by Chromium as a console error
    await looked(org, 'replace-list-failed-en-phone');
    await button(page, say('en', 'organiser.replace.tryAgain')).click();
    await page.getByRole('status').filter({ hasText: say('en', 'organiser.replace.done', { name: '王秀英' }) }).waitFor({ timeout: 30_000 });
    expect((await owner.get(`/api/polls/${poll}`)).body.turnout.listed).toBe(3);
    expect(await page.getByText(say('en', 'organiser.replace.onlyHere')).count()).toBe(1);
    await looked(org, 'replace-done-en-phone');

    // Her one new sheet, in the sheets' layout, with the address check.
    await page.getByRole('link', { name: say('en', 'organiser.replace.print'), exact: true }).click();
    await page.locator('article.sheet').first().waitFor();
    expect(await page.locator('article.sheet').count()).toBe(1);
    const sheet = await page.locator('article.sheet').innerText();
    expect(sheet).toContain('王秀英');
    expect(sheet).toContain(newCode);
    expect(sheet).not.toContain(lost.code);
    await looked(org, 'replace-sheet-en-phone');
    await page.getByRole('link', { name: say('en', 'organiser.sheets.back'), exact: true }).click();
    const [row] = await Promise.all([page.waitForEvent('download'), button(page, say('en', 'organiser.replace.export')).click()]);
    const rowLines = readFileSync((await row.path())!, 'utf8').slice(1).trim().split('\r\n');
    expect(rowLines).toHaveLength(2);
    expect(rowLines[1]).toMatch(new RegExp(`^王秀英,${newCode},${web.site.base}/poll/${poll}/vote#${newCode}&fp=`));
    await page.getByRole('status').filter({ hasText: say('en', 'organiser.replace.exportedNote') }).waitFor();
    expect(await page.getByText(say('en', 'organiser.replace.onlyHere')).count()).toBe(0);

    // 3. The old code in the booth: its own message, in both languages; Check my code shows it revoked.
    for (const lang of ['en', 'zh'] as const) {
      const tab = await openTab(web.browser, web.site.base, { locale: locale(lang), viewport: PHONE });
      await tab.page.goto(`/poll/${poll}/vote#${lost.code}`);
      await tab.page.getByRole('alert').filter({ hasText: say(lang, 'booth.code.revoked') }).waitFor({ timeout: 30_000 });
      expect(await tab.page.getByText(say(lang, 'booth.code.notListed')).count()).toBe(0);
      await looked(tab, `booth-revoked-${lang}-phone`);
      await tab.page.goto(`/poll/${poll}/check`);
      await tab.page.getByLabel(say(lang, 'booth.codeCheck.codeLabel'), { exact: true }).fill(lost.code);
      await button(tab.page, say(lang, 'booth.codeCheck.submit')).click();
      const verdict = tab.page.locator('[data-verdict="revoked"]');
      await verdict.waitFor({ timeout: 60_000 });
      const words = await verdict.innerText();
      expect(words).toContain(sayStart(lang, 'booth.codeCheck.revoked'));
      expect(words).toContain(messages[lang]['booth.codeCheck.revoked'].split('}')[1]);
      expect(await tab.page.getByText(say(lang, 'booth.codeCheck.notListed')).count()).toBe(0);
      await looked(tab, `check-revoked-${lang}-phone`);
      await tab.context.close();
    }

    // 4. The new code votes.
    await voteWith(booth, poll, newCode);
    expect((await owner.get(`/api/polls/${poll}/credentials/${keyOfCode(poll, newCode)}`)).body.ballots).toBe(1);

    // 5. A code that has voted cannot be replaced: said with the rule and what to do; nothing written.
    for (const lang of ['en', 'zh'] as const) {
      const tab = lang === 'en' ? org : await organiserTab(web.site, 'zh', poll);
      await tab.page.goto(`/organiser/polls/${poll}/voters`);
      await tab.page.getByLabel(say(lang, 'organiser.replace.name'), { exact: true }).fill('Ms Newcomer');
      await tab.page.getByLabel(say(lang, 'organiser.replace.code'), { exact: true }).fill(newcomerCode);
      const before = dumpDatabase(web.site);
      if (lang === 'en') {
        // A server hiding her ballot from the device: the board no longer replays against its signed
        // checkpoint, so the page says so and offers nothing.
        const hide = async (route: Route) => {
          const real = await route.fetch();
          const body = (await real.json()) as { entries: { bytes: string }[] };
          body.entries = body.entries.filter((e) => decodeEntry(new Uint8Array(Buffer.from(e.bytes, 'base64'))).type !== 'ballot');
          await route.fulfill({ response: real, json: body });
        };
        await tab.page.route('**/api/polls/*/entries?*', hide);
        await button(tab.page, say(lang, 'organiser.replace.check')).click();
        await tab.page.getByRole('alert').filter({ hasText: sayStart(lang, 'organiser.replace.boardBroken') }).waitFor({ timeout: 60_000 });
        expect(await button(tab.page, say(lang, 'organiser.replace.replace')).count()).toBe(0);
        await screenshot(tab.page, 'roll-replace-board-broken-en-phone');
        await tab.page.unroute('**/api/polls/*/entries?*', hide);
      }
      await button(tab.page, say(lang, 'organiser.replace.check')).click();
      const refusal = tab.page.getByRole('alert').filter({ hasText: sayStart(lang, 'organiser.replace.hasCast') });
      await refusal.waitFor({ timeout: 60_000 });
      expect(await refusal.innerText()).toContain(say(lang, 'organiser.replace.hasCastHelp', { name: 'Ms Newcomer' }));
      expect(await button(tab.page, say(lang, 'organiser.replace.replace')).count()).toBe(0);
      expect(dumpDatabase(web.site)).toEqual(before);
      await looked(tab, `replace-has-cast-${lang}-phone`);
      if (lang === 'zh') await tab.context.close();
    }
    // A typo and a code never listed are refused in words too.
    await page.getByLabel(say('en', 'organiser.replace.code'), { exact: true }).fill(newcomerCode.slice(0, -1) + (newcomerCode.endsWith('A') ? 'B' : 'A'));
    await button(page, say('en', 'organiser.replace.check')).click();
    await page.getByRole('alert').filter({ hasText: say('en', 'organiser.replace.badCode') }).waitFor();

    // 6. The poll page lists the changes, in both languages; the desktop voter-codes page as well.
    for (const lang of ['en', 'zh'] as const) {
      const tab = await openTab(web.browser, web.site.base, { locale: locale(lang), viewport: PHONE });
      await tab.page.goto(`/poll/${poll}`);
      // Voters added while open: the newcomer and the replacement (two lists); one code revoked.
      await tab.page.locator('ul.schedule li').filter({ hasText: sentence(lang, 'observer.poll.addedWhileOpen', { count: 2, entries: 2 }) }).waitFor();
      await tab.page.locator('ul.schedule li').filter({ hasText: sentence(lang, 'observer.poll.revoked', { count: 1 }) }).waitFor();
      await looked(tab, `poll-page-${lang}-phone`);
      await tab.context.close();
    }
    await page.setViewportSize(DESKTOP);
    await page.goto(`/organiser/polls/${poll}/voters`);
    await page.getByText(say('en', 'organiser.roll.openNow')).waitFor();
    await looked(org, 'voters-open-en-desktop');
    await booth.context.close();
    await org.context.close();
  }, 600_000);

  test('a registrar of her own replaces a lost code with her link, before opening: the new code keeps the old weight and its sheet prints on her page', async () => {
    const owner = await organiser(web.site);
    const seed = new Uint8Array(32).fill(7);
    const poll: string = (await owner.post('/api/polls', { draft: { ...courtyardDraft({ title: 'Registrar replaces' }), registrar: null } })).body.id;
    const link: string = (await owner.post(`/api/polls/${poll}/registrar-invite`)).body.link;
    const registrar = new Client(web.site.base, web.site.base, { authorization: `Bearer ${link.split('#')[1]}` });
    expect((await registrar.put(`/api/polls/${poll}/registrar/key`, { name: '陈女士', key: hex(registrarPublicKey(seed)) })).status).toBe(200);
    expect((await owner.post(`/api/polls/${poll}/publish`)).status).toBe(200);
    const lost = Voter.make(poll, seededRandom('lost before opening'));
    expect((await registrar.post(`/api/polls/${poll}/registrar/credentials`, await credentialsBody(owner, poll, [{ key: lost.credential.publicKey, weight: 2 }], seed))).status).toBe(200);

    const reg = await openTab(web.browser, web.site.base, { locale: 'zh-CN', viewport: PHONE });
    await reg.page.addInitScript(([p, s]) => localStorage.setItem(`gongshi.registrar.${p}`, s), [poll, hex(seed)]);
    await reg.page.goto(link.slice(link.indexOf('/registrar/')));
    await reg.page.getByLabel(say('zh', 'organiser.replace.name'), { exact: true }).fill('王伯');
    await reg.page.getByLabel(say('zh', 'organiser.replace.code'), { exact: true }).fill(lost.code.toLowerCase().replace(/-/g, ' '));
    await button(reg.page, say('zh', 'organiser.replace.check')).click();
    await reg.page.getByRole('status').filter({ hasText: say('zh', 'organiser.replace.ok', { weight: 2 }) }).waitFor({ timeout: 60_000 });
    await button(reg.page, say('zh', 'organiser.replace.replace')).click();
    await reg.page.getByRole('dialog').getByRole('button', { name: say('zh', 'organiser.replace.confirm'), exact: true }).click();
    await reg.page.getByRole('status').filter({ hasText: say('zh', 'organiser.replace.done', { name: '王伯' }) }).waitFor({ timeout: 30_000 });
    const newCode = ((await reg.page.locator('p.new-code').textContent()) ?? '').trim();
    await looked(reg, 'registrar-replace-done-zh-phone');

    // On the board: the old credential revoked first, then the new one listed with the old weight.
    expect((await owner.get(`/api/polls/${poll}/credentials/${keyOf(lost)}`)).status).toBe(410);
    expect((await owner.get(`/api/polls/${poll}/credentials/${keyOfCode(poll, newCode)}`)).body).toMatchObject({ listed: true, weight: 2 });
    expect((await owner.get(`/api/polls/${poll}`)).body.roll.map((e: { added: number; revoked: number; whileOpen: boolean }) => [e.added, e.revoked, e.whileOpen])).toEqual([
      [1, 0, false],
      [0, 1, false],
      [1, 0, false],
    ]);

    await reg.page.getByRole('link', { name: say('zh', 'organiser.replace.print'), exact: true }).click();
    await reg.page.locator('article.sheet').first().waitFor();
    expect(await reg.page.locator('article.sheet').count()).toBe(1);
    expect(await reg.page.locator('article.sheet').innerText()).toContain(newCode);
    await looked(reg, 'registrar-replace-sheet-zh-phone');
    await reg.context.close();
  }, 300_000);
});
