/**
 * Flat memory: a 20,000-ballot record verified by `gongshi verify` as an observer runs it, in a process
 * whose heap is capped (`--max-old-space-size`, the main thread; the proof workers have limits of their
 * own). The verifier keeps per-credential state as compact bytes and bounds every queue, so the
 * main thread's heap holds the ledger and little else. Measured with the same cap on the verifier before
 * this change: see the test's CAP_MB comment. Speed is not asserted here (`npm run bench` measures it).
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');
const BIN = resolve(ROOT, 'server/bin/gongshi.js');
const exec = promisify(execFile);
const dir = mkdtempSync(join(tmpdir(), 'gongshi-flat-memory-'));
const RECORD = join(dir, 'poll.gongshi');
const BALLOTS = 20_000;
/**
 * The main thread's old generation, in MB. The verifier before the flat ledger (per-ballot hex strings
 * for trackers and components, slot arrays kept per credential) ran out of heap under this cap on a
 * record made the same way (after 24 s, two thirds of the way through); this one verifies it, its heap
 * falling as it goes (the ledger grows by about 0.6 MB per thousand ballots of this shape).
 */
const CAP_MB = 64;

beforeAll(async () => {
  // The smallest ballot (one question, two options), so that 20,000 of them are made in about a minute.
  await exec('node', [BIN, 'demo', '--voters', String(BALLOTS), '--questions', 'single-2', '--plain', '--trustees', '1', '--threshold', '1', '--seed', 'flat', '--out', RECORD], {
    cwd: dir,
    maxBuffer: 1 << 24,
  });
}, 900_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the verifier in flat memory', () => {
  it(`verifies a ${BALLOTS}-ballot record with its heap capped at ${CAP_MB} MB`, async () => {
    const { stdout } = await exec('node', [`--max-old-space-size=${CAP_MB}`, BIN, 'verify', RECORD, '--json'], { cwd: dir, maxBuffer: 1 << 24 });
    const report = JSON.parse(stdout);
    expect(report.failures).toEqual([]);
    expect(report.valid).toBe(true);
    expect(report.ballots).toBe(BALLOTS);
    expect(report.counted).toBe(BALLOTS);
  }, 900_000);
});
