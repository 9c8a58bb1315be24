/**
 * A lost code being replaced in this browser tab (spec §B.4.6.8): the resident, her old credential, the
 * new code made for her with the old one's weight, and how far the replacement went. The old code is
 * revoked first, then the new one listed, so that two codes are never both valid; the new code lives
 * only here (module state, gone when the tab closes) until it is printed or saved, and leaving the tab
 * before it is listed and saved asks first.
 */

export interface Replacement {
  readonly poll: string;
  readonly name: string;
  /** hex of the old credential's public key */
  readonly oldKey: string;
  /** the old credential's weight, from the board's list: the new one gets the same */
  readonly weight: number;
  /** the new code (printed form) and hex of its credential's public key (spec §C.4) */
  readonly code: string;
  readonly key: string;
  /** made: nothing sent yet; revoked: the old code is revoked, the new one not listed; listed: both done */
  stage: 'made' | 'revoked' | 'listed';
  printed: boolean;
  exported: boolean;
}

const replacements = $state<Record<string, Replacement>>({});

/** The replacement in progress or done in this tab for `poll`, or null. */
export function replacementOf(poll: string): Replacement | null {
  return replacements[poll] ?? null;
}

export function keepReplacement(r: Omit<Replacement, 'stage' | 'printed' | 'exported'>): Replacement {
  replacements[r.poll] = { ...r, stage: 'made', printed: false, exported: false };
  return replacements[r.poll];
}

export function dropReplacement(poll: string): void {
  delete replacements[poll];
}

/** The old code is revoked and the new one would be lost with the tab: not listed, or not saved anywhere. */
export function replacementAtRisk(r: Replacement | null): boolean {
  return r !== null && r.stage !== 'made' && (r.stage !== 'listed' || !(r.printed || r.exported));
}

if (typeof window !== 'undefined') {
  window.addEventListener('beforeunload', (event) => {
    if (Object.values(replacements).some(replacementAtRisk)) {
      event.preventDefault();
      event.returnValue = ''; // older browsers ask only when this is set
    }
  });
}
