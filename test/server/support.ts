/**
 * Test support for the server: a real server on 127.0.0.1 port 0 over a real SQLite file, an HTTP
 * client with a cookie jar, and trustees and voters that talk to it only over HTTP, as the browser
 * client does. A trustee replays the board herself (she trusts no state the server reports).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { pino } from 'pino';
import {
  commitTrustee,
  createBallot,
  createDecryptionShares,
  createTrustee,
  dealShares,
  decodePoint,
  deriveCredential,
  deriveKeyShare,
  encodeBallot,
  encodePoint,
  evaluateCeremony,
  generateCredentialCode,
  reviewShares,
  seededRandom,
  signTranscript,
  type Answer,
  type KeyPair,
  type Point,
  type RandomSource,
  type TrusteeSecrets,
} from '../../crypto/index.ts';
import { MemoryNodeStore, MerkleTree, applyEntry, createState, decodeEntry, encodeAudit, hashEntry, hashLeaf, hashManifest, registrarPublicKey, signCredentialList, type BoardState } from '../../bulletin-board/index.ts';
import { DATABASE_FILE, createApp, type App, type AppConfig } from '../../server/app.ts';
import type { Draft } from '../../server/polls/draft.ts';
import type { ReceiptView } from '../../server/polls/poll-host.ts';

export interface Running {
  readonly app: App;
  readonly base: string;
  readonly dataDir: string;
  readonly clientDir: string;
  close(): Promise<void>;
}

/** Unlimited rate limits, for tests that are not about them. */
export const NO_LIMITS = { login: { burst: 1e9, perMinute: 1e9 }, credential: { burst: 1e9, perMinute: 1e9 }, cast: { burst: 1e9, perMinute: 1e9 } };

export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `gongshi-${prefix}-`));
}

/** A server on 127.0.0.1, port 0, with its data in `dataDir` (a fresh folder by default). */
export async function startServer(o: Partial<AppConfig> & { port?: number } = {}): Promise<Running> {
  const dataDir = o.dataDir ?? tempDir('data');
  const clientDir = o.clientDir ?? tempDir('client');
  const app = await createApp({ clientDir, dataDir, logger: o.logger ?? pino({ level: 'silent' }), limits: o.limits ?? NO_LIMITS, clock: o.clock, rng: o.rng, publicUrl: o.publicUrl, proofWorkers: o.proofWorkers, demo: o.demo });
  await new Promise<void>((r) => app.http.listen(o.port ?? 0, '127.0.0.1', r));
  return { app, base: app.url(), dataDir, clientDir, close: () => app.close() };
}

export interface Answered<T = any> {
  readonly status: number;
  readonly body: T;
  readonly headers: Headers;
}

/** An HTTP client with a cookie jar that sends the server's own Origin on writes, as a browser page would. */
export class Client {
  protected cookies = new Map<string, string>();
  constructor(
    readonly base: string,
    readonly origin: string | null = base,
    private readonly headers: Record<string, string> = {},
  ) {}

  async request<T = any>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Answered<T>> {
    const h: Record<string, string> = { ...this.headers, ...headers };
    if (this.origin !== null && method !== 'GET') h.origin = this.origin;
    if (this.cookies.size > 0) h.cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    if (body !== undefined) h['content-type'] ??= 'application/json';
    const res = await fetch(`${this.base}${path}`, { method, headers: h, body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body) });
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const [k, v] = pair.split('=');
      if (v === '' || /Max-Age=0/.test(c)) this.cookies.delete(k);
      else this.cookies.set(k, v);
    }
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = text === '' ? null : JSON.parse(text);
    } catch {
      // not JSON: keep the text
    }
    return { status: res.status, body: parsed as T, headers: res.headers };
  }
  /** The same client (cookies and headers) talking to a server at another address (after a restart). */
  at(base: string): Client {
    const c = new Client(base, this.origin === null ? null : base, this.headers);
    c.cookies = new Map(this.cookies);
    return c;
  }
  get<T = any>(path: string, headers?: Record<string, string>) {
    return this.request<T>('GET', path, undefined, headers);
  }
  post<T = any>(path: string, body?: unknown, headers?: Record<string, string>) {
    return this.request<T>('POST', path, body, headers);
  }
  put<T = any>(path: string, body?: unknown) {
    return this.request<T>('PUT', path, body);
  }
  del<T = any>(path: string) {
    return this.request<T>('DELETE', path);
  }
}

export const b64 = (b: Uint8Array): string => Buffer.from(b).toString('base64');
export const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
export const unhex = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, 'hex'));
export const unb64 = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, 'base64'));

export const ORGANISER = { name: 'secretary', password: 'correct horse battery' };

/** Sets the organiser's password with the one-time setup token; returns her signed-in client. */
/** Setup tokens already spent, so that a second call signs in with the password instead. */
const spentTokens = new Set<string>();

export async function organiser(running: Running): Promise<Client> {
  const c = new Client(running.base);
  const token = running.app.setupToken;
  if (token === null || spentTokens.has(token)) {
    const r = await c.post('/api/session', ORGANISER);
    if (r.status !== 201) throw new Error(`login failed: ${JSON.stringify(r.body)}`);
    return c;
  }
  const r = await c.post('/api/setup', { token, ...ORGANISER });
  if (r.status !== 201) throw new Error(`setup failed: ${JSON.stringify(r.body)}`);
  spentTokens.add(token);
  return c;
}

const bi = (en: string, zh: string) => [en, zh];

/** A draft with a single-choice question (blank allowed), a multiple-choice one and a budget one. */
export function courtyardDraft(o: { t?: number; n?: number; maxBallots?: number; title?: string } = {}): Draft {
  const n = o.n ?? 3;
  return {
    languages: ['en', 'zh-CN'],
    title: bi(o.title ?? 'Courtyard committee poll', '院落委员会投票'),
    description: bi('Three questions about the courtyard.', '关于院落的三个问题。'),
    questions: [
      { question: { kind: 'single', options: 3, blank: true }, prompt: bi('Gate colour?', '院门颜色？'), options: [bi('Red', '红色'), bi('Green', '绿色'), bi('Grey', '灰色')] },
      {
        question: { kind: 'multiple', options: 4, min: 1, max: 2 },
        prompt: bi('Evening classes (one or two)?', '晚间课程（一到两项）？'),
        options: [bi('Tai chi', '太极'), bi('Calligraphy', '书法'), bi('English', '英语'), bi('Computers', '电脑')],
      },
      { question: { kind: 'budget', costs: [300, 500, 200], budget: 700 }, prompt: bi('Spend up to 700 on:', '700 元以内：'), options: [bi('Benches', '长椅'), bi('Bicycle shed', '车棚'), bi('Plants', '绿植')] },
    ],
    trustees: { t: o.t ?? 2, n, names: Array.from({ length: n }, (_, i) => `Trustee ${i + 1}`) },
    opensAt: 0,
    closesAt: 0,
    maxBallots: o.maxBallots ?? 3,
    registrar: { name: 'Registrar Wang', key: hex(registrarPublicKey(TEST_REGISTRAR_SEED)), isOrganiser: true },
  } as Draft;
}

/** The registrar's secret seed of courtyardDraft (the organiser is the registrar in these tests). */
export const TEST_REGISTRAR_SEED = new Uint8Array(32).fill(42);

/** B.1.5 the manifest hash of a published poll, from its first entry on the board. */
export async function manifestHashOf(client: Client, poll: string): Promise<Uint8Array> {
  const page = await client.get(`/api/polls/${poll}/entries?from=0&limit=1`);
  if (page.status !== 200) throw new Error(`entries: ${JSON.stringify(page.body)}`);
  return hashManifest(decodeEntry(unb64(page.body.entries[0].bytes)).payload);
}

/**
 * B.1.6.1 a credentials upload body: the list (keys in hex) and the registrar's signature over it for
 * this poll, made with `seed` (the test registrar's by default).
 */
export async function credentialsBody(client: Client, poll: string, list: readonly { key: Point; weight: number }[], seed: Uint8Array = TEST_REGISTRAR_SEED) {
  const signed = signCredentialList(list, await manifestHashOf(client, poll), seed);
  return { credentials: list.map((c) => ({ key: hex(encodePoint(c.key)), weight: c.weight })), signature: hex(signed.subarray(signed.length - 64)) };
}

/** Reads the whole board over HTTP, page by page, and replays it through the rules. */
export async function replayBoard(client: Client, poll: string): Promise<BoardState> {
  const state = createState();
  for (let from = 0; ; ) {
    const page = await client.get(`/api/polls/${poll}/entries?from=${from}&limit=200`);
    if (page.status !== 200) throw new Error(`entries: ${JSON.stringify(page.body)}`);
    for (const e of page.body.entries) {
      const v = await applyEntry(state, unb64(e.bytes));
      if (!v.ok) throw new Error(`the board's entry ${e.height} breaks the rules: ${v.code} ${v.reason}`);
    }
    from += page.body.entries.length;
    if (from >= page.body.size || page.body.entries.length === 0) return state;
  }
}

/** T.9.3 the board as a trustee's device saw it: its size now and the Merkle root it computes itself over the entries. */
export async function seenBoard(client: Client, poll: string): Promise<{ size: number; root: Uint8Array }> {
  const tree = new MerkleTree(new MemoryNodeStore());
  for (;;) {
    const page = await client.get(`/api/polls/${poll}/entries?from=${tree.size}&limit=200`);
    if (page.status !== 200) throw new Error(`entries: ${JSON.stringify(page.body)}`);
    for (const e of page.body.entries) tree.append(hashLeaf(hashEntry(unb64(e.bytes))));
    if (tree.size >= page.body.size || page.body.entries.length === 0) return { size: tree.size, root: tree.root() };
  }
}

/** A trustee on her own device: she keeps her secrets, reads the board and posts signed messages. */
export class TrusteeDevice {
  secrets: TrusteeSecrets | null = null;
  private reveal: Uint8Array | null = null;
  keyShare: bigint | null = null;
  readonly client: Client;

  constructor(
    base: string,
    readonly poll: string,
    readonly index: number,
    token: string,
    private readonly rng: RandomSource = seededRandom(`trustee ${index}`),
  ) {
    this.client = new Client(base, base, { authorization: `Bearer ${token}` });
  }

  private async post(bytes: Uint8Array): Promise<void> {
    const r = await this.client.post(`/api/polls/${this.poll}/trustee/messages`, { message: b64(bytes) });
    if (r.status !== 201) throw new Error(`trustee ${this.index}: ${JSON.stringify(r.body)}`);
  }

  /** Does her part of the ceremony step the board has open; returns the step she acted in. */
  async act(): Promise<number> {
    const state = await replayBoard(this.client, this.poll);
    const c = state.ceremony;
    if (c === null || state.phase !== 'ceremony') return 0;
    switch (c.step) {
      case 1: {
        const made = createTrustee(c.params, this.index, this.rng);
        this.secrets = made.secrets;
        await this.post(made.identity.bytes);
        break;
      }
      case 2: {
        const x = commitTrustee(this.secrets!, this.rng);
        this.reveal = x.reveal.bytes;
        await this.post(x.commit.bytes);
        break;
      }
      case 3:
        await this.post(this.reveal!);
        break;
      case 4:
        await this.post((await dealShares(this.secrets!, c.record.identities, this.rng)).bytes);
        break;
      case 5: {
        for (const m of await reviewShares(this.secrets!, c.record, this.rng)) await this.post(m.bytes);
        const r = await this.client.post(`/api/polls/${this.poll}/trustee/review-done`);
        if (r.status !== 200) throw new Error(`trustee ${this.index} review-done: ${JSON.stringify(r.body)}`);
        break;
      }
      case 6: {
        const outcome = await evaluateCeremony(c.params, { ...c.record, finishes: [] });
        this.keyShare = await deriveKeyShare(this.secrets!, outcome);
        await this.post(signTranscript(this.secrets!, outcome, this.keyShare, this.rng).bytes);
        break;
      }
    }
    return c.step;
  }

  /** Posts her decryption shares of the board's tally. */
  async decrypt(): Promise<void> {
    const state = await replayBoard(this.client, this.poll);
    if (state.tally === null || state.election === null) throw new Error('no tally to decrypt');
    const m = createDecryptionShares(
      { fingerprint: state.election.fingerprint, index: this.index, keyShare: this.keyShare!, signing: this.secrets!.signing, ciphertexts: state.tally.ciphertexts },
      this.rng,
    );
    await this.post(m.bytes);
  }
}

/** Runs the ceremony to its key: each trustee acts in turn until the board leaves the ceremony phase. */
export async function runCeremony(owner: Client, poll: string, trustees: readonly TrusteeDevice[]): Promise<void> {
  for (let round = 0; round < 12; round++) {
    const p = await owner.get(`/api/polls/${poll}`);
    if (p.body.status !== 'ceremony') return;
    const before = (await owner.get(`/api/polls/${poll}/ceremony`)).body.step;
    for (const t of trustees) await t.act();
    // The server closes a step when the last trustee speaks; wait for it to move on.
    for (let i = 0; i < 200; i++) {
      const now = await owner.get(`/api/polls/${poll}/ceremony`);
      const status = (await owner.get(`/api/polls/${poll}`)).body.status;
      if (status !== 'ceremony' || now.body.step !== before) break;
      await new Promise((r) => setTimeout(r, 20));
    }
  }
  throw new Error('the ceremony did not finish in 12 rounds');
}

/** A voter with her credential (derived from the code the organiser printed for her). */
export class Voter {
  readonly credential: KeyPair;
  constructor(
    readonly poll: string,
    readonly code: string,
  ) {
    this.credential = deriveCredential(code, unhex(poll));
  }

  static make(poll: string, rng: RandomSource): Voter {
    return new Voter(poll, generateCredentialCode(rng));
  }

  /** Encrypts, proves and signs her answers for the poll's election (read from the server). */
  async ballot(client: Client, answers: Answer[], rng: RandomSource) {
    const detail = await election(client, this.poll);
    return createBallot({ shape: detail.shape, key: detail.jointKey, fingerprint: detail.fingerprint, credential: this.credential, answers }, rng);
  }
}

const elections = new Map<string, { shape: { questions: Draft['questions'][number]['question'][] }; jointKey: ReturnType<typeof decodePoint>; fingerprint: Uint8Array }>();

/** The poll's shape, joint key and fingerprint, as a voter's client reads them. */
export async function election(client: Client, poll: string) {
  const cached = elections.get(poll);
  if (cached) return cached;
  const p = await client.get(`/api/polls/${poll}`);
  if (p.body.election === null) throw new Error('the poll has no key yet');
  const e = { shape: { questions: (p.body.draft as Draft).questions.map((q) => q.question) }, jointKey: decodePoint(unhex(p.body.election.jointKey), 'jointKey'), fingerprint: unhex(p.body.election.fingerprint) };
  elections.set(poll, e);
  return e;
}

export async function castBallot(client: Client, poll: string, bytes: Uint8Array): Promise<Answered<ReceiptView & { error?: string; message?: string }>> {
  return client.post(`/api/polls/${poll}/ballots`, { ballot: b64(bytes) });
}

export async function postAudit(client: Client, poll: string, made: { ballot: Parameters<typeof encodeBallot>[0]; opening: Parameters<typeof encodeAudit>[1] }) {
  return client.post(`/api/polls/${poll}/audits`, { audit: b64(encodeAudit(encodeBallot(made.ballot), made.opening)) });
}

/** Creates, invites, registers credentials for `voters` voters, publishes and runs the ceremony to an open poll. */
export async function openPoll(running: Running, o: { voters: number; draft?: Draft; seed?: string; open?: boolean } = { voters: 5 }) {
  const owner = await organiser(running);
  // A draft that names no registrar gets the test organiser as registrar: openPoll signs with TEST_REGISTRAR_SEED.
  const draft = o.draft ?? courtyardDraft();
  const created = await owner.post('/api/polls', { draft: draft.registrar === undefined ? { ...draft, registrar: courtyardDraft().registrar } : draft });
  if (created.status !== 201) throw new Error(`create: ${JSON.stringify(created.body)}`);
  const poll: string = created.body.id;
  const invites = (await owner.post(`/api/polls/${poll}/invites`)).body.invites as { trustee: number; token: string }[];
  const published = await owner.post(`/api/polls/${poll}/publish`);
  if (published.status !== 200) throw new Error(`publish: ${JSON.stringify(published.body)}`);
  const rng = seededRandom(o.seed ?? `voters of ${poll}`);
  const voters = Array.from({ length: o.voters }, () => Voter.make(poll, rng));
  const up = await owner.post(`/api/polls/${poll}/credentials`, await credentialsBody(owner, poll, voters.map((v) => ({ key: v.credential.publicKey, weight: 1 }))));
  if (up.status !== 200) throw new Error(`credentials: ${JSON.stringify(up.body)}`);
  const trustees = invites.map((i) => new TrusteeDevice(running.base, poll, i.trustee, i.token));
  await runCeremony(owner, poll, trustees);
  if (o.open !== false) {
    const opened = await owner.post(`/api/polls/${poll}/open`);
    if (opened.status !== 200) throw new Error(`open: ${JSON.stringify(opened.body)}`);
  }
  return { owner, poll, voters, trustees, rng };
}

/** Every row of every table of the server's SQLite file, read through a second, read-only connection (WAL allows it). */
export function readDatabase(running: Running): Record<string, Record<string, unknown>[]> {
  const db = new Database(join(running.dataDir, DATABASE_FILE), { readonly: true, fileMustExist: true });
  try {
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as { name: string }[];
    return Object.fromEntries(tables.map(({ name }) => [name, db.prepare(`SELECT * FROM "${name}"`).all() as Record<string, unknown>[]]));
  } finally {
    db.close();
  }
}

/** The database as comparable text: per table, its rows as JSON (blobs as hex), sorted. */
export function dumpDatabase(running: Running): Record<string, string[]> {
  const row = (r: Record<string, unknown>) => JSON.stringify(Object.entries(r).map(([k, v]) => [k, v instanceof Uint8Array ? hex(v) : v]));
  return Object.fromEntries(Object.entries(readDatabase(running)).map(([name, rows]) => [name, rows.map(row).sort()]));
}

/** The board as anyone reads it over HTTP: its size, latest checkpoint note, and every entry. */
export async function readBoard(client: Client, poll: string): Promise<{ size: number; checkpoint: string | null; entries: unknown[] }> {
  const c = await client.get(`/api/polls/${poll}/checkpoint`);
  if (c.status !== 200) throw new Error(`checkpoint: ${JSON.stringify(c.body)}`);
  const entries: unknown[] = [];
  while (entries.length < c.body.size) {
    const page = await client.get(`/api/polls/${poll}/entries?from=${entries.length}&limit=200`);
    if (page.status !== 200 || page.body.entries.length === 0) throw new Error(`entries: ${JSON.stringify(page.body)}`);
    entries.push(...page.body.entries);
  }
  return { size: c.body.size, checkpoint: c.body.checkpoint, entries: entries.slice(0, c.body.size) };
}

/** Resolves once `check` holds, asking every 50 ms; throws after `ms`. */
export async function until(check: () => Promise<boolean>, ms: number): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`not within ${ms} ms`);
}

/**
 * Takes a stopped server's database file back to layout 1, the first this gongshi made: without what
 * every migration since adds (server/store/server-database.ts MIGRATIONS; the base SCHEMA is never
 * edited, so this is exactly layout 1).
 */
export function backToLayout1(file: string): void {
  const db = new Database(file);
  try {
    db.exec('DROP TABLE account_links; DROP INDEX sessions_by_organiser;'); // layout 3
    db.exec('ALTER TABLE polls DROP COLUMN hidden'); // layout 2
    db.pragma('user_version = 1');
  } finally {
    db.close();
  }
}
