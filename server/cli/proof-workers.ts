/**
 * A pool of worker threads that check ballot proofs for the verifier (§V.2), one job per idle worker,
 * so that `gongshi verify` uses every core.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { BallotProofVerifier, ProofJob, ProofVerdict, SumJob } from '../../verifier/index.ts';

interface Waiting {
  readonly resolve: (v: never) => void;
  readonly reject: (e: Error) => void;
}

type Message = { id: number; job: ProofJob } | { id: number; sum: SumJob };

/** Starts `count` workers (default: one per core). Call close() when done. */
export function createProofWorkers(count: number = availableParallelism()): BallotProofVerifier {
  // execArgv: [] so that a test runner's own loader flags are not inherited; the worker registers tsx itself.
  const workers = Array.from({ length: Math.max(1, count) }, () => new Worker(new URL('./proof-worker.js', import.meta.url), { execArgv: [] }));
  const load = workers.map(() => 0);
  const waiting = new Map<number, { worker: number } & Waiting>();
  const ready = workers.map(() => false);
  const held: { worker: number; message: Message }[] = [];
  let next = 0;
  workers.forEach((w, k) => {
    w.on('message', (m: { ready?: true; id: number; result?: never; error?: string }) => {
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
      if (m.result !== undefined) job.resolve(m.result);
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
  /** Sends a message to the least busy worker, held until that worker says it is ready. */
  function send<T>(message: (id: number) => Message): Promise<T> {
    const k = load.indexOf(Math.min(...load));
    load[k] += 1;
    const id = next++;
    return new Promise<T>((resolve, reject) => {
      waiting.set(id, { worker: k, resolve: resolve as (v: never) => void, reject });
      if (ready[k]) workers[k].postMessage(message(id));
      else held.push({ worker: k, message: message(id) });
    });
  }
  return {
    verify: (job: ProofJob) => send<ProofVerdict[]>((id) => ({ id, job })),
    sum: (sum: SumJob) => send<Uint8Array[]>((id) => ({ id, sum })),
    async close() {
      await Promise.all(workers.map((w) => w.terminate()));
    },
  };
}
