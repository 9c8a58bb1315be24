/** Question kinds → answer shapes (spec §Q.1–Q.4): the numbers each kind gives, and every refusal. */
import { describe, expect, it } from 'vitest';
import { ShapeError, answerShape, answerValues, ballotShape, type Question } from '../../crypto/index.ts';

describe('answer shapes (§Q.2)', () => {
  it('gives each kind its slots, ranges, weights and sum range', () => {
    expect(answerShape({ kind: 'single', options: 3 })).toEqual({ slotMax: [1, 1, 1], weights: [1, 1, 1], min: 1, max: 1, blank: false, sumProof: true });
    expect(answerShape({ kind: 'multiple', options: 4, min: 0, max: 4 })).toMatchObject({ min: 0, max: 4, sumProof: false });
    expect(answerShape({ kind: 'multiple', options: 4, min: 1, max: 2, blank: true })).toEqual({
      slotMax: [1, 1, 1, 1, 1],
      weights: [1, 1, 1, 1, 2],
      min: 1,
      max: 2,
      blank: true,
      sumProof: true,
    });
    expect(answerShape({ kind: 'yes-no-abstain' })).toMatchObject({ slotMax: [1, 1, 1], min: 1, max: 1 });
    expect(answerShape({ kind: 'score', options: 2, maxScore: 5 })).toMatchObject({ slotMax: [5, 5], min: 0, max: 10, sumProof: false });
    expect(answerShape({ kind: 'cumulative', options: 3, points: 4 })).toMatchObject({ slotMax: [4, 4, 4], min: 0, max: 4, sumProof: true });
    expect(answerShape({ kind: 'budget', costs: [3, 5], budget: 6, blank: true })).toEqual({
      slotMax: [1, 1, 1],
      weights: [3, 5, 6],
      min: 0,
      max: 6,
      blank: true,
      sumProof: true,
    });
  });

  it('refuses questions that break the limits, naming the question', () => {
    const bad: Question[] = [
      { kind: 'single', options: 1 },
      { kind: 'single', options: 65 },
      { kind: 'multiple', options: 3, min: 2, max: 1 },
      { kind: 'multiple', options: 3, min: 0, max: 4 },
      { kind: 'multiple', options: 3, min: 0, max: 0 },
      { kind: 'score', options: 2, maxScore: 0 },
      { kind: 'score', options: 2, maxScore: 1.5 },
      { kind: 'cumulative', options: 3, points: 1001 },
      { kind: 'budget', costs: [], budget: 5 },
      { kind: 'budget', costs: [0, 3], budget: 5 },
      { kind: 'budget', costs: [3], budget: 0 },
      { kind: 'poll' } as unknown as Question,
    ];
    for (const q of bad) expect(() => ballotShape({ questions: [{ kind: 'yes-no-abstain' }, q] }), JSON.stringify(q)).toThrow(/^question 2: /);
    expect(() => ballotShape({ questions: [] })).toThrow(ShapeError);
    expect(() => ballotShape({ questions: Array(33).fill({ kind: 'yes-no-abstain' }) })).toThrow(/1 to 32 questions/);
  });
});

describe('answers (§Q.4)', () => {
  const single = answerShape({ kind: 'single', options: 3, blank: true });
  const budget = answerShape({ kind: 'budget', costs: [3, 5, 4], budget: 8 });

  it('turns valid answers into slot values, the blank slot last', () => {
    expect(answerValues(single, { values: [0, 1, 0] })).toEqual([0, 1, 0, 0]);
    expect(answerValues(single, { blank: true })).toEqual([0, 0, 0, 1]);
    expect(answerValues(budget, { values: [1, 1, 0] })).toEqual([1, 1, 0]);
    expect(answerValues(budget, { values: [0, 0, 0] })).toEqual([0, 0, 0]);
  });

  it('refuses answers the proofs could not prove, saying why', () => {
    expect(() => answerValues(single, { values: [1, 1, 0] })).toThrow(/the total 2 is outside \[1, 1\]/);
    expect(() => answerValues(single, { values: [0, 0, 0] })).toThrow(/the total 0 is outside/);
    expect(() => answerValues(single, { values: [0, 2, 0] })).toThrow(/option 2: 2 is not an integer from 0 to 1/);
    expect(() => answerValues(single, { values: [0, -1, 1] })).toThrow(/option 2: -1/);
    expect(() => answerValues(single, { values: [0, 1] })).toThrow(/expected 3 values/);
    expect(() => answerValues(budget, { values: [1, 1, 1] })).toThrow(/the total 12 is outside \[0, 8\]/);
    expect(() => answerValues(budget, { blank: true })).toThrow(/no blank vote/);
  });

  it('counts only exactly { blank: true } as a blank vote (untrusted JSON)', () => {
    const sneaky = [{ blank: false, values: [0, 1, 0] }, { blank: 'yes' }, { blank: true, values: [0, 1, 0] }, null, 'blank'];
    for (const a of sneaky) expect(() => answerValues(single, a as never), JSON.stringify(a)).toThrow(ShapeError);
  });
});

describe('the election key (§Q.5.0)', () => {
  it('is refused when it is the identity, both to encrypt and to verify', async () => {
    const c = await import('../../crypto/index.ts');
    const rng = c.seededRandom('identity key');
    const shape = { questions: [{ kind: 'yes-no-abstain' as const }] };
    const credential = c.generateKeyPair(rng);
    const fingerprint = rng(32);
    expect(() => c.createBallot({ shape, key: c.IDENTITY, fingerprint, credential, answers: [{ values: [1, 0, 0] }] }, rng)).toThrow(/identity/);
    const made = c.createBallot({ shape, key: c.generateKeyPair(rng).publicKey, fingerprint, credential, answers: [{ values: [1, 0, 0] }] }, rng);
    expect(() => c.verifyBallot(made.bytes, { shapes: c.ballotShape(shape), key: c.IDENTITY, fingerprint })).toThrow(/identity/);
  });
});
