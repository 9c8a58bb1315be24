/** Completeness: every honestly made proof and ballot verifies. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  BatchCheck,
  DISJUNCTIVE_MAX_SPAN,
  DirectCheck,
  DiscreteLog,
  G,
  ballotShape,
  ballotTracker,
  checkOpening,
  createBallot,
  decodeBallot,
  decrypt,
  generateKeyPair,
  knowledgeEquations,
  mulSecret,
  proveDleq,
  proveKnowledge,
  proveRange,
  randomScalar,
  rangeEquations,
  rangeMethod,
  sign,
  signatureEquations,
  verifyBallot,
  verifyDleq,
  verifyKnowledge,
  verifySignature,
  type BallotShape,
} from '../../crypto/index.ts';
import {
  KINDS,
  buildRange,
  electionKey,
  expectedValues,
  questionWithAnswerArb,
  randomContext,
  randomPoint,
  rangeCaseArb,
  rngFor,
  runs,
  seedArb,
  type Kind,
} from './support.ts';

describe('completeness of the proofs', () => {
  it('§P1: proveKnowledge(x, x·G) always verifies, directly and batched', () => {
    fc.assert(
      fc.property(seedArb, (seed) => {
        const rng = rngFor(seed, 'p1');
        const x = randomScalar(rng);
        const X = mulSecret(G, x);
        const ctx = randomContext(rng);
        const proof = proveKnowledge(x, X, ctx, rng);
        expect(verifyKnowledge(X, proof, ctx)).toBe(true);
        const batch = new BatchCheck(rng);
        knowledgeEquations(X, proof, ctx, batch);
        expect(batch.result()).toBe(true);
      }),
      runs(60),
    );
  });

  it('§P6: sign(x, x·G, message) always verifies for any message, directly and batched', () => {
    fc.assert(
      fc.property(seedArb, fc.uint8Array({ maxLength: 300 }), (seed, message) => {
        const rng = rngFor(seed, 'p6');
        const { secret, publicKey } = generateKeyPair(rng);
        const ctx = randomContext(rng);
        const sig = sign(secret, publicKey, message, ctx, rng);
        expect(verifySignature(publicKey, message, sig, ctx)).toBe(true);
        const batch = new BatchCheck(rng);
        signatureEquations(publicKey, message, sig, ctx, batch);
        expect(batch.result()).toBe(true);
      }),
      runs(60),
    );
  });

  it('§P2: proveDleq for X1 = x·B1, X2 = x·B2 always verifies (random bases, B1 = G included)', () => {
    fc.assert(
      fc.property(seedArb, fc.boolean(), (seed, baseIsG) => {
        const rng = rngFor(seed, 'p2');
        const B1 = baseIsG ? G : randomPoint(rng);
        const B2 = randomPoint(rng);
        const x = randomScalar(rng);
        const st = { B1, X1: mulSecret(B1, x), B2, X2: mulSecret(B2, x) };
        const ctx = randomContext(rng);
        expect(verifyDleq(st, proveDleq(st, x, ctx, rng), ctx)).toBe(true);
      }),
      runs(60),
    );
  });

  it('§P3/§P4: proveRange for any value in any [lo, hi] verifies, with the method rangeMethod prescribes', () => {
    const seen = { disjunctive: 0, bits: 0 };
    fc.assert(
      fc.property(rangeCaseArb(3000), (rc) => {
        const rng = rngFor(rc.seed, 'range');
        const { st, wit, ctx } = buildRange(rc, rng);
        expect(wit.v).toBeGreaterThanOrEqual(st.lo);
        expect(wit.v).toBeLessThanOrEqual(st.hi);
        const proof = proveRange(st, wit, ctx, rng);
        const method = st.hi - st.lo + 1 <= DISJUNCTIVE_MAX_SPAN ? 'disjunctive' : 'bits';
        expect(rangeMethod(st.lo, st.hi)).toBe(method);
        expect(proof.kind).toBe(method);
        seen[proof.kind]++;
        if (proof.kind === 'bits') {
          // P4.1 layout: K = bit length of hi − lo per half; the upper half unless hi − lo + 1 = 2^K.
          const span = st.hi - st.lo;
          const K = span.toString(2).length;
          expect(proof.proof.lower.length).toBe(K);
          expect(proof.proof.upper.length).toBe(span + 1 === 2 ** K ? 0 : K);
        }
        const direct = new DirectCheck();
        rangeEquations(st, proof, ctx, direct);
        expect(direct.result()).toBe(true);
        const batch = new BatchCheck(rng);
        rangeEquations(st, proof, ctx, batch);
        expect(batch.result()).toBe(true);
      }),
      runs(30),
    );
    expect(seen.disjunctive).toBeGreaterThan(0);
    expect(seen.bits).toBeGreaterThan(0);
  });
});

describe('completeness of ballots', () => {
  const election = electionKey('completeness');
  const dlog = new DiscreteLog(1100);

  const cases: [Kind, boolean][] = KINDS.flatMap((k): [Kind, boolean][] => (k === 'yes-no-abstain' ? [[k, false]] : [[k, false], [k, true]]));

  it.each(cases)('createBallot(%s, blank=%s) with any valid answer verifies, decrypts to the answer and opens', (kind, withBlank) => {
    fc.assert(
      fc.property(
        seedArb,
        questionWithAnswerArb(kind, withBlank),
        fc.option(fc.constantFrom(...KINDS).chain((k) => questionWithAnswerArb(k)), { freq: 3 }),
        (seed, main, extra) => {
          const rng = rngFor(seed, 'ballot');
          const qas = extra === null ? [main] : [main, extra];
          const shape: BallotShape = { questions: qas.map((qa) => qa.question) };
          const shapes = ballotShape(shape);
          const fingerprint = rng(32);
          const credential = generateKeyPair(rng);
          const made = createBallot(
            { shape, key: election.prepared, fingerprint, credential, answers: qas.map((qa) => qa.answer) },
            rng,
          );
          const params = { shapes, key: election.publicKey, fingerprint };
          expect(verifyBallot(made.bytes, params, rng)).toBe(true);
          expect(made.tracker).toEqual(ballotTracker(made.bytes));
          // The slots encrypt exactly the answer's values, and the opening says so too.
          const expected = qas.map((qa, q) => expectedValues(shapes[q], qa.answer));
          expect(made.opening.values).toEqual(expected);
          const ballot = decodeBallot(made.bytes, shapes);
          const decrypted = ballot.answers.map((a) => a.slots.map((ct) => decrypt(ct, election.secret, dlog)));
          expect(decrypted).toEqual(expected);
          expect(checkOpening(ballot, made.opening, shapes, election.publicKey)).toBe(true);
        },
      ),
      runs(4),
    );
  });
});
