/**
 * Soundness under mutation: changing any single part of a proof, of its statement or of its context
 * makes verification fail; flipping any bit of a ballot makes it undecodable or invalid.
 */
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  DirectCheck,
  G,
  Writer,
  inv,
  mod,
  mul,
  sub,
  ballotBinding,
  ballotShape,
  createBallot,
  decodeBallot,
  encodeBallot,
  encodeBallotBody,
  encrypt,
  encryptFresh,
  generateKeyPair,
  mulSecret,
  proveBits,
  proveDisjunctive,
  proveDleq,
  proveKnowledge,
  proveRange,
  randomScalar,
  rangeEquations,
  rangeMethod,
  sign,
  verifyBallot,
  verifyDleq,
  verifyKnowledge,
  verifySignature,
  type AnswerShape,
  type Ballot,
  type BitsProof,
  type BallotShape,
  type Ciphertext,
  type DisjunctiveProof,
  type KeyPair,
  type LinearStatement,
  type ProofContext,
  type RandomSource,
  type RangeProof,
} from '../../crypto/index.ts';
import {
  KINDS,
  buildRange,
  bump,
  decodeFails,
  electionKey,
  equalBytes,
  flipBinding,
  flipBit,
  flipFingerprint,
  questionArb,
  randomContext,
  randomPoint,
  rangeCaseArb,
  rngFor,
  runs,
  seedArb,
} from './support.ts';

/** Picks element `i mod length`. */
function pick<T>(list: readonly T[], i: number): T {
  return list[i % list.length];
}

describe('Schnorr proofs (§P1, §P6) under mutation', () => {
  const P1_MUTATIONS = ['T', 'z', 'X', 'fingerprint', 'binding', 'as-signature'] as const;

  it('§P1: a knowledge proof with any one of T, z, X, fingerprint, binding changed never verifies', () => {
    fc.assert(
      fc.property(seedArb, fc.constantFrom(...P1_MUTATIONS), fc.nat(), (seed, what, bit) => {
        const rng = rngFor(seed, 'p1-mut');
        const x = randomScalar(rng);
        const X = mulSecret(G, x);
        const ctx = randomContext(rng);
        const proof = proveKnowledge(x, X, ctx, rng);
        let ok: boolean;
        switch (what) {
          case 'T':
            ok = verifyKnowledge(X, { T: randomPoint(rng), z: proof.z }, ctx);
            break;
          case 'z':
            ok = verifyKnowledge(X, { T: proof.T, z: bump(proof.z) }, ctx);
            break;
          case 'X':
            ok = verifyKnowledge(randomPoint(rng), proof, ctx);
            break;
          case 'fingerprint':
            ok = verifyKnowledge(X, proof, flipFingerprint(ctx, bit));
            break;
          case 'binding':
            ok = verifyKnowledge(X, proof, flipBinding(ctx, bit));
            break;
          case 'as-signature':
            // Domain separation: a P1 proof is not a P6 signature on the empty message.
            ok = verifySignature(X, new Uint8Array(0), proof, ctx);
            break;
        }
        expect(ok).toBe(false);
      }),
      runs(120),
    );
  });

  const P6_MUTATIONS = ['T', 'z', 'X', 'fingerprint', 'binding', 'message-bit', 'message-longer', 'as-knowledge'] as const;

  it('§P6: a signature with any one of T, z, X, message, fingerprint, binding changed never verifies', () => {
    fc.assert(
      fc.property(
        seedArb,
        fc.uint8Array({ minLength: 1, maxLength: 200 }),
        fc.constantFrom(...P6_MUTATIONS),
        fc.nat(),
        (seed, message, what, bit) => {
          const rng = rngFor(seed, 'p6-mut');
          const { secret, publicKey: X } = generateKeyPair(rng);
          const ctx = randomContext(rng);
          const sig = sign(secret, X, message, ctx, rng);
          let ok: boolean;
          switch (what) {
            case 'T':
              ok = verifySignature(X, message, { T: randomPoint(rng), z: sig.z }, ctx);
              break;
            case 'z':
              ok = verifySignature(X, message, { T: sig.T, z: bump(sig.z) }, ctx);
              break;
            case 'X':
              ok = verifySignature(randomPoint(rng), message, sig, ctx);
              break;
            case 'fingerprint':
              ok = verifySignature(X, message, sig, flipFingerprint(ctx, bit));
              break;
            case 'binding':
              ok = verifySignature(X, message, sig, flipBinding(ctx, bit));
              break;
            case 'message-bit':
              ok = verifySignature(X, flipBit(message, bit), sig, ctx);
              break;
            case 'message-longer':
              ok = verifySignature(X, Uint8Array.from([...message, bit & 0xff]), sig, ctx);
              break;
            case 'as-knowledge':
              ok = verifyKnowledge(X, sig, ctx);
              break;
          }
          expect(ok).toBe(false);
        },
      ),
      runs(160),
    );
  });
});

describe('DLEQ proofs (§P2) under mutation', () => {
  const MUTATIONS = ['T1', 'T2', 'z', 'B1', 'X1', 'B2', 'X2', 'swap-pairs', 'fingerprint', 'binding'] as const;

  it('§P2: a DLEQ proof with any one of T1, T2, z, B1, X1, B2, X2, fingerprint, binding changed never verifies', () => {
    fc.assert(
      fc.property(seedArb, fc.constantFrom(...MUTATIONS), fc.nat(), (seed, what, bit) => {
        const rng = rngFor(seed, 'p2-mut');
        const B1 = randomPoint(rng);
        const B2 = randomPoint(rng);
        const x = randomScalar(rng);
        const st = { B1, X1: mulSecret(B1, x), B2, X2: mulSecret(B2, x) };
        const ctx = randomContext(rng);
        const p = proveDleq(st, x, ctx, rng);
        const other = randomPoint(rng);
        let ok: boolean;
        switch (what) {
          case 'T1':
            ok = verifyDleq(st, { ...p, T1: other }, ctx);
            break;
          case 'T2':
            ok = verifyDleq(st, { ...p, T2: other }, ctx);
            break;
          case 'z':
            ok = verifyDleq(st, { ...p, z: bump(p.z) }, ctx);
            break;
          case 'B1':
          case 'X1':
          case 'B2':
          case 'X2':
            ok = verifyDleq({ ...st, [what]: other }, p, ctx);
            break;
          case 'swap-pairs':
            ok = verifyDleq({ B1: st.B2, X1: st.X2, B2: st.B1, X2: st.X1 }, { T1: p.T2, T2: p.T1, z: p.z }, ctx);
            break;
          case 'fingerprint':
            ok = verifyDleq(st, p, flipFingerprint(ctx, bit));
            break;
          case 'binding':
            ok = verifyDleq(st, p, flipBinding(ctx, bit));
            break;
        }
        expect(ok).toBe(false);
      }),
      runs(150),
    );
  });
});

// ---------------------------------------------------------------------------------------------
// Range proofs: every mutation site of a statement, context and proof, named for the report.

interface Case {
  readonly st: LinearStatement;
  readonly proof: RangeProof;
  readonly ctx: ProofContext;
}

function withIndex<T>(list: readonly T[], i: number, v: T): T[] {
  const out = [...list];
  out[i] = v;
  return out;
}

function disjunctiveMutations(p: DisjunctiveProof, rng: RandomSource): { name: string; proof: () => DisjunctiveProof }[] {
  const out: { name: string; proof: () => DisjunctiveProof }[] = [];
  p.A.forEach((_, j) => out.push({ name: `A[${j}]`, proof: () => ({ ...p, A: withIndex(p.A, j, randomPoint(rng)) }) }));
  p.B.forEach((_, j) => out.push({ name: `B[${j}]`, proof: () => ({ ...p, B: withIndex(p.B, j, randomPoint(rng)) }) }));
  p.c.forEach((c, j) => out.push({ name: `c[${j}]+1`, proof: () => ({ ...p, c: withIndex(p.c, j, bump(c)) }) }));
  p.z.forEach((z, j) => out.push({ name: `z[${j}]+1`, proof: () => ({ ...p, z: withIndex(p.z, j, bump(z)) }) }));
  return out;
}

type Group = 'statement' | 'context' | 'proof';
interface Mutation {
  readonly group: Group;
  readonly name: string;
  readonly make: () => Case;
}

/** Every single mutation of a range case, each a thunk producing the mutated case. */
function rangeMutations(c: Case, bit: number, rng: RandomSource): Mutation[] {
  const { st, proof, ctx } = c;
  const out: Mutation[] = [];
  const withSt = (s: Partial<LinearStatement>): Case => ({ ...c, st: { ...st, ...s } });
  const withTerm = (i: number, E: Ciphertext, w = st.terms[i].w): Case => withSt({ terms: withIndex(st.terms, i, { w, E }) });
  // The statement.
  out.push({ group: 'statement', name: 'Y', make: () => withSt({ Y: randomPoint(rng) }) });
  st.terms.forEach((t, i) => {
    out.push({ group: 'statement', name: `terms[${i}].alpha`, make: () => withTerm(i, { alpha: randomPoint(rng), beta: t.E.beta }) });
    out.push({ group: 'statement', name: `terms[${i}].beta`, make: () => withTerm(i, { alpha: t.E.alpha, beta: randomPoint(rng) }) });
    out.push({ group: 'statement', name: `terms[${i}].w+1`, make: () => withTerm(i, t.E, t.w + 1) });
    if (t.w > 1) out.push({ group: 'statement', name: `terms[${i}].w-1`, make: () => withTerm(i, t.E, t.w - 1) });
  });
  // lo and hi move together, so that the proof keeps its shape and method.
  out.push({ group: 'statement', name: 'lo,hi+1', make: () => withSt({ lo: st.lo + 1, hi: st.hi + 1 }) });
  if (st.lo > 0) out.push({ group: 'statement', name: 'lo,hi-1', make: () => withSt({ lo: st.lo - 1, hi: st.hi - 1 }) });
  // The context.
  out.push({ group: 'context', name: 'fingerprint', make: () => ({ ...c, ctx: flipFingerprint(ctx, bit) }) });
  out.push({ group: 'context', name: 'binding', make: () => ({ ...c, ctx: flipBinding(ctx, bit) }) });
  // The proof.
  if (proof.kind === 'disjunctive') {
    for (const m of disjunctiveMutations(proof.proof, rng))
      out.push({ group: 'proof', name: m.name, make: () => ({ ...c, proof: { kind: 'disjunctive', proof: m.proof() } }) });
  } else {
    const bits = proof.proof;
    for (const half of ['lower', 'upper'] as const) {
      bits[half].forEach((b, k) => {
        const withBit = (nb: (typeof bits)[typeof half][number]): Case => ({
          ...c,
          proof: { kind: 'bits', proof: { ...bits, [half]: withIndex(bits[half], k, nb) } },
        });
        out.push({ group: 'proof', name: `${half}[${k}].alpha`, make: () => withBit({ ...b, bit: { alpha: randomPoint(rng), beta: b.bit.beta } }) });
        out.push({ group: 'proof', name: `${half}[${k}].beta`, make: () => withBit({ ...b, bit: { alpha: b.bit.alpha, beta: randomPoint(rng) } }) });
        for (const m of disjunctiveMutations(b.proof, rng)) out.push({ group: 'proof', name: `${half}[${k}].${m.name}`, make: () => withBit({ ...b, proof: m.proof() }) });
      });
    }
    // Two bits exchanged: each bit proof is still valid, only the sum relations can notice.
    if (bits.lower.length >= 2)
      out.push({
        group: 'proof',
        name: 'lower[0]<->lower[1]',
        make: () => ({ ...c, proof: { kind: 'bits', proof: { ...bits, lower: [bits.lower[1], bits.lower[0], ...bits.lower.slice(2)] } } }),
      });
  }
  return out;
}

function verifiesDirect(c: Case): boolean {
  const check = new DirectCheck();
  rangeEquations(c.st, c.proof, c.ctx, check);
  return check.result();
}

describe('range proofs (§P3, §P4) under mutation', () => {
  it('any single mutation of a range proof, its statement (Y, a ciphertext, a weight, lo/hi) or its context makes it fail', () => {
    fc.assert(
      fc.property(rangeCaseArb(300), fc.constantFrom<Group>('statement', 'context', 'proof'), fc.nat(), fc.nat(), (rc, group, site, bit) => {
        const rng = rngFor(rc.seed, 'range-mut');
        const { st, wit, ctx } = buildRange(rc, rng);
        const proof = proveRange(st, wit, ctx, rng);
        const honest: Case = { st, proof, ctx }; // verifies: see completeness.test.ts
        const m = pick(rangeMutations(honest, bit, rng).filter((x) => x.group === group), site);
        const mutated = m.make();
        expect({ site: m.name, verifies: verifiesDirect(mutated) }).toEqual({ site: m.name, verifies: false });
      }),
      runs(50),
    );
  });

  it('a range proof for a ciphertext whose value lies outside [lo, hi] (prover lying about the value) never verifies', () => {
    fc.assert(
      fc.property(
        seedArb,
        fc.integer({ min: 0, max: 40 }),
        fc.oneof(fc.integer({ min: 0, max: 15 }), fc.integer({ min: 16, max: 200 })),
        fc.integer({ min: 1, max: 50 }),
        fc.boolean(),
        fc.nat(),
        (seed, lo, span, distance, above, claim) => {
          const hi = lo + span;
          if (!above && lo - distance < 0) return; // no value below 0 to encrypt
          const rng = rngFor(seed, 'range-lie');
          const Y = randomPoint(rng);
          const actual = above ? hi + distance : lo - distance;
          const r = randomScalar(rng);
          const st: LinearStatement = { Y, terms: [{ w: 1, E: encrypt(Y, actual, r) }], lo, hi };
          const ctx = randomContext(rng);
          const claimed = lo + (claim % (span + 1));
          // Call the method-specific provers directly: they check the claimed value, not the ciphertext.
          const proof: RangeProof =
            rangeMethod(lo, hi) === 'disjunctive'
              ? { kind: 'disjunctive', proof: proveDisjunctive(st, { v: claimed, r }, ctx, rng) }
              : { kind: 'bits', proof: proveBits(st, { v: claimed, r }, ctx, rng) };
          expect(verifiesDirect({ st, proof, ctx })).toBe(false);
        },
      ),
      runs(30),
    );
  });
});

type BitProof = BitsProof['lower'][number];

describe('range proofs (§P4) against a cheating prover', () => {
  /** The upper half made as well as a cheater can: valid bit proofs of (hi − v) mod 2^K with randomness summing to −r. */
  function cheatingUpper(st: LinearStatement, v: number, r: bigint, K: number, ctx: ProofContext, rng: RandomSource): BitProof[] {
    const b = (st.hi - v + 2 ** K) % 2 ** K;
    const rs: bigint[] = [];
    let acc = 0n;
    for (let k = 0; k < K - 1; k++) {
      rs.push(randomScalar(rng));
      acc = mod(acc + (1n << BigInt(k)) * rs[k]);
    }
    rs.push(mul(sub(mod(-r), acc), inv(1n << BigInt(K - 1))));
    return rs.map((rk, k) => {
      const a = Math.floor(b / 2 ** k) % 2;
      const bit = encrypt(st.Y, a, rk);
      const bitCtx = { fingerprint: ctx.fingerprint, binding: new Writer().bytes(ctx.binding).u32(2).u32(k).finish() };
      return { bit, proof: proveDisjunctive({ Y: st.Y, terms: [{ w: 1, E: bit }], lo: 0, hi: 1 }, { v: a, r: rk }, bitCtx, rng) };
    });
  }

  it('a value in the gap (hi, lo + 2^K − 1] with a valid lower half and best-effort upper half never verifies (same construction verifies for v ≤ hi)', () => {
    fc.assert(
      fc.property(seedArb, fc.integer({ min: 0, max: 100 }), fc.integer({ min: 16, max: 300 }), fc.nat(), fc.boolean(), (seed, lo, span, pick, control) => {
        // Computed here, not with bitLayout, so that a wrong layout cannot make the test vacuous.
        const K = span.toString(2).length;
        if (span + 1 === 2 ** K) return; // no gap
        const hi = lo + span;
        // The positive control takes v in [lo, hi], where the construction is an honest proof.
        const v = control ? lo + (pick % (span + 1)) : hi + 1 + (pick % (lo + 2 ** K - 1 - hi)); // else in (hi, lo + 2^K − 1]
        const rng = rngFor(seed, 'bits-gap');
        const Y = randomPoint(rng);
        const r = randomScalar(rng);
        const st: LinearStatement = { Y, terms: [{ w: 1, E: encrypt(Y, v, r) }], lo, hi };
        const ctx = randomContext(rng);
        // The lower half is honest: v − lo fits in K bits. Made as a proof over [lo, lo + 2^K − 1].
        const lower = proveBits({ ...st, hi: lo + 2 ** K - 1 }, { v, r }, ctx, rng).lower;
        const proof: RangeProof = { kind: 'bits', proof: { lower, upper: cheatingUpper(st, v, r, K, ctx, rng) } };
        expect(verifiesDirect({ st, proof, ctx })).toBe(control);
      }),
      runs(16),
    );
  });
});

// ---------------------------------------------------------------------------------------------
// Ballots.

describe('ballots under mutation', () => {
  const election = electionKey('mutation');
  const SHAPES: BallotShape[] = [
    { questions: [{ kind: 'single', options: 3, blank: true }] },
    { questions: [{ kind: 'multiple', options: 3, min: 1, max: 2 }, { kind: 'yes-no-abstain' }] },
    { questions: [{ kind: 'score', options: 2, maxScore: 20 }] },
    { questions: [{ kind: 'cumulative', options: 2, points: 5 }] },
    { questions: [{ kind: 'budget', costs: [30, 70, 120], budget: 150, blank: true }] },
  ];
  const ANSWERS = [
    [{ values: [0, 1, 0] }],
    [{ values: [1, 0, 1] }, { values: [0, 0, 1] }],
    [{ values: [7, 20] }],
    [{ values: [2, 3] }],
    [{ values: [1, 0, 1] }],
  ];
  interface Made {
    readonly shapes: AnswerShape[];
    readonly bytes: Uint8Array;
    readonly ballot: Ballot;
    readonly credential: KeyPair;
    readonly fingerprint: Uint8Array;
  }
  const made: Made[] = [];

  beforeAll(() => {
    const rng = rngFor('fixed', 'ballot-mut');
    SHAPES.forEach((shape, i) => {
      const fingerprint = rng(32);
      const credential = generateKeyPair(rng);
      const c = createBallot({ shape, key: election.prepared, fingerprint, credential, answers: ANSWERS[i] }, rng);
      made.push({ shapes: ballotShape(shape), bytes: c.bytes, ballot: c.ballot, credential, fingerprint });
    });
  });

  const params = (m: Made, fingerprint = m.fingerprint) => ({ shapes: m.shapes, key: election.publicKey, fingerprint });

  /** The bit position: in the header (version, fingerprint, credential, counts), in the signature, or anywhere. */
  const positionArb = fc.oneof(
    fc.record({ region: fc.constant('header' as const), k: fc.integer({ min: 0, max: 8 * (1 + 32 + 32 + 4 + 4) - 1 }) }),
    fc.record({ region: fc.constant('signature' as const), k: fc.integer({ min: 0, max: 8 * 64 - 1 }) }),
    fc.record({ region: fc.constant('anywhere' as const), k: fc.nat() }),
  );

  it('flipping any single bit of a ballot makes decodeBallot throw DecodeError or verifyBallot return false, never true', () => {
    const outcomes = { decodeError: 0, invalid: 0 };
    fc.assert(
      fc.property(fc.nat(), positionArb, seedArb, (which, pos, seed) => {
        const m = pick(made, which);
        const nbits = 8 * m.bytes.length;
        const bit = pos.region === 'signature' ? nbits - 8 * 64 + pos.k : pos.k % nbits;
        const bad = flipBit(m.bytes, bit);
        let decoded: Ballot | undefined;
        if (decodeFails(() => (decoded = decodeBallot(bad, m.shapes)))) {
          outcomes.decodeError++;
          return;
        }
        // What decodes is canonical: it re-encodes to the very bytes.
        expect(equalBytes(encodeBallot(decoded!), bad)).toBe(true);
        expect(verifyBallot(bad, params(m), rngFor(seed, 'ballot-flip'))).toBe(false);
        outcomes.invalid++;
      }),
      runs(150),
    );
    // Both outcomes occur: the test exercises the decoder and the verifier.
    expect(outcomes.decodeError).toBeGreaterThan(0);
    expect(outcomes.invalid).toBeGreaterThan(0);
  });

  it('the honest ballots verify (the baseline of the mutation tests)', () => {
    for (const m of made) expect(verifyBallot(m.bytes, params(m))).toBe(true);
  });

  /** Re-encodes `b` with its signature redone by `signer` (a valid signature over the new body). */
  function resign(b: Omit<Ballot, 'signature'>, signer: KeyPair, rng: RandomSource): Uint8Array {
    const body = encodeBallotBody(b);
    const ctx = { fingerprint: b.fingerprint, binding: ballotBinding(signer.publicKey, []) };
    return encodeBallot({ ...b, signature: sign(signer.secret, signer.publicKey, body, ctx, rng) });
  }

  it('a ballot whose proofs are re-signed by another credential never verifies (proofs are bound to the credential)', () => {
    fc.assert(
      fc.property(fc.nat(), seedArb, (which, seed) => {
        const m = pick(made, which);
        const rng = rngFor(seed, 'ballot-steal');
        const thief = generateKeyPair(rng);
        const bytes = resign({ ...m.ballot, credential: thief.publicKey }, thief, rng);
        expect(verifyBallot(bytes, params(m), rng)).toBe(false);
      }),
      runs(15),
    );
  });

  /**
   * A ballot assembled slot by slot from arbitrary slot values in [0, slotMax]: honest slot proofs, and
   * for the sum the best a cheater can do, a proof claiming the nearest value inside [min, max].
   */
  function assemble(shapes: readonly AnswerShape[], values: readonly (readonly number[])[], fingerprint: Uint8Array, cred: KeyPair, rng: RandomSource): Uint8Array {
    const Y = election.prepared;
    const ctx = (path: number[]) => ({ fingerprint, binding: ballotBinding(cred.publicKey, path) });
    const answers = shapes.map((shape, q) => {
      const enc = values[q].map((m) => encryptFresh(Y, m, rng));
      const slots = enc.map((e) => e.ciphertext);
      const slotProofs = enc.map((e, i) =>
        proveRange({ Y, terms: [{ w: 1, E: e.ciphertext }], lo: 0, hi: shape.slotMax[i] }, { v: values[q][i], r: e.r }, ctx([1, q, i]), rng),
      );
      let sumProof: RangeProof | null = null;
      if (shape.sumProof) {
        const st: LinearStatement = { Y, terms: slots.map((E, i) => ({ w: shape.weights[i], E })), lo: shape.min, hi: shape.max };
        const actual = values[q].reduce((acc, m, i) => acc + m * shape.weights[i], 0);
        const wit = { v: Math.min(shape.max, Math.max(shape.min, actual)), r: mod(enc.reduce((acc, e, i) => acc + e.r * BigInt(shape.weights[i]), 0n)) };
        sumProof =
          rangeMethod(st.lo, st.hi) === 'disjunctive'
            ? { kind: 'disjunctive', proof: proveDisjunctive(st, wit, ctx([2, q]), rng) }
            : { kind: 'bits', proof: proveBits(st, wit, ctx([2, q]), rng) };
      }
      return { slots, slotProofs, sumProof };
    });
    return resign({ fingerprint, credential: cred.publicKey, answers }, cred, rng);
  }

  it('a ballot built slot by slot verifies exactly when every weighted sum lies in [min, max] (over- and under-votes fail)', () => {
    let cheats = 0;
    fc.assert(
      fc.property(
        seedArb,
        fc.array(fc.constantFrom(...KINDS).chain((k) => questionArb(k)), { minLength: 1, maxLength: 2 }),
        fc.array(fc.array(fc.nat(), { maxLength: 8 }), { minLength: 2, maxLength: 2 }),
        fc.array(fc.boolean(), { minLength: 2, maxLength: 2 }),
        (seed, questions, raw, breakIt) => {
          const shapes = ballotShape({ questions });
          const values = shapes.map((shape, q) => {
            const v = shape.slotMax.map((m, i) => (raw[q][i] ?? 0) % (m + 1));
            const sum = (xs: number[]) => xs.reduce((acc, x, i) => acc + x * shape.weights[i], 0);
            // Push a valid answer out of [min, max] when asked (possible exactly when a sum proof exists).
            if (breakIt[q] && shape.sumProof && sum(v) >= shape.min && sum(v) <= shape.max) {
              const top = shape.slotMax.slice();
              return sum(top) > shape.max ? top : top.map(() => 0);
            }
            return v;
          });
          const valid = shapes.every((shape, q) => {
            const total = values[q].reduce((acc, x, i) => acc + x * shape.weights[i], 0);
            return total >= shape.min && total <= shape.max;
          });
          if (!valid) cheats++;
          const rng = rngFor(seed, 'assemble');
          const fingerprint = rng(32);
          const bytes = assemble(shapes, values, fingerprint, generateKeyPair(rng), rng);
          expect(verifyBallot(bytes, { shapes, key: election.publicKey, fingerprint }, rng)).toBe(valid);
        },
      ),
      runs(16),
    );
    expect(cheats).toBeGreaterThan(1);
  });

  it('a ballot moved to another election (fingerprint replaced, re-signed) never verifies there', () => {
    fc.assert(
      fc.property(fc.nat(), seedArb, (which, seed) => {
        const m = pick(made, which);
        const rng = rngFor(seed, 'ballot-move');
        const other = rng(32);
        const bytes = resign({ ...m.ballot, fingerprint: other }, m.credential, rng);
        expect(verifyBallot(bytes, params(m, other), rng)).toBe(false);
        expect(verifyBallot(m.bytes, params(m, other), rng)).toBe(false);
      }),
      runs(15),
    );
  });
});
