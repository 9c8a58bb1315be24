/**
 * The board's ballot checker on worker threads (the verifier's proof workers, §V.2): a group's ballots
 * are split across the workers, so that every core verifies proofs while the main thread serves.
 */
import type { BallotChecker } from '../../bulletin-board/index.ts';
import type { BallotProofVerifier } from '../../verifier/index.ts';

export function workerChecker(pool: BallotProofVerifier, workers: number): BallotChecker {
  return {
    async check(job) {
      const per = Math.ceil(job.ballots.length / workers);
      const parts = [];
      for (let i = 0; i < job.ballots.length; i += per) parts.push(pool.verify({ ...job, ballots: job.ballots.slice(i, i + per) }));
      return (await Promise.all(parts)).flat();
    },
  };
}
