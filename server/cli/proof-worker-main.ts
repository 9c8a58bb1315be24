/** The body of a proof worker: runs each job it is sent (§V.2) and posts the verdicts back. */
import { parentPort } from 'node:worker_threads';
import { runProofJob, runSumJob, type ProofJob, type SumJob } from '../../verifier/index.ts';

if (parentPort === null) throw new Error('bug: proof-worker-main.ts runs only as a worker thread');
const port = parentPort;
port.on('message', (m: { id: number; job: ProofJob } | { id: number; sum: SumJob }) => {
  try {
    port.postMessage({ id: m.id, result: 'job' in m ? runProofJob(m.job) : runSumJob(m.sum) });
  } catch (e) {
    port.postMessage({ id: m.id, error: e instanceof Error ? e.message : String(e) });
  }
});
// Messages that arrive before this listener exists are lost (the loader's import is asynchronous):
// the pool sends no job until it hears this.
port.postMessage({ ready: true });
