/**
 * The voter roll being prepared in this browser tab: names, weights, and the secret codes made for
 * them. The codes live only here (module state, kept while she moves between the console's pages,
 * gone when the tab closes); the server only ever receives the public keys. While codes are not
 * both saved (printed or exported) and registered on the server, leaving the tab asks first.
 */
import type { VoterRow } from './voter-list.ts';

export interface RollVoter extends VoterRow {
  readonly code: string;
  /** hex of the credential public key (spec §C.4) */
  readonly key: string;
}

export interface Roll {
  readonly poll: string;
  readonly voters: RollVoter[];
  printed: boolean;
  exported: boolean;
  uploaded: boolean;
}

const rolls = $state<Record<string, Roll>>({});

/** The roll of codes made in this tab for `poll`, or null. */
export function rollOf(poll: string): Roll | null {
  return rolls[poll] ?? null;
}

export function keepRoll(poll: string, voters: RollVoter[]): Roll {
  rolls[poll] = { poll, voters, printed: false, exported: false, uploaded: false };
  return rolls[poll];
}

export function dropRoll(poll: string): void {
  delete rolls[poll];
}

/** Codes that would be lost if the tab closed now: not saved anywhere, or not registered yet. */
export function atRisk(roll: Roll | null): boolean {
  return roll !== null && (!(roll.printed || roll.exported) || !roll.uploaded);
}

if (typeof window !== 'undefined') {
  window.addEventListener('beforeunload', (event) => {
    if (Object.values(rolls).some(atRisk)) {
      event.preventDefault();
      event.returnValue = ''; // older browsers ask only when this is set
    }
  });
}
