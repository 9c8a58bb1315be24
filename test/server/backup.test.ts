/**
 * `gongshi backup` while voters cast and `gongshi restore` on a fresh data folder: the restored server
 * serves the same board under the same log key, every receipt issued before the backup still holds
 * against it (same entry, same height, included in its checkpoint, consistent with the receipt's own),
 * and its record verifies. A restore over a database that holds more than the backup, over a running
 * server's database, or from a file that is not a backup is refused with nothing changed; either
 * command without arguments prints its usage and exits 2. The commands run as child processes, as an
 * operator runs them beside the server.
 */
import { execFileSync, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seededRandom } from '../../crypto/index.ts';
import { hashLeaf, merkleConsistency, parseVerifierKey, verifyCheckpoint, verifyInclusion } from '../../bulletin-board/index.ts';
import { verifyReceipt, verifyRecord } from '../../verifier/index.ts';
import type { Draft } from '../../server/polls/draft.ts';
import type { ReceiptView } from '../../server/polls/poll-host.ts';
import { castBallot, Client, courtyardDraft, hex, openPoll, startServer, tempDir, unhex, type Running } from './support.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const VOTERS = 240;
const FIRST = 20;
const CLIENTS = 8;
const PACE = 400;
const RESERVE = 20;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Runs `gongshi <args>` in a child process. */
async function gongshi(...args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, ['server/bin/gongshi.js', ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (s: string) => (stdout += s));
  child.stderr.setEncoding('utf8').on('data', (s: string) => (stderr += s));
  const [code] = await once(child, 'close');
  return { code: code as number | null, stdout, stderr };
}

/**
 * The bytes of every file in a folder, hashed: to show that a refused restore changed nothing. Read by
 * another process: closing a descriptor of the database file in this one would drop the SQLite locks
 * the server here holds on it (POSIX locks belong to the process).
 */
function folderPrint(dir: string): Record<string, string> {
  const names = readdirSync(dir).sort();
  const out: Record<string, string> = {};
  if (names.length === 0) return out;
  const lines = execFileSync('sha256sum', names, { cwd: dir, encoding: 'utf8' }).trim().split('\n');
  for (const line of lines) {
    const [sum, name] = line.split(/\s+\*?/);
    out[name] = sum;
  }
  return out;
}

function pollDraft(): Draft {
  const d = courtyardDraft({ maxBallots: 1, title: 'Backup test' });
  return { ...d, questions: [{ question: { kind: 'single', options: 2 }, prompt: ['Repaint the gate?', '重新粉刷院门？'], options: [['Yes', '是'], ['No', '否']] }] };
}

describe('backup while voters cast, restore on a fresh data folder', () => {
  const backupDir = tempDir('backups');
  const backupFile = join(backupDir, 'poll.backup');
  let running: Running;
  let poll: string;
  let logKeyText: string;
  /** receipts answered before the backup command started */
  const before: ReceiptView[] = [];
  /** receipts answered while it ran */
  const during: ReceiptView[] = [];
  /** receipts answered after it finished */
  const after: ReceiptView[] = [];
  let backupRun: Awaited<ReturnType<typeof gongshi>>;

  beforeAll(async () => {
    running = await startServer();
    const opened = await openPoll(running, { voters: VOTERS, draft: pollDraft() });
    poll = opened.poll;
    logKeyText = (await opened.owner.get(`/api/polls/${poll}`)).body.logKey;
    const rng = seededRandom('backup: ballots');
    const queue: Uint8Array[] = [];
    for (const [i, v] of opened.voters.entries()) queue.push((await v.ballot(opened.owner, [{ values: i % 3 === 0 ? [0, 1] : [1, 0] }], rng)).bytes);
    const client = new Client(running.base);
    for (const bytes of queue.splice(0, FIRST)) {
      const r = await castBallot(client, poll, bytes);
      expect(r.status).toBe(201);
      before.push(r.body);
    }
    // The backup runs while CLIENTS clients keep casting, each one ballot every PACE ms; RESERVE
    // ballots wait until it is done, so that the board grows past the backup.
    let backupDone = false;
    const casting = Promise.all(
      Array.from({ length: CLIENTS }, async () => {
        const c = new Client(running.base);
        for (;;) {
          if (!backupDone && queue.length <= RESERVE) {
            await sleep(PACE);
            continue;
          }
          const bytes = queue.shift();
          if (bytes === undefined) return;
          const r = await castBallot(c, poll, bytes);
          expect(r.status).toBe(201);
          (backupDone ? after : during).push(r.body);
          await sleep(PACE);
        }
      }),
    );
    backupRun = await gongshi('backup', backupFile, '--data', running.dataDir);
    backupDone = true;
    await casting;
    await running.close();
  }, 180_000);

  afterAll(async () => {
    rmSync(backupDir, { recursive: true, force: true });
  });

  it('takes a consistent copy while the server runs', () => {
    expect(backupRun.stderr).toBe('');
    expect(backupRun.code).toBe(0);
    expect(backupRun.stdout).toMatch(new RegExp(`backed up .* to ${backupFile.replace(/[.]/g, '\\.')} \\(\\d+\\.\\d MB\\): 1 polls, 1 organisers`));
    expect(backupRun.stdout).toMatch(new RegExp(`poll ${poll}: \\d+ board entries`));
    // Ballots were cast while it ran (the supply lasted), and after.
    expect(during.length).toBeGreaterThan(0);
    expect(during.length).toBeLessThan(VOTERS - FIRST - RESERVE);
    expect(after.length).toBe(VOTERS - FIRST - during.length);
    // Nothing but the backup is left in its folder (no partial copy).
    expect(readdirSync(backupDir)).toEqual(['poll.backup']);
  });

  it('restores into a fresh data folder; every receipt issued before the backup holds against the restored board, and its record verifies', async () => {
    const fresh = tempDir('restored');
    const restored = await gongshi('restore', backupFile, '--data', fresh);
    expect(restored.stderr).toBe('');
    expect(restored.code).toBe(0);
    expect(restored.stdout).toContain(`restored ${backupFile}`);
    const server = await startServer({ dataDir: fresh });
    try {
      const client = new Client(server.base);
      const detail = (await client.get(`/api/polls/${poll}`)).body;
      expect(detail.logKey).toBe(logKeyText);
      expect(detail.status).toBe('open');
      const logKey = parseVerifierKey(logKeyText);
      const latest = (await client.get(`/api/polls/${poll}/checkpoint`)).body;
      const signed = verifyCheckpoint(latest.checkpoint, logKey);
      if (!signed.ok) throw new Error(signed.reason);
      const size = signed.checkpoint.size;
      // A backup of one moment: the board holds the casts answered before it, a prefix of those cast
      // while it ran, and none cast after it.
      const taken = during.filter((r) => r.height < size);
      for (const r of after) expect(r.height).toBeGreaterThanOrEqual(size);
      expect(size).toBeGreaterThan(Math.max(...before.map((r) => r.height)));
      for (const r of [...before, ...taken]) {
        expect(verifyReceipt({ receipt: r.receipt, checkpoint: r.checkpoint, path: r.path.map(unhex) }, logKey, unhex(r.tracker)).ok).toBe(true);
        const again = await client.get(`/api/polls/${poll}/receipts/${r.tracker}`);
        expect(again.status).toBe(200);
        expect(again.body).toMatchObject({ height: r.height, entryHash: r.entryHash, tracker: r.tracker });
        const inclusion = await client.get(`/api/polls/${poll}/proofs/inclusion?height=${r.height}&size=${size}`);
        expect(verifyInclusion(hashLeaf(unhex(r.entryHash)), { index: r.height, size, path: inclusion.body.path.map(unhex) }, signed.checkpoint.rootHash)).toBe(true);
        const old = verifyCheckpoint(r.checkpoint, logKey);
        if (!old.ok) throw new Error(old.reason);
        if (r.size < size) {
          const proof = await client.get(`/api/polls/${poll}/proofs/consistency?from=${r.size}&to=${size}`);
          expect(merkleConsistency(r.size, size, old.checkpoint.rootHash, signed.checkpoint.rootHash, proof.body.path.map(unhex))).toBe(true);
        } else expect(hex(old.checkpoint.rootHash)).toBe(hex(signed.checkpoint.rootHash));
      }
      // Casts answered after the backup are not on the restored board: their trackers are unknown there.
      for (const r of [...during, ...after].filter((x) => x.height >= size)) expect((await client.get(`/api/polls/${poll}/receipts/${r.tracker}`)).status).toBe(404);
      const record = new Uint8Array(await (await fetch(`${server.base}/api/polls/${poll}/record`)).arrayBuffer());
      const report = await verifyRecord([record]);
      expect(report.failures).toEqual([]);
      expect(report).toMatchObject({ valid: true, phase: 'open', checkpoint: { size, root: hex(signed.checkpoint.rootHash) } });

      // The server is running on the restored folder: a restore there is refused, nothing changed.
      const print = folderPrint(fresh);
      const busy = await gongshi('restore', backupFile, '--data', fresh, '--force');
      expect(busy.code).toBe(1);
      expect(busy.stderr).toMatch(/is in use: stop the server that serves this data folder first\nNothing was changed\./);
      expect(folderPrint(fresh)).toEqual(print);
    } finally {
      await server.close();
      rmSync(fresh, { recursive: true, force: true });
    }
  }, 120_000);

  it('refuses to restore over a database that holds what the backup lacks, and changes nothing; --force keeps the replaced one', async () => {
    const print = folderPrint(running.dataDir);
    const refused = await gongshi('restore', backupFile, '--data', running.dataDir);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(new RegExp(`newer than the backup \\(poll ${poll}: the board has \\d+ entries, the backup \\d+\\); add --force`));
    expect(refused.stdout).toBe('');
    expect(folderPrint(running.dataDir)).toEqual(print);

    const forced = await gongshi('restore', backupFile, '--data', running.dataDir, '--force');
    expect(forced.code).toBe(0);
    const kept = /kept as (\S+)/.exec(forced.stdout)?.[1];
    expect(kept).toBeDefined();
    // The replaced database is kept whole, byte for byte.
    expect(createHash('sha256').update(readFileSync(kept!)).digest('hex')).toBe(print['gongshi.sqlite']); // the server is stopped here
  }, 60_000);

  it('refuses a file that is not a backup, and prints the usage without arguments', async () => {
    const junk = join(backupDir, 'junk.backup');
    writeFileSync(junk, 'not a database at all, just some words to fill a page of bytes'.repeat(100));
    const fresh = tempDir('junk');
    try {
      const r = await gongshi('restore', junk, '--data', fresh);
      expect(r.code).toBe(1);
      expect(r.stderr).toContain('cannot be');
      expect(readdirSync(fresh)).toEqual([]);
      const existing = await gongshi('backup', junk, '--data', running.dataDir);
      expect(existing.code).toBe(1);
      expect(existing.stderr).toContain('already exists');
    } finally {
      rmSync(fresh, { recursive: true, force: true });
    }
    for (const command of ['backup', 'restore']) {
      const bare = await gongshi(command);
      expect(bare.code).toBe(2);
      expect(bare.stderr).toContain(`usage: gongshi ${command} FILE [--data DIR] [--force]`);
    }
  }, 60_000);
});
