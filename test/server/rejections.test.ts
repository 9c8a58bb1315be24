/**
 * Every rejection path of the API (server/api/errors.ts, board rules spec §B.4.3), on a real server
 * and SQLite file: each answers its status and exact code with a body of exactly
 * `{ error, message }` (plus `field` or `height` where the code carries one), and writes nothing:
 * the board (size, checkpoint note, entries) and every table of the database are as before.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ballotShape, createBallot, createTrustee, decodeBallot, encodePoint, seededRandom, type Answer, type FieldSpan } from '../../crypto/index.ts';
import { ERROR_CODES, type ErrorCode } from '../../server/api/errors.ts';
import {
  Client,
  ORGANISER,
  Voter,
  b64,
  castBallot,
  courtyardDraft,
  dumpDatabase,
  election,
  hex,
  openPoll,
  readBoard,
  replayBoard,
  startServer,
  type Answered,
  type Running,
  TEST_REGISTRAR_SEED,
  credentialsBody,
} from './support.ts';
import { registrarPublicKey, signCredentialList } from '../../bulletin-board/index.ts';

const ANSWERS: Answer[] = [{ values: [1, 0, 0] }, { values: [0, 1, 1, 0] }, { values: [1, 0, 1] }];
const UNKNOWN_POLL = '00'.repeat(16);

let running: Running;
let owner: Client;
/** A stranger: no session, no token, but the server's own Origin (a page of the site). */
let anyone: Client;
/** A draft poll, never published. */
let draft: string;
/** Published, key made, two credentials listed, not yet open. */
let ready: Awaited<ReturnType<typeof openPoll>>;
/** Open, three credentials, one ballot per credential (maxBallots 1). */
let open: Awaited<ReturnType<typeof openPoll>>;
const rng = seededRandom('rejections');
/** Every answer this file checks, for the closing test on the closed set of codes. */
const answered: Answered[] = [];

beforeAll(async () => {
  running = await startServer();
  ready = await openPoll(running, { voters: 2, draft: courtyardDraft({ t: 1, n: 1 }), open: false, seed: 'ready voters' });
  // The setup token is spent now: the second poll's organiser signs in with her password.
  const setUp = { ...running, app: { ...running.app, setupToken: null } };
  open = await openPoll(setUp, { voters: 3, draft: courtyardDraft({ t: 1, n: 1, maxBallots: 1 }), seed: 'open voters' });
  owner = open.owner;
  anyone = new Client(running.base);
  const created = await owner.post('/api/polls', { draft: courtyardDraft() });
  draft = created.body.id;
}, 60_000);

afterAll(async () => {
  await running?.close();
});

interface Expected {
  readonly status: number;
  readonly error: ErrorCode;
  /** the field a BAD_REQUEST or a MALFORMED names (a pattern where it depends on the decoder's path) */
  readonly field?: string | RegExp;
  /** the height a board rejection names: the height the entry would have had */
  readonly height?: number;
}

/** Checks an answer is exactly this refusal: status, code, and a body of `{ error, message[, field | height] }`. */
function expectRefusal(r: Answered, want: Expected): void {
  answered.push(r);
  expect(r.status, JSON.stringify(r.body)).toBe(want.status);
  expect(r.headers.get('content-type')).toMatch(/^application\/json/);
  const field = want.field instanceof RegExp ? expect.stringMatching(want.field) : want.field;
  const extra = { ...(field === undefined ? {} : { field }), ...(want.height === undefined ? {} : { height: want.height }) };
  expect(r.body).toEqual({ error: want.error, message: expect.stringMatching(/\S/), ...extra });
}

/**
 * Sends a request that must be refused, and checks that it wrote nothing: every table of the SQLite
 * file, and the named polls' boards as the public reads them, are the same after as before.
 */
async function refused(send: () => Promise<Answered>, want: Expected, boards: readonly string[] = []): Promise<Answered> {
  const boardsBefore = await Promise.all(boards.map((p) => readBoard(anyone, p)));
  const databaseBefore = dumpDatabase(running);
  const r = await send();
  expectRefusal(r, want);
  expect(await Promise.all(boards.map((p) => readBoard(anyone, p)))).toEqual(boardsBefore);
  expect(dumpDatabase(running)).toEqual(databaseBefore);
  return r;
}

const sizeOf = async (poll: string): Promise<number> => (await anyone.get(`/api/polls/${poll}/checkpoint`)).body.size;

/** The ballot's bytes with bit 0 of byte `at` of `field` flipped (fields as the ballot decoder names them). */
async function flip(poll: string, bytes: Uint8Array, field: string, at = 0): Promise<Uint8Array> {
  const trace: FieldSpan[] = [];
  decodeBallot(bytes, ballotShape((await election(anyone, poll)).shape), trace);
  const span = trace.find((s) => s.field === field);
  if (span === undefined) throw new Error(`no field ${field} in the ballot`);
  const out = bytes.slice();
  out[span.offset + at] ^= 1;
  return out;
}

describe('requests the API cannot read', () => {
  it('refuses a body that is not JSON with BAD_JSON', async () => {
    await refused(() => owner.post('/api/polls', '{"draft": {'), { status: 400, error: 'BAD_JSON' });
    await refused(() => anyone.post(`/api/polls/${open.poll}/ballots`, '{"ballot": "AAAA"'), { status: 400, error: 'BAD_JSON' }, [open.poll]);
  });

  it('refuses a body over the route’s limit with BODY_TOO_LARGE', async () => {
    const big = JSON.stringify({ draft: { ...courtyardDraft(), description: ['x'.repeat(300_000), 'y'] } });
    await refused(() => owner.post('/api/polls', big), { status: 413, error: 'BODY_TOO_LARGE' });
  });

  it('refuses a body that is not JSON by its Content-Type with UNSUPPORTED_MEDIA_TYPE', async () => {
    await refused(() => owner.request('POST', '/api/polls', JSON.stringify({ draft: courtyardDraft() }), { 'content-type': 'text/plain' }), { status: 415, error: 'UNSUPPORTED_MEDIA_TYPE' });
    await refused(() => anyone.request('POST', `/api/polls/${open.poll}/ballots`, 'ballot=AAAA', { 'content-type': 'application/x-www-form-urlencoded' }), { status: 415, error: 'UNSUPPORTED_MEDIA_TYPE' }, [open.poll]);
  });
});

describe('BAD_REQUEST names the field', () => {
  it('refuses a body without a required field', async () => {
    await refused(() => owner.post('/api/polls', {}), { status: 400, error: 'BAD_REQUEST', field: 'body.draft' });
    const { title: _title, ...untitled } = courtyardDraft();
    await refused(() => owner.post('/api/polls', { draft: untitled }), { status: 400, error: 'BAD_REQUEST', field: 'body.draft.title' });
  });

  it('refuses a field the schema does not know', async () => {
    await refused(() => owner.post('/api/polls', { draft: courtyardDraft(), admin: true }), { status: 400, error: 'BAD_REQUEST', field: 'body.admin' });
    await refused(() => anyone.post(`/api/polls/${open.poll}/ballots`, { ballot: 'AAAA', voter: 'me' }), { status: 400, error: 'BAD_REQUEST', field: 'body.voter' }, [open.poll]);
  });

  it('refuses a value of the wrong type', async () => {
    const d = courtyardDraft();
    await refused(() => owner.post('/api/polls', { draft: { ...d, trustees: { ...d.trustees, t: '2' } } }), { status: 400, error: 'BAD_REQUEST', field: 'body.draft.trustees.t' });
    await refused(() => anyone.post(`/api/polls/${open.poll}/ballots`, { ballot: 12 }), { status: 400, error: 'BAD_REQUEST', field: 'body.ballot' }, [open.poll]);
  });

  it('refuses a key that is not lower-case hex of 32 bytes', async () => {
    const key = hex(encodePoint(Voter.make(ready.poll, rng).credential.publicKey));
    for (const bad of [key.toUpperCase(), key.slice(2), `${key.slice(0, 62)}zz`]) {
      await refused(() => owner.post(`/api/polls/${ready.poll}/credentials`, { credentials: [{ key: bad, weight: 1 }], signature: '00'.repeat(64) }), { status: 400, error: 'BAD_REQUEST', field: 'body.credentials[0].key' }, [ready.poll]);
    }
    expectRefusal(await anyone.get(`/api/polls/${open.poll}/credentials/${key.toUpperCase()}`), { status: 400, error: 'BAD_REQUEST', field: 'key' });
    expectRefusal(await anyone.get(`/api/polls/${open.poll}/receipts/nothex`), { status: 400, error: 'BAD_REQUEST', field: 'tracker' });
  });

  it('refuses a poll id that is not 16 bytes of lower-case hex', async () => {
    expectRefusal(await anyone.get(`/api/polls/${open.poll.toUpperCase()}`), { status: 400, error: 'BAD_REQUEST', field: 'poll' });
    await refused(() => anyone.post(`/api/polls/${open.poll.slice(1)}/ballots`, { ballot: 'AAAA' }), { status: 400, error: 'BAD_REQUEST', field: 'poll' });
  });

  it('refuses a ballot that is not canonical padded base64', async () => {
    const made = await open.voters[0].ballot(anyone, ANSWERS, rng);
    const text = b64(made.bytes);
    // a trailing newline; one URL-safe character; a missing padding; padding bits set; nothing at all
    for (const bad of [`${text}\n`, `-${text.slice(1)}`, 'QQ', 'QR==', '']) {
      await refused(() => anyone.post(`/api/polls/${open.poll}/ballots`, { ballot: bad }), { status: 400, error: 'BAD_REQUEST', field: 'body.ballot' }, [open.poll]);
    }
  });

  it('refuses a draft the manifest rules refuse: a threshold above the number of trustees', async () => {
    const d = courtyardDraft({ t: 4, n: 3 });
    await refused(() => owner.post('/api/polls', { draft: d }), { status: 400, error: 'BAD_REQUEST', field: 'draft.trustees.t' });
    await refused(() => owner.put(`/api/polls/${draft}/draft`, { draft: d }), { status: 400, error: 'BAD_REQUEST', field: 'draft.trustees.t' });
  });

  it('refuses a draft whose option texts do not match its question’s option count', async () => {
    const d = courtyardDraft();
    const questions = [{ ...d.questions[0], options: d.questions[0].options.slice(0, 2) }, ...d.questions.slice(1)];
    await refused(() => owner.post('/api/polls', { draft: { ...d, questions } }), { status: 400, error: 'BAD_REQUEST', field: 'draft.questions[0].options' });
  });
});

describe('NOT_FOUND', () => {
  it('answers NOT_FOUND for a poll id that names no poll', async () => {
    expectRefusal(await anyone.get(`/api/polls/${UNKNOWN_POLL}`), { status: 404, error: 'NOT_FOUND' });
    expectRefusal(await anyone.get(`/api/polls/${UNKNOWN_POLL}/entries`), { status: 404, error: 'NOT_FOUND' });
    await refused(() => anyone.post(`/api/polls/${UNKNOWN_POLL}/ballots`, { ballot: 'AAAA' }), { status: 404, error: 'NOT_FOUND' });
    await refused(() => owner.post(`/api/polls/${UNKNOWN_POLL}/open`), { status: 404, error: 'NOT_FOUND' });
  });

  it('answers NOT_FOUND as JSON for an endpoint the API does not have', async () => {
    expectRefusal(await anyone.get('/api/no-such-thing'), { status: 404, error: 'NOT_FOUND' });
    await refused(() => owner.post(`/api/polls/${open.poll}/reset`), { status: 404, error: 'NOT_FOUND' }, [open.poll]);
    await refused(() => owner.put(`/api/polls/${open.poll}`), { status: 404, error: 'NOT_FOUND' }, [open.poll]);
  });

  it('answers NOT_FOUND for a tracker no ballot on the board has', async () => {
    expectRefusal(await anyone.get(`/api/polls/${open.poll}/receipts/${'ab'.repeat(32)}`), { status: 404, error: 'NOT_FOUND' });
    expectRefusal(await anyone.get(`/api/polls/${open.poll}/proofs/inclusion?tracker=${'ab'.repeat(32)}`), { status: 404, error: 'NOT_FOUND' });
  });

  it('hides a draft poll from the public on every read of the poll and its board, as if it did not exist', async () => {
    expect((await owner.get(`/api/polls/${draft}`)).status).toBe(200);
    expect((await anyone.get('/api/polls')).body.polls.map((p: { id: string }) => p.id)).not.toContain(draft);
    for (const path of ['', '/entries', '/checkpoint', '/ceremony', '/result', '/record']) {
      expectRefusal(await anyone.get(`/api/polls/${draft}${path}`), { status: 404, error: 'NOT_FOUND' });
    }
  });
});

describe('the organiser’s account', () => {
  it('refuses every organiser action without a session with UNAUTHENTICATED', async () => {
    const forged = new Client(running.base, running.base, { cookie: 'gongshi_session=forged-session-id' });
    for (const client of [anyone, forged]) {
      await refused(() => client.post('/api/polls', { draft: courtyardDraft() }), { status: 401, error: 'UNAUTHENTICATED' });
      await refused(() => client.put(`/api/polls/${draft}/draft`, { draft: courtyardDraft({ title: 'Taken over' }) }), { status: 401, error: 'UNAUTHENTICATED' });
      await refused(() => client.post(`/api/polls/${draft}/invites`), { status: 401, error: 'UNAUTHENTICATED' });
      await refused(() => client.post(`/api/polls/${open.poll}/close`), { status: 401, error: 'UNAUTHENTICATED' }, [open.poll]);
      expectRefusal(await client.get('/api/organiser/polls'), { status: 401, error: 'UNAUTHENTICATED' });
    }
  });

  it('refuses a wrong password or an unknown name with BAD_LOGIN and starts no session', async () => {
    const c = new Client(running.base);
    await refused(() => c.post('/api/session', { name: ORGANISER.name, password: `${ORGANISER.password}!` }), { status: 401, error: 'BAD_LOGIN' });
    await refused(() => c.post('/api/session', { name: 'someone else', password: ORGANISER.password }), { status: 401, error: 'BAD_LOGIN' });
    expectRefusal(await c.get('/api/session'), { status: 401, error: 'UNAUTHENTICATED' });
  });

  it('refuses the spent one-time setup token with BAD_SETUP_TOKEN and keeps the password', async () => {
    const token = running.app.setupToken!;
    const c = new Client(running.base);
    await refused(() => c.post('/api/setup', { token, name: 'intruder', password: 'a password of my own' }), { status: 401, error: 'BAD_SETUP_TOKEN' });
    expect((await c.post('/api/session', { name: 'intruder', password: 'a password of my own' })).status).toBe(401);
    expect((await c.post('/api/session', ORGANISER)).status).toBe(201);
  });
});

describe('trustees', () => {
  let published: string;
  let tokens: { trustee: number; token: string }[];
  beforeAll(async () => {
    published = (await owner.post('/api/polls', { draft: courtyardDraft({ t: 2, n: 3 }) })).body.id;
    tokens = (await owner.post(`/api/polls/${published}/invites`)).body.invites;
    expect((await owner.post(`/api/polls/${published}/publish`)).status).toBe(200);
  });
  const as = (token: string) => new Client(running.base, running.base, { authorization: `Bearer ${token}` });
  const identity = async (index: number) => {
    const state = await replayBoard(anyone, published);
    return b64(createTrustee(state.ceremony!.params, index, seededRandom(`trustee ${index}`)).identity.bytes);
  };

  it('refuses a missing, wrong or other poll’s trustee token with BAD_TRUSTEE_TOKEN', async () => {
    const message = await identity(1);
    await refused(() => anyone.post(`/api/polls/${published}/trustee/messages`, { message }), { status: 401, error: 'BAD_TRUSTEE_TOKEN' }, [published]);
    await refused(() => as('not-a-token').post(`/api/polls/${published}/trustee/messages`, { message }), { status: 401, error: 'BAD_TRUSTEE_TOKEN' }, [published]);
    const elsewhere = (await owner.post(`/api/polls/${draft}/invites`)).body.invites[0].token;
    await refused(() => as(elsewhere).post(`/api/polls/${published}/trustee/messages`, { message }), { status: 401, error: 'BAD_TRUSTEE_TOKEN' }, [published]);
    expectRefusal(await as(elsewhere).get(`/api/polls/${published}/trustee`), { status: 401, error: 'BAD_TRUSTEE_TOKEN' });
  });

  it('refuses trustee 1’s link posting a message signed as trustee 2 with NOT_YOUR_INDEX', async () => {
    const first = tokens.find((t) => t.trustee === 1)!.token;
    const message = await identity(2);
    await refused(() => as(first).post(`/api/polls/${published}/trustee/messages`, { message }), { status: 403, error: 'NOT_YOUR_INDEX' }, [published]);
  });

  it('refuses a trustee message that does not decode with MALFORMED naming the field', async () => {
    const first = tokens.find((t) => t.trustee === 1)!.token;
    await refused(() => as(first).post(`/api/polls/${published}/trustee/messages`, { message: b64(new Uint8Array([9, 9, 9])) }), { status: 422, error: 'MALFORMED', field: /^message\.\w/ }, [published]);
  });
});

describe('the poll’s state', () => {
  it('refuses to edit a published poll’s draft with WRONG_STATE', async () => {
    await refused(() => owner.put(`/api/polls/${ready.poll}/draft`, { draft: courtyardDraft({ title: 'Changed after publishing', t: 1, n: 1 }) }), { status: 409, error: 'WRONG_STATE' }, [ready.poll]);
  });

  it('refuses to publish a poll twice with WRONG_STATE', async () => {
    await refused(() => owner.post(`/api/polls/${ready.poll}/publish`), { status: 409, error: 'WRONG_STATE' }, [ready.poll]);
  });

  it('refuses to open a draft, which has no board yet, with WRONG_STATE', async () => {
    await refused(() => owner.post(`/api/polls/${draft}/open`), { status: 409, error: 'WRONG_STATE' });
  });

  it('refuses the tally before the close with WRONG_PHASE', async () => {
    await refused(() => owner.post(`/api/polls/${ready.poll}/tally`), { status: 409, error: 'WRONG_PHASE' }, [ready.poll]);
    await refused(() => owner.post(`/api/polls/${open.poll}/tally`), { status: 409, error: 'WRONG_PHASE' }, [open.poll]);
  });

  it('refuses a ballot before the poll opens with the board’s WRONG_PHASE at the next height', async () => {
    const made = await ready.voters[0].ballot(anyone, ANSWERS, rng);
    await refused(() => castBallot(anyone, ready.poll, made.bytes), { status: 409, error: 'WRONG_PHASE', height: await sizeOf(ready.poll) }, [ready.poll]);
  });
});

describe('credentials', () => {
  it('answers NOT_LISTED for a credential the poll does not list', async () => {
    const stranger = Voter.make(open.poll, rng);
    expectRefusal(await anyone.get(`/api/polls/${open.poll}/credentials/${hex(encodePoint(stranger.credential.publicKey))}`), { status: 404, error: 'NOT_LISTED' });
    expect((await anyone.get(`/api/polls/${open.poll}/credentials/${hex(encodePoint(open.voters[0].credential.publicKey))}`)).body).toMatchObject({ listed: true, weight: 1 });
  });

  it('refuses a key already listed with DUPLICATE_CREDENTIAL', async () => {
    const fresh = Voter.make(ready.poll, rng).credential.publicKey;
    const height = await sizeOf(ready.poll);
    const body = await credentialsBody(owner, ready.poll, [{ key: fresh, weight: 1 }, { key: ready.voters[0].credential.publicKey, weight: 1 }]);
    await refused(() => owner.post(`/api/polls/${ready.poll}/credentials`, body), { status: 422, error: 'DUPLICATE_CREDENTIAL', height }, [ready.poll]);
  });

  it('refuses the same new key twice in one upload with DUPLICATE_CREDENTIAL', async () => {
    const fresh = Voter.make(ready.poll, rng).credential.publicKey;
    const height = await sizeOf(ready.poll);
    const body = await credentialsBody(owner, ready.poll, [{ key: fresh, weight: 1 }, { key: fresh, weight: 2 }]);
    await refused(() => owner.post(`/api/polls/${ready.poll}/credentials`, body), { status: 422, error: 'DUPLICATE_CREDENTIAL', height }, [ready.poll]);
  });

  it('refuses a list the manifest’s registrar did not sign with BAD_REGISTRAR_SIGNATURE: unsigned, signed by a stranger, signed for another poll, or changed after signing', async () => {
    const list = [{ key: Voter.make(ready.poll, rng).credential.publicKey, weight: 1 }];
    const height = await sizeOf(ready.poll);
    const unsigned = { ...(await credentialsBody(owner, ready.poll, list)), signature: '00'.repeat(64) };
    const stranger = await credentialsBody(owner, ready.poll, list, new Uint8Array(32).fill(7));
    const otherPoll = signCredentialList(list, new Uint8Array(32).fill(1), TEST_REGISTRAR_SEED);
    const moved = { ...(await credentialsBody(owner, ready.poll, list)), signature: hex(otherPoll.subarray(otherPoll.length - 64)) };
    const signed = await credentialsBody(owner, ready.poll, list);
    const heavier = { ...signed, credentials: [{ ...signed.credentials[0], weight: 1000 }] }; // the server raises a weight
    for (const body of [unsigned, stranger, moved, heavier])
      await refused(() => owner.post(`/api/polls/${ready.poll}/credentials`, body), { status: 422, error: 'BAD_REGISTRAR_SIGNATURE', height }, [ready.poll]);
    expect((await owner.post(`/api/polls/${ready.poll}/credentials`, signed)).status).toBe(200);
  });
});

describe('ballots the board refuses', () => {
  it('refuses a ballot signed by a credential the poll does not list with UNKNOWN_CREDENTIAL', async () => {
    const made = await Voter.make(open.poll, rng).ballot(anyone, ANSWERS, rng);
    await refused(() => castBallot(anyone, open.poll, made.bytes), { status: 422, error: 'UNKNOWN_CREDENTIAL', height: await sizeOf(open.poll) }, [open.poll]);
  });

  it('refuses a ballot for another election’s fingerprint with WRONG_ELECTION', async () => {
    const e = await election(anyone, open.poll);
    const fingerprint = e.fingerprint.slice();
    fingerprint[0] ^= 1;
    const made = createBallot({ shape: e.shape, key: e.jointKey, fingerprint, credential: open.voters[0].credential, answers: ANSWERS }, rng);
    await refused(() => castBallot(anyone, open.poll, made.bytes), { status: 422, error: 'WRONG_ELECTION', height: await sizeOf(open.poll) }, [open.poll]);
  });

  // The credential signs the whole ballot body (spec §Q.6.1) and the voter's secret is not ours, so
  // a changed proof cannot be re-signed. Whether the decoder or the proof check refuses it depends on
  // what the flipped bit lands in: a scalar stays canonical after flipping its lowest bit (scalars are
  // little-endian, ℓ is odd), so the ballot decodes and its proof (and signature) fail: BAD_PROOF; a
  // point's lowest bit is ristretto255's sign bit, which a canonical encoding never sets: MALFORMED.
  it('refuses a ballot with a flipped bit in a proof’s scalar with BAD_PROOF', async () => {
    const made = await open.voters[0].ballot(anyone, ANSWERS, rng);
    const bytes = await flip(open.poll, made.bytes, 'answers[0].slotProofs[0].z[0]');
    await refused(() => castBallot(anyone, open.poll, bytes), { status: 422, error: 'BAD_PROOF', height: await sizeOf(open.poll) }, [open.poll]);
  });

  it('refuses a ballot with a flipped bit in a proof’s commitment point with MALFORMED', async () => {
    const made = await open.voters[0].ballot(anyone, ANSWERS, rng);
    const bytes = await flip(open.poll, made.bytes, 'answers[0].slotProofs[0].A[0]');
    await refused(() => castBallot(anyone, open.poll, bytes), { status: 422, error: 'MALFORMED', field: /^payload\.\w/, height: await sizeOf(open.poll) }, [open.poll]);
  });

  it('refuses garbage, truncated and overlong ballot bytes with MALFORMED', async () => {
    const made = await open.voters[0].ballot(anyone, ANSWERS, rng);
    const height = await sizeOf(open.poll);
    for (const bytes of [rng(200), made.bytes.subarray(0, made.bytes.length - 1), new Uint8Array([...made.bytes, 0])]) {
      await refused(() => castBallot(anyone, open.poll, bytes), { status: 422, error: 'MALFORMED', field: /^payload\./, height }, [open.poll]);
    }
    await refused(() => anyone.post(`/api/polls/${open.poll}/audits`, { audit: b64(rng(200)) }), { status: 422, error: 'MALFORMED', field: /^audit\.\w/ }, [open.poll]);
  });

  it('refuses a second ballot of a credential allowed one with REVOTE_LIMIT', async () => {
    const voter = open.voters[1];
    const first = await voter.ballot(anyone, ANSWERS, rng);
    expect((await castBallot(anyone, open.poll, first.bytes)).status).toBe(201);
    const second = await voter.ballot(anyone, [{ blank: true }, { values: [1, 0, 0, 0] }, { values: [0, 0, 0] }], rng);
    await refused(() => castBallot(anyone, open.poll, second.bytes), { status: 422, error: 'REVOTE_LIMIT', height: await sizeOf(open.poll) }, [open.poll]);
  });

  it('answers the same ballot cast twice with the same receipt, status 200, and writes nothing new', async () => {
    const made = await open.voters[2].ballot(anyone, ANSWERS, rng);
    const unvoted = dumpDatabase(running);
    const first = await castBallot(anyone, open.poll, made.bytes);
    expect(first.status, JSON.stringify(first.body)).toBe(201);
    const board = await readBoard(anyone, open.poll);
    const database = dumpDatabase(running);
    expect(database).not.toEqual(unvoted); // the read-only connection sees what the server wrote (WAL)
    const again = await castBallot(anyone, open.poll, made.bytes);
    expect(again.status).toBe(200);
    expect(again.body).toEqual(first.body);
    expect(await readBoard(anyone, open.poll)).toEqual(board);
    expect(dumpDatabase(running)).toEqual(database);
  });
});

describe('the registrar’s link', () => {
  const REGISTRAR_SEED = new Uint8Array(32).fill(77);
  const registrarKey = hex(registrarPublicKey(REGISTRAR_SEED));
  const as = (token: string) => new Client(running.base, running.base, { authorization: `Bearer ${token}` });
  /** A draft with no registrar yet, and its registrar's token. */
  let waiting: string;
  let token: string;

  beforeAll(async () => {
    waiting = (await owner.post('/api/polls', { draft: { ...courtyardDraft({ t: 1, n: 1 }), registrar: null } })).body.id;
    const made = await owner.post(`/api/polls/${waiting}/registrar-invite`);
    expect(made.status).toBe(201);
    expect(made.body.link).toMatch(new RegExp(`/registrar/${waiting}#[A-Za-z0-9_-]{43}$`));
    token = made.body.link.split('#')[1];
  });

  it('refuses a missing, wrong, other poll’s or trustee’s token with BAD_REGISTRAR_TOKEN, writing nothing', async () => {
    const key = { name: 'Ms Chen', key: registrarKey };
    const trustee = (await owner.post(`/api/polls/${waiting}/invites`)).body.invites[0].token;
    const elsewhere = (await owner.post(`/api/polls/${draft}/registrar-invite`)).body.link.split('#')[1];
    for (const who of [anyone, as('not-a-token'), as(trustee), as(elsewhere)]) {
      await refused(() => who.request('PUT', `/api/polls/${waiting}/registrar/key`, key), { status: 401, error: 'BAD_REGISTRAR_TOKEN' });
      expectRefusal(await who.get(`/api/polls/${waiting}/registrar`), { status: 401, error: 'BAD_REGISTRAR_TOKEN' });
    }
    await refused(() => as(token).post(`/api/polls/${open.poll}/registrar/credentials`, { credentials: [], signature: '00'.repeat(64) }), { status: 401, error: 'BAD_REGISTRAR_TOKEN' }, [open.poll]);
    expectRefusal(await as(token).get(`/api/polls/${UNKNOWN_POLL}/registrar`), { status: 404, error: 'NOT_FOUND' });
  });

  it('refuses to publish before a registrar gave her key with NO_REGISTRAR, writing nothing', async () => {
    await refused(() => owner.post(`/api/polls/${waiting}/publish`), { status: 409, error: 'NO_REGISTRAR' });
  });

  it('takes her key before publication, then refuses a new key or link after it with WRONG_STATE, writing nothing; her signed list is listed, another’s refused', async () => {
    const named = await as(token).request('PUT', `/api/polls/${waiting}/registrar/key`, { name: 'Ms Chen', key: registrarKey });
    expect(named.status, JSON.stringify(named.body)).toBe(200);
    expect(named.body.registrar).toEqual({ name: 'Ms Chen', key: registrarKey, isOrganiser: false });
    // The organiser saving her draft without the field keeps the registrar's key.
    expect((await owner.put(`/api/polls/${waiting}/draft`, { draft: (({ registrar: _, ...rest }) => rest)(courtyardDraft({ t: 1, n: 1 })) })).status).toBe(200);
    expect((await as(token).get(`/api/polls/${waiting}/registrar`)).body.registrar).toEqual({ name: 'Ms Chen', key: registrarKey, isOrganiser: false });
    expect((await owner.post(`/api/polls/${waiting}/publish`)).status).toBe(200);
    const other = hex(registrarPublicKey(new Uint8Array(32).fill(78)));
    await refused(() => as(token).request('PUT', `/api/polls/${waiting}/registrar/key`, { name: 'Someone else', key: other }), { status: 409, error: 'WRONG_STATE' }, [waiting]);
    await refused(() => owner.post(`/api/polls/${waiting}/registrar-invite`), { status: 409, error: 'WRONG_STATE' }, [waiting]);
    const list = [{ key: Voter.make(waiting, rng).credential.publicKey, weight: 1 }];
    const height = await sizeOf(waiting);
    await refused(() => as(token).post(`/api/polls/${waiting}/registrar/credentials`, { credentials: [] as unknown[], signature: '00'.repeat(64) }), { status: 400, error: 'BAD_REQUEST', field: 'body.credentials' }, [waiting]);
    const byOrganiserKey = await credentialsBody(owner, waiting, list); // the test organiser's seed, not the registrar's
    await refused(() => as(token).post(`/api/polls/${waiting}/registrar/credentials`, byOrganiserKey), { status: 422, error: 'BAD_REGISTRAR_SIGNATURE', height }, [waiting]);
    await refused(() => owner.post(`/api/polls/${waiting}/credentials`, byOrganiserKey), { status: 422, error: 'BAD_REGISTRAR_SIGNATURE', height }, [waiting]);
    const listed = await as(token).post(`/api/polls/${waiting}/registrar/credentials`, await credentialsBody(owner, waiting, list, REGISTRAR_SEED));
    expect(listed.status, JSON.stringify(listed.body)).toBe(200);
    expect(listed.body).toEqual({ height, listed: 1 });
  });
});

describe('POLL_PUBLISHED and POLL_NOT_FINISHED', () => {
  it('refuses to delete a published poll, and to hide a poll that is not finished, writing nothing', async () => {
    await refused(() => owner.del(`/api/polls/${open.poll}`), { status: 409, error: 'POLL_PUBLISHED' }, [open.poll]);
    await refused(() => owner.put(`/api/polls/${open.poll}/hidden`, { hidden: true }), { status: 409, error: 'POLL_NOT_FINISHED' }, [open.poll]);
    await refused(() => owner.put(`/api/polls/${draft}/hidden`, { hidden: true }), { status: 409, error: 'POLL_NOT_FINISHED' });
  });
});

describe('the closed set of error codes', () => {
  it('gives every refusal in this file a code from ERROR_CODES, and covers the codes named here', () => {
    expect(answered.length).toBeGreaterThan(50);
    for (const r of answered) expect(ERROR_CODES, JSON.stringify(r.body)).toContain(r.body.error);
    const covered = new Set(answered.map((r) => r.body.error));
    for (const code of [
      'BAD_JSON', 'BAD_REQUEST', 'BODY_TOO_LARGE', 'UNSUPPORTED_MEDIA_TYPE', 'NOT_FOUND', 'UNAUTHENTICATED', 'BAD_LOGIN', 'BAD_SETUP_TOKEN',
      'BAD_TRUSTEE_TOKEN', 'NOT_YOUR_INDEX', 'WRONG_STATE', 'NOT_LISTED', 'WRONG_PHASE', 'UNKNOWN_CREDENTIAL', 'BAD_PROOF', 'WRONG_ELECTION',
      'REVOTE_LIMIT', 'DUPLICATE_CREDENTIAL', 'MALFORMED', 'BAD_REGISTRAR_TOKEN', 'BAD_REGISTRAR_SIGNATURE', 'NO_REGISTRAR',
      'POLL_PUBLISHED', 'POLL_NOT_FINISHED',
    ] satisfies ErrorCode[]) {
      expect(covered, code).toContain(code);
    }
  });
});
