/**
 * Question kinds, and the numeric shape each one gives its encrypted answer: slots, per-slot ranges,
 * weights and the range of the weighted sum. Spec §Q.
 */

/** A question as the ballot sees it: counts and limits only (texts live in the manifest, §B). */
export type Question =
  | { readonly kind: 'single'; readonly options: number; readonly blank?: boolean }
  | { readonly kind: 'multiple'; readonly options: number; readonly min: number; readonly max: number; readonly blank?: boolean }
  | { readonly kind: 'yes-no-abstain' }
  | { readonly kind: 'score'; readonly options: number; readonly maxScore: number; readonly blank?: boolean }
  | { readonly kind: 'cumulative'; readonly options: number; readonly points: number; readonly blank?: boolean }
  | { readonly kind: 'budget'; readonly costs: readonly number[]; readonly budget: number; readonly blank?: boolean };

export interface BallotShape {
  readonly questions: readonly Question[];
}

/**
 * Q.2 the shape of one encrypted answer. Slots are the options, then the blank slot if any.
 * Slot i holds a value in [0, slotMax[i]]; Σ weights[i]·valueᵢ must lie in [min, max] and is proved
 * only when `sumProof` (when the per-slot ranges do not already imply it).
 */
export interface AnswerShape {
  readonly slotMax: readonly number[];
  readonly weights: readonly number[];
  readonly min: number;
  readonly max: number;
  readonly blank: boolean;
  readonly sumProof: boolean;
}

/** A voter's answer: one value per option, or a blank vote where the question allows it. */
export type Answer = { readonly blank: true } | { readonly values: readonly number[] };

/** Q.1 limits that keep every ballot small and every tally decodable. */
export const LIMITS = { questions: 32, options: 64, maxScore: 100, points: 1000, cost: 1_000_000, budget: 1_000_000_000 } as const;

/** A question or answer that breaks the rules; names the question (0-based) in its message. */
export class ShapeError extends Error {
  /** `question` is 0-based, or −1 when the error is about the ballot as a whole. */
  constructor(
    readonly question: number,
    message: string,
  ) {
    super(question < 0 ? message : `question ${question + 1}: ${message}`);
    this.name = 'ShapeError';
  }
}

function intIn(x: unknown, lo: number, hi: number): x is number {
  return typeof x === 'number' && Number.isSafeInteger(x) && x >= lo && x <= hi;
}

/** Q.2 the answer shape of question q; throws ShapeError when the question breaks Q.1. */
export function answerShape(question: Question, q = 0): AnswerShape {
  const fail = (m: string): never => {
    throw new ShapeError(q, m);
  };
  let slotMax: number[];
  let weights: number[];
  let min: number;
  let max: number;
  let blank = question.kind !== 'yes-no-abstain' && question.blank === true;
  switch (question.kind) {
    case 'single':
      if (!intIn(question.options, 2, LIMITS.options)) fail(`a single-choice question has 2 to ${LIMITS.options} options`);
      slotMax = Array(question.options).fill(1);
      weights = Array(question.options).fill(1);
      [min, max] = [1, 1];
      break;
    case 'multiple':
      if (!intIn(question.options, 1, LIMITS.options)) fail(`a multiple-choice question has 1 to ${LIMITS.options} options`);
      if (!intIn(question.min, 0, question.options) || !intIn(question.max, Math.max(1, question.min), question.options))
        fail('needs 0 ≤ min ≤ max ≤ options and max ≥ 1');
      slotMax = Array(question.options).fill(1);
      weights = Array(question.options).fill(1);
      [min, max] = [question.min, question.max];
      break;
    case 'yes-no-abstain':
      slotMax = [1, 1, 1];
      weights = [1, 1, 1];
      [min, max] = [1, 1];
      blank = false;
      break;
    case 'score':
      if (!intIn(question.options, 1, LIMITS.options)) fail(`a score question has 1 to ${LIMITS.options} options`);
      if (!intIn(question.maxScore, 1, LIMITS.maxScore)) fail(`the top score is 1 to ${LIMITS.maxScore}`);
      slotMax = Array(question.options).fill(question.maxScore);
      weights = Array(question.options).fill(1);
      [min, max] = [0, question.options * question.maxScore];
      break;
    case 'cumulative':
      if (!intIn(question.options, 2, LIMITS.options)) fail(`a cumulative question has 2 to ${LIMITS.options} options`);
      if (!intIn(question.points, 1, LIMITS.points)) fail(`the points to spread are 1 to ${LIMITS.points}`);
      slotMax = Array(question.options).fill(question.points);
      weights = Array(question.options).fill(1);
      [min, max] = [0, question.points];
      break;
    case 'budget':
      if (!Array.isArray(question.costs) || !intIn(question.costs.length, 1, LIMITS.options))
        fail(`a budget question has 1 to ${LIMITS.options} projects`);
      if (!question.costs.every((c) => intIn(c, 1, LIMITS.cost))) fail(`every cost is an integer from 1 to ${LIMITS.cost}`);
      if (!intIn(question.budget, 1, LIMITS.budget)) fail(`the budget is an integer from 1 to ${LIMITS.budget}`);
      slotMax = question.costs.map(() => 1);
      weights = [...question.costs];
      [min, max] = [0, question.budget];
      break;
    default:
      return fail(`unknown question kind ${JSON.stringify((question as { kind: unknown }).kind)}`);
  }
  // Q.2.1 the blank slot: value 0 or 1, weight max, so that Σ + max·b ∈ [min, max] forces every option
  // to 0 when b = 1 and leaves [min, max] as it was when b = 0.
  if (blank) {
    slotMax.push(1);
    weights.push(max);
  }
  const reach = slotMax.reduce((s, m, i) => s + m * weights[i], 0);
  if (min > reach) fail('no answer can reach the minimum');
  // Q.2.2 a sum proof unless the per-slot ranges already imply Σ ∈ [min, max].
  const sumProof = blank || min > 0 || max < reach;
  return { slotMax, weights, min, max, blank, sumProof };
}

/** Q.3 checks a whole ballot shape and returns the answer shape of each question. */
export function ballotShape(shape: BallotShape): AnswerShape[] {
  if (!Array.isArray(shape?.questions) || !intIn(shape.questions.length, 1, LIMITS.questions))
    throw new ShapeError(-1, `a ballot has 1 to ${LIMITS.questions} questions`);
  return shape.questions.map((q, i) => answerShape(q, i));
}

/** Q.4 turns an answer into slot values, refusing anything the proofs could not prove. */
export function answerValues(shape: AnswerShape, answer: Answer, q = 0): number[] {
  const options = shape.slotMax.length - (shape.blank ? 1 : 0);
  if (answer === null || typeof answer !== 'object') throw new ShapeError(q, 'an answer is { values } or { blank: true }');
  if ('blank' in answer) {
    // Untrusted JSON: only exactly { blank: true } is a blank vote.
    if (answer.blank !== true || 'values' in answer) throw new ShapeError(q, 'a blank vote is exactly { blank: true }');
    if (!shape.blank) throw new ShapeError(q, 'this question has no blank vote');
    return [...Array(options).fill(0), 1];
  }
  const values = answer.values;
  if (!Array.isArray(values) || values.length !== options) throw new ShapeError(q, `expected ${options} values`);
  values.forEach((v, i) => {
    if (!intIn(v, 0, shape.slotMax[i])) throw new ShapeError(q, `option ${i + 1}: ${v} is not an integer from 0 to ${shape.slotMax[i]}`);
  });
  const sum = values.reduce((s, v, i) => s + v * shape.weights[i], 0);
  if (sum < shape.min || sum > shape.max) throw new ShapeError(q, `the total ${sum} is outside [${shape.min}, ${shape.max}]`);
  return shape.blank ? [...values, 0] : [...values];
}
