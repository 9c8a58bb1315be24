/**
 * Known answers for the Merkle tree of spec §B.2 (RFC 6962 / RFC 9162 §2.1).
 *
 * Data source (used as data, not code): transparency-dev/merkle, proof/verify_test.go (the eight leaves,
 * the roots of sizes 1..8, the inclusion and consistency proofs) and rfc6962/rfc6962_test.go (the
 * hasher vectors); the node lists of proof/proof_test.go (which stored nodes a proof consists of).
 * The same vectors come from Certificate Transparency's C++ and Go implementations.
 */
import { describe, expect, it } from 'vitest';
import {
  EMPTY_ROOT,
  MemoryNodeStore,
  MerkleTree,
  consistencyPath,
  hashLeaf,
  hashNode,
  inclusionPath,
  merkleTreeHash,
  verifyConsistency,
  verifyInclusion,
} from '../../bulletin-board/log/merkle.ts';

const hex = (h: string): Uint8Array => Uint8Array.from(h.match(/../g) ?? [], (b) => parseInt(b, 16));
const toHex = (b: Uint8Array): string => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
const ascii = (s: string): Uint8Array => new TextEncoder().encode(s);

/** The eight leaf inputs (hex). */
const LEAVES = ['', '00', '10', '2021', '3031', '40414243', '5051525354555657', '606162636465666768696a6b6c6d6e6f'].map(hex);
const LEAF_HASHES = LEAVES.map(hashLeaf);

/** MTH of the first k leaves, k = 1..8. */
const ROOTS = [
  '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
  'fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125',
  'aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77',
  'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
  '4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4',
  '76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef',
  'ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c',
  '5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328',
];

/** Inclusion proofs: leaf index (0-based; the source numbers leaves from 1), tree size, path. */
const INCLUSION: { index: number; size: number; path: string[] }[] = [
  { index: 0, size: 1, path: [] },
  {
    index: 0,
    size: 8,
    path: [
      '96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7',
      '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
      '6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4',
    ],
  },
  {
    index: 5,
    size: 8,
    path: [
      'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b',
      'ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0',
      'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
    ],
  },
  { index: 2, size: 3, path: ['fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125'] },
  {
    index: 1,
    size: 5,
    path: [
      '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
      '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
      'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b',
    ],
  },
];

/** Consistency proofs: old size, new size, path. */
const CONSISTENCY: { oldSize: number; newSize: number; path: string[] }[] = [
  { oldSize: 1, newSize: 1, path: [] },
  {
    oldSize: 1,
    newSize: 8,
    path: [
      '96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7',
      '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
      '6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4',
    ],
  },
  {
    oldSize: 6,
    newSize: 8,
    path: [
      '0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a',
      'ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0',
      'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
    ],
  },
  {
    oldSize: 2,
    newSize: 5,
    path: [
      '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
      'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b',
    ],
  },
  {
    oldSize: 6,
    newSize: 7,
    path: [
      '0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a',
      'b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f',
      'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
    ],
  },
];

function treeOf(leafHashes: Uint8Array[]): { tree: MerkleTree; store: MemoryNodeStore } {
  const store = new MemoryNodeStore();
  const tree = new MerkleTree(store);
  for (const h of leafHashes) tree.append(h);
  return { tree, store };
}

describe('RFC 6962 hashing (B.2.1–B.2.3)', () => {
  it('hashes the empty tree, an empty leaf, a leaf and a node as the published vectors', () => {
    expect(toHex(EMPTY_ROOT)).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(toHex(merkleTreeHash([]))).toBe(toHex(EMPTY_ROOT));
    expect(toHex(hashLeaf(new Uint8Array(0)))).toBe('6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d');
    expect(toHex(hashLeaf(ascii('L123456')))).toBe('395aa064aa4c29f7010acfe3f25db9485bbd4b91897b6ad7ad547639252b4d56');
    expect(toHex(hashNode(ascii('N123'), ascii('N456')))).toBe('aa217fe888e47007fa15edab33c2b492a722cb106c64667fc2b044444de66bbb');
  });

  it('keeps leaves and nodes apart: a leaf over the bytes of two hashes is not their node', () => {
    const [a, b] = LEAF_HASHES;
    const joined = new Uint8Array([...a, ...b]);
    expect(toHex(hashLeaf(joined))).not.toBe(toHex(hashNode(a, b)));
    expect(toHex(hashNode(a, b))).not.toBe(toHex(hashNode(b, a)));
  });

  it.each(ROOTS.map((root, i) => ({ size: i + 1, root })))('MTH of the first $size leaves is $root', ({ size, root }) => {
    expect(toHex(merkleTreeHash(LEAF_HASHES.slice(0, size)))).toBe(root);
  });

  it('the incremental tree gives the same root for every size 0..8', () => {
    const { tree } = treeOf(LEAF_HASHES);
    expect(toHex(tree.root(0))).toBe(toHex(EMPTY_ROOT));
    for (let size = 1; size <= 8; size++) expect(toHex(tree.root(size))).toBe(ROOTS[size - 1]);
  });
});

describe('RFC 6962 inclusion proofs (B.2.4, B.2.5)', () => {
  it.each(INCLUSION)('leaf $index of $size: generated proof equals the published one and verifies', ({ index, size, path }) => {
    const { tree } = treeOf(LEAF_HASHES);
    expect(inclusionPath(index, LEAF_HASHES.slice(0, size)).path.map(toHex)).toEqual(path);
    expect(tree.inclusionProof(index, size).path.map(toHex)).toEqual(path);
    expect(verifyInclusion(LEAF_HASHES[index], { index, size, path: path.map(hex) }, hex(ROOTS[size - 1]))).toBe(true);
  });

  it('every leaf of every size 1..8 verifies against the published root', () => {
    const { tree } = treeOf(LEAF_HASHES);
    for (let size = 1; size <= 8; size++) {
      for (let index = 0; index < size; index++) {
        expect(verifyInclusion(LEAF_HASHES[index], tree.inclusionProof(index, size), hex(ROOTS[size - 1]))).toBe(true);
      }
    }
  });
});

describe('RFC 6962 consistency proofs (B.2.6, B.2.7)', () => {
  it.each(CONSISTENCY)('$oldSize → $newSize: generated proof equals the published one and verifies', ({ oldSize, newSize, path }) => {
    const { tree } = treeOf(LEAF_HASHES);
    expect(consistencyPath(oldSize, LEAF_HASHES.slice(0, newSize)).path.map(toHex)).toEqual(path);
    expect(tree.consistencyProof(oldSize, newSize).path.map(toHex)).toEqual(path);
    const proof = { oldSize, newSize, path: path.map(hex) };
    expect(verifyConsistency(proof, hex(ROOTS[oldSize - 1]), hex(ROOTS[newSize - 1]))).toBe(true);
  });

  it('every pair 1 ≤ m ≤ n ≤ 8 verifies against the published roots', () => {
    const { tree } = treeOf(LEAF_HASHES);
    for (let n = 1; n <= 8; n++) {
      for (let m = 1; m <= n; m++) {
        expect(verifyConsistency(tree.consistencyProof(m, n), hex(ROOTS[m - 1]), hex(ROOTS[n - 1]))).toBe(true);
      }
    }
  });
});

describe('proofs consist of the published nodes (transparency-dev proof_test.go, tree of 8 leaves)', () => {
  // Node (level, index) of the RFC 6962 example tree: a..h leaves, g h i nodes of level 1, k of level 2.
  const { tree, store } = treeOf(LEAF_HASHES);
  const n = (level: number, index: number): string => toHex(store.get(level, index));
  const rehash = (a: string, b: string): string => toHex(hashNode(hex(a), hex(b)));

  it.each([
    { index: 0, size: 2, nodes: () => [n(0, 1)] },
    { index: 1, size: 3, nodes: () => [n(0, 0), n(0, 2)] },
    { index: 4, size: 7, nodes: () => [n(0, 5), n(0, 6), n(2, 0)] },
    { index: 6, size: 7, nodes: () => [n(1, 2), n(2, 0)] },
    { index: 3, size: 5, nodes: () => [n(0, 2), n(1, 0), n(0, 4)] },
    { index: 0, size: 7, nodes: () => [n(0, 1), n(1, 1), rehash(n(1, 2), n(0, 6))] },
  ])('inclusion of leaf $index in $size', ({ index, size, nodes }) => {
    expect(tree.inclusionProof(index, size).path.map(toHex)).toEqual(nodes());
  });

  it.each([
    { oldSize: 1, newSize: 4, nodes: () => [n(0, 1), n(1, 1)] },
    { oldSize: 2, newSize: 8, nodes: () => [n(1, 1), n(2, 1)] },
    { oldSize: 5, newSize: 7, nodes: () => [n(0, 4), n(0, 5), n(0, 6), n(2, 0)] },
    { oldSize: 6, newSize: 7, nodes: () => [n(1, 2), n(0, 6), n(2, 0)] },
    { oldSize: 7, newSize: 8, nodes: () => [n(0, 6), n(0, 7), n(1, 2), n(2, 0)] },
    { oldSize: 3, newSize: 6, nodes: () => [n(0, 2), n(0, 3), n(1, 0), n(1, 2)] },
    { oldSize: 4, newSize: 7, nodes: () => [rehash(n(1, 2), n(0, 6))] },
  ])('consistency $oldSize → $newSize', ({ oldSize, newSize, nodes }) => {
    expect(tree.consistencyProof(oldSize, newSize).path.map(toHex)).toEqual(nodes());
  });
});
