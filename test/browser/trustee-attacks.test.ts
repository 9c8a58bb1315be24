/**
 * The trustee console against a server that speaks in her name, in a real browser (verifier
 * checkOwnMessages, docs/client.md): trustees 1 (English) and 2 (Chinese) open their links; the
 * identity each console posts never reaches the board. Instead an impostor's identity, made with
 * createTrustee for her index, is posted with her token, and her console is told 201. The impostors
 * and honest trustee 3 then finish the ceremony, so the "server" holds the election secret. Each
 * console raises the alarm in its language with the evidence (her message's SHA-256 and the
 * board's, her keys' fingerprint and the impostor's), keeps it across a reload, and posts nothing
 * after its identity. Every console shows the same key fingerprints as the organiser's ceremony
 * progress, and her row says the keys under her number are not hers.
 * Her posts are intercepted with page.route; the board itself is real.
 */
import { createHash } from 'node:crypto';
import type { Page, Route } from 'playwright-core';
import { describe, expect, test } from 'vitest';
import { createTrustee, decodeTrusteeMessage, seededRandom } from '../../crypto/index.ts';
import { trusteeFingerprint } from '../../verifier/index.ts';
import { trustee as words } from '../../client/src/i18n/trustee.ts';
import { TrusteeDevice, courtyardDraft, organiser, replayBoard, runCeremony, unb64 } from '../server/support.ts';
import { axe, browserAndSite, missingKeys, openTab, screenshot, type Tab } from './support.ts';

type Lang = 'en' | 'zh';
type Key = keyof typeof words.en;

const say = (lang: Lang, key: Key, vars: Record<string, string | number> = {}) => words[lang][key].replace(/\{(\w+)\}/g, (_, name: string) => String(vars[name]));
const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
/** The key fingerprint of an identity message's signing key. */
function keyPrint(identity: Uint8Array): string {
  const m = decodeTrusteeMessage(identity);
  if (m.kind !== 'identity') throw new Error('not an identity');
  return trusteeFingerprint(m.signingKey);
}

const both = browserAndSite();

async function clean(tab: Tab): Promise<void> {
  expect(await missingKeys(tab.page)).toEqual([]);
  expect(await axe(tab.page)).toEqual([]);
  expect(tab.problems).toEqual([]);
}

/** One attacked trustee: her tab, the impostor the server uses in her place, and every message her console tried to post. */
interface Victim {
  readonly index: number;
  readonly lang: Lang;
  readonly tab: Tab;
  readonly impostor: TrusteeDevice;
  /** the messages her console sent (base64 bytes), in order */
  readonly sent: Uint8Array[];
  /** the impostor's identity on the board */
  identity?: Uint8Array;
}

/**
 * The lying server: her first ceremony message (her identity) is dropped and the impostor's identity
 * is posted with her token in its place; she is answered with the board's real 201. Anything else she
 * posts is recorded and refused.
 */
async function impersonate(page: Page, poll: string, v: Victim, params: Parameters<typeof createTrustee>[0]): Promise<void> {
  await page.route(`**/api/polls/${poll}/trustee/**`, async (route: Route) => {
    const request = route.request();
    if (request.method() !== 'POST') return route.continue();
    v.sent.push(unb64((request.postDataJSON() as { message?: string } | null)?.message ?? ''));
    if (v.sent.length > 1 || !request.url().endsWith('/trustee/messages')) {
      return route.fulfill({ status: 409, json: { error: 'WRONG_PHASE', message: 'refused by the test' } });
    }
    const made = createTrustee(params, v.index, seededRandom(`impostor ${v.index}`));
    v.impostor.secrets = made.secrets;
    v.identity = made.identity.bytes;
    const answer = await v.impostor.client.post(`/api/polls/${poll}/trustee/messages`, { message: Buffer.from(made.identity.bytes).toString('base64') });
    expect(answer.status).toBe(201);
    return route.fulfill({ status: answer.status, json: answer.body });
  });
}

describe('a server that posts an impostor’s identity under her index', () => {
  test('her console raises the alarm in English and in Chinese, with the evidence, keeps it after a reload, and posts nothing more', async () => {
    const { browser, site } = both;
    const owner = await organiser(site);
    const poll = (await owner.post('/api/polls', { draft: courtyardDraft() })).body.id as string;
    const invites = (await owner.post(`/api/polls/${poll}/invites`)).body.invites as { trustee: number; token: string; link: string }[];
    expect((await owner.post(`/api/polls/${poll}/publish`)).status).toBe(200);
    const params = (await replayBoard(owner, poll)).ceremony!.params;
    const device = (k: number) => new TrusteeDevice(site.base, poll, invites[k].trustee, invites[k].token, seededRandom(`device ${k + 1}`));

    const victims: Victim[] = [];
    for (const [k, lang] of (['en', 'zh'] as const).entries()) {
      const tab = await openTab(browser, site.base, { locale: lang === 'zh' ? 'zh-CN' : 'en-GB' });
      const v: Victim = { index: invites[k].trustee, lang, tab, impostor: device(k), sent: [] };
      await impersonate(tab.page, poll, v, params);
      await tab.page.goto(invites[k].link);
      victims.push(v);
    }

    // Each console posts its identity once; the board holds the impostor's; the alarm names step 1 with both hashes.
    for (const v of victims) {
      const { page } = v.tab;
      await page.getByRole('heading', { name: say(v.lang, 'trustee.alarm.heading') }).waitFor({ timeout: 30_000 });
      expect(v.sent.length).toBe(1);
      expect(v.sent[0][0]).toBe(1); // kind 1, identity
      expect(v.sent[0]).not.toEqual(v.identity);
      const alarm = page.getByRole('alert').filter({ hasText: say(v.lang, 'trustee.alarm.heading') });
      for (const text of [
        say(v.lang, 'trustee.alarm.stopped'),
        say(v.lang, 'trustee.alarm.tell'),
        say(v.lang, 'trustee.alarm.notHers', { step: 1, run: 1, title: say(v.lang, 'trustee.step1.title'), kind: say(v.lang, 'trustee.kind.identity') }),
        say(v.lang, 'trustee.alarm.mine', { hash: sha256(v.sent[0]) }),
        say(v.lang, 'trustee.alarm.board', { hash: sha256(v.identity!) }),
        say(v.lang, 'trustee.alarm.keysMine', { print: keyPrint(v.sent[0]) }),
        say(v.lang, 'trustee.alarm.keysBoard', { print: keyPrint(v.identity!) }),
      ]) {
        await alarm.getByText(text, { exact: true }).waitFor();
      }
      await screenshot(page, `trustee-impostor-alarm-${v.lang}-desktop`);
      await clean(v.tab);
    }

    // The impostors and the honest trustee 3 finish the ceremony: the server now holds the election secret.
    const honest = device(2);
    await honest.act();
    await expect.poll(async () => (await owner.get(`/api/polls/${poll}/ceremony`)).body.step, { timeout: 10_000 }).toBe(2);
    await runCeremony(owner, poll, [victims[0].impostor, victims[1].impostor, honest]);
    expect((await owner.get(`/api/polls/${poll}`)).body.status).toBe('ready');

    // Her console still shows the alarm, not "the key is made", also after a reload of the tab (what it posted is kept there).
    const board = await replayBoard(owner, poll);
    const prints = board.ceremony!.record.identities.map((m) => trusteeFingerprint(m.signingKey));
    expect((await owner.get(`/api/polls/${poll}/ceremony`)).body.fingerprints).toEqual(prints);
    for (const v of victims) {
      const { page } = v.tab;
      if (v.lang === 'en') await page.reload();
      await page.getByRole('heading', { name: say(v.lang, 'trustee.alarm.heading') }).waitFor({ timeout: 30_000 });
      await page.getByText(say(v.lang, 'trustee.alarm.board', { hash: sha256(v.identity!) }), { exact: true }).waitFor();
      expect(await page.getByText(say(v.lang, 'trustee.phase.ready')).count()).toBe(0);
      // The fingerprints she can read aloud are the board's; her row says the board's keys under her number are not the ones her browser made.
      for (const print of prints) await page.getByRole('cell', { name: print }).waitFor();
      const hers = page.getByRole('row').filter({ hasText: say(v.lang, 'trustee.prints.you') });
      await hers.getByText(prints[v.index - 1]).waitFor();
      expect(prints[v.index - 1]).toBe(keyPrint(v.identity!));
      await hers.getByText(say(v.lang, 'trustee.prints.notYours', { print: keyPrint(v.sent[0]) })).waitFor();
      await screenshot(page, `trustee-impostor-ready-${v.lang}-desktop`);
      await clean(v.tab);
    }
    // Nothing was posted by her console after its identity: no commit, no review, no signature.
    for (const v of victims) expect(v.sent.length, `trustee ${v.index}`).toBe(1);
    for (const v of victims) await v.tab.context.close();
  });
});
