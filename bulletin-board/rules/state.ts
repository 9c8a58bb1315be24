/** What the rules remember between entries. Spec §B.4.1. */
import type { AnswerShape, CeremonyOutcome, CeremonyParams, CeremonyRecord, DecryptionMessage, Point } from '../../crypto/index.ts';
import type { Manifest } from '../records/manifest.ts';
import type { TallyRecord } from '../records/payloads.ts';
import { ByteSet } from './byte-set.ts';

/** B.4.2 the phases of a poll, in order. */
export type Phase = 'empty' | 'setup' | 'ceremony' | 'ready' | 'open' | 'closed' | 'tallied' | 'done';

export interface CredentialState {
  readonly weight: number;
  ballots: number;
  audits: number;
  /**
   * α ‖ β of every slot of this credential's last cast ballot, every question in order, in one copy of
   * 64 bytes per slot (never a view into the entry, which it would keep alive); null before the first
   */
  last: Uint8Array | null;
}

export interface CeremonyState {
  readonly run: number;
  readonly params: CeremonyParams;
  /** the step that is open, 1 … 6 (§T.1.2 kinds) */
  step: number;
  /** the accepted messages of this run, in board order */
  readonly record: { [K in keyof CeremonyRecord]: CeremonyRecord[K][number][] };
  /** the outcome after the last finish message, if any */
  outcome: CeremonyOutcome | null;
}

export interface ElectionState {
  readonly run: number;
  readonly fingerprint: Uint8Array;
  readonly jointKey: Point;
  readonly t: number;
  readonly verificationKeys: ReadonlyMap<number, Point>;
  readonly signingKeys: ReadonlyMap<number, Point>;
}

export interface BoardState {
  /** the number of entries applied: the height of the next one */
  height: number;
  /** the hash the next entry's prev must equal (null before the manifest) */
  head: Uint8Array | null;
  /** the time of the last entry */
  time: number;
  phase: Phase;
  manifest: Manifest | null;
  manifestHash: Uint8Array | null;
  shapes: AnswerShape[] | null;
  /** B.4.6.7 the closing time in force: the manifest's, or the last extension's; 0 = by hand */
  closesAt: number;
  /** B.4.6.7 the extend entries accepted, in order: when each came and the closing time it set */
  readonly extensions: { readonly height: number; readonly time: number; readonly closesAt: number }[];
  /** B.4.6.6 the close entry came before the closing time in force (the manifest allowed it) */
  closedEarly: boolean;
  /** hex(enc(X)) → state, of the credentials listed and not revoked; in listing order */
  readonly credentials: Map<string, CredentialState>;
  /** B.4.6.8 hex(enc(X)) → when it was revoked and its weight: never listed again, never casts */
  readonly revoked: Map<string, { readonly height: number; readonly time: number; readonly weight: number }>;
  /** B.4.6.1, B.4.6.8 every credentials and revoke entry: when, how many, and whether the poll was open */
  readonly roll: { readonly height: number; readonly time: number; readonly added: number; readonly revoked: number; readonly whileOpen: boolean }[];
  /** the weight of the credentials listed and not revoked */
  listedWeight: number;
  ceremony: CeremonyState | null;
  election: ElectionState | null;
  /** every tracker on the board (ballots and audits) */
  readonly trackers: ByteSet;
  /** every α and β of every ballot and audit on the board */
  readonly components: ByteSet;
  ballots: number;
  audits: number;
  tally: TallyRecord | null;
  readonly decryptions: Map<number, DecryptionMessage>;
  result: number[] | null;
}

export function createState(): BoardState {
  return {
    height: 0,
    head: null,
    time: 0,
    phase: 'empty',
    manifest: null,
    manifestHash: null,
    shapes: null,
    closesAt: 0,
    extensions: [],
    closedEarly: false,
    credentials: new Map(),
    revoked: new Map(),
    roll: [],
    listedWeight: 0,
    ceremony: null,
    election: null,
    trackers: new ByteSet(32),
    components: new ByteSet(32),
    ballots: 0,
    audits: 0,
    tally: null,
    decryptions: new Map(),
    result: null,
  };
}
