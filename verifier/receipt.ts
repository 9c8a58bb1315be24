/**
 * The voter's check of a cast receipt (spec §B.3.11, checks V17 and V14 of §V): the log signed the
 * receipt, the log signed a checkpoint whose tree includes the receipt's entry, and the inclusion
 * proof leads from the entry hash to that checkpoint's root. Pure and browser-safe.
 */
import { DecodeError, bytesEqual } from '../crypto/index.ts';
import { MerkleInputError, hashLeaf, openReceipt, verifyCheckpoint, verifyInclusion, type Checkpoint, type ReceiptEntryType, type ReceiptStatement, type VerifierKey } from '../bulletin-board/index.ts';

export interface CastReceipt {
  /** the signed receipt note */
  readonly receipt: string;
  /** a signed checkpoint whose tree includes the entry */
  readonly checkpoint: string;
  /** the inclusion proof of the entry in that checkpoint's tree (RFC 9162 §2.1.3) */
  readonly path: readonly Uint8Array[];
}

/** A cast receipt as the API carries it in JSON (docs/api.md, ReceiptView): hex and text, the path as hex nodes. */
export interface ReceiptView {
  readonly poll: string;
  /** what the receipt says the entry is (its signed text says it too) */
  readonly type: ReceiptEntryType;
  readonly height: number;
  readonly tracker: string;
  readonly entryHash: string;
  readonly receipt: string;
  readonly checkpoint: string;
  readonly size: number;
  readonly path: readonly string[];
}

export type ReceiptCheck =
  | { readonly ok: true; readonly statement: ReceiptStatement; readonly checkpoint: Checkpoint }
  | { readonly ok: false; readonly reason: string };

/**
 * B.3.11 checks a receipt against the log's key and, when given, the tracker the voter's own device
 * computed and the entry type she asked for (a cast ballot or an audit: an audit posted as a ballot
 * would count a vote whose opening the server knows). Returns a finding naming what failed;
 * malformed input is a finding too, never a throw.
 */
export function verifyReceipt(r: CastReceipt, logKey: VerifierKey, expectedTracker?: Uint8Array, expectedType?: ReceiptEntryType): ReceiptCheck {
  try {
    const opened = openReceipt(r.receipt, logKey);
    if (!opened.ok) return opened;
    const statement = opened.receipt;
    if (expectedTracker !== undefined && !bytesEqual(expectedTracker, statement.tracker)) return { ok: false, reason: 'the receipt names another tracker than this ballot' };
    if (expectedType !== undefined && statement.type !== expectedType)
      return { ok: false, reason: expectedType === 'audit' ? 'the board holds this ballot as a CAST ballot, not as the audit that was asked for' : 'the board holds this ballot as an audit, not as a cast ballot' };
    const signed = verifyCheckpoint(r.checkpoint, logKey);
    if (!signed.ok) return { ok: false, reason: `the checkpoint does not verify: ${signed.reason}` };
    const { checkpoint } = signed;
    if (checkpoint.size <= statement.height) return { ok: false, reason: `the checkpoint of ${checkpoint.size} entries does not reach height ${statement.height}` };
    const included = verifyInclusion(hashLeaf(statement.entryHash), { index: statement.height, size: checkpoint.size, path: r.path }, checkpoint.rootHash);
    if (!included) return { ok: false, reason: 'the inclusion proof does not lead to the checkpoint root' };
    return { ok: true, statement, checkpoint };
  } catch (e) {
    if (e instanceof DecodeError || e instanceof MerkleInputError) return { ok: false, reason: `malformed receipt: ${e.message}` };
    throw e;
  }
}
