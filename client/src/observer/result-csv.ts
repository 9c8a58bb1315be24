/**
 * The verified result as a CSV file for a spreadsheet: one row per option (and per blank vote), the
 * question and option in the poll's language (the reader's where the poll has it: a Chinese-only
 * poll's file is in Chinese, headers included, whoever saves it), the
 * total (weighted where weights differ) and its share of the counted weight, as the pages show them.
 */
import type { VerifyReport } from '../../../verifier/index.ts';
import { csvText } from '../lib/csv.ts';
import { lang, pollText, t, type Lang } from '../lib/i18n.svelte.ts';
import { printLanguage } from '../lib/poll-languages.ts';
import { share } from './result-data.ts';

/** The file's text, or null when the report holds no result. */
export function resultCsv(report: VerifyReport, reader: Lang = lang()): string | null {
  if (report.result === null) return null;
  const languages = report.poll?.languages ?? [];
  const l = printLanguage(languages, reader);
  const text = (texts: readonly string[]) => pollText(languages, texts, l);
  const rows: (string | number)[][] = [[t('observer.csv.number', {}, l), t('observer.csv.question', {}, l), t('observer.csv.option', {}, l), t(report.weighted ? 'observer.csv.weightedTotal' : 'observer.csv.total', {}, l), t('observer.csv.share', {}, l)]];
  report.result.forEach((q, i) => {
    const row = (option: string, total: number) => {
      const pct = share(q.rule.kind, total, report.weight);
      rows.push([i + 1, text(q.prompts), option, total, pct === null ? '' : pct]);
    };
    for (const o of q.options) row(text(o.texts), o.total);
    if (q.blank !== null) row(t('observer.csv.blank', {}, l), q.blank);
  });
  return csvText(rows);
}
