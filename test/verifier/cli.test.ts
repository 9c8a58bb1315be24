/**
 * `gongshi demo` and `gongshi verify` as an observer runs them: real processes, files and an HTTP URL;
 * exit codes 0 valid, 1 invalid, 2 unreadable or usage; never a stack trace.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');
const BIN = resolve(ROOT, 'server/bin/gongshi.js');
const exec = promisify(execFile);
const dir = mkdtempSync(join(tmpdir(), 'gongshi-verify-cli-'));
const RECORD = join(dir, 'demo.gongshi');

async function gongshi(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await exec('node', [BIN, ...args], { cwd: dir, maxBuffer: 1 << 24 });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

function expectNoStackTrace(s: string): void {
  expect(s).not.toMatch(/\n\s+at /);
}

let demoOut = '';
beforeAll(async () => {
  const r = await gongshi('demo', '--voters', '12', '--trustees', '3', '--threshold', '2', '--seed', 'cli', '--out', RECORD);
  expect(r.stderr).toMatch(/voting/);
  expect(r.code).toBe(0);
  demoOut = r.stdout;
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('gongshi demo', () => {
  it('runs a whole poll, prints the result and writes the record', () => {
    expect(demoOut).toMatch(/Which colour for the courtyard gate\?/);
    expect(demoOut).toMatch(/the decrypted result equals the demo’s own count in the clear/);
    expect(readFileSync(RECORD).subarray(0, 17).toString()).toBe('gongshi-record/1\n');
  });

  it('is deterministic for a seed', async () => {
    const again = join(dir, 'again.gongshi');
    expect((await gongshi('demo', '--voters', '12', '--seed', 'cli', '--out', again)).code).toBe(0);
    expect(readFileSync(again).equals(readFileSync(RECORD))).toBe(true);
  });

  it('refuses bad options with exit code 2', async () => {
    const r = await gongshi('demo', '--threshold', '4', '--trustees', '3');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--threshold must not exceed --trustees/);
  });
});

describe('gongshi verify', () => {
  it('passes the demo record: exit 0, a summary with the checks run and the result', async () => {
    const r = await gongshi('verify', RECORD);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/VALID: every check passed/);
    expect(r.stdout).toMatch(/checks run: 23 \(V1 V2 V4/);
    // The fingerprint comes first, for comparison with the notice; the demo names no witness: a warning.
    expect(r.stdout.split('\n')[0]).toMatch(/^fingerprint: ([0-9A-Z]{4} ){12}[0-9A-Z]{4}$/);
    expect(r.stdout).toMatch(/warning: the poll requires no witness cosignature/);
    expect(r.stdout).toMatch(/ballots cast: \d+ \(audited: \d+\); counted: 12/);
    expect(r.stdout).toMatch(/Bicycle shed \(500\)/);
  });

  it('prints one JSON object with valid, failures and result under --json', async () => {
    const r = await gongshi('verify', RECORD, '--json');
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report.valid).toBe(true);
    expect(report.failures).toEqual([]);
    expect(report.result).toHaveLength(3);
    expect(report.result[0].options.map((o: { option: string }) => o.option)).toEqual(['Red', 'Green', 'Grey']);
    expect(report.fingerprint).toMatch(/^([0-9A-Z]{4} ){12}[0-9A-Z]{4}$/);
  });

  it('--fingerprint pins the poll: the record’s own fingerprint passes (as groups or hex), any other is INVALID with V42, exit 1', async () => {
    const own = JSON.parse((await gongshi('verify', RECORD, '--json')).stdout).fingerprint as string;
    const pinned = await gongshi('verify', RECORD, '--fingerprint', own.replace(/ /g, '-'));
    expect(pinned.code).toBe(0);
    expect(pinned.stdout).toMatch(/VALID/);
    expect(pinned.stdout).not.toMatch(/no fingerprint was given/);
    // A whole other poll (another demo seed: another poll id, log key and registrar) is not the one on the notice.
    const other = join(dir, 'other.gongshi');
    expect((await gongshi('demo', '--voters', '3', '--seed', 'a fabricated poll', '--out', other)).code).toBe(0);
    const fabricated = await gongshi('verify', other, '--fingerprint', own);
    expect(fabricated.code).toBe(1);
    expect(fabricated.stdout).toMatch(/INVALID/);
    expect(fabricated.stdout).toMatch(/V42.*not the poll you were told about/);
    const json = JSON.parse((await gongshi('verify', other, '--json', '--fingerprint', own)).stdout);
    expect(json.valid).toBe(false);
    expect(json.failures.map((f: { check: string }) => f.check)).toEqual(['V42']);
    const bad = await gongshi('verify', RECORD, '--fingerprint', 'not-a-fingerprint');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--fingerprint: not a poll fingerprint/);
  });

  it('fails a tampered record with exit 1, naming the check and the entry', async () => {
    // Walk the record's items (u8 tag ‖ u32 length ‖ bytes, §B.6) to the first ballot entry.
    const bad = Buffer.from(readFileSync(RECORD));
    let at = 17;
    let height = -1;
    for (;;) {
      const tag = bad[at];
      const length = bad.readUInt32BE(at + 1);
      if (tag === 2) height += 1;
      if (tag === 2 && bad[at + 5] === 8) break;
      at += 5 + length;
    }
    bad[at + 5 + 50 + 40] ^= 0x01; // a byte of the ballot's credential key
    const path = join(dir, 'tampered.gongshi');
    writeFileSync(path, bad);
    const r = await gongshi('verify', path, '--json');
    expect(r.code).toBe(1);
    expectNoStackTrace(r.stderr);
    const report = JSON.parse(r.stdout);
    expect(report.valid).toBe(false);
    expect(report.failures.find((f: { entry: number }) => f.entry === height)).toBeDefined();
    expect(report.failures.map((f: { check: string }) => f.check)).toContain('V15'); // the checkpoint no longer signs these entries
    const text = await gongshi('verify', path);
    expect(text.code).toBe(1);
    expect(text.stdout).toMatch(new RegExp(`INVALID: \\d+ failures?\\n(.|\\n)*entry ${height}: `));
  });

  it('ends with exit 2 and a clear message on a truncated file, another version, garbage or a missing file', async () => {
    const bytes = readFileSync(RECORD);
    const cases: [string, Buffer, RegExp][] = [
      ['truncated', bytes.subarray(0, Math.floor(bytes.length / 2)), /truncated/],
      ['other version', Buffer.concat([Buffer.from('gongshi-record/2\n'), bytes.subarray(17)]), /not a gongshi record file \(or another version\)/],
      ['garbage', Buffer.from('PK\x03\x04 this is a zip file, not a record'), /not a gongshi record file/],
      ['empty', Buffer.alloc(0), /truncated/],
    ];
    for (const [name, content, message] of cases) {
      const path = join(dir, `${name}.gongshi`);
      writeFileSync(path, content);
      const r = await gongshi('verify', path);
      expect(r.code, name).toBe(2);
      expect(r.stderr, name).toMatch(message);
      expectNoStackTrace(r.stderr);
    }
    const missing = await gongshi('verify', join(dir, 'nope.gongshi'));
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/cannot read .*nope\.gongshi: ENOENT/);
  });

  it('refuses usage errors with exit 2', async () => {
    expect((await gongshi('verify')).code).toBe(2);
    expect((await gongshi('verify', RECORD, RECORD)).stderr).toMatch(/unexpected argument/);
    expect((await gongshi('verify', RECORD, '--checkpoint', join(dir, 'nope.txt'))).stderr).toMatch(/cannot read checkpoint/);
  });

  it('verifies a record served over HTTP, by URL', async () => {
    const server = createServer((req, res) => {
      if (req.url === '/record') res.end(readFileSync(RECORD));
      else res.writeHead(404).end();
    });
    await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
    const { port } = server.address() as AddressInfo;
    try {
      const r = await gongshi('verify', `http://127.0.0.1:${port}/record`);
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/VALID/);
      const gone = await gongshi('verify', `http://127.0.0.1:${port}/nothing`);
      expect(gone.code).toBe(2);
      expect(gone.stderr).toMatch(/HTTP 404/);
    } finally {
      server.close();
    }
  });
});
