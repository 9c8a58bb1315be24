/** crypto/: pure math on ristretto255, the front door for every other folder. Spec §G, §F, §E, §P, §Q, §C. */
export { G, IDENTITY, L, add, inv, mod, mul, mulPublic, mulSecret, sub, type Point } from './group.ts';
export { DecodeError, Reader, Writer, bytesEqual, type FieldSpan, decodePoint, decodeScalar, encodePoint, encodeScalar, fromHex, toHex } from './encoding.ts';
export { frame, taggedHash, bytesToScalarWide, hmacSha256, useSha256, type Sha256Parts } from './hash.ts';
export { randomScalar, randomWeight, seededRandom, systemRandom, type RandomSource } from './random.ts';
export { PROTOCOL, Transcript } from './transcript.ts';
export {
  addCiphertexts,
  decrypt,
  decryptToPoint,
  encrypt,
  encryptFresh,
  generateKeyPair,
  prepareKey,
  scaleCiphertext,
  sumCiphertexts,
  type Ciphertext,
  type KeyPair,
} from './elgamal.ts';
export { DiscreteLog } from './dlog.ts';
export { msm } from './msm.ts';
export { BatchCheck, DirectCheck, type LinearCheck } from './equations.ts';
export { startTranscript, type ProofContext } from './proofs/context.ts';
export {
  decodeSchnorrProof,
  encodeSchnorrProof,
  knowledgeEquations,
  proveKnowledge,
  sign,
  signatureEquations,
  verifyKnowledge,
  verifySignature,
  type SchnorrProof,
} from './proofs/schnorr.ts';
export { decodeDleqProof, dleqEquations, encodeDleqProof, proveDleq, verifyDleq, type DleqProof, type DleqStatement } from './proofs/dleq.ts';
export { disjunctiveEquations, proveDisjunctive, type DisjunctiveProof, type LinearStatement, type LinearWitness } from './proofs/disjunctive.ts';
export { bitLayout, bitsEquations, proveBits, type BitsProof } from './proofs/bits.ts';
export { DISJUNCTIVE_MAX_SPAN, proveRange, rangeEquations, rangeMethod, type RangeProof } from './proofs/range.ts';
export {
  LIMITS,
  ShapeError,
  answerShape,
  answerValues,
  ballotShape,
  type Answer,
  type AnswerShape,
  type BallotShape,
  type Question,
} from './ballot/shape.ts';
export { BALLOT_VERSION, decodeBallot, encodeBallot, encodeBallotBody, skimBallot, type Ballot, type BallotSkim, type EncryptedAnswer } from './ballot/codec.ts';
export {
  ballotBinding,
  ballotEquations,
  ballotFaults,
  ballotTracker,
  createBallot,
  verifyBallot,
  verifyBallotDirect,
  verifyBallots,
  verifyDecodedBallot,
  verifyDecodedBallots,
  type BallotFault,
  type BallotOpening,
  type BallotParams,
  type CreatedBallot,
} from './ballot/ballot.ts';
export { checkOpening, decodeOpening, encodeOpening } from './ballot/audit.ts';
export { TRACKER_PREFIX_SYMBOLS, TRACKER_SYMBOLS, formatTracker, parseTracker, readTrackerStart, trackerRange, trackerStartsWith, trackerText } from './ballot/tracker.ts';
export { deriveCredential, generateCredentialCode, parseCredentialCode } from './credential.ts';
export { fromBase32, normaliseBase32, toBase32 } from './base32.ts';
export { MAX_TRUSTEES, Kind as TrusteeMessageKind, ceremonyHash, checkParams, type CeremonyParams } from './threshold/params.ts';
export { commitPolynomial, evaluateCommitments, evaluatePolynomial, lagrangeAtZero, randomPolynomial } from './threshold/polynomial.ts';
export { encryptShare, ephemeralContext, openShare, verifyEphemeral, type EncryptedShare } from './threshold/channel.ts';
export {
  MAX_CIPHERTEXTS,
  buildMessage,
  decodeTrusteeMessage,
  type CommitMessage,
  type ComplaintMessage,
  type DecryptionMessage,
  type FinishMessage,
  type IdentityMessage,
  type RevealMessage,
  type SharesMessage,
  type TrusteeMessage,
} from './threshold/messages.ts';
export { coefficientContext, complaintContext, encryptionKeyContext, keyShareContext, revealHash } from './threshold/contexts.ts';
export { commitTrustee, createTrustee, dealShares, deriveKeyShare, reviewShares, signTranscript, type TrusteeSecrets } from './threshold/trustee.ts';
export { simulateCeremony, type SimulatedCeremony } from './threshold/simulate.ts';
export { acceptRecord, evaluateCeremony, type AcceptedRecord, type CeremonyOutcome, type CeremonyRecord, type Refusal } from './threshold/ceremony.ts';
export { checkDecryptionShares, combineDecryptionShares, createDecryptionShares, decryptTally, decryptionContext } from './threshold/decryption.ts';
export {
  KEY_FILE_VERSION,
  KeyFileError,
  MIN_PASSPHRASE_LENGTH,
  SCRYPT_DEFAULT_LOG_N,
  checkKey,
  createKeyFile,
  openKeyFile,
  readKeyFileHeader,
  type KeyFileHeader,
  type KeyFileProblem,
  type TrusteeKey,
} from './threshold/keyfile.ts';
