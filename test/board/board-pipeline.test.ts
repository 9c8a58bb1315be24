/**
 * The board's pipelined group commit (spec §B.5.3): group N+1's proofs are sent to the ballot checker
 * before group N is judged and written; judging and writing stay in submission order; a bad ballot in
 * N+1 is refused with nothing written; a storage or checker failure rejects the group checked ahead and
 * the queue, writes nothing of them, and leaves the board refusing work. The checker here holds each job
 * until the test lets it go, and then checks it with the verifier's own proof job (§V.2).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { add, ballotTracker, decodeBallot, encodeBallot, type Answer } from '../../crypto/index.ts';
import { Board, type Appended, type BallotChecker, type StorageWriter } from '../../bulletin-board/index.ts';
import { SqliteStorage } from '../../bulletin-board/store/index.ts';
import { runProofJob } from '../../verifier/index.ts';
import { listVoters, makeBallot, runCeremony, startPoll, type Poll } from './poll-support.ts';

const dir = mkdtempSync(join(tmpdir(), 'gongshi-board-pipeline-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A job the held checker received: how many ballots, the board's durable size when it came, and its fate. */
interface HeldJob {
  readonly ballots: number;
  readonly sizeWhenSent: number;
  release(): void;
  fail(e: Error): void;
}

/** A ballot checker that holds every job until released; `job(k)` resolves when the k-th job (from 0) has come. */
function heldChecker(size: () => number): { checker: BallotChecker; job(k: number): Promise<HeldJob> } {
  const jobs: HeldJob[] = [];
  const waiting: (() => void)[] = [];
  const checker: BallotChecker = {
    check(job) {
      return new Promise((resolve, reject) => {
        jobs.push({ ballots: job.ballots.length, sizeWhenSent: size(), release: () => resolve(runProofJob(job)), fail: reject });
        for (const w of waiting.splice(0)) w();
      });
    },
  };
  async function job(k: number): Promise<HeldJob> {
    while (jobs.length <= k) await new Promise<void>((r) => waiting.push(r));
    return jobs[k];
  }
  return { checker, job };
}

/** SQLite storage whose next transaction, once armed, writes everything it is given and then fails (and so rolls back). */
class FailingStorage extends SqliteStorage {
  armed = false;
  override transaction(write: (w: StorageWriter) => void): void {
    if (!this.armed) return super.transaction(write);
    super.transaction((w) => {
      write(w);
      throw new Error('disk full');
    });
  }
}

const yes: Answer[] = [{ values: [1, 0, 0] }, { values: [1, 0, 0, 0] }, { values: [1, 0, 0] }];

/** An open poll with `voters` voters on a board over `storage` whose ballots go to a held checker. */
async function openPoll(seed: string, storage: SqliteStorage, voters: number, maxGroup?: number): Promise<{ poll: Poll; job: (k: number) => Promise<HeldJob> }> {
  let board: Board | null = null;
  const held = heldChecker(() => board!.size);
  const poll = await startPoll({ seed, storage, board: { ballotChecker: held.checker, maxGroup } });
  board = poll.board;
  await listVoters(poll, voters);
  await runCeremony(poll);
  const opened = await poll.board.submit('open', new Uint8Array(0));
  if (!opened.ok) throw new Error(`open refused: ${opened.code}`);
  return { poll, job: held.job };
}

/** Voter i's ballot bytes. */
const ballotOf = (poll: Poll, i: number): Uint8Array => makeBallot(poll, i, yes).bytes;

describe('pipelined group commit', () => {
  it('sends group N+1 to the checker before group N is written, and appends both in submission order at consecutive heights', async () => {
    const { poll, job } = await openPoll('pipeline order', new SqliteStorage(join(dir, 'order.sqlite')), 6);
    const { board } = poll;
    const base = board.size;
    const ballots = [0, 1, 2, 3, 4, 5].map((i) => ballotOf(poll, i));
    const first = ballots.slice(0, 3).map((b) => board.submit('ballot', b));
    const a = await job(0);
    expect(a.ballots).toBe(3);
    // Submitted while the first group's proofs are being checked: the next group.
    const second = ballots.slice(3).map((b) => board.submit('ballot', b));
    a.release();
    const b = await job(1);
    expect(b.ballots).toBe(3);
    expect(b.sizeWhenSent).toBe(base); // sent before the first group was written
    const firstDone = (await Promise.all(first)) as Appended[];
    expect(board.size).toBe(base + 3); // written while the second group's check is still held
    b.release();
    const secondDone = (await Promise.all(second)) as Appended[];
    expect([...firstDone, ...secondDone].map((r) => r.height)).toEqual([0, 1, 2, 3, 4, 5].map((k) => base + k));
    expect(new Set(firstDone.map((r) => r.checkpoint)).size).toBe(1); // one transaction, one checkpoint per group
    expect(secondDone[0].checkpoint).not.toBe(firstDone[0].checkpoint);
    expect([...board.entries(base, base + 6)].map((e) => e.tracker)).toEqual(ballots.map(ballotTracker));
    board.close();
    const reopened = await Board.open({ storage: new SqliteStorage(join(dir, 'order.sqlite')), logKey: poll.logKey });
    expect(reopened.size).toBe(base + 6);
    reopened.close();
  });

  it('refuses a bad ballot of group N+1, checked while group N is written, and writes nothing for it', async () => {
    const { poll, job } = await openPoll('pipeline bad ballot', new SqliteStorage(join(dir, 'bad.sqlite')), 5);
    const { board } = poll;
    const base = board.size;
    const first = [0, 1].map((i) => board.submit('ballot', ballotOf(poll, i)));
    const a = await job(0);
    const good = makeBallot(poll, 2, yes);
    const ballot = decodeBallot(good.bytes, board.state.shapes!);
    // The proofs intact, the credential signature's z changed: the checker says no, the rules say why.
    const bad = encodeBallot({ ...ballot, signature: { ...ballot.signature, z: add(ballot.signature.z, 1n) } });
    const second = [board.submit('ballot', ballotOf(poll, 3)), board.submit('ballot', bad), board.submit('ballot', ballotOf(poll, 4))];
    a.release();
    const b = await job(1);
    expect(b.sizeWhenSent).toBe(base);
    b.release();
    const [x, refused, y] = await Promise.all(second);
    expect(refused).toMatchObject({ ok: false, code: 'BAD_PROOF', height: base + 3 });
    expect(await Promise.all(first)).toMatchObject([{ ok: true, height: base }, { ok: true, height: base + 1 }]);
    expect([x, y]).toMatchObject([{ ok: true, height: base + 2 }, { ok: true, height: base + 3 }]);
    expect(board.size).toBe(base + 4);
    expect(board.findTracker(ballotTracker(bad))).toBeNull();
    // The voter's own ballot still goes on.
    const last = board.submit('ballot', good.bytes);
    (await job(2)).release();
    expect(await last).toMatchObject({ ok: true, height: base + 4 });
    board.close();
  });

  it('after a storage failure while group N is written, rejects group N+1 (checked ahead) and the queue, writes none of them, and refuses all later work', async () => {
    const path = join(dir, 'storage-failure.sqlite');
    const storage = new FailingStorage(path);
    const { poll, job } = await openPoll('pipeline storage failure', storage, 6, 2);
    const { board } = poll;
    const base = board.size;
    const ballots = [0, 1, 2, 3, 4, 5].map((i) => ballotOf(poll, i));
    const groupN = ballots.slice(0, 2).map((b) => board.submit('ballot', b));
    const a = await job(0);
    // At most two per group: [2, 3] is checked ahead while N is written, [4, 5] waits in the queue.
    const groupN1 = ballots.slice(2, 4).map((b) => board.submit('ballot', b));
    const queued = ballots.slice(4).map((b) => board.submit('ballot', b));
    storage.armed = true;
    a.release();
    const b = await job(1);
    expect(b.ballots).toBe(2);
    for (const p of [...groupN, ...groupN1, ...queued]) await expect(p).rejects.toThrow('disk full');
    b.release();
    storage.armed = false;
    await expect(board.submit('ballot', ballots[0])).rejects.toThrow('must be reopened');
    await board.settled();
    expect(storage.size()).toBe(base);
    for (const t of ballots.map(ballotTracker)) expect(storage.findTracker(t)).toBeNull();
    board.close();
    // Reopened, the board holds what was acknowledged and takes the same ballots again.
    const reopened = await Board.open({ storage: new SqliteStorage(path), logKey: poll.logKey });
    expect(reopened.size).toBe(base);
    expect(await reopened.submit('ballot', ballots[0])).toMatchObject({ ok: true, height: base });
    reopened.close();
  });

  it('when the checker fails on group N+1 while group N is written, acknowledges N, rejects N+1 and the queue, writes none of them, and refuses all later work', async () => {
    const storage = new SqliteStorage(join(dir, 'checker-failure.sqlite'));
    const { poll, job } = await openPoll('pipeline checker failure', storage, 6, 2);
    const { board } = poll;
    const base = board.size;
    const ballots = [0, 1, 2, 3, 4, 5].map((i) => ballotOf(poll, i));
    const groupN = ballots.slice(0, 2).map((b) => board.submit('ballot', b));
    const a = await job(0);
    const groupN1 = ballots.slice(2, 4).map((b) => board.submit('ballot', b));
    a.release();
    const b = await job(1);
    expect(await Promise.all(groupN)).toMatchObject([{ ok: true, height: base }, { ok: true, height: base + 1 }]);
    const queued = ballots.slice(4).map((x) => board.submit('ballot', x));
    b.fail(new Error('a proof worker stopped'));
    for (const p of [...groupN1, ...queued]) await expect(p).rejects.toThrow('a proof worker stopped');
    await expect(board.submit('ballot', ballots[2])).rejects.toThrow('must be reopened');
    await board.settled();
    expect(storage.size()).toBe(base + 2);
    for (const t of ballots.slice(2).map(ballotTracker)) expect(storage.findTracker(t)).toBeNull();
    board.close();
  });
});
