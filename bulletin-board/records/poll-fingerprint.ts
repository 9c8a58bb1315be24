/**
 * The poll fingerprint: the manifest hash (§B.1.5) as people hold it, printed on the poll's notice and
 * on every code sheet, typed or scanned back into a device that compares it with the board it replayed.
 * Spec §B.1.5.1. Its text is 52 Crockford base32 symbols in groups of four, like a tracker (§Q.7).
 */
import { fromBase32, normaliseBase32, toBase32 } from '../../crypto/index.ts';
import { hashManifest } from './election.ts';

/** B.1.5.1 the poll fingerprint of a manifest payload: its manifest hash h_M. */
export function pollFingerprint(manifestBytes: Uint8Array): Uint8Array {
  return hashManifest(manifestBytes);
}

/** B.1.5.1 for people: 52 symbols in groups of four separated by spaces. */
export function formatPollFingerprint(fingerprint: Uint8Array): string {
  if (fingerprint.length !== 32) throw new Error('bug: a poll fingerprint is 32 bytes');
  return toBase32(fingerprint).replace(/(.{4})(?!$)/g, '$1 ');
}

/**
 * B.1.5.1 reads a fingerprint typed, pasted or scanned: the base32 text (spaces, hyphens, lower case,
 * O/I/L allowed) or 64 hex digits. Null if it is neither.
 */
export function parsePollFingerprint(text: string): Uint8Array | null {
  const t = text.trim();
  if (/^[0-9a-fA-F]{64}$/.test(t)) return Uint8Array.from(t.match(/../g)!, (h) => parseInt(h, 16));
  const s = normaliseBase32(t);
  return s === null ? null : fromBase32(s, 32);
}
