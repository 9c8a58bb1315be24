/**
 * Shared arbitraries and helpers for the property tests. Every random choice the crypto code makes
 * is drawn from `seededRandom(seed)` with an fc-generated seed, so a counterexample reproduces exactly.
 */
import fc from 'fast-check';
import {
  DecodeError,
  G,
  L,
  answerShape,
  encrypt,
  generateKeyPair,
  mulPublic,
  prepareKey,
  randomScalar,
  seededRandom,
  type Answer,
  type AnswerShape,
  type KeyPair,
  type LinearStatement,
  type LinearWitness,
  type Point,
  type ProofContext,
  type Question,
  type RandomSource,
} from '../../crypto/index.ts';

/** The fast-check seed of every property; override with FC_SEED=n to explore other runs. */
export const SEED = Number(process.env.FC_SEED ?? 0x6f6e67);

/** fc.assert parameters: a fixed seed and a run count. */
export function runs(numRuns: number): { numRuns: number; seed: number } {
  return { numRuns, seed: SEED };
}

/** A seed string for `seededRandom`. */
export const seedArb: fc.Arbitrary<string> = fc.string({ minLength: 1, maxLength: 16 });

/** A fresh deterministic random source for one property run. */
export function rngFor(seed: string, label: string): RandomSource {
  return seededRandom(`gongshi-property/${label}/${seed}`);
}

/** A uniformly random point (x·G for a fresh scalar x). */
export function randomPoint(rng: RandomSource): Point {
  return mulPublic(G, randomScalar(rng));
}

/** A proof context: 32-byte fingerprint, binding of 1..40 bytes (so a byte of each can be flipped). */
export function randomContext(rng: RandomSource): ProofContext {
  const len = 1 + (rng(1)[0] % 40);
  return { fingerprint: rng(32), binding: rng(len) };
}

/** A copy of `b` with bit `bit` (mod 8·length) flipped. */
export function flipBit(b: Uint8Array, bit: number): Uint8Array {
  const out = b.slice();
  const i = bit % (8 * out.length);
  out[i >> 3] ^= 1 << (i & 7);
  return out;
}

/** The context with one bit of the fingerprint flipped. */
export function flipFingerprint(ctx: ProofContext, bit: number): ProofContext {
  return { fingerprint: flipBit(ctx.fingerprint, bit), binding: ctx.binding };
}

/** The context with one bit of the binding flipped. */
export function flipBinding(ctx: ProofContext, bit: number): ProofContext {
  return { fingerprint: ctx.fingerprint, binding: flipBit(ctx.binding, bit) };
}

/** s + 1 mod ℓ. */
export function bump(s: bigint): bigint {
  return (s + 1n) % L;
}

/** True when `f` throws a DecodeError; rethrows anything else. */
export function decodeFails(f: () => unknown): boolean {
  try {
    f();
    return false;
  } catch (e) {
    if (e instanceof DecodeError) return true;
    throw e;
  }
}

export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/** One election key per test file: `prepareKey` builds a 26 ms table, worth sharing. */
export function electionKey(label: string): KeyPair & { readonly prepared: Point } {
  const kp = generateKeyPair(seededRandom(`gongshi-property/election-key/${label}`));
  return { ...kp, prepared: prepareKey(mulPublic(G, kp.secret)) };
}

// ---------------------------------------------------------------------------------------------
// Questions and answers. Sizes are kept small: a slot over [0, m] costs a proof with m + 1 branches
// (m ≤ 15) or 2·log2(m) bit proofs, and the suite must stay fast.

export type Kind = Question['kind'];
export const KINDS: readonly Kind[] = ['single', 'multiple', 'yes-no-abstain', 'score', 'cumulative', 'budget'];

/** A valid question of the given kind; `withBlank` fixes the blank option, else it is random. */
export function questionArb(kind: Kind, withBlank?: boolean): fc.Arbitrary<Question> {
  const blank = withBlank === undefined ? fc.boolean() : fc.constant(withBlank);
  switch (kind) {
    case 'single':
      return fc.record({ kind: fc.constant('single' as const), options: fc.integer({ min: 2, max: 5 }), blank });
    case 'multiple':
      return fc
        .record({ options: fc.integer({ min: 1, max: 5 }), a: fc.nat(), b: fc.nat(), blank })
        .map(({ options, a, b, blank }) => {
          const min = a % (options + 1);
          const lo = Math.max(1, min);
          const max = lo + (b % (options - lo + 1));
          return { kind: 'multiple' as const, options, min, max, blank };
        });
    case 'yes-no-abstain':
      return fc.constant({ kind: 'yes-no-abstain' as const });
    case 'score':
      return fc.record({
        kind: fc.constant('score' as const),
        options: fc.integer({ min: 1, max: 3 }),
        // ≤ 15 gives disjunctive slot proofs, above gives bit proofs.
        maxScore: fc.oneof(fc.integer({ min: 1, max: 15 }), fc.integer({ min: 16, max: 40 })),
        blank,
      });
    case 'cumulative':
      return fc.record({
        kind: fc.constant('cumulative' as const),
        options: fc.integer({ min: 2, max: 3 }),
        points: fc.oneof(fc.integer({ min: 1, max: 15 }), fc.integer({ min: 16, max: 60 })),
        blank,
      });
    case 'budget':
      return fc
        .record({
          costs: fc.array(fc.oneof(fc.integer({ min: 1, max: 20 }), fc.integer({ min: 1, max: 5000 })), { minLength: 1, maxLength: 4 }),
          frac: fc.double({ min: 0.05, max: 1.5, noNaN: true }),
          blank,
        })
        .map(({ costs, frac, blank }) => {
          const total = costs.reduce((s, c) => s + c, 0);
          return { kind: 'budget' as const, costs, budget: Math.max(1, Math.round(total * frac)), blank };
        });
  }
}

/**
 * A valid answer for `shape` built from raw per-slot draws: each draw is clamped to its slot's range,
 * then the values are lowered until Σ wᵢ·vᵢ ≤ max and raised (from a random start) until it reaches min.
 * Works for every kind because either all weights are 1 or min is 0.
 */
export function answerArb(shape: AnswerShape): fc.Arbitrary<Answer> {
  const options = shape.slotMax.length - (shape.blank ? 1 : 0);
  const values = fc
    .record({ raw: fc.array(fc.nat(), { minLength: options, maxLength: options }), start: fc.nat() })
    .map(({ raw, start }): Answer => {
      const v = raw.map((x, i) => x % (shape.slotMax[i] + 1));
      let sum = 0;
      for (let i = 0; i < options; i++) {
        const w = shape.weights[i];
        v[i] = Math.max(0, Math.min(v[i], Math.floor((shape.max - sum) / w)));
        sum += v[i] * w;
      }
      for (let k = 0; k < options && sum < shape.min; k++) {
        const i = (start + k) % options;
        while (v[i] < shape.slotMax[i] && sum < shape.min && sum + shape.weights[i] <= shape.max) {
          v[i]++;
          sum += shape.weights[i];
        }
      }
      return { values: v };
    });
  return shape.blank ? fc.oneof(values, fc.constant({ blank: true } as const)) : values;
}

/** A question with a valid answer to it. */
export function questionWithAnswerArb(kind: Kind, withBlank?: boolean): fc.Arbitrary<{ question: Question; answer: Answer }> {
  return questionArb(kind, withBlank).chain((question) => answerArb(answerShape(question)).map((answer) => ({ question, answer })));
}

/** Slot values an answer becomes (what an honest ballot encrypts). */
export function expectedValues(shape: AnswerShape, answer: Answer): number[] {
  const options = shape.slotMax.length - (shape.blank ? 1 : 0);
  if ('blank' in answer) return [...Array<number>(options).fill(0), 1];
  return shape.blank ? [...answer.values, 0] : [...answer.values];
}

// ---------------------------------------------------------------------------------------------
// Linear range statements: E = Σ wᵢ·Enc(mᵢ), value v = Σ wᵢ·mᵢ, and a range [lo, hi] around v.

export interface RangeCase {
  readonly seed: string;
  readonly terms: readonly { readonly w: number; readonly m: number }[];
  /** hi − lo. */
  readonly span: number;
  /** How far below v the range starts (clamped to [0, min(v, span)]). */
  readonly below: number;
}

/** Spans on both sides of the method switch (span + 1 ≤ 16 is disjunctive), powers of two minus one included. */
export function spanArb(maxSpan: number): fc.Arbitrary<number> {
  return fc.oneof(
    fc.integer({ min: 0, max: 15 }),
    fc.integer({ min: 16, max: Math.min(300, maxSpan) }),
    fc.constantFrom(...[14, 15, 16, 17, 31, 32, 63, 255, 256, 1023].filter((s) => s <= maxSpan)),
    fc.integer({ min: Math.min(1000, maxSpan), max: maxSpan }),
  );
}

export function rangeCaseArb(maxSpan: number): fc.Arbitrary<RangeCase> {
  return fc.record({
    seed: seedArb,
    terms: fc.array(fc.record({ w: fc.integer({ min: 1, max: 5 }), m: fc.integer({ min: 0, max: 300 }) }), { minLength: 1, maxLength: 3 }),
    span: spanArb(maxSpan),
    below: fc.nat(),
  });
}

/** The statement, witness and context of a range case, under a fresh key; values lie in [lo, hi]. */
export function buildRange(rc: RangeCase, rng: RandomSource): { st: LinearStatement; wit: LinearWitness; ctx: ProofContext; v: number } {
  const Y = randomPoint(rng);
  const terms = rc.terms.map(({ w, m }) => {
    const r = randomScalar(rng);
    return { w, E: encrypt(Y, m, r), r };
  });
  const v = rc.terms.reduce((s, t) => s + t.w * t.m, 0);
  const r = terms.reduce((s, t) => (s + BigInt(t.w) * t.r) % L, 0n);
  const lo = v - (rc.below % (Math.min(v, rc.span) + 1));
  const st: LinearStatement = { Y, terms: terms.map(({ w, E }) => ({ w, E })), lo, hi: lo + rc.span };
  return { st, wit: { v, r }, ctx: randomContext(rng), v };
}
