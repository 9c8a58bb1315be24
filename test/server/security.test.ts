/**
 * The server's web defences on a real server, SQLite file and sockets (server/api/security.ts,
 * server/live/live-feed.ts): cross-origin writes and socket handshakes refused, the session cookie,
 * the password hash, rate limits, the CSP, JSON-only answers, and what is never kept: no client
 * address, user agent or session id with a ballot, and no secret in the logs.
 */
import { scryptSync } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { pino } from 'pino';
import { io as connect, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTrustee, encodePoint, seededRandom, type Answer } from '../../crypto/index.ts';
import { SECURITY_HEADERS, SESSION_COOKIE } from '../../server/api/security.ts';
import {
  Client,
  ORGANISER,
  Voter,
  b64,
  castBallot,
  courtyardDraft,
  dumpDatabase,
  hex,
  openPoll,
  readBoard,
  readDatabase,
  replayBoard,
  startServer,
  type Answered,
  type Running,
} from './support.ts';

const EVIL = 'http://evil.example';
const ANSWERS: Answer[] = [{ values: [0, 1, 0] }, { values: [1, 0, 0, 1] }, { values: [0, 1, 1] }];
const USER_AGENT = 'GongshiProbe/7.3 (distinctive-agent-5b1e; like Gecko)';

/** The session id a login or setup answer sets, or null. */
function sessionIdOf(r: Answered): string | null {
  for (const c of r.headers.getSetCookie()) {
    const [pair] = c.split(';');
    const at = pair.indexOf('=');
    if (pair.slice(0, at) === SESSION_COOKIE && pair.slice(at + 1) !== '') return pair.slice(at + 1);
  }
  return null;
}

function expectRefusal(r: Answered, status: number, error: string): void {
  expect(r.status, JSON.stringify(r.body)).toBe(status);
  expect(r.body).toEqual({ error, message: expect.stringMatching(/\S/) });
}

/** POSTs JSON from a chosen local address (127.0.0.2: a client address that appears nowhere else). */
function postFrom(localAddress: string, url: string, body: unknown, headers: Record<string, string>): Promise<{ status: number; body: any }> {
  return new Promise((resolve, reject) => {
    const text = JSON.stringify(body);
    const req = httpRequest(url, { method: 'POST', localAddress, headers: { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(text)), ...headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) }));
    });
    req.on('error', reject);
    req.end(text);
  });
}

// ---------------------------------------------------------------------------------------------
// One server for most tests, logging everything at trace level into memory.

const lines: string[] = [];
let running: Running;
/** Every session id the server has handed out in this file. */
const sessionIds: string[] = [];
/** Every trustee token the server has handed out in this file (openPoll's first ones are replaced). */
const trusteeTokens: string[] = [];
/** Every ballot cast in this file, as base64. */
const ballots: string[] = [];
let owner: Client;
let poll: string;
let voters: Voter[];
const rng = seededRandom('security');

/** Signs in with the password on a fresh client; returns it and the session id it got. */
async function signIn(): Promise<{ client: Client; id: string }> {
  const client = new Client(running.base);
  const r = await client.post('/api/session', ORGANISER);
  expect(r.status).toBe(201);
  const id = sessionIdOf(r)!;
  sessionIds.push(id);
  return { client, id };
}

async function cast(client: Client, voter: Voter): Promise<Answered> {
  const made = await voter.ballot(client, ANSWERS, rng);
  ballots.push(b64(made.bytes));
  return castBallot(client, poll, made.bytes);
}

beforeAll(async () => {
  running = await startServer({ logger: pino({ level: 'trace' }, { write: (line: string) => void lines.push(line) }) });
  const setup = await new Client(running.base).post('/api/setup', { token: running.app.setupToken, ...ORGANISER });
  expect(setup.status).toBe(201);
  sessionIds.push(sessionIdOf(setup)!);
  // The setup token is spent: openPoll's organiser signs in with her password.
  const opened = await openPoll({ ...running, app: { ...running.app, setupToken: null } }, { voters: 8, draft: courtyardDraft({ t: 1, n: 1 }), seed: 'security voters' });
  ({ owner, poll, voters } = opened);
  const invites = (await owner.post(`/api/polls/${poll}/invites`)).body.invites as { token: string }[];
  trusteeTokens.push(...invites.map((i) => i.token));
}, 60_000);

afterAll(async () => {
  await running?.close();
});

describe('cross-origin writes (CSRF)', () => {
  it('refuses every organiser write from a foreign Origin with ORIGIN_REFUSED, even with her session cookie', async () => {
    const { id } = await signIn();
    const draft = (await owner.post('/api/polls', { draft: courtyardDraft() })).body.id as string;
    const key = hex(encodePoint(Voter.make(poll, rng).credential.publicKey));
    const writes: [string, string, unknown?][] = [
      ['POST', '/api/setup', { token: 'x'.repeat(43), ...ORGANISER }],
      ['POST', '/api/session', ORGANISER],
      ['DELETE', '/api/session'],
      ['POST', '/api/polls', { draft: courtyardDraft({ title: 'Planted by another site' }) }],
      ['PUT', `/api/polls/${draft}/draft`, { draft: courtyardDraft({ title: 'Planted by another site' }) }],
      ['POST', `/api/polls/${draft}/invites`],
      ['POST', `/api/polls/${draft}/publish`],
      ['POST', `/api/polls/${poll}/credentials`, { credentials: [{ key, weight: 1 }] }],
      ['POST', `/api/polls/${poll}/ceremony/restart`],
      ['POST', `/api/polls/${poll}/ceremony/advance`],
      ...['open', 'close', 'tally'].map((act): [string, string] => ['POST', `/api/polls/${poll}/${act}`]),
    ];
    const before = dumpDatabase(running);
    const board = await readBoard(owner, poll);
    for (const origin of [EVIL, `${running.base}.evil.example`, running.base.replace(/:\d+$/, ':1'), 'null']) {
      const evil = new Client(running.base, origin, { cookie: `${SESSION_COOKIE}=${id}` });
      for (const [method, path, body] of writes) expectRefusal(await evil.request(method, path, body), 403, 'ORIGIN_REFUSED');
    }
    expect(dumpDatabase(running)).toEqual(before);
    expect(await readBoard(owner, poll)).toEqual(board);
    // The same session from the server's own page may write.
    const own = new Client(running.base, running.base, { cookie: `${SESSION_COOKIE}=${id}` });
    expect((await own.post('/api/polls', { draft: courtyardDraft({ title: 'From the organiser’s own page' }) })).status).toBe(201);
  });

  it('refuses a cookie-authenticated write that carries no Origin at all', async () => {
    const { id } = await signIn();
    const before = dumpDatabase(running);
    const bare = new Client(running.base, null, { cookie: `${SESSION_COOKIE}=${id}` });
    expectRefusal(await bare.post('/api/polls', { draft: courtyardDraft() }), 403, 'ORIGIN_REFUSED');
    expectRefusal(await bare.post(`/api/polls/${poll}/close`), 403, 'ORIGIN_REFUSED');
    expect(dumpDatabase(running)).toEqual(before);
  });

  it('refuses a write the browser marks Sec-Fetch-Site cross-site or same-site', async () => {
    const { id } = await signIn();
    const before = dumpDatabase(running);
    for (const site of ['cross-site', 'same-site']) {
      const marked = new Client(running.base, null, { cookie: `${SESSION_COOKIE}=${id}`, 'sec-fetch-site': site });
      expectRefusal(await marked.post('/api/polls', { draft: courtyardDraft() }), 403, 'ORIGIN_REFUSED');
      const made = await voters[7].ballot(marked, ANSWERS, rng);
      expectRefusal(await castBallot(marked, poll, made.bytes), 403, 'ORIGIN_REFUSED');
    }
    expect(dumpDatabase(running)).toEqual(before);
  });

  it('refuses a cast from a foreign Origin and takes the same ballot from the server’s own page', async () => {
    const made = await voters[0].ballot(owner, ANSWERS, rng);
    ballots.push(b64(made.bytes));
    const before = dumpDatabase(running);
    const board = await readBoard(owner, poll);
    expectRefusal(await castBallot(new Client(running.base, EVIL), poll, made.bytes), 403, 'ORIGIN_REFUSED');
    expect(dumpDatabase(running)).toEqual(before);
    expect(await readBoard(owner, poll)).toEqual(board);
    expect((await castBallot(new Client(running.base), poll, made.bytes)).status).toBe(201);
  });

  it('takes a program’s cast and trustee request without Origin: only cookie routes require one', async () => {
    const program = new Client(running.base, null);
    const r = await cast(program, voters[1]);
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    const trustee = new Client(running.base, null, { authorization: `Bearer ${trusteeTokens[0]}` });
    // Step 5 is long over: the request passes the origin check and reaches the poll's rules.
    expectRefusal(await trustee.post(`/api/polls/${poll}/trustee/review-done`), 409, 'WRONG_PHASE');
  });
});

describe('the live feed', () => {
  const sockets: Socket[] = [];
  afterAll(() => sockets.forEach((s) => s.close()));

  /** Connects with this Origin; resolves 'connect' or the connect_error's message. */
  const handshake = (origin: string) =>
    new Promise<string>((resolve) => {
      const s = connect(running.base, { transports: ['websocket'], extraHeaders: { origin }, reconnection: false, timeout: 5000 });
      sockets.push(s);
      s.on('connect', () => resolve('connect'));
      s.on('connect_error', (e) => resolve(`connect_error: ${e.message}`));
    });

  it('refuses a socket.io handshake from a foreign Origin', async () => {
    expect(await handshake(EVIL)).toMatch(/^connect_error/);
  });

  it('lets the server’s own page connect and watch a poll', async () => {
    expect(await handshake(running.base)).toBe('connect');
    const watched = await sockets.at(-1)!.timeout(5000).emitWithAck('poll:watch', poll);
    expect(watched).toMatchObject({ poll, status: 'open' });
  });
});

describe('the organiser’s session and password', () => {
  it('sets the session cookie HttpOnly, SameSite=Strict, for the whole site', async () => {
    const r = await new Client(running.base).post('/api/session', ORGANISER);
    sessionIds.push(sessionIdOf(r)!);
    const [cookie] = r.headers.getSetCookie();
    const attributes = cookie.split(';').slice(1).map((a) => a.trim());
    expect(attributes).toContain('HttpOnly');
    expect(attributes).toContain('SameSite=Strict');
    expect(attributes).toContain('Path=/');
    expect(sessionIdOf(r)).toMatch(/^[A-Za-z0-9_-]{43}$/); // 32 random bytes
  });

  it('issues a new session id at each login, ends the one the browser sent, and never adopts a planted one', async () => {
    const planted = 'planted-by-an-attacker-0000000000000000000';
    const c = new Client(running.base, running.base, { cookie: `${SESSION_COOKIE}=${planted}` });
    const first = sessionIdOf(await c.post('/api/session', ORGANISER))!;
    expect(first).not.toBe(planted);
    const again = new Client(running.base, running.base, { cookie: `${SESSION_COOKIE}=${first}` });
    const second = sessionIdOf(await again.post('/api/session', ORGANISER))!;
    sessionIds.push(first, second);
    expect(second).not.toBe(first);
    const as = (id: string) => new Client(running.base, running.base, { cookie: `${SESSION_COOKIE}=${id}` }).get('/api/session');
    expect((await as(second)).status).toBe(200);
    expectRefusal(await as(first), 401, 'UNAUTHENTICATED');
    expectRefusal(await as(planted), 401, 'UNAUTHENTICATED');
  });

  it('stores the password only as a salted scrypt hash that recomputes from it', () => {
    const rows = readDatabase(running).organisers as { name: string; password_hash: string }[];
    expect(rows).toHaveLength(1);
    const stored = rows[0].password_hash;
    expect(stored).not.toContain(ORGANISER.password);
    const m = /^scrypt\$(\d+)\$(\d+)\$(\d+)\$([A-Za-z0-9+/]+=*)\$([A-Za-z0-9+/]+=*)$/.exec(stored);
    expect(m, stored).not.toBeNull();
    const [N, r, p] = [Number(m![1]), Number(m![2]), Number(m![3])];
    expect(N).toBeGreaterThanOrEqual(1 << 15);
    const salt = Buffer.from(m![4], 'base64');
    expect(salt.length).toBeGreaterThanOrEqual(16);
    const hash = scryptSync(ORGANISER.password, salt, 32, { N, r, p, maxmem: 64 << 20 });
    expect(hash.toString('base64')).toBe(m![5]);
  });
});

describe('rate limits', () => {
  let limited: Running;
  let now = Date.now();
  let lp: Awaited<ReturnType<typeof openPoll>>;
  const LIMIT = { burst: 3, perMinute: 1 };
  beforeAll(async () => {
    limited = await startServer({ limits: { login: LIMIT, credential: LIMIT, cast: LIMIT }, clock: () => now });
    lp = await openPoll(limited, { voters: 5, draft: courtyardDraft({ t: 1, n: 1 }), seed: 'limited voters' }); // its setup spends one login
  }, 60_000);
  afterAll(async () => {
    await limited?.close();
  });

  /** Checks a 429 RATE_LIMITED with a Retry-After of whole seconds, and returns it. */
  const expectLimited = (r: Answered): number => {
    expectRefusal(r, 429, 'RATE_LIMITED');
    const wait = r.headers.get('retry-after');
    expect(wait).toMatch(/^[1-9][0-9]*$/);
    expect(Number(wait)).toBeLessThanOrEqual(60);
    return Number(wait);
  };

  it('answers RATE_LIMITED with Retry-After once logins pass the burst, even for the right password, until the wait is over', async () => {
    const c = new Client(limited.base);
    expectRefusal(await c.post('/api/session', { ...ORGANISER, password: 'a wrong guess' }), 401, 'BAD_LOGIN');
    expectRefusal(await c.post('/api/session', { ...ORGANISER, password: 'another wrong guess' }), 401, 'BAD_LOGIN');
    const sessions = readDatabase(limited).sessions;
    const wait = expectLimited(await c.post('/api/session', ORGANISER));
    expect(readDatabase(limited).sessions).toEqual(sessions);
    now += wait * 1000;
    expect((await c.post('/api/session', ORGANISER)).status).toBe(201);
  });

  it('answers RATE_LIMITED with Retry-After once credential checks pass the burst', async () => {
    const key = hex(encodePoint(lp.voters[0].credential.publicKey));
    const anyone = new Client(limited.base);
    for (let i = 0; i < LIMIT.burst; i++) expect((await anyone.get(`/api/polls/${lp.poll}/credentials/${key}`)).status).toBe(200);
    const wait = expectLimited(await anyone.get(`/api/polls/${lp.poll}/credentials/${key}`));
    now += wait * 1000;
    expect((await anyone.get(`/api/polls/${lp.poll}/credentials/${key}`)).status).toBe(200);
  });

  it('answers RATE_LIMITED to a cast past the burst and writes nothing; the same ballot is taken after the wait', async () => {
    const anyone = new Client(limited.base);
    for (let i = 0; i < LIMIT.burst; i++) {
      const made = await lp.voters[i].ballot(anyone, ANSWERS, rng);
      expect((await castBallot(anyone, lp.poll, made.bytes)).status).toBe(201);
    }
    const made = await lp.voters[LIMIT.burst].ballot(anyone, ANSWERS, rng);
    const database = dumpDatabase(limited);
    const board = await readBoard(anyone, lp.poll);
    const wait = expectLimited(await castBallot(anyone, lp.poll, made.bytes));
    expect(dumpDatabase(limited)).toEqual(database);
    expect(await readBoard(anyone, lp.poll)).toEqual(board);
    now += wait * 1000;
    expect((await castBallot(anyone, lp.poll, made.bytes)).status).toBe(201);
  });
});

describe('headers and content', () => {
  it('sends a CSP without unsafe-inline or unsafe-eval, scripts from the site only (and WebAssembly compiled by them), on the API and the page', async () => {
    for (const path of ['/api/health', '/api/no-such-thing', '/', '/poll/anything']) {
      const res = await fetch(`${running.base}${path}`);
      const csp = res.headers.get('content-security-policy');
      expect(csp, path).toBe(SECURITY_HEADERS['Content-Security-Policy']);
      // 'wasm-unsafe-eval' allows compiling WebAssembly only (the ristretto255 codec); plain 'unsafe-eval' never.
      expect(csp).not.toMatch(/unsafe-inline|(?<!wasm-)unsafe-eval|\*/);
      const directives = new Map(csp!.split(';').map((d) => d.trim().split(/\s+/)).map(([name, ...values]) => [name, values]));
      expect(directives.get('script-src')).toEqual(["'self'", "'wasm-unsafe-eval'"]);
      expect(directives.get('object-src')).toEqual(["'none'"]);
      expect(directives.get('frame-ancestors')).toEqual(["'none'"]);
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    }
  });

  it('stores and returns a title holding a script tag as the exact JSON string, served as JSON with nosniff', async () => {
    const title = '<script>alert(1)</script>';
    const d = courtyardDraft({ title, t: 1, n: 1 });
    const created = await owner.post('/api/polls', { draft: d });
    expect(created.status).toBe(201);
    const id: string = created.body.id;
    const stored = (readDatabase(running).polls as { id: string; draft: string }[]).find((p) => p.id === id)!;
    expect(JSON.parse(stored.draft).draft.title[0]).toBe(title);
    expect((await owner.post(`/api/polls/${id}/publish`)).status).toBe(200);
    for (const path of [`/api/polls/${id}`, '/api/polls']) {
      const res = await fetch(`${running.base}${path}`);
      expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      const text = await res.text();
      expect(text).toContain(JSON.stringify(title)); // verbatim: neither HTML-escaped nor dropped
      expect(text).not.toContain('&lt;script');
    }
    expect((await owner.get(`/api/polls/${id}`)).body.title[0]).toBe(title);
    const missing = await fetch(`${running.base}/api/${encodeURIComponent(title)}`);
    expect(missing.headers.get('content-type')).toBe('application/json; charset=utf-8');
  });
});

describe('what the server keeps', () => {
  it('refuses a ballot whose credential is not listed with UNKNOWN_CREDENTIAL', async () => {
    const before = dumpDatabase(running);
    const made = await Voter.make(poll, rng).ballot(owner, ANSWERS, rng);
    const r = await castBallot(new Client(running.base), poll, made.bytes);
    expect(r.status).toBe(422);
    expect(r.body).toEqual({ error: 'UNKNOWN_CREDENTIAL', message: expect.stringMatching(/\S/), height: expect.any(Number) });
    expect(dumpDatabase(running)).toEqual(before);
  });

  it('stores no client address, user agent or session id with a ballot', async () => {
    const { id } = await signIn();
    const made = await voters[2].ballot(owner, ANSWERS, rng);
    ballots.push(b64(made.bytes));
    const r = await postFrom('127.0.0.2', `${running.base}/api/polls/${poll}/ballots`, { ballot: b64(made.bytes) }, { origin: running.base, 'user-agent': USER_AGENT, cookie: `${SESSION_COOKIE}=${id}` });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    const tables = readDatabase(running);
    const boardTables = Object.keys(tables).filter((t) => t.startsWith(`board_${poll}_`));
    expect(boardTables.length).toBeGreaterThan(0);
    // The server's own address is in every poll's origin (127.0.0.1:<port>/poll/<id>); the client's never is.
    const serverHost = new URL(running.base).host;
    const found: string[] = [];
    let cells = 0;
    let origins = 0;
    for (const [table, rows] of Object.entries(tables)) {
      for (const row of rows) {
        for (const [column, value] of Object.entries(row)) {
          cells += 1;
          const texts = value instanceof Uint8Array ? [Buffer.from(value).toString('latin1'), Buffer.from(value).toString('utf16le')] : [String(value)];
          for (const text of texts) {
            if (text.includes(`${serverHost}/poll/${poll}`)) origins += 1;
            for (const needle of ['127.0.0.2', USER_AGENT, 'distinctive-agent', id]) if (text.includes(needle)) found.push(`${table}.${column}: ${needle}`);
            if (text.split(serverHost).join('').includes('127.0.0.1')) found.push(`${table}.${column}: 127.0.0.1`);
          }
        }
      }
    }
    expect(cells).toBeGreaterThan(100);
    expect(origins).toBeGreaterThan(0); // the scan does read the text the server stores, blobs included
    expect(found).toEqual([]);
  });

  it('writes no password, setup token, trustee token, session id or ballot to the log, even at trace level', async () => {
    // A trustee uses her link on a fresh poll: the token travels in the Authorization header.
    const created = (await owner.post('/api/polls', { draft: courtyardDraft({ t: 1, n: 1 }) })).body.id as string;
    const [invite] = (await owner.post(`/api/polls/${created}/invites`)).body.invites as { token: string }[];
    trusteeTokens.push(invite.token);
    expect((await owner.post(`/api/polls/${created}/publish`)).status).toBe(200);
    const trustee = new Client(running.base, running.base, { authorization: `Bearer ${invite.token}` });
    const state = await replayBoard(trustee, created);
    const identity = createTrustee(state.ceremony!.params, 1, rng).identity.bytes;
    expect((await trustee.post(`/api/polls/${created}/trustee/messages`, { message: b64(identity) })).status).toBe(201);
    const failed = await new Client(running.base).post('/api/session', { name: ORGANISER.name, password: `${ORGANISER.password} typo` });
    expect(failed.status).toBe(401);
    expect((await cast(new Client(running.base), voters[3])).status).toBe(201);

    const log = lines.join('');
    // The log is really written at trace level: every request has its line.
    expect(lines.filter((l) => l.includes(`"path":"/api/polls/${poll}/ballots"`)).length).toBeGreaterThanOrEqual(3);
    expect(log).toContain('"path":"/api/setup"');
    expect(log).toContain('"path":"/api/session"');
    expect(log).toContain(`"path":"/api/polls/${created}/trustee/messages"`);
    const secrets = {
      password: ORGANISER.password,
      'setup token': running.app.setupToken!,
      ...Object.fromEntries(trusteeTokens.map((t, i) => [`trustee token ${i}`, t])),
      ...Object.fromEntries(sessionIds.map((s, i) => [`session id ${i}`, s])),
      ...Object.fromEntries(ballots.map((b, i) => [`ballot ${i}`, b.slice(0, 64)])),
      'trustee message': b64(identity).slice(0, 64),
    };
    expect(Object.keys(secrets).length).toBeGreaterThan(15);
    const leaked = Object.entries(secrets).filter(([, secret]) => log.includes(secret) || log.includes(JSON.stringify(secret).slice(1, -1)));
    expect(leaked.map(([what]) => what)).toEqual([]);
  });
});
