/**
 * docs/security.md §A5: out-of-range slots (2, −1 ≡ ℓ − 1), over-votes and under-votes whose every slot is
 * valid, scores above the top, budgets over budget, and a blank vote with a choice. createBallot
 * refuses all of these, so each ballot is built by hand with the best cheating prover in helpers.ts:
 * every equation holds except one, which is the one that catches the lie. Each ballot must fail
 * verifyBallot, verifyBallotDirect, and be named alone by verifyBallots in a batch of honest ballots.
 */
import { describe, expect, it } from 'vitest';
import {
  DirectCheck,
  G,
  L,
  ShapeError,
  ballotShape,
  createBallot,
  decodeBallot,
  disjunctiveEquations,
  generateKeyPair,
  mulSecret,
  randomScalar,
  seededRandom,
  verifyBallot,
  verifyBallotDirect,
  verifyBallots,
  type Answer,
  type BallotShape,
  type LinearStatement,
} from '../../crypto/index.ts';
import { TallyCheck, ballotContext, cheatDisjunctive, encryptScalar, failingEquations, failingProofs, forgeBallot, makePoll } from './helpers.ts';

interface Case {
  /** The test name: what the ballot does wrong. */
  readonly name: string;
  readonly shape: BallotShape;
  /** Two honest answers: one for createBallot, one for the attack builder (a positive control). */
  readonly honest: readonly [Answer, Answer];
  /** The slot values of the bad ballot, one question. */
  readonly values: readonly number[];
  /** The proofs that must fail, as failingProofs names them. */
  readonly caught: readonly string[];
  /** The same answer as createBallot would take it, to show that the honest client refuses it. */
  readonly refused?: Answer;
}

const single3 = { questions: [{ kind: 'single', options: 3 }] } satisfies BallotShape;
const multi3 = { questions: [{ kind: 'multiple', options: 3, min: 0, max: 3 }] } satisfies BallotShape;

const CASES: readonly Case[] = [
  {
    name: 'rejects value 2 in a 0/1 slot (no sum proof to help: any number of options may be chosen)',
    shape: multi3,
    honest: [{ values: [1, 1, 1] }, { values: [0, 0, 0] }],
    values: [2, 0, 0],
    caught: ['slot 0.0'],
    refused: { values: [2, 0, 0] },
  },
  {
    name: 'rejects value −1 (ℓ − 1) in a 0/1 slot',
    shape: multi3,
    honest: [{ values: [1, 0, 1] }, { values: [0, 1, 0] }],
    values: [0, -1, 0],
    caught: ['slot 0.1'],
    refused: { values: [0, -1, 0] },
  },
  {
    name: 'rejects 1 + 1 − 1 in a single-choice question, although its sum proof is genuine',
    shape: single3,
    honest: [{ values: [1, 0, 0] }, { values: [0, 0, 1] }],
    values: [1, 1, -1],
    caught: ['slot 0.2'],
  },
  {
    name: 'rejects 2 − 1 in a single-choice question (sum 1)',
    shape: single3,
    honest: [{ values: [1, 0, 0] }, { values: [0, 1, 0] }],
    values: [2, -1, 0],
    caught: ['slot 0.0', 'slot 0.1'],
  },
  {
    name: 'rejects two options chosen in a single-choice question: every slot valid, sum over max',
    shape: single3,
    honest: [{ values: [0, 1, 0] }, { values: [0, 0, 1] }],
    values: [1, 1, 0],
    caught: ['sum 0'],
    refused: { values: [1, 1, 0] },
  },
  {
    name: 'rejects nothing chosen when min = 1: every slot valid, sum under min',
    shape: single3,
    honest: [{ values: [1, 0, 0] }, { values: [0, 0, 1] }],
    values: [0, 0, 0],
    caught: ['sum 0'],
    refused: { values: [0, 0, 0] },
  },
  {
    name: 'rejects all three options in a "choose 1 to 2" question',
    shape: { questions: [{ kind: 'multiple', options: 3, min: 1, max: 2 }] },
    honest: [{ values: [1, 1, 0] }, { values: [0, 0, 1] }],
    values: [1, 1, 1],
    caught: ['sum 0'],
    refused: { values: [1, 1, 1] },
  },
  {
    name: 'rejects yes and no both chosen in a yes/no/abstain question',
    shape: { questions: [{ kind: 'yes-no-abstain' }] },
    honest: [{ values: [1, 0, 0] }, { values: [0, 0, 1] }],
    values: [1, 1, 0],
    caught: ['sum 0'],
  },
  {
    name: 'rejects a score above the top score R (one branch per value, §P3)',
    shape: { questions: [{ kind: 'score', options: 2, maxScore: 3 }] },
    honest: [{ values: [3, 0] }, { values: [1, 2] }],
    values: [4, 0],
    caught: ['slot 0.0'],
    refused: { values: [4, 0] },
  },
  {
    name: 'rejects a score above the top score R (bit decomposition, §P4, lower half honest)',
    shape: { questions: [{ kind: 'score', options: 1, maxScore: 20 }] },
    honest: [{ values: [20] }, { values: [7] }],
    values: [21],
    caught: ['slot 0.0'],
    refused: { values: [21] },
  },
  {
    name: 'rejects a negative score (bit decomposition, upper half honest)',
    shape: { questions: [{ kind: 'score', options: 1, maxScore: 20 }] },
    honest: [{ values: [0] }, { values: [19] }],
    values: [-1],
    caught: ['slot 0.0'],
    refused: { values: [-1] },
  },
  {
    name: 'rejects cumulative points over the total: every slot valid, sum over max',
    shape: { questions: [{ kind: 'cumulative', options: 3, points: 5 }] },
    honest: [{ values: [5, 0, 0] }, { values: [1, 2, 2] }],
    values: [3, 3, 0],
    caught: ['sum 0'],
    refused: { values: [3, 3, 0] },
  },
  {
    name: 'rejects a budget question over budget (bit-decomposition sum proof, §P4)',
    shape: { questions: [{ kind: 'budget', costs: [30, 50, 40], budget: 100 }] },
    honest: [{ values: [1, 1, 0] }, { values: [0, 1, 1] }],
    values: [1, 1, 1],
    caught: ['sum 0'],
    refused: { values: [1, 1, 1] },
  },
  {
    name: 'rejects a budget ballot that frees money with a −1 project (sum within budget)',
    shape: { questions: [{ kind: 'budget', costs: [60, 50, 40], budget: 100 }] },
    honest: [{ values: [1, 0, 1] }, { values: [0, 1, 1] }],
    values: [1, 1, -1],
    caught: ['slot 0.2'],
  },
  {
    name: 'rejects a blank vote together with a chosen option (single choice)',
    shape: { questions: [{ kind: 'single', options: 3, blank: true }] },
    honest: [{ blank: true }, { values: [0, 1, 0] }],
    values: [1, 0, 0, 1],
    caught: ['sum 0'],
  },
  {
    name: 'rejects a blank vote together with a chosen option (multiple choice, max 2)',
    shape: { questions: [{ kind: 'multiple', options: 3, min: 0, max: 2, blank: true }] },
    honest: [{ blank: true }, { values: [1, 0, 1] }],
    values: [0, 1, 0, 1],
    caught: ['sum 0'],
  },
];

describe('out-of-range ballots (A5)', () => {
  const rng = seededRandom('attacks/out-of-range');
  const voter = generateKeyPair(rng);
  const others = [generateKeyPair(rng), generateKeyPair(rng)];

  for (const c of CASES) {
    it(c.name, () => {
      const poll = makePoll(c.shape, rng, c.name);
      if (c.refused) {
        const refused = c.refused;
        expect(() => createBallot({ shape: c.shape, key: poll.key, fingerprint: poll.fingerprint, credential: voter, answers: [refused] }, rng)).toThrow(
          ShapeError,
        );
      }
      const honest = createBallot({ shape: c.shape, key: poll.key, fingerprint: poll.fingerprint, credential: others[0], answers: [c.honest[0]] }, rng).bytes;
      // Positive control: the same builder, fed an honest answer's values, makes a valid ballot.
      const control = forgeBallot(poll, others[1], [honestValues(c.honest[1], poll.shapes[0].slotMax.length)], rng).bytes;
      expect(verifyBallot(control, poll.params)).toBe(true);

      const bad = forgeBallot(poll, voter, [c.values.map(BigInt)], rng);
      // The attempt is as good as a cheater gets: every equation holds but one per lying proof.
      expect(failingEquations(bad.bytes, poll.params).failures).toBe(c.caught.length);
      expect(failingProofs(bad.bytes, poll)).toEqual(c.caught);
      // And every verifier refuses it.
      expect(verifyBallot(bad.bytes, poll.params)).toBe(false);
      expect(verifyBallotDirect(bad.bytes, poll.params)).toBe(false);
      expect(verifyBallots([honest, bad.bytes, control], poll.params)).toEqual([true, false, true]);
    });
  }

  it('the sum range comes from the verifier’s shape, never from the ballot (T-A5b)', () => {
    // Same byte layout (a two-branch sum proof), different [min, max]: [1, 2] for the ballot, [0, 1] for the poll.
    const loose = makePoll({ questions: [{ kind: 'multiple', options: 3, min: 1, max: 2 }] }, rng, 'loose');
    const strict = { ...loose.params, shapes: ballotShape({ questions: [{ kind: 'multiple', options: 3, min: 0, max: 1 }] }) };
    const b = createBallot({ shape: loose.shape, key: loose.key, fingerprint: loose.fingerprint, credential: voter, answers: [{ values: [1, 1, 0] }] }, rng);
    expect(verifyBallot(b.bytes, loose.params)).toBe(true);
    expect(() => decodeBallot(b.bytes, strict.shapes)).not.toThrow();
    expect(verifyBallot(b.bytes, strict)).toBe(false);
    expect(verifyBallotDirect(b.bytes, strict)).toBe(false);
  });
});

describe('the best cheating 0/1 proof, branch by branch', () => {
  const rng = seededRandom('attacks/out-of-range/branches');
  const poll = makePoll(single3, rng, 'branches');
  const ctx = ballotContext(poll.fingerprint, generateKeyPair(rng).publicKey, [1, 0, 0]);

  for (const [label, v] of [
    ['2', 2n],
    ['−1 (ℓ − 1)', L - 1n],
    ['7', 7n],
  ] as const) {
    for (const claim of [0, 1]) {
      it(`rejects a 0/1 proof for an encryption of ${label} that pretends to be ${claim}`, () => {
        const r = randomScalar(rng);
        const E = encryptScalar(poll.key, v, r);
        expect(E.beta.equals(mulSecret(G, v).add(mulSecret(poll.key, r)))).toBe(true);
        const st: LinearStatement = { Y: poll.key, terms: [{ w: 1, E }], lo: 0, hi: 1 };
        const proof = cheatDisjunctive(st, claim, r, ctx, rng);
        const tally = new TallyCheck();
        disjunctiveEquations(st, proof, ctx, tally);
        // 4 equations: only the β equation of the pretended branch fails.
        expect(tally.verdicts).toEqual([0, 1].flatMap((j) => [true, j !== claim]));
        const direct = new DirectCheck();
        disjunctiveEquations(st, proof, ctx, direct);
        expect(direct.result()).toBe(false);
      });
    }
  }
});

/** The slot values of an honest answer (options, then the blank slot if any). */
function honestValues(a: Answer, slots: number): bigint[] {
  if ('blank' in a) return [...Array(slots - 1).fill(0n), 1n];
  return [...a.values.map(BigInt), ...Array(slots - a.values.length).fill(0n)];
}
