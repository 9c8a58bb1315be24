/** verifier/: the front door of the observer's verifier, browser-safe. Spec §V. */
export { CHECKS, checkOfRejection, type CheckId } from './checks.ts';
export { inThreadProofs, runProofJob, runSumJob, type BallotProofVerifier, type ProofJob, type ProofVerdict, type SumJob } from './ballot-proofs.ts';
export { describeResult, type Failure, type OptionResult, type QuestionResult, type VerifyReport } from './report.ts';
export { displayWidth, reportText, resultLines } from './report-text.ts';
export { UnreadableRecord, verifyRecord, type VerifyOptions } from './verify-record.ts';
export { verifyReceipt, type CastReceipt, type ReceiptCheck, type ReceiptView } from './receipt.ts';
export { classifyReceipt, type ReceiptAlarm } from './receipt-alarm.ts';
export { compareFingerprint, type FingerprintComparison } from './fingerprint-check.ts';
export { checkDecryptionGate, type GateCheckpoint, type GateInput, type GateProblem, type GateVerdict } from './decryption-gate.ts';
export { checkOwnMessages, hashPostedMessage, type CeremonyKind, type Discrepancy, type OwnMessagesVerdict, type PostedMessage } from './trustee-messages.ts';
export { FINGERPRINT_BYTES, trusteeFingerprint } from './trustee-fingerprint.ts';
export { countWitnesses, type WitnessCount } from './witness-count.ts';
export { credentialHistory, type CastUnder, type CredentialHistory } from './credential-history.ts';
export { replaySignedBoard, type SignedBoard } from './signed-board.ts';
export { checkManifestKeys, type ExpectedKeys, type KeyDifference } from './manifest-keys.ts';
export { checkTrackerStart, type TrackerStartVerdict } from './tracker-start.ts';
export { addressReach, type AddressReach } from './public-address.ts';
export { listedWeights, type ListedWeights } from './listed-weights.ts';
