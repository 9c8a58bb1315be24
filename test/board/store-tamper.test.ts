/**
 * A board kept in a real SQLite file, then tampered with behind the board's back, one change per
 * copy of the file: Board.open must refuse every copy with BoardIntegrityError naming the first bad
 * height, and open the untouched copy to the same state. Spec §B.5.1–§B.5.2.
 *
 * The poll: manifest (height 0), credentials (1), a 2-of-3 ceremony (2–23), open (24), then eight
 * ballots (25–32): 33 entries, one checkpoint per entry (each submission is awaited, so each is its
 * own group).
 */
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { Database as SqliteDatabase } from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ballotTracker, seededRandom, toHex } from '../../crypto/index.ts';
import {
  Board,
  HEADER_BYTES,
  BoardIntegrityError,
  MerkleTree,
  decodeEntry,
  encodeEntry,
  hashEntry,
  hashLeaf,
  signCheckpoint,
  signerKeyFromSeed,
  type NodeStore,
  type Phase,
  type SignerKey,
} from '../../bulletin-board/index.ts';
import { STORE_VERSION, SqliteStorage } from '../../bulletin-board/store/index.ts';
import { cast, listVoters, makeBallot, must, randomAnswers, runCeremony, startPoll } from './poll-support.ts';

interface Snapshot {
  readonly height: number;
  readonly phase: Phase;
  readonly ballots: number;
  readonly head: string;
  readonly checkpoint: string | null;
}

const snapshot = (board: Board): Snapshot => ({
  height: board.size,
  phase: board.state.phase,
  ballots: board.state.ballots,
  head: toHex(board.state.head!),
  checkpoint: board.latestCheckpoint(),
});

/**
 * A NodeStore that remembers the order of its puts. MerkleTree puts every node once, in the order
 * of the store's positions (§B.2.9), so the n-th put is the row `nodes.position = n`.
 */
class RecordingNodeStore implements NodeStore {
  readonly rows: Uint8Array[] = [];
  readonly position = new Map<string, number>();

  get(level: number, index: number): Uint8Array {
    const at = this.position.get(`${level}/${index}`);
    if (at === undefined) throw new Error(`node (${level}, ${index}) not put`);
    return this.rows[at];
  }

  put(level: number, index: number, hash: Uint8Array): void {
    this.position.set(`${level}/${index}`, this.rows.length);
    this.rows.push(hash.slice());
  }
}

/** The rows of the nodes table for a board whose entries have these hashes, and the tree's root. */
function treeOf(entryHashes: readonly Uint8Array[]): { store: RecordingNodeStore; root: Uint8Array } {
  const store = new RecordingNodeStore();
  const tree = new MerkleTree(store);
  for (const h of entryHashes) tree.append(hashLeaf(h));
  return { store, root: tree.root() };
}

type Row = { height: number; hash: Buffer; bytes: Buffer; tracker: Buffer | null };

const rowAt = (db: SqliteDatabase, height: number): Row => db.prepare('SELECT height, hash, bytes, tracker FROM entries WHERE height = ?').get(height) as Row;
const allRows = (db: SqliteDatabase): Row[] => db.prepare('SELECT height, hash, bytes, tracker FROM entries ORDER BY height').all() as Row[];

/** Checkpoints the WAL into the main file, so that the file alone is the whole store. */
function settle(path: string): void {
  const db = new Database(path);
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
}

describe('a SQLite board store tampered with behind the board', () => {
  let dir: string;
  let pristine: string;
  let logKey: SignerKey;
  let original: Snapshot;
  let trackers: { height: number; tracker: Uint8Array }[];
  /** a valid ballot entry at height `size`, chained onto the head, that the board never saw */
  let nextEntry: Uint8Array;
  let size: number;
  /** a ballot in the middle, followed by another ballot */
  let h: number;
  let copies = 0;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'gongshi-store-tamper-'));
    pristine = join(dir, 'pristine.db');
    const poll = await startPoll({ seed: 'store tamper', storage: new SqliteStorage(pristine) });
    await listVoters(poll, 8);
    await runCeremony(poll);
    await must(poll.board, 'open', new Uint8Array(0));
    trackers = [];
    for (let i = 0; i < 8; i++) {
      const r = await cast(poll, i, randomAnswers(poll.rng));
      trackers.push({ height: r.height, tracker: r.tracker! });
    }
    logKey = poll.logKey;
    original = snapshot(poll.board);
    size = poll.board.size;
    h = trackers[3].height;
    const { state } = poll.board;
    nextEntry = encodeEntry({ type: 'ballot', height: size, prev: state.head!, time: state.time + 1000 }, makeBallot(poll, 0, randomAnswers(poll.rng)).bytes);
    poll.board.close();
    settle(pristine);
    expect(existsSync(`${pristine}-wal`)).toBe(false);
  });

  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  /** A copy of the pristine store, changed by `change` through SQLite directly. */
  function tampered(change: (db: SqliteDatabase) => void): string {
    const copy = join(dir, `copy-${++copies}.db`);
    copyFileSync(pristine, copy);
    const db = new Database(copy);
    try {
      db.transaction(() => change(db))();
    } finally {
      db.close();
    }
    return copy;
  }

  /** Opens the store at `path` with the log key and returns the BoardIntegrityError it must throw. */
  async function refusal(path: string): Promise<BoardIntegrityError> {
    const storage = new SqliteStorage(path);
    let board: Board;
    try {
      board = await Board.open({ storage, logKey });
    } catch (e) {
      storage.close();
      if (e instanceof BoardIntegrityError) return e;
      throw e;
    }
    board.close();
    throw new Error(`the tampered store ${path} opened`);
  }

  it('has the layout the tamperings below assume', () => {
    expect(size).toBe(33);
    expect(trackers.map((t) => t.height)).toEqual([25, 26, 27, 28, 29, 30, 31, 32]);
    expect(h).toBe(28);
    const db = new Database(pristine, { readonly: true });
    try {
      expect(db.pragma('user_version', { simple: true })).toBe(STORE_VERSION);
      const rows = allRows(db);
      expect(rows.map((r) => r.height)).toEqual([...Array(size).keys()]);
      for (const r of rows) expect(toHex(r.hash)).toBe(toHex(hashEntry(r.bytes)));
      // The nodes table is exactly the tree's nodes in put order, so positions can be found by replaying the tree.
      const { store } = treeOf(rows.map((r) => r.hash));
      const nodes = db.prepare('SELECT position, hash FROM nodes ORDER BY position').all() as { position: number; hash: Buffer }[];
      expect(nodes.map((n) => n.position)).toEqual([...store.rows.keys()]);
      expect(nodes.map((n) => toHex(n.hash))).toEqual(store.rows.map(toHex));
      // one checkpoint per entry: every submission was its own group
      expect((db.prepare('SELECT size FROM checkpoints ORDER BY size').all() as { size: number }[]).map((c) => c.size)).toEqual([...Array(size).keys()].map((k) => k + 1));
    } finally {
      db.close();
    }
  });

  it('opens the untouched copy to the same height, phase, ballots, head and checkpoint', async () => {
    const copy = tampered(() => {});
    const board = await Board.open({ storage: new SqliteStorage(copy), logKey });
    try {
      expect(snapshot(board)).toEqual(original);
      expect(original).toMatchObject({ height: 33, phase: 'open', ballots: 8 });
      for (const t of trackers) expect(board.findTracker(t.tracker)).toBe(t.height);
    } finally {
      board.close();
    }
  });

  it('(a) one changed byte of a ballot entry is caught at its height', async () => {
    const copy = tampered((db) => {
      const bytes = Buffer.from(rowAt(db, h).bytes);
      bytes[bytes.length - 32] ^= 0x01; // the lowest byte of the signature's z: still a canonical scalar
      db.prepare('UPDATE entries SET bytes = ? WHERE height = ?').run(bytes, h);
    });
    const e = await refusal(copy);
    expect(e.height).toBe(h);
    expect(e.reason).toMatch(/BAD_CHAIN: the stored hash is not the hash of the stored bytes/);
  });

  it('(a) one changed byte of the entry header is caught at its height', async () => {
    const copy = tampered((db) => {
      const bytes = Buffer.from(rowAt(db, h).bytes);
      bytes[2 + 7] ^= 0x01; // the low byte of the u64 height: the entry now claims height h ± 1
      db.prepare('UPDATE entries SET bytes = ? WHERE height = ?').run(bytes, h);
    });
    const e = await refusal(copy);
    expect(e.height).toBe(h);
    expect(e.reason).toMatch(/^BAD_CHAIN: height \d+, expected 28$/);
  });

  it('(b) changed bytes with a recomputed hash column are caught at their height, by the tracker', async () => {
    // The changed ballot decodes and hashes to its hash column, and replay trusts stored proofs
    // (§B.5.2); but its tracker is the hash of its bytes, and the stored tracker is the old one.
    const copy = tampered((db) => {
      const bytes = Buffer.from(rowAt(db, h).bytes);
      bytes[bytes.length - 32] ^= 0x01;
      db.prepare('UPDATE entries SET bytes = ?, hash = ? WHERE height = ?').run(bytes, hashEntry(bytes), h);
    });
    const e = await refusal(copy);
    expect(e.height).toBe(h);
    expect(e.reason).toBe('its stored tracker is not the tracker of its ballot');
  });

  it('(b) changed bytes with recomputed hash and tracker columns are caught at their height, by the Merkle leaf', async () => {
    // Replay accepts the ballot at h (its signature is not re-verified), but the Merkle leaf written
    // with it is hashLeaf of the old hash. (Rewriting the leaf too leaves the entry at h + 1 naming
    // the old hash as its prev; rewriting everything after is caught by the checkpoint, below.)
    const copy = tampered((db) => {
      const bytes = Buffer.from(rowAt(db, h).bytes);
      bytes[bytes.length - 32] ^= 0x01;
      db.prepare('UPDATE entries SET bytes = ?, hash = ?, tracker = ? WHERE height = ?').run(bytes, hashEntry(bytes), ballotTracker(bytes.subarray(HEADER_BYTES)), h);
    });
    const e = await refusal(copy);
    expect(e.height).toBe(h);
    expect(e.reason).toBe(`the Merkle node (0, ${h}) written with this entry is wrong`);
  });

  it('(b) changed bytes with hash, tracker and Merkle leaf rewritten are caught at the next height, by its prev', async () => {
    const copy = tampered((db) => {
      const bytes = Buffer.from(rowAt(db, h).bytes);
      bytes[bytes.length - 32] ^= 0x01;
      const hash = hashEntry(bytes);
      db.prepare('UPDATE entries SET bytes = ?, hash = ?, tracker = ? WHERE height = ?').run(bytes, hash, ballotTracker(bytes.subarray(HEADER_BYTES)), h);
      const { store } = treeOf(allRows(db).map((r) => r.hash));
      db.prepare('UPDATE nodes SET hash = ? WHERE position = ?').run(hashLeaf(hash), store.position.get(`0/${h}`)!);
    });
    const e = await refusal(copy);
    expect(e.height).toBe(h + 1);
    expect(e.reason).toMatch(/^BAD_CHAIN: prev is not the hash of the entry before/);
  });

  it('(b) the same change at the last height, with no entry after it, is caught by its Merkle leaf', async () => {
    const last = size - 1;
    const copy = tampered((db) => {
      const bytes = Buffer.from(rowAt(db, last).bytes);
      bytes[bytes.length - 32] ^= 0x01;
      db.prepare('UPDATE entries SET bytes = ?, hash = ?, tracker = ? WHERE height = ?').run(bytes, hashEntry(bytes), ballotTracker(bytes.subarray(HEADER_BYTES)), last);
    });
    const e = await refusal(copy);
    expect(e.height).toBe(last);
    expect(e.reason).toBe(`the Merkle node (0, ${last}) written with this entry is wrong`);
  });

  it('a tracker removed from a ballot row is caught at its height', async () => {
    const copy = tampered((db) => db.prepare('UPDATE entries SET tracker = NULL WHERE height = ?').run(h));
    const e = await refusal(copy);
    expect(e.height).toBe(h);
    expect(e.reason).toBe('its stored tracker is not the tracker of its ballot');
  });

  it('a row hidden below height 0 (a tracker index entry with no place in the chain) is caught', async () => {
    const copy = tampered((db) => db.prepare('INSERT INTO entries (height, hash, bytes, tracker) VALUES (-1, ?, ?, ?)').run(rowAt(db, 0).hash, rowAt(db, 0).bytes, Buffer.alloc(32, 7)));
    const e = await refusal(copy);
    expect(e.height).toBe(0);
    expect(e.reason).toBe(`${size + 1} entry rows for ${size} heights`);
  });

  it('(b) a consistent rewrite of the chain and the whole tree from h on is caught by the signed checkpoint', async () => {
    // Everything the tamperer can recompute is recomputed: the bytes at h, its hash and tracker, the
    // prev, hash of every later entry, and every tree node. Only the log's signature is left, and the
    // latest checkpoint signs the old root: the error names the last height.
    const copy = tampered((db) => {
      const rows = allRows(db);
      const bytes = Buffer.from(rows[h].bytes);
      bytes[bytes.length - 32] ^= 0x01;
      let prev = hashEntry(bytes);
      const put = db.prepare('UPDATE entries SET bytes = ?, hash = ?, tracker = ? WHERE height = ?');
      put.run(bytes, prev, ballotTracker(decodeEntry(bytes).payload), h);
      rows[h].hash = Buffer.from(prev);
      for (let k = h + 1; k < rows.length; k++) {
        const raw = decodeEntry(rows[k].bytes);
        const rechained = encodeEntry({ type: raw.type, height: raw.height, prev, time: raw.time }, raw.payload);
        prev = hashEntry(rechained);
        put.run(rechained, prev, rows[k].tracker, k);
        rows[k].hash = Buffer.from(prev);
      }
      const { store } = treeOf(rows.map((r) => r.hash));
      db.prepare('DELETE FROM nodes').run();
      const node = db.prepare('INSERT INTO nodes (position, hash) VALUES (?, ?)');
      store.rows.forEach((hash, position) => node.run(position, hash));
    });
    const e = await refusal(copy);
    expect(e.height).toBe(size - 1);
    expect(e.reason).toBe('the latest checkpoint signs another root');
  });

  it('(c) a deleted row is caught at its height', async () => {
    const copy = tampered((db) => db.prepare('DELETE FROM entries WHERE height = ?').run(h));
    const e = await refusal(copy);
    expect(e.height).toBe(h);
    expect(e.reason).toBe('the entry is missing');
  });

  it('(c) deleting the last row is caught by the checkpoint, at the new end', async () => {
    // The store now has size − 1 entries, all consistent with their nodes; the latest checkpoint
    // covers size entries, and the error names min(checkpoint size, stored size) = size − 1.
    const copy = tampered((db) => db.prepare('DELETE FROM entries WHERE height = ?').run(size - 1));
    const e = await refusal(copy);
    // B.5.2 the rows of the tree outnumber the nodes of a tree of size − 1 leaves.
    expect(e.height).toBe(size - 1);
    expect(e.reason).toMatch(/^\d+ Merkle node rows for a tree of \d+ nodes$/);
  });

  it('(d) two rows swapped are caught at the first of them', async () => {
    const copy = tampered((db) => {
      const [x, y] = [rowAt(db, h), rowAt(db, h + 1)];
      const put = db.prepare('UPDATE entries SET bytes = ?, hash = ? WHERE height = ?');
      put.run(y.bytes, y.hash, h);
      put.run(x.bytes, x.hash, h + 1);
    });
    const e = await refusal(copy);
    expect(e.height).toBe(h);
    expect(e.reason).toBe(`BAD_CHAIN: height ${h + 1}, expected ${h}`);
  });

  it('(e) a copied entry added beyond the end is caught at the old size', async () => {
    const copy = tampered((db) => {
      const x = rowAt(db, h);
      db.prepare('INSERT INTO entries (height, hash, bytes, tracker) VALUES (?, ?, ?, NULL)').run(size, x.hash, x.bytes);
    });
    const e = await refusal(copy);
    expect(e.height).toBe(size);
    expect(e.reason).toBe(`BAD_CHAIN: height ${h}, expected ${size}`);
  });

  it('(e) a valid, correctly chained entry added beyond the end is caught by its missing Merkle leaf', async () => {
    // The rules accept it on replay (it is a good ballot of a listed voter, chained onto the head);
    // the tree was never told about it.
    const copy = tampered((db) => {
      db.prepare('INSERT INTO entries (height, hash, bytes, tracker) VALUES (?, ?, ?, ?)').run(size, hashEntry(nextEntry), nextEntry, ballotTracker(decodeEntry(nextEntry).payload));
    });
    const e = await refusal(copy);
    expect(e.height).toBe(size);
    expect(e.reason).toBe(`the Merkle node (0, ${size}) written with this entry is missing`);
  });

  it('(e) a row added past a gap makes the gap a missing entry at the old size', async () => {
    const copy = tampered((db) => {
      const x = rowAt(db, h);
      db.prepare('INSERT INTO entries (height, hash, bytes, tracker) VALUES (?, ?, ?, NULL)').run(size + 3, x.hash, x.bytes);
    });
    const e = await refusal(copy);
    expect(e.height).toBe(size);
    expect(e.reason).toBe('the entry is missing');
  });

  it('(f) a changed Merkle leaf in the nodes table is caught at its height', async () => {
    const copy = tampered((db) => {
      const { store } = treeOf(allRows(db).map((r) => r.hash));
      const at = store.position.get(`0/${h}`)!;
      const old = (db.prepare('SELECT hash FROM nodes WHERE position = ?').get(at) as { hash: Buffer }).hash;
      expect(toHex(old)).toBe(toHex(hashLeaf(rowAt(db, h).hash)));
      const changed = Buffer.from(old);
      changed[0] ^= 0x80;
      db.prepare('UPDATE nodes SET hash = ? WHERE position = ?').run(changed, at);
    });
    const e = await refusal(copy);
    expect(e.height).toBe(h);
    expect(e.reason).toBe(`the Merkle node (0, ${h}) written with this entry is wrong`);
  });

  it('(f) a deleted Merkle leaf is caught at its height', async () => {
    const copy = tampered((db) => {
      const { store } = treeOf(allRows(db).map((r) => r.hash));
      db.prepare('DELETE FROM nodes WHERE position = ?').run(store.position.get(`0/${h}`)!);
    });
    const e = await refusal(copy);
    expect(e.height).toBe(h);
    expect(e.reason).toBe(`the Merkle node (0, ${h}) written with this entry is missing`);
  });

  it('(f) a changed interior node on the path to the root is caught at the leaf that completed it', async () => {
    // 33 leaves = the perfect subtree (5, 0) of leaves 0–31, then leaf 32; node (5, 0) was written with leaf 31.
    const copy = tampered((db) => {
      const { store } = treeOf(allRows(db).map((r) => r.hash));
      const at = store.position.get('5/0')!;
      const changed = Buffer.from(store.rows[at]);
      changed[31] ^= 0x01;
      db.prepare('UPDATE nodes SET hash = ? WHERE position = ?').run(changed, at);
    });
    const e = await refusal(copy);
    expect(e.height).toBe(31);
    expect(e.reason).toBe('the Merkle node (5, 0) written with this entry is wrong');
  });

  it('(f) a changed interior node that no root uses but inclusion proofs do is caught too', async () => {
    // Position 2 is node (1, 0), leaves 0–1, written with leaf 1: the proofs of leaves 2 and 3 use it.
    const copy = tampered((db) => db.prepare('UPDATE nodes SET hash = zeroblob(32) WHERE position = 2').run());
    const e = await refusal(copy);
    expect(e.height).toBe(1);
    expect(e.reason).toBe('the Merkle node (1, 0) written with this entry is wrong');
  });

  it('(f) an extra row in the nodes table is caught at the size', async () => {
    const copy = tampered((db) => db.prepare('INSERT INTO nodes (position, hash) VALUES ((SELECT MAX(position) + 1 FROM nodes), zeroblob(32))').run());
    const e = await refusal(copy);
    expect(e.height).toBe(size);
    expect(e.reason).toMatch(/^\d+ Merkle node rows for a tree of \d+ nodes$/);
  });

  it('(g) the latest checkpoint deleted is caught at the size of the one before it', async () => {
    // The newest remaining checkpoint covers size − 1 entries; the error names min(size − 1, size).
    const copy = tampered((db) => db.prepare('DELETE FROM checkpoints WHERE size = (SELECT MAX(size) FROM checkpoints)').run());
    const e = await refusal(copy);
    expect(e.height).toBe(size - 1);
    expect(e.reason).toBe('the latest signed checkpoint does not cover every entry');
  });

  it('(g) every checkpoint deleted is caught at height 0', async () => {
    const copy = tampered((db) => db.prepare('DELETE FROM checkpoints').run());
    const e = await refusal(copy);
    expect(e.height).toBe(0);
    expect(e.reason).toBe('the latest signed checkpoint does not cover every entry');
  });

  it('(g) the latest checkpoint replaced by one of the right size and root signed by another key is caught at the last height', async () => {
    const copy = tampered((db) => {
      const { root } = treeOf(allRows(db).map((r) => r.hash));
      const origin = logKey.name;
      const impostor = signerKeyFromSeed(origin, seededRandom('impostor')(32));
      const forged = signCheckpoint({ origin, size, rootHash: root, extensions: [] }, impostor);
      // the forgery is otherwise right: the same note text the log signed
      const note = (db.prepare('SELECT note FROM checkpoints WHERE size = ?').get(size) as { note: string }).note;
      expect(forged.split('\n\n')[0]).toBe(note.split('\n\n')[0]);
      expect(forged).not.toBe(note);
      db.prepare('UPDATE checkpoints SET note = ? WHERE size = ?').run(forged, size);
    });
    const e = await refusal(copy);
    expect(e.height).toBe(size - 1);
    expect(e.reason).toMatch(/^the latest checkpoint does not verify: /);
  });

  it('(g) a latest checkpoint that is not a signed note is reported as damage at the last height', async () => {
    const copy = tampered((db) => db.prepare('UPDATE checkpoints SET note = ? WHERE size = ?').run('hello', size));
    const e = await refusal(copy);
    expect(e.height).toBe(size - 1);
    expect(e.reason).toMatch(/^the latest checkpoint is malformed: /);
  });

  it('refuses a SQLite database that is not a gongshi store and leaves it untouched', () => {
    const path = join(dir, 'foreign.db');
    const db = new Database(path);
    db.exec('CREATE TABLE entries (id INTEGER PRIMARY KEY, name TEXT)');
    db.close();
    const before = readFileSync(path);
    expect(() => new SqliteStorage(path)).toThrow(`${path} is a SQLite database but not a gongshi store`);
    expect(readFileSync(path).equals(before)).toBe(true);
    const after = new Database(path, { readonly: true });
    expect(after.pragma('journal_mode', { simple: true })).toBe('delete');
    expect(after.pragma('user_version', { simple: true })).toBe(0);
    after.close();
  });

  it('refuses a file of random bytes as not a database', () => {
    const path = join(dir, 'random.db');
    writeFileSync(path, seededRandom('not a store')(8192));
    expect(() => new SqliteStorage(path)).toThrow(/file is not a database/);
  });

  it('refuses a SQLite database of another layout version, naming both versions', () => {
    const path = join(dir, 'layout-7.db');
    const db = new Database(path);
    db.exec('CREATE TABLE entries (height INTEGER PRIMARY KEY, hash BLOB, bytes BLOB, tracker BLOB)');
    db.pragma('user_version = 7');
    db.close();
    expect(() => new SqliteStorage(path)).toThrow(`${path} is a store of layout 7; this gongshi reads layout ${STORE_VERSION}`);
  });
});
