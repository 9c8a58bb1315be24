/**
 * The life of a poll as the organiser's steps (docs/api.md "Statuses"): which are done, which one
 * is hers to do next, and which are waiting on the trustees or the voters.
 */

export type Status = 'draft' | 'setup' | 'ceremony' | 'ready' | 'open' | 'closed' | 'tallied' | 'done';
const ORDER: readonly Status[] = ['draft', 'setup', 'ceremony', 'ready', 'open', 'closed', 'tallied', 'done'];

export type StepName = 'write' | 'invite' | 'publish' | 'voters' | 'ceremony' | 'open' | 'close' | 'tally' | 'decrypt';
/** done; hers to do now; in the hands of others (trustees); not yet possible */
export type StepState = 'done' | 'now' | 'waiting' | 'later';

export interface Step {
  readonly name: StepName;
  readonly state: StepState;
}

const at = (s: Status) => ORDER.indexOf(s);

/** Whether status `a` comes after `b` in a poll's life. */
export function later(a: Status, b: Status): boolean {
  return at(a) > at(b);
}

/** The steps of a poll in `status` with `listed` voters registered; `invited`: links were made in this tab. */
export function pollSteps(status: Status, listed: number, invited: boolean): Step[] {
  const past = (s: Status) => at(status) > at(s);
  const is = (...s: Status[]) => s.includes(status);
  const preparing = is('setup', 'ceremony', 'ready');
  return [
    { name: 'write', state: 'done' }, // the draft exists; it can be edited until it is published
    { name: 'invite', state: invited || past('ceremony') ? 'done' : is('draft', 'setup', 'ceremony') ? 'now' : 'later' },
    { name: 'publish', state: past('draft') ? 'done' : 'now' },
    { name: 'voters', state: listed > 0 && !is('draft') ? 'done' : preparing ? 'now' : 'later' },
    { name: 'ceremony', state: past('ceremony') ? 'done' : is('setup', 'ceremony') ? 'waiting' : 'later' },
    { name: 'open', state: past('ready') ? 'done' : is('ready') && listed > 0 ? 'now' : 'later' },
    { name: 'close', state: past('open') ? 'done' : is('open') ? 'now' : 'later' },
    { name: 'tally', state: past('closed') ? 'done' : is('closed') ? 'now' : 'later' },
    { name: 'decrypt', state: is('done') ? 'done' : is('tallied') ? 'waiting' : 'later' },
  ];
}

/** What the organiser should do next, in one step's name (the first step that is hers now, else one she waits on). */
export function nextStep(status: Status, listed: number, invited: boolean): StepName | null {
  const steps = pollSteps(status, listed, invited);
  return (steps.find((s) => s.state === 'now') ?? steps.find((s) => s.state === 'waiting'))?.name ?? null;
}
