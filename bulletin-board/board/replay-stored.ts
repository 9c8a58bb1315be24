/**
 * Opening a stored board: every stored entry checked against its row, its hash, its tracker and the
 * Merkle nodes written with it, and replayed through the rules on the light path (a ballot's facts
 * read by lengths, its proofs trusted; the tally's sums taken from the entry). Spec §B.5.2.
 */
import { DecodeError, ballotTracker, bytesEqual, skimBallot } from '../../crypto/index.ts';
import { MemoryNodeStore, MerkleTree, hashLeaf, storedHashCount } from '../log/merkle.ts';
import { EntryType, HEADER_BYTES } from '../records/entry.ts';
import type { Payload } from '../records/payloads.ts';
import { applyDecoded, type Verdict } from '../rules/apply.ts';
import { readEntry, type DecodedEntry } from '../rules/read.ts';
import { createState, type BoardState } from '../rules/state.ts';
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
 */
export async function replayStored(storage: BoardStorage, size: number): Promise<Replayed> {
  const state = createState();
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
      if (stored === null) throw new BoardIntegrityError(h, 'the entry is missing');
      const verdict = await replayOne(state, stored, h);
      if (!verdict.ok) throw new BoardIntegrityError(h, `${verdict.code}: ${verdict.reason}`);
      const tracker = trackerOf(verdict.entry);
      if (tracker !== null) trackers += 1;
      if (!(tracker === null ? stored.tracker === null : stored.tracker !== null && bytesEqual(tracker, stored.tracker)))
        throw new BoardIntegrityError(h, 'its stored tracker is not the tracker of its ballot');
      rebuilt.append(hashLeaf(stored.hash));
      // B.2.9 the nodes this leaf completed, in the order they were written.
      for (let p = storedHashCount(h), level = 0; p < storedHashCount(h + 1); p++, level++) {
        const node = nodes[p - nodeBase];
        if (node === undefined || !bytesEqual(node, rebuiltNodes.at(p)!))
          throw new BoardIntegrityError(h, `the Merkle node (${level}, ${Math.floor(h / 2 ** level)}) written with this entry is ${node === undefined ? 'missing' : 'wrong'}`);
      }
    }
  }
  return { state, root: rebuilt.root(), trackers };
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

/** A stored ballot entry's facts read by lengths, or undefined for another type (or bytes not laid out as a ballot: the rules decode those and say why). */
function skimmed(state: BoardState, bytes: Uint8Array): Payload | undefined {
  if (bytes[0] !== EntryType.ballot || state.shapes === null || bytes.length < HEADER_BYTES) return undefined;
  try {
    return { type: 'ballot', ballot: null, facts: skimBallot(bytes.subarray(HEADER_BYTES), state.shapes) };
  } catch (e) {
    if (e instanceof DecodeError) return undefined;
    throw e;
  }
}
