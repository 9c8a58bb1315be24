/**
 * Bounded load on a real server whose ballot proofs are checked on two worker threads, so that the
 * board's groups are pipelined (spec §B.5.3): 32 clients cast 96 ballots at once, two bad ones among
 * them. Every good cast is answered 201 with a receipt that verifies, at consecutive heights over more
 * than one group; the bad ones are refused and written nowhere; the record passes the verifier.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { add, ballotTracker, encodeBallot, seededRandom, type Answer } from '../../crypto/index.ts';
import { parseVerifierKey, verifyCheckpoint, type VerifierKey } from '../../bulletin-board/index.ts';
import { verifyReceipt, verifyRecord } from '../../verifier/index.ts';
import type { Draft } from '../../server/polls/draft.ts';
import type { ReceiptView } from '../../server/polls/poll-host.ts';
import { castBallot, Client, courtyardDraft, hex, NO_LIMITS, openPoll, startServer, unhex, Voter, type Answered, type Running } from './support.ts';

const CLIENTS = 32;
const BALLOTS = 96;

/** One yes-or-no question: the cheapest ballot to make and to verify. */
function loadDraft(): Draft {
  const d = courtyardDraft({ title: 'Load test, proofs on workers' });
  return { ...d, questions: [{ question: { kind: 'single', options: 2 }, prompt: ['Repaint the gate?', '重新粉刷院门？'], options: [['Yes', '是'], ['No', '否']] }] };
}

const answer = (k: number): Answer[] => [{ values: k % 2 === 0 ? [1, 0] : [0, 1] }];

let running: Running;
let owner: Client;
let poll: string;
let voters: Voter[];
let logKey: VerifierKey;

beforeAll(async () => {
  running = await startServer({ limits: NO_LIMITS, proofWorkers: 2 });
  ({ owner, poll, voters } = await openPoll(running, { voters: BALLOTS + 1, draft: loadDraft() }));
  logKey = parseVerifierKey((await owner.get(`/api/polls/${poll}`)).body.logKey);
});

afterAll(async () => {
  await running?.close();
});

describe('a server with proof workers under bounded load', () => {
  it(`answers ${BALLOTS} casts from ${CLIENTS} concurrent clients: receipts that verify for the good ones at consecutive heights, refusals with nothing written for the bad ones`, async () => {
    const base: number = (await owner.get(`/api/polls/${poll}`)).body.entries;
    const rng = seededRandom('load test with workers');
    const made = [];
    for (const [i, v] of voters.slice(0, BALLOTS).entries()) made.push(await v.ballot(owner, answer(i), rng));
    // Two bad ones among them: the last voter's signature broken (BAD_PROOF), and a credential not on the list.
    const last = await voters[BALLOTS].ballot(owner, answer(1), rng);
    const broken = encodeBallot({ ...last.ballot, signature: { ...last.ballot.signature, z: add(last.ballot.signature.z, 1n) } });
    const stranger = (await Voter.make(poll, seededRandom('stranger')).ballot(owner, answer(0), rng)).bytes;
    const bytes = made.map((m) => m.bytes);
    bytes.splice(40, 0, broken);
    bytes.splice(70, 0, stranger);
    await new Promise((r) => setTimeout(r, 100)); // let idle keep-alive timers run after making ballots held this thread

    const answers: Answered<ReceiptView & { error?: string }>[] = new Array(bytes.length);
    let next = 0;
    await Promise.all(
      Array.from({ length: CLIENTS }, async () => {
        const client = new Client(running.base);
        while (next < bytes.length) {
          const k = next++;
          answers[k] = await castBallot(client, poll, bytes[k]);
        }
      }),
    );

    expect([answers[40], answers[70]].map((a) => [a.status, a.body.error])).toEqual([
      [422, 'BAD_PROOF'],
      [422, 'UNKNOWN_CREDENTIAL'],
    ]);
    const good = answers.filter((_, k) => k !== 40 && k !== 70);
    expect(good.filter((a) => a.status !== 201).map((a) => a.body)).toEqual([]);
    expect(good.map((a) => a.body.height).sort((x, y) => x - y)).toEqual(Array.from({ length: BALLOTS }, (_, k) => base + k));
    for (const [k, a] of good.entries()) {
      expect(a.body.tracker).toBe(hex(made[k].tracker));
      const check = verifyReceipt({ receipt: a.body.receipt, checkpoint: a.body.checkpoint, path: a.body.path.map(unhex) }, logKey, made[k].tracker);
      expect(check.ok, `ballot ${k}: ${JSON.stringify(check)}`).toBe(true);
    }
    // At most one cast per client is in flight, so 96 casts from 32 clients took at least three groups.
    expect(new Set(good.map((a) => a.body.size)).size).toBeGreaterThanOrEqual(3);

    const latest = (await owner.get(`/api/polls/${poll}/checkpoint`)).body;
    expect(latest.size).toBe(base + BALLOTS);
    expect(verifyCheckpoint(latest.checkpoint, logKey).ok).toBe(true);
    // Nothing of the refused ones is on the board.
    for (const bad of [broken, stranger]) expect((await owner.get(`/api/polls/${poll}/receipts/${hex(ballotTracker(bad))}`)).status).toBe(404);
    const record = new Uint8Array(await (await fetch(`${running.base}/api/polls/${poll}/record`)).arrayBuffer());
    const report = await verifyRecord([record]);
    expect(report.failures).toEqual([]);
    expect(report).toMatchObject({ valid: true, phase: 'open', ballots: BALLOTS });
  });
});
