/**
 * Crash safety of the SQLite board store: a child process (crash-child.ts) appends ballots to a real
 * store and is killed with SIGKILL at a seeded random moment, again and again on the same file. After
 * every kill the store must open (Board.open re-verifies the chain, the tree and the checkpoint) and
 * hold every append the child saw acknowledged. Spec §B.5.1 (a returned transaction survives a crash)
 * and §B.5.3 (a submission resolves only after its durable append).
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { copyFileSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ballotTracker, fromHex, seededRandom, toHex } from '../../crypto/index.ts';
import { Board, decodeEntry, encodeSignerKey, type ManifestQuestion, type SignerKey } from '../../bulletin-board/index.ts';
import { SqliteStorage } from '../../bulletin-board/store/index.ts';
import type { CrashSide } from './crash-child.ts';
import { listVoters, must, runCeremony, startPoll } from './poll-support.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const CHILD = resolve(import.meta.dirname, 'crash-child.ts');
/** as in crash-child.ts: the most ballots the child submits together */
const MAX_WAVE = 6;
/** 400 voters with 3 ballots each: room for every run below (about 600 ballots here) on a machine twice as fast */
const VOTERS = 400;
const KILLS = 12;
/** one cheap question keeps ballots (~8 ms to make and append) and the replay of Board.open small */
const QUESTION: ManifestQuestion = { question: { kind: 'single', options: 2 }, prompt: ['Yes or no?', '是否？'], options: [['Yes', '是'], ['No', '否']] };

interface Acknowledged {
  readonly height: number;
  readonly tracker: string;
}

interface ChildRun {
  /** the store's size the child opened, from its `ready` line; null if it never got there */
  readonly ready: number | null;
  readonly acknowledged: Acknowledged[];
  readonly done: boolean;
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stderr: string;
}

/** Runs the child on `db`; with `killAfter`, sends SIGKILL that many ms after it prints `ready`. */
async function runChild(db: string, seed: string, options: { killAfter?: number; limit?: number } = {}): Promise<ChildRun> {
  const args = ['--import', 'tsx', CHILD, db, seed, ...(options.limit === undefined ? [] : [String(options.limit)])];
  const child = spawn(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  let kill: NodeJS.Timeout | undefined;
  child.stdout.setEncoding('utf8');
  child.stderr.setEncoding('utf8');
  child.stdout.on('data', (s: string) => {
    stdout += s;
    if (options.killAfter !== undefined && kill === undefined && /^ready \d+$/m.test(stdout)) kill = setTimeout(() => child.kill('SIGKILL'), options.killAfter);
  });
  child.stderr.on('data', (s: string) => (stderr += s));
  const guard = setTimeout(() => child.kill('SIGKILL'), 60_000);
  const [code, signal] = (await once(child, 'close')) as [number | null, NodeJS.Signals | null];
  clearTimeout(guard);
  clearTimeout(kill);
  const lines = stdout.split('\n').slice(0, -1); // the last piece is '' or a line cut short by the kill
  const ready = lines.map((l) => /^ready (\d+)$/.exec(l)).find((m) => m !== null);
  const acknowledged = lines.flatMap((l) => {
    const m = /^(\d+) ([0-9a-f]{64})$/.exec(l);
    return m ? [{ height: Number(m[1]), tracker: m[2] }] : [];
  });
  const unknown = lines.filter((l) => !/^(ready \d+|\d+ [0-9a-f]{64}|done)$/.test(l));
  if (unknown.length > 0) throw new Error(`the child printed ${JSON.stringify(unknown)}`);
  return { ready: ready ? Number(ready[1]) : null, acknowledged, done: lines.includes('done'), code, signal, stderr };
}

/** Checkpoints the WAL into the main file, so that the file alone is the whole store. */
function settle(path: string): void {
  const db = new Database(path);
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
}

describe('a SQLite board store killed while appending', () => {
  let dir: string;
  let prepared: string;
  let side: CrashSide;
  let logKey: SignerKey;
  /** entries of the prepared store: manifest, credentials, ceremony, open */
  let base: number;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'gongshi-store-crash-'));
    prepared = join(dir, 'prepared.db');
    const poll = await startPoll({ seed: 'store crash', storage: new SqliteStorage(prepared), manifest: { questions: [QUESTION] } });
    await listVoters(poll, VOTERS);
    await runCeremony(poll);
    await must(poll.board, 'open', new Uint8Array(0));
    logKey = poll.logKey;
    base = poll.board.size;
    side = { logKey: encodeSignerKey(poll.logKey), pollId: toHex(poll.manifest.pollId), codes: poll.voters.map((v) => v.code) };
    poll.board.close();
    settle(prepared);
    expect(existsSync(`${prepared}-wal`)).toBe(false);
  });

  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  /** A fresh copy of the prepared store, with its side file. */
  function copyPrepared(name: string): string {
    const path = join(dir, name);
    copyFileSync(prepared, path);
    writeFileSync(`${path}.json`, JSON.stringify(side));
    return path;
  }

  /**
   * Opens the store as a restarted server would (every check of Board.open) and checks the run's
   * acknowledged appends against it. Returns the store's size.
   */
  async function reopenAndCheck(db: string, before: number, run: ChildRun): Promise<number> {
    const board = await Board.open({ storage: new SqliteStorage(db), logKey });
    try {
      const heights = run.acknowledged.map((a) => a.height);
      expect(new Set(heights).size).toBe(heights.length);
      for (const a of run.acknowledged) {
        expect(a.height).toBeGreaterThanOrEqual(before);
        expect(board.findTracker(fromHex(a.tracker, 'tracker'))).toBe(a.height);
        const [stored] = board.entries(a.height, a.height + 1);
        expect(toHex(ballotTracker(decodeEntry(stored.bytes).payload))).toBe(a.tracker);
      }
      expect(board.size).toBeGreaterThanOrEqual(before + run.acknowledged.length);
      // durable but not acknowledged: at most the one group whose commit the kill overtook
      expect(board.size - before - run.acknowledged.length).toBeLessThanOrEqual(MAX_WAVE);
      expect(board.state.phase).toBe('open');
      expect(board.state.ballots).toBe(board.size - base);
      const maxBallots = board.state.manifest!.maxBallots;
      for (const c of board.state.credentials.values()) expect(c.ballots).toBeLessThanOrEqual(maxBallots);
      return board.size;
    } finally {
      board.close();
    }
  }

  it('a child left alone acknowledges every append it makes and prints done', async () => {
    const db = copyPrepared('control.db');
    const run = await runChild(db, 'control', { limit: 20 });
    expect(run.stderr).toBe('');
    expect(run).toMatchObject({ ready: base, done: true, code: 0, signal: null });
    expect(run.acknowledged.map((a) => a.height).sort((x, y) => x - y)).toEqual(Array.from({ length: 20 }, (_, k) => base + k));
    expect(await reopenAndCheck(db, base, run)).toBe(base + 20);
  });

  it(`keeps every acknowledged append through ${KILLS} SIGKILLs at random moments, and reopens verified after each`, async () => {
    const db = copyPrepared('killed.db');
    const rng = seededRandom('store crash: kill delays');
    const below = (n: number): number => new DataView(rng(4).buffer).getUint32(0) % n;
    const runs: { delay: number; acknowledged: number; durable: number; midWork: boolean }[] = [];
    let size = base;
    for (let k = 0; k < KILLS; k++) {
      const delay = 120 + below(680);
      const run = await runChild(db, `kill ${k}`, { killAfter: delay });
      if (run.signal !== 'SIGKILL') expect(run.stderr).toBe(''); // a child that failed on its own says why
      expect(run.ready).toBe(size); // it went on from where the last one stopped
      const after = await reopenAndCheck(db, size, run);
      const midWork = run.signal === 'SIGKILL' && !run.done && run.acknowledged.length > 0;
      runs.push({ delay, acknowledged: run.acknowledged.length, durable: after - size, midWork });
      size = after;
    }
    // The kills really landed while the child was appending, at different points.
    expect(runs.filter((r) => r.midWork).length, JSON.stringify(runs)).toBeGreaterThanOrEqual(KILLS / 2);
    expect(new Set(runs.map((r) => r.durable)).size, JSON.stringify(runs)).toBeGreaterThan(KILLS / 2);
    expect(size).toBeGreaterThan(base + KILLS);
  });
});
