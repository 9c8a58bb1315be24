/**
 * The one plain verdict a receipt check opens with, from its lines: found and unchanged, NOT found, an
 * alarm, or why it stopped; in words that match what she gave (a tracker, a check link or a receipt).
 * The lines themselves follow it, the passed ones folded. Pure.
 */
import type { MessageKey } from '../i18n/index.ts';
import type { Given } from './check-input.ts';
import type { CheckLine } from './receipt-checker.svelte.ts';

/** good: found and unchanged; bad: an alarm or NOT found; wait: nothing wrong, but not settled yet; working: still checking. */
export type Tone = 'good' | 'bad' | 'wait' | 'working';

export interface Verdict {
  readonly tone: Tone;
  /** the first line of the report, said as a heading */
  readonly title: MessageKey;
  /** what it means and what to do, under the title; null when the lines shown say it */
  readonly text: MessageKey | null;
}

/** Lines that say the ballot is not on the board, or not in a poll found: not found, which is no evidence by itself. */
const NOT_FOUND = new Set<MessageKey>(['booth.check.notFound', 'booth.check.notFoundAnywhere', 'booth.check.startNotFound', 'booth.check.startNotFoundAnywhere', 'booth.check.noSuchPoll', 'booth.check.noPoll']);

const FOUND: Record<Given, MessageKey> = {
  tracker: 'booth.verdict.foundTracker',
  link: 'booth.verdict.foundLink',
  receipt: 'booth.verdict.foundReceipt',
};

export function checkVerdict(lines: readonly CheckLine[], running: boolean, given: Given, unsignedInput: boolean): Verdict {
  const failed = lines.filter((l) => l.state === 'fail');
  // Another poll's board: nothing else was checked.
  if (failed.some((l) => l.id === 'fingerprint')) return { tone: 'bad', title: 'booth.check.fingerprintStopTitle', text: 'booth.check.fingerprintStop' };
  if (unsignedInput) return { tone: 'bad', title: 'booth.verdict.unsigned', text: 'booth.check.unsignedInput' };
  if (failed.length === 1 && NOT_FOUND.has(failed[0].key)) return { tone: 'bad', title: 'booth.verdict.notFound', text: null };
  if (failed.length === 1 && failed[0].key === 'booth.check.startSeveral') return { tone: 'wait', title: 'booth.verdict.several', text: null };
  const evidence = failed.filter((l) => l.id !== 'witnesses');
  if (evidence.length > 0) return { tone: 'bad', title: 'booth.verdict.alarm', text: given === 'receipt' ? 'booth.check.evidence' : 'booth.check.evidenceTracker' };
  if (running) return { tone: 'working', title: 'booth.check.running', text: null };
  // Too few witnesses alone is a wait, not evidence.
  if (failed.length > 0) return { tone: 'wait', title: 'booth.check.witnessesWaitTitle', text: 'booth.check.witnessesWait' };
  if (lines.length === 0 || lines.some((l) => l.state === 'unchecked' || l.state === 'working')) return { tone: 'wait', title: 'booth.verdict.unfinished', text: null };
  return { tone: 'good', title: FOUND[given], text: 'booth.check.allGood' };
}
