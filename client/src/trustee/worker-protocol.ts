/**
 * What the trustee console's page and its Web Worker say to each other. The worker holds the replayed
 * board and the trustee's secrets; the page holds the link's token and does the talking to the server.
 */
import type { Phase } from '../../../bulletin-board/index.ts';
import type { Discrepancy, FingerprintComparison, GateCheckpoint, GateProblem, OwnMessagesVerdict, PostedMessage } from '../../../verifier/index.ts';
import type { SavedSecrets } from './saved-secrets.ts';

/** The board as the trustee's own browser replayed it through the rules (spec §B.4). */
export interface BoardSummary {
  /** entries replayed: the height of the next one */
  readonly height: number;
  readonly phase: Phase;
  /** B.1.4 the manifest's bytes as replayed (entry 0's payload): its hash is the poll fingerprint; null before it */
  readonly manifestBytes: Uint8Array | null;
  /** the manifest's languages, title and trustee names ([] before the manifest) */
  readonly languages: readonly string[];
  readonly title: readonly string[];
  readonly names: readonly string[];
  readonly t: number;
  readonly n: number;
  /** the current (or last) ceremony run, 0 before any */
  readonly run: number;
  /** the open ceremony step 1 … 6, 0 when no ceremony is running */
  readonly step: number;
  /** for steps 1 … 6 (at 0 … 5), the trustees whose message of that step is on the board in this run */
  readonly spoken: readonly (readonly number[])[];
  /** the trustees expected to speak in the open step (step 6: the qualified ones) */
  readonly expected: readonly number[];
  /** why the run failed, when the rules say it cannot produce a key */
  readonly failure: string | null;
  /** the election key in hex, once the key entry is on the board */
  readonly jointKey: string | null;
  readonly tally: boolean;
  /** trustees whose decryption shares are on the board */
  readonly decryptions: readonly number[];
  readonly result: boolean;
  /** the key fingerprint of each trustee's identity in the current (or last) run, at index − 1; null where none */
  readonly fingerprints: readonly (string | null)[];
}

/** What the trustee's browser should do now in the ceremony (`act`). */
export type Action =
  | { readonly kind: 'none' }
  /** post these messages, then (step 5) say the review is done */
  | { readonly kind: 'post'; readonly step: number; readonly messages: readonly Uint8Array[]; readonly reviewDone: boolean; readonly saved: SavedSecrets }
  /** step 6: her key share is derived; she must save her key file before signing */
  | { readonly kind: 'key-file'; readonly saved: SavedSecrets }
  /** this tab does not hold the secrets this step needs (they were made in another tab or browser) */
  | { readonly kind: 'lost' }
  /** the ceremony went on without her (she missed an earlier step) */
  | { readonly kind: 'left-out' }
  /** the board holds messages under her index that this tab did not post, or lacks ones it did: she must stop */
  | { readonly kind: 'alarm'; readonly discrepancies: readonly Discrepancy[] };

/** The result of opening a key file and comparing it with the board (spec §T.9.4, §T.9.5). */
export type KeyCheck =
  | { readonly ok: true; readonly index: number; readonly problems: readonly string[] }
  | { readonly ok: false; readonly code: 'NOT_A_KEY_FILE' | 'DAMAGED' | 'WRONG_PASSPHRASE' | 'OTHER_ELECTION' | 'NO_CEREMONY' }
  /** the file's clear part names another trustee of this ceremony: not opened (T.9.4 steps 1–4) */
  | { readonly ok: false; readonly code: 'OTHER_TRUSTEE'; readonly index: number };

/** What her browser did when she asked it to decrypt (spec §B.8 item 4); only 'decrypted' made anything to post. */
export type DecryptOutcome =
  /** the poll fingerprint she holds is not this board's, or not a fingerprint */
  | { readonly kind: 'wrong-poll'; readonly comparison: Extract<FingerprintComparison, { ok: false }> }
  /** her key file did not open, or does not match the board (T.9.5) */
  | { readonly kind: 'key'; readonly check: KeyCheck }
  /** the gate refused: every problem, and the best checkpoint it found (if any) */
  | { readonly kind: 'refused'; readonly problems: readonly GateProblem[]; readonly checkpoint: GateCheckpoint | null }
  /** k = 0: the trustees must compare this checkpoint aloud; the worker keeps her opened key until she asks again */
  | { readonly kind: 'compare'; readonly checkpoint: GateCheckpoint }
  /** her decryption shares, to post */
  | { readonly kind: 'decrypted'; readonly message: Uint8Array; readonly checkpoint: GateCheckpoint };

export type Request =
  | { readonly op: 'apply'; readonly entries: readonly Uint8Array[] }
  | { readonly op: 'restore'; readonly saved: SavedSecrets | null }
  /** compares her messages on the board, in every run, with the ones this tab posted (`posted`) */
  | { readonly op: 'check-mine'; readonly index: number; readonly posted: readonly PostedMessage[] }
  | { readonly op: 'act'; readonly index: number; readonly posted: readonly PostedMessage[] }
  | { readonly op: 'make-key-file'; readonly passphrase: string }
  | { readonly op: 'sign'; readonly index: number; readonly posted: readonly PostedMessage[] }
  | { readonly op: 'check-key'; readonly file: Uint8Array; readonly passphrase: string; readonly index: number }
  /** `key` null: the key opened by the last 'compare' outcome; `compared` the checkpoint compared aloud */
  | {
      readonly op: 'decrypt';
      readonly key: { readonly file: Uint8Array; readonly passphrase: string } | null;
      readonly index: number;
      readonly notes: readonly string[];
      readonly held: string;
      readonly compared: GateCheckpoint | null;
    };

/** The answer to each request. */
export interface Answers {
  apply: BoardSummary;
  restore: null;
  'check-mine': OwnMessagesVerdict;
  act: Action;
  'make-key-file': Uint8Array;
  sign: Uint8Array;
  'check-key': KeyCheck;
  decrypt: DecryptOutcome;
}

/** Worker → page: progress of request `id` (0 … 1), its answer, or why it failed. */
export type Reply =
  | { readonly id: number; readonly progress: number }
  | { readonly id: number; readonly answer: unknown }
  | { readonly id: number; readonly failure: { readonly code: string; readonly message: string; readonly height?: number } };
