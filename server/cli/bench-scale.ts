/**
 * `gongshi bench --ballots N`: the figures of a poll at scale. The record of an N-ballot demo poll
 * (one 5-option single-choice question, one ballot per voter) is made once and kept in the system's
 * temporary folder; then it is verified on every core in a process of its own (ballots per second, CPU
 * per ballot, peak memory of that whole process) and its size reported; the server's restart is timed
 * on a SQLite board of the same entries (bench-restart.ts); with --browser, verified again
 * in headless Chromium by the site's own verifier page (bench-browser.ts).
 */
import { availableParallelism } from 'node:os';
import { benchBrowser } from './bench-browser.ts';
import { benchRestart } from './bench-restart.ts';
import { benchRecordPath, benchVerify } from './bench-verify.ts';

export async function benchScale(ballots: number, json: boolean, browser: boolean): Promise<number> {
  const verify = await benchVerify(ballots);
  const restart = await benchRestart(ballots);
  const inBrowser = browser ? await benchBrowser(ballots, benchRecordPath(ballots)) : null;
  const figures = { ballots, ...verify, ...restart, ...inBrowser, cores: availableParallelism(), node: process.version };
  const rows: [string, string, string][] = [
    [`verify the record, ${verify.verify_record_workers} cores`, `${verify.verify_record_ballots_per_s} /s`, ''],
    ['        CPU per ballot, all threads', `${verify.verify_record_cpu_ms_per_ballot} ms`, ''],
    ['        peak memory of the verifying process', `${verify.verify_record_peak_rss_mb} MB`, ballots <= 10_000 ? '< 150 MB' : '< 300 MB'],
    ['record size', `${(verify.verify_record_bytes / 1e6).toFixed(1)} MB`, ''],
    ['server restart (Board.open of the SQLite board, with its snapshot)', `${(restart.restart_ms / 1000).toFixed(1)} s`, '< 5 s'],
    ['        its CPU', `${(restart.restart_cpu_ms / 1000).toFixed(1)} s`, ''],
    ['        without the snapshot (every entry replayed, no proof checked)', `${(restart.restart_full_replay_ms / 1000).toFixed(1)} s`, ''],
    ['        board file (SQLite, with its log)', `${(restart.board_bytes / 1e6).toFixed(1)} MB`, ''],
  ];
  if (inBrowser !== null)
    rows.push(
      [`verify in Chromium (the site's verifier page)${inBrowser.browser_verify_valid ? '' : ' — NOT VALID'}`, `${Math.round(ballots / inBrowser.browser_verify_s)} /s`, 'completes'],
      ['        peak memory, largest Chromium process', `${inBrowser.browser_peak_process_mb} MB`, ''],
      ["        peak memory, all of Chromium's processes", `${inBrowser.browser_peak_all_mb} MB`, ''],
    );
  const w = Math.max(...rows.map((r) => r[0].length));
  process.stdout.write(`gongshi bench --ballots ${ballots}: 5-option single-choice ballots, ${process.version}\n\n`);
  process.stdout.write(`${'figure'.padEnd(w)}  ${'measured'.padStart(12)}  goal\n`);
  for (const [name, value, goal] of rows) process.stdout.write(`${name.padEnd(w)}  ${value.padStart(12)}  ${goal}\n`);
  if (json) process.stdout.write(`${JSON.stringify(figures)}\n`);
  return 0;
}
