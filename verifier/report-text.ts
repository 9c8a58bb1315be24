/**
 * The verifier's report as plain text: what `gongshi verify` prints and what the verifier web page
 * shows and lets people download, the same bytes in both. Spec §V.3.
 */
import type { QuestionResult, VerifyReport } from './report.ts';

// East Asian wide and fullwidth characters (CJK, kana, hangul, fullwidth forms, emoji) take two columns.
const WIDE = /[\u1100-\u115f\u2e80-\u303e\u3041-\u33ff\u3400-\u4dbf\u4e00-\u9fff\ua000-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6\u{1f300}-\u{1f64f}\u{1f900}-\u{1f9ff}\u{20000}-\u{3fffd}]/u;

/** How many terminal columns a text takes: two for each wide character, one for any other. */
export function displayWidth(text: string): number {
  let w = 0;
  for (const ch of text) w += WIDE.test(ch) ? 2 : 1;
  return w;
}

/** `text` followed by spaces up to `width` columns (a poll in Chinese lines up as one in English does). */
function padColumns(text: string, width: number): string {
  return text + ' '.repeat(Math.max(0, width - displayWidth(text)));
}

/** The result per question and option, one indented line each (blank votes last): shared with `gongshi demo`. */
export function resultLines(result: readonly QuestionResult[]): string[] {
  const lines: string[] = [];
  for (const q of result) {
    lines.push(`  ${q.question}`);
    const w = Math.max(...q.options.map((o) => displayWidth(o.option)), 5);
    for (const o of q.options) lines.push(`    ${padColumns(o.option, w)}  ${o.total}`);
    if (q.blank !== null) lines.push(`    ${padColumns('blank', w)}  ${q.blank}`);
  }
  return lines;
}

/** The whole report for people, ending in a newline: the poll, the counts, the checks run, the result, then VALID or every failure (at most 50 listed). */
export function reportText(r: VerifyReport): string {
  const lines: string[] = [];
  // First, so that a person compares it with the notice before reading anything else.
  lines.push(`fingerprint: ${r.fingerprint ?? 'none (no manifest)'}`);
  lines.push(`poll: ${r.poll ? `${r.poll.title} (${r.poll.origin})` : 'no manifest'}`);
  lines.push(`entries: ${r.entries}; ballots cast: ${r.ballots} (audited: ${r.audits}); counted: ${r.counted}; phase: ${r.phase}`);
  lines.push(`checks run: ${r.checks.length} (${r.checks.join(' ')})`);
  if (r.checkpoint) lines.push(`checkpoint: ${r.checkpoint.size} entries, root ${r.checkpoint.root}`);
  if (r.witnesses && r.witnesses.listed.length > 0)
    lines.push(`witnesses: ${r.witnesses.cosigned.length} of ${r.witnesses.listed.length} cosigned the final checkpoint (${r.witnesses.k} required)${r.witnesses.cosigned.length > 0 ? `: ${r.witnesses.cosigned.join(', ')}` : ''}`);
  for (const w of r.warnings) lines.push(`warning: ${w}`);
  if (r.result) {
    lines.push('result:', ...resultLines(r.result));
  } else lines.push('result: none yet');
  if (r.valid) lines.push('VALID: every check passed');
  else {
    lines.push(`INVALID: ${r.failures.length} failure${r.failures.length === 1 ? '' : 's'}`);
    for (const f of r.failures.slice(0, 50)) lines.push(`  ${f.check}${f.entry === null ? '' : ` entry ${f.entry}`}: ${f.reason}`);
    if (r.failures.length > 50) lines.push(`  … and ${r.failures.length - 50} more (--json lists them all)`);
  }
  return lines.join('\n') + '\n';
}
