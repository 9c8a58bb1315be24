/**
 * Compares the poll fingerprint a person holds (typed, pasted or scanned from the poll's notice or her
 * code sheet) with the manifest of the board her device replayed. Spec §B.1.5.1, V42.
 */
import { bytesEqual } from '../crypto/index.ts';
import { formatPollFingerprint, parsePollFingerprint, pollFingerprint } from '../bulletin-board/index.ts';

export type FingerprintComparison = { ok: true; fingerprint: string } | { ok: false; reason: 'unreadable' } | { ok: false; reason: 'different'; held: string; board: string };

/**
 * B.1.5.1 whether `held` (the 52 symbols in any accepted spelling, 64 hex digits, or the 32 bytes) is
 * the fingerprint of `manifestBytes` (the manifest payload, entry 0 of the board). 'unreadable' when
 * `held` is no fingerprint at all (a typo); 'different' with both fingerprints as people read them.
 */
export function compareFingerprint(held: string | Uint8Array, manifestBytes: Uint8Array): FingerprintComparison {
  const want = typeof held === 'string' ? parsePollFingerprint(held) : held;
  if (want === null || want.length !== 32) return { ok: false, reason: 'unreadable' };
  const board = pollFingerprint(manifestBytes);
  if (bytesEqual(want, board)) return { ok: true, fingerprint: formatPollFingerprint(board) };
  return { ok: false, reason: 'different', held: formatPollFingerprint(want), board: formatPollFingerprint(board) };
}
