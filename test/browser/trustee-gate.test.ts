/**
 * The trustee console's gate before decrypting (spec §B.8 item 4, verifier checkDecryptionGate), in a
 * real browser against a real server. Each poll has one trustee (t = 1), whose key file is made as her
 * console makes it: her ceremony secrets and the board her device saw then (T.9.3). Her console
 * refuses, in words and without posting anything: a tally below the privacy floor; a board forked
 * since her key (every entry after the manifest re-chained, served to her browser with page.route),
 * in English and in Chinese; a checkpoint stripped of the only witness's cosignature (k = 1); a poll
 * fingerprint that is not the one she holds. It decrypts with the witness's cosignature (k = 1), and
 * with k = 0 only once she has ticked that the trustees compared the checkpoint aloud.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page, Route } from 'playwright-core';
import { describe, expect, test } from 'vitest';
import { createKeyFile, seededRandom, toHex, type Answer } from '../../crypto/index.ts';
import {
  MemoryNodeStore,
  MerkleTree,
  SIG_TYPE_COSIGNATURE_V1,
  cosignCheckpoint,
  decodeEntry,
  encodeEntry,
  encodeVerifierKey,
  formatPollFingerprint,
  hashEntry,
  hashLeaf,
  pollFingerprint,
  signerKeyFromSeed,
  verifierKeyOf,
  type SignerKey,
} from '../../bulletin-board/index.ts';
import { trustee as words } from '../../client/src/i18n/trustee.ts';
import { TrusteeDevice, Voter, b64, castBallot, courtyardDraft, credentialsBody, organiser, replayBoard, runCeremony, seenBoard, unb64, type Client } from '../server/support.ts';
import { PHONE, axe, browserAndSite, missingKeys, openTab, screenshot, type Tab } from './support.ts';

type Lang = 'en' | 'zh';
type Key = keyof typeof words.en;

const say = (lang: Lang, key: Key, vars: Record<string, string | number> = {}) => words[lang][key].replace(/\{(\w+)\}/g, (_, name: string) => String(vars[name]));
const groups = (hex: string) => hex.replace(/(.{4})(?!$)/g, '$1 ');

const PASSPHRASE = 'the gate by the old well';
const folder = mkdtempSync(join(tmpdir(), 'gongshi-trustee-gate-'));
const alice: SignerKey = signerKeyFromSeed('witness-alice.example', new Uint8Array(32).fill(5), SIG_TYPE_COSIGNATURE_V1);
const vkey = (k: SignerKey) => encodeVerifierKey(verifierKeyOf(k));
const BALLOT: Answer[] = [{ values: [1, 0, 0] }, { values: [1, 1, 0, 0] }, { values: [1, 0, 1] }];

const both = browserAndSite();

async function clean(tab: Tab): Promise<void> {
  expect(await missingKeys(tab.page)).toEqual([]);
  expect(await axe(tab.page)).toEqual([]);
  expect(tab.problems).toEqual([]);
}

interface Tallied {
  readonly owner: Client;
  readonly poll: string;
  readonly link: string;
  readonly keyFile: string;
  readonly seen: { size: number; root: Uint8Array };
}

/**
 * A one-trustee poll run to its tally over the API: `voters` listed, each casts one ballot. Her key
 * file holds her ceremony secrets and the board as her device saw it at the end of the ceremony.
 */
async function tallied(o: { draft: object; voters: number; seed: string }): Promise<Tallied> {
  const { site } = both;
  const owner = await organiser(site);
  const created = await owner.post('/api/polls', { draft: { ...courtyardDraft({ t: 1, n: 1 }), ...o.draft } });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  const poll = created.body.id as string;
  const [invite] = (await owner.post(`/api/polls/${poll}/invites`)).body.invites as { trustee: number; token: string; link: string }[];
  expect((await owner.post(`/api/polls/${poll}/publish`)).status).toBe(200);
  const rng = seededRandom(o.seed);
  const voters = Array.from({ length: o.voters }, () => Voter.make(poll, rng));
  expect((await owner.post(`/api/polls/${poll}/credentials`, await credentialsBody(owner, poll, voters.map((v) => ({ key: v.credential.publicKey, weight: 1 }))))).status).toBe(200);
  const device = new TrusteeDevice(site.base, poll, invite.trustee, invite.token, seededRandom(`${o.seed} trustee`));
  await runCeremony(owner, poll, [device]);

  const seen = await seenBoard(owner, poll);
  const state = await replayBoard(owner, poll);
  const outcome = state.ceremony!.outcome!;
  const keyFile = join(folder, `${poll}.key`);
  const key = { params: state.ceremony!.params, index: 1, signing: device.secrets!.signing, encryption: device.secrets!.encryption, keyShare: device.keyShare!, jointKey: outcome.jointKey!, transcript: outcome.transcript, seen };
  writeFileSync(keyFile, await createKeyFile(key, PASSPHRASE, { logN: 14 }));

  expect((await owner.post(`/api/polls/${poll}/open`)).status).toBe(200);
  for (const v of voters) expect((await castBallot(owner, poll, (await v.ballot(owner, BALLOT, rng)).bytes)).status).toBe(201);
  expect((await owner.post(`/api/polls/${poll}/close`)).status).toBe(200);
  expect((await owner.post(`/api/polls/${poll}/tally`)).status).toBe(200);
  return { owner, poll, link: invite.link, keyFile, seen };
}

/** Her tab on the poll's console, each post of her console recorded (and passed on). */
async function consoleOf(t: Tallied, lang: Lang, o: { phone?: boolean } = {}): Promise<{ tab: Tab; posts: string[] }> {
  const tab = await openTab(both.browser, both.site.base, { locale: lang === 'zh' ? 'zh-CN' : 'en-GB', viewport: o.phone ? PHONE : undefined });
  const posts: string[] = [];
  await tab.page.route(`**/api/polls/${t.poll}/trustee/**`, async (route: Route) => {
    if (route.request().method() === 'POST') posts.push(route.request().url());
    return route.continue();
  });
  return { tab, posts };
}

async function open(tab: Tab, t: Tallied, lang: Lang): Promise<void> {
  await tab.page.goto(t.link);
  await tab.page.getByRole('heading', { name: say(lang, 'trustee.decrypt.heading') }).waitFor({ timeout: 60_000 });
}

async function useKey(page: Page, lang: Lang, file: string): Promise<void> {
  await page.getByLabel(say(lang, 'trustee.key.file')).setInputFiles(file);
  await page.getByLabel(say(lang, 'trustee.key.passphrase'), { exact: true }).fill(PASSPHRASE);
  await page.getByRole('button', { name: say(lang, 'trustee.decrypt.button') }).click();
}

/** The refusal, with each expected sentence in it. */
async function refused(page: Page, lang: Lang, texts: string[]): Promise<void> {
  const alert = page.getByRole('alert').filter({ hasText: say(lang, 'trustee.gate.refused') });
  await alert.waitFor({ timeout: 60_000 });
  for (const text of texts) await alert.getByText(text).waitFor();
}

const boardSize = async (t: Tallied) => (await t.owner.get(`/api/polls/${t.poll}/checkpoint`)).body.size as number;

describe('the trustee console’s gate before decrypting', () => {
  test('refuses a tally below the privacy floor in words; nothing is decrypted or posted', async () => {
    const t = await tallied({ draft: { privacyFloor: 3 }, voters: 2, seed: 'gate floor' });
    const before = await boardSize(t);
    const { tab, posts } = await consoleOf(t, 'en', { phone: true });
    await open(tab, t, 'en');
    await useKey(tab.page, 'en', t.keyFile);
    await refused(tab.page, 'en', [say('en', 'trustee.gate.belowFloor', { counted: 2, floor: 3 })]);
    await screenshot(tab.page, 'trustee-gate-floor-en-phone');
    await clean(tab);
    expect(posts).toEqual([]);
    expect(await boardSize(t)).toBe(before);
    expect((await t.owner.get(`/api/polls/${t.poll}`)).body.status).toBe('tallied');
    await tab.context.close();
  });

  test('refuses a board forked since her key file, showing both roots, in English and in Chinese; nothing is posted', async () => {
    const t = await tallied({ draft: {}, voters: 2, seed: 'gate fork' });
    const before = await boardSize(t);
    // The fork: every entry after the manifest one millisecond later, re-chained. It passes the rules,
    // but its root at her key's size is not the one her key file holds, and the log signed none of it.
    const real: { bytes: string }[] = [];
    while (real.length < before) real.push(...(await t.owner.get(`/api/polls/${t.poll}/entries?from=${real.length}&limit=200`)).body.entries);
    const forked: Uint8Array[] = [];
    const tree = new MerkleTree(new MemoryNodeStore());
    let prev = hashEntry(unb64(real[0].bytes));
    forked.push(unb64(real[0].bytes));
    tree.append(hashLeaf(prev));
    for (const e of real.slice(1)) {
      const raw = decodeEntry(unb64(e.bytes));
      const bytes = encodeEntry({ type: raw.type, height: raw.height, prev, time: raw.time + 1 }, raw.payload);
      forked.push(bytes);
      prev = hashEntry(bytes);
      tree.append(hashLeaf(prev));
    }
    const serveFork = (page: Page) =>
      page.route(
        (url) => url.pathname === `/api/polls/${t.poll}/entries`,
        (route: Route) => {
          const url = new URL(route.request().url());
          const from = Number(url.searchParams.get('from') ?? 0);
          const limit = Number(url.searchParams.get('limit') ?? 200);
          const entries = forked.slice(from, from + limit).map((bytes, k) => ({ height: from + k, bytes: b64(bytes) }));
          return route.fulfill({ json: { size: forked.length, from, entries } });
        },
      );
    expect(toHex(tree.root(t.seen.size))).not.toBe(toHex(t.seen.root));
    for (const [lang, phone] of [['en', false], ['zh', true]] as const) {
      const { tab, posts } = await consoleOf(t, lang, { phone });
      await serveFork(tab.page);
      await open(tab, t, lang);
      await useKey(tab.page, lang, t.keyFile);
      await refused(tab.page, lang, [
        say(lang, 'trustee.gate.fork', { size: t.seen.size }),
        say(lang, 'trustee.gate.forkSeen', { root: groups(toHex(t.seen.root)) }),
        say(lang, 'trustee.gate.forkBoard', { root: groups(toHex(tree.root(t.seen.size))) }),
      ]);
      await screenshot(tab.page, `trustee-gate-fork-${lang}-${phone ? 'phone' : 'desktop'}`);
      await clean(tab);
      expect(posts).toEqual([]);
      await tab.context.close();
    }
    expect(await boardSize(t)).toBe(before);
  });

  test('with k = 1, refuses a checkpoint stripped of the witness’s cosignature (in Chinese), then decrypts with it (in English)', async () => {
    const t = await tallied({ draft: { witnesses: { keys: [vkey(alice)], k: 1 } }, voters: 2, seed: 'gate witness' });
    const latest = (await t.owner.get(`/api/polls/${t.poll}/checkpoint`)).body;
    const cosigned = cosignCheckpoint(latest.checkpoint, alice, Math.floor(Date.now() / 1000));
    expect((await t.owner.post(`/api/polls/${t.poll}/cosignatures`, { witness: vkey(alice), cosigned })).status).toBe(201);
    const before = await boardSize(t);

    // The server hides the cosignature from her.
    const stripped = await consoleOf(t, 'zh');
    await stripped.tab.page.route(
      (url) => url.pathname === `/api/polls/${t.poll}/checkpoint`,
      async (route: Route) => {
        const answer = await route.fetch();
        return route.fulfill({ response: answer, json: { ...(await answer.json()), cosignatures: [] } });
      },
    );
    await open(stripped.tab, t, 'zh');
    await useKey(stripped.tab.page, 'zh', t.keyFile);
    await refused(stripped.tab.page, 'zh', [say('zh', 'trustee.gate.tooFew', { k: 1, count: 0, names: say('zh', 'trustee.gate.nobody') })]);
    await screenshot(stripped.tab.page, 'trustee-gate-witness-zh-desktop');
    await clean(stripped.tab);
    expect(stripped.posts).toEqual([]);
    expect(await boardSize(t)).toBe(before);
    await stripped.tab.context.close();

    // The honest server: the witness vouches for her checkpoint, and her share goes on the board.
    const honest = await consoleOf(t, 'en');
    await open(honest.tab, t, 'en');
    await useKey(honest.tab.page, 'en', t.keyFile);
    await honest.tab.page.getByText(say('en', 'trustee.decrypt.posted')).or(honest.tab.page.getByText(say('en', 'trustee.phase.done'))).waitFor({ timeout: 60_000 });
    expect(await honest.tab.page.getByText(say('en', 'trustee.gate.compareHeading')).count()).toBe(0);
    await honest.tab.page.getByText(say('en', 'trustee.phase.done')).waitFor({ timeout: 30_000 });
    await clean(honest.tab);
    expect(honest.posts.filter((u) => u.endsWith('/trustee/messages')).length).toBe(1);
    expect((await t.owner.get(`/api/polls/${t.poll}/result`)).body.status).toBe('done');
    await honest.tab.context.close();
  });

  test('with k = 0, a wrong poll fingerprint stops her, and she must tick that the checkpoint was compared aloud before it decrypts', async () => {
    const t = await tallied({ draft: {}, voters: 2, seed: 'gate aloud' });
    const before = await boardSize(t);
    const { tab, posts } = await consoleOf(t, 'en', { phone: true });
    const page = tab.page;
    await open(tab, t, 'en');

    // The fingerprint of the manifest her browser replayed is on the console; one she holds that differs stops her.
    const manifest = decodeEntry(unb64((await t.owner.get(`/api/polls/${t.poll}/entries?from=0&limit=1`)).body.entries[0].bytes)).payload;
    const mine = formatPollFingerprint(pollFingerprint(manifest));
    await page.getByText(mine, { exact: true }).waitFor();
    const wrong = formatPollFingerprint(new Uint8Array(32).fill(9));
    await page.getByLabel(say('en', 'trustee.fp.label')).fill(wrong);
    await page.getByRole('button', { name: say('en', 'trustee.fp.check') }).click();
    await page.getByRole('alert').filter({ hasText: say('en', 'trustee.fp.mismatch', { held: wrong }) }).first().waitFor();
    await useKey(page, 'en', t.keyFile);
    await refused(page, 'en', [say('en', 'trustee.fp.mismatch', { held: wrong })]);
    await clean(tab);
    expect(posts).toEqual([]);
    await page.getByLabel(say('en', 'trustee.fp.label')).fill(mine.toLowerCase());
    await page.getByRole('button', { name: say('en', 'trustee.fp.check') }).click();
    await page.getByText(say('en', 'trustee.fp.match')).waitFor();

    // The checkpoint to compare: the log's latest, at the root her browser computed.
    await useKey(page, 'en', t.keyFile);
    await page.getByRole('heading', { name: say('en', 'trustee.gate.compareHeading') }).waitFor({ timeout: 60_000 });
    const seen = await seenBoard(t.owner, t.poll);
    await page.getByText(say('en', 'trustee.gate.checkpoint', { size: seen.size })).waitFor();
    await page.getByText(say('en', 'trustee.gate.root', { root: groups(toHex(seen.root)) })).waitFor();
    await page.getByText(say('en', 'trustee.gate.noWitness')).waitFor();
    await screenshot(page, 'trustee-gate-compare-en-phone');
    await clean(tab);

    // Without the tick, the button does nothing but ask for it.
    const unlock = page.getByRole('button', { name: say('en', 'trustee.gate.unlock'), exact: true });
    await unlock.click();
    await page.getByRole('alert').filter({ hasText: say('en', 'trustee.gate.compareFirst') }).waitFor();
    await clean(tab);
    expect(posts).toEqual([]);
    expect(await boardSize(t)).toBe(before);

    await page.getByLabel(say('en', 'trustee.gate.compared')).check();
    await unlock.click();
    await page.getByText(say('en', 'trustee.phase.done')).waitFor({ timeout: 60_000 });
    await clean(tab);
    expect(posts.filter((u) => u.endsWith('/trustee/messages')).length).toBe(1);
    await tab.context.close();
  });
});
