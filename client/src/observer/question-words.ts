/** What kind of answer a question takes, in plain words in the page language ("Choose 1 to 2."). Spec §Q.2. */
import type { Question } from '../../../crypto/index.ts';
import { lang, num, t } from '../lib/i18n.svelte.ts';

/** The sentences that say how to answer `q`, blank vote last. */
export function answerRule(q: Question): string[] {
  const out: string[] = [];
  switch (q.kind) {
    case 'single':
      out.push(t('observer.rule.single'));
      break;
    case 'multiple':
      if (q.min === q.max) out.push(t('observer.rule.exactly', { n: num(q.max) }));
      else if (q.min === 0) out.push(t('observer.rule.upTo', { max: num(q.max) }));
      else out.push(t('observer.rule.between', { min: num(q.min), max: num(q.max) }));
      break;
    case 'yes-no-abstain':
      out.push(t('observer.rule.yesNo'));
      break;
    case 'score':
      out.push(t('observer.rule.score', { max: num(q.maxScore) }));
      break;
    case 'cumulative':
      out.push(t('observer.rule.cumulative', { points: num(q.points) }));
      break;
    case 'budget':
      out.push(t('observer.rule.budget', { budget: num(q.budget) }));
      break;
  }
  if (q.kind !== 'yes-no-abstain' && q.blank === true) out.push(t('observer.rule.blank'));
  return out;
}

/** Option `i` as listed: its text, and its cost for a budget question. */
export function optionLine(q: Question, i: number, text: string): string {
  return q.kind === 'budget' ? t('observer.rule.cost', { option: text, cost: num(q.costs[i]) }) : text;
}

/** Sentences run together as the page language writes them (a space in English, none in Chinese). */
export function sentences(list: readonly string[]): string {
  return list.join(lang() === 'en' ? ' ' : '');
}
