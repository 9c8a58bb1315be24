/**
 * Snapshots of the voting ledger (spec §B.5.4): a board reopened from its snapshot holds exactly the
 * state of a full replay and judges the next submissions the same way; a snapshot that does not fit
 * (a flipped byte, another key's MAC, a well-formed ledger with the right MAC that the cross-checks
 * catch) is discarded, reported, replaced by a fresh one, and the state is the full replay's. What the
 * cross-checks cannot see (a last ballot replaced, with the right MAC) changes the board's own tally,
 * which observers' verification refuses (security.md C5). Read-only boards ignore snapshots; a store
 * of layout 1 gains the snapshot table when opened.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  Board,
  MemoryStorage,
  MerkleTree,
  computeTally,
  decodeSnapshot,
  encodeLedger,
  encodeTally,
  hashLeaf,
  ledgerOf,
  snapshotKey,
  verifierKeyOf,
  type BoardStorage,
  type Ledger,
} from '../../bulletin-board/index.ts';
import { STORE_VERSION, SqliteStorage } from '../../bulletin-board/store/index.ts';
import { verifyRecord } from '../../verifier/index.ts';
import { audit, cast, listVoters, makeBallot, must, randomAnswers, refused, runCeremony, startPoll, type Poll } from './poll-support.ts';
import { stateDigest } from './state-digest.ts';

let poll: Poll;
let source: MemoryStorage;
/** the first ballot's bytes, to submit again */
let firstBallot: Uint8Array;

beforeAll(async () => {
  source = new MemoryStorage();
  // A snapshot every 3 entries at least (the default is thousands): several are taken while voting.
  poll = await startPoll({ seed: 'snapshot', storage: source, snapshotGap: 3 });
  await runCeremony(poll);
  await listVoters(poll, 12, (i) => 1 + (i % 3));
  await must(poll.board, 'open', new Uint8Array(0));
  const b = makeBallot(poll, 0, randomAnswers(poll.rng));
  firstBallot = b.bytes;
  await must(poll.board, 'ballot', b.bytes);
  // one entry a group: snapshots at the opening's height h, then at 1.5·h, 2.25·h …
  for (const i of [1, 2, 3, 4, 5]) await cast(poll, i, randomAnswers(poll.rng));
  await audit(poll, 6, randomAnswers(poll.rng));
  for (const i of [2, 6, 7, 8, 3, 9, 10]) await cast(poll, i, randomAnswers(poll.rng)); // 2 and 3 vote again
  await audit(poll, 10, randomAnswers(poll.rng));
  for (const i of [4, 5]) await cast(poll, i, randomAnswers(poll.rng));
}, 180_000);

/** A copy of a memory storage: entries, tree nodes, latest checkpoint and snapshot. */
function copy(from: MemoryStorage, snapshot: Uint8Array | null = from.latestSnapshot()): MemoryStorage {
  const to = new MemoryStorage();
  const tree = new MerkleTree(to.nodes);
  to.transaction((w) => {
    for (const e of from.entries(0, from.size())) {
      w.putEntry(e);
      tree.append(hashLeaf(e.hash));
    }
    w.putCheckpoint(from.latestCheckpoint()!);
    w.putSnapshot(snapshot);
  });
  return to;
}

/** Opens with the log key, collecting warnings. */
async function reopen(storage: BoardStorage): Promise<{ board: Board; warnings: string[] }> {
  const warnings: string[] = [];
  const board = await Board.open({ storage, logKey: poll.logKey, onWarning: (m) => warnings.push(m) });
  return { board, warnings };
}

/** The state of a full replay: a read-only board (no key: no snapshot read). */
async function fullReplay(storage: BoardStorage) {
  return stateDigest((await Board.open({ storage, logVerifierKey: verifierKeyOf(poll.logKey) })).state);
}

const key = () => snapshotKey(poll.logKey);
const ledger = (): Ledger => decodeSnapshot(source.latestSnapshot()!, key());

describe('a snapshot taken while voting', () => {
  it('is stored below the board’s size, after the opening, and holds the ballots and audits below it', () => {
    const l = ledger();
    expect(l.height).toBeLessThan(poll.board.size);
    expect(l.ballots + l.audits).toBeGreaterThan(0);
    expect(l.ballots + l.audits).toBeLessThan(poll.board.state.ballots + poll.board.state.audits);
  });

  it('reopens to exactly the state of a full replay and of the board that wrote it, without a warning', async () => {
    const storage = copy(source);
    const { board, warnings } = await reopen(storage);
    expect(warnings).toEqual([]);
    expect(stateDigest(board.state)).toEqual(await fullReplay(storage));
    expect(stateDigest(board.state)).toEqual(stateDigest(poll.board.state));
  });

  it('judges the next submissions as the full rules do: a repeated ballot refused (nothing written), a fresh one accepted', async () => {
    const storage = copy(source);
    const { board } = await reopen(storage);
    const size = storage.size();
    const checkpoint = storage.latestCheckpoint();
    const r = await refused(board, 'ballot', firstBallot);
    expect(r.code).toBe('DUPLICATE_TRACKER');
    expect(storage.size()).toBe(size);
    expect(storage.latestCheckpoint()).toEqual(checkpoint);
    const next = { ...poll, board };
    await cast(next, 11, randomAnswers(poll.rng));
    expect(stateDigest(board.state)).toEqual(await fullReplay(storage));
  });

  it('is ignored by a read-only board (no key to check its MAC): nothing said, nothing written', async () => {
    const storage = copy(source, Uint8Array.of(1, 2, 3));
    const warnings: string[] = [];
    await Board.open({ storage, logVerifierKey: verifierKeyOf(poll.logKey), onWarning: (m) => warnings.push(m) });
    expect(warnings).toEqual([]);
    expect(storage.latestSnapshot()).toEqual(Uint8Array.of(1, 2, 3));
  });
});

describe('a snapshot that does not fit is discarded, reported, rebuilt; the state is the full replay’s', () => {
  const flip = (b: Uint8Array, at: number) => {
    const out = b.slice();
    out[at] ^= 1;
    return out;
  };
  const changed = (edit: (l: Ledger) => Ledger) => () => encodeLedger(edit(ledger()), key());
  const cases: [string, () => Uint8Array, RegExp][] = [
    ['a byte flipped in its ledger', () => flip(source.latestSnapshot()!, 60), /MAC/],
    ['a byte flipped in its MAC', () => flip(source.latestSnapshot()!, source.latestSnapshot()!.length - 1), /MAC/],
    ['cut short', () => source.latestSnapshot()!.subarray(0, 40), /short/],
    ['re-MACed with another key', () => encodeLedger(ledger(), new Uint8Array(32).fill(7)), /MAC/],
    ['bound to another head', changed((l) => ({ ...l, head: new Uint8Array(32) })), /another head/],
    ['bound to a height above the board', changed((l) => ({ ...l, height: 10_000 })), /height/],
    ['a component dropped', changed((l) => ({ ...l, components: l.components.subarray(32) })), /components/],
    ['a component repeated in place of another', changed((l) => ({ ...l, components: Uint8Array.of(...l.components.subarray(32, 64), ...l.components.subarray(32)) })), /repeats/],
    [
      'a ballot moved from one credential to another',
      changed((l) => {
        const credentials = l.credentials.map((c) => ({ ...c }));
        const from = credentials.findIndex((c) => c.ballots > 0);
        const to = credentials.findIndex((c) => c.ballots > 0 && c !== credentials[from]);
        credentials[from] = { ...credentials[from], ballots: credentials[from].ballots + 1 };
        credentials[to] = { ...credentials[to], ballots: credentials[to].ballots - 1, last: credentials[to].ballots > 1 ? credentials[to].last : null };
        return { ...l, credentials };
      }),
      /ballots/,
    ],
    ['one ballot fewer counted', changed((l) => ({ ...l, ballots: l.ballots - 1 })), /ballots/],
    ['a credential dropped', changed((l) => ({ ...l, credentials: l.credentials.slice(1) })), /credentials/],
    ['two credentials swapped in order', changed((l) => ({ ...l, credentials: [l.credentials[1], l.credentials[0], ...l.credentials.slice(2)] })), /listing order/],
  ];

  it.each(cases)('%s', async (_, make, why) => {
    const storage = copy(source, make());
    const { board, warnings } = await reopen(storage);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(why);
    expect(warnings[0]).toMatch(/discarded/);
    expect(stateDigest(board.state)).toEqual(await fullReplay(storage));
    // a fresh snapshot of this very state, which the next opening uses without a word
    expect(storage.latestSnapshot()).toEqual(encodeLedger(ledgerOf(board.state), key()));
    const again = await reopen(storage);
    expect(again.warnings).toEqual([]);
    expect(stateDigest(again.board.state)).toEqual(stateDigest(board.state));
  });
});

describe('what the cross-checks cannot see', () => {
  it('a last ballot replaced with the right MAC is loaded, and the tally the board then makes fails observers’ verification (V26)', async () => {
    const l = ledger();
    const voted = l.credentials.filter((c) => c.ballots > 0);
    const credentials = l.credentials.map((c) => (c === voted[0] ? { ...c, last: voted[1].last } : c));
    const storage = copy(source, encodeLedger({ ...l, credentials }, key()));
    const { board, warnings } = await reopen(storage);
    expect(warnings).toEqual([]);
    expect(stateDigest(board.state)).not.toEqual(await fullReplay(storage));
    // Only the holder of the log key can make such a snapshot; a board that counts from it signs a tally
    // that observers recompute from the record and refuse.
    await must(board, 'close', new Uint8Array(0));
    await must(board, 'tally', encodeTally(computeTally(board.state)));
    const report = await verifyRecord([...board.exportRecord()]);
    expect(report.valid).toBe(false);
    expect(report.failures.map((f) => f.check)).toContain('V26');
  });
});

describe('the SQLite store', () => {
  const dir = mkdtempSync(join(tmpdir(), 'gongshi-snapshot-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps the latest snapshot across reopening, and opens a file of layout 1 by adding the snapshot table', async () => {
    const path = join(dir, 'board.sqlite');
    const storage = new SqliteStorage(path);
    const tree = new MerkleTree(storage.nodes);
    storage.transaction((w) => {
      for (const e of source.entries(0, source.size())) {
        w.putEntry(e);
        tree.append(hashLeaf(e.hash));
      }
      w.putCheckpoint(source.latestCheckpoint()!);
    });
    storage.close();
    // layout 1: no snapshot table
    const db = new Database(path);
    db.exec('DROP TABLE snapshot');
    db.pragma('user_version = 1');
    db.close();
    const first = await reopen(new SqliteStorage(path));
    expect(first.warnings).toEqual([]);
    expect(stateDigest(first.board.state)).toEqual(stateDigest(poll.board.state));
    first.board.close();
    const check = new Database(path, { readonly: true });
    expect(check.pragma('user_version', { simple: true })).toBe(STORE_VERSION);
    expect(check.prepare("SELECT count(*) AS n FROM sqlite_master WHERE name = 'snapshot'").get()).toEqual({ n: 1 });
    check.close();
    // a snapshot written, then read back by the next opening
    const s = new SqliteStorage(path);
    s.transaction((w) => w.putSnapshot(source.latestSnapshot()));
    expect(s.latestSnapshot()).toEqual(source.latestSnapshot());
    const second = await reopen(s);
    expect(second.warnings).toEqual([]);
    expect(stateDigest(second.board.state)).toEqual(stateDigest(poll.board.state));
    second.board.close();
  });
});
