/**
 * The booth's reading of a receipt (spec §B.3.11 step 2): the right type is ok; the log's signature on
 * another type for her tracker is an alarm with the signed note as evidence, even when the checkpoint
 * or the proof beside it is broken; anything else that fails is a bad receipt. Bad receipts are made
 * from a valid one by one change each (flip a bit, swap, truncate, append).
 */
import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../crypto/index.ts';
import { hashLeaf, inclusionPath, merkleTreeHash, signCheckpoint, signReceipt, signerKeyFromSeed, verifierKeyOf, type ReceiptEntryType } from '../../bulletin-board/index.ts';
import { classifyReceipt, type CastReceipt } from '../../verifier/index.ts';

const rng = seededRandom('receipt alarm tests');
const origin = 'vote.example.org/poll/00112233445566778899aabbccddeeff';
const logKey = signerKeyFromSeed(origin, rng(32));
const key = verifierKeyOf(logKey);
const otherKey = verifierKeyOf(signerKeyFromSeed(origin, rng(32)));
const entryHashes = Array.from({ length: 7 }, () => rng(32));
const leaves = entryHashes.map(hashLeaf);
const height = 5;
const tracker = rng(32);
const checkpoint = signCheckpoint({ origin, size: leaves.length, rootHash: merkleTreeHash(leaves), extensions: [] }, logKey);
const path = inclusionPath(height, leaves).path;

/** The board's receipt for the entry at `height`, signed as `type`. */
const receiptAs = (type: ReceiptEntryType, over: Partial<CastReceipt> = {}): CastReceipt => ({
  receipt: signReceipt({ origin, type, height, entryHash: entryHashes[height], tracker }, logKey),
  checkpoint,
  path,
  ...over,
});

const flipLast = (s: string, back = 5) => {
  const at = s.length - back;
  return s.slice(0, at) + (s[at] === 'A' ? 'B' : 'A') + s.slice(at + 1);
};
const flipNode = (p: readonly Uint8Array[]) => p.map((n, i) => (i === 0 ? Uint8Array.from(n, (b, j) => (j === 0 ? b ^ 1 : b)) : n));

describe('the receipt for what the booth posted', () => {
  it('is ok when it checks out and names the type she asked for, for a cast and for an audit', () => {
    for (const type of ['ballot', 'audit'] as const) {
      const r = classifyReceipt(receiptAs(type), key, tracker, type);
      expect(r.kind).toBe('ok');
      if (r.kind === 'ok') expect([r.statement.type, r.statement.height, r.checkpoint.size]).toEqual([type, height, 7]);
    }
  });

  it('is an alarm with evidence when the log signed her audit as a ballot, or her cast ballot as an audit', () => {
    for (const [asked, signed] of [['audit', 'ballot'], ['ballot', 'audit']] as const) {
      const r = classifyReceipt(receiptAs(signed), key, tracker, asked);
      expect(r.kind).toBe('wrong-type');
      if (r.kind !== 'wrong-type') continue;
      expect([r.asked, r.statement.type, r.statement.height, r.reason]).toEqual([asked, signed, height, null]);
      expect(r.statement.tracker).toEqual(tracker);
      expect(r.checkpoint?.size).toBe(7);
    }
  });

  it('is still an alarm when the signed note says the other type but the checkpoint or proof beside it is broken', () => {
    const broken: Record<string, Partial<CastReceipt>> = {
      'checkpoint signature flipped': { checkpoint: flipLast(checkpoint) },
      'checkpoint not a note': { checkpoint: 'not a note' },
      'proof node flipped': { path: flipNode(path) },
      'proof truncated': { path: path.slice(0, -1) },
      'proof with a node appended': { path: [...path, rng(32)] },
    };
    for (const [why, over] of Object.entries(broken)) {
      const r = classifyReceipt(receiptAs('ballot', over), key, tracker, 'audit');
      expect(r.kind, why).toBe('wrong-type');
      if (r.kind === 'wrong-type') expect([r.checkpoint, typeof r.reason], why).toEqual([null, 'string']);
    }
  });

  describe('is a bad receipt, never an alarm about her entry, when', () => {
    const right = receiptAs('audit');
    const wrong = receiptAs('ballot');
    const cases: Record<string, [CastReceipt, Uint8Array, typeof key]> = {
      'the note’s signature is flipped': [{ ...right, receipt: flipLast(right.receipt) }, tracker, key],
      'the note of the other type has its signature flipped': [{ ...wrong, receipt: flipLast(wrong.receipt) }, tracker, key],
      'the note of the other type is signed by another key': [wrong, tracker, otherKey],
      'the note of the other type names another tracker': [wrong, rng(32), key],
      'the note is truncated': [{ ...wrong, receipt: wrong.receipt.slice(0, 40) }, tracker, key],
      'the note has garbage appended': [{ ...wrong, receipt: wrong.receipt + 'garbage\n' }, tracker, key],
      'the checkpoint and note are swapped': [{ ...right, receipt: right.checkpoint, checkpoint: right.receipt }, tracker, key],
      'the right type has a flipped proof node': [{ ...right, path: flipNode(path) }, tracker, key],
      'the right type has a checkpoint by another key': [{ ...right, checkpoint: signCheckpoint({ origin, size: 7, rootHash: merkleTreeHash(leaves), extensions: [] }, signerKeyFromSeed(origin, rng(32))) }, tracker, key],
    };
    for (const [why, [receipt, own, k]] of Object.entries(cases))
      it(why, () => {
        const r = classifyReceipt(receipt, k, own, 'audit');
        expect(r.kind).toBe('bad-receipt');
        if (r.kind === 'bad-receipt') expect(r.reason).not.toBe('');
      });
  });
});
