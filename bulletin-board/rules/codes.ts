/** The closed set of reasons the board refuses an entry, and the verdict type. Spec §B.4.3. */

/** B.4.3 every rejection code, with what it means. Codes are stable: clients and verifiers match on them. */
export const REJECTIONS = {
  MALFORMED: 'the entry or its payload is not in its canonical encoding, or is too large',
  BAD_CHAIN: 'the height or the previous-entry hash is not the next link of the chain',
  BAD_TIME: 'the time is earlier than the previous entry’s',
  WRONG_PHASE: 'this type of entry (or trustee message kind) is not allowed in the current phase',
  BAD_RUN: 'the ceremony run or step is not the next one',
  TRUSTEE_REFUSED: 'the trustee message breaks a rule of the ceremony (§T.6)',
  CEREMONY_INCOMPLETE: 'the ceremony failed or not every qualified trustee has signed its outcome',
  KEY_MISMATCH: 'the key entry differs from what the ceremony produced',
  BAD_REGISTRAR_SIGNATURE: 'the credential list or revocation is not signed by the registrar the manifest names',
  DUPLICATE_CREDENTIAL: 'a credential is listed twice, listed after it was revoked, or named twice in one revocation',
  REVOKED_CREDENTIAL: 'the credential was revoked: it cannot cast, audit or be revoked again',
  CREDENTIAL_HAS_CAST: 'a credential that has cast a ballot cannot be revoked',
  WEIGHT_LIMIT: 'the listed credentials’ weights add up to more than the limit',
  NO_CREDENTIALS: 'the poll cannot open without a credential',
  TOO_EARLY: 'the manifest’s schedule does not allow this yet',
  TOO_LATE: 'the closing time in force has passed (for a ballot, an audit, the opening or an extension)',
  NO_EXTENSION: 'the manifest allows no extension of the closing time',
  BAD_EXTENSION: 'an extension must move the closing time later, and no further than the manifest allows',
  WRONG_ELECTION: 'the ballot names another election fingerprint',
  UNKNOWN_CREDENTIAL: 'the ballot (or revocation) names a credential that is not listed',
  REVOTE_LIMIT: 'this credential has cast as many ballots as the revote policy allows',
  AUDIT_LIMIT: 'this credential has audited as many ballots as allowed',
  DUPLICATE_TRACKER: 'a ballot with this tracker is already on the board',
  DUPLICATE_CIPHERTEXT: 'a ciphertext component of this ballot is already on the board, or repeats within it',
  BAD_PROOF: 'a proof or the credential signature of the ballot does not verify',
  BAD_OPENING: 'the audited ballot does not re-encrypt to its revealed choices and randomness',
  TALLY_MISMATCH: 'the tally is not the weighted sum of the last ballot of every credential',
  BAD_DECRYPTION: 'the decryption shares are not from a qualified trustee, repeat one, or do not verify',
  BELOW_PRIVACY_FLOOR: 'the tally counts fewer ballots than the manifest’s privacy floor: no trustee may decrypt it',
  NOT_ENOUGH_SHARES: 'fewer than t valid decryption shares are on the board',
  RESULT_MISMATCH: 'the result is not what the decryption shares decrypt the tally to',
} as const;

export type RejectionCode = keyof typeof REJECTIONS;

export interface Rejection {
  readonly ok: false;
  readonly code: RejectionCode;
  readonly reason: string;
  /** the height the entry would have had */
  readonly height: number;
  /** for MALFORMED, the field that did not decode; for KEY_MISMATCH, the value that differs */
  readonly field?: string;
}

export function reject(code: RejectionCode, reason: string, height: number, field?: string): Rejection {
  return field === undefined ? { ok: false, code, reason, height } : { ok: false, code, reason, height, field };
}
