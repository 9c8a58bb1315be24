/**
 * Rules of counting: the encrypted tally recomputed from the board, decryption shares checked
 * against it, and the result recomputed from the shares. Spec §B.4.7.
 */
import { IDENTITY, bytesEqual, checkDecryptionShares, decodePoint, decryptTally, msm, type Ciphertext, type DecryptionMessage, type RandomSource } from '../../crypto/index.ts';
import { encodeResult, encodeTally, slotCount, type TallyRecord } from '../records/payloads.ts';
import { reject, type Rejection } from './codes.ts';
import type { BoardState } from './state.ts';

type Change = () => void;

/** B.4.7.1 the counted set: the last cast ballot's slots (α ‖ β of every slot in one array) and the weight of every credential that voted. */
export interface CountedSet {
  readonly slots: readonly Uint8Array[];
  readonly weights: readonly number[];
  readonly counted: number;
  readonly weight: number;
}

export function countedSet(state: BoardState): CountedSet {
  const slots: Uint8Array[] = [];
  const weights: number[] = [];
  let weight = 0;
  for (const voter of state.credentials.values()) {
    if (voter.last === null) continue;
    slots.push(voter.last);
    weights.push(voter.weight);
    weight += voter.weight;
  }
  return { slots, weights, counted: slots.length, weight };
}

/** Ballots whose points are decoded at once while summing: the memory of a sum stays flat. */
const SUM_RUN = 512;

/**
 * B.4.7.1 Σ w·(α, β) for every slot, over ballots given as slot bytes (α ‖ β per slot, in one array)
 * with their weights (§E.3, §E.4); (O, O) for a slot when there is none. Pure: a verifier may run it
 * on parts of the counted set in other threads and add the parts.
 */
export function sumSlots(ballots: readonly Uint8Array[], weights: readonly number[], slots: number): Ciphertext[] {
  const sums: Ciphertext[] = Array.from({ length: slots }, () => ({ alpha: IDENTITY, beta: IDENTITY }));
  for (let from = 0; from < ballots.length; from += SUM_RUN) {
    const run = ballots.slice(from, from + SUM_RUN);
    const w = weights.slice(from, from + SUM_RUN).map(BigInt);
    for (let s = 0; s < slots; s++) {
      // The slots were decoded (and checked canonical) when the ballot was accepted: decoding cannot fail.
      const alphas = run.map((b) => decodePoint(b.subarray(s * 64, s * 64 + 32), 'alpha'));
      const betas = run.map((b) => decodePoint(b.subarray(s * 64 + 32, s * 64 + 64), 'beta'));
      sums[s] = { alpha: sums[s].alpha.add(msm(alphas, w)), beta: sums[s].beta.add(msm(betas, w)) };
    }
  }
  return sums;
}

/**
 * B.4.7.1 the tally of the board: for every slot, Σ w_X·(α, β) over the last cast ballot of every
 * credential X with weight w_X; the identity where nobody voted.
 */
export function computeTally(state: BoardState): TallyRecord {
  const set = countedSet(state);
  return { counted: set.counted, weight: set.weight, ciphertexts: sumSlots(set.slots, set.weights, slotCount(state.shapes!)) };
}

/**
 * B.4.7.1 the tally entry must be byte for byte the tally the rules compute. `sums`, when given, are
 * the slot sums of this state's counted set computed by the caller (in other threads, `sumSlots`).
 */
export function acceptTally(state: BoardState, payload: Uint8Array, sums?: readonly Ciphertext[]): Rejection | Change {
  const set = countedSet(state);
  const tally: TallyRecord = sums === undefined ? computeTally(state) : { counted: set.counted, weight: set.weight, ciphertexts: sums };
  if (!bytesEqual(encodeTally(tally), payload)) return reject('TALLY_MISMATCH', `expected ${tally.counted} counted ballots of weight ${tally.weight} and their sums`, state.height);
  return () => {
    state.tally = tally;
    state.phase = 'tallied';
  };
}

/** B.4.7.2 decryption shares: only for a tally at or above the privacy floor, from a qualified trustee, one message each, valid against the tally (§T.8.2). */
export function acceptDecryption(state: BoardState, m: DecryptionMessage, rng?: RandomSource): Rejection | Change {
  const e = state.election!;
  const floor = state.manifest!.privacyFloor;
  if (state.tally!.counted < floor) return reject('BELOW_PRIVACY_FLOOR', `the tally counts ${state.tally!.counted} ballots; the privacy floor is ${floor}`, state.height);
  const verificationKey = e.verificationKeys.get(m.index);
  const signingKey = e.signingKeys.get(m.index);
  if (verificationKey === undefined || signingKey === undefined) return reject('BAD_DECRYPTION', `trustee ${m.index} is not qualified`, state.height);
  if (state.decryptions.has(m.index)) return reject('BAD_DECRYPTION', `trustee ${m.index} has already posted decryption shares`, state.height);
  const why = checkDecryptionShares(m, { fingerprint: e.fingerprint, ciphertexts: state.tally!.ciphertexts, verificationKey, signingKey }, rng);
  if (why !== null) return reject('BAD_DECRYPTION', why, state.height);
  return () => {
    state.decryptions.set(m.index, m);
  };
}

/** B.4.7.3 the largest total a slot can reach: its largest value times the counted weight. */
export function totalBound(state: BoardState): number {
  const top = Math.max(...state.shapes!.flatMap((s) => s.slotMax));
  return top * state.tally!.weight;
}

/** B.4.7.3 the result: at least t valid decryptions, and exactly the totals they decrypt the tally to. */
export function acceptResult(state: BoardState, totals: readonly number[], payload: Uint8Array, rng?: RandomSource): Rejection | Change {
  const e = state.election!;
  if (state.decryptions.size < e.t) return reject('NOT_ENOUGH_SHARES', `${state.decryptions.size} valid decryption shares, ${e.t} needed`, state.height);
  const decrypted = decryptTally({
    fingerprint: e.fingerprint,
    t: e.t,
    ciphertexts: state.tally!.ciphertexts,
    verificationKeys: e.verificationKeys,
    signingKeys: e.signingKeys,
    messages: [...state.decryptions.values()],
    bound: totalBound(state),
    rng,
  });
  if (decrypted.result === null) throw new Error(`bug: valid shares of the board's own tally do not decrypt: ${decrypted.failure}`);
  if (!bytesEqual(encodeResult(decrypted.result), payload)) {
    const at = decrypted.result.findIndex((v, i) => v !== totals[i]);
    return reject('RESULT_MISMATCH', `total ${at} is ${totals[at]}; the shares decrypt it to ${decrypted.result[at]}`, state.height);
  }
  const result = decrypted.result;
  return () => {
    state.result = result;
    state.phase = 'done';
  };
}
