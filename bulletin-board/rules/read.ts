/**
 * The first half of the rules: reading an entry against the state without changing it. Header,
 * chain, time and phase are checked before the payload is decoded. Spec §B.4.4 steps 1–5.
 */
import { DecodeError, bytesEqual } from '../../crypto/index.ts';
import { decodeEntry, genesisHash, type EntryTypeName, type RawEntry } from '../records/entry.ts';
import { decodePayload, type Payload } from '../records/payloads.ts';
import { reject, type Rejection } from './codes.ts';
import type { BoardState, Phase } from './state.ts';

export interface DecodedEntry extends RawEntry {
  readonly content: Payload;
}

/** B.4.2 which entry types each phase allows. */
export const ALLOWED: Readonly<Record<Phase, readonly EntryTypeName[]>> = {
  empty: ['manifest'],
  setup: ['credentials', 'revoke', 'ceremony', 'extend'],
  ceremony: ['credentials', 'revoke', 'ceremony', 'step', 'trustee', 'key', 'extend'],
  ready: ['credentials', 'revoke', 'open', 'extend'],
  open: ['ballot', 'audit', 'credentials', 'revoke', 'close', 'extend'],
  closed: ['tally'],
  tallied: ['decryption', 'result'],
  done: [],
};

/** A decode error as a MALFORMED rejection naming the field; anything else is rethrown. */
function malformed(e: unknown, height: number, where = ''): Rejection {
  if (e instanceof DecodeError) return reject('MALFORMED', e.message, height, `${where}${e.field}`);
  throw e;
}

/**
 * B.4.4 steps 1–4: reads the header of `bytes` as the next entry of the board in `state` (chain, time,
 * phase) and, for the manifest at height 0, its payload (the genesis hash needs the poll id). Never
 * changes `state`. The payload of any other type is still bytes.
 */
export function readHeader(state: BoardState, bytes: Uint8Array): { raw: RawEntry; content: Payload | null } | Rejection {
  const height = state.height;
  let raw: RawEntry;
  try {
    raw = decodeEntry(bytes); // 1. header
  } catch (e) {
    return malformed(e, height);
  }
  if (raw.height !== height) return reject('BAD_CHAIN', `height ${raw.height}, expected ${height}`, height); // 2. chain
  let content: Payload | null = null;
  if (height === 0) {
    if (raw.type !== 'manifest') return reject('WRONG_PHASE', 'the first entry is the manifest', height);
    try {
      content = decodePayload('manifest', raw.payload, { shapes: null });
    } catch (e) {
      return malformed(e, height, 'payload.');
    }
    if (content.type === 'manifest' && !bytesEqual(raw.prev, genesisHash(content.manifest.pollId)))
      return reject('BAD_CHAIN', 'the manifest’s prev is not the genesis hash of its poll id', height);
  } else if (!bytesEqual(raw.prev, state.head!)) {
    return reject('BAD_CHAIN', 'prev is not the hash of the entry before', height);
  }
  if (raw.time < state.time) return reject('BAD_TIME', `time ${raw.time} is before the previous entry’s ${state.time}`, height); // 3. time
  if (!ALLOWED[state.phase].includes(raw.type)) return reject('WRONG_PHASE', `a ${raw.type} entry is not allowed in phase ${state.phase}`, height); // 4. phase
  return { raw, content };
}

/**
 * B.4.4 steps 1–5: decodes `bytes` as the next entry of the board in `state`. Never changes `state`.
 * `decoded`, when given, is the caller's own decoding of this very payload under this state's shapes
 * (the board decodes ballots once, for batch verification).
 */
export function readEntry(state: BoardState, bytes: Uint8Array, decoded?: Payload): DecodedEntry | Rejection {
  const header = readHeader(state, bytes);
  if (!('raw' in header)) return header;
  const { raw } = header;
  let content = header.content;
  if (content === null && decoded !== undefined && decoded.type === raw.type) content = decoded;
  if (content === null) {
    try {
      content = decodePayload(raw.type, raw.payload, { shapes: state.shapes }); // 5. payload
    } catch (e) {
      return malformed(e, raw.height, 'payload.');
    }
  }
  return { ...raw, content };
}
