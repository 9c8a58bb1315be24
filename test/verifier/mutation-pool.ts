/**
 * A pool of worker threads that run the verifier on record files, so that the mutation suite uses
 * every core; or, with size 0, the verifier in this thread.
 */
import { Worker } from 'node:worker_threads';
import { inThreadProofs, verifyRecord, type CheckId } from '../../verifier/index.ts';

export interface Job {
  readonly chunks: Uint8Array[];
  /** checkpoints the observer saved (V14) */
  readonly checkpoints?: string[];
}

export interface Outcome {
  readonly valid: boolean;
  readonly failures: readonly { readonly check: CheckId; readonly entry: number | null; readonly reason: string }[];
  /** what verifyRecord threw, if it threw */
  readonly error?: string;
  readonly ms: number;
}

export interface Pool {
  run(job: Job): Promise<Outcome>;
  close(): Promise<void>;
}

async function runHere(job: Job): Promise<Outcome> {
  const started = performance.now();
  try {
    const report = await verifyRecord(job.chunks, { proofs: inThreadProofs, checkpoints: job.checkpoints });
    return { valid: report.valid, failures: report.failures.map(({ check, entry, reason }) => ({ check, entry, reason })), ms: performance.now() - started };
  } catch (e) {
    return { valid: false, failures: [], error: e instanceof Error ? `${e.name}: ${e.message}` : String(e), ms: performance.now() - started };
  }
}

/**
 * `size` workers, each verifying one record at a time. A verification that takes longer than
 * `timeoutMs` is reported as an error (and its worker replaced), so that a hang is a finding.
 */
export function createPool(size: number, timeoutMs = 60_000): Pool {
  if (size === 0) return { run: runHere, close: async () => {} };
  const queue: { job: Job; resolve: (o: Outcome) => void }[] = [];
  const idle: Worker[] = [];
  const busy = new Map<Worker, { resolve: (o: Outcome) => void; timer: NodeJS.Timeout; started: number }>();
  let closing = false;
  const finish = (w: Worker, outcome: Outcome, reuse: boolean) => {
    const b = busy.get(w);
    if (!b) return;
    busy.delete(w);
    clearTimeout(b.timer);
    b.resolve(outcome);
    if (reuse) idle.push(w);
    else {
      void w.terminate();
      if (!closing) spawned.push(spawn());
    }
    pump();
  };
  const spawn = (): Worker => {
    // The verifier allocates many short-lived BigInts: a larger young generation saves ~10 % in GC.
    const w = new Worker(new URL('./mutation-worker.js', import.meta.url), { resourceLimits: { maxYoungGenerationSizeMb: 64 } });
    // A worker takes jobs once it says it listens (a message sent while it loads may be lost).
    w.on('message', (m: { ready?: true; outcome?: Outcome }) => {
      if (m.ready) {
        if (!closing) idle.push(w);
        pump();
      } else finish(w, m.outcome!, true);
    });
    w.on('error', (e) => {
      if (busy.has(w)) finish(w, { valid: false, failures: [], error: `the worker died: ${e.message}`, ms: 0 }, false);
      else if (!closing) spawned.push(spawn()); // died while loading: replace it
    });
    return w;
  };
  const pump = () => {
    while (idle.length > 0 && queue.length > 0) {
      const w = idle.pop()!;
      const { job, resolve } = queue.shift()!;
      const started = performance.now();
      const timer = setTimeout(() => finish(w, { valid: false, failures: [], error: `no verdict after ${timeoutMs} ms`, ms: performance.now() - started }, false), timeoutMs);
      busy.set(w, { resolve, timer, started });
      w.postMessage(job);
    }
  };
  const spawned: Worker[] = [];
  for (let i = 0; i < size; i++) spawned.push(spawn());
  return {
    run(job) {
      return new Promise((resolve) => {
        queue.push({ job, resolve });
        pump();
      });
    },
    async close() {
      closing = true;
      await Promise.all(spawned.map((w) => w.terminate()));
    },
  };
}
