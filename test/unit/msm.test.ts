/**
 * crypto/msm.ts and its point arithmetic (crypto/edwards-fold.ts) against noble, term by term. Spec §P0.3.
 * The MSM must be exact for every input the verifier can give it: any integer scalars, repeated
 * points, the identity, points built by noble arithmetic (Z ≠ 1) or decoded from bytes (Z = 1), and
 * ristretto points whose hidden Edwards representatives differ by 4-torsion.
 */
import type { EdwardsPoint } from '@noble/curves/abstract/edwards.js';
import { ed25519 } from '@noble/curves/ed25519.js';
import { describe, expect, it } from 'vitest';
import { affineTerms, ExtendedPoint } from '../../crypto/edwards-fold.ts';
import { G, IDENTITY, L, decodePoint, msm, mulPublic, randomScalar, seededRandom, type Point, type RandomSource } from '../../crypto/index.ts';
import { RistrettoPoint } from '../../crypto/group.ts';

const Fp = ed25519.Point.Fp;
/** √−1; (±√−1, 0) are the points of order 4 of edwards25519, (0, −1) the point of order 2. */
const SQRT_M1 = Fp.sqrt(Fp.neg(1n));
const TORSION4: EdwardsPoint[] = [
  ed25519.Point.fromAffine({ x: SQRT_M1, y: 0n }),
  ed25519.Point.fromAffine({ x: 0n, y: Fp.neg(1n) }),
  ed25519.Point.fromAffine({ x: Fp.neg(SQRT_M1), y: 0n }),
];

const ep = (P: Point): EdwardsPoint => (P as unknown as { ep: EdwardsPoint }).ep;

/** The same ristretto element with its Edwards representative moved by a 4-torsion point. */
function shifted(P: Point, k: number): Point {
  return new RistrettoPoint(ep(P).add(TORSION4[k % 3]));
}

function naive(points: readonly Point[], scalars: readonly bigint[]): Point {
  return points.reduce((acc, P, i) => acc.add(mulPublic(P, scalars[i])), IDENTITY);
}

function uniform(rng: RandomSource, bytes: number): bigint {
  let s = 0n;
  for (const b of rng(bytes)) s = (s << 8n) | BigInt(b);
  return s;
}

/** A scalar of every kind the batch check can give: full, short, tiny, zero, negative, ≥ ℓ, ±ℓ/2. */
function anyScalar(rng: RandomSource): bigint {
  const kind = rng(1)[0] % 12;
  switch (kind) {
    case 0:
      return 0n;
    case 1:
      return -randomScalar(rng);
    case 2:
      return randomScalar(rng) + L * BigInt(1 + (rng(1)[0] % 5)); // ≥ ℓ
    case 3:
      return uniform(rng, 70) - (1n << 559n); // far outside ±ℓ, either sign
    case 4:
      return uniform(rng, 16); // a 128-bit weight: the short path
    case 5:
      return -uniform(rng, 16);
    case 6:
      return BigInt(rng(1)[0]) - 128n;
    case 7:
      return (L >> 1n) + BigInt(rng(1)[0] % 3) - 1n; // around the sign flip at ℓ/2
    case 8:
      return L - BigInt(rng(1)[0]); // −k in disguise
    default:
      return randomScalar(rng);
  }
}

/** Points of every kind: decoded (Z = 1), from noble arithmetic (Z ≠ 1), repeated, negated, G, O, torsion-shifted. */
function anyPoints(rng: RandomSource, n: number): Point[] {
  const pool: Point[] = [];
  const distinct = Math.max(1, Math.min(n, 1 + Number(uniform(rng, 2) % 400n)));
  let P = mulPublic(G, randomScalar(rng));
  const D = mulPublic(G, randomScalar(rng));
  for (let i = 0; i < distinct; i++) {
    pool.push(i % 2 === 0 ? decodePoint(P.toBytes(), 'P') : P);
    P = P.add(D);
  }
  return Array.from({ length: n }, (_, i) => {
    const Q = pool[Number(uniform(rng, 2) % BigInt(pool.length))];
    switch (rng(1)[0] % 10) {
      case 0:
        return IDENTITY;
      case 1:
        return G;
      case 2:
        return Q.negate();
      case 3:
        return shifted(Q, i);
      case 4:
        return shifted(IDENTITY, i);
      default:
        return Q;
    }
  });
}

describe('msm (§P0.3) equals Σ sᵢ·Pᵢ computed term by term with noble', () => {
  it('for sizes 0…3,000 around every path boundary, with every kind of scalar and point', () => {
    const rng = seededRandom('msm-unit-sizes');
    const sizes = [0, 1, 2, 3, 11, 12, 13, 14, 23, 24, 47, 48, 63, 64, 65, 127, 128, 129, 300, 511, 512, 2048, 3000];
    for (let r = 0; r < 3; r++) sizes.push(Number(uniform(rng, 2) % 3001n));
    for (const n of sizes) {
      const points = anyPoints(rng, n);
      const scalars = points.map(() => anyScalar(rng));
      expect(msm(points, scalars).equals(naive(points, scalars)), `n = ${n}`).toBe(true);
    }
  });

  it('is exact when every term is the same point, when the terms cancel, and when all scalars are zero', () => {
    const rng = seededRandom('msm-unit-degenerate');
    const P = mulPublic(G, randomScalar(rng));
    for (const n of [10, 60, 700]) {
      const same = Array.from({ length: n }, () => P);
      const scalars = same.map(() => anyScalar(rng));
      expect(msm(same, scalars).equals(mulPublic(P, scalars.reduce((a, b) => a + b, 0n)))).toBe(true);
      // s·P + (−s)·P for every pair, and −s·(−P) against s·P: all cancel to O.
      const pairs = Array.from({ length: n }, (_, i) => (i % 2 === 0 ? P : P.negate()));
      const s = pairs.map((_, i) => BigInt(i >> 1) * 977n + 3n);
      expect(msm(pairs, s).equals(IDENTITY)).toBe(true);
      expect(msm(same, same.map(() => 0n)).equals(IDENTITY)).toBe(true);
      expect(msm(same, same.map(() => L)).equals(IDENTITY)).toBe(true);
    }
  });

  it('gives the same ristretto element whichever 4-torsion representative each point carries', () => {
    const rng = seededRandom('msm-unit-torsion');
    for (const n of [5, 49, 300, 1500]) {
      const points = Array.from({ length: n }, () => mulPublic(G, randomScalar(rng)));
      const moved = points.map((P, i) => (i % 4 === 3 ? P : shifted(P, i)));
      for (let i = 0; i < n; i++) expect(moved[i].equals(points[i])).toBe(true);
      const scalars = points.map(() => anyScalar(rng));
      const expected = naive(points, scalars);
      expect(msm(moved, scalars).equals(expected)).toBe(true);
      expect(msm(points, scalars).equals(expected)).toBe(true);
    }
  });

  it('refuses lists of different lengths', () => {
    expect(() => msm([G, G], [1n])).toThrow(/one scalar per point/);
  });
});

describe('edwards-fold point arithmetic equals noble on edwards25519 (torsion points included)', () => {
  const rng = seededRandom('edwards-fold-unit');
  // Representatives of every kind: prime-order points, their 4-torsion shifts, the torsion points, O.
  const points: EdwardsPoint[] = [ed25519.Point.ZERO, ...TORSION4];
  for (let i = 0; i < 40; i++) {
    const P = ep(mulPublic(G, randomScalar(rng)));
    points.push(P, P.add(TORSION4[i % 3]), P.negate(), ep(decodePoint(mulPublic(G, randomScalar(rng)).toBytes(), 'P')));
  }
  const ext = (P: EdwardsPoint): ExtendedPoint => {
    const e = new ExtendedPoint();
    e.X = P.X;
    e.Y = P.Y;
    e.Z = P.Z;
    e.T = P.T;
    return e;
  };

  it('add, double and set give noble’s add and double, including P + P, P + (−P) and P + O', () => {
    for (let i = 0; i < points.length; i++) {
      const P = points[i];
      for (const Q of [points[(i * 7 + 3) % points.length], P, P.negate(), ed25519.Point.ZERO]) {
        const e = ext(P);
        e.add(ext(Q));
        expect(e.toEdwards().equals(P.add(Q))).toBe(true);
      }
      const d = ext(P);
      d.double();
      expect(d.toEdwards().equals(P.double())).toBe(true);
      const copy = new ExtendedPoint();
      copy.set(d);
      copy.double();
      expect(copy.toEdwards().equals(P.double().double())).toBe(true);
    }
  });

  it('affine terms (one shared inversion) and mixed additions of ±term give noble’s P ± Q', () => {
    const negate = points.map((_, i) => i % 3 === 1);
    const terms = affineTerms(points, negate);
    for (let i = 0; i < points.length; i++) {
      const Q = negate[i] ? points[i].negate() : points[i];
      for (const neg of [false, true]) {
        const Qs = neg ? Q.negate() : Q;
        const start = new ExtendedPoint();
        start.setTerm(terms[i], neg);
        expect(start.toEdwards().equals(Qs)).toBe(true);
        const P = points[(i * 5 + 1) % points.length];
        const e = ext(P);
        e.addTerm(terms[i], neg);
        expect(e.toEdwards().equals(P.add(Qs))).toBe(true);
      }
    }
  });

  it('a starting point of the identity stays the identity until a term is added', () => {
    const e = new ExtendedPoint();
    e.double();
    e.add(new ExtendedPoint());
    expect(e.toEdwards().equals(ed25519.Point.ZERO)).toBe(true);
  });
});
