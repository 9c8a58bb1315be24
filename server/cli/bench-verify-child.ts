/**
 * A child process of `gongshi bench`: verifies one record file on every core and prints one JSON line
 * of its own figures — wall and CPU time, and the peak memory of this whole process (worker threads
 * included) — so that making the record, or anything else the bench did before, never counts in them.
 * Usage: node --import tsx server/cli/bench-verify-child.ts RECORD [WORKERS]
 */
import { createReadStream } from 'node:fs';
import { verifyRecord } from '../../verifier/index.ts';
import { createProofWorkers } from './proof-workers.ts';

const [file, workers] = process.argv.slice(2);
const proofs = createProofWorkers(Number(workers ?? 0) || undefined);
const cpu0 = process.cpuUsage();
const t0 = performance.now();
try {
  const report = await verifyRecord(createReadStream(file, { highWaterMark: 1 << 20 }), { proofs });
  const cpu = process.cpuUsage(cpu0);
  process.stdout.write(
    `${JSON.stringify({
      valid: report.valid,
      ballots: report.ballots,
      failures: report.failures.slice(0, 3),
      wall_ms: Math.round(performance.now() - t0),
      cpu_ms: Math.round((cpu.user + cpu.system) / 1000),
      // maxRSS covers the whole process, worker threads included (KiB)
      peak_rss_mb: Math.round(process.resourceUsage().maxRSS / 1024),
    })}\n`,
  );
} finally {
  await proofs.close();
}
