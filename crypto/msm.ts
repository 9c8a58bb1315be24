/**
 * Multi-scalar multiplication Σ sᵢ·Pᵢ for public data: the engine of batch verification. Spec §P0.3.
 * Signed scalars, signed-digit buckets, empty buckets skipped, short scalars walked over fewer windows.
 * Deviation, labelled: the buckets work on the Edwards representatives inside the ristretto wrappers
 * (noble's `ep`). Sums of representatives represent the sum, so only the final result is re-wrapped.
 * The bucket arithmetic is our own (edwards-fold.ts: fold reduction, mutable accumulators, mixed
 * additions of affine terms), about twice as fast as noble's point objects.
 */
import { mulAddUnsafe } from '@noble/curves/abstract/curve.js';
import type { EdwardsPoint } from '@noble/curves/abstract/edwards.js';
import { affineTerms, ExtendedPoint, type AffineTerm } from './edwards-fold.ts';
import { IDENTITY, L, RistrettoPoint, type Point } from './group.ts';

const HALF_L = L >> 1n;
// Up to this many terms, Strauss–Shamir (noble's mulAddUnsafe) beats the fold-arithmetic buckets; from 14
// terms up the buckets win (measured on a 2-core machine under load, cpu time, alternating runs).
const STRAUSS_MAX = 12;
const SHORT_BITS = 130;

function edwards(P: Point): EdwardsPoint {
  return (P as unknown as { ep: EdwardsPoint }).ep;
}

/** Σ sᵢ·Pᵢ, for any integers sᵢ (reduced mod ℓ, then taken in (−ℓ/2, ℓ/2]). Not constant-time. */
export function msm(points: readonly Point[], scalars: readonly bigint[]): Point {
  if (points.length !== scalars.length) throw new Error('bug: msm needs one scalar per point');
  const ps: EdwardsPoint[] = [];
  const negate: boolean[] = [];
  const ss: bigint[] = [];
  for (let i = 0; i < points.length; i++) {
    let s = scalars[i] % L;
    if (s < 0n) s += L;
    if (s === 0n) continue;
    const negative = s > HALF_L;
    ps.push(edwards(points[i]));
    negate.push(negative);
    ss.push(negative ? L - s : s);
  }
  const total = ps.length;
  if (total === 0) return IDENTITY;
  if (total <= STRAUSS_MAX) {
    const wrapped = ps.map((P, i) => new RistrettoPoint(negate[i] ? P.negate() : P));
    return mulAddUnsafe(RistrettoPoint, wrapped, ss);
  }
  const terms = affineTerms(ps, negate);
  const short: number[] = [];
  const long: number[] = [];
  for (let i = 0; i < total; i++) (ss[i] >> BigInt(SHORT_BITS) === 0n ? short : long).push(i);
  const sum = bucketMsm(short.map((i) => terms[i]), short.map((i) => ss[i]), SHORT_BITS);
  const rest = bucketMsm(long.map((i) => terms[i]), long.map((i) => ss[i]), 253);
  if (sum === null && rest === null) return IDENTITY;
  if (sum === null || rest === null) return new RistrettoPoint((sum ?? rest)!.toEdwards());
  sum.add(rest);
  return new RistrettoPoint(sum.toEdwards());
}

/** Window width for n terms, roughly log2(n) − 2; measured again for the fold arithmetic (crypto/edwards-fold.ts). */
function windowFor(n: number): number {
  if (n < 24) return 3;
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

/**
 * Pippenger with signed digits in [−2^(c−1), 2^(c−1)]; scalars are non-negative and below 2^bits.
 * Returns null for an empty sum of no terms.
 */
function bucketMsm(terms: readonly AffineTerm[], scalars: readonly bigint[], bits: number): ExtendedPoint | null {
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
    const l = limbs(scalars[j]);
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
  const buckets = Array.from({ length: half }, () => new ExtendedPoint());
  const filled = new Uint8Array(half);
  const acc = new ExtendedPoint();
  const running = new ExtendedPoint();
  const windowSum = new ExtendedPoint();
  let accSet = false;
  for (let w = windows - 1; w >= 0; w--) {
    if (accSet) for (let k = 0; k < c; k++) acc.double();
    filled.fill(0);
    for (let j = 0; j < n; j++) {
      const d = digits[j * windows + w];
      if (d === 0) continue;
      const idx = (d > 0 ? d : -d) - 1;
      if (filled[idx] === 0) {
        buckets[idx].setTerm(terms[j], d < 0);
        filled[idx] = 1;
      } else buckets[idx].addTerm(terms[j], d < 0);
    }
    // Σ k·bucket[k] by running sums, from the top bucket down.
    let runningSet = false;
    let windowSet = false;
    for (let k = half - 1; k >= 0; k--) {
      if (filled[k] === 1) {
        if (runningSet) running.add(buckets[k]);
        else running.set(buckets[k]);
        runningSet = true;
      }
      if (runningSet) {
        if (windowSet) windowSum.add(running);
        else windowSum.set(running);
        windowSet = true;
      }
    }
    if (windowSet) {
      if (accSet) acc.add(windowSum);
      else acc.set(windowSum);
      accSet = true;
    }
  }
  return accSet ? acc : null;
}
