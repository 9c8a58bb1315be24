/**
 * Verification equations Σ sᵢ·Pᵢ = 0, checked one by one or combined by a random linear combination.
 * Every proof states its equations once, through `LinearCheck`, so that the direct and the batched
 * verifier cannot drift apart (docs/security.md §D4, Helios PR #495). Spec §P0.
 */
import { IDENTITY, type Point } from './group.ts';
import { msm } from './msm.ts';
import { systemRandom, type RandomSource } from './random.ts';

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
/** Weights drawn from the random source at once. */
const WEIGHT_BLOCK = 256;

export class BatchCheck implements LinearCheck {
  private readonly terms = new Map<Point, bigint>();
  /** Weights are drawn from `rng` a block at a time: one call per equation cost more than the rest of stating it. */
  private pool: DataView | null = null;
  private at = 0;

  constructor(private readonly rng: RandomSource = systemRandom) {}

  /** A uniform non-zero 128-bit weight (§P0.3), as `randomWeight` draws it, from the block. */
  private weight(): bigint {
    for (;;) {
      if (this.pool === null || this.at === this.pool.byteLength) {
        const bytes = this.rng(WEIGHT_BLOCK * 16);
        this.pool = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
        this.at = 0;
      }
      const w = (this.pool.getBigUint64(this.at + 8, true) << 64n) | this.pool.getBigUint64(this.at, true);
      this.at += 16;
      if (w !== 0n) return w;
    }
  }

  require(points: readonly Point[], coeffs: readonly bigint[]): void {
    const z = this.weight();
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
