/**
 * A trustee's own check of the key ceremony on the board: under her index, the run's record holds
 * exactly the messages her device posted, byte for byte, and none that it did not. Spec §T.1.4 (every
 * message is signed with the key of the sender's identity), §T.6.0 (one accepted message per trustee
 * and kind), §B.4.5 (steps close in order). The server cannot forge her signature, but it can drop her
 * identity and post one of its own under her index; every other browser then accepts the messages it
 * signs with that key, and it ends the ceremony knowing the election secret. Only her device knows
 * which bytes it sent. Pure and browser-safe.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesEqual, ceremonyHash, decodeTrusteeMessage, toHex, type TrusteeMessage } from '../crypto/index.ts';
import type { BoardState } from '../bulletin-board/index.ts';
import { trusteeFingerprint } from './trustee-fingerprint.ts';

type Ceremony = NonNullable<BoardState['ceremony']>;

export type CeremonyKind = Exclude<TrusteeMessage['kind'], 'decryption'>;

/** T.1.2 each ceremony kind, its step, the record list that holds it, and whether a trustee posts at most one. */
const KINDS: readonly { kind: CeremonyKind; step: number; list: keyof Ceremony['record']; single: boolean }[] = [
  { kind: 'identity', step: 1, list: 'identities', single: true },
  { kind: 'commit', step: 2, list: 'commits', single: true },
  { kind: 'reveal', step: 3, list: 'reveals', single: true },
  { kind: 'shares', step: 4, list: 'shares', single: true },
  { kind: 'complaint', step: 5, list: 'complaints', single: false },
  { kind: 'finish', step: 6, list: 'finishes', single: true },
];

/** One message her device sent to the server, as it sent it. */
export interface PostedMessage {
  /** the exact bytes sent */
  readonly bytes: Uint8Array;
  /** the server answered that the message is on the board (201); false while sending, after a refusal or a lost answer */
  readonly taken: boolean;
}

/** Something the board holds, or lacks, under her index that her device did not do. */
export interface Discrepancy {
  readonly run: number;
  readonly step: number;
  readonly kind: CeremonyKind;
  /**
   * `not-hers`: the board holds a message of this kind under her index that her device never posted;
   * `dropped`: the server took a message of hers, its step has closed, and the board does not hold it.
   */
  readonly problem: 'not-hers' | 'dropped';
  /** SHA-256 (hex) of what her device posted of this kind in the run (for `dropped`, the missing one) */
  readonly mine: readonly string[];
  /** SHA-256 (hex) of the board's message for `not-hers`; null for `dropped` */
  readonly board: string | null;
  /** identity messages only: the key fingerprints (trusteeFingerprint) of the same messages, to read aloud */
  readonly keys: { readonly mine: readonly string[]; readonly board: string | null } | null;
}

export type OwnMessagesVerdict = { readonly ok: true } | { readonly ok: false; readonly discrepancies: readonly Discrepancy[] };

/** SHA-256 of a message, in hex: evidence anyone can recompute from the board's entry with common tools. */
export function hashPostedMessage(bytes: Uint8Array): string {
  return toHex(sha256(bytes));
}

/**
 * Compares run `ceremony` on the board with what trustee `index`'s device posted (`posted` may hold
 * messages of other runs and decryption messages: only this run's ceremony messages count). `over`:
 * the run has ended (a later run started, or the key entry closed step 6), so every step is closed;
 * otherwise the steps before the open one are.
 *
 * Rules, for each kind: every message of that kind under her index must be byte-identical to one she
 * posted; once the kind's step has closed, every message the server took must be on the board. A
 * device that posted nothing in this run cannot tell her messages from others (another device of
 * hers, or a new tab) and finds nothing. Throws `bug:` if `posted` holds bytes that are not a trustee
 * message of hers: the device made them.
 */
export function checkOwnMessages(ceremony: Ceremony, over: boolean, index: number, posted: readonly PostedMessage[]): OwnMessagesVerdict {
  const h = ceremonyHash(ceremony.params);
  const ours: { message: TrusteeMessage; taken: boolean }[] = [];
  for (const p of posted) {
    let message: TrusteeMessage;
    try {
      message = decodeTrusteeMessage(p.bytes);
    } catch (e) {
      throw new Error(`bug: a message this device posted does not decode: ${e instanceof Error ? e.message : String(e)}`);
    }
    if (message.index !== index) throw new Error(`bug: this device posted a message of trustee ${message.index}, not ${index}`);
    if (message.kind !== 'decryption' && bytesEqual(message.fingerprint, h)) ours.push({ message, taken: p.taken });
  }
  if (ours.length === 0) return { ok: true };

  const discrepancies: Discrepancy[] = [];
  for (const { kind, step, list, single } of KINDS) {
    const onBoard = (ceremony.record[list] as readonly TrusteeMessage[]).filter((m) => m.index === index);
    const sent = ours.filter((p) => p.message.kind === kind);
    const mine = distinct(sent.map((p) => p.message));
    const base = { run: ceremony.run, step, kind };
    for (const m of onBoard) {
      if (!holds(mine, m)) discrepancies.push({ ...base, problem: 'not-hers', ...evidence(kind, mine, m) });
    }
    // B.4.5.2 a step entry closes the step: what the server took in it is on the board before that entry.
    const closed = over || step < ceremony.step;
    if (!closed || (single && onBoard.length > 0)) continue; // a different message in her place is named above
    for (const m of distinct(sent.filter((p) => p.taken).map((p) => p.message))) {
      if (!holds(onBoard, m)) discrepancies.push({ ...base, problem: 'dropped', ...evidence(kind, [m], null) });
    }
  }
  return discrepancies.length === 0 ? { ok: true } : { ok: false, discrepancies };
}

/** The SHA-256 of her messages and of the board's, and for identities their key fingerprints. */
function evidence(kind: CeremonyKind, mine: readonly TrusteeMessage[], board: TrusteeMessage | null): Pick<Discrepancy, 'mine' | 'board' | 'keys'> {
  return {
    mine: mine.map((m) => hashPostedMessage(m.bytes)),
    board: board && hashPostedMessage(board.bytes),
    keys: kind === 'identity' ? { mine: mine.map(keyPrint), board: board && keyPrint(board) } : null,
  };
}

function keyPrint(m: TrusteeMessage): string {
  if (m.kind !== 'identity') throw new Error('bug: only an identity message carries keys');
  return trusteeFingerprint(m.signingKey);
}

const holds = (list: readonly TrusteeMessage[], m: TrusteeMessage) => list.some((x) => bytesEqual(x.bytes, m.bytes));

/** The messages of `list` without repeats of the same bytes (a message posted again after a reload), in order. */
function distinct(list: readonly TrusteeMessage[]): TrusteeMessage[] {
  const out: TrusteeMessage[] = [];
  for (const m of list) if (!holds(out, m)) out.push(m);
  return out;
}
