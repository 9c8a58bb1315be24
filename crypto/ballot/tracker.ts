/** The text form of a tracker: 52 Crockford base32 symbols, shown in groups of four. Spec §Q.7. */
import { fromBase32, normaliseBase32, toBase32 } from '../base32.ts';

/** Q.7.1 the canonical text: 52 upper-case symbols, no separators. */
export function trackerText(tracker: Uint8Array): string {
  if (tracker.length !== 32) throw new Error('bug: a tracker is 32 bytes');
  return toBase32(tracker);
}

/** Q.7.2 for people: groups of four symbols separated by spaces. */
export function formatTracker(tracker: Uint8Array): string {
  return trackerText(tracker).replace(/(.{4})(?!$)/g, '$1 ');
}

/** Reads a tracker typed or pasted by a person (spaces, hyphens, lower case, O/I/L allowed); null if not one. */
export function parseTracker(text: string): Uint8Array | null {
  const s = normaliseBase32(text);
  return s === null ? null : fromBase32(s, 32);
}
