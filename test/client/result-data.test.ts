/**
 * The result as the observer pages show it, without a browser: what each question's percentages are
 * a share of (shareBasis), the shares and bar lengths, and the verifier's result in the same form as
 * the published one.
 */
import { describe, expect, test } from 'vitest';
import type { Question } from '../../crypto/index.ts';
import type { QuestionResult } from '../../verifier/index.ts';
import { barWidths, shareBasis, share, verifiedQuestions } from '../../client/src/observer/result-data.ts';

describe('shareBasis', () => {
  test('one answer each, one or none, several, projects, scores and points', () => {
    const cases: [Question, string][] = [
      [{ kind: 'single', options: 3, blank: true }, 'one'],
      [{ kind: 'yes-no-abstain' }, 'one'],
      [{ kind: 'multiple', options: 4, min: 1, max: 1 }, 'one'],
      [{ kind: 'multiple', options: 4, min: 0, max: 1 }, 'oneOrNone'],
      [{ kind: 'multiple', options: 4, min: 1, max: 2 }, 'several'],
      [{ kind: 'multiple', options: 4, min: 2, max: 2 }, 'several'],
      [{ kind: 'budget', costs: [300, 500], budget: 700 }, 'projects'],
      [{ kind: 'score', options: 2, maxScore: 5 }, 'scores'],
      [{ kind: 'cumulative', options: 2, points: 10 }, 'points'],
    ];
    for (const [rule, basis] of cases) expect(shareBasis(rule), JSON.stringify(rule)).toBe(basis);
  });
});

describe('shares and bars', () => {
  const multiple: Question = { kind: 'multiple', options: 3, min: 1, max: 2 };
  test('a share is of the weight counted, so a multiple choice can pass 100% in all; none for scores', () => {
    // 3 voters, weights 2, 1, 1: Tai chi chosen by all (4), Calligraphy by the first (2), English by one (1).
    expect([4, 2, 1].map((v) => share('multiple', v, 4))).toEqual([100, 50, 25]);
    expect(share('single', 3, 4)).toBe(75);
    expect(share('score', 9, 4)).toBeNull();
    expect(share('single', 0, 0)).toBeNull();
  });
  test('a bar is as long as its share; for points, as a share of the largest total', () => {
    expect(barWidths({ rule: multiple, options: [{ text: [], total: 4 }, { text: [], total: 2 }, { text: [], total: 1 }], blank: null }, 4)).toEqual({ options: [100, 50, 25], blank: null });
    expect(barWidths({ rule: { kind: 'cumulative', options: 2, points: 10 }, options: [{ text: [], total: 30 }, { text: [], total: 15 }], blank: 5 }, 4)).toEqual({ options: [100, 50], blank: (5 / 30) * 100 });
  });
});

test('the verifier’s result becomes the shown form: texts in every language, totals, blank and rule', () => {
  const q: QuestionResult = {
    question: 'Gate colour?',
    prompts: ['Gate colour?', '院门颜色？'],
    rule: { kind: 'single', options: 2, blank: true },
    options: [
      { option: 'Red', texts: ['Red', '红色'], total: 3 },
      { option: 'Green', texts: ['Green', '绿色'], total: 1 },
    ],
    blank: 0,
  };
  expect(verifiedQuestions([q])).toEqual([
    {
      rule: q.rule,
      prompt: ['Gate colour?', '院门颜色？'],
      options: [
        { text: ['Red', '红色'], total: 3 },
        { text: ['Green', '绿色'], total: 1 },
      ],
      blank: 0,
    },
  ]);
});
