/**
 * The verifier's figures for `gongshi bench`: full verification of a demo record of one 5-option
 * single-choice question, with proof jobs on every core, in a child process of its own
 * (bench-verify-child.ts): ballots per second, CPU per ballot, and the peak memory of that process.
 * The record (slow to make: every ballot is created and appended through the rules) is kept in the
 * system's temporary folder and reused while it still verifies. Spec §V.5.
 */
import { execFile } from 'node:child_process';
import { existsSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runDemoPoll } from '../demo/demo-poll.ts';
import { workerChecker } from '../polls/worker-checker.ts';
import { createProofWorkers } from './proof-workers.ts';
import { progress } from './progress.ts';

export interface VerifyFigures {
  verify_record_ballots: number;
  verify_record_ballots_per_s: number;
  verify_record_cpu_ms_per_ballot: number;
  verify_record_workers: number;
  verify_record_peak_rss_mb: number;
  verify_record_bytes: number;
}

/** Where the bench keeps its demo record of `voters` ballots (the one single-5 question, no audits, no revotes; seed 'bench'). */
export function benchRecordPath(voters: number): string {
  return join(tmpdir(), `gongshi-bench-record-${voters}.gongshi`);
}

/** The kept demo record of `voters` ballots: read from the system's temporary folder, or made (slow) and kept there. */
export async function keptDemoRecord(voters: number): Promise<Uint8Array> {
  const path = benchRecordPath(voters);
  return readFileSync(existsSync(path) ? path : await makeBenchRecord(voters));
}

/** Makes the bench's demo record of `voters` ballots (one each, no audits), through the board and its rules. */
export async function makeBenchRecord(voters: number): Promise<string> {
  const path = benchRecordPath(voters);
  const bar = progress(`making a ${voters}-ballot demo record (once; kept in ${path})`, voters);
  const workers = availableParallelism();
  const pool = createProofWorkers(workers);
  try {
    const poll = await runDemoPoll({ voters, trustees: 1, threshold: 1, seed: 'bench', questions: 'single-5', audits: false, revotes: false, ballotChecker: workerChecker(pool, workers), onProgress: () => bar.tick() });
    bar.done();
    // Written whole, then renamed: a half-written record is never taken for the kept one.
    writeFileSync(`${path}.part`, Buffer.concat([...poll.board.exportRecord()]));
    renameSync(`${path}.part`, path);
    return path;
  } finally {
    await pool.close();
  }
}

interface ChildFigures {
  valid: boolean;
  ballots: number;
  failures: unknown[];
  wall_ms: number;
  cpu_ms: number;
  peak_rss_mb: number;
}

const root = fileURLToPath(new URL('../../', import.meta.url));

/** Verifies `path` in a child process on `workers` threads; its own figures. */
export function verifyInChild(path: string, workers: number, nodeOptions: readonly string[] = []): Promise<ChildFigures> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      [...nodeOptions, '--import', 'tsx', join(root, 'server/cli/bench-verify-child.ts'), path, String(workers)],
      { cwd: root, maxBuffer: 1 << 20 },
      (error, stdout, stderr) => {
        if (error) reject(new Error(`the verifying child failed: ${error.message}\n${stderr}`));
        else resolve(JSON.parse(stdout.trim().split('\n').at(-1)!) as ChildFigures);
      },
    );
  });
}

export async function benchVerify(voters: number): Promise<VerifyFigures> {
  const workers = availableParallelism();
  for (let attempt = 0; ; attempt++) {
    const path = existsSync(benchRecordPath(voters)) && attempt === 0 ? benchRecordPath(voters) : await makeBenchRecord(voters);
    process.stderr.write(`verifying the ${voters}-ballot record on ${workers} cores, in a process of its own…\n`);
    const child = await verifyInChild(path, workers);
    if (child.valid && child.ballots === voters) {
      return {
        verify_record_ballots: voters,
        verify_record_ballots_per_s: Math.round((voters / child.wall_ms) * 1000),
        verify_record_cpu_ms_per_ballot: Math.round((child.cpu_ms / voters) * 100) / 100,
        verify_record_workers: workers,
        verify_record_peak_rss_mb: child.peak_rss_mb,
        verify_record_bytes: statSync(path).size,
      };
    }
    if (attempt > 0) throw new Error(`bug: a fresh demo record does not verify: ${JSON.stringify(child.failures)}`);
    process.stderr.write('the kept record no longer verifies (made by another version?): making it again\n');
  }
}
