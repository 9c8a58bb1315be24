/**
 * Whether this device is a voting desk (desk-flag.ts), as page state: the banner, the booth, the
 * receipt store and the organiser's desk page read it here. Turning it on or off is the organiser's
 * (her desk page asks her to be signed in); the flag never goes to the server.
 */
import { DESK_KEY, clearVoterTraces, deskFlagText, readDeskFlag, type DeskFlag } from './desk-flag.ts';

function stored(): DeskFlag | null {
  try {
    return readDeskFlag(localStorage);
  } catch {
    return null;
  }
}

let flag = $state.raw<DeskFlag | null>(stored());

// Another tab of this browser turned desk mode on or off: follow it.
window.addEventListener('storage', (e) => {
  if (e.key === DESK_KEY || e.key === null) flag = stored();
});

/** The desk flag of this device (reactive), or null when it is not a desk. */
export const desk = {
  get flag(): DeskFlag | null {
    return flag;
  },
};

/**
 * Makes this device a desk for `poll`. Clears what a voter may have left in this tab (her code,
 * fingerprint). Throws when the browser will not store the flag (private mode, storage off): a desk
 * that cannot remember it is one would keep receipts after a reload.
 */
export function turnDeskOn(poll: string): void {
  localStorage.setItem(DESK_KEY, deskFlagText(poll, Date.now()));
  try {
    clearVoterTraces(sessionStorage);
  } catch {
    // storage off: nothing kept in it
  }
  flag = stored();
}

/** Ends desk mode on this device: the booth keeps receipts again. */
export function turnDeskOff(): void {
  try {
    localStorage.removeItem(DESK_KEY);
  } catch {
    // storage off: there was no flag to remove
  }
  flag = null;
}
