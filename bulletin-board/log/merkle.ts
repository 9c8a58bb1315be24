/**
 * The Merkle tree of the board: RFC 9162 §2.1 (the same tree as RFC 6962 §2.1). Spec §B.2.
 *
 * Pure and browser-safe: no I/O, no clock, only @noble/hashes. The recursive functions over an array of
 * leaf hashes (`merkleTreeHash`, `inclusionPath`, `consistencyPath`) are the definitions of B.2.3, B.2.4
 * and B.2.6; `MerkleTree` computes the same values from stored hashes of perfect subtrees in O(log n)
 * hash computations, with the storage behind the small `NodeStore` interface (B.2.9).
 *
 * Failures (spec 0): a well-formed proof that does not hold gives false; malformed input (a hash that is
 * not 32 bytes, a size or index that is not an integer in range) throws `MerkleInputError`.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesEqual } from '../../crypto/index.ts';

/** Every hash in the tree is a SHA-256 output. */
export const HASH_BYTES = 32;

/** MTH({}) = SHA-256(""), the hash of the empty tree. Spec B.2.3. */
export const EMPTY_ROOT: Uint8Array = sha256(new Uint8Array(0));

const LEAF_PREFIX = 0x00;
const NODE_PREFIX = 0x01;

/** Malformed input to a Merkle function: names the field, like `DecodeError` does for bytes. */
export class MerkleInputError extends Error {
  constructor(
    readonly field: string,
    readonly reason: string,
  ) {
    super(`${field}: ${reason}`);
    this.name = 'MerkleInputError';
  }
}

/** An inclusion proof (RFC 9162 §2.1.3): the audit path of leaf `index` in the tree of `size` leaves. */
export interface InclusionProof {
  readonly index: number;
  readonly size: number;
  readonly path: readonly Uint8Array[];
}

/** A consistency proof (RFC 9162 §2.1.4) between the tree of `oldSize` leaves and that of `newSize`. */
export interface ConsistencyProof {
  readonly oldSize: number;
  readonly newSize: number;
  readonly path: readonly Uint8Array[];
}

// ---------------------------------------------------------------------------------------------------
// Input checks

function requireHash(field: string, hash: Uint8Array): void {
  if (!(hash instanceof Uint8Array)) throw new MerkleInputError(field, 'not a byte array');
  if (hash.length !== HASH_BYTES) throw new MerkleInputError(field, `a hash is ${HASH_BYTES} bytes, got ${hash.length}`);
}

function requirePath(path: readonly Uint8Array[]): void {
  if (!Array.isArray(path)) throw new MerkleInputError('path', 'not an array');
  path.forEach((h, i) => requireHash(`path[${i}]`, h));
}

/** Sizes and indices are integers in [0, 2^53 − 1]. Spec B.2.8. */
function requireCount(field: string, n: number): void {
  if (!Number.isSafeInteger(n) || n < 0) throw new MerkleInputError(field, `not an integer in [0, 2^53 − 1]: ${n}`);
}

// ---------------------------------------------------------------------------------------------------
// B.2.1–B.2.3 Hashing

/** SHA-256(0x00 ‖ data): the hash of a leaf. Spec B.2.1. */
export function hashLeaf(data: Uint8Array): Uint8Array {
  return sha256.create().update(Uint8Array.of(LEAF_PREFIX)).update(data).digest();
}

/** SHA-256(0x01 ‖ left ‖ right): the hash of an interior node. Spec B.2.2. */
export function hashNode(left: Uint8Array, right: Uint8Array): Uint8Array {
  return sha256.create().update(Uint8Array.of(NODE_PREFIX)).update(left).update(right).digest();
}

/** k, the largest power of two strictly less than n (n ≥ 2): where MTH splits D[n]. Spec B.2.3. */
export function splitPoint(n: number): number {
  if (!Number.isSafeInteger(n) || n < 2) throw new Error(`bug: no split point for ${n} leaves`);
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

function isPowerOfTwo(n: number): boolean {
  return n >= 1 && 2 ** Math.round(Math.log2(n)) === n;
}

/** MTH over leaf hashes [start, end), by the recursion of RFC 9162 §2.1.1. */
function mthRange(leafHashes: readonly Uint8Array[], start: number, end: number): Uint8Array {
  if (end - start === 1) return leafHashes[start];
  const split = start + splitPoint(end - start);
  return hashNode(mthRange(leafHashes, start, split), mthRange(leafHashes, split, end));
}

/** MTH(D[n]) of a list of leaf hashes (each already hashLeaf of its data). Spec B.2.3. */
export function merkleTreeHash(leafHashes: readonly Uint8Array[]): Uint8Array {
  leafHashes.forEach((h, i) => requireHash(`leafHashes[${i}]`, h));
  return leafHashes.length === 0 ? EMPTY_ROOT : mthRange(leafHashes, 0, leafHashes.length);
}

// ---------------------------------------------------------------------------------------------------
// B.2.4, B.2.6 Proof generation: the RFC recursions over leaf ranges, given the hash of any range they
// need. The pure functions below pass the recursive MTH; MerkleTree passes stored hashes.

/** The hash of leaves [start, end) as the RFC recursion needs it. */
type RangeHash = (start: number, end: number) => Uint8Array;

/** PATH(m, D[start:end]) with m = index − start, appended to out (RFC 9162 §2.1.3.1). Spec B.2.4. */
function collectInclusionPath(index: number, start: number, end: number, hashOf: RangeHash, out: Uint8Array[]): void {
  if (end - start === 1) return; // PATH(0, {d(0)}) = {}
  const split = start + splitPoint(end - start);
  if (index < split) {
    collectInclusionPath(index, start, split, hashOf, out);
    out.push(hashOf(split, end));
  } else {
    collectInclusionPath(index, split, end, hashOf, out);
    out.push(hashOf(start, split));
  }
}

/**
 * SUBPROOF(m − start, D[start:end], complete), appended to out (RFC 9162 §2.1.4.1). Spec B.2.6.
 * `complete` is the RFC's b: whether [start, end) is still the left edge of the old tree, whose root
 * the verifier already has.
 */
function collectSubproof(m: number, start: number, end: number, complete: boolean, hashOf: RangeHash, out: Uint8Array[]): void {
  if (m === end) {
    if (!complete) out.push(hashOf(start, end));
    return;
  }
  const split = start + splitPoint(end - start);
  if (m <= split) {
    collectSubproof(m, start, split, complete, hashOf, out);
    out.push(hashOf(split, end));
  } else {
    collectSubproof(m, split, end, false, hashOf, out);
    out.push(hashOf(start, split));
  }
}

function buildInclusionProof(index: number, size: number, hashOf: RangeHash): InclusionProof {
  requireCount('size', size);
  requireCount('index', index);
  if (index >= size) throw new MerkleInputError('index', `leaf ${index} is not in a tree of ${size} leaves`);
  const path: Uint8Array[] = [];
  collectInclusionPath(index, 0, size, hashOf, path);
  return { index, size, path };
}

function buildConsistencyProof(oldSize: number, newSize: number, hashOf: RangeHash): ConsistencyProof {
  requireCount('oldSize', oldSize);
  requireCount('newSize', newSize);
  if (oldSize > newSize) throw new MerkleInputError('oldSize', `the old size ${oldSize} exceeds the new size ${newSize}`);
  const path: Uint8Array[] = [];
  if (oldSize > 0 && oldSize < newSize) collectSubproof(oldSize, 0, newSize, true, hashOf, path); // B.2.6 step 2
  return { oldSize, newSize, path };
}

/** The inclusion proof of leaf `index` in the tree of all `leafHashes`. Spec B.2.4. */
export function inclusionPath(index: number, leafHashes: readonly Uint8Array[]): InclusionProof {
  leafHashes.forEach((h, i) => requireHash(`leafHashes[${i}]`, h));
  return buildInclusionProof(index, leafHashes.length, (a, b) => mthRange(leafHashes, a, b));
}

/** The number of hashes in the inclusion proof of leaf `index` in a tree of `size` leaves, without a tree. Spec B.2.4. */
export function inclusionProofSize(index: number, size: number): number {
  return buildInclusionProof(index, size, () => EMPTY_ROOT).path.length;
}

/** The number of hashes in the consistency proof from `oldSize` to `newSize` leaves, without a tree. Spec B.2.6. */
export function consistencyProofSize(oldSize: number, newSize: number): number {
  return buildConsistencyProof(oldSize, newSize, () => EMPTY_ROOT).path.length;
}

/** The consistency proof from the first `oldSize` leaves to all `leafHashes`. Spec B.2.6. */
export function consistencyPath(oldSize: number, leafHashes: readonly Uint8Array[]): ConsistencyProof {
  leafHashes.forEach((h, i) => requireHash(`leafHashes[${i}]`, h));
  return buildConsistencyProof(oldSize, leafHashes.length, (a, b) => mthRange(leafHashes, a, b));
}

// ---------------------------------------------------------------------------------------------------
// B.2.5 Inclusion proof verification (RFC 9162 §2.1.3.2)

/** fn, sn shifted right once (⌊x/2⌋ without 32-bit operators, so sizes up to 2^53 − 1 work). */
function half(x: number): number {
  return Math.floor(x / 2);
}

function isOdd(x: number): boolean {
  return x % 2 === 1;
}

/** Refolds the path from the leaf hash (RFC 9162 §2.1.3.2 steps 2–5); null when the path does not fit. */
function rootFromInclusionPath(leafHash: Uint8Array, index: number, size: number, path: readonly Uint8Array[]): Uint8Array | null {
  let fn = index; // B.2.5 step 2
  let sn = size - 1;
  let r = leafHash; // step 3
  for (const p of path) {
    // step 4
    if (sn === 0) return null; // 4a: the path is too long
    if (isOdd(fn) || fn === sn) {
      r = hashNode(p, r); // 4b.i
      while (!isOdd(fn) && fn !== 0) {
        fn = half(fn); // 4b.ii
        sn = half(sn);
      }
    } else {
      r = hashNode(r, p); // 4b otherwise
    }
    fn = half(fn); // 4c
    sn = half(sn);
  }
  return sn === 0 ? r : null; // step 5: sn = 0, else the path is too short
}

/**
 * True if and only if `proof` shows that `leafHash` is leaf `proof.index` of the tree of `proof.size`
 * leaves whose MTH is `root`. Spec B.2.5. Throws `MerkleInputError` if a hash is not 32 bytes, if the
 * size or index is not an integer, or if index ≥ size (so always for size 0: the empty tree has no leaf).
 */
export function verifyInclusion(leafHash: Uint8Array, proof: InclusionProof, root: Uint8Array): boolean {
  requireHash('leafHash', leafHash);
  requireHash('root', root);
  requireCount('size', proof.size);
  requireCount('index', proof.index);
  requirePath(proof.path);
  if (proof.index >= proof.size) throw new MerkleInputError('index', `leaf ${proof.index} is not in a tree of ${proof.size} leaves`); // step 1
  const r = rootFromInclusionPath(leafHash, proof.index, proof.size, proof.path);
  return r !== null && bytesEqual(r, root);
}

// ---------------------------------------------------------------------------------------------------
// B.2.7 Consistency proof verification (RFC 9162 §2.1.4.2)

/** RFC 9162 §2.1.4.2 steps 1–7 for 0 < first < second: spec B.2.7 steps 4.1–4.7. */
function verifyConsistencyPath(first: number, second: number, path: readonly Uint8Array[], firstHash: Uint8Array, secondHash: Uint8Array): boolean {
  if (path.length === 0) return false; // B.2.7 step 4.1
  const nodes = isPowerOfTwo(first) ? [firstHash, ...path] : path; // 4.2
  let fn = first - 1; // 4.3
  let sn = second - 1;
  while (isOdd(fn)) {
    fn = half(fn); // 4.4
    sn = half(sn);
  }
  let fr = nodes[0]; // 4.5
  let sr = nodes[0];
  for (const c of nodes.slice(1)) {
    // 4.6
    if (sn === 0) return false; // 4.6a
    if (isOdd(fn) || fn === sn) {
      fr = hashNode(c, fr); // 4.6b.i
      sr = hashNode(c, sr); // 4.6b.ii
      while (!isOdd(fn) && fn !== 0) {
        fn = half(fn); // 4.6b.iii
        sn = half(sn);
      }
    } else {
      sr = hashNode(sr, c); // 4.6b otherwise
    }
    fn = half(fn); // 4.6c
    sn = half(sn);
  }
  return bytesEqual(fr, firstHash) && bytesEqual(sr, secondHash) && sn === 0; // 4.7
}

/**
 * True if and only if `proof` shows that the tree of `proof.oldSize` leaves with MTH `oldRoot` is a
 * prefix of the tree of `proof.newSize` leaves with MTH `newRoot`. Spec B.2.7. Throws `MerkleInputError`
 * if a hash is not 32 bytes, a size is not an integer, or oldSize > newSize.
 */
export function verifyConsistency(proof: ConsistencyProof, oldRoot: Uint8Array, newRoot: Uint8Array): boolean {
  requireHash('oldRoot', oldRoot);
  requireHash('newRoot', newRoot);
  requireCount('oldSize', proof.oldSize);
  requireCount('newSize', proof.newSize);
  requirePath(proof.path);
  const { oldSize, newSize, path } = proof;
  if (oldSize > newSize) throw new MerkleInputError('oldSize', `the old size ${oldSize} exceeds the new size ${newSize}`);
  if (oldSize === 0 && !bytesEqual(oldRoot, EMPTY_ROOT)) return false; // B.2.7 step 1
  if (oldSize === newSize) return path.length === 0 && bytesEqual(oldRoot, newRoot); // step 2
  if (oldSize === 0) return path.length === 0; // step 3
  return verifyConsistencyPath(oldSize, newSize, path, oldRoot, newRoot); // step 4
}

// ---------------------------------------------------------------------------------------------------
// B.2.9 Storage of the incremental tree

/**
 * Read and append access to the hashes of perfect subtrees. Node (level, index) is the subtree of the
 * 2^level leaves [index·2^level, (index+1)·2^level); level 0 holds the leaf hashes. `MerkleTree` puts
 * each node once, as soon as it is complete, in the order of `storedHashIndex`, so a store can keep
 * them in one append-only sequence (as Go's sumdb tlog does).
 */
export interface NodeStore {
  /** The hash of node (level, index); throws if it was never put. */
  get(level: number, index: number): Uint8Array;
  /** Records the hash of node (level, index). */
  put(level: number, index: number, hash: Uint8Array): void;
}

/** How many hashes a store holds for a tree of n leaves: n + ⌊n/2⌋ + ⌊n/4⌋ + …. Spec B.2.9. */
export function storedHashCount(n: number): number {
  let count = 0;
  for (let m = n; m > 0; m = half(m)) count += m;
  return count;
}

/**
 * The position of node (level, index) in the append-only sequence of stored hashes. The node is
 * complete when its last leaf, m = (index+1)·2^level − 1, is appended; it is stored right after that
 * leaf and its `level` − 1 lower ancestors: storedHashCount(m) + level. Spec B.2.9.
 */
export function storedHashIndex(level: number, index: number): number {
  return storedHashCount((index + 1) * 2 ** level - 1) + level;
}

/** A NodeStore in memory: the hashes side by side in one growing array, in storedHashIndex order, appended to only. */
export class MemoryNodeStore implements NodeStore {
  private hashes = new Uint8Array(32 * 1024);
  private count = 0;

  get(level: number, index: number): Uint8Array {
    const i = storedHashIndex(level, index);
    if (i >= this.count) throw new Error(`bug: node (${level}, ${index}) is not stored`);
    return this.hashes.slice(i * 32, i * 32 + 32);
  }

  put(level: number, index: number, hash: Uint8Array): void {
    if (storedHashIndex(level, index) !== this.count) throw new Error(`bug: node (${level}, ${index}) stored out of order`);
    if (hash.length !== 32) throw new Error('bug: a node hash is 32 bytes');
    if ((this.count + 1) * 32 > this.hashes.length) {
      const grown = new Uint8Array(this.hashes.length * 2);
      grown.set(this.hashes);
      this.hashes = grown;
    }
    this.hashes.set(hash, this.count * 32);
    this.count += 1;
  }

  /** The hash stored at a position of the sequence (B.2.9), or undefined (a view: copy it to keep it). */
  at(position: number): Uint8Array | undefined {
    return position >= 0 && position < this.count ? this.hashes.subarray(position * 32, position * 32 + 32) : undefined;
  }

  /** The number of stored hashes. */
  get length(): number {
    return this.count;
  }
}

/** The (level, index) of each perfect subtree that makes up leaves [0, size), left to right. Spec B.2.9. */
export function perfectSubtrees(size: number): { level: number; index: number }[] {
  const out: { level: number; index: number }[] = [];
  let start = 0;
  for (let width = 2 ** Math.floor(Math.log2(Math.max(size, 1))); width >= 1; width /= 2) {
    if (start + width <= size) {
      out.push({ level: Math.log2(width), index: start / width });
      start += width;
    }
  }
  return out;
}

/**
 * An append-only Merkle tree over a NodeStore. It computes MTH and proofs for any size up to its own
 * with O(log n) work per call: about 3·log₂(n) stored reads and 2·log₂(n) hash computations at most.
 * Spec B.2.9.
 */
export class MerkleTree {
  private count: number;

  /** A tree over `store`, which already holds the nodes of `size` leaves (0 for a new store). */
  constructor(
    private readonly store: NodeStore = new MemoryNodeStore(),
    size = 0,
  ) {
    requireCount('size', size);
    this.count = size;
  }

  /** The number of leaves. */
  get size(): number {
    return this.count;
  }

  /** Appends a leaf hash (hashLeaf of the entry hash, B.2.1) and stores every node it completes. Returns its index. */
  append(leafHash: Uint8Array): number {
    requireHash('leafHash', leafHash);
    const leafIndex = this.count;
    let hash = leafHash;
    let level = 0;
    let index = leafIndex;
    this.store.put(level, index, hash);
    while (isOdd(index)) {
      hash = hashNode(this.store.get(level, index - 1), hash);
      level += 1;
      index = half(index);
      this.store.put(level, index, hash);
    }
    this.count = leafIndex + 1;
    return leafIndex;
  }

  /** MTH of the first `size` leaves (default: all). Spec B.2.3. */
  root(size: number = this.count): Uint8Array {
    this.requireSize('size', size);
    return size === 0 ? EMPTY_ROOT : this.rangeHashes(size)(0, size);
  }

  /** The inclusion proof of leaf `index` in the tree of the first `size` leaves. Spec B.2.4. */
  inclusionProof(index: number, size: number = this.count): InclusionProof {
    this.requireSize('size', size);
    return buildInclusionProof(index, size, this.rangeHashes(size));
  }

  /** The consistency proof from the first `oldSize` leaves to the first `newSize`. Spec B.2.6. */
  consistencyProof(oldSize: number, newSize: number = this.count): ConsistencyProof {
    this.requireSize('newSize', newSize);
    return buildConsistencyProof(oldSize, newSize, this.rangeHashes(oldSize, newSize));
  }

  private requireSize(field: string, size: number): void {
    requireCount(field, size);
    if (size > this.count) throw new MerkleInputError(field, `the tree has only ${this.count} leaves, not ${size}`);
  }

  /**
   * The range hashes the RFC recursions ask for, for trees of the given sizes. Every range they visit
   * is either a perfect subtree (one stored hash) or a right edge [start, size) of one of those sizes,
   * whose hashes are folded once per size from its perfect subtrees (B.2.9).
   */
  private rangeHashes(...sizes: number[]): RangeHash {
    const edges = new Map<number, Map<number, Uint8Array>>();
    for (const size of sizes) if (size > 0) edges.set(size, this.rightEdge(size));
    return (start, end) => {
      const width = end - start;
      if (isPowerOfTwo(width) && start % width === 0) return this.store.get(Math.log2(width), start / width);
      const hash = edges.get(end)?.get(start);
      if (hash === undefined) throw new Error(`bug: no hash for leaves [${start}, ${end})`);
      return hash;
    };
  }

  /** For each start of a perfect subtree of [0, size): the hash of [start, size), folded from the right. */
  private rightEdge(size: number): Map<number, Uint8Array> {
    const subtrees = perfectSubtrees(size);
    const out = new Map<number, Uint8Array>();
    let hash: Uint8Array | null = null;
    for (const { level, index } of subtrees.reverse()) {
      const node = this.store.get(level, index);
      hash = hash === null ? node : hashNode(node, hash);
      out.set(index * 2 ** level, hash);
    }
    return out;
  }
}
