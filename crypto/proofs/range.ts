/** Range proofs for a linear statement, choosing §P3 or §P4 by the span of the range. Spec §P3–P4. */
import type { LinearCheck } from '../equations.ts';
import type { RandomSource } from '../random.ts';
import { bitsEquations, proveBits, type BitsProof } from './bits.ts';
import type { ProofContext } from './context.ts';
import { disjunctiveEquations, proveDisjunctive, type DisjunctiveProof, type LinearStatement, type LinearWitness } from './disjunctive.ts';

/** P4.0 spans up to this many values use one branch per value (§P3); wider spans use bits (§P4). */
export const DISJUNCTIVE_MAX_SPAN = 16;

export type RangeProof = { readonly kind: 'disjunctive'; readonly proof: DisjunctiveProof } | { readonly kind: 'bits'; readonly proof: BitsProof };

/** Which method the protocol prescribes for [lo, hi]; both the encoder and the decoder follow it. */
export function rangeMethod(lo: number, hi: number): RangeProof['kind'] {
  return hi - lo + 1 <= DISJUNCTIVE_MAX_SPAN ? 'disjunctive' : 'bits';
}

/** Proves that the statement's value lies in [lo, hi]. */
export function proveRange(st: LinearStatement, wit: LinearWitness, ctx: ProofContext, rng: RandomSource): RangeProof {
  return rangeMethod(st.lo, st.hi) === 'disjunctive'
    ? { kind: 'disjunctive', proof: proveDisjunctive(st, wit, ctx, rng) }
    : { kind: 'bits', proof: proveBits(st, wit, ctx, rng) };
}

/** States the range proof's equations; throws 'bug' if the proof's method is not the prescribed one. */
export function rangeEquations(st: LinearStatement, proof: RangeProof, ctx: ProofContext, check: LinearCheck): void {
  if (proof.kind !== rangeMethod(st.lo, st.hi)) throw new Error('bug: range proof of the wrong kind');
  if (proof.kind === 'disjunctive') disjunctiveEquations(st, proof.proof, ctx, check);
  else bitsEquations(st, proof.proof, ctx, check);
}
