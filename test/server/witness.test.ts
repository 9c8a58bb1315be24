/**
 * `gongshi witness` (spec §B.3.9–B.3.10) against a real server over a real SQLite file: a witness
 * cosigns an honest board and the board publishes its cosignatures; a board that equivocates (two
 * roots at one size, a fork, a rollback, a proof that does not verify) is caught, its evidence kept,
 * and never cosigned again. The lying board is a proxy in front of the real one that rewrites answers,
 * signing its forgeries with the poll's real log key. The CLI runs as a real process.
 */
import { execFile, spawn } from 'node:child_process';
import { chmodSync, existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seededRandom, type Answer, type RandomSource } from '../../crypto/index.ts';
import {
  SIG_TYPE_COSIGNATURE_V1,
  cosignCheckpoint,
  decodeCheckpoint,
  encodeVerifierKey,
  parseNote,
  parseVerifierKey,
  signCheckpoint,
  signerKeyFromSeed,
  verifierKeyOf,
  verifyCheckpoint,
  verifyCosignature,
  type SignerKey,
} from '../../bulletin-board/index.ts';
import { BoardError, KEY_FILE, PollUrlError, Witness, WitnessStateError, defaultWitnessName, parsePollUrl, pollStateFile, type FollowOutcome } from '../../server/witness/index.ts';
import { castBallot, courtyardDraft, openPoll, startServer, tempDir, type Client, type Running, type Voter } from './support.ts';

const BIN = resolve(import.meta.dirname, '../../server/bin/gongshi.js');
const ANSWERS: Answer[] = [{ values: [1, 0, 0] }, { values: [1, 0, 0, 0] }, { values: [1, 0, 0] }];

let running: Running;
let owner: Client;
let poll: string;
let voters: Voter[];
let rng: RandomSource;
let proxy: Proxy;
let casts = 0;

/**
 * B.1.4 only the witnesses a poll's manifest names may cosign it: every witness these tests run has its
 * state folder (and key) made before the poll is published, and the manifest names them all (k = 0).
 */
const LISTED = ['honest-witness', 'cli-witness', 'cli-witness-2', 'cli-follow', ...Array.from({ length: 12 }, (_, i) => `test-witness-${i + 1}`)]; // 16, the most a manifest names
const stateDirs = new Map<string, string>();
let freshCount = 0;

/** The state folder made for the listed witness `name` (its key only: a first contact with the poll). */
function listedDir(name: string): string {
  const dir = stateDirs.get(name);
  if (dir === undefined) throw new Error(`no state folder for ${name}`);
  return dir;
}

beforeAll(async () => {
  running = await startServer();
  const keys = LISTED.map((name) => {
    const dir = tempDir('witness');
    stateDirs.set(name, dir);
    return Witness.open(dir, { name }).vkey;
  });
  const draft = { ...courtyardDraft({ maxBallots: 20 }), witnesses: { keys, k: 0 } };
  ({ owner, poll, voters } = await openPoll(running, { voters: 3, draft }));
  rng = seededRandom('witness test ballots');
  proxy = await startProxy(running.base);
});

afterAll(async () => {
  await proxy?.close();
  await running?.close();
});

/** Casts `n` ballots, voter after voter, so that the board grows. */
async function cast(n: number): Promise<void> {
  for (let i = 0; i < n; i++) {
    const made = await voters[casts++ % voters.length].ballot(owner, ANSWERS, rng);
    const r = await castBallot(owner, poll, made.bytes);
    expect(r.status, JSON.stringify(r.body)).toBe(201);
  }
}

const logKey = (): SignerKey => running.app.polls.get(poll).logKey;
const boardSize = (): number => running.app.polls.get(poll).requireBoard().size;

/** A checkpoint of `size` entries signed with the poll's real log key over a root the board never had. */
function forge(size: number, key: SignerKey = logKey()): string {
  return signCheckpoint({ origin: key.name, size, rootHash: new Uint8Array(32).fill(0xa5), extensions: [] }, key);
}

const cosigned = (o: FollowOutcome) => (o.kind === 'cosigned' ? o : expect.unreachable(`expected a cosignature, got ${JSON.stringify(o)}`));
const equivocation = (o: FollowOutcome) => (o.kind === 'equivocation' ? o : expect.unreachable(`expected an equivocation, got ${JSON.stringify(o)}`));

/** A witness over a fresh state folder, and the poll seen through the lying proxy. */
function freshWitness() {
  const dir = listedDir(`test-witness-${++freshCount}`);
  return { dir, w: Witness.open(dir), url: parsePollUrl(`${proxy.base}/api/polls/${poll}`) };
}

// ---------------------------------------------------------------------------------------------------
// A proxy in front of the real server that can rewrite the board's answers.

interface Proxy {
  readonly base: string;
  /** every request path (with query) it forwarded, in order */
  readonly seen: string[];
  /** the number of cosignatures posted through it */
  posts: number;
  /** answer every post with 503, forwarding nothing */
  failPosts: boolean;
  rewrite: { checkpoint?: (body: any) => any; consistency?: (body: any) => any } | null;
  close(): Promise<void>;
}

async function startProxy(target: string): Promise<Proxy> {
  const server: Server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    p.seen.push(req.url!);
    if (req.method === 'POST') p.posts += 1;
    if (req.method === 'POST' && p.failPosts) return void res.writeHead(503, { 'content-type': 'application/json' }).end('{"error":"UNAVAILABLE","message":"try later"}');
    const answer = await fetch(`${target}${req.url}`, {
      method: req.method,
      headers: req.headers['content-type'] ? { 'content-type': req.headers['content-type'] } : {},
      body: req.method === 'GET' ? undefined : Buffer.concat(chunks),
    });
    let text = await answer.text();
    const path = new URL(req.url!, 'http://proxy').pathname;
    if (answer.ok && p.rewrite?.checkpoint && path.endsWith('/checkpoint')) text = JSON.stringify(p.rewrite.checkpoint(JSON.parse(text)));
    if (answer.ok && p.rewrite?.consistency && path.endsWith('/proofs/consistency')) text = JSON.stringify(p.rewrite.consistency(JSON.parse(text)));
    res.writeHead(answer.status, { 'content-type': 'application/json' }).end(text);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const address = server.address() as { port: number };
  const p: Proxy = {
    base: `http://127.0.0.1:${address.port}`,
    seen: [],
    posts: 0,
    failPosts: false,
    rewrite: null,
    close: () => new Promise((r) => server.close(() => r())),
  };
  return p;
}

/** A URL on which nothing listens: a port that was just free. */
async function deadUrl(): Promise<string> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as { port: number }).port;
  await new Promise((r) => s.close(r));
  return `http://127.0.0.1:${port}/poll/${poll}`;
}

// ---------------------------------------------------------------------------------------------------

describe('poll URLs', () => {
  const id = 'ab'.repeat(16);
  it('accepts the page URL and the API URL, with a path prefix and a trailing slash', () => {
    expect(parsePollUrl(`http://127.0.0.1:3000/poll/${id}`)).toEqual({ poll: id, api: `http://127.0.0.1:3000/api/polls/${id}` });
    expect(parsePollUrl(`https://vote.example.org/api/polls/${id}/`)).toEqual({ poll: id, api: `https://vote.example.org/api/polls/${id}` });
    expect(parsePollUrl(`https://example.org/gongshi/poll/${id}`)).toEqual({ poll: id, api: `https://example.org/gongshi/api/polls/${id}` });
  });

  it.each([
    ['not a URL', 'poll/' + id],
    ['another scheme', `ftp://example.org/poll/${id}`],
    ['a short id', `http://example.org/poll/${id.slice(2)}`],
    ['an upper-case id', `http://example.org/poll/${id.toUpperCase()}`],
    ['another page', `http://example.org/polls/${id}`],
    ['a path after the id', `http://example.org/api/polls/${id}/checkpoint`],
    ['a query', `http://example.org/poll/${id}?x=1`],
    ['credentials', `http://me:pw@example.org/poll/${id}`],
  ])('refuses %s', (_why, text) => {
    expect(() => parsePollUrl(text)).toThrow(PollUrlError);
  });
});

describe('a witness the poll does not name', () => {
  it('reads the manifest the checkpoint commits to, and cosigns nothing: not listed, with the poll’s fingerprint', async () => {
    const w = Witness.open(tempDir('witness'), { name: 'unlisted-witness' });
    const before = running.app.polls.get(poll).requireBoard().size;
    const outcome = await w.followOnce(parsePollUrl(`${running.base}/poll/${poll}`));
    expect(outcome).toMatchObject({ kind: 'not-listed', reason: expect.stringMatching(/does not name this witness/) });
    expect((outcome as { fingerprint: string }).fingerprint).toMatch(/^([0-9A-Z]{4} ){12}[0-9A-Z]{4}$/);
    const published = (await (await fetch(`${running.base}/api/polls/${poll}/checkpoint`)).json()) as { cosignatures: { witness: string }[] };
    expect(published.cosignatures.map((c) => c.witness)).not.toContain(w.vkey);
    expect(running.app.polls.get(poll).requireBoard().size).toBe(before);
  });

  it('the command says so and exits 3', async () => {
    const r = await gongshi(['witness', `${running.base}/poll/${poll}`, '--once', '--state', tempDir('witness-cli'), '--name', 'unlisted-cli']);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/NOT COSIGNED: poll [0-9a-f]{32} \(fingerprint [0-9A-Z ]+\): the manifest does not name this witness’s key/);
  });
});

describe('a witness of an honest board', () => {
  let dir: string;
  let vkey: string;
  let lastSize: number;

  it('cosigns it, and the board publishes the cosignature beside its checkpoint', async () => {
    dir = listedDir('honest-witness');
    const w = Witness.open(dir, { name: 'honest-witness' });
    vkey = w.vkey;
    const url = parsePollUrl(`${running.base}/poll/${poll}`);
    const first = cosigned(await w.followOnce(url));
    expect(first.size).toBe(boardSize());
    await cast(2);
    const second = cosigned(await w.followOnce(url));
    expect(second.size).toBe(first.size + 2);
    lastSize = second.size;

    const published = (await owner.get(`/api/polls/${poll}/checkpoint`)).body;
    const mine = published.cosignatures.filter((c: { witness: string }) => c.witness === vkey);
    expect(mine).toHaveLength(1);
    expect(mine[0].size).toBe(second.size);
    const witnessKey = parseVerifierKey(vkey);
    expect(witnessKey.sigType).toBe(SIG_TYPE_COSIGNATURE_V1);
    expect(verifyCosignature(mine[0].cosigned, witnessKey)).toEqual({ ok: true, timestamp: second.timestamp });
    expect(verifyCheckpoint(mine[0].cosigned, parseVerifierKey(published.logKey)).ok).toBe(true);
    expect(parseNote(mine[0].cosigned).text).toBe(parseNote(published.checkpoint).text);
    // Its cosignature line (the last) moved onto the earlier checkpoint does not verify there.
    const line = mine[0].cosigned.trimEnd().split('\n').at(-1);
    expect(line).toMatch(/^— honest-witness /);
    const earlier = running.app.polls.get(poll).requireBoard().checkpointAt(first.size)!;
    expect(verifyCosignature(`${earlier}${line}\n`, witnessKey)).toEqual({ ok: false, reason: 'invalid-signature' });

    expect(await w.followOnce(url)).toEqual({ kind: 'unchanged', size: second.size, root: second.root });
  });

  it('keeps its key (mode 0600) and its place across a restart, and checks the next checkpoint against the saved one', async () => {
    expect(statSync(join(dir, KEY_FILE)).mode & 0o777).toBe(0o600);
    const again = Witness.open(dir);
    expect(again.vkey).toBe(vkey);
    const saved = again.pollState(poll)!;
    expect(decodeCheckpoint(parseNote(saved.checkpoint!).text).size).toBe(lastSize);
    expect(saved.posted).toBe(lastSize);

    const url = parsePollUrl(`${proxy.base}/poll/${poll}`);
    expect((await again.followOnce(url)).kind).toBe('unchanged');
    await cast(1);
    const seen = proxy.seen.length;
    expect(cosigned(await again.followOnce(url)).size).toBe(lastSize + 1);
    expect(proxy.seen.slice(seen)).toContain(`/api/polls/${poll}/proofs/consistency?from=${lastSize}&to=${lastSize + 1}`);
    const published = (await owner.get(`/api/polls/${poll}/checkpoint`)).body;
    expect(published.cosignatures.find((c: { witness: string }) => c.witness === vkey).size).toBe(lastSize + 1);
  });

  it('refuses to take another name for the key it has', () => {
    expect(() => Witness.open(dir, { name: 'someone-else' })).toThrow(WitnessStateError);
  });

  it('refuses a state folder whose saved checkpoint no longer verifies, or whose key others can read', () => {
    const file = pollStateFile(dir, poll);
    const good = readFileSync(file, 'utf8');
    const state = JSON.parse(good);
    try {
      writeFileSync(file, JSON.stringify({ ...state, checkpoint: state.checkpoint.replace(/\n(\d+)\n/, (_: string, n: string) => `\n${Number(n) + 1}\n`) }));
      expect(() => Witness.open(dir).pollState(poll)).toThrow(/damaged: checkpoint: does not verify/);
      writeFileSync(file, '{"version":1,');
      expect(() => Witness.open(dir).pollState(poll)).toThrow(WitnessStateError);
    } finally {
      writeFileSync(file, good);
    }
    expect(Witness.open(dir).pollState(poll)!.checkpoint).toBe(state.checkpoint);
    chmodSync(join(dir, KEY_FILE), 0o640);
    try {
      expect(() => Witness.open(dir)).toThrow(/open to other users/);
    } finally {
      chmodSync(join(dir, KEY_FILE), 0o600);
    }
  });

  it('names itself after the host by default, as a valid key name', () => {
    expect(defaultWitnessName('box 1+2')).toBe('witness-box-1-2');
    const w = Witness.open(tempDir('witness'));
    expect(w.key.name).toBe(defaultWitnessName());
  });

  it('reports an unreachable board as a BoardError and saves nothing', async () => {
    const { dir: d, w } = freshWitness();
    await expect(w.followOnce(parsePollUrl(await deadUrl()))).rejects.toThrow(BoardError);
    expect(existsSync(pollStateFile(d, poll))).toBe(false);
  });

  it('posts its cosignature again when the board did not take it the first time', async () => {
    const { w, url } = freshWitness();
    proxy.failPosts = true;
    try {
      await expect(w.followOnce(url)).rejects.toThrow(/HTTP 503/);
    } finally {
      proxy.failPosts = false;
    }
    // The checkpoint was verified and saved; the cosignature is still owed.
    expect(w.pollState(poll)).toMatchObject({ posted: 0 });
    const size = boardSize();
    expect(cosigned(await w.followOnce(url)).size).toBe(size);
    expect(w.pollState(poll)).toMatchObject({ posted: size });
    const published = (await owner.get(`/api/polls/${poll}/checkpoint`)).body;
    expect(published.cosignatures.find((c: { witness: string }) => c.witness === w.vkey)?.size).toBe(size);
  });
});

describe('a witness of an equivocating board', () => {
  it('refuses two checkpoints of one size with different roots, keeps both as evidence, and refuses again later', async () => {
    const { dir, w, url } = freshWitness();
    const honest = cosigned(await w.followOnce(url));
    const real = running.app.polls.get(poll).requireBoard().checkpointAt(honest.size)!;
    const forged = forge(honest.size);
    proxy.rewrite = { checkpoint: (b) => ({ ...b, checkpoint: forged }) };
    const posts = proxy.posts;
    try {
      const found = equivocation(await w.followOnce(url));
      expect(found.known).toBe(false);
      expect(found.record).toMatchObject({ kind: 'same-size-different-root', saved: real, received: forged, proof: [] });
      const key = verifierKeyOf(logKey());
      expect(verifyCheckpoint(found.record.saved, key).ok && verifyCheckpoint(found.record.received, key).ok).toBe(true);
      expect(proxy.posts).toBe(posts);
      const onDisk = JSON.parse(readFileSync(pollStateFile(dir, poll), 'utf8'));
      expect(onDisk.equivocation).toMatchObject({ kind: 'same-size-different-root', saved: real, received: forged });
    } finally {
      proxy.rewrite = null;
    }
    // Later, a new instance over the same folder, before an honest board: it refuses without asking.
    const seen = proxy.seen.length;
    const again = equivocation(await Witness.open(dir).followOnce(url));
    expect(again.known).toBe(true);
    expect(again.record.received).toBe(forged);
    expect(proxy.seen.length).toBe(seen);
    expect(proxy.posts).toBe(posts);
  });

  it('catches a fork: a larger checkpoint whose consistency proof from the saved one does not verify', async () => {
    const { w, url } = freshWitness();
    const honest = cosigned(await w.followOnce(url));
    await cast(1);
    const forged = forge(honest.size + 1);
    proxy.rewrite = { checkpoint: (b) => ({ ...b, checkpoint: forged }) };
    const posts = proxy.posts;
    try {
      const found = equivocation(await w.followOnce(url));
      const realPath = running.app.polls.get(poll).requireBoard().consistencyProof(honest.size, honest.size + 1).path;
      expect(realPath.length).toBeGreaterThan(0);
      expect(found.record).toMatchObject({ kind: 'no-valid-consistency-proof', received: forged, proof: realPath.map((h) => Buffer.from(h).toString('hex')) });
      expect(proxy.posts).toBe(posts);
    } finally {
      proxy.rewrite = null;
    }
    expect(equivocation(await w.followOnce(url)).record.received).toBe(forged);
  });

  it.each([
    ['one bit of a hash flipped', (path: string[]) => [`${path[0].slice(0, -1)}${(parseInt(path[0].slice(-1), 16) ^ 1).toString(16)}`, ...path.slice(1)]],
    ['a hash dropped', (path: string[]) => path.slice(1)],
    ['a hash that is not hex', (path: string[]) => ['zz', ...path.slice(1)]],
  ])('catches a consistency proof that does not verify: %s', async (_why, mutate) => {
    const { dir, w, url } = freshWitness();
    cosigned(await w.followOnce(url));
    await cast(1);
    let sent: string[] = [];
    proxy.rewrite = { consistency: (b) => ({ ...b, path: (sent = mutate(b.path)) }) };
    const posts = proxy.posts;
    try {
      const found = equivocation(await w.followOnce(url));
      expect(found.record.kind).toBe('no-valid-consistency-proof');
      expect(found.record.proof).toEqual(sent);
      expect(proxy.posts).toBe(posts);
    } finally {
      proxy.rewrite = null;
    }
    expect(equivocation(await Witness.open(dir).followOnce(url)).known).toBe(true);
  });

  it('catches a rollback: a smaller checkpoint after a larger one', async () => {
    const { dir, w, url } = freshWitness();
    const honest = cosigned(await w.followOnce(url));
    const board = running.app.polls.get(poll).requireBoard();
    let older = honest.size - 1;
    while (board.checkpointAt(older) === null) older -= 1;
    const old = board.checkpointAt(older)!;
    proxy.rewrite = { checkpoint: (b) => ({ ...b, size: older, checkpoint: old }) };
    const posts = proxy.posts;
    try {
      const found = equivocation(await w.followOnce(url));
      expect(found.record).toMatchObject({ kind: 'rollback', saved: board.checkpointAt(honest.size), received: old });
      expect(proxy.posts).toBe(posts);
    } finally {
      proxy.rewrite = null;
    }
    expect(equivocation(await Witness.open(dir).followOnce(url)).record.kind).toBe('rollback');
  });

  it('raises an alarm on a log key other than the one pinned at first contact, and cosigns nothing', async () => {
    const { w, url } = freshWitness();
    const honest = cosigned(await w.followOnce(url));
    const other = signerKeyFromSeed(logKey().name, new Uint8Array(32).fill(9));
    const otherVkey = encodeVerifierKey(verifierKeyOf(other));
    proxy.rewrite = { checkpoint: (b) => ({ ...b, logKey: otherVkey, checkpoint: forge(honest.size, other) }) };
    const posts = proxy.posts;
    try {
      expect(await w.followOnce(url)).toEqual({ kind: 'key-changed', pinned: encodeVerifierKey(verifierKeyOf(logKey())), received: otherVkey });
      expect(proxy.posts).toBe(posts);
    } finally {
      proxy.rewrite = null;
    }
    // Not evidence against the log (anyone can make a key): nothing is recorded, the witness goes on.
    expect(w.pollState(poll)!.equivocation).toBeNull();
    expect((await w.followOnce(url)).kind).toBe('unchanged');
  });

  it('refuses a checkpoint the pinned log key did not sign, as an unusable answer', async () => {
    const { w, url } = freshWitness();
    const honest = cosigned(await w.followOnce(url));
    const other = signerKeyFromSeed(logKey().name, new Uint8Array(32).fill(10));
    proxy.rewrite = { checkpoint: (b) => ({ ...b, checkpoint: forge(honest.size, other) }) };
    const before = readFileSync(pollStateFile(w.stateDir, poll), 'utf8');
    try {
      await expect(w.followOnce(url)).rejects.toThrow(/does not verify with the log key/);
    } finally {
      proxy.rewrite = null;
    }
    expect(readFileSync(pollStateFile(w.stateDir, poll), 'utf8')).toBe(before);
  });

  it('refuses, without crashing, a checkpoint that already carries a signature by its own key', async () => {
    const { w, url } = freshWitness();
    const signed = cosignCheckpoint(running.app.polls.get(poll).requireBoard().latestCheckpoint()!, w.key, 1);
    proxy.rewrite = { checkpoint: (b) => ({ ...b, checkpoint: signed }) };
    const posts = proxy.posts;
    try {
      await expect(w.followOnce(url)).rejects.toThrow(/cannot cosign the board's checkpoint: signatures: two signatures by key test-witness-\d+\+/);
    } finally {
      proxy.rewrite = null;
    }
    expect(proxy.posts).toBe(posts);
  });

  it('refuses, at first contact, a log key that does not name the poll', async () => {
    const { dir, w, url } = freshWitness();
    const stranger = signerKeyFromSeed(`elsewhere.example/poll/${'0'.repeat(32)}`, new Uint8Array(32).fill(11));
    proxy.rewrite = { checkpoint: (b) => ({ ...b, logKey: encodeVerifierKey(verifierKeyOf(stranger)), checkpoint: forge(1, stranger) }) };
    try {
      await expect(w.followOnce(url)).rejects.toThrow(/does not end in \/poll\//);
    } finally {
      proxy.rewrite = null;
    }
    expect(existsSync(pollStateFile(dir, poll))).toBe(false);
  });
});

// ---------------------------------------------------------------------------------------------------
// The command, as a real process.

interface Ran {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

function gongshi(args: string[]): Promise<Ran> {
  return new Promise((done) => {
    execFile('node', [BIN, ...args], { timeout: 60_000 }, (error, stdout, stderr) => {
      done({ code: error ? ((error as { code?: number }).code ?? -1) : 0, stdout, stderr });
    });
  });
}

const noStack = (r: Ran) => expect(r.stderr).not.toMatch(/\n\s+at /);

describe('gongshi witness', () => {
  it('cosigns an honest board once: exit 0, one line; a second run finds nothing new', async () => {
    const state = listedDir('cli-witness');
    const url = `${running.base}/poll/${poll}`;
    const r = await gongshi(['witness', url, '--once', '--state', state, '--name', 'cli-witness']);
    expect(r.code, r.stderr).toBe(0);
    const root = Buffer.from(decodeCheckpoint(parseNote(running.app.polls.get(poll).requireBoard().latestCheckpoint()!).text).rootHash).toString('hex');
    expect(r.stdout).toBe(`cosigned ${boardSize()} entries, root ${root.slice(0, 16)}\n`);
    expect(r.stderr).toMatch(/witness key cli-witness\+[0-9a-f]{8}\+/);
    const again = await gongshi(['witness', url, '--once', '--state', state]);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toBe('');
    expect(again.stderr).toMatch(/no new checkpoint/);
  });

  it('exits 3 with the evidence on an equivocating board, and again on the next run', async () => {
    const state = listedDir('cli-witness-2');
    const url = `${proxy.base}/api/polls/${poll}`;
    expect((await gongshi(['witness', url, '--once', '--state', state])).code).toBe(0);
    const real = running.app.polls.get(poll).requireBoard().latestCheckpoint()!;
    const forged = forge(boardSize());
    proxy.rewrite = { checkpoint: (b) => ({ ...b, checkpoint: forged }) };
    let r: Ran;
    try {
      r = await gongshi(['witness', url, '--once', '--state', state]);
    } finally {
      proxy.rewrite = null;
    }
    expect(r.code, r.stderr).toBe(3);
    expect(r.stdout).toContain(real.trimEnd());
    expect(r.stdout).toContain(forged.trimEnd());
    expect(r.stdout).toMatch(/^EQUIVOCATION \(same-size-different-root\)/);
    expect(r.stderr).toMatch(/EQUIVOCATION on poll [0-9a-f]{32}: the board signed two different checkpoints of \d+ entries/);
    expect(r.stderr).toContain('will not cosign this poll again');
    noStack(r);
    const again = await gongshi(['witness', url, '--once', '--state', state]);
    expect(again.code).toBe(3);
    expect(again.stderr).toBe(r.stderr);
    expect(again.stdout).toBe(r.stdout);
  });

  it.each([
    ['no URL', []],
    ['a URL that names no poll', ['http://127.0.0.1:3000/elections/7']],
    ['an unknown option', [`http://127.0.0.1:3000/poll/${'ab'.repeat(16)}`, '--forever']],
    ['an interval of 0', [`http://127.0.0.1:3000/poll/${'ab'.repeat(16)}`, '--interval', '0']],
    ['a name with a space', [`http://127.0.0.1:3000/poll/${'ab'.repeat(16)}`, '--name', 'my witness']],
  ])('exits 2 on a usage error: %s, with no stack trace', async (_why, args) => {
    const r = await gongshi(['witness', ...args, '--once', '--state', tempDir('witness-cli')]);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toContain('usage: gongshi witness URL');
    noStack(r);
  });

  it('prints its options for --help', async () => {
    const r = await gongshi(['witness', '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^usage: gongshi witness URL/);
    for (const option of ['--state DIR', '--name NAME', '--interval SECONDS', '--once']) expect(r.stdout).toContain(`  ${option}`);
  });

  it('exits 1 with --once when the board cannot be reached', async () => {
    const r = await gongshi(['witness', await deadUrl(), '--once', '--state', tempDir('witness-cli')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/cannot reach http:\/\/127\.0\.0\.1:\d+\/api\/polls\/[0-9a-f]{32}\/checkpoint: ECONNREFUSED/);
    noStack(r);
  });

  it('follows the board until SIGTERM, one line per new checkpoint, and exits 0', async () => {
    const child = follow(`${running.base}/poll/${poll}`);
    try {
      expect(await child.lines(1), child.stderr()).toEqual([expect.stringMatching(new RegExp(`^cosigned ${boardSize()} entries`))]);
      await cast(1);
      expect((await child.lines(2))[1]).toMatch(new RegExp(`^cosigned ${boardSize()} entries`));
    } finally {
      child.kill('SIGTERM');
    }
    expect(await child.exited).toBe(0);
    expect(child.stderr()).not.toMatch(/\n\s+at /);
  });

  it('keeps trying an unreachable board while following, until SIGINT', async () => {
    const child = follow(await deadUrl());
    try {
      for (let i = 0; i < 200 && (child.stderr().match(/trying again in 1 s/g) ?? []).length < 2; i++) await new Promise((r) => setTimeout(r, 50));
      expect(child.stderr().match(/cannot reach .*: ECONNREFUSED \(trying again in 1 s\)/g)?.length).toBeGreaterThanOrEqual(2);
    } finally {
      child.kill('SIGINT');
    }
    expect(await child.exited).toBe(0);
  });
});

/** `gongshi witness URL --interval 1` as a running process, with what it has printed so far. */
function follow(url: string) {
  const child = spawn('node', [BIN, 'witness', url, '--interval', '1', '--state', listedDir('cli-follow')]);
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  return {
    exited: new Promise<number | null>((r) => child.on('exit', (code) => r(code))),
    stderr: () => stderr,
    kill: (signal: NodeJS.Signals) => child.kill(signal),
    /** waits (up to 30 s) for n lines on stdout */
    async lines(n: number): Promise<string[]> {
      for (let i = 0; i < 600 && stdout.split('\n').length - 1 < n; i++) await new Promise((r) => setTimeout(r, 50));
      return stdout.trimEnd().split('\n');
    },
  };
}
