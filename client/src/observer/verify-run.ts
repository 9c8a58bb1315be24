/**
 * One verification run from the page: the verifier worker (verify.worker.ts) reads the record from
 * the server or a file and reports progress, then the report; the page's own thread only draws.
 */
import type { VerifyMessage, VerifyRequest } from './verify.worker.ts';

export interface VerifyRun {
  /** stops the run and its workers */
  stop(): void;
}

/** Starts verifying; every message of the worker goes to `onMessage`, and a worker that dies becomes a 'failed' message. */
export function startVerification(request: VerifyRequest, onMessage: (m: VerifyMessage) => void): VerifyRun {
  const worker = new Worker(new URL('./verify.worker.ts', import.meta.url), { type: 'module' });
  let over = false;
  const end = () => {
    over = true;
    worker.terminate(); // also ends the proof workers it started
  };
  worker.onmessage = (event: MessageEvent<VerifyMessage>) => {
    if (over) return;
    if (event.data.kind !== 'progress') end();
    onMessage(event.data);
  };
  worker.onerror = (event) => {
    event.preventDefault();
    if (over) return;
    end();
    onMessage({ kind: 'failed', message: event.message || 'the verifier stopped' });
  };
  worker.postMessage(request);
  return { stop: end };
}

/** The address of a poll's record on this server (spec §B.6, docs/api.md). */
export function recordPath(poll: string): string {
  return `/api/polls/${poll}/record`;
}
