/**
 * Restarting from a snapshot after a crash (spec §B.5.4 with §B.5.1): a child process (crash-child.ts)
 * casts ballots on a real SQLite board that takes a snapshot every few entries, and is killed with
 * SIGKILL at seeded moments. After every kill the board reopens from its snapshot without a warning,
 * to exactly the state of a full replay, and every ballot the child saw acknowledged is on it: its
 * tracker found at its height, and its entry included in the latest signed checkpoint.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fromHex, seededRandom, toHex } from '../../crypto/index.ts';
import { Board, decodeSnapshot, encodeSignerKey, hashLeaf, snapshotKey, verifierKeyOf, verifyCheckpoint, verifyInclusion, type ManifestQuestion, type SignerKey } from '../../bulletin-board/index.ts';
import { SqliteStorage } from '../../bulletin-board/store/index.ts';
import type { CrashSide } from './crash-child.ts';
import { listVoters, must, runCeremony, startPoll } from './poll-support.ts';
import { stateDigest } from './state-digest.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const CHILD = resolve(import.meta.dirname, 'crash-child.ts');
const VOTERS = 150;
const KILLS = 4;
/** a snapshot at least every 4 entries (growing by half each time): several while the children cast */
const GAP = 4;
const QUESTION: ManifestQuestion = { question: { kind: 'single', options: 2 }, prompt: ['Yes or no?', '是否？'], options: [['Yes', '是'], ['No', '否']] };

interface Run {
  readonly acknowledged: { readonly height: number; readonly tracker: string }[];
  readonly signal: NodeJS.Signals | null;
  readonly stderr: string;
}

/** Runs the child on `db` with snapshots every GAP entries; with `killAfter`, SIGKILL that many ms after `ready`. */
async function runChild(db: string, seed: string, options: { killAfter?: number; limit?: number }): Promise<Run> {
  const args = ['--import', 'tsx', CHILD, db, seed, ...(options.limit === undefined ? [] : [String(options.limit)])];
  const child = spawn(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, CRASH_SNAPSHOT_GAP: String(GAP) } });
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
  const [, signal] = (await once(child, 'close')) as [number | null, NodeJS.Signals | null];
  clearTimeout(guard);
  clearTimeout(kill);
  const acknowledged = stdout
    .split('\n')
    .slice(0, -1)
    .flatMap((l) => {
      const m = /^(\d+) ([0-9a-f]{64})$/.exec(l);
      return m ? [{ height: Number(m[1]), tracker: m[2] }] : [];
    });
  return { acknowledged, signal, stderr };
}

describe('a SQLite board with snapshots, killed while casting', () => {
  let dir: string;
  let db: string;
  let logKey: SignerKey;
  let base: number;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'gongshi-restart-crash-'));
    db = join(dir, 'board.db');
    const poll = await startPoll({ seed: 'restart crash', storage: new SqliteStorage(db), manifest: { questions: [QUESTION] } });
    await listVoters(poll, VOTERS);
    await runCeremony(poll);
    await must(poll.board, 'open', new Uint8Array(0));
    logKey = poll.logKey;
    base = poll.board.size;
    const side: CrashSide = { logKey: encodeSignerKey(poll.logKey), pollId: toHex(poll.manifest.pollId), codes: poll.voters.map((v) => v.code) };
    writeFileSync(`${db}.json`, JSON.stringify(side));
    poll.board.close();
  }, 120_000);

  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  /**
   * Reopens as a restarted server would: from the snapshot, without a warning, to the state of a full
   * replay; every acknowledged ballot so far at its height and included in the latest checkpoint.
   * Returns the size and the snapshot's height.
   */
  async function reopenAndCheck(acknowledged: Run['acknowledged']): Promise<{ size: number; snapshot: number }> {
    const warnings: string[] = [];
    const storage = new SqliteStorage(db);
    const board = await Board.open({ storage, logKey, onWarning: (m) => warnings.push(m) });
    try {
      expect(warnings).toEqual([]);
      const snapshot = decodeSnapshot(storage.latestSnapshot()!, snapshotKey(logKey));
      expect(snapshot.height).toBeGreaterThan(base);
      expect(snapshot.height).toBeLessThanOrEqual(board.size);
      const full = await Board.open({ storage: new SqliteStorage(db), logVerifierKey: verifierKeyOf(logKey) });
      expect(stateDigest(board.state)).toEqual(stateDigest(full.state));
      full.close();
      const latest = verifyCheckpoint(board.latestCheckpoint()!, verifierKeyOf(logKey));
      if (!latest.ok) throw new Error(latest.reason);
      expect(latest.checkpoint.size).toBe(board.size);
      for (const a of acknowledged) {
        expect(board.findTracker(fromHex(a.tracker, 'tracker'))).toBe(a.height);
        const [entry] = board.entries(a.height, a.height + 1);
        expect(verifyInclusion(hashLeaf(entry.hash), board.inclusionProof(a.height, board.size), latest.checkpoint.rootHash)).toBe(true);
      }
      return { size: board.size, snapshot: snapshot.height };
    } finally {
      board.close();
    }
  }

  it(`reopens from its snapshot after each of ${KILLS} SIGKILLs, every acknowledged ballot included in the latest checkpoint`, async () => {
    const acknowledged: Run['acknowledged'] = [];
    // A first child runs to a limit: the board has snapshots before the kills begin.
    const first = await runChild(db, 'first', { limit: 30 });
    expect(first.stderr).toBe('');
    acknowledged.push(...first.acknowledged);
    let { size, snapshot } = await reopenAndCheck(acknowledged);
    expect(size).toBe(base + 30);
    const snapshots = new Set([snapshot]);
    const rng = seededRandom('restart crash: kill delays');
    for (let k = 0; k < KILLS; k++) {
      const run = await runChild(db, `kill ${k}`, { killAfter: 300 + (new DataView(rng(4).buffer).getUint32(0) % 900) });
      if (run.signal !== 'SIGKILL') expect(run.stderr).toBe('');
      acknowledged.push(...run.acknowledged);
      ({ size, snapshot } = await reopenAndCheck(acknowledged));
      snapshots.add(snapshot);
    }
    expect(size).toBeGreaterThan(base + 30);
    // the snapshot moved on as the board grew: the reopenings used more than one
    expect(snapshots.size).toBeGreaterThan(1);
  }, 300_000);
});
