/** Discrete log of m·G for 0 ≤ m ≤ bound, by baby-step giant-step. Spec §E.6. */
import { toHex } from './encoding.ts';
import { encodeRistretto } from './ristretto-codec.ts';
import { G, IDENTITY, mulPublic, type Point } from './group.ts';

/**
 * A table of ⌈√(bound+1)⌉ baby steps keyed by their encodings. Building costs one add and one
 * encoding per step (≈ 10 µs with the WebAssembly codec); a solve costs at most as many giant steps. Reuse one per tally.
 */
export class DiscreteLog {
  private readonly baby = new Map<string, number>();
  private readonly step: number;
  private readonly giant: Point;

  constructor(readonly bound: number) {
    if (!Number.isSafeInteger(bound) || bound < 0 || bound > 2 ** 40) throw new Error(`bug: dlog bound ${bound}`);
    this.step = Math.ceil(Math.sqrt(bound + 1));
    let P = IDENTITY;
    for (let j = 0; j < this.step; j++) {
      this.baby.set(toHex(encodeRistretto(P)), j); // E.6.1 baby[enc(j·G)] = j
      P = P.add(G);
    }
    this.giant = mulPublic(G, BigInt(this.step)).negate(); // E.6.2 −s·G
  }

  /** E.6.3 returns m with M = m·G and 0 ≤ m ≤ bound, or null if there is none. */
  solve(M: Point): number | null {
    let P = M;
    for (let i = 0; i * this.step <= this.bound; i++) {
      const j = this.baby.get(toHex(encodeRistretto(P)));
      if (j !== undefined) {
        const m = i * this.step + j;
        return m <= this.bound ? m : null;
      }
      P = P.add(this.giant);
    }
    return null;
  }
}
