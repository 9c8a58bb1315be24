/**
 * Who makes the voter codes, in a real browser against a real server (spec §B.1.4, §B.1.5.1,
 * §B.1.6.1). The organiser as registrar: a server that publishes a manifest naming another registrar
 * key (or another log key) than the one her browser holds is caught by her pages before any code is
 * made or uploaded, in English and in Chinese (entry 0 forged with page.route; the board itself is
 * real). A registrar of her own: she joins by her secret link, her browser makes her key, the poll
 * is published, she makes the codes, prints sheets carrying the fingerprint her browser computed,
 * and uploads the list she signed; none of the organiser's requests ever holds a code.
 */
import { readFileSync } from 'node:fs';
import type { Page, Request } from 'playwright-core';
import { describe, expect, test } from 'vitest';
import { deriveCredential, encodePoint } from '../../crypto/index.ts';
import { decodeEntry, decodeManifest, encodeEntry, encodeManifest, encodeVerifierKey, formatPollFingerprint, pollFingerprint, registrarPublicKey, signerKeyFromSeed, verifierKeyOf, type Manifest } from '../../bulletin-board/index.ts';
import { messages, type MessageKey } from '../../client/src/i18n/index.ts';
import { Client, ORGANISER, TEST_REGISTRAR_SEED, b64, courtyardDraft, hex, organiser, unb64, unhex } from '../server/support.ts';
import { PHONE, axe, browserAndSite, missingKeys, openTab, screenshot, type Tab } from './support.ts';

const web = browserAndSite();

function say(lang: 'en' | 'zh', key: MessageKey, vars: Record<string, string | number> = {}): string {
  return messages[lang][key].replace(/\{(\w+)\}/g, (_, name: string) => String(vars[name]));
}
const label = (page: Page, name: string) => page.getByLabel(name, { exact: true });
const button = (page: Page, name: string) => page.getByRole('button', { name, exact: true });
const heading = (page: Page, name: string) => page.getByRole('heading', { name, exact: true });

/** Accessible, translated, no console problem; and a screenshot. */
async function looked(tab: Tab, name: string): Promise<void> {
  expect(await missingKeys(tab.page), name).toEqual([]);
  expect(await axe(tab.page), name).toEqual([]);
  expect(tab.problems, name).toEqual([]);
  await screenshot(tab.page, `registrar-${name}`);
}

async function signIn(tab: Tab, lang: 'en' | 'zh'): Promise<void> {
  await tab.page.goto('/organiser');
  await label(tab.page, say(lang, 'organiser.signIn.name')).fill(ORGANISER.name);
  await label(tab.page, say(lang, 'organiser.signIn.password')).fill(ORGANISER.password);
  await button(tab.page, say(lang, 'organiser.signIn.submit')).click();
  await heading(tab.page, say(lang, 'organiser.polls.title')).waitFor();
}

/** The forged answer to GET …/entries?from=0&limit=1: entry 0 with `change` made to its manifest. */
async function forgeEntryZero(page: Page, poll: string, change: (m: Manifest) => Manifest): Promise<void> {
  await page.route(
    (url) => url.pathname === `/api/polls/${poll}/entries` && url.searchParams.get('from') === '0',
    async (route) => {
      const real = await route.fetch();
      const body = await real.json();
      const entry = decodeEntry(unb64(body.entries[0].bytes));
      const forged = encodeEntry(entry, encodeManifest(change(decodeManifest(entry.payload))));
      body.entries[0] = { ...body.entries[0], bytes: b64(forged) };
      await route.fulfill({ response: real, body: JSON.stringify(body) });
    },
  );
}

/** Every request a page sends, URL and body, for what must never be in them. */
function recordRequests(page: Page): string[] {
  const seen: string[] = [];
  page.on('request', (r: Request) => seen.push(`${r.method()} ${r.url()} ${r.postData() ?? ''}`));
  return seen;
}

describe('the organiser as registrar', () => {
  test('her pages catch a manifest naming another registrar key or log key before anything is made or uploaded, in both languages', async () => {
    const owner = await organiser(web.site);
    // Her draft names her registrar key (TEST_REGISTRAR_SEED); her device holds it, and the log key the server gave.
    const created = await owner.post('/api/polls', { draft: courtyardDraft({ t: 1, n: 1 }) });
    const poll: string = created.body.id;
    expect((await owner.post(`/api/polls/${poll}/publish`)).status).toBe(200);
    const manifest = unb64((await owner.get(`/api/polls/${poll}`)).body.manifest);

    for (const lang of ['en', 'zh'] as const) {
      const tab = await openTab(web.browser, web.site.base, { locale: lang === 'en' ? 'en-GB' : 'zh-CN' });
      const { page } = tab;
      await page.addInitScript(
        ([p, seed, logKey]) => {
          localStorage.setItem(`gongshi.registrar.${p}`, seed);
          localStorage.setItem(`gongshi.anchors.${p}`, JSON.stringify({ logKey, witnessKeys: [] }));
        },
        [poll, hex(TEST_REGISTRAR_SEED), created.body.logKey],
      );
      const sent = recordRequests(page);
      await signIn(tab, lang);

      // Untouched, the board names her keys: the fingerprint her browser computed, the voter list chooser.
      await page.goto(`/organiser/polls/${poll}`);
      await page.getByText(formatPollFingerprint(pollFingerprint(manifest)), { exact: true }).waitFor();
      await page.goto(`/organiser/polls/${poll}/voters`);
      await heading(page, say(lang, 'organiser.roll.chooseTitle')).waitFor();

      // The server swaps the registrar key in entry 0: the alarm, no list chooser, no upload.
      const other = registrarPublicKey(new Uint8Array(32).fill(99));
      await forgeEntryZero(page, poll, (m) => ({ ...m, registrar: { ...m.registrar, key: other } }));
      await page.reload();
      const alarm = page.getByRole('alert').filter({ hasText: say(lang, 'registrar.alarm.title') });
      await alarm.waitFor();
      await alarm.getByText(say(lang, 'registrar.alarm.registrarKey')).waitFor();
      expect(await page.getByText(say(lang, 'organiser.roll.file')).count()).toBe(0);
      await looked(tab, `swapped-key-voters-${lang}-desktop`);
      await page.setViewportSize(PHONE);
      await looked(tab, `swapped-key-voters-${lang}-phone`);

      // The code sheets and the notice refuse too; the poll page shows the alarm instead of a fingerprint.
      await page.goto(`/organiser/polls/${poll}/voters/print`);
      await page.getByRole('alert').filter({ hasText: say(lang, 'registrar.alarm.title') }).waitFor();
      await page.goto(`/organiser/polls/${poll}/notice`);
      await page.getByRole('alert').filter({ hasText: say(lang, 'registrar.alarm.title') }).waitFor();
      expect(await page.locator('article.notice').count()).toBe(0);
      await looked(tab, `swapped-key-notice-${lang}-phone`);

      // Another log key in entry 0 (the registrar key left alone) is caught by the poll page.
      await page.unrouteAll();
      const forgedLog = encodeVerifierKey(verifierKeyOf(signerKeyFromSeed(decodeManifest(manifest).origin, new Uint8Array(32).fill(98))));
      await forgeEntryZero(page, poll, (m) => ({ ...m, logKey: forgedLog }));
      await page.goto(`/organiser/polls/${poll}`);
      await page.getByRole('alert').filter({ hasText: say(lang, 'registrar.alarm.logKey') }).waitFor();
      expect(await page.getByText(say(lang, 'organiser.home.notice')).count()).toBe(0);
      await looked(tab, `swapped-log-key-${lang}-phone`);

      expect(sent.filter((r) => /\/credentials/.test(r) && r.startsWith('POST'))).toEqual([]);
      await tab.context.close();
    }
    expect((await owner.get(`/api/polls/${poll}`)).body.turnout.listed).toBe(0);
  });
});

describe('a registrar of her own', () => {
  test('joins by her link, makes the codes after publication, prints sheets with the fingerprint and uploads her signed list; the organiser never sees a code', async () => {
    await organiser(web.site); // the organiser's account exists (setup link spent here if first)
    const org = await openTab(web.browser, web.site.base, { locale: 'en-GB' });
    const orgSent = recordRequests(org.page);
    await signIn(org, 'en');
    const owner = new Client(web.site.base);
    expect((await owner.post('/api/session', ORGANISER)).status).toBe(201);
    const draft = { ...courtyardDraft({ t: 1, n: 1, title: 'Registrar poll' }), registrar: null };
    const poll: string = (await owner.post('/api/polls', { draft })).body.id;

    // The organiser chooses a registrar and makes her link in the editor.
    await org.page.goto(`/organiser/polls/${poll}/edit`);
    await heading(org.page, 'Edit the poll').waitFor();
    expect(await label(org.page, say('en', 'organiser.edit.registrarOther')).isChecked()).toBe(true);
    await button(org.page, say('en', 'organiser.edit.registrarMakeLink')).click();
    const link = await label(org.page, say('en', 'organiser.edit.registrarLinkLabel')).inputValue();
    expect(link).toMatch(new RegExp(`^${web.site.base}/registrar/${poll}#`));
    await looked(org, 'editor-link-en-desktop');

    // She opens it in Chinese on her phone, names herself; her browser makes her key.
    const reg = await openTab(web.browser, web.site.base, { locale: 'zh-CN', viewport: PHONE, acceptDownloads: true });
    await reg.page.goto(link.slice(web.site.base.length));
    await heading(reg.page, say('zh', 'registrar.join.title')).waitFor();
    expect(new URL(reg.page.url()).hash).toBe('');
    await looked(reg, 'join-zh-phone');
    await label(reg.page, say('zh', 'registrar.join.name')).fill('陈女士');
    await button(reg.page, say('zh', 'registrar.join.submit')).click();
    await reg.page.getByRole('status').filter({ hasText: say('zh', 'registrar.join.given', { name: '陈女士' }) }).waitFor();
    const [keyFile] = await Promise.all([reg.page.waitForEvent('download'), button(reg.page, say('zh', 'registrar.keyFile.save')).click()]);
    const saved = JSON.parse(readFileSync((await keyFile.path())!, 'utf8'));
    expect(saved.poll).toBe(poll);
    expect(hex(registrarPublicKey(unhex(saved.seed)))).toBe(saved.key);
    await looked(reg, 'joined-zh-phone');
    const keyGroupsShown = (await reg.page.locator('p .mono').first().textContent())!;

    // The organiser's editor shows her name and the same key groups; the organiser publishes.
    await org.page.reload();
    await org.page.getByText(say('en', 'organiser.edit.registrarJoined', { name: '陈女士' })).waitFor();
    await org.page.getByText(keyGroupsShown, { exact: true }).waitFor();
    expect((await owner.post(`/api/polls/${poll}/publish`)).status).toBe(200);
    const manifest = decodeManifest(unb64((await owner.get(`/api/polls/${poll}`)).body.manifest));
    expect(hex(manifest.registrar.key)).toBe(saved.key);
    const fingerprint = formatPollFingerprint(pollFingerprint(unb64((await owner.get(`/api/polls/${poll}`)).body.manifest)));

    // Her page, after publication: the fingerprint her browser computed, the list, the codes.
    await reg.page.reload();
    await reg.page.getByText(fingerprint, { exact: true }).waitFor();
    await label(reg.page, say('zh', 'organiser.roll.paste')).fill('王秀英\n李伟,2\n张敏');
    await button(reg.page, say('zh', 'organiser.roll.readPasted')).click();
    await button(reg.page, say('zh', 'organiser.roll.generate', { count: '3' })).click();
    await heading(reg.page, say('zh', 'organiser.roll.madeTitle', { count: '3' })).waitFor();
    const [csv] = await Promise.all([reg.page.waitForEvent('download'), button(reg.page, say('zh', 'organiser.roll.export')).click()]);
    const rows = readFileSync((await csv.path())!, 'utf8').slice(1).trim().split('\r\n').slice(1).map((l) => l.split(','));
    const codes = rows.map((r) => r[1]);
    for (const r of rows) expect(r[2]).toBe(`${web.site.base}/poll/${poll}/vote#${r[1]}&fp=${fingerprint.replace(/ /g, '')}`);
    await reg.page.getByRole('link', { name: say('zh', 'organiser.roll.print'), exact: true }).click();
    await heading(reg.page, say('zh', 'organiser.sheets.title')).waitFor();
    expect(await reg.page.locator('article.sheet .fingerprint').allTextContents()).toEqual(Array(3).fill(fingerprint));
    await looked(reg, 'sheets-zh-phone');
    await reg.page.setViewportSize({ width: 794, height: 1123 });
    await reg.page.emulateMedia({ media: 'print' });
    await screenshot(reg.page, 'registrar-sheets-zh-a4');
    const pdf = (await reg.page.pdf({ format: 'A4' })).toString('latin1');
    expect(pdf.match(/\/Type\s*\/Page\b(?!s)/g)?.length).toBe(3); // one page per voter
    await reg.page.emulateMedia({ media: 'screen' });
    await reg.page.setViewportSize(PHONE);
    await reg.page.getByRole('link', { name: say('zh', 'organiser.sheets.back'), exact: true }).click();
    await button(reg.page, say('zh', 'organiser.roll.register', { count: '3' })).click();
    await reg.page.getByRole('status').filter({ hasText: say('zh', 'organiser.roll.registered', { count: '3', listed: '3' }) }).waitFor();
    await looked(reg, 'registered-zh-phone');
    for (const code of codes) expect((await owner.get(`/api/polls/${poll}/credentials/${hex(encodePoint(deriveCredential(code, unhex(poll)).publicKey))}`)).status).toBe(200);

    // The organiser's console: the registrar makes the codes; no code in any request it ever sent.
    await org.page.goto(`/organiser/polls/${poll}/voters`);
    await org.page.getByText(say('en', 'organiser.roll.registrarMakesThem', { name: '陈女士' })).waitFor();
    await org.page.goto(`/organiser/polls/${poll}`);
    await org.page.getByText(fingerprint, { exact: true }).waitFor();
    await looked(org, 'organiser-poll-en-desktop');
    const bare = codes.map((c) => c.replace(/-/g, ''));
    for (const request of orgSent) for (const [i, code] of codes.entries()) expect(request.includes(code) || request.replace(/-/g, '').includes(bare[i])).toBe(false);
    await reg.context.close();
    await org.context.close();
  });
});
