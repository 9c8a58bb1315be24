/** verifier/: the front door of the observer's verifier, browser-safe. Spec §V. */
export { CHECKS, checkOfRejection, type CheckId } from './checks.ts';
export { inThreadProofs, runProofJob, runSumJob, type BallotProofVerifier, type ProofJob, type ProofVerdict, type SumJob } from './ballot-proofs.ts';
export { describeResult, type Failure, type OptionResult, type QuestionResult, type VerifyReport } from './report.ts';
export { reportText, resultLines } from './report-text.ts';
export { UnreadableRecord, verifyRecord, type VerifyOptions } from './verify-record.ts';
export { verifyReceipt, type CastReceipt, type ReceiptCheck, type ReceiptView } from './receipt.ts';
export { checkManifestKeys, type ExpectedKeys, type KeyDifference } from './manifest-keys.ts';
