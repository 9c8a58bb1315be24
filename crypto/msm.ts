/**
 * Multi-scalar multiplication Σ sᵢ·Pᵢ for public data: the engine of batch verification. Spec §P0.3.
 * Signed scalars, signed-digit buckets, empty buckets skipped, short scalars walked over fewer windows.
 * Deviation, labelled: the buckets work on the Edwards representatives inside the ristretto wrappers
 * (noble's `ep`). Sums of representatives represent the sum, so only the final result is re-wrapped.
 */
import { mulAddUnsafe } from '@noble/curves/abstract/curve.js';
import type { EdwardsPoint } from '@noble/curves/abstract/edwards.js';
import { IDENTITY, L, RistrettoPoint, type Point } from './group.ts';

const HALF_L = L >> 1n;
// Below this many terms, Strauss–Shamir (noble's mulAddUnsafe) beats buckets (measured on the reference machine).
const STRAUSS_MAX = 48;
const SHORT_BITS = 130;

function edwards(P: Point): EdwardsPoint {
  return (P as unknown as { ep: EdwardsPoint }).ep;
}

/** Σ sᵢ·Pᵢ, for any integers sᵢ (reduced mod ℓ, then taken in (−ℓ/2, ℓ/2]). Not constant-time. */
export function msm(points: readonly Point[], scalars: readonly bigint[]): Point {
  if (points.length !== scalars.length) throw new Error('bug: msm needs one scalar per point');
  const short: { P: EdwardsPoint; s: bigint }[] = [];
  const long: { P: EdwardsPoint; s: bigint }[] = [];
  for (let i = 0; i < points.length; i++) {
    let s = scalars[i] % L;
    if (s < 0n) s += L;
    if (s === 0n) continue;
    let P = edwards(points[i]);
    if (s > HALF_L) {
      s = L - s;
      P = P.negate();
    }
    (s >> BigInt(SHORT_BITS) === 0n ? short : long).push({ P, s });
  }
  const total = short.length + long.length;
  if (total === 0) return IDENTITY;
  if (total <= STRAUSS_MAX) {
    const all = [...short, ...long];
    const ps = all.map((t) => new RistrettoPoint(t.P));
    return mulAddUnsafe(RistrettoPoint, ps, all.map((t) => t.s));
  }
  let sum = bucketMsm(short, SHORT_BITS);
  const rest = bucketMsm(long, 253);
  sum = sum === null ? rest : rest === null ? sum : sum.add(rest);
  return sum === null ? IDENTITY : new RistrettoPoint(sum);
}

/** Window width for n terms; measured on this machine (bench), roughly log2(n) − 3. */
function windowFor(n: number): number {
  if (n < 64) return 4;
  return Math.max(5, Math.min(16, Math.floor(Math.log2(n)) - 2));
}

/** 32-bit little-endian limbs of a scalar < 2^256. */
function limbs(s: bigint): Uint32Array {
  const hex = s.toString(16).padStart(64, '0');
  const out = new Uint32Array(9);
  for (let i = 0; i < 8; i++) out[i] = parseInt(hex.slice(56 - 8 * i, 64 - 8 * i), 16);
  return out;
}

/** Pippenger with signed digits in [−2^(c−1), 2^(c−1)]; scalars are non-negative and below 2^bits. */
function bucketMsm(terms: readonly { P: EdwardsPoint; s: bigint }[], bits: number): EdwardsPoint | null {
  const n = terms.length;
  if (n === 0) return null;
  const c = windowFor(n);
  const windows = Math.ceil((bits + 1) / c);
  const half = 1 << (c - 1);
  const full = 1 << c;
  const mask = full - 1;
  // Signed digits, computed once: digits[j * windows + w].
  const digits = new Int32Array(n * windows);
  for (let j = 0; j < n; j++) {
    const l = limbs(terms[j].s);
    let carry = 0;
    for (let w = 0; w < windows; w++) {
      const bit = w * c;
      const word = bit >>> 5;
      const off = bit & 31;
      let v = l[word] >>> off;
      if (off + c > 32 && word + 1 < 9) v |= l[word + 1] << (32 - off);
      let d = (v & mask) + carry;
      carry = 0;
      if (d >= half) {
        d -= full;
        carry = 1;
      }
      digits[j * windows + w] = d;
    }
  }
  const negated = terms.map((t) => t.P.negate());
  const buckets: (EdwardsPoint | null)[] = new Array(half).fill(null);
  let acc: EdwardsPoint | null = null;
  for (let w = windows - 1; w >= 0; w--) {
    if (acc !== null) for (let k = 0; k < c; k++) acc = acc.double();
    buckets.fill(null);
    for (let j = 0; j < n; j++) {
      const d = digits[j * windows + w];
      if (d === 0) continue;
      const idx = (d > 0 ? d : -d) - 1;
      const P = d > 0 ? terms[j].P : negated[j];
      const b = buckets[idx];
      buckets[idx] = b === null ? P : b.add(P);
    }
    // Σ k·bucket[k] by running sums, from the top bucket down.
    let running: EdwardsPoint | null = null;
    let windowSum: EdwardsPoint | null = null;
    for (let k = half - 1; k >= 0; k--) {
      const b = buckets[k];
      if (b !== null) running = running === null ? b : running.add(b);
      if (running !== null) windowSum = windowSum === null ? running : windowSum.add(running);
    }
    if (windowSum !== null) acc = acc === null ? windowSum : acc.add(windowSum);
  }
  return acc;
}
