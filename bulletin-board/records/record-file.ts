/**
 * The record file: one self-contained download of a poll's board that a verifier reads offline.
 * Written and read as a stream of items. Spec §B.6.
 *   "gongshi-record/1\n" ‖ item* ‖ end item,  item = u8 tag ‖ u32 length ‖ bytes
 * Tags: 1 the log's verifier key (first, once), 2 an entry (in height order), 3 a signed checkpoint
 * (after every entry), 0 the end (u64 number of entries).
 */
import { DecodeError, Writer } from '../../crypto/index.ts';
import { MAX_ENTRY_BYTES } from './entry.ts';

export const RECORD_MAGIC = 'gongshi-record/1\n';
const MAGIC = new TextEncoder().encode(RECORD_MAGIC);
const MAX_NOTE_BYTES = 1024 * 1024;
export const RecordTag = { end: 0, logKey: 1, entry: 2, checkpoint: 3 } as const;

export type RecordItem =
  | { readonly kind: 'logKey'; readonly key: string }
  | { readonly kind: 'entry'; readonly bytes: Uint8Array }
  | { readonly kind: 'checkpoint'; readonly note: string }
  | { readonly kind: 'end'; readonly entries: number };

const utf8 = new TextEncoder();
const strict = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** B.6 the bytes that start a record file. */
export function recordHeader(): Uint8Array {
  return MAGIC.slice();
}

/** B.6 one item's bytes. */
export function encodeRecordItem(item: RecordItem): Uint8Array {
  const w = new Writer();
  switch (item.kind) {
    case 'logKey':
      return w.u8(RecordTag.logKey).framed(utf8.encode(item.key)).finish();
    case 'entry':
      return w.u8(RecordTag.entry).framed(item.bytes).finish();
    case 'checkpoint':
      return w.u8(RecordTag.checkpoint).framed(utf8.encode(item.note)).finish();
    case 'end':
      return w.u8(RecordTag.end).framed(new Writer().u64(item.entries).finish()).finish();
  }
}

/**
 * B.6 reads a record file from chunks of any size, holding at most one item in memory. `push`
 * returns the items completed by the chunk; `finish` checks the file ended right after its end item.
 * Throws DecodeError naming the item (by its position) on anything malformed.
 */
export class RecordParser {
  private buffer = new Uint8Array(0);
  private stage: 'magic' | 'logKey' | 'entries' | 'checkpoints' | 'ended' = 'magic';
  private entries = 0;
  private items = 0;
  private checkpoints = 0;

  push(chunk: Uint8Array): RecordItem[] {
    // Keep only the unread tail, then read items by offset (no copy per item).
    const joined = new Uint8Array(this.buffer.length + chunk.length);
    joined.set(this.buffer);
    joined.set(chunk, this.buffer.length);
    const buf = joined;
    let at = 0;
    const out: RecordItem[] = [];
    for (;;) {
      const left = buf.length - at;
      if (this.stage === 'magic') {
        const seen = Math.min(left, MAGIC.length);
        if (!MAGIC.subarray(0, seen).every((b, i) => b === buf[at + i])) throw new DecodeError('magic', 'not a gongshi record file (or another version)');
        if (seen < MAGIC.length) break;
        at += MAGIC.length;
        this.stage = 'logKey';
        continue;
      }
      if (this.stage === 'ended') {
        if (left > 0) throw new DecodeError('end', 'bytes after the end of the record');
        break;
      }
      if (left < 5) break;
      const tag = buf[at];
      const length = new DataView(buf.buffer, buf.byteOffset + at + 1, 4).getUint32(0);
      const field = `item[${this.items}]`;
      const limit = tag === RecordTag.entry ? MAX_ENTRY_BYTES : tag === RecordTag.end ? 8 : MAX_NOTE_BYTES;
      if (length > limit) throw new DecodeError(field, `an item of ${length} bytes is over the limit`);
      if (left < 5 + length) break;
      const body = buf.slice(at + 5, at + 5 + length);
      at += 5 + length;
      out.push(this.item(tag, body, field));
      this.items += 1;
    }
    this.buffer = buf.slice(at);
    return out;
  }

  private item(tag: number, body: Uint8Array, field: string): RecordItem {
    const text = () => {
      try {
        return strict.decode(body);
      } catch {
        throw new DecodeError(field, 'not valid UTF-8');
      }
    };
    if (this.stage === 'logKey') {
      if (tag !== RecordTag.logKey) throw new DecodeError(field, 'a record starts with the log’s key');
      this.stage = 'entries';
      return { kind: 'logKey', key: text() };
    }
    switch (tag) {
      case RecordTag.logKey:
        throw new DecodeError(field, 'a second log key');
      case RecordTag.entry:
        if (this.stage !== 'entries') throw new DecodeError(field, 'an entry after the checkpoints');
        this.entries += 1;
        return { kind: 'entry', bytes: body };
      case RecordTag.checkpoint:
        this.stage = 'checkpoints';
        this.checkpoints += 1;
        return { kind: 'checkpoint', note: text() };
      case RecordTag.end: {
        if (length8(body) !== this.entries) throw new DecodeError(field, `the end says ${length8(body)} entries; the file has ${this.entries}`);
        if (this.checkpoints === 0) throw new DecodeError(field, 'a record has at least one checkpoint');
        this.stage = 'ended';
        return { kind: 'end', entries: this.entries };
      }
      default:
        throw new DecodeError(field, `unknown item tag ${tag}`);
    }
  }

  /** Call when the input is over: throws DecodeError unless the end item was read. */
  finish(): void {
    if (this.stage !== 'ended') throw new DecodeError('end', 'the record file is truncated: no end item');
  }
}

function length8(body: Uint8Array): number {
  if (body.length !== 8) throw new DecodeError('end', 'the end item holds a u64');
  const n = new DataView(body.buffer, body.byteOffset, 8).getBigUint64(0);
  if (n > BigInt(Number.MAX_SAFE_INTEGER)) throw new DecodeError('end', 'entry count too large');
  return Number(n);
}

/** Reads a whole record file held in memory. Throws DecodeError. */
export function parseRecord(bytes: Uint8Array): { logKey: string; entries: Uint8Array[]; checkpoints: string[] } {
  const parser = new RecordParser();
  const items = parser.push(bytes);
  parser.finish();
  let logKey = '';
  const entries: Uint8Array[] = [];
  const checkpoints: string[] = [];
  for (const it of items) {
    if (it.kind === 'logKey') logKey = it.key;
    else if (it.kind === 'entry') entries.push(it.bytes);
    else if (it.kind === 'checkpoint') checkpoints.push(it.note);
  }
  return { logKey, entries, checkpoints };
}
