/** The `gongshi` command as a person runs it: a real process, its output and exit codes. */
import { execFile, spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');
const BIN = resolve(ROOT, 'server/bin/gongshi.js');
const exec = promisify(execFile);

async function gongshi(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await exec('node', [BIN, ...args], { cwd: ROOT });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

describe('gongshi command', () => {
  it('prints its usage for help, and exits 2 with no command', async () => {
    const help = await gongshi('help');
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/usage: gongshi <command>/);
    expect((await gongshi()).code).toBe(2);
  });

  it('refuses an unknown command and unknown options with exit code 2 and a message', async () => {
    const cmd = await gongshi('frobnicate');
    expect(cmd.code).toBe(2);
    expect(cmd.stderr).toMatch(/unknown command "frobnicate"/);
    const opt = await gongshi('bench', '--fast');
    expect(opt.code).toBe(2);
    expect(opt.stderr).toMatch(/unknown option "--fast"/);
    const bad = await gongshi('bench', '--batch', 'many');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--batch must be an integer/);
  });

  it('bench --json ends with one JSON line holding the figures (format only; speed lives in npm run bench)', async () => {
    const { code, stdout } = await gongshi('bench', '--quick', '--batch', '10', '--json');
    expect(code).toBe(0);
    expect(stdout).toMatch(/create one ballot/);
    const figures = JSON.parse(stdout.trim().split('\n').at(-1)!);
    for (const k of ['ballot_create_ms', 'ballot_verify_ms', 'ballot_verify_batch_ms']) {
      expect(typeof figures[k]).toBe('number');
      expect(figures[k]).toBeGreaterThan(0);
    }
    expect(figures.batch_size).toBe(10);
    expect(figures.board_append_ballots).toBe(10);
    expect(figures.board_append_per_s).toBeGreaterThan(0);
    // casts over HTTP to a server in the process, acknowledged after the durable commit
    for (const k of ['cast_per_s', 'cast_p99_ms']) {
      expect(typeof figures[k]).toBe('number');
      expect(figures[k]).toBeGreaterThan(0);
    }
    expect(figures.cast_ballots).toBe(10);
    expect(stdout).toMatch(/casts acknowledged over HTTP/);
    // the same ballots through the server's proof workers in one batch, and casts/s over that rate
    for (const k of ['cast_pool_verify_per_s', 'cast_verify_ratio', 'cast_workers', 'cast_cpu_ms', 'cast_pool_cpu_ms']) {
      expect(typeof figures[k]).toBe('number');
      expect(figures[k]).toBeGreaterThan(0);
    }
    expect(stdout).toMatch(/cast_verify_ratio = casts\/s ÷ that batched verify rate +\d/);
    // ⌈log₂ 10⁶⌉ = 20 hashes of 32 bytes, for the deepest leaves of a million-entry tree (RFC 9162 §2.1.3)
    expect(figures.inclusion_proof_bytes).toBe(640);
    expect(figures.verify_record_ballots).toBe(200);
    expect(figures.verify_record_ballots_per_s).toBeGreaterThan(0);
    expect(figures.verify_record_peak_rss_mb).toBeGreaterThan(0);
  });

  it('serve listens where it is told, prints its URL, serves the page and stops on SIGTERM', async () => {
    const child = spawn('node', [BIN, 'serve', '--port', '0'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    const url = await new Promise<string>((resolveUrl, reject) => {
      let out = '';
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        const m = out.match(/serving on (http:\/\/127\.0\.0\.1:\d+\/)/);
        if (m) resolveUrl(m[1]);
      });
      child.once('exit', (code) => reject(new Error(`serve exited early with ${code}: ${out}`)));
    });
    const res = await fetch(url);
    expect(res.status).toBe(200);
    expect(await res.text()).toMatch(/<div id="app">/);
    const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });
});
