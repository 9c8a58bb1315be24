/**
 * A board as a person's device takes it: entries that are exactly the ones a checkpoint signed by the
 * manifest's log key names (their Merkle tree hash is its root), replayed through the election rules.
 * What the pages that look things up on the board (check my code) stand on. Spec §B.1.4, §B.2, §B.3.8, §B.4.
 */
import { applyEntry, createState, decodeEntry, decodeManifest, hashEntry, hashLeaf, merkleTreeHash, parseVerifierKey, verifyCheckpoint, type BoardState } from '../bulletin-board/index.ts';
import { DecodeError, bytesEqual } from '../crypto/index.ts';

export type SignedBoard =
  | { readonly ok: true; readonly state: BoardState; readonly manifestBytes: Uint8Array; readonly size: number }
  | { readonly ok: false; readonly reason: string };

/**
 * Checks `entries` (heights 0 … n−1) against `checkpoint` (a signed note) and replays them:
 * 1. entry 0 is a manifest; its `logKey` signed the checkpoint (§B.3.8), whose origin it names;
 * 2. the checkpoint's size is n and its root the Merkle tree hash of the entries (§B.2.3);
 * 3. every entry is accepted by the rules in order (§B.4): the hash chain, the registrar's signatures
 *    of the credential lists (V39), who may cast, the revote limit. Ballot proofs and signatures are
 *    taken as checked (`proofsChecked`): they are the whole verifier's work (the verifier page), and
 *    too slow for a phone's main thread on a large board.
 * Returns the state after the last entry, or the first reason the board does not hold.
 */
export async function replaySignedBoard(entries: readonly Uint8Array[], checkpoint: string, onProgress?: (done: number) => void): Promise<SignedBoard> {
  if (entries.length === 0) return { ok: false, reason: 'the board has no entries' };
  let manifestBytes: Uint8Array;
  let logKey;
  try {
    const first = decodeEntry(entries[0]);
    if (first.type !== 'manifest') return { ok: false, reason: 'entry 0 is not a manifest' };
    manifestBytes = first.payload;
    logKey = parseVerifierKey(decodeManifest(manifestBytes).logKey);
  } catch (e) {
    if (e instanceof DecodeError) return { ok: false, reason: `entry 0 does not read: ${e.message}` };
    throw e;
  }
  let signed;
  try {
    signed = verifyCheckpoint(checkpoint, logKey);
  } catch (e) {
    if (e instanceof DecodeError) return { ok: false, reason: `the checkpoint does not read: ${e.message}` };
    throw e;
  }
  if (!signed.ok) return { ok: false, reason: `the checkpoint is not signed by the manifest's log key (${signed.reason})` };
  const { size, rootHash } = signed.checkpoint;
  if (size !== entries.length) return { ok: false, reason: `the checkpoint signs ${size} entries, not the ${entries.length} given` };
  if (!bytesEqual(merkleTreeHash(entries.map((b) => hashLeaf(hashEntry(b)))), rootHash)) return { ok: false, reason: `the entries are not the ones the checkpoint of ${size} entries signs` };
  const state = createState();
  for (const [height, bytes] of entries.entries()) {
    const verdict = await applyEntry(state, bytes, { proofsChecked: true });
    if (!verdict.ok) return { ok: false, reason: `entry ${height} breaks the rules: ${verdict.code} (${verdict.reason})` };
    onProgress?.(height + 1);
  }
  return { ok: true, state, manifestBytes, size };
}
