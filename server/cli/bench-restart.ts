/**
 * The board's restart figure for `gongshi bench`: how long `Board.open` takes on a SQLite board of N
 * ballots with its snapshot (B.5.4), and without (a read-only board replays every entry, B.5.2), and
 * how big the file is. The board is loaded from the verifier bench's kept demo record. Spec §B.5.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as c from '../../crypto/index.ts';
import {
  Board,
  EntryType,
  MerkleTree,
  RecordParser,
  decodeEntry,
  encodeEntry,
  encodeManifest,
  encodeSnapshot,
  encodeVerifierKey,
  hashEntry,
  hashLeaf,
  hashManifest,
  signCheckpoint,
  signCredentialList,
  snapshotKey,
  verifierKeyOf,
  type BoardStorage,
  type SignerKey,
} from '../../bulletin-board/index.ts';
import { SqliteStorage } from '../../bulletin-board/store/index.ts';
import { demoManifest } from '../demo/demo-poll.ts';
import { keptDemoRecord } from './bench-verify.ts';
import { progress } from './progress.ts';
import { useNodeSha256 } from './node-sha256.ts';

export interface RestartFigures {
  restart_ballots: number;
  /** Board.open with the log key and the snapshot taken at the last ballot, ms (best of two) */
  restart_ms: number;
  /** Board.open of a read-only board (no key: the snapshot ignored, every entry replayed), ms (best of two) */
  restart_full_replay_ms: number;
  /** the SQLite file with its WAL */
  board_bytes: number;
  /** this process's CPU time (all threads) during the fastest Board.open of each kind, ms: steadier than wall time on a shared machine */
  restart_cpu_ms: number;
  restart_full_replay_cpu_ms: number;
}

/** Entries written in one transaction by the loader. */
const LOAD_GROUP = 4096;

/**
 * Loads a SQLite board of `ballots` ballots (bench-only loader, no rules), takes a snapshot at its last
 * ballot, and times Board.open with it and without. By default the board is the kept demo record (made
 * once, slowly, by the verifier bench). `synthetic` (BENCH ONLY, for sizes whose record would take hours
 * to make): the opening entries of the kept 200-ballot record, then lists of fresh credentials and
 * `ballots` ballots laid out as the record's but with random slots and proofs; Board.open never
 * decodes a stored ballot's points or checks its proofs (§B.5.2), so it does the same work on them,
 * but the board is no poll: it stays open and must never be tallied or verified.
 */
export async function benchRestart(ballots: number, options: { readonly synthetic?: boolean } = {}): Promise<RestartFigures> {
  useNodeSha256(); // as `gongshi` does (main.ts)
  // The demo's keys come from its seed (server/demo/demo-poll.ts): the first draws of 'gongshi demo/bench'.
  const { logKey, registrarSeed, manifest } = demoManifest(c.seededRandom('gongshi demo/bench'), { questions: 'single-5', trustees: 1, threshold: 1 });
  const entries = recordEntries(await keptDemoRecord(options.synthetic ? 200 : ballots), logKey);
  const close = entries.findIndex((e) => e[0] === EntryType.close);
  if (close < 0) throw new Error('bug: the demo record has no close entry');
  if (options.synthetic) {
    const first = decodeEntry(entries.find((e) => e[0] === EntryType.ballot)!).payload;
    entries.splice(entries.findIndex((e) => e[0] === EntryType.open) + 1);
    entries.push(...syntheticBallots(entries, first, ballots, registrarSeed, hashManifest(encodeManifest(manifest))));
  }
  // The snapshot at the last ballot: the poll is open there, and it is what a running board would keep.
  const snapshotAt = options.synthetic ? entries.length : close;
  const phase = options.synthetic ? 'open' : 'done';
  const dir = mkdtempSync(join(tmpdir(), 'gongshi-restart-'));
  const path = join(dir, 'board.sqlite');
  try {
    process.stderr.write(`loading a ${ballots}-ballot board into ${path}…\n`);
    // Up to the close: the poll is open there, and a snapshot of it is what a running board would keep.
    let storage: BoardStorage = new SqliteStorage(path);
    loadUnchecked(storage, entries, 0, snapshotAt, logKey);
    const open = await Board.open({ storage, logKey });
    storage.transaction((w) => w.putSnapshot(encodeSnapshot(open.state, snapshotKey(logKey))));
    open.close();
    storage = new SqliteStorage(path);
    loadUnchecked(storage, entries, snapshotAt, entries.length, logKey);
    storage.close();

    const time = async (options: () => Parameters<typeof Board.open>[0]): Promise<{ ms: number; cpu: number }> => {
      let best = { ms: Infinity, cpu: Infinity };
      for (let run = 0; run < 2; run++) {
        const o = options();
        const cpu0 = process.cpuUsage();
        const t0 = performance.now();
        const board = await Board.open(o);
        const ms = performance.now() - t0;
        const cpu = process.cpuUsage(cpu0);
        if (ms < best.ms) best = { ms, cpu: (cpu.user + cpu.system) / 1000 };
        if (board.size !== entries.length || board.state.phase !== phase || board.state.ballots !== ballots) throw new Error('bug: the reopened bench board is not what was loaded');
        board.close();
      }
      return { ms: Math.round(best.ms), cpu: Math.round(best.cpu) };
    };
    process.stderr.write('opening it with its snapshot, then replaying every entry…\n');
    const restart = await time(() => ({
      storage: new SqliteStorage(path),
      logKey,
      onWarning: (m) => {
        throw new Error(`bug: the bench board's snapshot was refused: ${m}`);
      },
    }));
    const full = await time(() => ({ storage: new SqliteStorage(path), logVerifierKey: verifierKeyOf(logKey) }));
    const wal = `${path}-wal`;
    return {
      restart_ballots: ballots,
      restart_ms: restart.ms,
      restart_full_replay_ms: full.ms,
      board_bytes: statSync(path).size + (existsSync(wal) ? statSync(wal).size : 0),
      restart_cpu_ms: restart.cpu,
      restart_full_replay_cpu_ms: full.cpu,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The entries of a kept demo record, whose log key must be the bench demo's. */
function recordEntries(record: Uint8Array, logKey: SignerKey): Uint8Array[] {
  const parser = new RecordParser();
  const entries: Uint8Array[] = [];
  let logKeyText = '';
  for (const item of parser.push(record)) {
    if (item.kind === 'entry') entries.push(item.bytes);
    else if (item.kind === 'logKey') logKeyText = item.key;
  }
  parser.finish();
  if (encodeVerifierKey(verifierKeyOf(logKey)) !== logKeyText) throw new Error('bug: the kept demo record was not signed by the bench demo’s log key');
  return entries;
}

/**
 * BENCH ONLY: after `opening` (a demo record up to its open entry), credential lists of `count` fresh
 * keys signed by the demo's registrar, then one ballot for each, chained: each a copy of `ballot` (the
 * record's first) with its credential replaced and its slots random (not points; its proofs not valid).
 */
function syntheticBallots(opening: readonly Uint8Array[], ballot: Uint8Array, count: number, registrarSeed: Uint8Array, manifestHash: Uint8Array): Uint8Array[] {
  const last = decodeEntry(opening[opening.length - 1]);
  // Q.6: u8 version ‖ fingerprint ‖ enc(X) at 33 ‖ u32 questions ‖ u32 slots ‖ the slots at 73
  const SLOTS = 73;
  const slotBytes = 5 * 64;
  const out: Uint8Array[] = [];
  let prev = last.hash;
  let time = last.time;
  const append = (type: 'credentials' | 'ballot', payload: Uint8Array) => {
    const bytes = encodeEntry({ type, height: opening.length + out.length, prev, time: (time += 1) }, payload);
    prev = hashEntry(bytes);
    out.push(bytes);
  };
  const rng = c.seededRandom('gongshi bench restart');
  const keys: Uint8Array[] = [];
  const bar = progress(`making ${count} credentials for a synthetic board`, count);
  for (let i = 0; i < count; i += 10_000) {
    const list = Array.from({ length: Math.min(10_000, count - i) }, () => ({ key: c.generateKeyPair(rng).publicKey, weight: 1 }));
    for (const l of list) {
      keys.push(c.encodePoint(l.key));
      bar.tick();
    }
    append('credentials', signCredentialList(list, manifestHash, registrarSeed));
  }
  bar.done();
  for (const key of keys) {
    const payload = ballot.slice();
    payload.set(key, 33);
    payload.set(randomBytes(slotBytes), SLOTS);
    append('ballot', payload);
  }
  return out;
}

/**
 * BENCH ONLY: writes the entries [from, to) of a record into `storage` as a board would have written
 * them (each entry with its hash and tracker, the Merkle nodes, one checkpoint signed with `logKey` per
 * group of LOAD_GROUP), but WITHOUT the rules: nothing is judged or verified. Only for a record that
 * verifies (the kept demo record); a board loaded so is checked again when it is opened (B.5.2).
 */
function loadUnchecked(storage: BoardStorage, entries: readonly Uint8Array[], from: number, to: number, logKey: SignerKey): void {
  const tree = new MerkleTree(storage.nodes, from);
  const origin = logKey.name;
  for (let start = from; start < to; start += LOAD_GROUP) {
    storage.transaction((w) => {
      for (let h = start; h < Math.min(to, start + LOAD_GROUP); h++) {
        const e = decodeEntry(entries[h]);
        const ballot = e.type === 'ballot' ? e.payload : e.type === 'audit' ? e.payload.subarray(4, 4 + new DataView(e.payload.buffer, e.payload.byteOffset, 4).getUint32(0)) : null;
        w.putEntry({ height: h, hash: e.hash, bytes: e.bytes, tracker: ballot === null ? null : c.ballotTracker(ballot) });
        tree.append(hashLeaf(e.hash));
      }
      w.putCheckpoint({ size: tree.size, note: signCheckpoint({ origin, size: tree.size, rootHash: tree.root(), extensions: [] }, logKey) });
    });
  }
}
