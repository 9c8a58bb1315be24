/**
 * Makes a ballot in the booth's Web Worker (ballot.worker.ts) and reports progress. The first ballot's
 * progress is unknown (null); later ones (re-encryptions after an audit, the same answers) draw the
 * same number of random values, so their progress is exact.
 */
import type { BallotOpening } from '../../../crypto/index.ts';
import type { MakeBallotReply, MakeBallotRequest } from './ballot.worker.ts';

export interface MadeBallot {
  readonly bytes: Uint8Array;
  readonly tracker: Uint8Array;
  readonly opening: BallotOpening;
}

let expectedDraws: number | null = null;

/** Encrypts, proves and signs in a worker; `progress` gets 0..1 or null. Rejects with the worker's error. */
export function makeBallot(request: MakeBallotRequest, progress: (value: number | null) => void): Promise<MadeBallot> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./ballot.worker.ts', import.meta.url), { type: 'module' });
    const expected = expectedDraws;
    progress(expected === null ? null : 0);
    worker.onmessage = (e: MessageEvent<MakeBallotReply>) => {
      const m = e.data;
      if (m.type === 'progress') {
        if (expected !== null) progress(Math.min(0.99, m.draws / expected));
        return;
      }
      worker.terminate();
      if (m.type === 'failed') return reject(new Error(m.message));
      expectedDraws = m.draws;
      progress(1);
      resolve({ bytes: m.bytes, tracker: m.tracker, opening: { values: m.values, r: m.r } });
    };
    worker.onerror = (e) => {
      worker.terminate();
      reject(new Error(e.message || 'the ballot worker failed'));
    };
    worker.postMessage(request);
  });
}
