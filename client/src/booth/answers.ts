/**
 * A voter's answer while she makes it: one number per option (1/0 for a choice, a score, points) and
 * whether she votes blank; what is still wrong with it; and the Answer that createBallot takes (§Q.4).
 */
import type { Answer, Question } from '../../../crypto/index.ts';
import { optionCount } from '../../../bulletin-board/index.ts';
import type { MessageKey } from '../i18n/index.ts';

export interface Choice {
  blank: boolean;
  values: number[];
}

/** Why a choice cannot be cast yet, as a message key with its values. */
export interface Problem {
  readonly key: MessageKey;
  readonly vars?: Record<string, number>;
}

/** Whether the question lets her vote blank. */
export function hasBlank(q: Question): boolean {
  return q.kind !== 'yes-no-abstain' && q.blank === true;
}

/** Nothing chosen yet: every option 0. */
export function emptyChoice(q: Question): Choice {
  return { blank: false, values: Array(optionCount(q)).fill(0) };
}

const chosen = (c: Choice) => c.values.filter((v) => v > 0).length;
const total = (c: Choice) => c.values.reduce((s, v) => s + v, 0);
const whole = (v: number, max: number) => Number.isInteger(v) && v >= 0 && v <= max;

/** What is missing or wrong in the choice, or null when it can be cast (the same rules as §Q.4). */
export function choiceProblem(q: Question, c: Choice): Problem | null {
  if (c.blank) return hasBlank(q) ? null : { key: 'booth.need.one' };
  switch (q.kind) {
    case 'single':
    case 'yes-no-abstain':
      return chosen(c) === 1 ? null : { key: hasBlank(q) ? 'booth.need.oneOrBlank' : 'booth.need.one' };
    case 'multiple': {
      const n = chosen(c);
      if (n < q.min) return { key: hasBlank(q) ? 'booth.need.atLeastOrBlank' : 'booth.need.atLeast', vars: { min: q.min } };
      if (n > q.max) return { key: 'booth.need.atMost', vars: { max: q.max } };
      return null;
    }
    case 'score':
      return c.values.every((v) => whole(v, q.maxScore)) ? null : { key: 'booth.need.scoreRange', vars: { max: q.maxScore } };
    case 'cumulative':
      if (!c.values.every((v) => whole(v, q.points))) return { key: 'booth.need.wholePoints' };
      return total(c) <= q.points ? null : { key: 'booth.need.tooManyPoints', vars: { points: q.points, over: total(c) - q.points } };
    case 'budget':
      return spent(q, c) <= q.budget ? null : { key: 'booth.need.overBudget', vars: { budget: q.budget } };
  }
}

/** The cost of the projects chosen in a budget question. */
export function spent(q: Question & { kind: 'budget' }, c: Choice): number {
  return q.costs.reduce((s, cost, i) => s + (c.values[i] > 0 ? cost : 0), 0);
}

/** The answer createBallot takes; call only when choiceProblem is null. */
export function toAnswer(c: Choice): Answer {
  return c.blank ? { blank: true } : { values: [...c.values] };
}

/** A choice back from the slot values of an opening (options, then the blank slot if any). */
export function choiceFromSlots(q: Question, slots: readonly number[]): Choice {
  const n = optionCount(q);
  const blank = hasBlank(q) && slots[n] === 1;
  return { blank, values: blank ? Array(n).fill(0) : slots.slice(0, n) };
}
