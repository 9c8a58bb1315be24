/**
 * The verified result as a CSV file for a spreadsheet: one row per option (and per blank vote), the
 * question and option in the reader's language (the poll's text in it, where the poll has it), the
 * total (weighted where weights differ) and its share of the counted weight, as the pages show them.
 */
import type { VerifyReport } from '../../../verifier/index.ts';
import { csvText } from '../lib/csv.ts';
import { pollText, t } from '../lib/i18n.svelte.ts';
import { share } from './result-data.ts';

/** The file's text, or null when the report holds no result. */
export function resultCsv(report: VerifyReport): string | null {
  if (report.result === null) return null;
  const languages = report.poll?.languages ?? [];
  const text = (texts: readonly string[]) => pollText(languages, texts);
  const rows: (string | number)[][] = [[t('observer.csv.number'), t('observer.csv.question'), t('observer.csv.option'), t(report.weighted ? 'observer.csv.weightedTotal' : 'observer.csv.total'), t('observer.csv.share')]];
  report.result.forEach((q, i) => {
    const row = (option: string, total: number) => {
      const pct = share(q.rule.kind, total, report.weight);
      rows.push([i + 1, text(q.prompts), option, total, pct === null ? '' : pct]);
    };
    for (const o of q.options) row(text(o.texts), o.total);
    if (q.blank !== null) row(t('observer.csv.blank'), q.blank);
  });
  return csvText(rows);
}
