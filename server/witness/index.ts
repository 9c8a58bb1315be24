/**
 * server/witness/: a witness of gongshi boards (spec §B.3.9–B.3.10), the logic behind
 * `gongshi witness URL`, usable without a process: follow a poll's checkpoints, cosign the consistent
 * ones, keep the evidence of an equivocating board.
 */
export { BoardError, PollUrlError, WitnessStateError } from './errors.ts';
export { describeEquivocation, evidenceText, type EquivocationKind, type EquivocationRecord } from './evidence.ts';
export { pollStateFile, type PollState } from './poll-state.ts';
export { parsePollUrl, type PollUrl } from './poll-url.ts';
export { KEY_FILE, defaultWitnessName } from './witness-key.ts';
export { Witness, type FollowOutcome, type WitnessOptions } from './witness.ts';
