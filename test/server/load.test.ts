/**
 * Bounded load on a real server (spec §B.5.3): 20 clients cast 600 ballots at once, three from each
 * of 200 credentials (the revote limit), each credential's three ballots sent together by different
 * clients. Every cast is answered 201 with a receipt that verifies, every receipt's entry is on the
 * board, the final checkpoint covers them all, and four casts of one credential at once give three
 * receipts and one REVOTE_LIMIT.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodePoint, seededRandom, type Answer } from '../../crypto/index.ts';
import { hashLeaf, merkleTreeHash, parseVerifierKey, verifyCheckpoint, type VerifierKey } from '../../bulletin-board/index.ts';
import { verifyReceipt, verifyRecord } from '../../verifier/index.ts';
import type { Draft } from '../../server/polls/draft.ts';
import type { ReceiptView } from '../../server/polls/poll-host.ts';
import { castBallot, Client, courtyardDraft, hex, NO_LIMITS, openPoll, startServer, unhex, type Answered, type Running, type Voter } from './support.ts';

const CLIENTS = 20;
const CREDENTIALS = 200;
const MAX_BALLOTS = 3;
/** voters kept aside for the revote limit under concurrency */
const RESERVE = 10;

/** One yes-or-no question: the cheapest ballot to make (about 10 ms here) and to verify. */
function loadDraft(): Draft {
  const d = courtyardDraft({ maxBallots: MAX_BALLOTS, title: 'Load test' });
  return { ...d, questions: [{ question: { kind: 'single', options: 2 }, prompt: ['Repaint the gate?', '重新粉刷院门？'], options: [['Yes', '是'], ['No', '否']] }] };
}

function answer(k: number): Answer[] {
  return [{ values: k % 2 === 0 ? [1, 0] : [0, 1] }];
}

/**
 * Making ballots holds this thread, which the server shares, for seconds: its keep-alive timers
 * then fire late. A turn of the event loop lets them close the idle connections before the casts
 * start, instead of resetting one a cast was just sent on.
 */
const settle = () => new Promise((r) => setTimeout(r, 100));

/** Casts every ballot, `clients` clients at a time, each with its own cookie jar and loop; answers in ballot order. */
async function castAll(base: string, poll: string, ballots: readonly Uint8Array[], clients: number): Promise<Answered<ReceiptView>[]> {
  const answers: Answered<ReceiptView>[] = new Array(ballots.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: clients }, async () => {
      const client = new Client(base);
      while (next < ballots.length) {
        const k = next++;
        answers[k] = await castBallot(client, poll, ballots[k]);
      }
    }),
  );
  return answers;
}

let running: Running;
let owner: Client;
let poll: string;
let voters: Voter[];
let logKey: VerifierKey;

beforeAll(async () => {
  running = await startServer({ limits: NO_LIMITS });
  ({ owner, poll, voters } = await openPoll(running, { voters: CREDENTIALS + RESERVE, draft: loadDraft() }));
  logKey = parseVerifierKey((await owner.get(`/api/polls/${poll}`)).body.logKey);
});

afterAll(async () => {
  await running?.close();
});

describe('a server under bounded load', () => {
  it(`answers ${CREDENTIALS * MAX_BALLOTS} casts from ${CLIENTS} concurrent clients with 201 and receipts that verify, all on the board`, async () => {
    const detail = (await owner.get(`/api/polls/${poll}`)).body;
    expect(detail.status).toBe('open');
    const base: number = detail.entries;

    // Made before any timing matters; a credential's three ballots sit side by side, so that three clients send them together.
    const rng = seededRandom('load test ballots');
    const made = [];
    for (let i = 0; i < CREDENTIALS; i++) for (let r = 0; r < MAX_BALLOTS; r++) made.push(await voters[i].ballot(owner, answer(i + r), rng));

    await settle();
    const answers = await castAll(running.base, poll, made.map((m) => m.bytes), CLIENTS);

    const refused = answers.flatMap((a, k) => (a.status === 201 ? [] : [{ ballot: k, status: a.status, body: a.body }]));
    expect(refused).toEqual([]);
    const heights = answers.map((a) => a.body.height).sort((x, y) => x - y);
    expect(heights).toEqual(Array.from({ length: made.length }, (_, k) => base + k));
    for (const [k, a] of answers.entries()) {
      expect(a.body.tracker).toBe(hex(made[k].tracker));
      const check = verifyReceipt({ receipt: a.body.receipt, checkpoint: a.body.checkpoint, path: a.body.path.map(unhex) }, logKey, made[k].tracker);
      expect(check.ok, `ballot ${k}: ${JSON.stringify(check)}`).toBe(true);
    }

    // The board as anyone reads it: every receipt's entry at its height, and the final checkpoint over them all.
    const latest = (await owner.get(`/api/polls/${poll}/checkpoint`)).body;
    expect(latest.size).toBe(base + made.length);
    const signed = verifyCheckpoint(latest.checkpoint, logKey);
    if (!signed.ok) throw new Error(`the final checkpoint does not verify: ${signed.reason}`);
    const entries: { height: number; hash: string; tracker: string | null }[] = [];
    while (entries.length < latest.size) {
      const page = await owner.get(`/api/polls/${poll}/entries?from=${entries.length}&limit=200`);
      expect(page.status).toBe(200);
      entries.push(...page.body.entries);
    }
    for (const a of answers) expect(entries[a.body.height]).toMatchObject({ height: a.body.height, hash: a.body.entryHash, tracker: a.body.tracker });
    const leaves = entries.map((e) => hashLeaf(unhex(e.hash)));
    expect(hex(merkleTreeHash(leaves))).toBe(hex(signed.checkpoint.rootHash));
    // Each receipt's checkpoint is a prefix of the final board: no later group rewrote an earlier one.
    const rootAt = new Map<number, string>();
    for (const a of answers) {
      const own = verifyCheckpoint(a.body.checkpoint, logKey);
      if (!own.ok) throw new Error(`a receipt's checkpoint does not verify: ${own.reason}`);
      if (!rootAt.has(own.checkpoint.size)) rootAt.set(own.checkpoint.size, hex(merkleTreeHash(leaves.slice(0, own.checkpoint.size))));
      expect(hex(own.checkpoint.rootHash)).toBe(rootAt.get(own.checkpoint.size));
    }

    // The revote policy held with a credential's ballots racing each other.
    for (const v of voters.slice(0, CREDENTIALS)) {
      const listed = await owner.get(`/api/polls/${poll}/credentials/${hex(encodePoint(v.credential.publicKey))}`);
      expect(listed.body).toMatchObject({ listed: true, ballots: MAX_BALLOTS });
    }

    const record = new Uint8Array(await (await fetch(`${running.base}/api/polls/${poll}/record`)).arrayBuffer());
    const report = await verifyRecord([record]);
    expect(report.failures).toEqual([]);
    expect(report).toMatchObject({ valid: true, phase: 'open', ballots: made.length, checkpoint: { size: latest.size, root: hex(signed.checkpoint.rootHash) } });
  });

  it(`gives ${MAX_BALLOTS} receipts and one REVOTE_LIMIT when ${MAX_BALLOTS + 1} ballots of one credential are cast at once`, async () => {
    const reserve = voters.slice(CREDENTIALS);
    const rng = seededRandom('load test: one ballot too many');
    const made = [];
    for (const [i, v] of reserve.entries()) for (let r = 0; r <= MAX_BALLOTS; r++) made.push(await v.ballot(owner, answer(i + r), rng));

    await settle();
    const answers = await castAll(running.base, poll, made.map((m) => m.bytes), CLIENTS);

    for (const [i, v] of reserve.entries()) {
      const own = answers.slice(i * (MAX_BALLOTS + 1), (i + 1) * (MAX_BALLOTS + 1));
      expect(own.filter((a) => a.status === 201)).toHaveLength(MAX_BALLOTS);
      expect(own.filter((a) => a.status !== 201).map((a) => [a.status, (a.body as unknown as { error: string }).error])).toEqual([[422, 'REVOTE_LIMIT']]);
      for (const a of own.filter((x) => x.status === 201)) expect(verifyReceipt({ receipt: a.body.receipt, checkpoint: a.body.checkpoint, path: a.body.path.map(unhex) }, logKey).ok).toBe(true);
      const listed = await owner.get(`/api/polls/${poll}/credentials/${hex(encodePoint(v.credential.publicKey))}`);
      expect(listed.body).toMatchObject({ listed: true, ballots: MAX_BALLOTS });
    }
  });
});
