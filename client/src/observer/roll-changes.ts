/**
 * The poll page's account of changes to the voter list (spec §B.4.6.1, §B.4.6.8): voters listed after
 * voting opened, and codes revoked (a lost sheet replaced, a household gone), from the summary's `roll`.
 * Lists made before opening are the roll itself, not a change. Pure.
 */
import type { RollEntry } from './poll-data.ts';

/** How many, in how many entries, and the time of the first and the last of them (ms since 1970 UTC). */
export interface RollChange {
  readonly count: number;
  readonly entries: number;
  readonly first: number;
  readonly last: number;
}

export interface RollChanges {
  /** voters listed while voting was open, or null */
  readonly addedWhileOpen: RollChange | null;
  /** credentials revoked, before or after opening, or null */
  readonly revoked: RollChange | null;
}

function change(entries: readonly RollEntry[], count: (e: RollEntry) => number): RollChange | null {
  const some = entries.filter((e) => count(e) > 0);
  if (some.length === 0) return null;
  return { count: some.reduce((s, e) => s + count(e), 0), entries: some.length, first: Math.min(...some.map((e) => e.time)), last: Math.max(...some.map((e) => e.time)) };
}

/** The changes `roll` (the summary's, in board order) records. */
export function rollChanges(roll: readonly RollEntry[]): RollChanges {
  return { addedWhileOpen: change(roll.filter((e) => e.whileOpen), (e) => e.added), revoked: change(roll, (e) => e.revoked) };
}
