/** Polynomials over the scalar field, Feldman commitments and Lagrange coefficients. Spec §T.3, §T.8. */
import { G, IDENTITY, add, inv, mod, mul, mulSecret, sub, type Point } from '../group.ts';
import { msm } from '../msm.ts';
import { randomScalar, type RandomSource } from '../random.ts';

/** T.3.1 a random polynomial of degree t − 1: its coefficients a₀ … a_{t−1}, each uniform in [1, ℓ). */
export function randomPolynomial(t: number, rng: RandomSource): bigint[] {
  return Array.from({ length: t }, () => randomScalar(rng));
}

/** f(x) = Σ aₖ·x^k mod ℓ, by Horner's rule. */
export function evaluatePolynomial(coefficients: readonly bigint[], x: number): bigint {
  let y = 0n;
  for (let k = coefficients.length - 1; k >= 0; k--) y = add(mul(y, BigInt(x)), coefficients[k]);
  return y;
}

/** T.3.2 Feldman commitments Aₖ = aₖ·G. */
export function commitPolynomial(coefficients: readonly bigint[]): Point[] {
  return coefficients.map((a) => mulSecret(G, a));
}

/** T.5.2 Σₖ x^k·Aₖ: the public image f(x)·G of the committed polynomial. */
export function evaluateCommitments(commitments: readonly Point[], x: number): Point {
  if (commitments.length === 0) return IDENTITY;
  const powers: bigint[] = [];
  let p = 1n;
  for (let k = 0; k < commitments.length; k++) {
    powers.push(p);
    p = mod(p * BigInt(x));
  }
  return msm(commitments, powers);
}

/**
 * T.8.3 λᵢ = Π_{m ∈ S, m ≠ i} m / (m − i) mod ℓ for each index i of S: the Lagrange coefficients
 * that interpolate at 0. Refuses an empty set, index 0, indices outside [1, 2^32) and duplicates.
 */
export function lagrangeAtZero(indices: readonly number[]): bigint[] {
  if (indices.length === 0) throw new Error('no indices to interpolate from');
  const seen = new Set<number>();
  for (const i of indices) {
    if (!Number.isInteger(i) || i < 1 || i > 0xffffffff) throw new Error(`trustee index ${i} is not an integer from 1 to 2^32 − 1`);
    if (seen.has(i)) throw new Error(`trustee index ${i} appears twice`);
    seen.add(i);
  }
  return indices.map((i) => {
    let num = 1n;
    let den = 1n;
    for (const m of indices) {
      if (m === i) continue;
      num = mul(num, BigInt(m));
      den = mul(den, sub(BigInt(m), BigInt(i)));
    }
    return mul(num, inv(den));
  });
}
