/**
 * A result in words, in the page language: each total as votes or points (weighted ones said to be
 * weighted), and per question one line saying what its percentages are a share of, and why those of
 * a question where each voter could choose several can add up to more than 100%.
 */
import type { Question } from '../../../crypto/index.ts';
import { lang, num, t, type Lang } from '../lib/i18n.svelte.ts';
import { shareBasis, type CountedVoters } from './result-data.ts';

/** How a question's totals are counted: votes, or points for score and cumulative questions; weighted ones say so. In the page language, or `l`. */
export function totalWords(kind: Question['kind'], total: number, weighted: boolean, l: Lang = lang()): string {
  const points = kind === 'score' || kind === 'cumulative';
  const n = num(total, l);
  if (weighted) {
    if (points) return total === 1 ? t('observer.total.oneWeightedPoint', {}, l) : t('observer.total.weightedPoints', { n }, l);
    return total === 1 ? t('observer.total.oneWeightedVote', {}, l) : t('observer.total.weightedVotes', { n }, l);
  }
  if (points) return total === 1 ? t('observer.total.onePoint', {}, l) : t('observer.total.points', { n }, l);
  return total === 1 ? t('observer.total.oneVote', {}, l) : t('observer.total.votes', { n }, l);
}

/** The line under a question: what each voter could give, and what its percentages are of. */
export function shareNote(rule: Question, voters: CountedVoters): string {
  const vars = { counted: num(voters.counted), weight: num(voters.weight), max: rule.kind === 'multiple' ? num(rule.max) : '' };
  const w = voters.weighted;
  switch (shareBasis(rule)) {
    case 'one':
      return t(w ? 'observer.share.oneWeighted' : 'observer.share.one', vars);
    case 'oneOrNone':
      return t(w ? 'observer.share.oneOrNoneWeighted' : 'observer.share.oneOrNone', vars);
    case 'several':
      return t(w ? 'observer.share.severalWeighted' : 'observer.share.several', vars);
    case 'projects':
      return t(w ? 'observer.share.projectsWeighted' : 'observer.share.projects', vars);
    case 'scores':
      return t(w ? 'observer.share.scoresWeighted' : 'observer.share.scores', vars);
    case 'points':
      return t(w ? 'observer.share.pointsWeighted' : 'observer.share.points', vars);
  }
}

/** The line above a weighted result: that totals are weighted votes, and the weight of the voters counted. */
export function weightedNote(voters: CountedVoters): string {
  return t('observer.results.weighted', { counted: num(voters.counted), weight: num(voters.weight) });
}
