/** The published result as GET /api/polls/:poll/result answers it (docs/api.md), and the bar lengths. */
import type { Question } from '../../../crypto/index.ts';

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

/**
 * Each bar's length in percent: the share of the voters' weight for votes (so a bar says what its
 * percentage says), and for scores and points the share of the largest total of the question.
 */
export function barWidths(q: PublishedQuestion, weight: number): { options: number[]; blank: number | null } {
  const most = Math.max(...q.options.map((o) => o.total), q.blank ?? 0, 0);
  const length = (v: number) => {
    const pct = share(q.kind, v, weight);
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
