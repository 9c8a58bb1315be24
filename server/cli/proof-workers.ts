/**
 * A pool of worker threads that check ballot proofs for the verifier (§V.2), one job per idle worker,
 * so that `gongshi verify` uses every core.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { BallotProofVerifier, ProofJob, ProofVerdict } from '../../verifier/index.ts';

interface Waiting {
  readonly resolve: (v: ProofVerdict[]) => void;
  readonly reject: (e: Error) => void;
}

/** Starts `count` workers (default: one per core). Call close() when done. */
export function createProofWorkers(count: number = availableParallelism()): BallotProofVerifier {
  // execArgv: [] so that a test runner's own loader flags are not inherited; the worker registers tsx itself.
  const workers = Array.from({ length: Math.max(1, count) }, () => new Worker(new URL('./proof-worker.js', import.meta.url), { execArgv: [] }));
  const load = workers.map(() => 0);
  const waiting = new Map<number, { worker: number } & Waiting>();
  const ready = workers.map(() => false);
  const held: { worker: number; message: { id: number; job: ProofJob } }[] = [];
  let next = 0;
  workers.forEach((w, k) => {
    w.on('message', (m: { ready?: true; id: number; verdicts?: ProofVerdict[]; error?: string }) => {
      if (m.ready) {
        ready[k] = true;
        for (const h of held.filter((x) => x.worker === k)) w.postMessage(h.message);
        held.splice(0, held.length, ...held.filter((x) => x.worker !== k));
        return;
      }
      const job = waiting.get(m.id);
      if (!job) return;
      waiting.delete(m.id);
      load[k] -= 1;
      if (m.verdicts) job.resolve(m.verdicts);
      else job.reject(new Error(`a proof worker failed: ${m.error}`));
    });
    const fail = (e: Error) => {
      for (const [id, job] of waiting) {
        if (job.worker !== k) continue;
        waiting.delete(id);
        job.reject(e);
      }
    };
    w.on('error', fail);
    w.on('exit', (code) => fail(new Error(`a proof worker stopped (exit code ${code})`)));
  });
  return {
    verify(job: ProofJob): Promise<ProofVerdict[]> {
      const k = load.indexOf(Math.min(...load));
      load[k] += 1;
      const id = next++;
      return new Promise((resolve, reject) => {
        waiting.set(id, { worker: k, resolve, reject });
        if (ready[k]) workers[k].postMessage({ id, job });
        else held.push({ worker: k, message: { id, job } });
      });
    },
    async close() {
      await Promise.all(workers.map((w) => w.terminate()));
    },
  };
}
