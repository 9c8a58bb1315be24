/**
 * The election's rules as one function: (state, entry) → the state advanced by the entry, or a
 * rejection with a stable code and the state unchanged. The server runs it before every append and
 * the verifier when it replays a record. Spec §B.4.
 */
import type { Ciphertext, RandomSource } from '../../crypto/index.ts';
import { hashManifest } from '../records/election.ts';
import { manifestShapes } from '../records/manifest.ts';
import type { Rejection } from './codes.ts';
import { acceptKey, acceptTrusteeMessage, nextStep, startRun } from './ceremony.ts';
import { acceptDecryption, acceptResult, acceptTally } from './counting.ts';
import { readEntry, type DecodedEntry } from './read.ts';
import type { BoardState } from './state.ts';
import { auditBallot, castBallot, closePoll, extendPoll, listCredentials, openPoll, revokeCredentials } from './voting.ts';

export interface ApplyOptions {
  /** the caller has verified this ballot entry's proofs and signature already, in a batch (§Q.8.2) */
  readonly proofsChecked?: boolean;
  /** the slot sums of the counted set, computed by the caller with `sumSlots` (a verifier's threads) */
  readonly sums?: readonly Ciphertext[];
  /** the randomness of batch verification (§P0.3); the system's CSPRNG by default */
  readonly rng?: RandomSource;
}

export type Verdict = { readonly ok: true; readonly entry: DecodedEntry } | Rejection;

type Change = () => void;

/** B.4.4 step 6: the rules of the entry's type. Returns the change to make, or a rejection. */
async function judge(state: BoardState, e: DecodedEntry, options: ApplyOptions): Promise<Rejection | Change> {
  const c = e.content;
  switch (c.type) {
    case 'manifest':
      return () => {
        state.manifest = c.manifest;
        state.manifestHash = hashManifest(e.payload);
        state.shapes = manifestShapes(c.manifest);
        state.closesAt = c.manifest.closesAt;
        state.phase = 'setup';
      };
    case 'credentials':
      return listCredentials(state, c.credentials, c.listBytes, c.signature, e.time);
    case 'revoke':
      return revokeCredentials(state, c.keys, c.listBytes, c.signature, e.time);
    case 'ceremony':
      return startRun(state, c.run);
    case 'step':
      return nextStep(state, c.run, c.step);
    case 'trustee':
      return acceptTrusteeMessage(state, c.message);
    case 'key':
      return acceptKey(state, c.key, e.payload);
    case 'open':
      return openPoll(state, e.time);
    case 'ballot':
      return castBallot(state, c.facts, c.ballot, e.payload, e.time, options.proofsChecked === true, options.rng);
    case 'audit':
      return auditBallot(state, c.ballot, c.facts, c.ballotBytes, c.opening, e.time, options.rng);
    case 'close':
      return closePoll(state, e.time);
    case 'extend':
      return extendPoll(state, c.closesAt, e.time);
    case 'tally':
      return acceptTally(state, e.payload, options.sums);
    case 'decryption':
      return acceptDecryption(state, c.message, options.rng);
    case 'result':
      return acceptResult(state, c.totals, e.payload, options.rng);
  }
}

/**
 * B.4.4 applies an entry that `readEntry` decoded against this same state. On acceptance the state
 * advances (height, head, time and what the entry changes); on rejection nothing in it changes.
 */
export async function applyDecoded(state: BoardState, entry: DecodedEntry, options: ApplyOptions = {}): Promise<Verdict> {
  if (entry.height !== state.height) throw new Error('bug: an entry decoded against another state');
  const verdict = await judge(state, entry, options);
  if (typeof verdict !== 'function') return verdict;
  verdict();
  state.height += 1;
  state.head = entry.hash;
  state.time = entry.time;
  return { ok: true, entry };
}

/** B.4.4 reads and applies the next entry's bytes: the rules in one call. */
export async function applyEntry(state: BoardState, bytes: Uint8Array, options: ApplyOptions = {}): Promise<Verdict> {
  const entry = readEntry(state, bytes);
  if (!('content' in entry)) return entry;
  return applyDecoded(state, entry, options);
}
