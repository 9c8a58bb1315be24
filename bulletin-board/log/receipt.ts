/**
 * Cast receipts: the log's signed statement that the entry of this type (a cast ballot or an audit),
 * with this hash and tracker, is at this height of this board. With a signed checkpoint and an inclusion proof it is evidence the voter can
 * show if the entry ever goes missing. Spec §B.3.11. Pure and browser-safe.
 */
import { DecodeError, bytesEqual } from '../../crypto/index.ts';
import { decodeBase64, ed25519NoteSigner, ed25519NoteVerifier, encodeBase64, openNote, signNote, type NoteSigner, type SignerKey, type VerifierKey } from './note.ts';

/** B.3.11 the first line of every receipt text. */
export const RECEIPT_HEADER = 'gongshi/1 receipt';

/** B.3.11 the entry types a receipt can name. */
export type ReceiptEntryType = 'ballot' | 'audit';

export interface ReceiptStatement {
  /** the board's origin, `<host>/poll/<hex id>` (the log key's name) */
  readonly origin: string;
  /** B.3.11 what the entry is: a cast ballot (counted) or an audited one (never counted) */
  readonly type: ReceiptEntryType;
  readonly height: number;
  /** the entry hash (§B.1.3), 32 bytes */
  readonly entryHash: Uint8Array;
  /** the ballot's or audit's tracker (§Q.7), 32 bytes */
  readonly tracker: Uint8Array;
}

/** B.3.11 the receipt text: six lines, each ending in U+000A. */
export function encodeReceiptText(r: ReceiptStatement): string {
  if (!Number.isSafeInteger(r.height) || r.height < 0) throw new DecodeError('height', 'not a non-negative safe integer');
  if (r.entryHash.length !== 32) throw new DecodeError('entryHash', 'not 32 bytes');
  if (r.tracker.length !== 32) throw new DecodeError('tracker', 'not 32 bytes');
  if (r.type !== 'ballot' && r.type !== 'audit') throw new DecodeError('type', 'not ballot or audit');
  return `${RECEIPT_HEADER}\n${r.origin}\n${r.type}\n${r.height}\n${encodeBase64(r.entryHash)}\n${encodeBase64(r.tracker)}\n`;
}

/** B.3.11 decodes a receipt text strictly: exactly six lines, the type, canonical decimal and base64. */
export function decodeReceiptText(text: string): ReceiptStatement {
  const lines = text.split('\n');
  if (lines.length !== 7 || lines[6] !== '') throw new DecodeError('receipt', 'not six lines ending in a newline');
  const [header, origin, type, height, entryHash, tracker] = lines;
  if (header !== RECEIPT_HEADER) throw new DecodeError('receipt.header', `not "${RECEIPT_HEADER}"`);
  if (origin.length === 0) throw new DecodeError('receipt.origin', 'empty');
  if (!/^(0|[1-9][0-9]{0,15})$/.test(height) || !Number.isSafeInteger(Number(height))) throw new DecodeError('receipt.height', 'not a canonical decimal safe integer');
  if (type !== 'ballot' && type !== 'audit') throw new DecodeError('receipt.type', 'not "ballot" or "audit"');
  const r = { origin, type: type as ReceiptEntryType, height: Number(height), entryHash: decodeBase64(entryHash, 'receipt.entryHash'), tracker: decodeBase64(tracker, 'receipt.tracker') };
  if (r.entryHash.length !== 32) throw new DecodeError('receipt.entryHash', 'not 32 bytes');
  if (r.tracker.length !== 32) throw new DecodeError('receipt.tracker', 'not 32 bytes');
  return r;
}

/**
 * B.3.11 signs a receipt as a note with the log key (whose name must be the origin). `signer` may be
 * another implementation of the same key (Ed25519 is deterministic: the bytes are the same).
 */
export function signReceipt(r: ReceiptStatement, logKey: SignerKey, signer: NoteSigner = ed25519NoteSigner(logKey)): string {
  if (logKey.name !== r.origin || signer.name !== logKey.name || signer.keyId !== logKey.keyId) throw new DecodeError('logKey', 'key name differs from the receipt origin');
  return signNote(encodeReceiptText(r), [signer]);
}

export type ReceiptVerdict = { readonly ok: true; readonly receipt: ReceiptStatement } | { readonly ok: false; readonly reason: string };

/**
 * B.3.11 opens a signed receipt with the log key. Throws DecodeError on a malformed note or text;
 * returns a finding when the log's signature is missing or wrong or the origin is not the key name.
 */
export function openReceipt(note: string, logKey: VerifierKey): ReceiptVerdict {
  const opened = openNote(note, [ed25519NoteVerifier(logKey)]);
  if (!opened.ok) return { ok: false, reason: opened.reason === 'invalid-signature' ? 'the log signature on the receipt is invalid' : 'the receipt is not signed by the log key' };
  const receipt = decodeReceiptText(opened.text);
  if (receipt.origin !== logKey.name) return { ok: false, reason: 'the receipt names another board' };
  return { ok: true, receipt };
}

/** Whether two receipt statements say the same thing. */
export function sameReceipt(a: ReceiptStatement, b: ReceiptStatement): boolean {
  return a.origin === b.origin && a.type === b.type && a.height === b.height && bytesEqual(a.entryHash, b.entryHash) && bytesEqual(a.tracker, b.tracker);
}
