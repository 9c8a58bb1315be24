/** What the verifier reports: failures by check ID and entry, the result per question. Spec §V.3. */
import type { Question } from '../crypto/index.ts';
import type { Manifest, Phase } from '../bulletin-board/index.ts';
import type { CheckId } from './checks.ts';

export interface Failure {
  readonly check: CheckId;
  /** the height of the entry that fails, or null for the record as a whole */
  readonly entry: number | null;
  readonly reason: string;
  /** for equivocation (V14): the two signed checkpoints that cannot both be true */
  readonly evidence?: readonly [string, string];
}

export interface OptionResult {
  /** the option in the manifest's first language (the report text's) */
  readonly option: string;
  /** the option in every language of the manifest, in its order, for a reader in any of them */
  readonly texts: readonly string[];
  readonly total: number;
}

export interface QuestionResult {
  /** the question in the manifest's first language (the report text's) */
  readonly question: string;
  /** the question in every language of the manifest, in its order */
  readonly prompts: readonly string[];
  /** the question's kind and limits, as the manifest sets them: what a total and its share mean */
  readonly rule: Question;
  readonly options: readonly OptionResult[];
  /** the blank votes, where the question offers them */
  readonly blank: number | null;
}

export interface VerifyReport {
  readonly valid: boolean;
  readonly failures: readonly Failure[];
  /** per question, in the manifest's first language (and every other); null before the result entry */
  readonly result: readonly QuestionResult[] | null;
  /** the title in the first language, the manifest's languages and the title in each */
  readonly poll: { readonly title: string; readonly origin: string; readonly languages: readonly string[]; readonly titles: readonly string[] } | null;
  readonly phase: Phase;
  readonly entries: number;
  /** ballots cast and accepted (revotes included), audited ballots, credentials counted */
  readonly ballots: number;
  readonly audits: number;
  /** credentials on the voter lists: the turnout is counted of listed */
  readonly listed: number;
  readonly counted: number;
  /** the total weight of the credentials counted: every total of the result is in these weighted votes */
  readonly weight: number;
  /** some credential on the voter lists has a weight other than 1, so totals are weighted votes, not people */
  readonly weighted: boolean;
  /** the checks that applied to this record */
  readonly checks: readonly CheckId[];
  /** the record's final checkpoint */
  readonly checkpoint: { readonly size: number; readonly root: string } | null;
  /** B.1.5.1 the poll fingerprint of the record's manifest, as people read it (null without a manifest) */
  readonly fingerprint: string | null;
  /** V40 the witnesses the manifest names (by key name), those whose cosignature of the final checkpoint verifies, and k */
  readonly witnesses: { readonly listed: readonly string[]; readonly cosigned: readonly string[]; readonly k: number } | null;
  /** things an observer should know that are not failures: no witness listed, the registrar is the organiser */
  readonly warnings: readonly string[];
}

/** The result entry's totals laid out per question (§B.1.6.7: every slot in order, blank last). */
export function describeResult(manifest: Manifest, totals: readonly number[], shapes: readonly { slotMax: readonly number[]; blank: boolean }[]): QuestionResult[] {
  let at = 0;
  return manifest.questions.map((q, i) => {
    const shape = shapes[i];
    const options = q.options.map((text, k) => ({ option: text[0], texts: text, total: totals[at + k] }));
    const blank = shape.blank ? totals[at + q.options.length] : null;
    at += shape.slotMax.length;
    return { question: q.prompt[0], prompts: q.prompt, rule: q.question, options, blank };
  });
}
