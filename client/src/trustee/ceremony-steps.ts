/**
 * Where each of the six ceremony steps stands for this trustee, from the board her browser replayed:
 * done, now (hers to do), waiting for others (hers is done), or later. Spec §T step table.
 */
import type { BoardSummary } from './worker-protocol.ts';

export type StepStatus = 'done' | 'now' | 'waiting' | 'later';

export interface StepView {
  readonly step: number;
  readonly status: StepStatus;
  /** trustees done in the open step, of those expected (null when the board cannot say: step 5's review is off the board) */
  readonly count: { readonly done: number; readonly of: number } | null;
}

export const STEPS = [1, 2, 3, 4, 5, 6] as const;

/** `reviewed`: this tab has said "review done" in step 5 of the current run. */
export function stepViews(board: BoardSummary, index: number, reviewed: boolean): StepView[] {
  return STEPS.map((step) => {
    if (board.phase !== 'ceremony' || board.step === 0) return { step, status: board.run > 0 && board.phase !== 'setup' ? 'done' : 'later', count: null };
    if (step < board.step) return { step, status: 'done', count: null };
    if (step > board.step) return { step, status: 'later', count: null };
    const spoken = board.spoken[step - 1];
    const mine = step === 5 ? reviewed : spoken.includes(index);
    const count = step === 5 ? null : { done: spoken.filter((i) => board.expected.includes(i)).length, of: board.expected.length };
    return { step, status: mine ? 'waiting' : 'now', count };
  });
}
