/**
 * The verifier's BallotProofVerifier over a pool of Web Workers (proof.worker.ts): each job goes to
 * the least busy worker, so that checking proofs uses the device's cores and never the page's thread.
 */
import type { BallotProofVerifier, ProofJob, ProofVerdict, SumJob } from '../../../verifier/index.ts';
import type { ProofAnswer, ProofRequest } from './proof.worker.ts';

/** Workers for this device: one per core, at most 4 (a phone stays usable), at least 1. */
export function poolSize(cores: number | undefined): number {
  return Math.max(1, Math.min(4, cores || 2));
}

interface Waiting {
  readonly worker: number;
  readonly resolve: (value: never) => void;
  readonly reject: (error: Error) => void;
}

/** Starts `size` proof workers; close() stops them. A worker that fails rejects its jobs. */
export function createProofPool(size: number): BallotProofVerifier {
  const workers = Array.from({ length: size }, () => new Worker(new URL('./proof.worker.ts', import.meta.url), { type: 'module' }));
  const load = workers.map(() => 0);
  const waiting = new Map<number, Waiting>();
  let next = 0;
  workers.forEach((w, k) => {
    w.onmessage = (event: MessageEvent<ProofAnswer>) => {
      const m = event.data;
      const job = waiting.get(m.id);
      if (!job) return;
      waiting.delete(m.id);
      load[k] -= 1;
      if ('result' in m) job.resolve(m.result as never);
      else job.reject(new Error(`a proof worker failed: ${m.error}`));
    };
    w.onerror = (event) => {
      event.preventDefault();
      for (const [id, job] of waiting) {
        if (job.worker !== k) continue;
        waiting.delete(id);
        job.reject(new Error(`a proof worker stopped: ${event.message}`));
      }
    };
  });

  function send<T>(request: (id: number) => ProofRequest): Promise<T> {
    const k = load.indexOf(Math.min(...load));
    load[k] += 1;
    const id = next++;
    return new Promise<T>((resolve, reject) => {
      waiting.set(id, { worker: k, resolve: resolve as (value: never) => void, reject });
      workers[k].postMessage(request(id));
    });
  }

  return {
    // Copies so that only the ballots travel, not the whole chunk of the record each one was cut from.
    verify: (job: ProofJob) => send<ProofVerdict[]>((id) => ({ id, job: { manifest: job.manifest.slice(), key: job.key.slice(), fingerprint: job.fingerprint.slice(), ballots: job.ballots.map((b) => b.slice()) } })),
    sum: (job: SumJob) => send<Uint8Array[]>((id) => ({ id, sum: job })),
    close() {
      for (const w of workers) w.terminate();
    },
  };
}
