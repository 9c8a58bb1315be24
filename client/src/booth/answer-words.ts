/** A question's limits and a voter's answer in plain words, in the page language (for the booth, the review and audits). */
import type { Question } from '../../../crypto/index.ts';
import type { ManifestQuestion } from '../../../bulletin-board/index.ts';
import { num, pollText, t } from '../lib/i18n.svelte.ts';
import { hasBlank, spent, type Choice } from './answers.ts';

/** What the question allows, as sentences ("Choose from 1 to 2 options."). */
export function limitWords(q: Question): string[] {
  const out: string[] = [];
  switch (q.kind) {
    case 'single':
      out.push(t('booth.limit.single'));
      break;
    case 'yes-no-abstain':
      out.push(t('booth.limit.yesNo'));
      break;
    case 'multiple':
      if (q.min === q.max) out.push(t('booth.limit.exactly', { n: num(q.max) }));
      else if (q.min === 0) out.push(t('booth.limit.upTo', { max: num(q.max) }));
      else out.push(t('booth.limit.between', { min: num(q.min), max: num(q.max) }));
      break;
    case 'score':
      out.push(t('booth.limit.score', { max: num(q.maxScore) }));
      break;
    case 'cumulative':
      out.push(t('booth.limit.cumulative', { points: num(q.points) }));
      break;
    case 'budget':
      out.push(t('booth.limit.budget', { budget: num(q.budget) }));
      break;
  }
  if (hasBlank(q)) out.push(t('booth.limit.blank'));
  return out;
}

/** The answer as lines of words: the options chosen, scores or points given, or a blank vote. */
export function answerWords(mq: ManifestQuestion, languages: readonly string[], c: Choice): string[] {
  const q = mq.question;
  const option = (i: number) => pollText(languages, mq.options[i]);
  if (c.blank) return [t('booth.answer.blank')];
  const picked = c.values.flatMap((v, i) => (v > 0 ? [i] : []));
  switch (q.kind) {
    case 'single':
    case 'yes-no-abstain':
    case 'multiple':
      return picked.length === 0 ? [t('booth.answer.none')] : picked.map(option);
    case 'score':
      return c.values.map((v, i) => t('booth.answer.score', { option: option(i), score: num(v), max: num(q.maxScore) }));
    case 'cumulative': {
      if (picked.length === 0) return [t('booth.answer.noPoints')];
      const used = c.values.reduce((s, v) => s + v, 0);
      const lines = picked.map((i) => t('booth.answer.points', { option: option(i), points: num(c.values[i]) }));
      return used < q.points ? [...lines, t('booth.answer.unspent', { points: num(q.points - used) })] : lines;
    }
    case 'budget':
      if (picked.length === 0) return [t('booth.answer.noProject')];
      return [...picked.map((i) => t('booth.answer.project', { option: option(i), cost: num(q.costs[i]) })), t('booth.answer.spent', { spent: num(spent(q, c)), budget: num(q.budget) })];
  }
}
