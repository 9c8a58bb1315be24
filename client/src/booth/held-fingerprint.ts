/**
 * The poll fingerprint she holds (from her sheet's link, typed or pasted), kept in this tab's
 * sessionStorage per poll so that a reload of the booth still compares against it (the link's
 * fragment is dropped from the address bar once read). It is public: nothing here is secret, and
 * nothing is sent to the server. Spec §B.1.5.1.
 */
import { tabKept } from '../lib/tab-kept.ts';
import { deviceIsDesk } from './desk-flag.ts';

// On a voting desk nothing of a voter is kept in the tab: the next voter must find no trace of her.
const fingerprint = tabKept('fingerprint', deviceIsDesk);

/** The fingerprint text kept for this poll in this tab, or ''. */
export const heldFingerprint = (poll: string): string => fingerprint.get(poll);

/** Keeps `text` for this poll in this tab ('' forgets it). */
export const keepFingerprint = (poll: string, text: string): void => fingerprint.set(poll, text);
