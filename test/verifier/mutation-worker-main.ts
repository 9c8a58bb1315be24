/** Verifies the record files that mutations.test.ts sends, one at a time, and reports what it found. */
import { parentPort } from 'node:worker_threads';
import { inThreadProofs, verifyRecord } from '../../verifier/index.ts';
import type { Job, Outcome } from './mutation-pool.ts';

const port = parentPort!;
port.on('message', async (job: Job) => {
  const started = performance.now();
  let outcome: Outcome;
  try {
    const report = await verifyRecord(job.chunks, { proofs: inThreadProofs, checkpoints: job.checkpoints });
    outcome = { valid: report.valid, failures: report.failures.map(({ check, entry, reason }) => ({ check, entry, reason })), ms: performance.now() - started };
  } catch (e) {
    outcome = { valid: false, failures: [], error: e instanceof Error ? `${e.name}: ${e.message}` : String(e), ms: performance.now() - started };
  }
  port.postMessage({ outcome });
});
port.postMessage({ ready: true });
