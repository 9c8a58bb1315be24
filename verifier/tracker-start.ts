/**
 * The server's answer when a resident looks her ballot up by the start of its tracker (the groups she
 * wrote down, spec §Q.7.3): the device takes no tracker on the server's word. Every tracker the server
 * names must start with what she typed, be named once, and be 32 bytes; anything else is an alarm, since
 * an honest board answers only with ballots it holds under that start. One matching tracker is hers to
 * check in full; several mean she must type more of it. The full check (receipt, entry, proofs) follows
 * with the one tracker found.
 */
import { fromHex, trackerStartsWith } from '../crypto/index.ts';

export type TrackerStartVerdict =
  /** one ballot on the board starts so: check it in full */
  | { readonly kind: 'one'; readonly tracker: Uint8Array }
  /** no ballot on the board starts so */
  | { readonly kind: 'none' }
  /** more than one does: she must type more of her tracker */
  | { readonly kind: 'several'; readonly trackers: readonly Uint8Array[] }
  /** the server named a tracker that does not start with what she typed (`tracker`), or answered what no honest board would (`tracker` null) */
  | { readonly kind: 'alarm'; readonly tracker: Uint8Array | null };

/**
 * Q.7.3 reads GET …/trackers?prefix=`start` as the server answered it (`{ trackers: [64 hex digits …] }`),
 * `start` being the canonical symbols she typed.
 */
export function checkTrackerStart(start: string, answer: unknown): TrackerStartVerdict {
  const list = (answer as { trackers?: unknown } | null)?.trackers;
  if (!Array.isArray(list) || !list.every((t) => typeof t === 'string' && /^[0-9a-f]{64}$/.test(t))) return { kind: 'alarm', tracker: null };
  if (new Set(list).size !== list.length) return { kind: 'alarm', tracker: null };
  const trackers = (list as string[]).map((t) => fromHex(t, 'tracker'));
  const stranger = trackers.find((t) => !trackerStartsWith(t, start));
  if (stranger !== undefined) return { kind: 'alarm', tracker: stranger };
  if (trackers.length === 0) return { kind: 'none' };
  if (trackers.length === 1) return { kind: 'one', tracker: trackers[0] };
  return { kind: 'several', trackers };
}
