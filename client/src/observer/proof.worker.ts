/** A Web Worker that checks ballot proofs and sums tally parts for the verifier page (spec §V.2). */
import { runProofJob, runSumJob, type ProofJob, type SumJob } from '../../../verifier/index.ts';

export type ProofRequest = { readonly id: number; readonly job: ProofJob } | { readonly id: number; readonly sum: SumJob };
export type ProofAnswer = { readonly id: number; readonly result: unknown } | { readonly id: number; readonly error: string };

self.onmessage = (event: MessageEvent<ProofRequest>) => {
  const m = event.data;
  try {
    const answer: ProofAnswer = { id: m.id, result: 'job' in m ? runProofJob(m.job) : runSumJob(m.sum) };
    self.postMessage(answer);
  } catch (e) {
    self.postMessage({ id: m.id, error: e instanceof Error ? e.message : String(e) } satisfies ProofAnswer);
  }
};
