/**
 * The demo on the site (`gongshi serve --demo`): two demonstration polls in the server's own database,
 * made once through the same polls, boards and rules as any poll, every trustee and voter played in
 * this process (ceremony.ts, demo-poll.ts), so that a newcomer sees a working site at once:
 * - a finished poll: published, key ceremony done, a dozen ballots (and one audit), closed, counted
 *   and decrypted with proofs; its trustees' key shares are played here and never stored;
 * - an open poll whose voter codes are public (the /demo page lists them): anyone may try the booth.
 *   Its trustees' shares are thrown away once the key is made: it stays open and is never counted.
 * Both titles carry the demo mark (verifier's isDemoTitle), which every page reads from the manifest.
 * What was made is noted in <data>/demo.json; a later start with --demo finds it and makes nothing.
 * Nothing here runs without --demo: serve.ts calls it only then, and createApp offers it only then.
 */
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Database } from 'better-sqlite3';
import type { Logger } from 'pino';
import { createBallot, deriveCredential, encodeBallot, generateCredentialCode, toHex, type KeyPair, type RandomSource } from '../../crypto/index.ts';
import { decodeEntry, encodeAudit, hashManifest, registrarPublicKey, signCredentialList, type Board, type EntryTypeName } from '../../bulletin-board/index.ts';
import { isDemoTitle } from '../../verifier/index.ts';
import type { Draft } from '../polls/draft.ts';
import type { PollHost } from '../polls/poll-host.ts';
import type { Polls } from '../polls/polls.ts';
import { playCeremony } from './ceremony.ts';
import { decryptOnBoard, demoQuestions, randomAnswers } from './demo-poll.ts';

/** The file in the data folder that names the demo polls. */
export const DEMO_FILE = 'demo.json';

/** How many residents vote in the finished demo poll, and how many codes the open one has. */
export const FINISHED_VOTERS = 12;
export const OPEN_CODES = 12;

export interface SiteDemo {
  /** the finished poll (counted, with its result and record) */
  readonly finished: string;
  /** the open poll */
  readonly open: string;
  /** the open poll's voter codes, public on purpose: it is a demonstration */
  readonly codes: readonly string[];
}

export interface DemoContext {
  readonly polls: Polls;
  readonly db: Database;
  readonly dataDir: string;
  /** names the server in the polls' origin (`<host>/poll/<id>`) */
  readonly host: string;
  readonly rng: RandomSource;
  readonly log: Logger;
}

const bi = (en: string, zh: string) => [en, zh];

/**
 * The demo polls of this data folder: those noted in demo.json when both still exist, otherwise two
 * new ones (and demo.json names them). `made` says which. Throws if the board refuses an honest entry (a bug).
 */
export async function ensureSiteDemo(ctx: DemoContext): Promise<{ demo: SiteDemo; made: boolean }> {
  const kept = readDemoFile(ctx.dataDir);
  if (kept !== null && hasPoll(ctx.polls, kept.finished) && hasPoll(ctx.polls, kept.open)) return { demo: kept, made: false };
  const row = ctx.db.prepare('SELECT id FROM organisers ORDER BY id LIMIT 1').get() as { id: number } | undefined;
  if (row === undefined) throw new Error('bug: the demo needs the organiser account, which the server makes at start');
  const finished = await makeFinishedPoll(ctx, row.id);
  const open = await makeOpenPoll(ctx, row.id);
  const demo: SiteDemo = { finished, open: open.id, codes: open.codes };
  const file = join(ctx.dataDir, DEMO_FILE);
  writeFileSync(`${file}.tmp`, JSON.stringify(demo, null, 2) + '\n');
  renameSync(`${file}.tmp`, file);
  ctx.log.info({ finished, open: open.id }, 'demo polls made');
  return { demo, made: true };
}

/** demo.json, or null when absent or not what this file writes. */
export function readDemoFile(dataDir: string): SiteDemo | null {
  const file = join(dataDir, DEMO_FILE);
  if (!existsSync(file)) return null;
  try {
    const v = JSON.parse(readFileSync(file, 'utf8')) as Partial<SiteDemo>;
    const id = /^[0-9a-f]{32}$/;
    if (typeof v.finished !== 'string' || !id.test(v.finished) || typeof v.open !== 'string' || !id.test(v.open)) return null;
    if (!Array.isArray(v.codes) || !v.codes.every((c) => typeof c === 'string')) return null;
    return { finished: v.finished, open: v.open, codes: v.codes };
  } catch {
    return null;
  }
}

function hasPoll(polls: Polls, id: string): boolean {
  return polls.all().some((p) => p.hex === id);
}

function demoDraft(title: string[], description: string[], registrarKey: Uint8Array): Draft {
  if (!isDemoTitle(title)) throw new Error('bug: a demo poll’s title must carry the demo mark');
  return {
    languages: ['en', 'zh-CN'],
    title,
    description,
    questions: demoQuestions('courtyard').map((q) => ({ question: q.question, prompt: [...q.prompt], options: q.options.map((o) => [...o]) })),
    trustees: { t: 2, n: 3, names: ['Demo trustee 1', 'Demo trustee 2', 'Demo trustee 3'] },
    opensAt: 0,
    closesAt: 0,
    maxBallots: 3,
    registrar: { name: 'Demo registrar', key: toHex(registrarKey), isOrganiser: false },
    witnesses: { keys: [], k: 0 },
    privacyFloor: 1,
    closeEarly: 'never',
    maxExtension: 0,
  };
}

async function submit(board: Board, type: EntryTypeName, payload: Uint8Array): Promise<void> {
  const r = await board.submit(type, payload);
  if (!r.ok) throw new Error(`bug: the board refused the demo's ${type} entry: ${r.code} ${r.reason}`);
}

/**
 * A poll made, published, with the voters of `codes` listed (signed by a registrar key made here and
 * then forgotten), its key ceremony played and voting open. Returns the poll, its board, the voters'
 * credentials and what its trustees hold.
 */
async function openDemoPoll(ctx: DemoContext, organiser: number, title: string[], description: string[], codes: readonly string[]) {
  const registrarSeed = ctx.rng(32);
  const poll: PollHost = ctx.polls.create(organiser, demoDraft(title, description, registrarPublicKey(registrarSeed)), ctx.host);
  const voters: KeyPair[] = codes.map((code) => deriveCredential(code, poll.id));
  await poll.publish(); // the manifest, and ceremony run 1
  const board = poll.requireBoard();
  const [first] = board.entries(0, 1);
  const manifestBytes = decodeEntry(first.bytes).payload;
  await submit(board, 'credentials', signCredentialList(voters.map((v) => ({ key: v.publicKey, weight: 1 })), hashManifest(manifestBytes), registrarSeed));
  const played = await playCeremony(board, ctx.rng, { startRun: false });
  await poll.open();
  return { poll, board, voters, played };
}

/** The finished poll: FINISHED_VOTERS residents cast (the fourth audits a ballot first), then close, tally, decryption, result. */
async function makeFinishedPoll(ctx: DemoContext, organiser: number): Promise<string> {
  const { rng } = ctx;
  const codes = Array.from({ length: FINISHED_VOTERS }, () => generateCredentialCode(rng));
  const { poll, board, voters, played } = await openDemoPoll(
    ctx,
    organiser,
    bi('Demo: courtyard committee poll (counted)', '演示：院落委员会投票（已计票）'),
    bi('A demonstration poll with made-up residents: voted, closed and counted. Check its record yourself.', '用虚构居民进行的演示投票：已投票、已结束、已计票。您可以自己核验它的记录。'),
    codes,
  );
  const manifest = board.state.manifest!;
  const e = board.state.election!;
  const shape = { questions: manifest.questions.map((q) => q.question) };
  for (const [i, credential] of voters.entries()) {
    const make = () => createBallot({ shape, key: e.jointKey, fingerprint: e.fingerprint, credential, answers: randomAnswers(manifest, rng) }, rng);
    if (i === 3) {
      const audited = make(); // she checks the device first, then votes
      await submit(board, 'audit', encodeAudit(encodeBallot(audited.ballot), audited.opening));
    }
    await submit(board, 'ballot', make().bytes);
  }
  await poll.close();
  await poll.tally();
  await decryptOnBoard(board, played, e.t, rng);
  return poll.hex;
}

/** The open poll: OPEN_CODES public codes listed, voting open; its trustees' shares are forgotten, so it is never counted. */
async function makeOpenPoll(ctx: DemoContext, organiser: number): Promise<{ id: string; codes: string[] }> {
  const codes = Array.from({ length: OPEN_CODES }, () => generateCredentialCode(ctx.rng));
  const { poll } = await openDemoPoll(
    ctx,
    organiser,
    bi('Demo: try the voting booth', '演示：试用投票页面'),
    bi('A demonstration poll: vote with one of the demo codes on the demo page. It stays open and is never counted.', '演示投票：用演示页面上的演示投票码投票。它一直开放，永远不会计票。'),
    codes,
  );
  return { id: poll.hex, codes };
}
