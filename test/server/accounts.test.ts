/**
 * Several organisers (docs/api.md §Organisers): an organiser invites another by a one-time link, both
 * manage the same polls (a server is one committee), each changes her password, signs out everywhere,
 * and the command line on the server machine makes password-reset links and invitations while the
 * server runs. Every refusal shows that nothing was written. Real HTTP on 127.0.0.1, a real SQLite file,
 * the real `gongshi` command in a child process.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createHash } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { resolve } from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SESSION_COOKIE } from '../../server/api/security.ts';
import { SETUP_TOKEN_MS } from '../../server/store/accounts.ts';
import { Client, ORGANISER, courtyardDraft, dumpDatabase, organiser, startServer, tempDir, type Answered, type Running } from './support.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const SECOND = { name: 'treasurer', password: 'blue kettle on the stove' };
/** The second organiser as she signs in after changing her password. */
const SECOND_NOW = { ...SECOND };

/** Runs `gongshi <args>` in a child process, as an operator runs it beside the server. */
async function gongshi(args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, ['server/bin/gongshi.js', ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, GONGSHI_PUBLIC_URL: '', ...env } });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (s: string) => (stdout += s));
  child.stderr.setEncoding('utf8').on('data', (s: string) => (stderr += s));
  const [code] = await once(child, 'close');
  return { code: code as number | null, stdout, stderr };
}

function expectRefusal(r: Answered, status: number, error: string): void {
  expect(r.status, JSON.stringify(r.body)).toBe(status);
  expect(r.body).toMatchObject({ error, message: expect.stringMatching(/\S/) });
}

/** The token after # in a link printed or answered by the server. */
const tokenOf = (link: string): string => link.slice(link.indexOf('#') + 1);

async function signIn(running: Running, who: { name: string; password: string }): Promise<Client> {
  const c = new Client(running.base);
  const r = await c.post('/api/session', who);
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  return c;
}

/** Makes an invitation as `by`; returns its link. */
async function invite(by: Client, running: Running): Promise<string> {
  const r = await by.post('/api/organisers/invites');
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  expect(r.body.link).toMatch(new RegExp(`^${running.base}/join#[A-Za-z0-9_-]{43}$`));
  return r.body.link;
}

describe('two organisers, one committee', () => {
  let running: Running;
  let first: Client;
  let second: Client;
  let firstPoll: string;
  let link: string;
  /** the server's log, at trace level */
  const lines: string[] = [];
  /** every secret sent or answered in this block: none may reach the log */
  const secrets: string[] = [ORGANISER.password, SECOND.password];

  beforeAll(async () => {
    running = await startServer({ logger: pino({ level: 'trace' }, { write: (line: string) => void lines.push(line) }) });
    first = await organiser(running);
    const created = await first.post('/api/polls', { draft: courtyardDraft({ title: 'Made by the secretary' }) });
    expect(created.status).toBe(201);
    firstPoll = created.body.id;
  }, 60_000);
  afterAll(async () => {
    await running?.close();
  });

  it('lists the organisers by name with when each was made', async () => {
    const r = await first.get('/api/organisers');
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ organisers: [{ name: ORGANISER.name, created: expect.any(Number) }] });
  });

  it('makes an invitation link whose token is stored only as its hash', async () => {
    link = await invite(first, running);
    const token = tokenOf(link);
    secrets.push(token);
    const dump = JSON.stringify(dumpDatabase(running));
    expect(dump).not.toContain(token);
    expect(dump).not.toContain(Buffer.from(token).toString('hex'));
    expect(dump).toContain(createHash('sha256').update(token).digest('hex'));
  });

  it('the invitee checks the link (nothing used), chooses her name and password, and is signed in', async () => {
    second = new Client(running.base);
    const before = dumpDatabase(running);
    expect((await second.post('/api/account-links/check', { token: tokenOf(link) })).body).toEqual({ kind: 'invite' });
    expect(dumpDatabase(running)).toEqual(before);
    const r = await second.post('/api/account-links/invite', { token: tokenOf(link), ...SECOND });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    expect(r.body).toEqual({ organiser: { name: SECOND.name } });
    expect((await second.get('/api/session')).body).toEqual({ organiser: { name: SECOND.name } });
    expect((await first.get('/api/organisers')).body.organisers.map((o: { name: string }) => o.name)).toEqual([ORGANISER.name, SECOND.name]);
    // and she signs in with her password on another device
    await signIn(running, SECOND);
  });

  it('refuses the used invitation link, to check and to use, and writes nothing', async () => {
    const before = dumpDatabase(running);
    const c = new Client(running.base);
    expectRefusal(await c.post('/api/account-links/check', { token: tokenOf(link) }), 401, 'BAD_ACCOUNT_LINK');
    expectRefusal(await c.post('/api/account-links/invite', { token: tokenOf(link), name: 'third', password: 'a third long password' }), 401, 'BAD_ACCOUNT_LINK');
    expectRefusal(await c.post('/api/account-links/reset', { token: tokenOf(link), password: 'a third long password' }), 401, 'BAD_ACCOUNT_LINK');
    expect(dumpDatabase(running)).toEqual(before);
    expectRefusal(await c.get('/api/session'), 401, 'UNAUTHENTICATED');
  });

  it('both see and manage the same polls, and the list says who made each', async () => {
    const created = await second.post('/api/polls', { draft: courtyardDraft({ title: 'Made by the treasurer' }) });
    expect(created.status).toBe(201);
    for (const who of [first, second]) {
      const polls = (await who.get('/api/organiser/polls')).body.polls as { id: string; madeBy: string }[];
      expect(polls.map((p) => [p.id, p.madeBy])).toEqual([
        [firstPoll, ORGANISER.name],
        [created.body.id, SECOND.name],
      ]);
      // the drafts too, on the public list for a signed-in organiser
      expect(((await who.get('/api/polls')).body.polls as { id: string }[]).map((p) => p.id)).toEqual([firstPoll, created.body.id]);
    }
    const edited = await second.put(`/api/polls/${firstPoll}/draft`, { draft: courtyardDraft({ title: 'Edited by the treasurer' }) });
    expect(edited.status, JSON.stringify(edited.body)).toBe(200);
    expect((await first.get(`/api/polls/${firstPoll}`)).body.draft.title[0]).toBe('Edited by the treasurer');
    // nobody signed in still sees no draft
    expectRefusal(await new Client(running.base).get(`/api/polls/${firstPoll}`), 404, 'NOT_FOUND');
  });

  it('refuses a name already taken, writing nothing and keeping the link', async () => {
    const fresh = await invite(second, running);
    secrets.push(tokenOf(fresh), 'someone else entirely');
    const before = dumpDatabase(running);
    const c = new Client(running.base);
    const r = await c.post('/api/account-links/invite', { token: tokenOf(fresh), name: ORGANISER.name, password: 'someone else entirely' });
    expectRefusal(r, 409, 'NAME_TAKEN');
    expect(r.body.field).toBe('body.name');
    expect(dumpDatabase(running)).toEqual(before);
    expectRefusal(await c.get('/api/session'), 401, 'UNAUTHENTICATED');
    // the first organiser's password is untouched
    await signIn(running, ORGANISER);
    expect((await c.post('/api/account-links/check', { token: tokenOf(fresh) })).body).toEqual({ kind: 'invite' });
  });

  it('refuses a short password and a malformed token, writing nothing', async () => {
    const fresh = await invite(first, running);
    secrets.push(tokenOf(fresh));
    const before = dumpDatabase(running);
    const c = new Client(running.base);
    const short = await c.post('/api/account-links/invite', { token: tokenOf(fresh), name: 'third', password: 'short' });
    expectRefusal(short, 400, 'BAD_REQUEST');
    expect(short.body.field).toBe('body.password');
    expectRefusal(await c.post('/api/account-links/invite', { token: 'x', name: 'third', password: 'a long enough password' }), 400, 'BAD_REQUEST');
    expectRefusal(await c.post('/api/account-links/invite', { token: 'A'.repeat(43), name: 'third', password: 'a long enough password' }), 401, 'BAD_ACCOUNT_LINK');
    expect(dumpDatabase(running)).toEqual(before);
  });

  it('refuses every account route without a session, writing nothing', async () => {
    const before = dumpDatabase(running);
    const c = new Client(running.base);
    expectRefusal(await c.get('/api/organisers'), 401, 'UNAUTHENTICATED');
    expectRefusal(await c.post('/api/organisers/invites'), 401, 'UNAUTHENTICATED');
    expectRefusal(await c.put('/api/session/password', { current: ORGANISER.password, password: 'taken over password' }), 401, 'UNAUTHENTICATED');
    expectRefusal(await c.del('/api/sessions'), 401, 'UNAUTHENTICATED');
    expectRefusal(await c.get('/api/organiser/polls'), 401, 'UNAUTHENTICATED');
    // a session id made up by the caller is no session
    const planted = new Client(running.base, running.base, { cookie: `${SESSION_COOKIE}=${'B'.repeat(43)}` });
    expectRefusal(await planted.post('/api/organisers/invites'), 401, 'UNAUTHENTICATED');
    expect(dumpDatabase(running)).toEqual(before);
  });

  it('refuses an account write from a foreign Origin, even with a session, writing nothing', async () => {
    const before = dumpDatabase(running);
    const evil = new Client(running.base, 'http://evil.example');
    // the session cookie of the first organiser, sent by a foreign page
    (evil as unknown as { cookies: Map<string, string> }).cookies = new Map((first as unknown as { cookies: Map<string, string> }).cookies);
    expectRefusal(await evil.post('/api/organisers/invites'), 403, 'ORIGIN_REFUSED');
    expectRefusal(await evil.put('/api/session/password', { current: ORGANISER.password, password: 'taken over password' }), 403, 'ORIGIN_REFUSED');
    expectRefusal(await evil.del('/api/sessions'), 403, 'ORIGIN_REFUSED');
    expect(dumpDatabase(running)).toEqual(before);
  });

  it('writes no invitation token, password or session id to the log, even at trace level', () => {
    const log = lines.join('');
    expect(log).toContain('"path":"/api/account-links/invite"');
    expect(log).toContain('organiser joined by invitation');
    for (const secret of secrets) expect(log, secret).not.toContain(secret);
    for (const c of [first, second]) for (const id of (c as unknown as { cookies: Map<string, string> }).cookies.values()) expect(log).not.toContain(id);
  });
});

describe('changing a password and signing out everywhere', () => {
  let running: Running;
  const NEW = 'a brand new password';

  beforeAll(async () => {
    running = await startServer();
    const first = await organiser(running);
    const r = await new Client(running.base).post('/api/account-links/invite', { token: tokenOf(await invite(first, running)), ...SECOND });
    expect(r.status).toBe(201);
  }, 60_000);
  afterAll(async () => {
    await running?.close();
  });

  it('refuses a wrong current password and a short new one, writing nothing', async () => {
    const laptop = await signIn(running, SECOND);
    const phone = await signIn(running, SECOND);
    const before = dumpDatabase(running);
    const wrong = await laptop.put('/api/session/password', { current: 'not my password', password: NEW });
    expectRefusal(wrong, 403, 'WRONG_PASSWORD');
    expect(wrong.body.field).toBe('body.current');
    const short = await laptop.put('/api/session/password', { current: SECOND.password, password: 'too short' });
    expectRefusal(short, 400, 'BAD_REQUEST');
    expect(short.body.field).toBe('body.password');
    expect(dumpDatabase(running)).toEqual(before);
    expect((await phone.get('/api/session')).status).toBe(200);
  });

  it('after a change the old password is refused, her other session is ended, this one and others’ stay', async () => {
    const laptop = await signIn(running, SECOND);
    const phone = await signIn(running, SECOND);
    const colleague = await signIn(running, ORGANISER);
    const r = await laptop.put('/api/session/password', { current: SECOND.password, password: NEW });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect((await laptop.get('/api/session')).body).toEqual({ organiser: { name: SECOND.name } });
    expectRefusal(await phone.get('/api/session'), 401, 'UNAUTHENTICATED');
    expect((await colleague.get('/api/session')).status).toBe(200);
    expectRefusal(await new Client(running.base).post('/api/session', SECOND), 401, 'BAD_LOGIN');
    await signIn(running, { name: SECOND.name, password: NEW });
    // the old password no longer works as the current one either
    expectRefusal(await laptop.put('/api/session/password', { current: SECOND.password, password: 'yet another password' }), 403, 'WRONG_PASSWORD');
    SECOND_NOW.password = NEW;
  });

  it('signing out everywhere ends her sessions on two devices, and nobody else’s', async () => {
    const laptop = await signIn(running, SECOND_NOW);
    const phone = await signIn(running, SECOND_NOW);
    const colleague = await signIn(running, ORGANISER);
    const r = await phone.del('/api/sessions');
    expect(r.status).toBe(204);
    expect(r.headers.getSetCookie().join()).toMatch(/Max-Age=0/);
    expectRefusal(await laptop.get('/api/session'), 401, 'UNAUTHENTICATED');
    expectRefusal(await phone.get('/api/session'), 401, 'UNAUTHENTICATED');
    expect((await colleague.get('/api/session')).status).toBe(200);
    const sessions = dumpDatabase(running).sessions;
    expect(sessions.length).toBeGreaterThan(0);
    // what is left belongs to the first organiser (id 1)
    for (const s of sessions) expect(s).toContain('["organiser",1]');
  });
});

describe('gongshi admin on the server machine, while the server runs', () => {
  let running: Running;
  let first: Client;

  beforeAll(async () => {
    running = await startServer();
    first = await organiser(running);
  }, 60_000);
  afterAll(async () => {
    await running?.close();
  });

  it('reset-password prints a link; her old password works until it is used; the link works once', async () => {
    const phone = await signIn(running, ORGANISER);
    const run = await gongshi(['admin', 'reset-password', ORGANISER.name, '--data', running.dataDir, '--public-url', 'https://vote.example.org']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/https:\/\/vote\.example\.org, from --public-url/);
    const link = /https:\/\/vote\.example\.org\/reset-password#[A-Za-z0-9_-]{43}/.exec(run.stdout)![0];
    expect(JSON.stringify(dumpDatabase(running))).not.toContain(tokenOf(link));
    // printed, not used: nobody is locked out
    await signIn(running, ORGANISER);
    expect((await phone.get('/api/session')).status).toBe(200);

    const c = new Client(running.base);
    expect((await c.post('/api/account-links/check', { token: tokenOf(link) })).body).toEqual({ kind: 'reset', name: ORGANISER.name });
    const unchanged = dumpDatabase(running);
    const short = await c.post('/api/account-links/reset', { token: tokenOf(link), password: 'short' });
    expectRefusal(short, 400, 'BAD_REQUEST');
    expect(short.body.field).toBe('body.password');
    expect(dumpDatabase(running)).toEqual(unchanged);
    const used = await c.post('/api/account-links/reset', { token: tokenOf(link), password: 'the password after reset' });
    expect(used.status, JSON.stringify(used.body)).toBe(201);
    expect(used.body).toEqual({ organiser: { name: ORGANISER.name } });
    expect((await c.get('/api/session')).status).toBe(200);
    // her sessions from before have ended, her old password is refused, the new one works
    expectRefusal(await phone.get('/api/session'), 401, 'UNAUTHENTICATED');
    expectRefusal(await first.get('/api/session'), 401, 'UNAUTHENTICATED');
    expectRefusal(await new Client(running.base).post('/api/session', ORGANISER), 401, 'BAD_LOGIN');
    await signIn(running, { name: ORGANISER.name, password: 'the password after reset' });

    const before = dumpDatabase(running);
    expectRefusal(await c.post('/api/account-links/reset', { token: tokenOf(link), password: 'a second reset password' }), 401, 'BAD_ACCOUNT_LINK');
    expectRefusal(await c.post('/api/account-links/check', { token: tokenOf(link) }), 401, 'BAD_ACCOUNT_LINK');
    expect(dumpDatabase(running)).toEqual(before);
    first = await signIn(running, { name: ORGANISER.name, password: 'the password after reset' });
  }, 60_000);

  it('a reset link is not an invitation, and an invitation is not a reset link; nothing is written', async () => {
    const run = await gongshi(['admin', 'reset-password', ORGANISER.name, '--data', running.dataDir]);
    expect(run.code, run.stderr).toBe(0);
    const resetToken = tokenOf(/\S+\/reset-password#\S+/.exec(run.stdout)![0]);
    const inviteToken = tokenOf(await invite(first, running));
    const before = dumpDatabase(running);
    const c = new Client(running.base);
    expectRefusal(await c.post('/api/account-links/invite', { token: resetToken, name: 'intruder', password: 'an intruder password' }), 401, 'BAD_ACCOUNT_LINK');
    expectRefusal(await c.post('/api/account-links/reset', { token: inviteToken, password: 'an intruder password' }), 401, 'BAD_ACCOUNT_LINK');
    expect(dumpDatabase(running)).toEqual(before);
  }, 60_000);

  it('invite prints an invitation with the address it used (GONGSHI_PUBLIC_URL, else the default) that works once', async () => {
    const fromEnv = await gongshi(['admin', 'invite', '--data', running.dataDir], { GONGSHI_PUBLIC_URL: 'https://committee.example.org/' });
    expect(fromEnv.code, fromEnv.stderr).toBe(0);
    expect(fromEnv.stdout).toMatch(/https:\/\/committee\.example\.org, from GONGSHI_PUBLIC_URL/);
    expect(fromEnv.stdout).toMatch(/https:\/\/committee\.example\.org\/join#[A-Za-z0-9_-]{43}/);
    const byDefault = await gongshi(['admin', 'invite', '--data', running.dataDir]);
    expect(byDefault.code, byDefault.stderr).toBe(0);
    expect(byDefault.stdout).toMatch(/http:\/\/127\.0\.0\.1:3000, from the default/);
    const link = /http:\/\/127\.0\.0\.1:3000\/join#[A-Za-z0-9_-]{43}/.exec(byDefault.stdout)![0];
    const c = new Client(running.base);
    expect((await c.post('/api/account-links/invite', { token: tokenOf(link), name: 'caretaker', password: 'caretaker password here' })).status).toBe(201);
    expect((await first.get('/api/organisers')).body.organisers.map((o: { name: string }) => o.name)).toContain('caretaker');
    expectRefusal(await new Client(running.base).post('/api/account-links/invite', { token: tokenOf(link), name: 'caretaker two', password: 'caretaker password here' }), 401, 'BAD_ACCOUNT_LINK');
  }, 60_000);

  it('refuses an unknown name with exit code 1 and writes nothing; a missing database, too', async () => {
    const before = dumpDatabase(running);
    const run = await gongshi(['admin', 'reset-password', 'nobody-by-this-name', '--data', running.dataDir]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/no organiser named "nobody-by-this-name".*Nothing was written/);
    expect(run.stdout).toBe('');
    expect(dumpDatabase(running)).toEqual(before);
    const empty = tempDir('no-database');
    const none = await gongshi(['admin', 'invite', '--data', empty]);
    expect(none.code).toBe(1);
    expect(none.stderr).toMatch(/no server database at .*Nothing was written/);
  }, 60_000);

  it('prints its usage and exits 2 with no command, a wrong one, a missing NAME or a bad option', async () => {
    for (const args of [['admin'], ['admin', 'frobnicate'], ['admin', 'reset-password'], ['admin', 'invite', 'extra'], ['admin', 'invite', '--fast'], ['admin', 'invite', '--public-url', 'vote.example.org/path']]) {
      const run = await gongshi([...args, ...(args.includes('--fast') ? [] : ['--data', running.dataDir])]);
      expect(run.code, args.join(' ')).toBe(2);
      expect(run.stderr).toMatch(/usage: gongshi admin/);
      expect(run.stdout).toBe('');
    }
  }, 120_000);
});

describe('links expire, and guessing is limited per address and per name', () => {
  let running: Running;
  let now = Date.now();
  const LIMIT = { burst: 3, perMinute: 1 };

  beforeAll(async () => {
    running = await startServer({ limits: { login: LIMIT }, clock: () => now });
  }, 60_000);
  afterAll(async () => {
    await running?.close();
  });

  it('refuses an invitation after 7 days, writing nothing', async () => {
    const first = await organiser(running); // one sign-in from this address
    const link = await invite(first, running);
    now += SETUP_TOKEN_MS + 1;
    const before = dumpDatabase(running);
    const c = new Client(running.base);
    expectRefusal(await c.post('/api/account-links/check', { token: tokenOf(link) }), 401, 'BAD_ACCOUNT_LINK');
    expectRefusal(await c.post('/api/account-links/invite', { token: tokenOf(link), ...SECOND }), 401, 'BAD_ACCOUNT_LINK');
    expect(dumpDatabase(running)).toEqual(before);
    now += 3 * 60_000; // the buckets refill
  });

  it('refuses a reset link from the command line once its 7 days are over on the server’s clock, writing nothing', async () => {
    const run = await gongshi(['admin', 'reset-password', ORGANISER.name, '--data', running.dataDir]);
    expect(run.code, run.stderr).toBe(0);
    const token = tokenOf(/\S+\/reset-password#\S+/.exec(run.stdout)![0]);
    // made at the real time; the server's clock is already more than 7 days later
    const before = dumpDatabase(running);
    const c = new Client(running.base);
    expectRefusal(await c.post('/api/account-links/check', { token }), 401, 'BAD_ACCOUNT_LINK');
    expectRefusal(await c.post('/api/account-links/reset', { token, password: 'a password too late' }), 401, 'BAD_ACCOUNT_LINK');
    expect(dumpDatabase(running)).toEqual(before);
    expect((await c.post('/api/session', ORGANISER)).status).toBe(201);
    now += 3 * 60_000;
  }, 60_000);

  it('limits guesses at link tokens per address, as sign-ins are', async () => {
    const c = new Client(running.base);
    for (let i = 0; i < LIMIT.burst; i++) expectRefusal(await c.post('/api/account-links/check', { token: `guess${i}`.padEnd(43, 'A') }), 401, 'BAD_ACCOUNT_LINK');
    const limited = await c.post('/api/account-links/check', { token: 'another guess'.padEnd(43, 'A') });
    expectRefusal(limited, 429, 'RATE_LIMITED');
    expect(limited.headers.get('retry-after')).toMatch(/^[1-9][0-9]*$/);
    now += 3 * 60_000;
  });

  it('limits guesses at one name from many addresses, even with the right password', async () => {
    const guesses = ['127.0.0.2', '127.0.0.3', '127.0.0.4'].map((address, i) => postFrom(address, `${running.base}/api/session`, { name: ORGANISER.name, password: `wrong guess ${i}` }, { origin: running.base }));
    for (const r of await Promise.all(guesses)) expect(r.body.error).toBe('BAD_LOGIN');
    const fourth = await postFrom('127.0.0.5', `${running.base}/api/session`, ORGANISER, { origin: running.base });
    expect(fourth.status).toBe(429);
    expect(fourth.body.error).toBe('RATE_LIMITED');
    // another name from a fresh address is not held up
    expect((await postFrom('127.0.0.6', `${running.base}/api/session`, { name: 'someone else', password: 'any guess at all' }, { origin: running.base })).body.error).toBe('BAD_LOGIN');
    now += 3 * 60_000;
    expect((await postFrom('127.0.0.5', `${running.base}/api/session`, ORGANISER, { origin: running.base })).status).toBe(201);
  });
});

/** POSTs JSON from a chosen local address (a client address of its own for the limits per address). */
function postFrom(localAddress: string, url: string, body: unknown, headers: Record<string, string>): Promise<{ status: number; body: any }> {
  return new Promise((done, fail) => {
    const text = JSON.stringify(body);
    const req = httpRequest(url, { method: 'POST', localAddress, headers: { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(text)), ...headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => done({ status: res.statusCode ?? 0, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) }));
    });
    req.on('error', fail);
    req.end(text);
  });
}
