/**
 * Properties and negative cases of the Merkle tree of spec §B.2: the incremental tree agrees with the
 * recursive definitions, every proof verifies, and every single mutation of a proof, of its sizes or of
 * its roots makes verification return false (or throw MerkleInputError for malformed input, B.2.8).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  EMPTY_ROOT,
  MemoryNodeStore,
  MerkleInputError,
  MerkleTree,
  consistencyPath,
  hashLeaf,
  inclusionPath,
  merkleTreeHash,
  perfectSubtrees,
  splitPoint,
  storedHashCount,
  storedHashIndex,
  verifyConsistency,
  verifyInclusion,
  type ConsistencyProof,
  type InclusionProof,
  type NodeStore,
} from '../../bulletin-board/log/merkle.ts';

/** The fast-check seed; override with FC_SEED=n to explore other runs. */
const SEED = Number(process.env.FC_SEED ?? 0x6f6e67);
const runs = (numRuns: number): { numRuns: number; seed: number } => ({ numRuns, seed: SEED });

const MAX = 300;
const toHex = (b: Uint8Array): string => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');

/** n distinct leaf hashes; `salt` varies the tree between runs. */
function leafHashes(n: number, salt = 0): Uint8Array[] {
  return Array.from({ length: n }, (_, i) => hashLeaf(Uint8Array.of(salt >> 8, salt & 255, i >> 8, i & 255)));
}

function treeOf(leaves: Uint8Array[], store: NodeStore = new MemoryNodeStore()): MerkleTree {
  const tree = new MerkleTree(store);
  for (const h of leaves) tree.append(h);
  return tree;
}

function flipBit(hash: Uint8Array, bit: number): Uint8Array {
  const out = hash.slice();
  out[(bit >> 3) % 32] ^= 1 << (bit & 7);
  return out;
}

const other = (x: number, n: number, delta: number): number => (x + 1 + (delta % (n - 1))) % n; // ≠ x, in [0, n)

/**
 * The left/right pattern of the RFC inclusion path of leaf i in a tree of n leaves (bottom-up; true when
 * the sibling is on the left). Computed from the PATH recursion, independently of the verifier.
 */
function inclusionShape(i: number, n: number): string {
  if (n === 1) return '';
  const k = splitPoint(n);
  return i < k ? `${inclusionShape(i, k)}R` : `${inclusionShape(i - k, n - k)}L`;
}

/** A tree of n leaves (up to MAX) with random salt, plus some extra leaves for larger wrong sizes. */
const treeArb = fc.record({ n: fc.integer({ min: 1, max: MAX }), salt: fc.integer({ min: 0, max: 65535 }) });

describe('incremental MerkleTree (B.2.9)', () => {
  it('root of every prefix equals the recursive MTH', () => {
    fc.assert(
      fc.property(treeArb, fc.array(fc.nat(), { minLength: 1, maxLength: 12 }), ({ n, salt }, picks) => {
        const leaves = leafHashes(n, salt);
        const tree = treeOf(leaves);
        expect(toHex(tree.root())).toBe(toHex(merkleTreeHash(leaves)));
        for (const p of [0, 1, ...picks]) {
          const k = p % (n + 1);
          expect(toHex(tree.root(k))).toBe(toHex(merkleTreeHash(leaves.slice(0, k))));
        }
      }),
      runs(40),
    );
  });

  it('appends every root of sizes 0..64 in order, checked at each step', () => {
    const leaves = leafHashes(64);
    const tree = new MerkleTree();
    expect(toHex(tree.root())).toBe(toHex(EMPTY_ROOT));
    leaves.forEach((h, i) => {
      expect(tree.append(h)).toBe(i);
      expect(toHex(tree.root())).toBe(toHex(merkleTreeHash(leaves.slice(0, i + 1))));
    });
  });

  it('stores 2n − popcount(n) hashes, in storedHashIndex order', () => {
    const store = new MemoryNodeStore();
    for (let n = 0; n <= 70; n++) {
      if (n > 0) new MerkleTree(store, n - 1).append(leafHashes(n)[n - 1]);
      const popcount = n.toString(2).split('1').length - 1;
      expect(store.length).toBe(2 * n - popcount);
      expect(storedHashCount(n)).toBe(2 * n - popcount);
    }
    // Leaf 0, leaf 1, node (1, 0), leaf 2, leaf 3, (1, 1), (2, 0), leaf 4.
    const order = [[0, 0], [0, 1], [1, 0], [0, 2], [0, 3], [1, 1], [2, 0], [0, 4]];
    order.forEach(([level, index], i) => expect(storedHashIndex(level, index)).toBe(i));
  });

  it('splits a size into perfect subtrees by its binary digits', () => {
    expect(perfectSubtrees(0)).toEqual([]);
    expect(perfectSubtrees(1)).toEqual([{ level: 0, index: 0 }]);
    expect(perfectSubtrees(13)).toEqual([
      { level: 3, index: 0 },
      { level: 2, index: 2 },
      { level: 0, index: 12 },
    ]);
  });

  it('reopens over an existing store with its size and keeps growing', () => {
    const leaves = leafHashes(40);
    const store = new MemoryNodeStore();
    treeOf(leaves.slice(0, 25), store);
    const reopened = new MerkleTree(store, 25);
    for (const h of leaves.slice(25)) reopened.append(h);
    expect(toHex(reopened.root())).toBe(toHex(merkleTreeHash(leaves)));
    expect(toHex(reopened.root(25))).toBe(toHex(merkleTreeHash(leaves.slice(0, 25))));
  });

  it('reads O(log n) stored hashes per proof', () => {
    let reads = 0;
    const inner = new MemoryNodeStore();
    const counting: NodeStore = {
      get: (level, index) => (reads++, inner.get(level, index)),
      put: (level, index, hash) => inner.put(level, index, hash),
    };
    const n = 1000;
    const tree = treeOf(leafHashes(n), counting);
    const bound = 3 * (Math.ceil(Math.log2(n)) + 1);
    for (const [i, size] of [[0, 1000], [999, 1000], [511, 777], [700, 999]]) {
      reads = 0;
      tree.inclusionProof(i, size);
      expect(reads).toBeLessThanOrEqual(bound);
    }
    for (const [m, size] of [[1, 1000], [999, 1000], [333, 777], [512, 999]]) {
      reads = 0;
      tree.consistencyProof(m, size);
      expect(reads).toBeLessThanOrEqual(bound);
    }
  });

  it('refuses sizes beyond its own and hashes that are not 32 bytes', () => {
    const tree = treeOf(leafHashes(5));
    expect(() => tree.root(6)).toThrow(MerkleInputError);
    expect(() => tree.inclusionProof(0, 6)).toThrow(MerkleInputError);
    expect(() => tree.consistencyProof(2, 6)).toThrow(MerkleInputError);
    expect(() => tree.append(new Uint8Array(31))).toThrow(MerkleInputError);
    expect(tree.size).toBe(5);
  });
});

describe('inclusion proofs (B.2.4, B.2.5)', () => {
  it('every leaf of a random tree verifies; the tree and the recursive PATH agree', () => {
    fc.assert(
      fc.property(treeArb, fc.array(fc.nat(), { minLength: 1, maxLength: 8 }), ({ n, salt }, picks) => {
        const leaves = leafHashes(n, salt);
        const tree = treeOf(leaves);
        const root = tree.root();
        for (let i = 0; i < n; i++) expect(verifyInclusion(leaves[i], tree.inclusionProof(i), root)).toBe(true);
        for (const p of picks) {
          const i = p % n;
          expect(tree.inclusionProof(i).path.map(toHex)).toEqual(inclusionPath(i, leaves).path.map(toHex));
        }
      }),
      runs(25),
    );
  });

  it('a proof in an older tree (size < current) verifies against that tree’s root', () => {
    fc.assert(
      fc.property(treeArb, fc.nat(), fc.nat(), ({ n, salt }, a, b) => {
        const leaves = leafHashes(n, salt);
        const tree = treeOf(leaves);
        const size = 1 + (a % n);
        const i = b % size;
        const proof = tree.inclusionProof(i, size);
        expect(proof.path.map(toHex)).toEqual(inclusionPath(i, leaves.slice(0, size)).path.map(toHex));
        expect(verifyInclusion(leaves[i], proof, tree.root(size))).toBe(true);
      }),
      runs(100),
    );
  });

  it('any single mutation of the proof, leaf or root makes it false', () => {
    fc.assert(
      fc.property(treeArb, fc.nat(), fc.nat(), fc.nat(), fc.nat(), ({ n, salt }, a, b, c, d) => {
        const leaves = leafHashes(2 * n, salt);
        const tree = treeOf(leaves);
        const i = a % n;
        const proof = tree.inclusionProof(i, n);
        const root = tree.root(n);
        const leaf = leaves[i];
        const { path } = proof;
        const check = (p: InclusionProof, l = leaf, r = root): boolean => verifyInclusion(l, p, r);
        expect(check(proof)).toBe(true);
        const at = (x: number): number => x % path.length;
        if (path.length > 0) {
          const j = at(b);
          expect(check({ ...proof, path: path.map((h, k) => (k === j ? flipBit(h, c % 256) : h)) })).toBe(false); // flip a bit
          expect(check({ ...proof, path: path.filter((_, k) => k !== j) })).toBe(false); // drop a hash
          const k = at(c);
          if (k !== j) {
            const swapped = path.slice();
            [swapped[j], swapped[k]] = [swapped[k], swapped[j]];
            expect(check({ ...proof, path: swapped })).toBe(false); // swap two hashes
          }
        }
        const extra = leaves[d % leaves.length];
        const pos = d % (path.length + 1);
        expect(check({ ...proof, path: [...path.slice(0, pos), extra, ...path.slice(pos)] })).toBe(false); // add a hash
        if (n > 1) expect(check({ ...proof, index: other(i, n, b) })).toBe(false); // wrong index
        expect(check(proof, flipBit(leaf, c % 256))).toBe(false); // wrong leaf
        expect(check(proof, leaf, flipBit(root, d % 256))).toBe(false); // wrong root
        expect(check(proof, leaf, EMPTY_ROOT)).toBe(false);
        // Wrong size, with the root of the tree of that size: false; with an index beyond it: malformed.
        const size = 1 + ((n + b) % (2 * n));
        if (size !== n) {
          const wrong = { ...proof, size };
          if (i >= size) expect(() => check(wrong, leaf, tree.root(size))).toThrow(MerkleInputError);
          else {
            expect(check(wrong, leaf, tree.root(size))).toBe(false);
            // Against the old root the verdict is false unless both sizes give the same path shape
            // (see 'the proof does not bind the tree size' below).
            expect(check(wrong)).toBe(inclusionShape(i, size) === inclusionShape(i, n));
          }
        }
      }),
      runs(300),
    );
  });

  it('a proof for leaf i presented as leaf j is false', () => {
    const leaves = leafHashes(13);
    const tree = treeOf(leaves);
    const root = tree.root();
    for (let i = 0; i < 13; i++) {
      const proof = tree.inclusionProof(i);
      for (let j = 0; j < 13; j++) {
        if (j === i) continue;
        expect(verifyInclusion(leaves[i], { ...proof, index: j }, root)).toBe(false); // the right leaf at the wrong index
        expect(verifyInclusion(leaves[j], proof, root)).toBe(false); // leaf j with i's proof
        expect(verifyInclusion(leaves[j], { ...proof, index: j }, root)).toBe(false);
      }
    }
  });

  it('an empty proof where one is required is false', () => {
    const leaves = leafHashes(9);
    const tree = treeOf(leaves);
    for (let i = 0; i < 9; i++) expect(verifyInclusion(leaves[i], { index: i, size: 9, path: [] }, tree.root())).toBe(false);
    // Not even the root itself passes as a leaf of a larger tree.
    expect(verifyInclusion(tree.root(), { index: 0, size: 9, path: [] }, tree.root())).toBe(false);
  });

  it('size 1: the empty proof, and the leaf hash is the root', () => {
    const [leaf, otherLeaf] = leafHashes(2);
    expect(verifyInclusion(leaf, { index: 0, size: 1, path: [] }, leaf)).toBe(true);
    expect(verifyInclusion(leaf, { index: 0, size: 1, path: [] }, otherLeaf)).toBe(false);
    expect(verifyInclusion(leaf, { index: 0, size: 1, path: [otherLeaf] }, leaf)).toBe(false);
  });

  it('size 0: the empty tree has no leaf, so any inclusion claim is malformed', () => {
    const [leaf] = leafHashes(1);
    expect(() => verifyInclusion(leaf, { index: 0, size: 0, path: [] }, EMPTY_ROOT)).toThrow(MerkleInputError);
    expect(() => inclusionPath(0, [])).toThrow(MerkleInputError);
    expect(() => new MerkleTree().inclusionProof(0)).toThrow(MerkleInputError);
  });

  it('the proof does not bind the tree size: (0, 3) and (0, 4) have the same shape', () => {
    // Why §B signs (size, root) together: an inclusion proof checks a leaf against a root, and two sizes
    // whose paths have the same shape accept the same proof. The size must come from the checkpoint.
    const leaves = leafHashes(4);
    const proof = inclusionPath(0, leaves.slice(0, 3));
    const root3 = merkleTreeHash(leaves.slice(0, 3));
    expect(verifyInclusion(leaves[0], { ...proof, size: 4 }, root3)).toBe(true);
    expect(verifyInclusion(leaves[0], { ...proof, size: 4 }, merkleTreeHash(leaves))).toBe(false);
  });

  it('throws on malformed input: hash lengths, index ≥ size, sizes that are not integers', () => {
    const leaves = leafHashes(6);
    const tree = treeOf(leaves);
    const proof = tree.inclusionProof(2);
    const root = tree.root();
    const bad = (f: () => unknown, field: string): void => {
      expect(f).toThrow(MerkleInputError);
      try {
        f();
      } catch (e) {
        expect((e as MerkleInputError).field).toBe(field);
      }
    };
    bad(() => verifyInclusion(leaves[2].subarray(1), proof, root), 'leafHash');
    bad(() => verifyInclusion(leaves[2], proof, new Uint8Array(33)), 'root');
    bad(() => verifyInclusion(leaves[2], { ...proof, path: [proof.path[0], proof.path[1].subarray(0, 31), proof.path[2]] }, root), 'path[1]');
    bad(() => verifyInclusion(leaves[2], { ...proof, path: [...proof.path, new Uint8Array(0)] }, root), 'path[3]');
    bad(() => verifyInclusion(leaves[2], { ...proof, index: 6 }, root), 'index');
    bad(() => verifyInclusion(leaves[2], { ...proof, index: -1 }, root), 'index');
    bad(() => verifyInclusion(leaves[2], { ...proof, index: 1.5 }, root), 'index');
    bad(() => verifyInclusion(leaves[2], { ...proof, size: 2 ** 53 }, root), 'size');
    bad(() => verifyInclusion(leaves[2], { ...proof, size: Number.NaN }, root), 'size');
    bad(() => tree.inclusionProof(6), 'index');
  });
});

describe('consistency proofs (B.2.6, B.2.7)', () => {
  it('every consistency proof between random m ≤ n verifies; the tree and the recursive PROOF agree', () => {
    fc.assert(
      fc.property(treeArb, fc.nat(), fc.nat(), ({ n, salt }, a, b) => {
        const leaves = leafHashes(n, salt);
        const tree = treeOf(leaves);
        const newSize = 1 + (a % n);
        const oldSize = b % (newSize + 1);
        const proof = tree.consistencyProof(oldSize, newSize);
        expect(proof.path.map(toHex)).toEqual(consistencyPath(oldSize, leaves.slice(0, newSize)).path.map(toHex));
        expect(verifyConsistency(proof, tree.root(oldSize), tree.root(newSize))).toBe(true);
      }),
      runs(200),
    );
  });

  it('every pair 0 ≤ m ≤ n ≤ 40 verifies', () => {
    const tree = treeOf(leafHashes(40));
    const roots = Array.from({ length: 41 }, (_, k) => tree.root(k));
    for (let n = 0; n <= 40; n++) {
      for (let m = 0; m <= n; m++) expect(verifyConsistency(tree.consistencyProof(m, n), roots[m], roots[n])).toBe(true);
    }
  });

  it('any single mutation of the proof, the sizes or the roots makes it false', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: MAX }), fc.nat(), fc.nat(), fc.nat(), fc.nat(), (n, a, b, c, d) => {
        const leaves = leafHashes(2 * n + 1, a);
        const tree = treeOf(leaves);
        const m = 1 + (a % (n - 1)); // 0 < m < n: a non-empty proof
        const proof = tree.consistencyProof(m, n);
        const oldRoot = tree.root(m);
        const newRoot = tree.root(n);
        const { path } = proof;
        const check = (p: ConsistencyProof, o = oldRoot, r = newRoot): boolean => verifyConsistency(p, o, r);
        expect(check(proof)).toBe(true);
        expect(path.length).toBeGreaterThan(0);
        const j = b % path.length;
        expect(check({ ...proof, path: path.map((h, k) => (k === j ? flipBit(h, c % 256) : h)) })).toBe(false); // flip a bit
        expect(check({ ...proof, path: path.filter((_, k) => k !== j) })).toBe(false); // drop a hash
        const k = c % path.length;
        if (k !== j) {
          const swapped = path.slice();
          [swapped[j], swapped[k]] = [swapped[k], swapped[j]];
          expect(check({ ...proof, path: swapped })).toBe(false); // swap two hashes
        }
        for (const extra of [leaves[d % leaves.length], oldRoot, newRoot, path[j]]) {
          const pos = d % (path.length + 1);
          expect(check({ ...proof, path: [...path.slice(0, pos), extra, ...path.slice(pos)] })).toBe(false); // add a hash
        }
        expect(check(proof, flipBit(oldRoot, c % 256))).toBe(false); // wrong old root
        expect(check(proof, oldRoot, flipBit(newRoot, d % 256))).toBe(false); // wrong new root
        expect(check(proof, newRoot, oldRoot)).toBe(false); // swapped roots
        // Wrong sizes, each checked against the root of a tree of that size.
        const newWrong = m + 1 + ((n + b) % (2 * n + 1 - m)); // in (m, 2n + 1]
        if (newWrong !== n) expect(check({ ...proof, newSize: newWrong }, oldRoot, tree.root(newWrong))).toBe(false);
        const oldWrong = 1 + ((m + c) % n); // in [1, n]
        if (oldWrong !== m) {
          const res = oldWrong === n ? check({ ...proof, oldSize: n }, newRoot) : check({ ...proof, oldSize: oldWrong }, tree.root(oldWrong));
          expect(res).toBe(false);
        }
        expect(() => check({ ...proof, oldSize: n + 1 })).toThrow(MerkleInputError); // old > new: malformed
      }),
      runs(300),
    );
  });

  it('a consistency proof for (m, n) checked as (m, n+1) is false', () => {
    const tree = treeOf(leafHashes(33));
    for (let n = 2; n <= 32; n++) {
      for (let m = 1; m < n; m++) {
        const proof = tree.consistencyProof(m, n);
        expect(verifyConsistency({ ...proof, newSize: n + 1 }, tree.root(m), tree.root(n + 1))).toBe(false);
      }
    }
  });

  it('the proof does not bind the sizes: (1, 3) checked as (1, 4) against the root of 3', () => {
    // As for inclusion: the sizes must come from signed checkpoints (§B), never from the proof.
    const leaves = leafHashes(4);
    const proof = consistencyPath(1, leaves.slice(0, 3));
    const [root1, root3] = [merkleTreeHash(leaves.slice(0, 1)), merkleTreeHash(leaves.slice(0, 3))];
    expect(verifyConsistency({ ...proof, newSize: 4 }, root1, root3)).toBe(true);
    expect(verifyConsistency({ ...proof, newSize: 4 }, root1, merkleTreeHash(leaves))).toBe(false);
  });

  it('an empty proof where one is required is false', () => {
    const tree = treeOf(leafHashes(20));
    for (let n = 2; n <= 20; n++) {
      for (let m = 1; m < n; m++) expect(verifyConsistency({ oldSize: m, newSize: n, path: [] }, tree.root(m), tree.root(n))).toBe(false);
    }
  });

  it('equal sizes: the empty proof, and the roots must be equal', () => {
    const tree = treeOf(leafHashes(7));
    for (let n = 1; n <= 7; n++) {
      expect(tree.consistencyProof(n, n).path).toEqual([]);
      expect(verifyConsistency({ oldSize: n, newSize: n, path: [] }, tree.root(n), tree.root(n))).toBe(true);
      expect(verifyConsistency({ oldSize: n, newSize: n, path: [] }, tree.root(n), flipBit(tree.root(n), 0))).toBe(false);
      expect(verifyConsistency({ oldSize: n, newSize: n, path: [tree.root(n)] }, tree.root(n), tree.root(n))).toBe(false);
    }
  });

  it('size 0: the empty tree is a prefix of every tree, with the empty proof and the root SHA-256("")', () => {
    const tree = treeOf(leafHashes(5));
    for (let n = 0; n <= 5; n++) {
      expect(tree.consistencyProof(0, n).path).toEqual([]);
      expect(consistencyPath(0, leafHashes(n)).path).toEqual([]);
      expect(verifyConsistency({ oldSize: 0, newSize: n, path: [] }, EMPTY_ROOT, tree.root(n))).toBe(true);
      // Any other old root is not the empty tree's, and a non-empty proof proves nothing more.
      expect(verifyConsistency({ oldSize: 0, newSize: n, path: [] }, tree.root(5), tree.root(n))).toBe(false);
      expect(verifyConsistency({ oldSize: 0, newSize: n, path: [EMPTY_ROOT] }, EMPTY_ROOT, tree.root(n))).toBe(false);
    }
    expect(verifyConsistency({ oldSize: 0, newSize: 0, path: [] }, EMPTY_ROOT, EMPTY_ROOT)).toBe(true);
    expect(verifyConsistency({ oldSize: 0, newSize: 0, path: [] }, EMPTY_ROOT, tree.root(1))).toBe(false);
  });

  it('throws on malformed input: hash lengths, old size > new size, sizes that are not integers', () => {
    const tree = treeOf(leafHashes(9));
    const proof = tree.consistencyProof(3, 9);
    const [o, r] = [tree.root(3), tree.root(9)];
    expect(() => verifyConsistency(proof, o.subarray(1), r)).toThrow(MerkleInputError);
    expect(() => verifyConsistency(proof, o, new Uint8Array(64))).toThrow(MerkleInputError);
    expect(() => verifyConsistency({ ...proof, path: [...proof.path, new Uint8Array(31)] }, o, r)).toThrow(MerkleInputError);
    expect(() => verifyConsistency({ ...proof, oldSize: 10 }, o, r)).toThrow(MerkleInputError);
    expect(() => verifyConsistency({ ...proof, oldSize: -1 }, o, r)).toThrow(MerkleInputError);
    expect(() => verifyConsistency({ ...proof, newSize: 9.5 }, o, r)).toThrow(MerkleInputError);
    expect(() => tree.consistencyProof(4, 3)).toThrow(MerkleInputError);
    expect(() => consistencyPath(4, leafHashes(3))).toThrow(MerkleInputError);
  });
});
