/** The result of a poll as terminal lines, per question and option: shared by `demo` and `verify`. */
import type { QuestionResult } from '../../verifier/index.ts';

export function resultLines(result: readonly QuestionResult[]): string[] {
  const lines: string[] = [];
  for (const q of result) {
    lines.push(`  ${q.question}`);
    const w = Math.max(...q.options.map((o) => o.option.length), 5);
    for (const o of q.options) lines.push(`    ${o.option.padEnd(w)}  ${o.total}`);
    if (q.blank !== null) lines.push(`    ${'blank'.padEnd(w)}  ${q.blank}`);
  }
  return lines;
}
