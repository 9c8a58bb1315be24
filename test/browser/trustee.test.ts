/**
 * The trustee console in a real browser: three trustees in three browser contexts (one in Chinese,
 * one on a phone) open their links before the poll is published, run the whole key ceremony with
 * nobody clicking at the same moment, and each saves her key file before signing. "Check my key"
 * passes, and refuses a wrong passphrase, a damaged file and another poll's file in plain words.
 * After voting over the API, two trustees in fresh browsers with only their link decrypt the tally,
 * and the published result equals the plain count. axe-core, translations and the console are
 * checked on every screen.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createKeyFile, seededRandom, type Answer } from '../../crypto/index.ts';
import { trustee as words } from '../../client/src/i18n/trustee.ts';
import { Voter, castBallot, courtyardDraft, credentialsBody, openPoll, organiser, replayBoard, seenBoard, type Client, type Running } from '../server/support.ts';
import { PHONE, axe, launchBrowser, missingKeys, openTab, screenshot, startSite, type Tab } from './support.ts';

type Lang = 'en' | 'zh';
type Key = keyof typeof words.en;

/** A text of the trustee pages in `lang`, with its {placeholders} filled. */
function say(lang: Lang, key: Key, vars: Record<string, string | number> = {}): string {
  return words[lang][key].replace(/\{(\w+)\}/g, (_, name: string) => String(vars[name]));
}

const PASSPHRASES = ['plum blossom on the old wall', '院子里的老槐树开花了', 'ninety nine red kites'];
const folder = mkdtempSync(join(tmpdir(), 'gongshi-trustee-keys-'));

interface Trustee {
  readonly index: number;
  readonly link: string;
  readonly lang: Lang;
  readonly device: 'phone' | 'desktop';
  keyFile?: string;
}

let browser: Browser;
let site: Running;
let owner: Client;
let poll: string;
let voters: Voter[];
const trustees: Trustee[] = [];
const tabs: Tab[] = [];

beforeAll(async () => {
  [browser, site] = await Promise.all([launchBrowser(), startSite()]);
  owner = await organiser(site);
});
afterAll(async () => {
  await browser?.close();
  await site?.close();
});

/** Every screen: no missing translation, no serious axe violation, nothing wrong in the console. */
async function clean(tab: Tab): Promise<void> {
  expect(await missingKeys(tab.page)).toEqual([]);
  expect(await axe(tab.page)).toEqual([]);
  expect(tab.problems).toEqual([]);
}

const shot = (t: Trustee, tab: Tab, screen: string) => screenshot(tab.page, `trustee-${screen}-${t.lang === 'zh' ? 'zh' : 'en'}-${t.device}`);

async function openLink(t: Trustee): Promise<Tab> {
  const tab = await openTab(browser, site.base, { locale: t.lang === 'zh' ? 'zh-CN' : 'en-GB', viewport: t.device === 'phone' ? PHONE : undefined });
  await tab.page.goto(t.link);
  return tab;
}

/** Chooses the key file and passphrase and presses the form's button. */
async function useKey(page: Page, lang: Lang, file: string, passphrase: string, button: Key): Promise<void> {
  await page.getByLabel(say(lang, 'trustee.key.file')).setInputFiles(file);
  await page.getByLabel(say(lang, 'trustee.key.passphrase'), { exact: true }).fill(passphrase);
  await page.getByRole('button', { name: say(lang, button) }).click();
}

describe('the trustee console', () => {
  test('three trustees in three browsers run the whole ceremony and each saves her key file before signing', async () => {
    const created = await owner.post('/api/polls', { draft: courtyardDraft() });
    expect(created.status).toBe(201);
    poll = created.body.id;
    const invites = (await owner.post(`/api/polls/${poll}/invites`)).body.invites as { trustee: number; link: string }[];
    const kinds: Pick<Trustee, 'lang' | 'device'>[] = [
      { lang: 'en', device: 'desktop' },
      { lang: 'zh', device: 'desktop' },
      { lang: 'en', device: 'phone' },
    ];
    for (const [k, invite] of invites.entries()) {
      expect(invite.link.startsWith(`${site.base}/trustee/${poll}#`)).toBe(true);
      trustees.push({ index: invite.trustee, link: invite.link, ...kinds[k] });
    }

    // Two open their links before the organiser publishes: the page says it waits.
    for (const t of trustees.slice(0, 2)) tabs.push(await openLink(t));
    for (const [k, t] of trustees.slice(0, 2).entries()) {
      await tabs[k].page.getByText(say(t.lang, 'trustee.draft')).waitFor();
      expect(new URL(tabs[k].page.url()).hash).toBe('');
    }
    await shot(trustees[0], tabs[0], 'draft');
    await clean(tabs[0]);

    const rng = seededRandom(`voters of the trustee test`);
    voters = Array.from({ length: 4 }, () => Voter.make(poll, rng));
    const started = Date.now();
    expect((await owner.post(`/api/polls/${poll}/publish`)).status).toBe(200);
    const listed = await owner.post(`/api/polls/${poll}/credentials`, await credentialsBody(owner, poll, voters.map((v) => ({ key: v.credential.publicKey, weight: 1 }))));
    expect(listed.status).toBe(200);

    // Their browsers make their keys by themselves; step 1 then waits for the third trustee.
    for (const [k, t] of trustees.slice(0, 2).entries()) {
      await tabs[k].page.getByText(say(t.lang, 'trustee.steps.count', { count: 2, total: 3 })).waitFor({ timeout: 30_000 });
      await tabs[k].page.getByText(say(t.lang, 'trustee.ceremony.waiting')).waitFor();
      await shot(t, tabs[k], 'ceremony-waiting');
      await clean(tabs[k]);
    }
    // A reload of the same tab keeps the link's token and her ceremony secrets (this tab's sessionStorage only).
    await tabs[0].page.reload();
    await tabs[0].page.getByText(say('en', 'trustee.ceremony.waiting')).waitFor({ timeout: 30_000 });

    // The third opens her link later, on her phone.
    tabs.push(await openLink(trustees[2]));

    // Steps 1 to 5 happen by themselves in all three browsers; step 6 asks each for her key file.
    for (const [k, t] of trustees.entries()) {
      await tabs[k].page.getByRole('heading', { name: say(t.lang, 'trustee.save.heading') }).waitFor({ timeout: 60_000 });
    }
    const toStep6 = Date.now() - started;
    for (const [k, t] of trustees.entries()) {
      const page = tabs[k].page;
      await expect.poll(() => page.getByRole('listitem').getByText(say(t.lang, 'trustee.steps.done'), { exact: true }).count()).toBe(5);
      await shot(t, tabs[k], 'step6');
      await clean(tabs[k]);
    }

    // Her link opened in another browser meanwhile: that browser does not hold her ceremony keys, and says so.
    const elsewhere = await openLink(trustees[0]);
    await elsewhere.page.getByText(say('en', 'trustee.ceremony.lost')).waitFor({ timeout: 30_000 });
    await expect.poll(() => elsewhere.page.getByRole('button', { name: 'Make my key file' }).count()).toBe(0);
    await screenshot(elsewhere.page, 'trustee-lost-en-desktop');
    await clean(elsewhere);
    await elsewhere.context.close();

    // A passphrase too short, then two that differ, are refused before any work.
    const first = tabs[0].page;
    await first.getByLabel('Passphrase (at least 10 characters)').fill('short');
    await first.getByLabel('Type the passphrase again').fill('short');
    await first.getByRole('button', { name: 'Make my key file' }).click();
    await first.getByRole('alert').filter({ hasText: say('en', 'trustee.save.tooShort', { min: 10, count: 5 }) }).waitFor();
    await first.getByLabel('Passphrase (at least 10 characters)').fill(PASSPHRASES[0]);
    await first.getByLabel('Type the passphrase again').fill(`${PASSPHRASES[0]}!`);
    await first.getByRole('button', { name: 'Make my key file' }).click();
    await first.getByRole('alert').filter({ hasText: say('en', 'trustee.save.mismatch') }).waitFor();
    await shot(trustees[0], tabs[0], 'passphrase-mismatch');
    await clean(tabs[0]);

    const making: number[] = [];
    for (const [k, t] of trustees.entries()) {
      const page = tabs[k].page;
      await page.getByLabel(say(t.lang, 'trustee.save.passphrase', { min: 10 })).fill(PASSPHRASES[k]);
      await page.getByLabel(say(t.lang, 'trustee.save.again')).fill(PASSPHRASES[k]);
      const clicked = Date.now();
      await page.getByRole('button', { name: say(t.lang, 'trustee.save.make') }).click();
      const save = page.getByRole('link', { name: say(t.lang, 'trustee.save.download') });
      await save.waitFor({ timeout: 60_000 });
      making.push(Date.now() - clicked);
      // Signing before saying the file is saved is refused.
      await page.getByRole('button', { name: say(t.lang, 'trustee.save.sign') }).click();
      await page.getByRole('alert').filter({ hasText: say(t.lang, 'trustee.save.confirmFirst') }).waitFor();
      const [download] = await Promise.all([page.waitForEvent('download'), save.click()]);
      expect(download.suggestedFilename()).toBe(`gongshi-key-${poll.slice(0, 8)}-trustee-${t.index}.key`);
      t.keyFile = join(folder, download.suggestedFilename());
      await download.saveAs(t.keyFile);
      expect(readFileSync(t.keyFile).length).toBe(351);
      await shot(t, tabs[k], 'key-file-ready');
      await clean(tabs[k]);
      await page.getByLabel(say(t.lang, 'trustee.save.confirm')).check();
      await page.getByRole('button', { name: say(t.lang, 'trustee.save.sign') }).click();
      if (k === 0) {
        await page.getByText(say(t.lang, 'trustee.ceremony.signed')).waitFor();
        await shot(t, tabs[k], 'signed-waiting');
        await clean(tabs[k]);
      }
    }

    // The board reaches 'ready' with a key, and every page says so.
    for (const [k, t] of trustees.entries()) await tabs[k].page.getByText(say(t.lang, 'trustee.phase.ready')).waitFor({ timeout: 30_000 });
    const total = Date.now() - started;
    console.log(`ceremony in three browsers: to step 6 ${toStep6} ms (the third trustee joined late); publish to key (three key files made at scrypt 2^17) ${total} ms; each key file took ${making.join(', ')} ms`);
    const detail = (await owner.get(`/api/polls/${poll}`)).body;
    expect(detail.status).toBe('ready');
    expect(detail.election.jointKey).toMatch(/^[0-9a-f]{64}$/);
    for (const [k, t] of trustees.entries()) {
      await shot(t, tabs[k], 'ready');
      await clean(tabs[k]);
    }
  });

  test('"check my key" passes for her own file and refuses a wrong passphrase, a damaged file and another poll\'s file', async () => {
    const t = trustees[0];
    const tab = tabs[0];
    const page = tab.page;
    await useKey(page, 'en', t.keyFile!, PASSPHRASES[0], 'trustee.check.button');
    await page.getByRole('alert').filter({ hasText: 'Your key file works and matches the public board.' }).waitFor({ timeout: 60_000 });
    await shot(t, tab, 'check-good');
    await clean(tab);

    await useKey(page, 'en', t.keyFile!, 'not my passphrase at all', 'trustee.check.button');
    await page.getByRole('alert').filter({ hasText: 'That passphrase does not open this key file.' }).waitFor({ timeout: 60_000 });
    await shot(t, tab, 'check-wrong-passphrase');
    await clean(tab);

    const damaged = join(folder, 'damaged.key');
    const bytes = readFileSync(t.keyFile!);
    bytes[200] ^= 1;
    writeFileSync(damaged, bytes);
    await useKey(page, 'en', damaged, PASSPHRASES[0], 'trustee.check.button');
    await page.getByRole('alert').filter({ hasText: 'This key file is damaged or has been changed.' }).waitFor();

    // Another poll's trustee, with a key file made the same way.
    const other = await openPoll(site, { voters: 1, open: false, seed: 'another poll' });
    const state = await replayBoard(other.owner, other.poll);
    const outcome = state.ceremony!.outcome!;
    const device = other.trustees[0];
    const otherFile = join(folder, 'other-poll.key');
    const made = await createKeyFile(
      {
        params: state.ceremony!.params,
        index: 1,
        signing: device.secrets!.signing,
        encryption: device.secrets!.encryption,
        keyShare: device.keyShare!,
        jointKey: outcome.jointKey!,
        transcript: outcome.transcript,
        seen: await seenBoard(other.owner, other.poll),
      },
      PASSPHRASES[0],
      { logN: 14 },
    );
    writeFileSync(otherFile, made);
    await useKey(page, 'en', otherFile, PASSPHRASES[0], 'trustee.check.button');
    await page.getByRole('alert').filter({ hasText: 'This key file belongs to another poll' }).waitFor();
    await shot(t, tab, 'check-other-poll');
    await clean(tab);

    // Trustee 2 checks hers in Chinese.
    const zh = tabs[1];
    await useKey(zh.page, 'zh', trustees[1].keyFile!, PASSPHRASES[1], 'trustee.check.button');
    await zh.page.getByRole('alert').filter({ hasText: say('zh', 'trustee.check.good') }).waitFor({ timeout: 60_000 });
    await shot(trustees[1], zh, 'check-good');
    await clean(zh);
  });

  test('after voting, two trustees in fresh browsers with only their link decrypt; the result is the plain count', async () => {
    expect((await owner.post(`/api/polls/${poll}/open`)).status).toBe(200);
    await tabs[0].page.getByText(say('en', 'trustee.phase.open')).waitFor();
    await shot(trustees[0], tabs[0], 'open');
    await clean(tabs[0]);

    const rng = seededRandom('ballots of the trustee test');
    const answers: Answer[][] = [
      [{ values: [1, 0, 0] }, { values: [1, 1, 0, 0] }, { values: [1, 0, 1] }],
      [{ values: [0, 1, 0] }, { values: [0, 1, 0, 0] }, { values: [0, 1, 1] }],
      [{ blank: true }, { values: [0, 0, 1, 1] }, { values: [1, 0, 0] }],
    ];
    for (const [i, a] of answers.entries()) {
      const made = await voters[i].ballot(owner, a, rng);
      expect((await castBallot(owner, poll, made.bytes)).status).toBe(201);
    }
    expect((await owner.post(`/api/polls/${poll}/close`)).status).toBe(200);
    await tabs[0].page.getByText(say('en', 'trustee.phase.closed')).waitFor();
    await shot(trustees[0], tabs[0], 'closed');
    await clean(tabs[0]);
    expect((await owner.post(`/api/polls/${poll}/tally`)).status).toBe(200);
    await tabs[0].page.getByRole('heading', { name: 'Count the votes' }).waitFor();
    for (const tab of tabs) await tab.context.close();

    // Trustees 2 (Chinese) and 3 (phone), another day, in fresh browsers with only their links.
    const counting = trustees.slice(1);
    const fresh: Tab[] = [];
    for (const t of counting) fresh.push(await openLink(t));
    for (const [k, t] of counting.entries()) {
      const tab = fresh[k];
      await tab.page.getByRole('heading', { name: say(t.lang, 'trustee.decrypt.heading') }).waitFor({ timeout: 60_000 });
      await shot(t, tab, 'decrypt');
      await clean(tab);
      await useKey(tab.page, t.lang, t.keyFile!, PASSPHRASES[t.index - 1], 'trustee.decrypt.button');
      // The poll names no witnesses (k = 0): she confirms the trustees compared the checkpoint aloud.
      await tab.page.getByLabel(say(t.lang, 'trustee.gate.compared')).check({ timeout: 60_000 });
      await tab.page.getByRole('button', { name: say(t.lang, 'trustee.gate.unlock'), exact: true }).click();
      await tab.page.getByText(say(t.lang, 'trustee.decrypt.posted')).or(tab.page.getByText(say(t.lang, 'trustee.phase.done'))).waitFor({ timeout: 60_000 });
      if (k === 0) {
        await shot(t, tab, 'decrypt-posted');
        await clean(tab);
      }
    }
    for (const [k, t] of counting.entries()) {
      const tab = fresh[k];
      await tab.page.getByText(say(t.lang, 'trustee.phase.done')).waitFor({ timeout: 30_000 });
      await tab.page.getByRole('link', { name: say(t.lang, 'trustee.results') }).waitFor();
      await shot(t, tab, 'done');
      await clean(tab);
    }

    // The published result is the plain count of the three ballots: 4 single slots (blank last), 4 multiple, 3 budget.
    const result = (await owner.get(`/api/polls/${poll}/result`)).body;
    expect(result.status).toBe('done');
    expect(result.result.totals).toEqual([1, 1, 0, 1, 1, 2, 1, 1, 2, 1, 2]);
    for (const tab of fresh) await tab.context.close();
  });
  test('a link whose token is not valid says so in plain words, and the token leaves the address bar', async () => {
    const draft = (await owner.post('/api/polls', { draft: courtyardDraft() })).body.id;
    const tab = await openTab(browser, site.base);
    await tab.page.goto(`/trustee/${draft}#not-a-real-token-at-all`);
    await tab.page.getByText(say('en', 'trustee.badLink')).waitFor();
    expect(new URL(tab.page.url()).hash).toBe('');
    await screenshot(tab.page, 'trustee-bad-link-en-desktop');
    expect(await missingKeys(tab.page)).toEqual([]);
    expect(await axe(tab.page)).toEqual([]);
    // The browser itself may log the refused request (401); nothing else went wrong.
    expect(tab.problems.filter((p) => !/status of 401 .*\/api\/polls\/[0-9a-f]{32}\/trustee\)$/.test(p))).toEqual([]);
    await tab.context.close();
  });
});
