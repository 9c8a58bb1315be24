/** The ristretto255 group (RFC 9496) and its scalar field: the one place that names the curve. Spec §G. */
import { ristretto255 } from '@noble/curves/ed25519.js';

/** A ristretto255 group element. Only `decodePoint` (encoding.ts) may build one from untrusted bytes. */
export type Point = InstanceType<typeof ristretto255.Point>;

/** The ristretto255 point class; exported for the MSM and encoding code, not for general use. */
export const RistrettoPoint = ristretto255.Point;

/** ℓ = 2^252 + 27742317777372353535851937790883648493, the prime order of the group. Spec §G.1. */
export const L: bigint = ristretto255.Point.Fn.ORDER;

/** The identity element. */
export const IDENTITY: Point = ristretto255.Point.ZERO;

/**
 * The generator G (RFC 9496 §4.4). This is a distinct object from noble's BASE so that it can carry
 * its own unblinded W=8 table (measured here: 170 µs against 282 µs for BASE.multiply).
 */
export const G: Point = ristretto255.Point.BASE.add(ristretto255.Point.ZERO).precompute(8, false);

/** x mod ℓ, in [0, ℓ). */
export function mod(x: bigint): bigint {
  const r = x % L;
  return r < 0n ? r + L : r;
}

/** (a + b) mod ℓ. */
export function add(a: bigint, b: bigint): bigint {
  return mod(a + b);
}

/** (a − b) mod ℓ. */
export function sub(a: bigint, b: bigint): bigint {
  return mod(a - b);
}

/** (a · b) mod ℓ. */
export function mul(a: bigint, b: bigint): bigint {
  return mod(a * b);
}

/** a⁻¹ mod ℓ; throws on 0, which has no inverse. */
export function inv(a: bigint): bigint {
  if (mod(a) === 0n) throw new Error('bug: inverse of zero');
  return ristretto255.Point.Fn.inv(mod(a));
}

/** k·P for a secret scalar (constant-time ladder or fixed-window table). k = 0 gives the identity. */
export function mulSecret(P: Point, k: bigint): Point {
  const s = mod(k);
  return s === 0n ? IDENTITY : P.multiply(s);
}

/** k·P for a public scalar (variable time). Any integer k is reduced mod ℓ first. */
export function mulPublic(P: Point, k: bigint): Point {
  return P.multiplyUnsafe(mod(k));
}

/** m·G for a small non-negative integer m (plaintexts, weights): cached, so it costs an add at most. */
export function smallMultiple(m: number): Point {
  if (!Number.isSafeInteger(m) || m < 0) throw new Error(`bug: small multiple of ${m}`);
  let P = smallMultiples[m];
  if (P === undefined) {
    P = m === 0 ? IDENTITY : mulPublic(G, BigInt(m));
    if (m < SMALL_CACHE) smallMultiples[m] = P;
  }
  return P;
}

const SMALL_CACHE = 1024;
const smallMultiples: Point[] = [];
