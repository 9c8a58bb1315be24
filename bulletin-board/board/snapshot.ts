/**
 * A snapshot of the voting ledger that ballots and audits build, kept by a board beside its log so
 * that opening need not replay every ballot through the rules. Storage, not protocol: no observer ever
 * sees or trusts it. Spec §B.5.4.
 */
import { DecodeError, bytesEqual, fromHex, hmacSha256, taggedHash, toHex } from '../../crypto/index.ts';
import type { SignerKey } from '../log/note.ts';
import { slotCount } from '../records/payloads.ts';
import type { BoardState } from '../rules/state.ts';

/** B.5.4 the first byte of every snapshot. */
export const SNAPSHOT_VERSION = 1;
const MAC_BYTES = 32;

/** One listed credential's part of the ledger. */
export interface LedgerCredential {
  /** enc(X) */
  readonly key: Uint8Array;
  readonly ballots: number;
  readonly audits: number;
  /** α ‖ β of every slot of its last cast ballot (64 bytes a slot); null when it has cast none */
  readonly last: Uint8Array | null;
}

/** B.5.4 what a snapshot holds: the ledger at `height`, bound to the head hash there. */
export interface Ledger {
  readonly height: number;
  /** the hash of the entry at height − 1 */
  readonly head: Uint8Array;
  /** the slots of a ballot (every question's) */
  readonly slots: number;
  readonly ballots: number;
  readonly audits: number;
  /** every listed credential, in listing order */
  readonly credentials: readonly LedgerCredential[];
  /** every ciphertext component of every ballot and audit, 32 bytes each, one after another (when decoded: a view into the snapshot) */
  readonly components: Uint8Array;
}

/** B.5.4 the key of a board's snapshot MAC: derived from the log's signing key, so only its holder can make one. */
export function snapshotKey(logKey: SignerKey): Uint8Array {
  return taggedHash('gongshi/1/snapshot-mac', logKey.seed);
}

/** B.5.4 the ledger of `state` after its last entry (the last ballots are the state's own arrays, which the rules replace and never change). */
export function ledgerOf(state: BoardState): Ledger {
  if (state.shapes === null || state.head === null) throw new Error('bug: a snapshot of a board without a manifest');
  const components = new Uint8Array(state.components.size * 32);
  let at = 0;
  for (const c of state.components.values()) {
    components.set(c, at);
    at += 32;
  }
  return {
    height: state.height,
    head: state.head,
    slots: slotCount(state.shapes),
    ballots: state.ballots,
    audits: state.audits,
    credentials: [...state.credentials].map(([id, c]) => ({ key: fromHex(id, 'credential'), ballots: c.ballots, audits: c.audits, last: c.last })),
    components,
  };
}

/** B.5.4 the snapshot of `state`, MACed under `key` (see encodeLedger). */
export function encodeSnapshot(state: BoardState, key: Uint8Array): Uint8Array {
  return encodeLedger(ledgerOf(state), key);
}

/**
 * B.5.4 a ledger's snapshot bytes, MACed under `key`:
 *   u8 version ‖ u64 height ‖ head (32) ‖ u32 slots ‖ u32 ballots ‖ u32 audits
 *   ‖ u32 n ‖ n × (enc(X) ‖ u32 ballots ‖ u32 audits ‖ last (64·slots bytes, only when ballots > 0))
 *   ‖ u32 c ‖ c × component (32) ‖ HMAC-SHA256(key, everything before)
 * Throws Error('bug: …') on a ledger that does not fit the layout.
 */
export function encodeLedger(ledger: Ledger, key: Uint8Array): Uint8Array {
  const { slots } = ledger;
  if (ledger.head.length !== 32 || ledger.components.length % 32 !== 0) throw new Error('bug: a ledger’s head is 32 bytes and its components 32 each');
  let size = 1 + 8 + 32 + 4 * 3 + 4 + 4 + ledger.components.length + MAC_BYTES;
  for (const c of ledger.credentials) size += 32 + 8 + (c.ballots > 0 ? 64 * slots : 0);
  const out = new Uint8Array(size);
  const view = new DataView(out.buffer);
  let at = 0;
  const u32 = (n: number) => {
    view.setUint32(at, n);
    at += 4;
  };
  const bytes = (b: Uint8Array) => {
    out.set(b, at);
    at += b.length;
  };
  out[at++] = SNAPSHOT_VERSION;
  view.setBigUint64(at, BigInt(ledger.height));
  at += 8;
  bytes(ledger.head);
  u32(slots);
  u32(ledger.ballots);
  u32(ledger.audits);
  u32(ledger.credentials.length);
  for (const c of ledger.credentials) {
    if (c.key.length !== 32) throw new Error('bug: a credential key is 32 bytes');
    bytes(c.key);
    u32(c.ballots);
    u32(c.audits);
    if (c.ballots > 0) {
      if (c.last === null || c.last.length !== 64 * slots) throw new Error('bug: a credential that cast has no last ballot of the poll’s slots');
      bytes(c.last);
    }
  }
  u32(ledger.components.length / 32);
  bytes(ledger.components);
  if (at !== size - MAC_BYTES) throw new Error('bug: snapshot size');
  out.set(hmacSha256(key, out.subarray(0, at)), at);
  return out;
}

/**
 * B.5.4 reads a snapshot: the MAC first (a snapshot not made with `key` is refused before anything
 * in it is read), then the strict layout. Throws DecodeError naming what is wrong.
 */
export function decodeSnapshot(snapshot: Uint8Array, key: Uint8Array): Ledger {
  if (snapshot.length < 1 + 8 + 32 + 20 + 4 + MAC_BYTES) throw new DecodeError('snapshot', 'too short');
  const body = snapshot.subarray(0, snapshot.length - MAC_BYTES);
  if (!bytesEqual(hmacSha256(key, body), snapshot.subarray(body.length))) throw new DecodeError('snapshot.mac', 'the MAC does not verify under this board’s key');
  const view = new DataView(body.buffer, body.byteOffset, body.byteLength);
  let at = 0;
  const need = (n: number, field: string) => {
    if (at + n > body.length) throw new DecodeError(field, 'input ends too early');
  };
  const u32 = (field: string) => {
    need(4, field);
    const n = view.getUint32(at);
    at += 4;
    return n;
  };
  const bytes = (n: number, field: string) => {
    need(n, field);
    const b = body.slice(at, at + n);
    at += n;
    return b;
  };
  if (body[at++] !== SNAPSHOT_VERSION) throw new DecodeError('snapshot.version', `unknown snapshot version ${body[0]}`);
  need(8, 'height');
  const height = Number(view.getBigUint64(at));
  at += 8;
  if (!Number.isSafeInteger(height)) throw new DecodeError('height', 'out of range');
  const head = bytes(32, 'head');
  const slots = u32('slots');
  const ballots = u32('ballots');
  const audits = u32('audits');
  const n = u32('credentials');
  const credentials: LedgerCredential[] = [];
  for (let i = 0; i < n; i++) {
    const key = bytes(32, `credentials[${i}].key`);
    const b = u32(`credentials[${i}].ballots`);
    const a = u32(`credentials[${i}].audits`);
    credentials.push({ key, ballots: b, audits: a, last: b > 0 ? bytes(64 * slots, `credentials[${i}].last`) : null });
  }
  const c = u32('components');
  need(c * 32, 'components');
  // a view: the components are copied into the state's set when loaded, and the view then let go
  const components = body.subarray(at, (at += c * 32));
  if (at !== body.length) throw new DecodeError('end', `${body.length - at} trailing bytes`);
  return { height, head, slots, ballots, audits, credentials, components };
}

/** hex(enc(X)) of a ledger credential: the key of `BoardState.credentials`. */
export const credentialId = (c: LedgerCredential): string => toHex(c.key);
