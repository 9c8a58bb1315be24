/**
 * Disjunctive Chaum–Pedersen proof (CDS) that a linear combination of ciphertexts encrypts a value in
 * [lo, hi], one branch per value. Spec §P3. Used for narrow ranges; §P4 covers wide ones.
 */
import type { Ciphertext } from '../elgamal.ts';
import type { LinearCheck } from '../equations.ts';
import { G, add, mod, mul, mulSecret, sub, type Point } from '../group.ts';
import { randomScalar, type RandomSource } from '../random.ts';
import { startTranscript, type ProofContext } from './context.ts';

/** E = Σ wᵢ·Eᵢ (wᵢ ≥ 1) encrypts under Y a value in [lo, hi]. A single ciphertext has one term, w = 1. */
export interface LinearStatement {
  readonly Y: Point;
  readonly terms: readonly { readonly w: number; readonly E: Ciphertext }[];
  readonly lo: number;
  readonly hi: number;
}

/** n = hi − lo + 1 branches: commitments (Aⱼ, Bⱼ), challenges c₀…c_{n−2} (the last is derived), responses zⱼ. */
export interface DisjunctiveProof {
  readonly A: readonly Point[];
  readonly B: readonly Point[];
  readonly c: readonly bigint[];
  readonly z: readonly bigint[];
}

/** The prover's knowledge: the value v and the combined randomness r = Σ wᵢ·rᵢ. */
export interface LinearWitness {
  readonly v: number;
  readonly r: bigint;
}

function challenge(st: LinearStatement, A: readonly Point[], B: readonly Point[], ctx: ProofContext): bigint {
  // P3.3 the whole statement, then every commitment.
  const t = startTranscript('P3-disjunctive', ctx).appendPoint('Y', st.Y).appendU32('terms', st.terms.length);
  for (const { w, E } of st.terms) t.appendU32('w', w).appendPoint('alpha', E.alpha).appendPoint('beta', E.beta);
  t.appendU32('lo', st.lo).appendU32('hi', st.hi);
  for (let j = 0; j < A.length; j++) t.appendPoint('A', A[j]).appendPoint('B', B[j]);
  return t.challenge();
}

/** Proves the statement. Spec §P3. Requires lo ≤ v ≤ hi and that r matches the ciphertexts. */
export function proveDisjunctive(st: LinearStatement, wit: LinearWitness, ctx: ProofContext, rng: RandomSource): DisjunctiveProof {
  const n = st.hi - st.lo + 1;
  const real = wit.v - st.lo;
  if (!(real >= 0 && real < n)) throw new Error(`bug: value ${wit.v} is outside [${st.lo}, ${st.hi}]`);
  const A: Point[] = new Array(n);
  const B: Point[] = new Array(n);
  const c: bigint[] = new Array(n);
  const z: bigint[] = new Array(n);
  let k = 0n;
  for (let j = 0; j < n; j++) {
    if (j === real) {
      k = randomScalar(rng); // P3.2 the real branch commits to a fresh k
      A[j] = mulSecret(G, k);
      B[j] = mulSecret(st.Y, k);
    } else {
      // P3.1 simulate branch j: pick cⱼ, sⱼ; Aⱼ = sⱼ·G, Bⱼ = sⱼ·Y − cⱼ·(v − j)·G, zⱼ = sⱼ + cⱼ·r.
      // Equal to the textbook zⱼ·G − cⱼ·α, zⱼ·Y − cⱼ·(β − j·G) but with fixed bases only.
      c[j] = randomScalar(rng);
      const s = randomScalar(rng);
      A[j] = mulSecret(G, s);
      B[j] = mulSecret(st.Y, s).subtract(mulSecret(G, mul(c[j], mod(BigInt(real - j)))));
      z[j] = add(s, mul(c[j], wit.r));
    }
  }
  const total = challenge(st, A, B, ctx); // P3.3
  let others = 0n;
  for (let j = 0; j < n; j++) if (j !== real) others = add(others, c[j]);
  c[real] = sub(total, others); // P3.4 c_real = c − Σ_{j≠real} cⱼ
  z[real] = add(k, mul(c[real], wit.r)); //      z_real = k + c_real·r
  return { A, B, c: c.slice(0, n - 1), z };
}

/** States the 2n equations of §P3 into `check`. Throws if the proof has the wrong number of parts. */
export function disjunctiveEquations(st: LinearStatement, proof: DisjunctiveProof, ctx: ProofContext, check: LinearCheck): void {
  const n = st.hi - st.lo + 1;
  if (proof.A.length !== n || proof.B.length !== n || proof.c.length !== n - 1 || proof.z.length !== n)
    throw new Error(`bug: a proof over [${st.lo}, ${st.hi}] has ${n} branches`);
  const total = challenge(st, proof.A, proof.B, ctx);
  let last = total;
  for (const cj of proof.c) last = sub(last, cj); // P3.5 c_{n−1} = c − Σ c₀…c_{n−2}
  const alphas = st.terms.map((t) => t.E.alpha);
  const betas = st.terms.map((t) => t.E.beta);
  for (let j = 0; j < n; j++) {
    const cj = j < n - 1 ? proof.c[j] : last;
    const weighted = st.terms.map((t) => -cj * BigInt(t.w));
    // P3.6 zⱼ·G − cⱼ·Σ wᵢαᵢ − Aⱼ = 0
    check.require([G, ...alphas, proof.A[j]], [proof.z[j], ...weighted, -1n]);
    // P3.7 zⱼ·Y − cⱼ·Σ wᵢβᵢ + cⱼ·(lo + j)·G − Bⱼ = 0
    check.require([st.Y, ...betas, G, proof.B[j]], [proof.z[j], ...weighted, cj * BigInt(st.lo + j), -1n]);
  }
}

