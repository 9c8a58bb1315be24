/**
 * Reads whatever the voter gives the check page: a tracker (typed, in groups or not; or hex), or only
 * its first groups (at least four, spec §Q.7.3), a check link `<origin>/poll/<id>/check?tracker=…`, a
 * signed receipt note (as its QR code holds it), or a whole receipt file. Pure.
 */
import { TRACKER_PREFIX_SYMBOLS, TRACKER_SYMBOLS, fromHex, parseTracker, readTrackerStart } from '../../../crypto/index.ts';
import { decodeReceiptText, parseNote } from '../../../bulletin-board/index.ts';
import { isReceiptFile, readReceiptFile, type ReceiptParts } from './receipt-file.ts';

/** What to check: a tracker, or a receipt (the note alone, or with its checkpoint and proof); and the poll when known. */
export interface CheckRequest {
  readonly poll: string | null;
  readonly tracker: Uint8Array | null;
  readonly receipt: { readonly note: string; readonly parts: ReceiptParts | null } | null;
  /** the poll fingerprint she holds (typed, or from the notice's QR code or a link's `fp`), as given: the check stops if the board's manifest has another (§B.1.5.1) */
  readonly fingerprint?: string;
  /** only the start of a tracker was given (canonical symbols, four groups at least): the ballot is looked up by it (§Q.7.3) */
  readonly start?: string;
  /** the tracker came in a check link (the report's words say so) */
  readonly viaLink?: boolean;
}

/** What was given, as the report's words name it. */
export type Given = 'tracker' | 'link' | 'receipt';

export function givenOf(req: CheckRequest): Given {
  return req.receipt !== null ? 'receipt' : req.viaLink ? 'link' : 'tracker';
}

const RECEIPT_START = 'gongshi/1 receipt\n';

/** The poll of a log origin `<host>/poll/<hex id>`, or null. */
export function pollOfOrigin(origin: string): string | null {
  return /\/poll\/([0-9a-f]{32})$/.exec(origin)?.[1] ?? null;
}

/** The poll a receipt note names, or null when the note cannot be read. */
function pollOfNote(note: string): string | null {
  try {
    return pollOfOrigin(decodeReceiptText(parseNote(note).text).origin);
  } catch {
    return null;
  }
}

/** A tracker as a person or a link writes it: base32 symbols (§Q.7) or 64 hex digits. */
export function readTracker(text: string): Uint8Array | null {
  const s = text.trim();
  if (/^[0-9a-f]{64}$/.test(s)) return fromHex(s, 'tracker');
  return parseTracker(s);
}

/** Reads the input; null when it is none of the above. `poll` is the page's poll, if any. */
export function readCheckInput(text: string, poll: string | null): CheckRequest | null {
  const s = text.replace(/\r\n?/g, '\n');
  if (isReceiptFile(s)) {
    const parts = readReceiptFile(s);
    if (parts === null) return null;
    return { poll: pollOfNote(parts.receipt) ?? poll, tracker: null, receipt: { note: parts.receipt, parts } };
  }
  const at = s.indexOf(RECEIPT_START);
  if (at >= 0) {
    const note = s.slice(at).replace(/\s+$/, '') + '\n';
    return { poll: pollOfNote(note) ?? poll, tracker: null, receipt: { note, parts: null } };
  }
  const link = /[?&]tracker=([^&#\s]+)/.exec(s);
  if (link) {
    let value = link[1];
    try {
      value = decodeURIComponent(value.replace(/\+/g, ' '));
    } catch {
      // keep it as it is
    }
    const linked = /\/poll\/([0-9a-f]{32})\/check/.exec(s)?.[1] ?? null;
    const found = readTrackerOrStart(value, linked ?? poll);
    return found === null ? null : { ...found, viaLink: true };
  }
  return readTrackerOrStart(s, poll);
}

/** A whole tracker, or the start of one of four groups or more; null otherwise. */
function readTrackerOrStart(text: string, poll: string | null): CheckRequest | null {
  const tracker = readTracker(text);
  if (tracker !== null) return { poll, tracker, receipt: null };
  const start = readTrackerStart(text);
  if (start === null || start.length < TRACKER_PREFIX_SYMBOLS || start.length >= TRACKER_SYMBOLS) return null;
  return { poll, tracker: null, receipt: null, start };
}

/** Whether the text reads as the start of a tracker too short to look up (fewer than four groups): she is told how much to give. */
export function tooShortStart(text: string): boolean {
  const link = /[?&]tracker=([^&#\s]+)/.exec(text);
  let value = link ? link[1] : text;
  try {
    value = decodeURIComponent(value);
  } catch {
    // keep it as it is
  }
  const start = readTrackerStart(value);
  return start !== null && start.length < TRACKER_PREFIX_SYMBOLS;
}
