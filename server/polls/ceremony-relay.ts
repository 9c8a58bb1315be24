/**
 * How the server moves a key ceremony along (spec §T, §B.4.5). It only relays: trustees sign every
 * message; the server decides when a step is over and appends the `step` entry that closes it. A
 * step ends when every trustee still expected in it has spoken, or when the organiser says so (the
 * deadline: a silent trustee is then judged by the rules, §T.6).
 */
import { evaluateCeremony } from '../../crypto/index.ts';
import type { BoardState } from '../../bulletin-board/index.ts';

/** The step whose message kind each trustee posts exactly once (step 5's complaints are optional). */
const STEP_RECORD = { 1: 'identities', 2: 'commits', 3: 'reveals', 4: 'shares', 6: 'finishes' } as const;

/** The trustees expected to speak in the open step, and those who have (step 5: who said "done"). */
export async function stepProgress(state: BoardState, doneInStep5: ReadonlySet<number>): Promise<{ step: number; expected: number[]; spoken: number[] }> {
  const c = state.ceremony;
  if (c === null || state.phase !== 'ceremony') return { step: 0, expected: [], spoken: [] };
  const indices = (list: readonly { index: number }[]) => [...new Set(list.map((m) => m.index))].sort((a, b) => a - b);
  const all = Array.from({ length: c.params.n }, (_, i) => i + 1);
  const previous: Record<number, number[]> = {
    1: all,
    2: indices(c.record.identities),
    3: indices(c.record.commits),
    4: indices(c.record.reveals),
    5: indices(c.record.shares),
  };
  let expected: number[];
  if (c.step === 6) {
    // Only the qualified trustees can sign the transcript (§T.6.3).
    const outcome = await evaluateCeremony(c.params, { ...c.record, finishes: [] });
    expected = [...outcome.qualified].sort((a, b) => a - b);
  } else {
    expected = previous[c.step];
  }
  const spoken = c.step === 5 ? expected.filter((i) => doneInStep5.has(i)) : indices(c.record[STEP_RECORD[c.step as keyof typeof STEP_RECORD]]).filter((i) => expected.includes(i));
  return { step: c.step, expected, spoken };
}
