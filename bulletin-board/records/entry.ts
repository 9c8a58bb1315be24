/**
 * The board's entries: one header layout for every type, the entry hash, and the hash chain. Spec §B.1.
 *   u8 type ‖ u8 version ‖ u64 height ‖ prev (32) ‖ u64 time ‖ payload
 * The payload's layout depends on the type (payloads.ts, manifest.ts) and takes the rest of the bytes.
 */
import { DecodeError, Reader, Writer, taggedHash } from '../../crypto/index.ts';

/** B.1.2 the version byte of every entry of this protocol version. */
export const ENTRY_VERSION = 1;

/** B.1.2 entry types: the first byte of every entry. */
export const EntryType = {
  manifest: 1,
  credentials: 2,
  ceremony: 3,
  step: 4,
  trustee: 5,
  key: 6,
  open: 7,
  ballot: 8,
  audit: 9,
  close: 10,
  tally: 11,
  decryption: 12,
  result: 13,
  extend: 14,
  revoke: 15,
} as const;
export type EntryTypeName = keyof typeof EntryType;

const TYPE_NAMES = new Map<number, EntryTypeName>(Object.entries(EntryType).map(([name, code]) => [code, name as EntryTypeName]));

/** B.1.2 the largest entry the board accepts (a decryption message of 100,000 ciphertexts fits). */
export const MAX_ENTRY_BYTES = 16 * 1024 * 1024;
/** B.1.2 bytes before the payload. */
export const HEADER_BYTES = 1 + 1 + 8 + 32 + 8;

export interface EntryHeader {
  readonly type: EntryTypeName;
  /** position on the board, from 0 */
  readonly height: number;
  /** the hash of the entry at height − 1, or the genesis hash (B.1.3) at height 0 */
  readonly prev: Uint8Array;
  /** milliseconds since 1970-01-01 UTC by the board's clock; never decreases along the chain */
  readonly time: number;
}

/** An entry whose header is read and whose payload is still bytes. */
export interface RawEntry extends EntryHeader {
  readonly payload: Uint8Array;
  /** the whole entry */
  readonly bytes: Uint8Array;
  /** B.1.3 H("gongshi/1/entry", bytes): what the next entry's prev and the Merkle leaf commit to */
  readonly hash: Uint8Array;
}

/** B.1.3 the hash of an entry: H("gongshi/1/entry", bytes). */
export function hashEntry(bytes: Uint8Array): Uint8Array {
  return taggedHash('gongshi/1/entry', bytes);
}

/** B.1.3 the prev of the entry at height 0: H("gongshi/1/genesis", poll id). */
export function genesisHash(pollId: Uint8Array): Uint8Array {
  return taggedHash('gongshi/1/genesis', pollId);
}

/** B.1.2 the bytes of an entry. Throws Error('bug: …') on a header out of range. */
export function encodeEntry(header: EntryHeader, payload: Uint8Array): Uint8Array {
  if (header.prev.length !== 32) throw new Error('bug: prev is 32 bytes');
  const bytes = new Writer().u8(EntryType[header.type]).u8(ENTRY_VERSION).u64(header.height).bytes(header.prev).u64(header.time).bytes(payload).finish();
  if (bytes.length > MAX_ENTRY_BYTES) throw new Error(`bug: an entry of ${bytes.length} bytes is over the limit`);
  return bytes;
}

/** B.1.2 reads the header of an entry; the payload stays bytes. Throws DecodeError. */
export function decodeEntry(bytes: Uint8Array): RawEntry {
  if (!(bytes instanceof Uint8Array)) throw new DecodeError('entry', 'not a byte array');
  if (bytes.length > MAX_ENTRY_BYTES) throw new DecodeError('entry', `${bytes.length} bytes is over the limit of ${MAX_ENTRY_BYTES}`);
  const r = new Reader(bytes);
  const code = r.u8('type');
  const type = TYPE_NAMES.get(code);
  if (type === undefined) throw new DecodeError('type', `unknown entry type ${code}`);
  const version = r.u8('version');
  if (version !== ENTRY_VERSION) throw new DecodeError('version', `unknown entry version ${version}`);
  const height = r.u64('height');
  const prev = r.bytes(32, 'prev');
  const time = r.u64('time');
  const payload = bytes.subarray(r.offset);
  return { type, height, prev, time, payload, bytes, hash: hashEntry(bytes) };
}

