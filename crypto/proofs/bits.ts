/**
 * Range proof by bit decomposition, for wide ranges (budgets, large scores). Spec §P4.
 * v − lo = Σ 2^k·aₖ and, unless the span is a power of two, hi − v = Σ 2^k·bₖ; every bit is encrypted
 * with a §P3 proof that it is 0 or 1, and the bit ciphertexts must add up to the statement exactly.
 */
import { encrypt, type Ciphertext } from '../elgamal.ts';
import { Writer } from '../encoding.ts';
import type { LinearCheck } from '../equations.ts';
import { G, inv, mod, mul, sub } from '../group.ts';
import { randomScalar, type RandomSource } from '../random.ts';
import type { ProofContext } from './context.ts';
import { disjunctiveEquations, proveDisjunctive, type DisjunctiveProof, type LinearStatement, type LinearWitness } from './disjunctive.ts';

export interface BitProof {
  readonly bit: Ciphertext;
  readonly proof: DisjunctiveProof;
}

/** `upper` is empty when hi − lo + 1 is a power of two. */
export interface BitsProof {
  readonly lower: readonly BitProof[];
  readonly upper: readonly BitProof[];
}

/** P4.1 K = bit length of hi − lo; the upper half is needed unless hi − lo + 1 = 2^K. */
export function bitLayout(lo: number, hi: number): { K: number; upper: boolean } {
  const span = hi - lo;
  const K = span === 0 ? 0 : span.toString(2).length;
  return { K, upper: span + 1 !== 2 ** K };
}

/** P4.2 the binding of bit k of half h (1 lower, 2 upper): the parent's binding, then u32 h, u32 k. */
export function bitContext(ctx: ProofContext, half: 1 | 2, k: number): ProofContext {
  return { fingerprint: ctx.fingerprint, binding: new Writer().bytes(ctx.binding).u32(half).u32(k).finish() };
}

function proveHalf(value: number, r: bigint, K: number, Y: LinearStatement['Y'], ctx: ProofContext, half: 1 | 2, rng: RandomSource): BitProof[] {
  // P4.3 randomness r₀…r_{K−2} fresh, r_{K−1} = (r − Σ 2^k·rₖ) / 2^{K−1}, so that Σ 2^k·Dₖ has randomness r.
  for (;;) {
    const rs: bigint[] = [];
    let acc = 0n;
    for (let k = 0; k < K - 1; k++) {
      rs.push(randomScalar(rng));
      acc = mod(acc + (1n << BigInt(k)) * rs[k]);
    }
    rs.push(mul(sub(r, acc), inv(1n << BigInt(K - 1))));
    if (rs[K - 1] === 0n) continue; // would make α the identity; probability 2^-252
    const out: BitProof[] = [];
    for (let k = 0; k < K; k++) {
      const a = Math.floor(value / 2 ** k) % 2;
      const bit = encrypt(Y, a, rs[k]);
      const st: LinearStatement = { Y, terms: [{ w: 1, E: bit }], lo: 0, hi: 1 };
      out.push({ bit, proof: proveDisjunctive(st, { v: a, r: rs[k] }, bitContext(ctx, half, k), rng) });
    }
    return out;
  }
}

/** Proves the statement by bit decomposition. Spec §P4. Requires lo ≤ v ≤ hi. */
export function proveBits(st: LinearStatement, wit: LinearWitness, ctx: ProofContext, rng: RandomSource): BitsProof {
  if (!(wit.v >= st.lo && wit.v <= st.hi)) throw new Error(`bug: value ${wit.v} is outside [${st.lo}, ${st.hi}]`);
  if (st.hi <= st.lo) throw new Error('bug: a bit proof needs hi > lo (P4.0 uses it only for wide spans)');
  const { K, upper } = bitLayout(st.lo, st.hi);
  return {
    lower: proveHalf(wit.v - st.lo, wit.r, K, st.Y, ctx, 1, rng),
    upper: upper ? proveHalf(st.hi - wit.v, mod(-wit.r), K, st.Y, ctx, 2, rng) : [],
  };
}

/** States the §P4 equations: every bit's §P3 equations and the two sum relations of each half. */
export function bitsEquations(st: LinearStatement, proof: BitsProof, ctx: ProofContext, check: LinearCheck): void {
  const { K, upper } = bitLayout(st.lo, st.hi);
  if (proof.lower.length !== K || proof.upper.length !== (upper ? K : 0))
    throw new Error(`bug: a bit proof over [${st.lo}, ${st.hi}] has ${K} bits per half`);
  const halves: [1 | 2, readonly BitProof[]][] = [[1, proof.lower]];
  if (upper) halves.push([2, proof.upper]);
  for (const [half, bits] of halves) {
    bits.forEach(({ bit, proof: p }, k) => {
      const bitSt: LinearStatement = { Y: st.Y, terms: [{ w: 1, E: bit }], lo: 0, hi: 1 };
      disjunctiveEquations(bitSt, p, bitContext(ctx, half, k), check); // P4.4
    });
    // P4.5 lower: Σ 2^k·Dₖ = E − lo·(0, G);  upper: Σ 2^k·D'ₖ = hi·(0, G) − E.
    const sign = half === 1 ? -1n : 1n;
    const pow = bits.map((_, k) => 1n << BigInt(k));
    const ws = st.terms.map((t) => sign * BigInt(t.w));
    check.require([...bits.map((b) => b.bit.alpha), ...st.terms.map((t) => t.E.alpha)], [...pow, ...ws]);
    check.require(
      [...bits.map((b) => b.bit.beta), ...st.terms.map((t) => t.E.beta), G],
      [...pow, ...ws, half === 1 ? BigInt(st.lo) : -BigInt(st.hi)],
    );
  }
}
