/**
 * A live board: the rules' state, the Merkle tree and the signed checkpoints over one storage.
 * Submissions queue and are appended in groups: the ballots of a group are verified in one batch
 * (§Q.8.2), each entry is judged by the rules in order, and the accepted ones are written in one
 * durable transaction with the tree nodes and one new signed checkpoint. Spec §B.5.
 */
import { DecodeError, bytesEqual, encodePoint, systemRandom, trackerRange, verifyDecodedBallots, type Ballot, type RandomSource } from '../../crypto/index.ts';
import { signCheckpoint, verifyCheckpoint } from '../log/checkpoint.ts';
import { MemoryNodeStore, MerkleTree, hashLeaf, storedHashCount, type ConsistencyProof, type InclusionProof } from '../log/merkle.ts';
import { encodeVerifierKey, parseVerifierKey, verifierKeyOf, type NoteSigner, type SignerKey, type VerifierKey } from '../log/note.ts';
import { EntryType, HEADER_BYTES, MAX_ENTRY_BYTES, encodeEntry, genesisHash, type EntryTypeName } from '../records/entry.ts';
import { decodeManifest, encodeManifest } from '../records/manifest.ts';
import { decodePayload, type BallotFacts, type Payload } from '../records/payloads.ts';
import { RecordParser, encodeRecordItem, recordHeader } from '../records/record-file.ts';
import { applyDecoded, applyEntry, type Verdict } from '../rules/apply.ts';
import type { Rejection } from '../rules/codes.ts';
import { readEntry, type DecodedEntry } from '../rules/read.ts';
import { createState, type BoardState, type ElectionState } from '../rules/state.ts';
import { BoardIntegrityError, SnapshotMismatch, replayStored, trackerOf, type Replayed } from './replay-stored.ts';
import { decodeSnapshot, encodeSnapshot, snapshotKey, type Ledger } from './snapshot.ts';
import type { BoardStorage, StoredEntry } from './storage.ts';

/** An accepted submission: where it is, and a signed checkpoint whose tree includes it. */
export interface Appended {
  readonly ok: true;
  readonly height: number;
  readonly hash: Uint8Array;
  readonly type: EntryTypeName;
  /** for ballots and audits: the tracker (§Q.7) */
  readonly tracker: Uint8Array | null;
  /** the signed checkpoint (§B.3.7) written in the same transaction */
  readonly checkpoint: string;
  /** the tree size that checkpoint signs */
  readonly checkpointSize: number;
}

export { BoardIntegrityError } from './replay-stored.ts';

export interface BoardOptions {
  readonly storage: BoardStorage;
  /** signs checkpoints; its name must be the manifest's origin. A board without it is read-only. */
  readonly logKey?: SignerKey;
  /** signs checkpoints with `logKey` elsewhere (the same bytes, for instance Node's own Ed25519); default noble's */
  readonly logSigner?: NoteSigner;
  /** the log's public key, for a read-only board (default: the signer's) */
  readonly logVerifierKey?: VerifierKey;
  /** ms since 1970 UTC; default Date.now */
  readonly clock?: () => number;
  readonly rng?: RandomSource;
  /** the most submissions appended in one transaction (default 256) */
  readonly maxGroup?: number;
  /**
   * checks ballots' proofs elsewhere (worker threads) while this thread goes on serving; without it
   * a group's ballots are decoded and batch-verified here (§Q.8.2)
   */
  readonly ballotChecker?: BallotChecker;
  /**
   * told when opening discards the stored snapshot (B.5.4: its MAC, binding or cross-checks failed)
   * and replays the whole log instead; the board then writes a fresh one. Default: nothing is said.
   */
  readonly onWarning?: (message: string) => void;
  /** B.5.4 the fewest entries between two snapshots (default SNAPSHOT_GAP; tests take small ones) */
  readonly snapshotGap?: number;
}

/** A group's ballots checked off this thread: one verdict per payload, with the facts the rules need. */
export interface BallotChecker {
  check(job: {
    /** the manifest payload (§B.1.4): the shapes */
    readonly manifest: Uint8Array;
    /** enc(Y) */
    readonly key: Uint8Array;
    readonly fingerprint: Uint8Array;
    readonly ballots: readonly Uint8Array[];
  }): Promise<readonly ({ readonly ok: true; readonly facts: BallotFacts } | { readonly ok: false })[]>;
}

interface Pending {
  readonly type: EntryTypeName;
  readonly payload: Uint8Array;
  readonly resolve: (v: Appended | Rejection) => void;
  readonly reject: (e: unknown) => void;
}

/** A group's ballots checked ahead of its turn, and the election they were checked under. */
interface CheckedAhead {
  readonly election: ElectionState;
  readonly decoded: (Payload | null)[];
}

/**
 * A macrotask turn: in Node, after the I/O callbacks that are due (setImmediate); elsewhere a timer.
 * A microtask would run before any new request is read, and every group would hold one submission.
 */
const nextTurn = (): Promise<void> =>
  new Promise((resolve) => (typeof setImmediate === 'function' ? setImmediate(resolve) : setTimeout(resolve, 0)));

/** Entries read from storage at once while exporting a record. */
const RECORD_PAGE = 256;

export class Board {
  private readonly queue: Pending[] = [];
  /** the group whose proofs are being checked while the one before it is judged and written (B.5.3) */
  private ahead: Pending[] = [];
  private flushing: Promise<void> | null = null;
  private broken: unknown = null;
  private manifestBytes: Uint8Array | null = null;
  /** B.5.4 the height of the latest stored snapshot (0: none) */
  private snapshotHeight = 0;
  private readonly listeners = new Set<(e: Appended & { entry: DecodedEntry }) => void>();

  private constructor(
    private readonly options: BoardOptions,
    readonly state: BoardState,
    private readonly tree: MerkleTree,
    readonly logVerifierKey: VerifierKey | null,
  ) {}

  /**
   * B.5.2 opens a board over its storage: replays every stored entry through the rules (proofs were
   * verified when appended and are not re-verified), checks every stored hash, tracker and tree node
   * against the entries, the row counts, and the latest checkpoint. Throws BoardIntegrityError naming
   * the first bad height. B.5.4 with the log key, the stored snapshot (if its MAC verifies) stands for
   * the ballots and audits below its height; one that does not fit is discarded (`onWarning`), the log
   * replayed in full and a fresh snapshot written. A read-only board ignores snapshots.
   */
  static async open(options: BoardOptions): Promise<Board> {
    const { storage } = options;
    const verifier = options.logVerifierKey ?? (options.logKey ? verifierKeyOf(options.logKey) : null);
    const size = storage.size();
    const key = options.logKey ? snapshotKey(options.logKey) : null;
    const warn = options.onWarning ?? (() => {});
    let ledger: Ledger | null = null;
    let discarded = false;
    const stored = key === null ? null : storage.latestSnapshot();
    if (stored !== null) {
      try {
        ledger = decodeSnapshot(stored, key!);
      } catch (e) {
        if (!(e instanceof DecodeError)) throw e;
        warn(`the stored snapshot is discarded (${e.message}); replaying all ${size} entries`);
        discarded = true;
      }
    }
    let replayed: Replayed;
    const trackerRows = storage.census().trackers;
    try {
      replayed = await replayStored(storage, size, ledger, trackerRows);
    } catch (e) {
      if (!(e instanceof SnapshotMismatch)) throw e;
      warn(`${e.message}; it is discarded and all ${size} entries replayed`);
      discarded = true;
      ledger = null;
      replayed = await replayStored(storage, size, null, trackerRows);
    }
    const { state, root, trackers } = replayed;
    const census = storage.census();
    if (census.entryRows !== size || (size > 0 && census.lowestHeight !== 0)) throw new BoardIntegrityError(0, `${census.entryRows} entry rows for ${size} heights`);
    if (census.trackers !== trackers) throw new BoardIntegrityError(0, `${census.trackers} stored trackers for ${trackers} ballots and audits`);
    const nodes = storedHashCount(size);
    if (census.nodeRows !== nodes || (nodes > 0 && census.highestNode !== nodes - 1)) throw new BoardIntegrityError(size, `${census.nodeRows} Merkle node rows for a tree of ${nodes} nodes`);
    const tree = new MerkleTree(storage.nodes, size);
    const latest = storage.latestCheckpoint();
    if (size > 0) {
      if (latest === null || latest.size !== size) throw new BoardIntegrityError(latest === null ? 0 : Math.min(latest.size, size), 'the latest signed checkpoint does not cover every entry');
      if (verifier !== null) {
        let v: ReturnType<typeof verifyCheckpoint>;
        try {
          v = verifyCheckpoint(latest.note, verifier, state.manifest!.origin);
        } catch (e) {
          if (e instanceof DecodeError) throw new BoardIntegrityError(size - 1, `the latest checkpoint is malformed: ${e.message}`);
          throw e;
        }
        if (!v.ok) throw new BoardIntegrityError(size - 1, `the latest checkpoint does not verify: ${v.reason}`);
        if (!bytesEqual(v.checkpoint.rootHash, root)) throw new BoardIntegrityError(size - 1, 'the latest checkpoint signs another root');
      }
    }
    const board = new Board(options, state, tree, verifier);
    board.snapshotHeight = ledger?.height ?? 0;
    if (discarded) {
      // B.5.4 never leave a snapshot that does not fit: a fresh one while the poll is open, else none.
      const fresh = state.phase === 'open' ? encodeSnapshot(state, key!) : null;
      storage.transaction((w) => w.putSnapshot(fresh));
      board.snapshotHeight = fresh === null ? 0 : state.height;
    }
    return board;
  }

  /**
   * B.6.2 imports a record file into an empty storage: every entry through the full rules (proofs
   * verified), then the record's checkpoint checked against the rebuilt tree, all written in one
   * transaction. The board is read-only. Throws DecodeError on a malformed file and
   * BoardIntegrityError (with the height) on an entry the rules refuse or a checkpoint that fails.
   */
  static async importRecord(chunks: Iterable<Uint8Array> | AsyncIterable<Uint8Array>, options: { readonly storage: BoardStorage; readonly rng?: RandomSource }): Promise<Board> {
    const { storage } = options;
    if (storage.size() !== 0) throw new Error('import needs an empty storage');
    const parser = new RecordParser();
    const state = createState();
    const entries: DecodedEntry[] = [];
    let logKey: VerifierKey | null = null;
    let note: string | null = null;
    for await (const chunk of chunks) {
      for (const item of parser.push(chunk)) {
        if (item.kind === 'logKey') logKey = parseVerifierKey(item.key);
        else if (item.kind === 'checkpoint') note = item.note;
        else if (item.kind === 'entry') {
          const verdict = await applyEntry(state, item.bytes, { rng: options.rng });
          if (!verdict.ok) throw new BoardIntegrityError(verdict.height, `${verdict.code}: ${verdict.reason}`);
          entries.push(verdict.entry);
        }
      }
    }
    parser.finish();
    if (entries.length === 0 || logKey === null || note === null) throw new DecodeError('end', 'a record holds at least the manifest');
    const tree = new MerkleTree(storage.nodes, 0);
    const rebuilt = new MerkleTree(new MemoryNodeStore());
    for (const e of entries) rebuilt.append(hashLeaf(e.hash));
    const v = verifyCheckpoint(note, logKey, state.manifest!.origin);
    if (!v.ok) throw new BoardIntegrityError(entries.length - 1, `the record's checkpoint does not verify: ${v.reason}`);
    if (v.checkpoint.size !== entries.length || !bytesEqual(v.checkpoint.rootHash, rebuilt.root()))
      throw new BoardIntegrityError(entries.length - 1, 'the record’s checkpoint does not sign these entries');
    storage.transaction((w) => {
      for (const e of entries) {
        w.putEntry({ height: e.height, hash: e.hash, bytes: e.bytes, tracker: trackerOf(e) });
        tree.append(hashLeaf(e.hash));
      }
      w.putCheckpoint({ size: entries.length, note: note! });
    });
    return new Board({ storage, logVerifierKey: logKey!, rng: options.rng }, state, tree, logKey);
  }

  /**
   * The number of entries written durably and covered by the latest checkpoint. While a group is
   * being judged, `state` runs ahead of it by the entries judged but not yet written.
   */
  get size(): number {
    return this.tree.size;
  }

  /**
   * B.5.3 submits a payload of the given type. The board adds the header (height, prev, time), runs
   * the rules and, if they accept, appends durably. Resolves with where it went and a signed
   * checkpoint, or with the rejection (nothing written). Rejects only on a storage failure, after
   * which the board refuses all work and must be reopened.
   */
  submit(type: EntryTypeName, payload: Uint8Array): Promise<Appended | Rejection> {
    if (!this.options.logKey) return Promise.reject(new Error('this board is read-only: it has no log key'));
    if (this.broken) return Promise.reject(new Error('the board failed to write and must be reopened', { cause: this.broken }));
    return new Promise((resolve, reject) => {
      this.queue.push({ type, payload, resolve, reject });
      this.flushing ??= nextTurn().then(() => this.flush());
    });
  }

  /** Calls `listener` after each durable append, in height order. Returns an unsubscribe function. */
  onAppend(listener: (e: Appended & { entry: DecodedEntry }) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Resolves when every submission made so far is settled. */
  async settled(): Promise<void> {
    while (this.flushing) await this.flushing;
  }

  /**
   * B.5.3 appends the queue group by group, pipelined: as soon as a group's proofs are checked, the next
   * group is formed and sent to the ballot checker, and only then is the first judged and written, so
   * that the workers check group N+1 while this thread judges and writes group N. At most two groups
   * are in flight (one written, one checked); judging and writing stay strictly in submission order.
   */
  private async flush(): Promise<void> {
    try {
      let group: Pending[] = [];
      let checked: Promise<CheckedAhead | null> = Promise.resolve(null);
      while (!this.broken) {
        if (group.length === 0) {
          // Nothing may wait between this test and the end: a submission made meanwhile would be left queued.
          if (this.queue.length === 0) break;
          group = await this.nextGroup();
          checked = this.checkAhead(group);
          continue;
        }
        // Wait for this group's verdicts: a checker failure fails the board here, once every group before it is written.
        let ahead: CheckedAhead | null;
        try {
          ahead = await checked;
        } catch (e) {
          this.fail(e, group);
          break;
        }
        // Send the next group to be checked, then judge and write this one meanwhile.
        const next = await this.nextGroup();
        const nextChecked = this.checkAhead(next);
        this.ahead = next;
        try {
          await this.appendGroup(group, ahead);
        } catch (e) {
          // A bug while judging (or a check made again failed): the state may hold changes that will never be stored. Refuse all work.
          this.fail(e, group);
        }
        this.ahead = [];
        [group, checked] = [next, nextChecked];
      }
    } finally {
      this.flushing = null;
    }
  }

  /** The next group from the queue (empty if it is empty), topped up after one turn if that drained it. */
  private async nextGroup(): Promise<Pending[]> {
    const max = this.options.maxGroup ?? 256;
    const group = this.queue.splice(0, max);
    if (group.length > 0 && this.queue.length === 0) {
      // Let waiting I/O in first (requests already received, read but not yet submitted), so
      // that concurrent submissions share one batch verification and one transaction.
      await nextTurn();
      group.push(...this.queue.splice(0, max - group.length));
    }
    return group;
  }

  /**
   * B.5.3 step 1 started ahead of the group's turn: its ballots sent to the ballot checker under the
   * election as it stands. Resolves with the verdicts and that election, or null when the group's
   * proofs are left to its turn (no checker, no election yet). A checker failure rejects it; it is
   * raised when the group's turn comes.
   */
  private checkAhead(group: Pending[]): Promise<CheckedAhead | null> {
    const election = this.state.election;
    if (group.length === 0 || !this.options.ballotChecker || this.state.shapes === null || election === null) return Promise.resolve(null);
    const checked = this.checkElsewhere(group).then((decoded) => ({ election, decoded }));
    checked.catch(() => undefined); // not unhandled while it waits for its turn
    return checked;
  }

  private async appendGroup(group: Pending[], ahead: CheckedAhead | null): Promise<void> {
    const rng = this.options.rng ?? systemRandom;
    const clock = this.options.clock ?? Date.now;
    // 1. check every ballot's proofs together: elsewhere (the facts come back), or here (§Q.8.2).
    if (this.options.ballotChecker && this.state.shapes !== null && this.state.election !== null) {
      // Verdicts depend only on the ballot bytes and the election: a check made ahead under another
      // election (the group before set the key) is made again.
      const decoded = ahead !== null && ahead.election === this.state.election ? ahead.decoded : await this.checkElsewhere(group);
      return this.judgeAndWrite(group, decoded, new Map(), clock, rng);
    }
    const decoded = group.map((p): Payload | null => {
      if (p.type !== 'ballot' || this.state.shapes === null || this.state.election === null) return null;
      try {
        return decodePayload('ballot', p.payload, { shapes: this.state.shapes });
      } catch (e) {
        if (e instanceof DecodeError) return null; // the rules will decode it again and say why
        throw e;
      }
    });
    const ballots = decoded.flatMap((d) => (d?.type === 'ballot' && d.ballot !== null ? [d.ballot] : []));
    const verdicts = new Map<Ballot, boolean>();
    if (ballots.length > 0) {
      const election = this.state.election!;
      const ok = verifyDecodedBallots(ballots, { shapes: this.state.shapes!, key: election.jointKey, fingerprint: election.fingerprint }, rng);
      ballots.forEach((b, i) => verdicts.set(b, ok[i]));
    }
    await this.judgeAndWrite(group, decoded, verdicts, clock, rng);
  }

  /** The group's ballots checked by the ballot checker: valid ones as facts, the others left to the rules. */
  private async checkElsewhere(group: Pending[]): Promise<(Payload | null)[]> {
    const at = group.flatMap((p, i) => (p.type === 'ballot' ? [i] : []));
    const decoded: (Payload | null)[] = group.map(() => null);
    if (at.length === 0) return decoded;
    const e = this.state.election!;
    this.manifestBytes ??= encodeManifest(this.state.manifest!);
    const verdicts = await this.options.ballotChecker!.check({ manifest: this.manifestBytes, key: encodePoint(e.jointKey), fingerprint: e.fingerprint, ballots: at.map((i) => group[i].payload) });
    // A refused ballot is decoded and verified again by the rules, which say why.
    at.forEach((i, k) => {
      const v = verdicts[k];
      if (v.ok) decoded[i] = { type: 'ballot', ballot: null, facts: v.facts };
    });
    return decoded;
  }

  /** Steps 2 and 3 of a group: judge each submission in order, write the accepted ones in one transaction. */
  private async judgeAndWrite(group: Pending[], decoded: (Payload | null)[], verdicts: Map<Ballot, boolean>, clock: () => number, rng: RandomSource): Promise<void> {
    // 2. judge each in order, against the state the ones before it left.
    const accepted: { pending: Pending; entry: DecodedEntry; tracker: Uint8Array | null }[] = [];
    for (const [i, p] of group.entries()) {
      const verdict = await this.judge(p, decoded[i], verdicts, clock, rng);
      if (!verdict.ok) {
        p.resolve(verdict);
        continue;
      }
      accepted.push({ pending: p, entry: verdict.entry, tracker: trackerOf(verdict.entry) });
    }
    if (accepted.length === 0) return;
    // 3. one transaction: the entries, their tree nodes, one checkpoint at the new size (and perhaps a snapshot).
    let note = '';
    let snapshotAt = this.snapshotHeight;
    try {
      this.options.storage.transaction((w) => {
        for (const a of accepted) {
          w.putEntry({ height: a.entry.height, hash: a.entry.hash, bytes: a.entry.bytes, tracker: a.tracker });
          this.tree.append(hashLeaf(a.entry.hash));
        }
        note = signCheckpoint({ origin: this.state.manifest!.origin, size: this.tree.size, rootHash: this.tree.root(), extensions: [] }, this.options.logKey!, this.options.logSigner);
        w.putCheckpoint({ size: this.tree.size, note });
        // B.5.4 the state is the state after exactly these entries: a snapshot here is bound to this checkpoint's size.
        if (this.state.phase === 'open' && this.state.height >= nextSnapshotAt(this.snapshotHeight, this.options.snapshotGap)) {
          w.putSnapshot(encodeSnapshot(this.state, snapshotKey(this.options.logKey!)));
          snapshotAt = this.state.height;
        }
      });
    } catch (e) {
      // The rules' state and the tree have moved past what is stored: refuse all further work.
      this.fail(e, accepted.map((a) => a.pending));
      return;
    }
    this.snapshotHeight = snapshotAt;
    for (const a of accepted) {
      const appended: Appended = { ok: true, height: a.entry.height, hash: a.entry.hash, type: a.entry.type, tracker: a.tracker, checkpoint: note, checkpointSize: this.tree.size };
      a.pending.resolve(appended);
      for (const l of this.listeners) l({ ...appended, entry: a.entry });
    }
  }

  /** One submission through the rules: the header added, the payload's size and type checked first. */
  private async judge(p: Pending, decoded: Payload | null, verdicts: Map<Ballot, boolean>, clock: () => number, rng: RandomSource): Promise<Verdict> {
    const height = this.state.height;
    if (!Object.hasOwn(EntryType, p.type)) return { ok: false, code: 'MALFORMED', reason: `unknown entry type ${JSON.stringify(p.type)}`, height };
    if (!(p.payload instanceof Uint8Array) || p.payload.length > MAX_ENTRY_BYTES - HEADER_BYTES)
      return { ok: false, code: 'MALFORMED', reason: `a payload is a byte array of at most ${MAX_ENTRY_BYTES - HEADER_BYTES} bytes`, height };
    const prev = this.state.head ?? firstPrev(p);
    const bytes = encodeEntry({ type: p.type, height, prev, time: Math.max(clock(), this.state.time) }, p.payload);
    const read = readEntry(this.state, bytes, decoded ?? undefined);
    if (!('content' in read)) return read;
    const c = read.content;
    // A ballot without its decoding was checked by the ballot checker; a decoded one by the batch here.
    const checked = c.type === 'ballot' && (c.ballot === null || verdicts.get(c.ballot) === true);
    return applyDecoded(this.state, read, { rng, proofsChecked: checked });
  }

  /** Marks the board broken and rejects `pending`, the group checked ahead and everything queued: it must be reopened. */
  private fail(e: unknown, pending: readonly Pending[]): void {
    this.broken = e;
    for (const p of pending) p.reject(e);
    for (const p of this.ahead.splice(0)) p.reject(e);
    for (const p of this.queue.splice(0)) p.reject(e);
  }

  /** The newest signed checkpoint, or null on an empty board. */
  latestCheckpoint(): string | null {
    return this.options.storage.latestCheckpoint()?.note ?? null;
  }

  /** B.2.4 the inclusion proof of the entry at `height` in the tree of the first `size` entries. */
  inclusionProof(height: number, size: number = this.size): InclusionProof {
    return this.tree.inclusionProof(height, size);
  }

  /** B.2.6 the consistency proof between the trees of two sizes. */
  consistencyProof(oldSize: number, newSize: number = this.size): ConsistencyProof {
    return this.tree.consistencyProof(oldSize, newSize);
  }

  /** The stored entries [from, to). */
  entries(from = 0, to: number = this.size): Iterable<StoredEntry> {
    return this.options.storage.entries(from, to);
  }

  /** The height of the ballot or audit with this tracker, or null. */
  findTracker(tracker: Uint8Array): number | null {
    return this.options.storage.findTracker(tracker);
  }

  /** Q.7.3 up to `limit` trackers on the board whose text starts with `start` (canonical symbols), in byte order. */
  trackersStartingWith(start: string, limit: number): Uint8Array[] {
    const { low, high } = trackerRange(start);
    return this.options.storage.trackersBetween(low, high, limit);
  }

  /** The signed checkpoint of exactly `size` entries, if the board signed one at that size. */
  checkpointAt(size: number): string | null {
    return this.options.storage.checkpoint(size)?.note ?? null;
  }

  /** The first signed checkpoint whose tree includes the entry at `height`: the one written with it. */
  checkpointCovering(height: number): { readonly size: number; readonly note: string } | null {
    return this.options.storage.checkpointCovering(height);
  }

  /**
   * B.6 the record file as a stream of chunks: the log key, the entries, the checkpoint, the end.
   * `size` (default: the size when it starts) must be a size the board signed a checkpoint at.
   */
  *exportRecord(size: number = this.size, cosignedFinal?: string): Generator<Uint8Array> {
    const checkpoint = this.options.storage.checkpoint(size);
    if (this.logVerifierKey === null) throw new Error('the board has no log key to name in the record');
    if (checkpoint === null) throw new Error(size === 0 ? 'an empty board has no record' : `the board signed no checkpoint at size ${size}`);
    yield recordHeader();
    yield encodeRecordItem({ kind: 'logKey', key: encodeVerifierKey(this.logVerifierKey) });
    // Read a page at a time: a storage cursor must not stay open while the consumer waits
    // (SQLite's connection is busy while a statement iterates).
    for (let from = 0; from < size; from += RECORD_PAGE) {
      const page = [...this.entries(from, Math.min(size, from + RECORD_PAGE))];
      for (const e of page) yield encodeRecordItem({ kind: 'entry', bytes: e.bytes });
    }
    yield encodeRecordItem({ kind: 'checkpoint', note: cosignedFinal ?? checkpoint.note });
    yield encodeRecordItem({ kind: 'end', entries: size });
  }

  close(): void {
    this.options.storage.close();
  }
}

/** B.5.4 the fewest entries between two snapshots. */
export const SNAPSHOT_GAP = 4096;

/**
 * B.5.4 the height at which the next snapshot is taken after one at `last`: once the board has grown
 * by half again, and by at least SNAPSHOT_GAP entries. A snapshot costs what the ledger weighs (about
 * 40 bytes a credential and 128 a slot for each ballot); taken at heights growing by half, the
 * snapshots written over a poll add up to about three times the final ledger, while opening replays at most a third of the
 * board (and SNAPSHOT_GAP entries) on the light path. The group that writes one pays its size once.
 */
export function nextSnapshotAt(last: number, gap: number = SNAPSHOT_GAP): number {
  return Math.max(last + gap, Math.ceil(last * 1.5));
}

/** B.1.3 the prev of the first entry: the genesis hash of the submitted manifest's poll id. */
function firstPrev(p: Pending): Uint8Array {
  if (p.type !== 'manifest') return new Uint8Array(32); // refused by the rules as WRONG_PHASE
  try {
    return genesisHash(decodeManifest(p.payload).pollId);
  } catch (e) {
    if (e instanceof DecodeError) return new Uint8Array(32); // refused by the rules as MALFORMED
    throw e;
  }
}
