/**
 * The verifier's figure for `gongshi bench`: full verification of a demo record of one 5-option
 * single-choice question, with proof jobs on every core, in ballots per second, and the peak memory.
 * The record (slow to make: every ballot is created and appended through the rules) is kept in the
 * system's temporary folder and reused while it still verifies. Spec §V.5.
 */
import { availableParallelism, tmpdir } from 'node:os';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { verifyRecord } from '../../verifier/index.ts';
import { runDemoPoll } from '../demo/demo-poll.ts';
import { createProofWorkers } from './proof-workers.ts';
import { progress } from './progress.ts';

export interface VerifyFigures {
  verify_record_ballots: number;
  verify_record_ballots_per_s: number;
  verify_record_workers: number;
  verify_record_peak_rss_mb: number;
}

/** The kept demo record of `voters` ballots (the one single-5 question, no audits, no revotes; seed 'bench') and where it is kept. */
export function keptRecordPath(voters: number): string {
  return join(tmpdir(), `gongshi-bench-record-${voters}.gongshi`);
}

/** The kept demo record of `voters` ballots: read from the system's temporary folder, or made (slow) and kept there. */
export async function keptDemoRecord(voters: number): Promise<Uint8Array> {
  const path = keptRecordPath(voters);
  return existsSync(path) ? readFileSync(path) : demoRecord(voters, path);
}

async function demoRecord(voters: number, path: string): Promise<Uint8Array> {
  const bar = progress(`making a ${voters}-ballot demo record (once; kept in ${path})`, voters);
  const poll = await runDemoPoll({ voters, trustees: 1, threshold: 1, seed: 'bench', questions: 'single-5', audits: false, revotes: false, onProgress: () => bar.tick() });
  bar.done();
  const bytes = Buffer.concat([...poll.board.exportRecord()]);
  writeFileSync(path, bytes);
  return bytes;
}

export async function benchVerify(voters: number): Promise<VerifyFigures> {
  const path = keptRecordPath(voters);
  const workers = availableParallelism();
  for (let attempt = 0; ; attempt++) {
    const bytes = existsSync(path) && attempt === 0 ? readFileSync(path) : await demoRecord(voters, path);
    const proofs = createProofWorkers(workers);
    try {
      process.stderr.write(`verifying the ${voters}-ballot record on ${workers} cores…\n`);
      const t0 = performance.now();
      const report = await verifyRecord([bytes], { proofs });
      const ms = performance.now() - t0;
      if (report.valid && report.ballots === voters) {
        return {
          verify_record_ballots: voters,
          verify_record_ballots_per_s: Math.round((voters / ms) * 1000),
          verify_record_workers: workers,
          // maxRSS covers the whole process, worker threads included (KiB)
          verify_record_peak_rss_mb: Math.round(process.resourceUsage().maxRSS / 1024),
        };
      }
      if (attempt > 0) throw new Error(`bug: a fresh demo record does not verify: ${JSON.stringify(report.failures.slice(0, 3))}`);
      process.stderr.write('the kept record no longer verifies (made by another version?): making it again\n');
    } finally {
      await proofs.close();
    }
  }
}
