/**
 * The cast figures for `gongshi bench`: ballots cast over HTTP to a real server in this process
 * (createApp on 127.0.0.1 port 0, a fresh data folder, no rate limits), 32 clients at once on kept-alive
 * connections. A cast counts when it is answered 201 with its receipt, that is after the board's durable
 * group commit (spec §B.5.3, §B.3.11): acknowledged casts per second, and the 99th percentile of their
 * latency. The poll is the other figures' shape, one 5-option single-choice question, one trustee.
 * Before the HTTP run, the same ballots go once through the server's own ballot checker (its proof
 * worker pool) in one batch: `cast_verify_ratio` is casts/s ÷ that batched rate, what the server
 * keeps of the proofs' own cost.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { availableParallelism } from 'node:os';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import * as c from '../../crypto/index.ts';
import { createApp, type App } from '../app.ts';
import { demoManifest } from '../demo/demo-poll.ts';
import { encodeManifest, signCredentialList, type BallotChecker } from '../../bulletin-board/index.ts';
import type { PollHost } from '../polls/poll-host.ts';
import { progress } from './progress.ts';

export interface CastFigures {
  cast_per_s: number;
  cast_p99_ms: number;
  cast_ballots: number;
  cast_clients: number;
  /** the same ballots' proofs checked in one batch by the server's ballot checker (its worker pool), per second */
  cast_pool_verify_per_s: number;
  /** cast_per_s ÷ cast_pool_verify_per_s, both unrounded */
  cast_verify_ratio: number;
  /** CPU time of the whole process (every thread: server, proof workers, the bench's own clients) per cast during the HTTP run */
  cast_cpu_ms: number;
  /** CPU time of the whole process per ballot while the pool checked them in one batch: with cast_cpu_ms, a figure that other processes on the machine disturb little */
  cast_pool_cpu_ms: number;
  cast_workers: number;
}

const CLIENTS = 32;
const UNLIMITED = { burst: 1e9, perMinute: 1e9 };

interface Answer {
  readonly status: number;
  readonly body: any;
  readonly cookie: string | null;
}

/** One JSON request on `agent`, with the server's own Origin as a browser page sends it. */
function call(agent: Agent, base: string, method: string, path: string, json?: unknown, cookie?: string): Promise<Answer> {
  const body = json === undefined ? undefined : JSON.stringify(json);
  const headers: Record<string, string | number> = { origin: base };
  if (body !== undefined) Object.assign(headers, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
  if (cookie !== undefined) headers.cookie = cookie;
  return new Promise((done, fail) => {
    const req = request(`${base}${path}`, { method, agent, headers }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (s: string) => (text += s));
      res.on('error', fail);
      res.on('end', () => {
        const set = res.headers['set-cookie']?.[0];
        done({ status: res.statusCode!, body: text === '' ? null : JSON.parse(text), cookie: set === undefined ? null : set.split(';')[0] });
      });
    });
    req.on('error', fail);
    req.end(body);
  });
}

async function must(what: string, answer: Promise<Answer>, status = 200): Promise<Answer> {
  const a = await answer;
  if (a.status !== status) throw new Error(`bug: bench ${what} answered ${a.status}: ${JSON.stringify(a.body)}`);
  return a;
}

/** Resolves once `ready` holds: the poll closes ceremony steps on its own, just after the message that completes them. */
async function until(ready: () => boolean): Promise<void> {
  for (let i = 0; !ready(); i++) {
    if (i > 2000) throw new Error('bug: the bench ceremony stalled');
    await new Promise((r) => setTimeout(r, 2));
  }
}

/** The one trustee's part of the ceremony, in this process, each message through the poll's rules (§T, §B.4.5). */
async function runCeremony(poll: PollHost, rng: c.RandomSource): Promise<void> {
  const board = poll.requireBoard();
  const step = () => board.state.ceremony?.step ?? 0;
  const next = async (from: number) => until(() => board.state.phase !== 'ceremony' || step() !== from);
  const c1 = board.state.ceremony!;
  const made = c.createTrustee(c1.params, 1, rng);
  await poll.postTrusteeMessage(1, made.identity.bytes);
  await next(1);
  const committed = c.commitTrustee(made.secrets, rng);
  await poll.postTrusteeMessage(1, committed.commit.bytes);
  await next(2);
  await poll.postTrusteeMessage(1, committed.reveal.bytes);
  await next(3);
  await poll.postTrusteeMessage(1, (await c.dealShares(made.secrets, board.state.ceremony!.record.identities, rng)).bytes);
  await next(4);
  for (const m of await c.reviewShares(made.secrets, board.state.ceremony!.record, rng)) await poll.postTrusteeMessage(1, m.bytes);
  await poll.reviewDone(1);
  await next(5);
  const record = board.state.ceremony!.record;
  const outcome = await c.evaluateCeremony(c1.params, { ...record, finishes: [] });
  const share = await c.deriveKeyShare(made.secrets, outcome);
  await poll.postTrusteeMessage(1, c.signTranscript(made.secrets, outcome, share, rng).bytes);
  await until(() => board.state.phase === 'ready');
}

/** Sets up an open poll for `voters` credentials through the organiser's API; returns the poll and the credentials. */
async function openPoll(app: App, agent: Agent, voters: number, rng: c.RandomSource): Promise<{ poll: PollHost; credentials: c.KeyPair[] }> {
  const base = app.url();
  const setup = await must('setup', call(agent, base, 'POST', '/api/setup', { token: app.setupToken, name: 'bench', password: 'bench organiser password' }), 201);
  const cookie = setup.cookie ?? undefined;
  const { manifest, registrarSeed } = demoManifest(rng, { questions: 'single-5', trustees: 1, threshold: 1 });
  const { pollId: _id, origin: _origin, logKey: _log, registrar, ...rest } = manifest;
  const draft = { ...rest, registrar: { name: registrar.name, key: c.toHex(registrar.key), isOrganiser: true } };
  const id = (await must('create', call(agent, base, 'POST', '/api/polls', { draft }, cookie), 201)).body.id as string;
  await must('publish', call(agent, base, 'POST', `/api/polls/${id}/publish`, undefined, cookie));
  const poll = app.polls.get(id);
  const credentials = Array.from({ length: voters }, () => c.generateKeyPair(rng));
  const list = credentials.map((k) => ({ key: k.publicKey, weight: 1 }));
  const signed = signCredentialList(list, poll.requireBoard().state.manifestHash!, registrarSeed);
  const signature = c.toHex(signed.subarray(signed.length - 64));
  const listed = credentials.map((k) => ({ key: c.toHex(c.encodePoint(k.publicKey)), weight: 1 }));
  await must('credentials', call(agent, base, 'POST', `/api/polls/${id}/credentials`, { credentials: listed, signature }, cookie));
  await runCeremony(poll, rng);
  await must('open', call(agent, base, 'POST', `/api/polls/${id}/open`, undefined, cookie));
  return { poll, credentials };
}

/** The p-th percentile (nearest rank) of `xs`. */
function percentile(xs: readonly number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.max(0, Math.ceil((p / 100) * s.length) - 1)];
}

/**
 * The batched verify rate of `checker` on `ballots` (payloads), per second: one check of them all, after
 * a warm-up check of a few (the workers' first job compiles the code and decodes the election).
 */
async function poolVerifyRate(checker: BallotChecker, job: { manifest: Uint8Array; key: Uint8Array; fingerprint: Uint8Array }, ballots: readonly Uint8Array[]): Promise<{ perS: number; cpuMs: number }> {
  const check = async (some: readonly Uint8Array[]) => {
    if (!(await checker.check({ ...job, ballots: some })).every((v) => v.ok)) throw new Error('bug: a bench ballot failed the pool');
  };
  await check(ballots.slice(0, 8));
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  await check(ballots);
  return { perS: (ballots.length / (performance.now() - t0)) * 1000, cpuMs: cpuMs(process.cpuUsage(cpu0)) / ballots.length };
}

/** Milliseconds of CPU (user and system) in a process.cpuUsage difference: every thread of the process. */
const cpuMs = (u: NodeJS.CpuUsage): number => (u.user + u.system) / 1000;

/** Casts `count` ballots (made first, one credential each) from 32 concurrent clients. */
export async function benchCast(count: number, rng: c.RandomSource): Promise<CastFigures> {
  const dataDir = mkdtempSync(join(tmpdir(), 'gongshi-bench-cast-'));
  const clientDir = mkdtempSync(join(tmpdir(), 'gongshi-bench-client-'));
  const workers = availableParallelism();
  const app = await createApp({ clientDir, dataDir, logger: pino({ level: 'silent' }), limits: { login: UNLIMITED, credential: UNLIMITED, cast: UNLIMITED }, proofWorkers: workers });
  try {
    await new Promise<void>((done) => app.http.listen(0, '127.0.0.1', done));
    const base = app.url();
    const setupAgent = new Agent({ keepAlive: true, maxSockets: 1 });
    const { poll, credentials } = await openPoll(app, setupAgent, count, rng).finally(() => setupAgent.destroy());

    const e = poll.requireBoard().state.election!;
    const shape = { questions: poll.draft.questions.map((q) => q.question) };
    const bar = progress(`making ${count} ballots to cast over HTTP`, count);
    const ballots = credentials.map((credential, i) => {
      bar.tick();
      return c.createBallot({ shape, key: e.jointKey, fingerprint: e.fingerprint, credential, answers: [{ values: [0, 1, 2, 3, 4].map((j) => (j === i % 5 ? 1 : 0)) }] }, rng).bytes;
    });
    bar.done();
    const bodies = ballots.map((b) => ({ ballot: Buffer.from(b).toString('base64') }));

    process.stderr.write(`checking the same ${count} ballots' proofs on the server's ${workers} proof workers, in one batch…\n`);
    if (app.ballotChecker === null) throw new Error('bug: the bench server has no proof workers');
    const manifest = encodeManifest(poll.requireBoard().state.manifest!);
    const pool = await poolVerifyRate(app.ballotChecker, { manifest, key: c.encodePoint(e.jointKey), fingerprint: e.fingerprint }, ballots);

    process.stderr.write(`casting ${count} ballots over HTTP, ${CLIENTS} clients at once…\n`);
    const agent = new Agent({ keepAlive: true, maxSockets: CLIENTS });
    const latencies: number[] = [];
    let next = 0;
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    try {
      await Promise.all(
        Array.from({ length: CLIENTS }, async () => {
          while (next < bodies.length) {
            const body = bodies[next++];
            const sent = performance.now();
            await must('cast', call(agent, base, 'POST', `/api/polls/${poll.hex}/ballots`, body), 201);
            latencies.push(performance.now() - sent);
          }
        }),
      );
    } finally {
      agent.destroy();
    }
    const wall = performance.now() - t0;
    const cpu = cpuMs(process.cpuUsage(cpu0));
    const castPerS = (count / wall) * 1000;
    return {
      cast_per_s: Math.round(castPerS),
      cast_p99_ms: Math.round(percentile(latencies, 99) * 100) / 100,
      cast_ballots: count,
      cast_clients: CLIENTS,
      cast_pool_verify_per_s: Math.round(pool.perS),
      cast_verify_ratio: Math.round((castPerS / pool.perS) * 100) / 100,
      cast_cpu_ms: Math.round((cpu / count) * 100) / 100,
      cast_pool_cpu_ms: Math.round(pool.cpuMs * 100) / 100,
      cast_workers: workers,
    };
  } finally {
    await app.close();
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(clientDir, { recursive: true, force: true });
  }
}
