/**
 * The poll fingerprint she holds (from her sheet's link, typed or pasted), kept in this tab's
 * sessionStorage per poll so that a reload of the booth still compares against it (the link's
 * fragment is dropped from the address bar once read). It is public: nothing here is secret, and
 * nothing is sent to the server. Spec §B.1.5.1.
 */
const key = (poll: string) => `gongshi.fingerprint.${poll}`;

/** The fingerprint text kept for this poll in this tab, or ''. */
export function heldFingerprint(poll: string): string {
  try {
    return sessionStorage.getItem(key(poll)) ?? '';
  } catch {
    return '';
  }
}

/** Keeps `text` for this poll in this tab ('' forgets it). */
export function keepFingerprint(poll: string, text: string): void {
  try {
    if (text === '') sessionStorage.removeItem(key(poll));
    else sessionStorage.setItem(key(poll), text);
  } catch {
    // storage is off: the comparison still holds until the tab is reloaded
  }
}
