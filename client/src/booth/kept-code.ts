/**
 * Her voter code, kept in this tab's sessionStorage per poll, as the trustee page keeps its token: so
 * that a sheet scanned before the poll opens, or a reload of the booth, does not lose it (the link's
 * fragment is dropped from the address bar once read). It is secret: never in localStorage, never sent
 * to the server (only the public key derived from it is), and gone when the tab closes. Spec §C.
 */
const key = (poll: string) => `gongshi.code.${poll}`;

/** The code kept for this poll in this tab, or ''. */
export function keptCode(poll: string): string {
  try {
    return sessionStorage.getItem(key(poll)) ?? '';
  } catch {
    return '';
  }
}

/** Keeps `code` for this poll in this tab ('' forgets it). */
export function keepCode(poll: string, code: string): void {
  try {
    if (code === '') sessionStorage.removeItem(key(poll));
    else sessionStorage.setItem(key(poll), code);
  } catch {
    // storage is off: the code still works until the tab is reloaded
  }
}
