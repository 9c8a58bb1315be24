/**
 * A pool of worker threads that check ballot proofs for the verifier (§V.2), one job per idle worker,
 * so that `gongshi verify` uses every core.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { bundledWorkerUrl } from './worker-bundle.ts';
import type { BallotProofVerifier, ProofJob, ProofVerdict, SumJob } from '../../verifier/index.ts';

interface Waiting {
  readonly resolve: (v: never) => void;
  readonly reject: (e: Error) => void;
}

type Message = { id: number; job: ProofJob } | { id: number; sum: SumJob };

/**
 * A worker's heap: a proof job holds a run of decoded ballots and its batch equation (a few MB), a sum
 * job a run of 512 decoded ballots' slots. Without limits V8 lets a busy worker's heap grow far past
 * what it holds, and a verifier's memory with it; these keep each worker's heap near its needs.
 */
const WORKER_LIMITS = { maxYoungGenerationSizeMb: 8, maxOldGenerationSizeMb: 48 };

/** Starts `count` workers (default: one per core). Call close() when done. */
export function createProofWorkers(count: number = availableParallelism()): BallotProofVerifier {
  // One bundle of the worker's modules (no TypeScript loader in the worker); execArgv: [] so that a
  // test runner's own loader flags are not inherited.
  const code = bundledWorkerUrl(new URL('./proof-worker-main.ts', import.meta.url));
  const workers = Array.from({ length: Math.max(1, count) }, () => new Worker(code, { execArgv: [], resourceLimits: WORKER_LIMITS }));
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
