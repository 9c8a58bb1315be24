/**
 * A pool of worker threads that check ballot proofs for the verifier (§V.2), one job per idle worker,
 * so that `gongshi verify` uses every core.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { BallotProofVerifier, ProofJob } from '../../verifier/index.ts';

interface Waiting {
  readonly resolve: (v: boolean[]) => void;
  readonly reject: (e: Error) => void;
}

/** Starts `count` workers (default: one per core). Call close() when done. */
export function createProofWorkers(count: number = availableParallelism()): BallotProofVerifier {
  const workers = Array.from({ length: Math.max(1, count) }, () => new Worker(new URL('./proof-worker.js', import.meta.url)));
  const load = workers.map(() => 0);
  const waiting = new Map<number, { worker: number } & Waiting>();
  let next = 0;
  workers.forEach((w, k) => {
    w.on('message', (m: { id: number; verdicts?: boolean[]; error?: string }) => {
      const job = waiting.get(m.id);
      if (!job) return;
      waiting.delete(m.id);
      load[k] -= 1;
      if (m.verdicts) job.resolve(m.verdicts);
      else job.reject(new Error(`a proof worker failed: ${m.error}`));
    });
    w.on('error', (e) => {
      for (const [id, job] of waiting) if (job.worker === k) (waiting.delete(id), job.reject(e));
    });
  });
  return {
    verify(job: ProofJob): Promise<boolean[]> {
      const k = load.indexOf(Math.min(...load));
      load[k] += 1;
      const id = next++;
      return new Promise((resolve, reject) => {
        waiting.set(id, { worker: k, resolve, reject });
        workers[k].postMessage({ id, job });
      });
    },
    async close() {
      await Promise.all(workers.map((w) => w.terminate()));
    },
  };
}
