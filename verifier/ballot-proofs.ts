/**
 * The verifier's parallel part: the proofs of a run of ballots, checked in one batch (§Q.8.2). A job
 * carries everything as bytes, so that it can be sent to a worker thread or a Web Worker. Spec §V.2.
 */
import { DecodeError, Writer, decodeBallot, decodePoint, toHex, verifyDecodedBallots, type AnswerShape, type Ballot, type Point } from '../crypto/index.ts';
import { ballotFacts, decodeManifest, manifestShapes, sumSlots, type BallotFacts } from '../bulletin-board/index.ts';

/** The proofs of `ballots` (ballot payloads) under one election. */
export interface ProofJob {
  /** the manifest's payload bytes (§B.1.4): the shapes */
  readonly manifest: Uint8Array;
  /** enc(Y) */
  readonly key: Uint8Array;
  readonly fingerprint: Uint8Array;
  readonly ballots: readonly Uint8Array[];
}

/**
 * A ballot's verdict: valid (it decodes canonically and every proof and the signature hold), with the
 * facts the rules need so that the main thread never decodes it again; or not.
 */
export type ProofVerdict = { readonly ok: true; readonly facts: BallotFacts } | { readonly ok: false };

/** Part of the tally (B.4.7.1): the last ballots' slots (α ‖ β of every slot, in one array) of some credentials, with their weights. */
export interface SumJob {
  readonly ballots: readonly Uint8Array[];
  readonly weights: readonly number[];
  readonly slots: number;
}

/** Checks the proofs of ballot runs and sums parts of the tally, here or elsewhere (worker threads, Web Workers). */
export interface BallotProofVerifier {
  /** one verdict per ballot, in order */
  verify(job: ProofJob): Promise<ProofVerdict[]>;
  /** enc(α) ‖ enc(β) of the weighted sum of every slot */
  sum(job: SumJob): Promise<Uint8Array[]>;
  close(): Promise<void> | void;
}

const elections = new Map<string, { shapes: AnswerShape[]; key: Point }>();

/** Runs a job in this thread: decode, one batch, one-by-one fallback to name the bad ones. */
export function runProofJob(job: ProofJob): ProofVerdict[] {
  const id = toHex(job.fingerprint) + toHex(job.key);
  let election = elections.get(id);
  if (election === undefined) {
    election = { shapes: manifestShapes(decodeManifest(job.manifest)), key: decodePoint(job.key, 'key') };
    elections.clear(); // one election at a time is all a verifier needs
    elections.set(id, election);
  }
  const decoded = job.ballots.map((bytes): Ballot | null => {
    try {
      return decodeBallot(bytes, election.shapes);
    } catch (e) {
      if (e instanceof DecodeError) return null;
      throw e;
    }
  });
  const good = decoded.filter((b) => b !== null);
  const verdicts = verifyDecodedBallots(good, { shapes: election.shapes, key: election.key, fingerprint: job.fingerprint });
  let at = 0;
  return decoded.map((b): ProofVerdict => (b !== null && verdicts[at++] ? { ok: true, facts: ballotFacts(b) } : { ok: false }));
}

/** Runs a sum job in this thread (`sumSlots`, §B.4.7.1). */
export function runSumJob(job: SumJob): Uint8Array[] {
  return sumSlots(job.ballots, job.weights, job.slots).map((c) => new Writer().point(c.alpha).point(c.beta).finish());
}

/** The verifier in this thread (the default, and what a browser without workers uses). */
export const inThreadProofs: BallotProofVerifier = {
  async verify(job) {
    return runProofJob(job);
  },
  async sum(job) {
    return runSumJob(job);
  },
  close() {},
};
