/**
 * The comparison of the poll fingerprint a person holds (from the poll's notice or her code sheet,
 * typed, pasted or scanned) with the manifest of the board her device replayed. Spec §B.1.5.1.
 * Pure and browser-safe.
 */
import { bytesEqual } from '../crypto/index.ts';
import { parsePollFingerprint, pollFingerprint } from '../bulletin-board/index.ts';

export type FingerprintComparison =
  /** the board's manifest is the poll she holds */
  | { readonly ok: true; readonly fingerprint: Uint8Array }
  /** another poll, or the same poll with other keys, texts or schedule: she must not vote here */
  | { readonly ok: false; readonly reason: 'mismatch'; readonly held: Uint8Array; readonly board: Uint8Array }
  /** what she gave is not a fingerprint (a typo, a truncated paste): nothing was compared */
  | { readonly ok: false; readonly reason: 'unreadable'; readonly board: Uint8Array };

/**
 * B.1.5.1 compares `held` (the text as she has it, in any form parsePollFingerprint reads, or its 32
 * bytes) with the fingerprint of `manifestBytes`, the payload of entry 0 of the board her device
 * replayed. Never throws on what she typed.
 */
export function compareFingerprint(held: string | Uint8Array, manifestBytes: Uint8Array): FingerprintComparison {
  const board = pollFingerprint(manifestBytes);
  const heldBytes = typeof held === 'string' ? parsePollFingerprint(held) : held.length === 32 ? held : null;
  if (heldBytes === null) return { ok: false, reason: 'unreadable', board };
  return bytesEqual(heldBytes, board) ? { ok: true, fingerprint: board } : { ok: false, reason: 'mismatch', held: heldBytes, board };
}
