/**
 * The page's side of the trustee worker: one request at a time gets an id, an answer (a promise) and
 * progress reports. A failure comes back as WorkerFailure with the worker's code.
 */
import type { Answers, Reply, Request } from './worker-protocol.ts';

export class WorkerFailure extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly height?: number,
  ) {
    super(message);
    this.name = 'WorkerFailure';
  }
}

interface Pending {
  resolve(answer: unknown): void;
  reject(e: Error): void;
  progress?: (fraction: number) => void;
}

export class TrusteeWorker {
  private readonly worker = new Worker(new URL('./trustee.worker.ts', import.meta.url), { type: 'module' });
  private readonly pending = new Map<number, Pending>();
  private next = 1;

  constructor() {
    this.worker.onmessage = (event: MessageEvent<Reply>) => {
      const r = event.data;
      const p = this.pending.get(r.id);
      if (!p) return;
      if ('progress' in r) p.progress?.(r.progress);
      else {
        this.pending.delete(r.id);
        if ('answer' in r) p.resolve(r.answer);
        else p.reject(new WorkerFailure(r.failure.code, r.failure.message, r.failure.height));
      }
    };
    this.worker.onerror = (event) => {
      event.preventDefault();
      for (const p of this.pending.values()) p.reject(new WorkerFailure('FAILED', event.message || 'the worker stopped'));
      this.pending.clear();
    };
  }

  /** Sends one request; `progress` hears 0 … 1 while it runs. */
  ask<R extends Request>(request: R, progress?: (fraction: number) => void): Promise<Answers[R['op']]> {
    const id = this.next++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (a: unknown) => void, reject, progress });
      this.worker.postMessage({ id, request });
    });
  }

  stop(): void {
    this.worker.terminate();
    for (const p of this.pending.values()) p.reject(new WorkerFailure('STOPPED', 'the page was left'));
    this.pending.clear();
  }
}
