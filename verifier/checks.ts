/**
 * The observer's check list (spec §V): every check the verifier runs, with its ID, and which check a
 * rejection of the board rules (§B.4.3) fails. IDs follow the checklist of docs/security.md §2.6 so that they can be traced.
 */
import type { BallotFault } from '../crypto/index.ts';
import type { Rejection, RejectionCode } from '../bulletin-board/index.ts';

/** §V the checks, in the order of the spec. */
export const CHECKS = {
  V1: 'the record file, every entry and the manifest are of this protocol version (gongshi/1, ristretto255)',
  V2: 'the manifest hash, each run’s election value and the election fingerprint are recomputed; the key entry names them',
  V4: 'every entry is in its one canonical encoding: points, scalars, lengths, counts, UTF-8',
  V8: 'ceremony runs and steps come in order, with t and n from the manifest',
  V9: 'every ceremony message is accepted by §T.6: signatures, proofs of knowledge, commit then reveal, shares, complaints',
  V10: 'every qualified trustee signed the same ceremony transcript, with a proof of her key share',
  V11: 'the joint key and every verification key are recomputed from the accepted commitments',
  V13: 'the hash chain is intact: heights, previous-entry hashes, the genesis hash of the poll id, times',
  V14: 'the record extends every checkpoint the observer saved earlier (append-only across time)',
  V15: 'the record’s checkpoint is signed by the log key, names the poll’s origin and covers every entry with the right root',
  V16: 'phases come in order and the schedule in force is kept: nothing before its phase or its time, no ballot after the closing time in force, a close before it only as the manifest’s closeEarly allows, nothing after the result',
  V18: 'every ballot and audit names this election’s fingerprint and has the manifest’s shape',
  V19: 'every slot of every ballot has a valid range proof',
  V20: 'every question that needs one has a valid sum proof over its [min, max]',
  V21: 'every ballot is signed by a listed credential; the credential list has no duplicate and its weights are within limits',
  V23: 'no tracker and no ciphertext component appears twice on the board',
  V24: 'the counted set is the last ballot of each credential, within the revote policy',
  V26: 'the encrypted tally is the weighted sum of the counted ballots',
  V27: 'every decryption share is from a qualified trustee, once, with a valid proof against her verification key',
  V28: 'at least t valid decryption shares are on the board before the result',
  V29: 'the result is what the decryption shares decrypt the tally to',
  V33: 'every audited ballot re-encrypts to its revealed choices and randomness, which obey the question’s rules',
  V39: 'every credential list and every revocation is signed by the registrar the manifest names',
  V40: 'the record’s final checkpoint is cosigned by at least k of the witnesses the manifest names',
  V41: 'no decryption share is accepted for a tally that counts fewer ballots than the manifest’s privacy floor',
  V42: 'the manifest’s hash is the poll fingerprint the observer holds (from the notice or her code sheet)',
  V43: 'every extension of the closing time is one the manifest allows: before the closing time in force, later than it, within maxExtension of closesAt',
  V44: 'every revocation names listed credentials that have not cast a ballot; a revoked credential never casts, audits or is listed again, and its weight leaves the listed total',
} as const;

export type CheckId = keyof typeof CHECKS;

const BY_CODE: Record<Exclude<RejectionCode, 'MALFORMED' | 'BAD_PROOF' | 'KEY_MISMATCH'>, CheckId> = {
  BAD_CHAIN: 'V13',
  BAD_TIME: 'V13',
  WRONG_PHASE: 'V16',
  TOO_EARLY: 'V16',
  TOO_LATE: 'V16',
  NO_CREDENTIALS: 'V16',
  NO_EXTENSION: 'V43',
  BAD_EXTENSION: 'V43',
  BAD_RUN: 'V8',
  TRUSTEE_REFUSED: 'V9',
  CEREMONY_INCOMPLETE: 'V10',
  BAD_REGISTRAR_SIGNATURE: 'V39',
  BELOW_PRIVACY_FLOOR: 'V41',
  DUPLICATE_CREDENTIAL: 'V21',
  WEIGHT_LIMIT: 'V21',
  UNKNOWN_CREDENTIAL: 'V21',
  REVOKED_CREDENTIAL: 'V44',
  CREDENTIAL_HAS_CAST: 'V44',
  WRONG_ELECTION: 'V18',
  REVOTE_LIMIT: 'V24',
  AUDIT_LIMIT: 'V33',
  DUPLICATE_TRACKER: 'V23',
  DUPLICATE_CIPHERTEXT: 'V23',
  BAD_OPENING: 'V33',
  TALLY_MISMATCH: 'V26',
  BAD_DECRYPTION: 'V27',
  NOT_ENOUGH_SHARES: 'V28',
  RESULT_MISMATCH: 'V29',
};

/** §V the check a rejection fails. A BAD_PROOF is named by the ballot's first fault (V19, V20 or V21). */
export function checkOfRejection(r: Rejection, faults: readonly BallotFault[] = []): CheckId {
  switch (r.code) {
    case 'MALFORMED':
      return r.field === 'type' || r.field === 'version' || r.field === 'payload.version' ? 'V1' : 'V4';
    case 'KEY_MISMATCH':
      return r.field === 'fingerprint' ? 'V2' : 'V11';
    case 'BAD_PROOF': {
      const first = faults[0]?.part;
      return first === 'slot' ? 'V19' : first === 'sum' ? 'V20' : 'V21';
    }
    default:
      return BY_CODE[r.code];
  }
}
