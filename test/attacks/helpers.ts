/**
 * Tools for the attack tests: an attacker's toolkit built only from crypto/'s primitives.
 * Nothing here is used by the product; it forges, re-signs and mutates ballots so that the tests can
 * show each attack is really attempted (and that everything but the targeted check still holds).
 */
import {
  DirectCheck,
  G,
  IDENTITY,
  Transcript,
  add,
  ballotBinding,
  ballotEquations,
  ballotShape,
  bitLayout,
  decodeBallot,
  disjunctiveEquations,
  encodeBallot,
  encodeBallotBody,
  generateKeyPair,
  inv,
  mod,
  msm,
  mul,
  mulSecret,
  prepareKey,
  randomScalar,
  rangeEquations,
  rangeMethod,
  sign,
  startTranscript,
  sub,
  taggedHash,
  verifySignature,
  type AnswerShape,
  type Ballot,
  type BallotParams,
  type BallotShape,
  type Ciphertext,
  type DisjunctiveProof,
  type EncryptedAnswer,
  type KeyPair,
  type LinearCheck,
  type LinearStatement,
  type Point,
  type ProofContext,
  type RandomSource,
  type RangeProof,
} from '../../crypto/index.ts';
// Not re-exported by crypto/index.ts: the §P4 per-bit binding, needed to build bit proofs by hand.
import { bitContext, type BitProof } from '../../crypto/proofs/bits.ts';

const utf8 = new TextEncoder();

/** A 32-byte election fingerprint for a made-up poll. */
export function fingerprintOf(label: string): Uint8Array {
  return taggedHash('gongshi-test/attacks/fingerprint', utf8.encode(label));
}

/** A poll as the verifier sees it, plus the election secret (the tests play the trustees too). */
export interface Poll {
  readonly shape: BallotShape;
  readonly shapes: AnswerShape[];
  readonly election: KeyPair;
  readonly key: Point;
  readonly fingerprint: Uint8Array;
  readonly params: BallotParams;
}

export function makePoll(shape: BallotShape, rng: RandomSource, label = 'poll', election: KeyPair = generateKeyPair(rng)): Poll {
  const key = prepareKey(election.publicKey);
  const fingerprint = fingerprintOf(label);
  const shapes = ballotShape(shape);
  return { shape, shapes, election, key, fingerprint, params: { shapes, key, fingerprint } };
}

/** The same poll under another fingerprint (same key, same questions): "another poll". */
export function otherPoll(poll: Poll, label: string): Poll {
  const fingerprint = fingerprintOf(label);
  return { ...poll, fingerprint, params: { ...poll.params, fingerprint } };
}

/** The proof context of a ballot proof at `path` (Q.5.1): [1, q, i] slot, [2, q] sum, [] signature. */
export function ballotContext(fingerprint: Uint8Array, credential: Point, path: readonly number[]): ProofContext {
  return { fingerprint, binding: ballotBinding(credential, path) };
}

/** Q.5.2 the statement of slot i. */
export function slotStatement(key: Point, shape: AnswerShape, slots: readonly Ciphertext[], i: number): LinearStatement {
  return { Y: key, terms: [{ w: 1, E: slots[i] }], lo: 0, hi: shape.slotMax[i] };
}

/** Q.5.3 the statement of a question's weighted sum. */
export function sumStatement(key: Point, shape: AnswerShape, slots: readonly Ciphertext[]): LinearStatement {
  return { Y: key, terms: slots.map((E, i) => ({ w: shape.weights[i], E })), lo: shape.min, hi: shape.max };
}

/** Encrypts any scalar v (e.g. ℓ − 1 for "−1") with randomness r: (r·G, v·G + r·Y). */
export function encryptScalar(Y: Point, v: bigint, r: bigint): Ciphertext {
  return { alpha: mulSecret(G, r), beta: mulSecret(G, mod(v)).add(mulSecret(Y, r)) };
}

// ---------------------------------------------------------------------------------------------
// §P3 from the outside: the verifier's own challenge (read off its equations), a weak challenge
// (our transcript without the statement), and the two verification equations for a given challenge.

/**
 * The challenge c that gongshi's verifier derives for (st, A, B, ctx), obtained from the verifier itself:
 * disjunctiveEquations is run on a probe proof with every carried challenge 0, so that the last branch
 * gets c_{n−1} = c, and c is read from the coefficient −c·w₁ of that branch's α equation. No replica of
 * the transcript is involved, so the cheating provers below always answer the real challenge.
 */
export function realChallenge(st: LinearStatement, A: readonly Point[], B: readonly Point[], ctx: ProofContext): bigint {
  const n = st.hi - st.lo + 1;
  const probe: DisjunctiveProof = { A, B, c: Array<bigint>(n - 1).fill(0n), z: Array<bigint>(n).fill(0n) };
  const seen: (readonly bigint[])[] = [];
  disjunctiveEquations(st, probe, ctx, { require: (_points, coeffs) => void seen.push(coeffs) });
  if (seen.length !== 2 * n) throw new Error('disjunctiveEquations changed shape: update realChallenge');
  return mul(mod(-seen[2 * (n - 1)][1]), inv(BigInt(st.terms[0].w)));
}

/**
 * Weak Fiat–Shamir challenges (docs/security.md §A1), which leave the statement (Y, the ciphertexts, weights,
 * lo, hi) out. With `ctx`: gongshi's own §P3 transcript (tag, fingerprint, binding) and the commitments;
 * if the real transcript ever dropped the statement, forgeries built on this challenge would start to
 * pass the real verifier and the tests would fail. Without `ctx`: the commitments only, as in Helios.
 */
export function weakChallenge(A: readonly Point[], B: readonly Point[], ctx?: ProofContext): bigint {
  const t = ctx ? startTranscript('P3-disjunctive', ctx) : new Transcript('test/helios-style-commitments-only');
  for (let j = 0; j < A.length; j++) t.appendPoint('A', A[j]).appendPoint('B', B[j]);
  return t.challenge();
}

/** The per-branch challenges: carried c₀…c_{n−2}, and the last one derived from `total`. */
export function branchChallenges(proof: DisjunctiveProof, total: bigint): bigint[] {
  let last = total;
  for (const c of proof.c) last = sub(last, c);
  return [...proof.c, last];
}

/** P3.6 and P3.7, stated for a caller-supplied total challenge (the same equations as the real verifier). */
export function p3EquationsWith(st: LinearStatement, proof: DisjunctiveProof, total: bigint, check: LinearCheck): void {
  const cs = branchChallenges(proof, total);
  const alphas = st.terms.map((t) => t.E.alpha);
  const betas = st.terms.map((t) => t.E.beta);
  cs.forEach((cj, j) => {
    const weighted = st.terms.map((t) => -cj * BigInt(t.w));
    check.require([G, ...alphas, proof.A[j]], [proof.z[j], ...weighted, -1n]);
    check.require([st.Y, ...betas, G, proof.B[j]], [proof.z[j], ...weighted, cj * BigInt(st.lo + j), -1n]);
  });
}

/** True when every §P3 equation holds for the total challenge `total`. */
export function p3HoldsWith(st: LinearStatement, proof: DisjunctiveProof, total: bigint): boolean {
  const check = new DirectCheck();
  p3EquationsWith(st, proof, total, check);
  return check.result();
}

/** A deliberately weak §P3 verifier: the weak challenge (no statement), then the real equations. */
export function weakVerifyDisjunctive(st: LinearStatement, proof: DisjunctiveProof, ctx?: ProofContext): boolean {
  return p3HoldsWith(st, proof, weakChallenge(proof.A, proof.B, ctx));
}

// ---------------------------------------------------------------------------------------------
// Cheating provers.

function sumW(st: LinearStatement, part: 'alpha' | 'beta'): { points: Point[]; weights: bigint[] } {
  return { points: st.terms.map((t) => t.E[part]), weights: st.terms.map((t) => BigInt(t.w)) };
}

/**
 * The best cheating §P3 prover we know: every branch but `claim` is simulated from the *actual*
 * statement (so its two equations hold), and branch `claim` is answered as if the statement encrypted
 * `claim` with combined randomness r. When it really does, this is an honest proof; when it does not,
 * exactly one equation fails (the β equation of branch `claim`) and every other one holds.
 */
export function cheatDisjunctive(st: LinearStatement, claim: number, r: bigint, ctx: ProofContext, rng: RandomSource): DisjunctiveProof {
  const n = st.hi - st.lo + 1;
  const real = claim - st.lo;
  if (!(real >= 0 && real < n)) throw new Error(`claim ${claim} outside [${st.lo}, ${st.hi}]`);
  const a = sumW(st, 'alpha');
  const b = sumW(st, 'beta');
  const A: Point[] = [];
  const B: Point[] = [];
  const c: bigint[] = [];
  const z: bigint[] = [];
  const k = randomScalar(rng);
  for (let j = 0; j < n; j++) {
    if (j === real) {
      A.push(mulSecret(G, k));
      B.push(mulSecret(st.Y, k));
      c.push(0n);
      z.push(0n);
      continue;
    }
    const cj = randomScalar(rng);
    const zj = randomScalar(rng);
    c.push(cj);
    z.push(zj);
    // A_j = z_j·G − c_j·Σwα;  B_j = z_j·Y − c_j·Σwβ + c_j·(lo + j)·G
    A.push(msm([G, ...a.points], [zj, ...a.weights.map((w) => -cj * w)]));
    B.push(msm([st.Y, ...b.points, G], [zj, ...b.weights.map((w) => -cj * w), cj * BigInt(st.lo + j)]));
  }
  const total = realChallenge(st, A, B, ctx);
  let others = 0n;
  for (let j = 0; j < n; j++) if (j !== real) others = add(others, c[j]);
  c[real] = sub(total, others);
  z[real] = add(k, mul(c[real], r));
  return { A, B, c: c.slice(0, n - 1), z };
}

/** §P4.3 one half of a bit proof, honest bits of `value` (0 ≤ value < 2^K) with total randomness r. */
export function bitHalf(value: bigint, r: bigint, K: number, Y: Point, ctx: ProofContext, half: 1 | 2, rng: RandomSource): BitProof[] {
  if (value < 0n || value >= 1n << BigInt(K)) throw new Error(`value ${value} does not fit in ${K} bits`);
  const rs: bigint[] = [];
  let acc = 0n;
  for (let k = 0; k < K - 1; k++) {
    rs.push(randomScalar(rng));
    acc = mod(acc + (1n << BigInt(k)) * rs[k]);
  }
  rs.push(mul(sub(r, acc), inv(1n << BigInt(K - 1))));
  return rs.map((rk, k) => {
    const a = Number((value >> BigInt(k)) & 1n);
    const bit = encryptScalar(Y, BigInt(a), rk);
    const st: LinearStatement = { Y, terms: [{ w: 1, E: bit }], lo: 0, hi: 1 };
    return { bit, proof: cheatDisjunctive(st, a, rk, bitContext(ctx, half, k), rng) };
  });
}

function clampBig(x: bigint, lo: bigint, hi: bigint): bigint {
  return x < lo ? lo : x > hi ? hi : x;
}

/**
 * The best cheating §P4 prover: each half decomposes the true distance (v − lo, or hi − v) when it fits
 * in K bits, and the nearest representable value otherwise. Every bit proof is honest, so exactly the
 * β sum relation of the half(s) whose distance does not fit fails.
 */
export function cheatBits(st: LinearStatement, value: bigint, r: bigint, ctx: ProofContext, rng: RandomSource): RangeProof {
  const { K, upper } = bitLayout(st.lo, st.hi);
  const top = (1n << BigInt(K)) - 1n;
  const lower = bitHalf(clampBig(value - BigInt(st.lo), 0n, top), r, K, st.Y, ctx, 1, rng);
  const up = upper ? bitHalf(clampBig(BigInt(st.hi) - value, 0n, top), mod(-r), K, st.Y, ctx, 2, rng) : [];
  return { kind: 'bits', proof: { lower, upper: up } };
}

/** A range proof for a statement whose true value is `value` (a signed integer): honest when in range. */
export function cheatRange(st: LinearStatement, value: bigint, r: bigint, ctx: ProofContext, rng: RandomSource): RangeProof {
  if (rangeMethod(st.lo, st.hi) === 'bits') return cheatBits(st, value, r, ctx, rng);
  const claim = Number(clampBig(value, BigInt(st.lo), BigInt(st.hi)));
  return { kind: 'disjunctive', proof: cheatDisjunctive(st, claim, r, ctx, rng) };
}

// ---------------------------------------------------------------------------------------------
// Ballots built by hand.

export interface Forged {
  readonly ballot: Ballot;
  readonly bytes: Uint8Array;
  readonly r: bigint[][];
}

/**
 * Builds a ballot whose slots encrypt `values` (signed integers, anything at all) with the best
 * cheating proofs, signed by `credential`. With in-range values and sums it is an honest ballot.
 * `r` fixes the encryption randomness (to reproduce someone else's ciphertexts).
 */
export function forgeBallot(
  poll: Poll,
  credential: KeyPair,
  values: readonly (readonly bigint[])[],
  rng: RandomSource,
  r?: readonly (readonly bigint[])[],
): Forged {
  const { key, fingerprint, shapes } = poll;
  const cred = credential.publicKey;
  const rs: bigint[][] = [];
  const answers = shapes.map((shape, q): EncryptedAnswer => {
    const vs = values[q];
    if (vs.length !== shape.slotMax.length) throw new Error(`question ${q}: ${shape.slotMax.length} slots`);
    const rq = vs.map((_, i) => r?.[q]?.[i] ?? randomScalar(rng));
    rs.push(rq);
    const slots = vs.map((v, i) => encryptScalar(key, v, rq[i]));
    const slotProofs = slots.map((_, i) =>
      cheatRange(slotStatement(key, shape, slots, i), vs[i], rq[i], ballotContext(fingerprint, cred, [1, q, i]), rng),
    );
    let sumProof: RangeProof | null = null;
    if (shape.sumProof) {
      const v = vs.reduce((s, x, i) => s + x * BigInt(shape.weights[i]), 0n);
      const rSum = mod(rq.reduce((s, x, i) => s + x * BigInt(shape.weights[i]), 0n));
      sumProof = cheatRange(sumStatement(key, shape, slots), v, rSum, ballotContext(fingerprint, cred, [2, q]), rng);
    }
    return { slots, slotProofs, sumProof };
  });
  return { ...signBallot({ fingerprint, credential: cred, answers }, credential, rng), r: rs };
}

/** Signs a ballot body (§P6, binding path []) with `signer`, whose public key must be the body's credential. */
export function signBallot(body: Omit<Ballot, 'signature'>, signer: KeyPair, rng: RandomSource): { ballot: Ballot; bytes: Uint8Array } {
  const signature = sign(signer.secret, signer.publicKey, encodeBallotBody(body), ballotContext(body.fingerprint, signer.publicKey, []), rng);
  const ballot: Ballot = { ...body, signature };
  return { ballot, bytes: encodeBallot(ballot) };
}

/** The unsigned part of a ballot. */
export function bodyOf(b: Ballot): Omit<Ballot, 'signature'> {
  return { fingerprint: b.fingerprint, credential: b.credential, answers: b.answers };
}

// ---------------------------------------------------------------------------------------------
// Counting which equations fail.

/** A LinearCheck that checks every equation on its own and remembers each verdict. */
export class TallyCheck implements LinearCheck {
  readonly verdicts: boolean[] = [];

  require(points: readonly Point[], coeffs: readonly bigint[]): void {
    this.verdicts.push(msm(points, coeffs).equals(IDENTITY));
  }

  get failures(): number {
    return this.verdicts.filter((v) => !v).length;
  }
}

/** How many of a ballot's equations fail (-1 if it names another election). */
export function failingEquations(bytes: Uint8Array, params: BallotParams): { failures: number; total: number } {
  const check = new TallyCheck();
  if (!ballotEquations(decodeBallot(bytes, params.shapes), params, check)) return { failures: -1, total: 0 };
  return { failures: check.failures, total: check.verdicts.length };
}

// ---------------------------------------------------------------------------------------------
// Byte surgery.

/** The offset of the only occurrence of `needle` in `hay`; throws if absent or repeated. */
export function offsetOf(hay: Uint8Array, needle: Uint8Array): number {
  let found = -1;
  outer: for (let i = 0; i + needle.length <= hay.length; i++) {
    for (let j = 0; j < needle.length; j++) if (hay[i + j] !== needle[j]) continue outer;
    if (found !== -1) throw new Error('needle occurs twice');
    found = i;
  }
  if (found === -1) throw new Error('needle not found');
  return found;
}

/** A copy of `bytes` with `replacement` written at `offset`. */
export function patched(bytes: Uint8Array, offset: number, replacement: Uint8Array): Uint8Array {
  const out = bytes.slice();
  out.set(replacement, offset);
  return out;
}

/** 32 little-endian bytes of any integer in [0, 2^256), reduced or not. */
export function le32(x: bigint): Uint8Array {
  if (x < 0n || x >= 1n << 256n) throw new Error('does not fit in 32 bytes');
  const out = new Uint8Array(32);
  for (let i = 0; i < 32; i++) out[i] = Number((x >> BigInt(8 * i)) & 0xffn);
  return out;
}

export function hex(s: string): Uint8Array {
  return Uint8Array.from(s.match(/../g) ?? [], (b) => parseInt(b, 16));
}

export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/**
 * Checks every proof of a ballot on its own (DirectCheck) against the poll, and names the ones that
 * fail: "slot q.i", "sum q", "signature". An honest ballot gives [].
 */
export function failingProofs(bytes: Uint8Array, poll: Poll): string[] {
  const b = decodeBallot(bytes, poll.shapes);
  const bad: string[] = [];
  const ok = (f: (check: LinearCheck) => void): boolean => {
    const check = new DirectCheck();
    f(check);
    return check.result();
  };
  b.answers.forEach((a, q) => {
    const shape = poll.shapes[q];
    a.slotProofs.forEach((p, i) => {
      const ctx = ballotContext(poll.fingerprint, b.credential, [1, q, i]);
      if (!ok((c) => rangeEquations(slotStatement(poll.key, shape, a.slots, i), p, ctx, c))) bad.push(`slot ${q}.${i}`);
    });
    const sum = a.sumProof;
    if (sum !== null) {
      const ctx = ballotContext(poll.fingerprint, b.credential, [2, q]);
      if (!ok((c) => rangeEquations(sumStatement(poll.key, shape, a.slots), sum, ctx, c))) bad.push(`sum ${q}`);
    }
  });
  const body = bytes.subarray(0, bytes.length - 64);
  if (!verifySignature(b.credential, body, b.signature, ballotContext(poll.fingerprint, b.credential, []))) bad.push('signature');
  return bad;
}
