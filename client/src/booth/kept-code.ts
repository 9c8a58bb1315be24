/**
 * Her voter code, kept in this tab's sessionStorage per poll, as the trustee page keeps its token: so
 * that a sheet scanned before the poll opens, or a reload of the booth, does not lose it (the link's
 * fragment is dropped from the address bar once read). It is secret: never in localStorage, never sent
 * to the server (only the public key derived from it is), and gone when the tab closes. Spec §C.
 */
import { tabKept } from '../lib/tab-kept.ts';
import { deviceIsDesk } from './desk-flag.ts';

// On a voting desk nothing of a voter is kept in the tab: the next voter must find no trace of her.
const code = tabKept('code', deviceIsDesk);

/** The code kept for this poll in this tab, or ''. */
export const keptCode = (poll: string): string => code.get(poll);

/** Keeps `text` for this poll in this tab ('' forgets it). */
export const keepCode = (poll: string, text: string): void => code.set(poll, text);
