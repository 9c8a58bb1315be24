/**
 * Verification equations Σ sᵢ·Pᵢ = 0, checked one by one or combined by a random linear combination.
 * Every proof states its equations once, through `LinearCheck`, so that the direct and the batched
 * verifier cannot drift apart (docs/security.md §D4, Helios PR #495). Spec §P0.
 */
import { IDENTITY, type Point } from './group.ts';
import { msm } from './msm.ts';
import { randomWeight, systemRandom, type RandomSource } from './random.ts';

/** Receives equations Σ coeffs[i]·points[i] = 0; coefficients are any integers, taken mod ℓ. */
export interface LinearCheck {
  require(points: readonly Point[], coeffs: readonly bigint[]): void;
}

/** Checks each equation on its own as it arrives (the slow way: one small MSM per equation). */
export class DirectCheck implements LinearCheck {
  private holds = true;

  require(points: readonly Point[], coeffs: readonly bigint[]): void {
    if (this.holds && !msm(points, coeffs).equals(IDENTITY)) this.holds = false;
  }

  /** True when every equation so far held. */
  result(): boolean {
    return this.holds;
  }
}

/**
 * Multiplies each equation by a fresh random 128-bit weight and adds them all up, merging the
 * coefficients of each point object, then checks the sum with one MSM. P0.3: a false equation
 * survives with probability at most 2^-128 per check. The weights must come from a CSPRNG.
 */
export class BatchCheck implements LinearCheck {
  private readonly terms = new Map<Point, bigint>();

  constructor(private readonly rng: RandomSource = systemRandom) {}

  require(points: readonly Point[], coeffs: readonly bigint[]): void {
    const z = randomWeight(this.rng);
    for (let i = 0; i < points.length; i++) {
      const P = points[i];
      this.terms.set(P, (this.terms.get(P) ?? 0n) + z * coeffs[i]);
    }
  }

  /** Number of distinct points in the combination (the MSM size). */
  get size(): number {
    return this.terms.size;
  }

  result(): boolean {
    return msm([...this.terms.keys()], [...this.terms.values()]).equals(IDENTITY);
  }
}
