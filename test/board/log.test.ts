/** The log layer end to end (§B.2 with §B.3): a growing tree, signed checkpoints, proofs between them, a fork. */
import { describe, expect, it } from 'vitest';
import * as bb from '../../bulletin-board/index.ts';
import { seededRandom } from '../../crypto/index.ts';

const rng = seededRandom('log end to end');
const origin = 'gongshi.example/poll/test';
const logKey = bb.signerKeyFromSeed(origin, rng(32));
const vkey = bb.verifierKeyOf(logKey);

function checkpointOf(tree: bb.MerkleTree, size: number): bb.VerifiedCheckpoint {
  const signed = bb.signCheckpoint({ origin, size, rootHash: tree.root(size), extensions: [] }, logKey);
  const v = bb.verifyCheckpoint(signed, vkey);
  if (!v.ok) throw new Error(`checkpoint did not verify: ${v.reason}`);
  return v;
}

describe('log: tree, checkpoints and proofs together', () => {
  const tree = new bb.MerkleTree(new bb.MemoryNodeStore());
  const entries = Array.from({ length: 37 }, () => rng(32));
  for (const e of entries) tree.append(bb.hashLeaf(e));

  it('an entry is proved into a signed checkpoint, and two checkpoints are proved consistent', () => {
    const old = checkpointOf(tree, 20);
    const now = checkpointOf(tree, 37);
    const proof = tree.inclusionProof(13, 37);
    expect(bb.verifyInclusion(bb.hashLeaf(entries[13]), proof, now.checkpoint.rootHash)).toBe(true);
    const consistency = tree.consistencyProof(20, 37);
    expect(bb.compareCheckpoints(old, now, bb.merkleConsistency, consistency.path)).toEqual({ verdict: 'consistent' });
  });

  it('a fork (same size, another root) and a rewrite (no valid consistency proof) are equivocation with evidence', () => {
    const forked = new bb.MerkleTree(new bb.MemoryNodeStore());
    entries.forEach((e, i) => forked.append(bb.hashLeaf(i === 5 ? rng(32) : e)));
    const a = checkpointOf(tree, 30);
    const b = checkpointOf(forked, 30);
    const same = bb.compareCheckpoints(a, b, bb.merkleConsistency);
    expect(same.verdict).toBe('equivocation');
    const rewritten = bb.compareCheckpoints(checkpointOf(tree, 10), checkpointOf(forked, 37), bb.merkleConsistency, forked.consistencyProof(10, 37).path);
    expect(rewritten.verdict).toBe('equivocation');
    // A malformed proof (a short hash) is no proof, not a crash.
    const malformed = bb.compareCheckpoints(checkpointOf(tree, 10), checkpointOf(tree, 37), bb.merkleConsistency, [new Uint8Array(5)]);
    expect(malformed.verdict).toBe('equivocation');
  });
});
