/**
 * Rules of counting: the encrypted tally recomputed from the board, decryption shares checked
 * against it, and the result recomputed from the shares. Spec §B.4.7.
 */
import { IDENTITY, bytesEqual, checkDecryptionShares, decodePoint, decryptTally, msm, type Ciphertext, type DecryptionMessage, type RandomSource } from '../../crypto/index.ts';
import { encodeResult, encodeTally, slotCount, type TallyRecord } from '../records/payloads.ts';
import { reject, type Rejection } from './codes.ts';
import type { BoardState } from './state.ts';

type Change = () => void;

/**
 * B.4.7.1 the tally of the board: for every slot, Σ w_X·(α, β) over the last cast ballot of every
 * credential X with weight w_X (§E.3, §E.4); the identity where nobody voted.
 */
export function computeTally(state: BoardState): TallyRecord {
  const slots = slotCount(state.shapes!);
  const alphas: Ciphertext['alpha'][][] = Array.from({ length: slots }, () => []);
  const betas: Ciphertext['beta'][][] = Array.from({ length: slots }, () => []);
  const weights: bigint[] = [];
  let counted = 0;
  let weight = 0;
  for (const voter of state.credentials.values()) {
    if (voter.last === null) continue;
    counted += 1;
    weight += voter.weight;
    weights.push(BigInt(voter.weight));
    // The slots were decoded (and checked canonical) when the ballot was accepted: decoding cannot fail.
    voter.last.forEach((c, s) => {
      alphas[s].push(decodePoint(c.subarray(0, 32), 'alpha'));
      betas[s].push(decodePoint(c.subarray(32, 64), 'beta'));
    });
  }
  const ciphertexts = alphas.map((A, s) => (A.length === 0 ? { alpha: IDENTITY, beta: IDENTITY } : { alpha: msm(A, weights), beta: msm(betas[s], weights) }));
  return { counted, weight, ciphertexts };
}

/** B.4.7.1 the tally entry must be byte for byte the tally the rules compute. */
export function acceptTally(state: BoardState, payload: Uint8Array): Rejection | Change {
  const tally = computeTally(state);
  if (!bytesEqual(encodeTally(tally), payload)) return reject('TALLY_MISMATCH', `expected ${tally.counted} counted ballots of weight ${tally.weight} and their sums`, state.height);
  return () => {
    state.tally = tally;
    state.phase = 'tallied';
  };
}

/** B.4.7.2 decryption shares: from a qualified trustee, one message each, valid against the tally (§T.8.2). */
export function acceptDecryption(state: BoardState, m: DecryptionMessage, rng?: RandomSource): Rejection | Change {
  const e = state.election!;
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
