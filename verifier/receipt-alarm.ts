/**
 * The booth's reading of the receipt it got for what it posted (spec §B.3.11 step 2): the receipt is
 * good, or the log signed that her entry is of another type than she asked for (an alarm, with the
 * signed note as evidence), or it does not check out. Pure and browser-safe.
 */
import { DecodeError, bytesEqual } from '../crypto/index.ts';
import { openReceipt, type Checkpoint, type ReceiptEntryType, type ReceiptStatement, type VerifierKey } from '../bulletin-board/index.ts';
import { verifyReceipt, type CastReceipt } from './receipt.ts';

export type ReceiptAlarm =
  /** B.3.11 steps 1–4 hold, and the type is the one she asked for */
  | { readonly kind: 'ok'; readonly statement: ReceiptStatement; readonly checkpoint: Checkpoint }
  /**
   * The log signed, for her tracker, another entry type than she asked for. `statement` is what it
   * signed; `checkpoint` is the signed checkpoint that includes the entry, or null when the checkpoint
   * or the inclusion proof does not check out (`reason` then says how): the signed note alone is
   * already the log's word against itself.
   */
  | { readonly kind: 'wrong-type'; readonly asked: ReceiptEntryType; readonly statement: ReceiptStatement; readonly checkpoint: Checkpoint | null; readonly reason: string | null }
  /** the receipt does not check out (not signed by the log, another tracker, bad checkpoint or proof, malformed) */
  | { readonly kind: 'bad-receipt'; readonly reason: string };

/**
 * B.3.11 classifies the receipt for the entry her device posted: `tracker` is the one it computed,
 * `asked` the type it posted (`ballot` for a cast, `audit` for an audit). A receipt that says `ballot`
 * for an audit means the server holds an opened ballot as a counted vote (and her real vote would then
 * meet the revote limit); one that says `audit` for a cast means her vote will not count. Both are
 * 'wrong-type'. Never throws on malformed input.
 */
export function classifyReceipt(parts: CastReceipt, logKey: VerifierKey, tracker: Uint8Array, asked: ReceiptEntryType): ReceiptAlarm {
  // B.3.11 steps 1, 2 (tracker), 3, 4; the type is read here, not refused, so that it can be named.
  const full = verifyReceipt(parts, logKey, tracker);
  if (full.ok)
    return full.statement.type === asked ? { kind: 'ok', statement: full.statement, checkpoint: full.checkpoint } : { kind: 'wrong-type', asked, statement: full.statement, checkpoint: full.checkpoint, reason: null };
  // Steps 3 or 4 failed: the signed note may still say, for her tracker, another type.
  const note = openedNote(parts.receipt, logKey);
  if (note !== null && bytesEqual(note.tracker, tracker) && note.type !== asked) return { kind: 'wrong-type', asked, statement: note, checkpoint: null, reason: full.reason };
  return { kind: 'bad-receipt', reason: full.reason };
}

/** B.3.11 step 1 alone: the statement of a note the log key signed, or null. */
function openedNote(note: string, logKey: VerifierKey): ReceiptStatement | null {
  try {
    const opened = openReceipt(note, logKey);
    return opened.ok ? opened.receipt : null;
  } catch (e) {
    if (e instanceof DecodeError) return null;
    throw e;
  }
}
