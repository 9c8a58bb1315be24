/**
 * A result as the pages show it, from the published result (GET /api/polls/:poll/result, docs/api.md)
 * or from the verifier's own count: per question its rule, texts in every poll language and totals;
 * what each percentage is a share of; and the bar lengths.
 */
import type { Question } from '../../../crypto/index.ts';
import type { Manifest } from '../../../bulletin-board/index.ts';
import type { QuestionResult } from '../../../verifier/index.ts';

export interface PublishedQuestion {
  readonly kind: Question['kind'];
  readonly prompt: readonly string[];
  readonly options: readonly { readonly text: readonly string[]; readonly total: number }[];
  /** weighted blank votes, or null when the question has no blank */
  readonly blank: number | null;
}

export interface PublishedResult {
  readonly counted: number;
  readonly weight: number;
  readonly ballots: number;
  readonly audits: number;
  readonly totals: readonly number[];
  readonly questions: readonly PublishedQuestion[];
}

/** One question's result, wherever it came from: texts one per poll language, totals weighted. */
export interface ShownQuestion {
  /** the question's kind and limits from the manifest */
  readonly rule: Question;
  readonly prompt: readonly string[];
  readonly options: readonly { readonly text: readonly string[]; readonly total: number }[];
  readonly blank: number | null;
}

/** Who the totals count: the voters counted, their total weight, and whether any voter's weight is not 1. */
export interface CountedVoters {
  readonly counted: number;
  readonly weight: number;
  readonly weighted: boolean;
}

/** The published result's questions with the manifest's rule for each (the texts are the poll's own). */
export function publishedQuestions(result: PublishedResult, manifest: Manifest): ShownQuestion[] {
  // The server reads its result with the same manifest; a question it lacks keeps at least its kind.
  return result.questions.map((q, i) => ({ rule: manifest.questions[i]?.question ?? ({ kind: q.kind } as Question), prompt: q.prompt, options: q.options, blank: q.blank }));
}

/** The verifier's result, question by question, in the same form. */
export function verifiedQuestions(result: readonly QuestionResult[]): ShownQuestion[] {
  return result.map((q) => ({ rule: q.rule, prompt: q.prompts, options: q.options.map((o) => ({ text: o.texts, total: o.total })), blank: q.blank }));
}

/**
 * What a question's percentages are, which decides how the page explains them. Each is an option's
 * (weighted) total over the weight of every voter counted, blank votes included:
 * - 'one': each voter gave exactly one answer (a single choice, yes/no/abstain, or a multiple choice of
 *   exactly one), so the options and the blank share the whole weight;
 * - 'oneOrNone': a multiple choice of at most one that may be left empty;
 * - 'several' and 'projects': each voter could choose more than one option or project, so the shares
 *   of a question can add up to more than 100%;
 * - 'scores' and 'points': totals are sums of scores or points, and no percentage is shown.
 */
export type ShareBasis = 'one' | 'oneOrNone' | 'several' | 'projects' | 'scores' | 'points';

export function shareBasis(rule: Question): ShareBasis {
  switch (rule.kind) {
    case 'single':
    case 'yes-no-abstain':
      return 'one';
    case 'multiple':
      if (rule.max > 1) return 'several';
      return rule.min === 1 ? 'one' : 'oneOrNone';
    case 'budget':
      return 'projects';
    case 'score':
      return 'scores';
    case 'cumulative':
      return 'points';
  }
}

/**
 * Each bar's length in percent: the share of the voters' weight for votes (so a bar says what its
 * percentage says), and for scores and points the share of the largest total of the question.
 */
export function barWidths(q: Pick<ShownQuestion, 'rule' | 'options' | 'blank'>, weight: number): { options: number[]; blank: number | null } {
  const most = Math.max(...q.options.map((o) => o.total), q.blank ?? 0, 0);
  const length = (v: number) => {
    const pct = share(q.rule.kind, v, weight);
    if (pct !== null) return Math.min(100, (v / weight) * 100);
    return most === 0 ? 0 : (v / most) * 100;
  };
  return { options: q.options.map((o) => length(o.total)), blank: q.blank === null ? null : length(q.blank) };
}

/** A total as a share of the voters' weight, in whole percent; null for scores and points, where a share means nothing. */
export function share(kind: Question['kind'], total: number, weight: number): number | null {
  if (kind === 'score' || kind === 'cumulative' || weight === 0) return null;
  return Math.round((total / weight) * 100);
}
