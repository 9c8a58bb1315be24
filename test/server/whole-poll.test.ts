/**
 * A whole poll through HTTP and socket.io alone, on a real server, SQLite file and sockets: the
 * organiser drafts three question kinds, three trustees run the 2-of-3 ceremony as separate
 * clients, 30 voters cast (some audit first, some revote) and check their receipts, the live feed
 * shows every entry in order, two trustees decrypt, and the downloaded record passes the verifier.
 */
import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { io as connect, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seededRandom, type Answer } from '../../crypto/index.ts';
import { parseVerifierKey } from '../../bulletin-board/index.ts';
import { verifyReceipt, verifyRecord } from '../../verifier/index.ts';
import { Voter, castBallot, courtyardDraft, hex, openPoll, postAudit, startServer, unhex, type Running } from './support.ts';

const BIN = resolve(import.meta.dirname, '../../server/bin/gongshi.js');
const exec = promisify(execFile);

/** Voter i's answers, fixed so that the count is known: [single+blank, multiple, budget]. */
function answers(i: number, round: number): Answer[] {
  const k = i + round * 7;
  const single: Answer = k % 9 === 0 ? { blank: true } : { values: [0, 1, 2].map((x) => (x === k % 3 ? 1 : 0)) };
  const multiple: Answer = { values: [0, 1, 2, 3].map((x) => (x === k % 4 || (k % 2 === 0 && x === (k + 1) % 4) ? 1 : 0)) };
  const budget: Answer = { values: [[1, 0, 0], [0, 1, 1], [1, 0, 1], [0, 0, 0]][k % 4] };
  return [single, multiple, budget];
}

/** The slot totals a plain count gives: 4 single slots (blank last), 4 multiple, 3 budget. */
function plainCount(last: Map<number, Answer[]>): number[] {
  const totals = Array(11).fill(0);
  for (const a of last.values()) {
    const single = 'blank' in a[0] ? [0, 0, 0, 1] : [...a[0].values, 0];
    [...single, ...(a[1] as { values: number[] }).values, ...(a[2] as { values: number[] }).values].forEach((v, s) => (totals[s] += v));
  }
  return totals;
}

let running: Running;
let socket: Socket;
const events: { name: string; data: any }[] = [];

beforeAll(async () => {
  // Ballot proofs are checked on two worker threads, as `gongshi serve` does on a 2-core machine.
  running = await startServer({ proofWorkers: 2 });
});

afterAll(async () => {
  socket?.close();
  await running.close();
});

describe('a whole poll over HTTP and socket.io', () => {
  it('runs from draft to verified result', async () => {
    const { owner, poll, voters, trustees } = await openPoll(running, { voters: 30, draft: courtyardDraft(), open: false });
    const detail = (await owner.get(`/api/polls/${poll}`)).body;
    expect(detail.status).toBe('ready');
    expect(detail.title).toEqual(['Courtyard committee poll', '院落委员会投票']);
    const logKey = parseVerifierKey(detail.logKey);

    // An observer watches the live board from here on.
    socket = connect(running.base, { transports: ['websocket'], extraHeaders: { origin: running.base } });
    for (const name of ['board:entry', 'board:checkpoint', 'poll:turnout', 'poll:phase']) socket.on(name, (data) => events.push({ name, data }));
    const watched = await socket.timeout(5000).emitWithAck('poll:watch', poll);
    expect(watched.size).toBe(detail.entries);
    const firstLive = detail.entries;

    expect((await owner.post(`/api/polls/${poll}/open`)).status).toBe(200);
    const rng = seededRandom('whole poll voters');
    const last = new Map<number, Answer[]>();
    let audits = 0;
    let revotes = 0;
    for (const [i, voter] of voters.entries()) {
      if (i % 7 === 3) {
        // She audits one ballot first: it is posted, never counted, and she makes a fresh one.
        const audited = await voter.ballot(owner, answers(i, 9), rng);
        const r = await postAudit(owner, poll, audited);
        expect(r.status, JSON.stringify(r.body)).toBe(201);
        expect(verifyReceipt({ receipt: r.body.receipt, checkpoint: r.body.checkpoint, path: r.body.path.map(unhex) }, logKey).ok).toBe(true);
        audits += 1;
      }
      const rounds = i % 10 === 5 ? 2 : 1;
      for (let round = 0; round < rounds; round++) {
        const made = await voter.ballot(owner, answers(i, round), rng);
        const r = await castBallot(owner, poll, made.bytes);
        expect(r.status, JSON.stringify(r.body)).toBe(201);
        const check = verifyReceipt({ receipt: r.body.receipt, checkpoint: r.body.checkpoint, path: r.body.path.map(unhex) }, logKey, made.tracker);
        expect(check.ok, JSON.stringify(check)).toBe(true);
        // Her second device checks the receipt against the latest checkpoint by tracker alone.
        const again = await owner.get(`/api/polls/${poll}/receipts/${hex(made.tracker)}`);
        expect(again.body).toEqual(r.body);
        last.set(i, answers(i, round));
        if (round > 0) revotes += 1;
      }
    }
    // A ballot signed by a credential that is not listed passes the workers' proof check and is refused by the rules.
    const stranger = await Voter.make(poll, seededRandom('stranger')).ballot(owner, answers(0, 0), rng);
    const refused = await castBallot(owner, poll, stranger.bytes);
    expect(refused.status).toBe(422);
    expect(refused.body.error).toBe('UNKNOWN_CREDENTIAL');
    expect(audits).toBe(4);
    expect(revotes).toBe(3);

    expect((await owner.post(`/api/polls/${poll}/close`)).status).toBe(200);
    expect((await owner.post(`/api/polls/${poll}/tally`)).status).toBe(200);
    await trustees[0].decrypt();
    await trustees[2].decrypt(); // trustee 2 stays home: 2 of 3 decrypt
    let result = (await owner.get(`/api/polls/${poll}/result`)).body;
    for (let i = 0; i < 100 && result.result === null; i++) {
      await new Promise((r) => setTimeout(r, 20));
      result = (await owner.get(`/api/polls/${poll}/result`)).body;
    }
    expect(result.status).toBe('done');
    expect(result.result.totals).toEqual(plainCount(last));
    expect(result.result.counted).toBe(30);
    expect(result.result.ballots).toBe(33);
    expect(result.result.audits).toBe(4);
    expect(result.result.questions[0].options.map((o: { text: string[] }) => o.text[1])).toEqual(['红色', '绿色', '灰色']);

    // The live feed: every entry from the first one after watching, in height order, and the phases in order.
    const size = (await owner.get(`/api/polls/${poll}/checkpoint`)).body.size;
    const heights = events.filter((e) => e.name === 'board:entry').map((e) => e.data.height);
    expect(heights).toEqual(Array.from({ length: size - firstLive }, (_, k) => firstLive + k));
    expect(events.filter((e) => e.name === 'poll:phase').map((e) => e.data.status)).toEqual(['open', 'closed', 'tallied', 'done']);
    const sizes = events.filter((e) => e.name === 'board:checkpoint').map((e) => e.data.size);
    expect(sizes).toEqual([...sizes].sort((a, b) => a - b));
    expect(sizes.at(-1)).toBe(size);
    const turnout = events.filter((e) => e.name === 'poll:turnout').at(-1)!.data;
    expect(turnout).toMatchObject({ ballots: 33, voters: 30, audits: 4, listed: 30 });
    // Each entry event comes before the checkpoint that first includes it.
    const order = events.filter((e) => e.name === 'board:entry' || e.name === 'board:checkpoint');
    let covered = firstLive;
    for (const e of order) {
      if (e.name === 'board:entry') expect(e.data.height).toBe(covered++);
      else expect(e.data.size).toBe(covered);
    }

    // The record, downloaded as a stream, passes the verifier with the same result; so does the CLI by URL.
    const res = await fetch(`${running.base}/api/polls/${poll}/record`);
    expect(res.headers.get('content-type')).toBe('application/octet-stream');
    const record = new Uint8Array(await res.arrayBuffer());
    const report = await verifyRecord([record]);
    expect(report.failures).toEqual([]);
    expect(report.valid).toBe(true);
    expect(report.phase).toBe('done');
    expect(report.counted).toBe(30);
    expect(report.result!.map((q) => q.options.map((o) => o.total))).toEqual(result.result.questions.map((q: { options: { total: number }[] }) => q.options.map((o) => o.total)));
    const cli = await exec('node', [BIN, 'verify', `${running.base}/api/polls/${poll}/record`]);
    expect(cli.stdout).toMatch(/valid/i);
  });
});
