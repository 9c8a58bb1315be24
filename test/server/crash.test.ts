/**
 * A server killed while voters cast (spec §B.5.1: a returned transaction survives a crash; §B.5.3: a
 * ballot is acknowledged only after its durable append). The server runs in a child process
 * (crash-server.ts) over one data folder; 16 clients cast over HTTP and the test kills the child with
 * SIGKILL at seeded moments, then restarts it over the same folder. Every receipt returned before a
 * kill must hold against the restarted board: the same entry at the same height, included in the new
 * latest checkpoint, whose tree is consistent with the receipt's. The record must verify. A SIGTERM
 * in the middle of casting must stop the server cleanly (exit 0) with every answered cast on the board,
 * and a cast that reaches the stopping server on an open connection must not be refused for it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { rmSync } from 'node:fs';
import { Agent, request, type ClientRequest } from 'node:http';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seededRandom } from '../../crypto/index.ts';
import { hashLeaf, merkleConsistency, parseVerifierKey, verifyCheckpoint, verifyInclusion } from '../../bulletin-board/index.ts';
import { verifyReceipt, verifyRecord } from '../../verifier/index.ts';
import type { Draft } from '../../server/polls/draft.ts';
import type { ReceiptView } from '../../server/polls/poll-host.ts';
import { b64, castBallot, Client, courtyardDraft, hex, openPoll, tempDir, unhex, type Running } from './support.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const CHILD = resolve(import.meta.dirname, 'crash-server.ts');
const CLIENTS = 16;
const KILLS = 4;
/** one ballot per credential: a retried cast is the same cast (200, same receipt) or a first one (201) */
const VOTERS = 420;
/** the client folder every child serves: empty, the API is all the test uses */
const clientDir = tempDir('crash-client');

interface Server {
  readonly url: string;
  readonly setupToken: string | null;
  readonly child: ChildProcess;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  stderr(): string;
}

/** Starts the child over `dataDir`; resolves when it serves (it has opened and checked every board). */
async function startServer(dataDir: string): Promise<Server> {
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD, dataDir, clientDir], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8');
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (s: string) => (stderr += s));
  const exited = once(child, 'close').then(([code, signal]) => ({ code: code as number | null, signal: signal as NodeJS.Signals | null }));
  const url = await new Promise<string>((done, fail) => {
    child.stdout.on('data', (s: string) => {
      stdout += s;
      const m = /^url (http:\/\/\S+)$/m.exec(stdout);
      if (m) done(m[1]);
    });
    void exited.then((e) => fail(new Error(`the server exited before serving (${e.code ?? e.signal}): ${stderr}`)));
  });
  const setup = /^setup (\S+)$/m.exec(stdout);
  return { url, setupToken: setup ? setup[1] : null, child, exited, stderr: () => stderr };
}

/** A yes-or-no poll, one ballot per credential: cheap ballots, and a retry can only be the same cast. */
function crashDraft(): Draft {
  const d = courtyardDraft({ maxBallots: 1, title: 'Crash test' });
  return { ...d, questions: [{ question: { kind: 'single', options: 2 }, prompt: ['Repaint the gate?', '重新粉刷院门？'], options: [['Yes', '是'], ['No', '否']] }] };
}

interface Ballot {
  readonly bytes: Uint8Array;
  readonly tracker: string;
}

interface Round {
  /** casts answered 2xx, with the time of the answer (performance.now) */
  readonly answered: { ballot: Ballot; status: number; receipt: ReceiptView; at: number }[];
  /** casts answered with anything else */
  readonly refused: { ballot: Ballot; status: number; body: unknown }[];
  /** casts that got no answer (the connection died): on the board or not */
  readonly unanswered: Ballot[];
  /** when the signal was sent (performance.now) */
  signalledAt: number;
}

/**
 * `CLIENTS` clients cast from the front of `queue` until the server stops answering; after `signalAfter`
 * 2xx answers and a further `delay` ms, the child gets `signal`. A client stops at its first
 * unanswered cast (the server is gone or going).
 */
async function castRound(server: Server, poll: string, queue: Ballot[], signalAfter: number, delay: number, signal: NodeJS.Signals): Promise<Round> {
  const round: Round = { answered: [], refused: [], unanswered: [], signalledAt: Infinity };
  let armed = false;
  const guard = setTimeout(() => server.child.kill('SIGKILL'), 60_000);
  await Promise.all(
    Array.from({ length: CLIENTS }, async () => {
      const client = new Client(server.url);
      for (let ballot = queue.shift(); ballot !== undefined; ballot = queue.shift()) {
        let r;
        try {
          r = await castBallot(client, poll, ballot.bytes);
        } catch {
          round.unanswered.push(ballot);
          return;
        }
        if (r.status === 200 || r.status === 201) round.answered.push({ ballot, status: r.status, receipt: r.body, at: performance.now() });
        else round.refused.push({ ballot, status: r.status, body: r.body });
        if (!armed && round.answered.length >= signalAfter) {
          armed = true;
          setTimeout(() => {
            round.signalledAt = performance.now();
            server.child.kill(signal);
          }, delay);
        }
      }
    }),
  );
  if (!armed || round.signalledAt === Infinity) throw new Error(`the round ran out of ballots before the ${signal} (${round.answered.length} answered)`);
  await server.exited;
  clearTimeout(guard);
  return round;
}

/**
 * Checks every receipt against the restarted server: the same entry at the same height, the original
 * receipt verifies, an inclusion proof of it in the new latest checkpoint and a consistency proof from
 * the receipt's checkpoint to that one verify; then the whole record verifies. Returns the record's report.
 */
async function checkReceipts(server: Server, poll: string, logKeyText: string, receipts: readonly ReceiptView[]) {
  const client = new Client(server.url);
  const detail = (await client.get(`/api/polls/${poll}`)).body;
  expect(detail.logKey).toBe(logKeyText);
  expect(detail.status).toBe('open');
  const logKey = parseVerifierKey(logKeyText);
  const latest = (await client.get(`/api/polls/${poll}/checkpoint`)).body;
  const signed = verifyCheckpoint(latest.checkpoint, logKey);
  if (!signed.ok) throw new Error(`the restarted board's checkpoint does not verify: ${signed.reason}`);
  const size = signed.checkpoint.size;
  expect(latest.size).toBe(size);
  const consistent = new Map<number, boolean>();
  for (const r of receipts) {
    const check = verifyReceipt({ receipt: r.receipt, checkpoint: r.checkpoint, path: r.path.map(unhex) }, logKey, unhex(r.tracker));
    expect(check.ok, JSON.stringify(check)).toBe(true);
    const again = await client.get(`/api/polls/${poll}/receipts/${r.tracker}`);
    expect(again.status, JSON.stringify(again.body)).toBe(200);
    expect(again.body).toMatchObject({ height: r.height, entryHash: r.entryHash, tracker: r.tracker, receipt: r.receipt });
    const inclusion = await client.get(`/api/polls/${poll}/proofs/inclusion?height=${r.height}&size=${size}`);
    expect(inclusion.status).toBe(200);
    expect(verifyInclusion(hashLeaf(unhex(r.entryHash)), { index: r.height, size, path: inclusion.body.path.map(unhex) }, signed.checkpoint.rootHash)).toBe(true);
    if (!consistent.has(r.size)) {
      const old = verifyCheckpoint(r.checkpoint, logKey);
      if (!old.ok) throw new Error(`a receipt's checkpoint does not verify: ${old.reason}`);
      const proof = await client.get(`/api/polls/${poll}/proofs/consistency?from=${r.size}&to=${size}`);
      expect(proof.status).toBe(200);
      consistent.set(r.size, merkleConsistency(r.size, size, old.checkpoint.rootHash, signed.checkpoint.rootHash, proof.body.path.map(unhex)));
    }
    expect(consistent.get(r.size), `consistency from ${r.size} to ${size}`).toBe(true);
  }
  const record = new Uint8Array(await (await fetch(`${server.url}/api/polls/${poll}/record`)).arrayBuffer());
  const report = await verifyRecord([record]);
  expect(report.failures).toEqual([]);
  expect(report).toMatchObject({ valid: true, phase: 'open', checkpoint: { size, root: hex(signed.checkpoint.rootHash) } });
  return report;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** Making ballots held this thread for seconds: one turn of the event loop lets stale keep-alive sockets close first. */
const settle = () => sleep(100);

/** The status and body text of a node:http request's answer. */
function answerOf(req: ClientRequest): Promise<{ status: number; text: string }> {
  return new Promise((done, fail) => {
    req.on('error', fail);
    req.on('response', (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (s: string) => (text += s));
      res.on('end', () => done({ status: res.statusCode!, text }));
      res.on('error', fail);
    });
  });
}

/** A JSON POST through a given node:http agent (the test needs to know which connection it goes on). */
function post(url: string, json: unknown, o: { agent: Agent; origin: string }): Promise<{ status: number; text: string }> {
  const body = JSON.stringify(json);
  const req = request(url, { method: 'POST', agent: o.agent, headers: { origin: o.origin, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } });
  const answered = answerOf(req);
  req.end(body);
  return answered;
}

describe('a server killed while voters cast', () => {
  const dataDir = tempDir('crash-data');
  const rng = seededRandom('server crash: moments');
  const below = (n: number): number => new DataView(rng(4).buffer).getUint32(0) % n;
  let server: Server;
  let poll: string;
  let logKeyText: string;
  /** ballots not yet cast */
  const queue: Ballot[] = [];
  /** every receipt a client was given, by tracker */
  const receipts = new Map<string, ReceiptView>();
  /** casts that got no answer and have not been retried since */
  let unanswered: Ballot[] = [];

  beforeAll(async () => {
    server = await startServer(dataDir);
    expect(server.setupToken).not.toBeNull();
    // openPoll drives the server over HTTP only: the base URL and the printed setup token are all it reads.
    const running = { base: server.url, app: { setupToken: server.setupToken } } as unknown as Running;
    const opened = await openPoll(running, { voters: VOTERS, draft: crashDraft() });
    poll = opened.poll;
    logKeyText = (await opened.owner.get(`/api/polls/${poll}`)).body.logKey;
    const ballotRng = seededRandom('server crash: ballots');
    for (const [i, v] of opened.voters.entries()) {
      const made = await v.ballot(opened.owner, [{ values: i % 3 === 0 ? [0, 1] : [1, 0] }], ballotRng);
      queue.push({ bytes: made.bytes, tracker: hex(made.tracker) });
    }
    await settle();
  });

  afterAll(() => {
    if (server?.child.exitCode === null && server.child.signalCode === null) server.child.kill('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(clientDir, { recursive: true, force: true });
  });

  /** Records a round's answers: receipts kept, a retried cast's receipt the same as before if it had one. */
  function record(round: Round): void {
    expect(round.refused).toEqual([]);
    for (const a of round.answered) {
      expect(a.receipt.tracker).toBe(a.ballot.tracker);
      const before = receipts.get(a.ballot.tracker);
      if (before !== undefined) expect(a.receipt).toEqual(before);
      receipts.set(a.ballot.tracker, a.receipt);
    }
    unanswered = round.unanswered;
  }

  /** The casts of the last round left without an answer go first in the next: a voter's device tries again. */
  function retryFirst(): void {
    queue.unshift(...unanswered);
    unanswered = [];
  }

  it(`keeps every receipt it gave through ${KILLS} SIGKILLs mid-cast, and restarts with a board that verifies`, async () => {
    const moments: { after: number; delay: number; answered: number; unanswered: number }[] = [];
    for (let k = 0; k < KILLS; k++) {
      const after = 5 + below(40);
      const delay = below(25);
      retryFirst();
      const round = await castRound(server, poll, queue, after, delay, 'SIGKILL');
      expect(await server.exited).toEqual({ code: null, signal: 'SIGKILL' });
      record(round);
      moments.push({ after, delay, answered: round.answered.length, unanswered: round.unanswered.length });
      // The kill landed with casts in flight.
      expect(round.unanswered.length, JSON.stringify(moments)).toBeGreaterThan(0);

      server = await startServer(dataDir); // it serves only after replaying and checking the board
      const report = await checkReceipts(server, poll, logKeyText, [...receipts.values()]);
      // On the board: every receipt given, and at most the casts that were in flight at the kill.
      expect(report.ballots).toBeGreaterThanOrEqual(receipts.size);
      expect(report.ballots).toBeLessThanOrEqual(receipts.size + round.unanswered.length);
    }
    expect(new Set(moments.map((m) => `${m.after}/${m.delay}`)).size).toBe(KILLS);
  });

  it('stops on SIGTERM mid-cast with exit code 0, every answered cast on the board', async () => {
    retryFirst();
    const round = await castRound(server, poll, queue, 5 + below(40), below(25), 'SIGTERM');
    expect(await server.exited).toEqual({ code: 0, signal: null });
    expect(server.stderr()).toBe('');
    // A 5xx is a bug; a cast refused while the server stops is tried again below (see the next test).
    expect(round.refused.filter((r) => r.status >= 500)).toEqual([]);
    record({ ...round, refused: [], unanswered: [...round.unanswered, ...round.refused.map((r) => r.ballot)] });
    // Casts in flight when the signal came were answered, not dropped.
    expect(round.answered.filter((a) => a.at > round.signalledAt).length).toBeGreaterThan(0);

    server = await startServer(dataDir);
    const report = await checkReceipts(server, poll, logKeyText, [...receipts.values()]);
    expect(report.ballots).toBeGreaterThanOrEqual(receipts.size);

    // Every cast left without a receipt is sent again: each is new or was durable; then the board holds exactly the casts answered.
    const client = new Client(server.url);
    for (const b of [...unanswered]) {
      const r = await castBallot(client, poll, b.bytes);
      expect([200, 201]).toContain(r.status);
      receipts.set(b.tracker, r.body);
    }
    unanswered = [];
    const final = await checkReceipts(server, poll, logKeyText, [...receipts.values()]);
    expect(final.ballots).toBe(receipts.size);

    server.child.kill('SIGTERM');
    expect(await server.exited).toEqual({ code: 0, signal: null });
    expect(server.stderr()).toBe('');
  });

  it('does not refuse a cast sent on a kept-alive connection while it stops', async () => {
    server = await startServer(dataDir);
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const [first, second] = queue.splice(0, 2);
    try {
      // The first cast's headers and half its body go before the SIGTERM, the rest after: the server is stopping with it in progress.
      const body = JSON.stringify({ ballot: b64(first.bytes) });
      const req = request(`${server.url}/api/polls/${poll}/ballots`, { method: 'POST', agent, headers: { origin: server.url, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } });
      const answered = answerOf(req);
      req.write(body.slice(0, 100));
      await sleep(200);
      server.child.kill('SIGTERM');
      await sleep(300);
      req.end(body.slice(100));
      const one = await answered;
      expect(one.status, one.text).toBe(201);
      // The second cast goes on the same connection, which the server has kept open. It may close it (no
      // answer: the voter's device tries again) or cast the ballot; a 4xx would blame the voter for the stop.
      const two = await post(`${server.url}/api/polls/${poll}/ballots`, { ballot: b64(second.bytes) }, { agent, origin: server.url }).catch((e: Error) => ({ status: 0, text: String(e) }));
      expect(two.status === 0 || two.status === 200 || two.status === 201, `${two.status} ${two.text}`).toBe(true);
    } finally {
      agent.destroy();
    }
    expect(await server.exited).toEqual({ code: 0, signal: null });
  });
});
