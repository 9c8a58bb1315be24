/**
 * Opening a stored board: every stored entry checked against its row, its hash, its tracker and the
 * Merkle nodes written with it, and replayed through the rules on the light path (a ballot's facts
 * read by lengths, its proofs trusted; the tally's sums taken from the entry), or, below a snapshot's
 * height, ballots and audits skipped and the snapshot's ledger loaded and cross-checked in their
 * place. Spec §B.5.2, §B.5.4.
 */
import { DecodeError, ballotTracker, bytesEqual, skimBallot, toHex } from '../../crypto/index.ts';
import { MemoryNodeStore, MerkleTree, hashLeaf, storedHashCount } from '../log/merkle.ts';
import { EntryType, HEADER_BYTES } from '../records/entry.ts';
import { skimCredentials, slotCount, type Payload } from '../records/payloads.ts';
import { applyDecoded, type Verdict } from '../rules/apply.ts';
import { readEntry, readHeader, type DecodedEntry } from '../rules/read.ts';
import { createState, type BoardState } from '../rules/state.ts';
import { MAX_AUDITS } from '../rules/voting.ts';
import { credentialId, type Ledger } from './snapshot.ts';
import type { BoardStorage, StoredEntry } from './storage.ts';

/** Opening found the stored board inconsistent: the first bad height and why. */
export class BoardIntegrityError extends Error {
  constructor(
    readonly height: number,
    readonly reason: string,
  ) {
    super(`the stored board is damaged or was tampered with at height ${height}: ${reason}`);
    this.name = 'BoardIntegrityError';
  }
}

/** B.5.4 the snapshot does not fit the stored log: it is discarded and the log replayed in full. */
export class SnapshotMismatch extends Error {
  constructor(reason: string) {
    super(`the snapshot does not fit the stored board: ${reason}`);
    this.name = 'SnapshotMismatch';
  }
}

/** Entries (and the nodes written with them) read from storage in one scan at a time. */
const PAGE = 1024;

export interface Replayed {
  readonly state: BoardState;
  /** the root of the tree rebuilt from the stored entry hashes */
  readonly root: Uint8Array;
  /** the entries that carry a tracker (ballots and audits) */
  readonly trackers: number;
}

/**
 * B.5.2 replays the `size` stored entries in height order. Throws BoardIntegrityError naming the
 * first bad height: an entry missing or under another height, a stored hash or tracker that is not
 * its entry's, a Merkle node written with it that is missing or wrong, or an entry the rules refuse.
 * With a `ledger` (a snapshot whose MAC verified, B.5.4), the ballots and audits below its height are
 * checked (row, hash, chain, time, phase, tracker, nodes) but not judged, and the ledger is loaded at
 * its height after the cross-checks of `loadLedger`; any failure while it is in use throws
 * SnapshotMismatch (the caller replays without it, which names a damaged log's height).
 * `trackerRows`, the stored rows with a tracker, only sizes the state's sets.
 */
export async function replayStored(storage: BoardStorage, size: number, ledger: Ledger | null = null, trackerRows = 0): Promise<Replayed> {
  if (ledger !== null && (ledger.height < 1 || ledger.height > size)) throw new SnapshotMismatch(`its height ${ledger.height} is not on a board of ${size} entries`);
  const skipped: Skipped = { ballots: 0, audits: 0, casts: new Map() };
  const state = createState();
  // The sets' room made once (the stored tracker rows, checked against the replay below, say how many ballots and audits).
  const expected = Math.min(trackerRows, size);
  state.trackers.reserve(expected);
  const rebuiltNodes = new MemoryNodeStore();
  const rebuilt = new MerkleTree(rebuiltNodes);
  let trackers = 0;
  for (let from = 0; from < size; from += PAGE) {
    const to = Math.min(size, from + PAGE);
    // One ordered scan of the entries and one of the nodes written with them (B.2.9: the nodes of
    // leaf h are the positions storedHashCount(h) … storedHashCount(h + 1) − 1).
    const entries = [...storage.entries(from, to)];
    const nodeBase = storedHashCount(from);
    const nodes: (Uint8Array | undefined)[] = [];
    for (const n of storage.nodeHashes(nodeBase, storedHashCount(to))) nodes[n.position - nodeBase] = n.hash;
    let next = 0;
    for (let h = from; h < to; h++) {
      // Heights are unique and in order: a row for h is the next one, or h is missing.
      const stored = entries[next]?.height === h ? entries[next++] : null;
      if (h === 1 && state.shapes !== null) state.components.reserve(expected * 2 * slotCount(state.shapes));
      if (ledger !== null && h === ledger.height) loadLedger(state, ledger, skipped);
      if (stored === null) throw unfit(ledger, new BoardIntegrityError(h, 'the entry is missing'));
      let tracker: Uint8Array | null;
      if (ledger !== null && h < ledger.height && (stored.bytes[0] === EntryType.ballot || stored.bytes[0] === EntryType.audit)) {
        tracker = skipOne(state, stored, h, skipped);
      } else {
        // The rules add the tracker of an accepted ballot or audit to the state's set, and nothing else:
        // a stored tracker that was not in the set before and is after, the set one larger, is that
        // tracker (without hashing the ballot a second time).
        const before = state.trackers.size;
        const fresh = stored.tracker !== null && stored.tracker.length === 32 && !state.trackers.has(stored.tracker);
        const verdict = await replayOne(state, stored, h);
        if (!verdict.ok) throw unfit(ledger, new BoardIntegrityError(h, `${verdict.code}: ${verdict.reason}`));
        const added = state.trackers.size - before;
        tracker = added === 0 ? null : stored.tracker;
        if (added === 0 ? stored.tracker !== null : !(fresh && added === 1 && state.trackers.has(stored.tracker!)))
          throw unfit(ledger, new BoardIntegrityError(h, 'its stored tracker is not the tracker of its ballot'));
      }
      if (tracker !== null) trackers += 1;
      if (!(tracker === null ? stored.tracker === null : stored.tracker !== null && bytesEqual(tracker, stored.tracker)))
        throw unfit(ledger, new BoardIntegrityError(h, 'its stored tracker is not the tracker of its ballot'));
      rebuilt.append(hashLeaf(stored.hash));
      // B.2.9 the nodes this leaf completed, in the order they were written.
      for (let p = storedHashCount(h), level = 0; p < storedHashCount(h + 1); p++, level++) {
        const node = nodes[p - nodeBase];
        if (node === undefined || !bytesEqual(node, rebuiltNodes.at(p)!))
          throw unfit(ledger, new BoardIntegrityError(h, `the Merkle node (${level}, ${Math.floor(h / 2 ** level)}) written with this entry is ${node === undefined ? 'missing' : 'wrong'}`));
      }
    }
  }
  if (ledger !== null && ledger.height === size) loadLedger(state, ledger, skipped);
  return { state, root: rebuilt.root(), trackers };
}

/** A failure while a snapshot is in use is the snapshot's until a full replay says otherwise. */
function unfit(ledger: Ledger | null, e: BoardIntegrityError): Error {
  return ledger === null ? e : new SnapshotMismatch(`at height ${e.height}: ${e.reason}`);
}

/** What the skipped ballots and audits were: counts, and each credential's (by hex(enc(X))). */
interface Skipped {
  ballots: number;
  audits: number;
  readonly casts: Map<string, { ballots: number; audits: number }>;
}

/**
 * B.5.4 a ballot or audit below the snapshot's height, checked but not judged: header, chain, time
 * and phase (B.4.4 steps 1–4), its stored hash; its tracker computed (the caller checks the stored
 * one), added to the state's trackers (a repeat is a misfit) and counted, with its credential (read at
 * its fixed place in the ballot, Q.6). The state advances past it; the ledger stands for what it built.
 */
function skipOne(state: BoardState, stored: StoredEntry, h: number, skipped: Skipped): Uint8Array {
  if (stored.height !== h) throw new SnapshotMismatch(`the entry at ${h} is stored under height ${stored.height}`);
  const header = readHeader(state, stored.bytes);
  if (!('raw' in header)) throw new SnapshotMismatch(`at height ${h}: ${header.code}: ${header.reason}`);
  const { raw } = header;
  if (!bytesEqual(raw.hash, stored.hash)) throw new SnapshotMismatch(`at height ${h}: the stored hash is not the hash of the stored bytes`);
  // Q.6 u8 version ‖ fingerprint (32) ‖ enc(X) (32) ‖ …; an audit frames its ballot with a u32 length (B.1.6).
  const at = raw.type === 'audit' ? 4 : 0;
  const length = raw.type === 'audit' && raw.payload.length >= 4 ? new DataView(raw.payload.buffer, raw.payload.byteOffset, 4).getUint32(0) : raw.payload.length;
  if (at + length > raw.payload.length || length < 65) throw new SnapshotMismatch(`at height ${h}: not laid out as a ballot`);
  const ballot = raw.payload.subarray(at, at + length);
  const tracker = ballotTracker(ballot);
  if (!state.trackers.add(tracker)) throw new SnapshotMismatch(`at height ${h}: a tracker repeats`);
  const id = toHex(ballot.subarray(33, 65));
  let casts = skipped.casts.get(id);
  if (casts === undefined) skipped.casts.set(id, (casts = { ballots: 0, audits: 0 }));
  if (raw.type === 'audit') {
    casts.audits += 1;
    skipped.audits += 1;
  } else {
    casts.ballots += 1;
    skipped.ballots += 1;
  }
  state.height += 1;
  state.head = raw.hash;
  state.time = raw.time;
  return tracker;
}

/**
 * B.5.4 loads the ledger into the state at its height, after the cross-checks against what the replay
 * saw: bound to this head, taken while the poll is open, of this poll's slots; the same credentials in
 * the same order; each credential's ballots and audits, and the totals, those of the entries skipped
 * (and within the limits); as many components as their slots make, none twice. What these cannot
 * see (a last ballot or a component replaced by other bytes of the right length) only the key of the
 * snapshot's MAC can make. Throws SnapshotMismatch.
 */
function loadLedger(state: BoardState, ledger: Ledger, skipped: Skipped): void {
  const misfit = (why: string) => new SnapshotMismatch(why);
  if (state.height !== ledger.height || state.head === null || !bytesEqual(state.head, ledger.head)) throw misfit(`it is bound to another head at height ${ledger.height}`);
  if (state.phase !== 'open') throw misfit(`it was taken in phase ${state.phase}`);
  const slots = slotCount(state.shapes!);
  if (ledger.slots !== slots) throw misfit(`it has ${ledger.slots} slots a ballot, the poll ${slots}`);
  if (ledger.ballots !== skipped.ballots || ledger.audits !== skipped.audits)
    throw misfit(`it counts ${ledger.ballots} ballots and ${ledger.audits} audits; the board holds ${skipped.ballots} and ${skipped.audits} below its height`);
  if (ledger.credentials.length !== state.credentials.size) throw misfit(`it lists ${ledger.credentials.length} credentials; the board ${state.credentials.size}`);
  const listed = state.credentials.keys();
  const ids = ledger.credentials.map(credentialId);
  let ballots = 0;
  let audits = 0;
  let voted = 0;
  for (const [i, c] of ledger.credentials.entries()) {
    const id = ids[i];
    if (listed.next().value !== id) throw misfit(`its credential ${id.slice(0, 16)}… is not the board's at that place in the listing order`);
    const seen = skipped.casts.get(id) ?? { ballots: 0, audits: 0 };
    if (c.ballots !== seen.ballots || c.audits !== seen.audits) throw misfit(`credential ${id.slice(0, 16)}… has ${c.ballots} ballots and ${c.audits} audits in it, ${seen.ballots} and ${seen.audits} on the board`);
    if (c.ballots > state.manifest!.maxBallots || c.audits > MAX_AUDITS) throw misfit(`credential ${id.slice(0, 16)}… is over a limit`);
    if (seen.ballots + seen.audits > 0) voted += 1;
    ballots += c.ballots;
    audits += c.audits;
  }
  // Every skipped ballot's credential is one of the listed (the per-credential counts add up).
  if (ballots !== skipped.ballots || audits !== skipped.audits || voted !== skipped.casts.size) throw misfit('ballots or audits below its height were cast by credentials it does not list');
  if (ledger.components.length !== 64 * slots * (skipped.ballots + skipped.audits)) throw misfit(`it holds ${ledger.components.length / 32} components; ${skipped.ballots + skipped.audits} ballots and audits of ${slots} slots make ${2 * slots * (skipped.ballots + skipped.audits)}`);
  state.components.reserve(ledger.components.length / 32);
  for (let at = 0; at < ledger.components.length; at += 32) if (!state.components.add(ledger.components.subarray(at, at + 32))) throw misfit('a component repeats');
  for (const [i, c] of ledger.credentials.entries()) {
    const voter = state.credentials.get(ids[i])!;
    voter.ballots = c.ballots;
    voter.audits = c.audits;
    voter.last = c.last;
  }
  state.ballots = ledger.ballots;
  state.audits = ledger.audits;
}

/** The tracker (§Q.7) of a ballot or audit entry, or null. */
export function trackerOf(entry: DecodedEntry): Uint8Array | null {
  const c = entry.content;
  return c.type === 'ballot' ? ballotTracker(entry.payload) : c.type === 'audit' ? ballotTracker(c.ballotBytes) : null;
}

/**
 * B.5.2 one stored entry replayed: its row, its hash, then the rules on the light path. A ballot's
 * facts are read by lengths (`skimBallot`: its points were decoded and its proofs verified when it
 * was appended); the tally's sums are the entry's own (recomputed and compared when it was appended),
 * so the rules still check its counted set and weight but decode no ballot.
 */
async function replayOne(state: BoardState, stored: StoredEntry, h: number): Promise<Verdict> {
  if (stored.height !== h) return { ok: false, code: 'BAD_CHAIN', reason: `stored under height ${stored.height}`, height: h };
  const read = readEntry(state, stored.bytes, skimmed(state, stored.bytes));
  if (!('content' in read)) return read;
  if (!bytesEqual(read.hash, stored.hash)) return { ok: false, code: 'BAD_CHAIN', reason: 'the stored hash is not the hash of the stored bytes', height: h };
  const c = read.content;
  return applyDecoded(state, read, { proofsChecked: true, sums: c.type === 'tally' ? c.tally.ciphertexts : undefined });
}

/**
 * A stored ballot's facts read by lengths, or a stored credential list with its keys left undecoded;
 * undefined for another type (or bytes not so laid out: the rules decode those and say why).
 */
function skimmed(state: BoardState, bytes: Uint8Array): Payload | undefined {
  if (bytes.length < HEADER_BYTES || (bytes[0] === EntryType.ballot && state.shapes === null)) return undefined;
  try {
    if (bytes[0] === EntryType.ballot) return { type: 'ballot', ballot: null, facts: skimBallot(bytes.subarray(HEADER_BYTES), state.shapes!) };
    if (bytes[0] === EntryType.credentials) return skimCredentials(bytes.subarray(HEADER_BYTES));
    return undefined;
  } catch (e) {
    if (e instanceof DecodeError) return undefined;
    throw e;
  }
}
