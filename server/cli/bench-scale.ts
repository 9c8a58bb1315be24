/**
 * `gongshi bench --ballots N`: the figures of a poll at scale. The record of an N-ballot demo poll
 * (one 5-option single-choice question, one ballot per voter) is made once and kept in the system's
 * temporary folder; then it is verified on every core in a process of its own (ballots per second, CPU
 * per ballot, peak memory of that whole process) and its size reported.
 */
import { availableParallelism } from 'node:os';
import { benchVerify } from './bench-verify.ts';

export async function benchScale(ballots: number, json: boolean): Promise<number> {
  const verify = await benchVerify(ballots);
  const figures = { ballots, ...verify, cores: availableParallelism(), node: process.version };
  const rows: [string, string, string][] = [
    [`verify the record, ${verify.verify_record_workers} cores`, `${verify.verify_record_ballots_per_s} /s`, ''],
    ['        CPU per ballot, all threads', `${verify.verify_record_cpu_ms_per_ballot} ms`, ''],
    ['        peak memory of the verifying process', `${verify.verify_record_peak_rss_mb} MB`, ballots <= 10_000 ? '< 150 MB' : '< 300 MB'],
    ['record size', `${(verify.verify_record_bytes / 1e6).toFixed(1)} MB`, ''],
  ];
  const w = Math.max(...rows.map((r) => r[0].length));
  process.stdout.write(`gongshi bench --ballots ${ballots}: 5-option single-choice ballots, ${process.version}\n\n`);
  process.stdout.write(`${'figure'.padEnd(w)}  ${'measured'.padStart(12)}  goal\n`);
  for (const [name, value, goal] of rows) process.stdout.write(`${name.padEnd(w)}  ${value.padStart(12)}  ${goal}\n`);
  if (json) process.stdout.write(`${JSON.stringify(figures)}\n`);
  return 0;
}
