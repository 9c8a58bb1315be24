/**
 * edwards25519 point arithmetic for the MSM (msm.ts, spec §P0.3): extended twisted-Edwards coordinates
 * (X : Y : Z : T), x = X/Z, y = Y/Z, xy = T/Z, a = −1 (RFC 8032 §5.1.4). Two differences from noble's
 * points, which is why it is faster: the field reduces modulo p = 2^255 − 19 by folding
 * (x mod 2^255 + 19·⌊x / 2^255⌋) instead of BigInt division, and the accumulators are mutable, so an
 * addition allocates no point object. Public data only: nothing here is constant-time.
 *
 * Bounds. Every value is a non-negative integer congruent mod p to what it stands for. Coordinates at
 * rest (after `fold`), and the terms' forms, are below 2^255 + 2^50 < 2p, so subtracting one after
 * adding 2p stays non-negative. A product of two sums of such values is below 2^514, and `fold1`
 * brings it below 2^264 (2^269 for the one product by 2d of such a result); a sum or difference of
 * those, with BIG = 2^16·p > 2^270 added where a subtraction could go negative, stays below 2^272, so
 * a product of two of them is below 2^544, where `fold` is exact. Only `toEdwards` reduces fully.
 */
import type { EdwardsPoint } from '@noble/curves/abstract/edwards.js';
import { ed25519 } from '@noble/curves/ed25519.js';

const P = ed25519.Point.Fp.ORDER;
const P2 = 2n * P;
/** 2^16·p, above every `fold1` result (< 2^269): added before subtracting one of them. */
const BIG = (1n << 16n) * P;
const LOW = (1n << 255n) - 1n;
/** 2d mod p, d = −121665/121666 (RFC 7748 §4.1). */
const D2 = (2n * ed25519.Point.CURVE().d) % P;

/**
 * One fold: ≡ x (mod p). For 0 ≤ x < 2^519 the result is below 2^255 + 19·2^264 < 2^269; for x < 2^514
 * (a product of two values below 2^257) it is below 2^255 + 19·2^259 < 2^264.
 */
function fold1(x: bigint): bigint {
  return (x & LOW) + 19n * (x >> 255n);
}

/**
 * Two folds: ≡ x (mod p) and, for 0 ≤ x < 2^550, below 2^255 + 2^50. (The first leaves less than
 * 2^255 + 19·2^295 < 2^300; the second less than 2^255 + 19·2^45.)
 */
function fold(x: bigint): bigint {
  x = (x & LOW) + 19n * (x >> 255n);
  return (x & LOW) + 19n * (x >> 255n);
}

/**
 * A term of the MSM in the form mixed addition wants: an affine point (Z = 1) as y − x, y + x and
 * 2d·x·y ("madd-2008-hwcd-3"). Only these three, to keep the terms of a large MSM small in memory.
 */
export interface AffineTerm {
  readonly ymx: bigint;
  readonly ypx: bigint;
  readonly t2d: bigint;
}

/**
 * The affine forms of noble Edwards points, negated where `negate[i]` is true. Points with Z = 1 (what
 * the ristretto decoder gives) are taken as they are; the others share one field inversion
 * (Montgomery's trick: three multiplications each). Requires points on the curve with Z ≠ 0, as
 * every noble point is.
 */
export function affineTerms(points: readonly EdwardsPoint[], negate: readonly boolean[]): AffineTerm[] {
  const n = points.length;
  // prefix[i] = Π Z_j over the points j < i that need an inversion.
  const prefix: bigint[] = new Array(n);
  let product = 1n;
  for (let i = 0; i < n; i++) {
    prefix[i] = product;
    const Z = points[i].Z;
    if (Z !== 1n) product = fold(product * Z);
  }
  let inverse = product === 1n ? 1n : ed25519.Point.Fp.inv(product % P);
  const out: AffineTerm[] = new Array(n);
  for (let i = n - 1; i >= 0; i--) {
    const { X, Y, Z, T } = points[i];
    // fold: noble allows coordinates up to 2^256 (ZIP 215); the bounds above want them below 2^255 + 2^50.
    let x = fold(X);
    let y = fold(Y);
    let t = fold(T);
    if (Z !== 1n) {
      const zInv = fold(inverse * prefix[i]);
      inverse = fold(inverse * Z);
      x = fold(X * zInv);
      y = fold(Y * zInv);
      t = fold(x * y);
    }
    if (negate[i]) {
      x = P2 - x;
      t = P2 - t;
    }
    out[i] = { ymx: fold(y - x + P2), ypx: fold(y + x), t2d: fold(t * D2) };
  }
  return out;
}

/** A mutable point in extended coordinates; starts as the identity (0 : 1 : 1 : 0). */
export class ExtendedPoint {
  X = 0n;
  Y = 1n;
  Z = 1n;
  T = 0n;

  /**
   * this ← the term (or its negation), as (4x : 4y : 4 : 4xy) = (2(u − v) : 2(u + v) : 4 : (u − v)(u + v))
   * with u = y + x and v = y − x (swapped for −q). An empty running sum takes its first term this way.
   */
  setTerm(q: AffineTerm, negative: boolean): void {
    const u = negative ? q.ymx : q.ypx;
    const v = negative ? q.ypx : q.ymx;
    const twoX = u - v + P2;
    const twoY = u + v;
    this.X = fold(2n * twoX);
    this.Y = fold(2n * twoY);
    this.Z = 4n;
    this.T = fold(twoX * twoY);
  }

  /** this ← a copy of `other`. */
  set(other: ExtendedPoint): void {
    this.X = other.X;
    this.Y = other.Y;
    this.Z = other.Z;
    this.T = other.T;
  }

  /**
   * this ← this ± q, "madd-2008-hwcd-3" (7 multiplications). −q is (−x, y) with −xy, so its y − x and
   * y + x are q's swapped and its 2d·xy is negated: the sign only swaps operands and F with G.
   * Complete (no exceptional inputs) on edwards25519, where a = −1 is a square and d is not.
   */
  addTerm(q: AffineTerm, negative: boolean): void {
    const { X, Y, Z, T } = this;
    const A = fold1((Y - X + P2) * (negative ? q.ypx : q.ymx));
    const B = fold1((Y + X) * (negative ? q.ymx : q.ypx));
    const C = fold1(T * q.t2d);
    const D = Z + Z;
    const E = B - A + BIG;
    const H = B + A;
    const F = negative ? D + C : D - C + BIG;
    const G = negative ? D - C + BIG : D + C;
    this.X = fold(E * F);
    this.Y = fold(G * H);
    this.T = fold(E * H);
    this.Z = fold(F * G);
  }

  /** this ← this + q, "add-2008-hwcd-3" with k = 2d (9 multiplications). Complete, as `addTerm`. */
  add(q: ExtendedPoint): void {
    const { X, Y, Z, T } = this;
    const A = fold1((Y - X + P2) * (q.Y - q.X + P2));
    const B = fold1((Y + X) * (q.Y + q.X));
    const C = fold1(fold1(T * q.T) * D2); // < 2^264 · 2^255 before the outer fold1, so below 2^269
    const D = fold1(2n * Z * q.Z);
    const E = B - A + BIG;
    const H = B + A;
    const F = D - C + BIG;
    const G = D + C;
    this.X = fold(E * F);
    this.Y = fold(G * H);
    this.T = fold(E * H);
    this.Z = fold(F * G);
  }

  /**
   * this ← 2·this, "dbl-2008-hwcd" with a = −1 (4 multiplications, 4 squarings). Written with E, F,
   * G, H all negated (the products are unchanged) so that every intermediate stays non-negative.
   * Every product here is of values below 2^258, so `fold` after each one keeps the bounds.
   */
  double(): void {
    const { X, Y, Z } = this;
    const A = fold(X * X);
    const B = fold(Y * Y);
    const C = fold(2n * Z * Z);
    const S = fold((X + Y) * (X + Y));
    // The formula's D = a·A = −A, G = D + B, F = G − C, H = D − B, E = (X + Y)² − A − B; here negated:
    const H = A + B; //        −H
    const E = H - S + P2; //   −E
    const G = A - B + P2; //   −G
    const F = C + G; //        −F = C − G
    this.X = fold(E * F);
    this.Y = fold(G * H);
    this.T = fold(E * H);
    this.Z = fold(F * G);
  }

  /** The same point as a noble Edwards point, every coordinate fully reduced. */
  toEdwards(): EdwardsPoint {
    return new ed25519.Point(this.X % P, this.Y % P, this.Z % P, this.T % P);
  }
}
