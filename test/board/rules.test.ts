/**
 * The election rules (§B.4) through a live Board over a real SQLite store: one poll driven from the
 * empty board to its result, with every rejection code of REJECTIONS reached on the way. After each
 * rejection the board (size, head, latest checkpoint, rules' state) and the SQLite file (every row of
 * its three tables, read through a separate read-only connection, and the bytes of the database and
 * its WAL) are exactly as before. Header-level refusals (type, version, chain, time), which the Board
 * never produces itself, go through applyEntry on a state. The tests of the poll are sequential: each
 * leaves the board ready for the next.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { Database as SqliteDatabase } from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { concatBytes } from '@noble/hashes/utils.js';
import { stateDigest } from './state-digest.ts';
import type { RunnerTask } from 'vitest';
import {
  G,
  add,
  ballotBinding,
  buildMessage,
  ceremonyHash,
  commitTrustee,
  complaintContext,
  createBallot,
  createDecryptionShares,
  createTrustee,
  dealShares,
  decodeBallot,
  deriveCredential,
  deriveKeyShare,
  encodeBallot,
  encodeBallotBody,
  encodePoint,
  evaluateCeremony,
  generateCredentialCode,
  mulPublic,
  mulSecret,
  proveDleq,
  reviewShares,
  seededRandom,
  sign,
  signTranscript,
  toHex,
  verifyBallotDirect,
  type Answer,
  type Ballot,
  type BallotOpening,
  type CeremonyOutcome,
  type CreatedBallot,
  type IdentityMessage,
  type Question,
  type RangeProof,
  type TrusteeSecrets,
} from '../../crypto/index.ts';
import {
  Board,
  MAX_AUDITS,
  MAX_TOTAL_WEIGHT,
  REJECTIONS,
  applyEntry,
  ballotFacts,
  computeTally,
  createState,
  encodeAudit,
  encodeCeremony,
  signCredentialList,
  signRevocation,
  encodeEntry,
  decodeManifest,
  encodeExtend,
  encodeKey,
  encodeManifest,
  encodeResult,
  encodeStep,
  encodeTally,
  genesisHash,
  parseRecord,
  type BoardState,
  type EntryTypeName,
  type KeyRecord,
  type ListedCredential,
  type Manifest,
  type Rejection,
  type RejectionCode,
  type TallyRecord,
} from '../../bulletin-board/index.ts';
import { SqliteStorage } from '../../bulletin-board/store/index.ts';
import {
  audit,
  cast,
  count,
  expectedKey,
  listVoters,
  makeBallot,
  must,
  plainTotals,
  randomAnswers,
  refused,
  runCeremony,
  sampleManifest,
  signedCredentials,
  signedRevocation,
  startPoll,
  testLogKey,
  testRegistrarSeed,
  type Poll,
  type Voter,
} from './poll-support.ts';

// ---------------------------------------------------------------------------------------------------
// Which codes the file reached, and the check that it reached them all.

const reached = new Set<RejectionCode>();

function allTests(task: RunnerTask): RunnerTask[] {
  return task.type === 'suite' ? task.tasks.flatMap(allTests) : [task];
}

afterAll(({}, file) => {
  // Only meaningful when the whole file ran (not under -t or .only): then every code must be reached.
  const tests = file.tasks.flatMap(allTests);
  if (tests.some((t) => t.mode !== 'run' || t.result?.state !== 'pass')) return;
  expect([...reached].sort()).toEqual(Object.keys(REJECTIONS).sort());
});

// ---------------------------------------------------------------------------------------------------
// Snapshots: the board, its rules' state, and the SQLite file.

const dir = mkdtempSync(join(tmpdir(), 'gongshi-rules-'));
const readers = new Map<string, SqliteDatabase>();

afterAll(() => {
  for (const db of readers.values()) db.close();
  rmSync(dir, { recursive: true, force: true });
});

function sha(parts: Iterable<string | Uint8Array>): string {
  const h = createHash('sha256');
  for (const p of parts) {
    const b = typeof p === 'string' ? Buffer.from(p, 'utf8') : p;
    const n = Buffer.alloc(4);
    n.writeUInt32BE(b.length);
    h.update(n).update(b);
  }
  return h.digest('hex');
}

/** Everything the rules remember, small enough to compare (test/board/state-digest.ts). */
const digest = stateDigest;

/** The SQLite file: row counts and a hash of every row of the three tables, and the files' bytes. */
function storeSnapshot(path: string) {
  let db = readers.get(path);
  if (db === undefined) {
    db = new Database(path, { readonly: true, fileMustExist: true });
    readers.set(path, db);
  }
  const tables = [
    ['entries', 'height, hash, bytes, tracker', 'height'],
    ['nodes', 'position, hash', 'position'],
    ['checkpoints', 'size, note', 'size'],
  ] as const;
  const out: Record<string, unknown> = {};
  for (const [table, columns, order] of tables) {
    out[`${table}.count`] = (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
    const rows = db.prepare(`SELECT ${columns} FROM ${table} ORDER BY ${order}`).raw().all() as unknown[][];
    out[`${table}.rows`] = sha(rows.flatMap((row) => row.map((v) => (v === null ? '∅' : v instanceof Uint8Array ? v : `${typeof v}:${String(v)}`))));
  }
  out.file = sha([readFileSync(path)]);
  out.wal = existsSync(`${path}-wal`) ? sha([readFileSync(`${path}-wal`)]) : null;
  return out;
}

function snapshot(board: Board, path: string) {
  return {
    size: board.size,
    head: board.state.head && toHex(board.state.head),
    checkpoint: board.latestCheckpoint(),
    state: digest(board.state),
    store: storeSnapshot(path),
  };
}

/** Runs `action` and asserts that the board, its state and its SQLite file are exactly as before. */
async function expectUnchanged<T>(board: Board, path: string, action: () => Promise<T>): Promise<T> {
  const before = snapshot(board, path);
  const result = await action();
  await board.settled();
  expect(snapshot(board, path)).toEqual(before);
  return result;
}

// ---------------------------------------------------------------------------------------------------
// The poll: a 2-of-3 board over SQLite with a clock the tests control.

const T0 = Date.UTC(2026, 10, 21, 9);
const OPENS = T0 + 3_600_000;
const CLOSES = T0 + 7_200_000;
const QUESTIONS: Question[] = [{ kind: 'single', options: 2 }, { kind: 'yes-no-abstain' }];

const clock = { now: T0 };
/** One second per reading, like steppingClock, but the tests may move it anywhere. */
const readClock = () => (clock.now += 1000);
/** The next entry the board stamps will carry exactly time `t` (unless earlier than the last entry). */
const nextTimeIs = (t: number) => {
  clock.now = t - 1000;
};

const path = join(dir, 'poll.db');
const rng = seededRandom('rules test');
const manifest = sampleManifest(rng, {
  questions: QUESTIONS.map((question) => ({ question, prompt: [], options: [] })),
  opensAt: OPENS,
  closesAt: CLOSES,
  maxBallots: 2,
});
let poll: Poll;
let board: Board;

async function refuses(type: EntryTypeName, payload: Uint8Array, code: RejectionCode, reason?: RegExp): Promise<Rejection> {
  const r = await expectUnchanged(board, path, () => board.submit(type, payload));
  expect(r).toMatchObject({ ok: false, code, height: board.size });
  if (reason) expect((r as Rejection).reason).toMatch(reason);
  reached.add(code);
  return r as Rejection;
}

/** applyEntry on a state, refused with `code`, the state unchanged. */
async function refusesApply(state: BoardState, bytes: Uint8Array, code: RejectionCode, reason?: RegExp): Promise<Rejection> {
  const before = digest(state);
  const v = await applyEntry(state, bytes);
  expect(v).toMatchObject({ ok: false, code, height: state.height });
  if (reason) expect((v as Rejection).reason).toMatch(reason);
  expect(digest(state)).toEqual(before);
  reached.add(code);
  return v as Rejection;
}

const EMPTY = new Uint8Array(0);
const dummyKey = (run: number): Uint8Array => encodeKey({ run, fingerprint: new Uint8Array(32), transcript: new Uint8Array(32), jointKey: G, verificationKeys: [{ index: 1, key: G }] });

function answers(k: number): Answer[] {
  return [{ values: k % 2 === 0 ? [1, 0] : [0, 1] }, { values: [0, 1, 2].map((i) => (i === k % 3 ? 1 : 0)) }];
}

function fresh(count: number, weight = 1): (Voter & ListedCredential)[] {
  return Array.from({ length: count }, () => {
    const code = generateCredentialCode(rng);
    const credential = deriveCredential(code, manifest.pollId);
    return { code, credential, weight, key: credential.publicKey };
  });
}

/** The ballot re-signed by `voter` after the caller changed it (the voter signs what she likes). */
function signedBallot(voter: Voter, b: Omit<Ballot, 'signature'>): Uint8Array {
  const cred = voter.credential;
  const signature = sign(cred.secret, cred.publicKey, encodeBallotBody(b), { fingerprint: b.fingerprint, binding: ballotBinding(cred.publicKey, []) }, rng);
  return encodeBallot({ ...b, signature });
}

function bumpProof(p: RangeProof): RangeProof {
  if (p.kind === 'disjunctive') return { kind: 'disjunctive', proof: { ...p.proof, z: [add(p.proof.z[0], 1n), ...p.proof.z.slice(1)] } };
  const [first, ...rest] = p.proof.lower;
  return { kind: 'bits', proof: { ...p.proof, lower: [{ ...first, proof: { ...first.proof, z: [add(first.proof.z[0], 1n), ...first.proof.z.slice(1)] } }, ...rest] } };
}

function withSlot(b: Ballot, q: number, i: number, slot: Ballot['answers'][number]['slots'][number]): Omit<Ballot, 'signature'> {
  return { ...b, answers: b.answers.map((a, k) => (k === q ? { ...a, slots: a.slots.map((s, j) => (j === i ? slot : s)) } : a)) };
}

function auditPayload(b: CreatedBallot, opening: BallotOpening = b.opening): Uint8Array {
  return encodeAudit(encodeBallot(b.ballot), opening);
}

async function castAs(i: number, k: number): Promise<CreatedBallot> {
  const b = makeBallot(poll, i, answers(k));
  await must(board, 'ballot', b.bytes);
  poll.cast.set(i, answers(k));
  return b;
}

beforeAll(async () => {
  const logKey = testLogKey(manifest);
  board = await Board.open({ storage: new SqliteStorage(path), logKey, clock: readClock, rng });
  poll = { board, manifest, rng, logKey, trustees: [], keyShares: new Map(), voters: [], cast: new Map() };
});

afterAll(() => board?.close());

// ---------------------------------------------------------------------------------------------------

describe('the rules through a board over SQLite, from the empty board to the result', () => {
  /** voter 0's first ballot */
  let first: CreatedBallot;

  describe('the empty board', () => {
    it('accepts nothing but a manifest (WRONG_PHASE), and no malformed manifest (MALFORMED)', async () => {
      expect(board.size).toBe(0);
      expect(board.latestCheckpoint()).toBeNull();
      await refuses('credentials', signedCredentials(board, [{ key: G, weight: 1 }]), 'WRONG_PHASE', /first entry is the manifest/);
      await refuses('open', EMPTY, 'WRONG_PHASE');
      const bytes = encodeManifest(manifest);
      await refuses('manifest', bytes.subarray(0, bytes.length - 3), 'MALFORMED', /maxExtension/);
      await refuses('manifest', Uint8Array.of(...bytes, 0), 'MALFORMED', /trailing/);
      await refuses('manifest', Uint8Array.of(7, 7, 7), 'MALFORMED');
    });

    it('the manifest starts the poll: empty → setup', async () => {
      const r = await must(board, 'manifest', encodeManifest(manifest));
      expect(r.height).toBe(0);
      expect(board.state.phase).toBe('setup');
      expect(board.state.manifest).toEqual(manifest);
      expect(board.state.time).toBe(clock.now); // the clock was read for each refused submission too
    });
  });

  describe('setup and the key ceremony', () => {
    it('setup refuses a second manifest and everything of a later phase (WRONG_PHASE)', async () => {
      await refuses('manifest', encodeManifest(manifest), 'WRONG_PHASE', /manifest entry is not allowed in phase setup/);
      await refuses('manifest', encodeManifest(sampleManifest(rng)), 'WRONG_PHASE');
      await refuses('step', encodeStep(1, 2), 'WRONG_PHASE');
      await refuses('key', dummyKey(1), 'WRONG_PHASE');
      await refuses('open', EMPTY, 'WRONG_PHASE');
      await refuses('close', EMPTY, 'WRONG_PHASE');
    });

    it('runs are numbered 1, 2, …; steps open in order 2 … 6 (BAD_RUN); setup → ceremony', async () => {
      await refuses('ceremony', encodeCeremony(2), 'BAD_RUN', /run 2, expected 1/);
      await refuses('ceremony', encodeCeremony(0), 'BAD_RUN');
      await must(board, 'ceremony', encodeCeremony(1));
      expect(board.state.phase).toBe('ceremony');
      expect(board.state.ceremony).toMatchObject({ run: 1, step: 1 });
      await refuses('ceremony', encodeCeremony(1), 'BAD_RUN', /expected 2/);
      await refuses('step', encodeStep(2, 2), 'BAD_RUN', /current run is 1/);
      await refuses('step', encodeStep(1, 3), 'BAD_RUN', /step 3 cannot follow step 1/);
      await refuses('step', encodeStep(1, 1), 'MALFORMED', /step/);
      await refuses('step', encodeStep(1, 7), 'MALFORMED', /step/);
      await refuses('key', dummyKey(1), 'WRONG_PHASE', /step 6, not 1/);
    });

    let run1Identity: IdentityMessage;

    it('a run in which too few trustees qualify gives no key (CEREMONY_INCOMPLETE)', async () => {
      const c = board.state.ceremony!;
      run1Identity = createTrustee(c.params, 1, rng).identity;
      await must(board, 'trustee', run1Identity.bytes);
      // The snapshot behind expectUnchanged sees an append in every part: board, state, SQLite rows and file.
      const before = snapshot(board, path);
      await must(board, 'step', encodeStep(1, 2));
      const after = snapshot(board, path);
      for (const part of ['size', 'head', 'checkpoint', 'state'] as const) expect(after[part]).not.toEqual(before[part]);
      for (const part of ['entries.count', 'entries.rows', 'nodes.count', 'nodes.rows', 'checkpoints.count', 'checkpoints.rows', 'wal'])
        expect(after.store[part], part).not.toEqual(before.store[part]);
      for (let s = 3; s <= 6; s++) await must(board, 'step', encodeStep(1, s));
      expect(c.step).toBe(6);
      await refuses('step', encodeStep(1, 6), 'BAD_RUN', /step 6 cannot follow step 6/);
      await refuses('key', dummyKey(1), 'CEREMONY_INCOMPLETE', /the ceremony failed: only 0 trustees qualified/);
    });

    it('the board never stamps a time earlier than the last entry, even when its clock goes back', async () => {
      const last = board.state.time;
      clock.now = T0 - 86_400_000;
      const r = await must(board, 'ceremony', encodeCeremony(2));
      const entry = [...board.entries(r.height, r.height + 1)][0];
      expect(new DataView(entry.bytes.buffer, entry.bytes.byteOffset + 42, 8).getBigUint64(0)).toBe(BigInt(last));
      expect(board.state.time).toBe(last);
      clock.now = last;
    });

    it('the new run starts at step 1 and refuses the old run’s messages', async () => {
      expect(board.state.ceremony).toMatchObject({ run: 2, step: 1 });
      expect(board.state.ceremony!.record.identities).toEqual([]);
      await refuses('trustee', run1Identity.bytes, 'TRUSTEE_REFUSED', /another ceremony/);
      await refuses('step', encodeStep(1, 2), 'BAD_RUN');
      await refuses('ceremony', encodeCeremony(4), 'BAD_RUN');
    });

    let secrets: TrusteeSecrets[];
    let identities: IdentityMessage[];
    let committed: ReturnType<typeof commitTrustee>[];
    let h: Uint8Array;

    it('step 1: identities; a forged one is refused, then the trustee’s own is accepted', async () => {
      const c = board.state.ceremony!;
      h = ceremonyHash(c.params);
      const made = [1, 2, 3].map((i) => createTrustee(c.params, i, rng));
      secrets = made.map((m) => m.secrets);
      identities = made.map((m) => m.identity);
      poll.trustees = secrets;
      committed = secrets.map((s) => commitTrustee(s, rng));
      await refuses('trustee', committed[0].commit.bytes, 'WRONG_PHASE', /commit message in step 1/);
      // A decryption message is never a trustee entry.
      await refuses('trustee', buildMessage('decryption', h, 1, { shares: [] }, secrets[0].signing, rng).bytes, 'MALFORMED', /kind/);
      // Trustee 1's identity, signed by trustee 2's key.
      const id = identities[0];
      const forged = buildMessage('identity', h, 1, { signingKey: id.signingKey, encryptionKey: id.encryptionKey, encryptionProof: id.encryptionProof }, secrets[1].signing, rng);
      await refuses('trustee', forged.bytes, 'TRUSTEE_REFUSED', /identity from trustee 1: bad signature/);
      // An index beyond n.
      const stranger = buildMessage('identity', h, 4, { signingKey: id.signingKey, encryptionKey: id.encryptionKey, encryptionProof: id.encryptionProof }, secrets[0].signing, rng);
      await refuses('trustee', stranger.bytes, 'TRUSTEE_REFUSED', /index 4/);
      await must(board, 'trustee', id.bytes);
      await refuses('trustee', id.bytes, 'TRUSTEE_REFUSED', /a second identity message from trustee 1/);
      await must(board, 'trustee', identities[1].bytes);
      await must(board, 'trustee', identities[2].bytes);
      expect(c.record.identities.map((m) => m.index)).toEqual([1, 2, 3]);
    });

    it('step 2: commits', async () => {
      await must(board, 'step', encodeStep(2, 2));
      await refuses('trustee', identities[0].bytes, 'WRONG_PHASE', /identity message in step 2/);
      await refuses('trustee', committed[0].reveal.bytes, 'WRONG_PHASE', /reveal message in step 2/);
      for (const x of committed) await must(board, 'trustee', x.commit.bytes);
    });

    it('step 3: a reveal that does not match its commit is refused, then the right one accepted', async () => {
      await must(board, 'step', encodeStep(2, 3));
      const other = commitTrustee({ ...secrets[0] }, rng); // another polynomial, signed by trustee 1 herself
      await refuses('trustee', other.reveal.bytes, 'TRUSTEE_REFUSED', /reveal from trustee 1: does not match the committed hash/);
      await refuses('trustee', other.commit.bytes, 'WRONG_PHASE');
      for (const x of committed) await must(board, 'trustee', x.reveal.bytes);
    });

    it('step 4: shares', async () => {
      await must(board, 'step', encodeStep(2, 4));
      const c = board.state.ceremony!;
      for (const s of secrets) await must(board, 'trustee', (await dealShares(s, c.record.identities, rng)).bytes);
    });

    it('step 5: a false complaint is refused (TRUSTEE_REFUSED)', async () => {
      await must(board, 'step', encodeStep(2, 5));
      const c = board.state.ceremony!;
      // Trustee 1 reveals the key of the (correct) share trustee 2 dealt her, and complains.
      const me = secrets[0];
      const entry = c.record.shares.find((m) => m.index === 2)!.shares.find((s) => s.to === 1)!;
      const K = mulSecret(entry.E, me.encryption.secret);
      const proof = proveDleq({ B1: G, X1: me.encryption.publicKey, B2: entry.E, X2: K }, me.encryption.secret, complaintContext(h, 1, 2), rng);
      const complaint = buildMessage('complaint', h, 1, { accused: 2, key: K, proof }, me.signing, rng);
      await refuses('trustee', complaint.bytes, 'TRUSTEE_REFUSED', /complaint from trustee 1: .*false complaint/);
      for (const s of secrets) expect(await reviewShares(s, c.record, rng)).toEqual([]);
    });

    let outcome: CeremonyOutcome;

    it('step 6: finishes; a finish of another transcript is refused; no key until all qualified signed', async () => {
      await must(board, 'step', encodeStep(2, 6));
      const c = board.state.ceremony!;
      await refuses('key', dummyKey(2), 'CEREMONY_INCOMPLETE', /qualified trustees 1, 2, 3 have not signed/);
      outcome = await evaluateCeremony(c.params, { ...c.record, finishes: [] });
      expect(outcome.qualified).toEqual([1, 2, 3]);
      for (const s of secrets) poll.keyShares.set(s.index, await deriveKeyShare(s, outcome));
      const x1 = poll.keyShares.get(1)!;
      const other = signTranscript(secrets[0], { ...outcome, transcript: rng(32) }, x1, rng);
      await refuses('trustee', other.bytes, 'TRUSTEE_REFUSED', /finish from trustee 1: signs a different transcript/);
      await must(board, 'trustee', signTranscript(secrets[0], outcome, x1, rng).bytes);
      await must(board, 'trustee', signTranscript(secrets[1], outcome, poll.keyShares.get(2)!, rng).bytes);
      // The key entry the ceremony would produce, but trustee 3 has not signed yet.
      await refuses('key', encodeKey(expectedKey(poll)), 'CEREMONY_INCOMPLETE', /qualified trustees 3 have not signed/);
      await refuses('trustee', signTranscript(secrets[1], outcome, poll.keyShares.get(2)!, rng).bytes, 'TRUSTEE_REFUSED', /second finish/);
      await must(board, 'trustee', signTranscript(secrets[2], outcome, poll.keyShares.get(3)!, rng).bytes);
      expect(c.outcome?.complete).toBe(true);
    });

    it('the key entry must be exactly the ceremony’s outcome (KEY_MISMATCH); ceremony → ready', async () => {
      const key: KeyRecord = expectedKey(poll);
      await refuses('key', encodeKey({ ...key, jointKey: G }), 'KEY_MISMATCH', /joint key/);
      await refuses('key', encodeKey({ ...key, fingerprint: rng(32) }), 'KEY_MISMATCH', /fingerprint/);
      await refuses('key', encodeKey({ ...key, transcript: rng(32) }), 'KEY_MISMATCH', /transcript/);
      await refuses('key', encodeKey({ ...key, run: 1 }), 'KEY_MISMATCH', /run/);
      await refuses('key', encodeKey({ ...key, verificationKeys: key.verificationKeys.slice(0, 2) }), 'KEY_MISMATCH', /verification keys/);
      await refuses('key', encodeKey({ ...key, verificationKeys: [...key.verificationKeys].reverse() }), 'KEY_MISMATCH', /verification keys/);
      await must(board, 'key', encodeKey(key));
      expect(board.state.phase).toBe('ready');
      expect(board.state.election?.fingerprint).toEqual(key.fingerprint);
      expect(board.state.election?.t).toBe(2);
    });
  });

  describe('eligibility and opening', () => {
    it('ready refuses ceremony entries (WRONG_PHASE) and cannot open without a credential (NO_CREDENTIALS)', async () => {
      await refuses('ceremony', encodeCeremony(3), 'WRONG_PHASE');
      await refuses('step', encodeStep(2, 6), 'WRONG_PHASE');
      await refuses('key', encodeKey(expectedKey(poll)), 'WRONG_PHASE');
      await refuses('trustee', signTranscript(poll.trustees[0], board.state.ceremony!.outcome!, poll.keyShares.get(1)!, rng).bytes, 'WRONG_PHASE');
      await refuses('open', EMPTY, 'NO_CREDENTIALS');
    });

    it('a list the manifest’s registrar did not sign for this poll is BAD_REGISTRAR_SIGNATURE: unsigned, a stranger’s, another poll’s, or changed after signing', async () => {
      const list = fresh(2);
      const own = signedCredentials(board, list);
      const unsigned = Uint8Array.of(...own.subarray(0, own.length - 64), ...new Uint8Array(64));
      const stranger = signCredentialList(list, board.state.manifestHash!, new Uint8Array(32).fill(5));
      const otherPoll = signCredentialList(list, new Uint8Array(32).fill(1), testRegistrarSeed(manifest.pollId));
      const heavier = own.slice();
      heavier[4 + 32 + 3] = 200; // the first weight, 1 → 200, after the registrar signed
      for (const payload of [unsigned, stranger, otherPoll, heavier]) await refuses('credentials', payload, 'BAD_REGISTRAR_SIGNATURE', /not signed by the registrar/);
    });

    it('a credential listed twice in one entry is DUPLICATE_CREDENTIAL', async () => {
      const [a, b] = fresh(2);
      await refuses('credentials', signedCredentials(board, [a, b, a]), 'DUPLICATE_CREDENTIAL', /credential 2/);
    });

    it('credentials are listed in ready, up to exactly MAX_TOTAL_WEIGHT; one more is WEIGHT_LIMIT', async () => {
      await listVoters(poll, 4, (i) => i + 1); // weights 1, 2, 3, 4
      expect(board.state.listedWeight).toBe(10);
      // 9,999 credentials of weight 1000 and one of 990: exactly the limit.
      let P = mulPublic(G, 987_654_321n);
      const bulk: ListedCredential[] = [];
      for (let i = 0; i < 10_000; i++) {
        bulk.push({ key: P, weight: i === 0 ? 990 : 1000 });
        P = P.add(G);
      }
      await must(board, 'credentials', signedCredentials(board, bulk));
      expect(board.state.listedWeight).toBe(MAX_TOTAL_WEIGHT);
      await refuses('credentials', signedCredentials(board, fresh(1)), 'WEIGHT_LIMIT', /10000001/);
    });

    it('a credential listed in an earlier entry is DUPLICATE_CREDENTIAL', async () => {
      await refuses('credentials', signedCredentials(board, [...fresh(1), { key: poll.voters[2].credential.publicKey, weight: 1 }]), 'DUPLICATE_CREDENTIAL', /credential 1/);
    });

    it('before the poll opens: a ballot is WRONG_PHASE; open is MALFORMED with a payload, TOO_EARLY before opensAt', async () => {
      await refuses('ballot', makeBallot(poll, 0, answers(0)).bytes, 'WRONG_PHASE', /ballot entry is not allowed in phase ready/);
      await refuses('open', Uint8Array.of(0), 'MALFORMED', /trailing/);
      nextTimeIs(OPENS - 1);
      await refuses('open', EMPTY, 'TOO_EARLY', /opens at/);
    });

    it('header-level refusals through applyEntry leave the live board and its file untouched', async () => {
      const s = board.state;
      const header = { type: 'open' as const, height: s.height, prev: s.head!, time: s.time };
      await expectUnchanged(board, path, async () => {
        await refusesApply(s, encodeEntry({ ...header, time: s.time - 1 }, EMPTY), 'BAD_TIME');
        await refusesApply(s, encodeEntry({ ...header, height: s.height + 1 }, EMPTY), 'BAD_CHAIN');
        await refusesApply(s, encodeEntry({ ...header, prev: rng(32) }, EMPTY), 'BAD_CHAIN');
        await refusesApply(s, encodeEntry({ ...header, time: OPENS - 1 }, EMPTY).subarray(0, 49), 'MALFORMED');
      });
    });

    it('the poll opens at exactly opensAt: ready → open', async () => {
      nextTimeIs(OPENS);
      await must(board, 'open', EMPTY);
      expect(board.state.phase).toBe('open');
      expect(board.state.time).toBe(OPENS);
    });
  });

  describe('voting', () => {

    it('the open poll refuses setup entries (WRONG_PHASE)', async () => {
      await refuses('ceremony', encodeCeremony(3), 'WRONG_PHASE');
      await refuses('open', EMPTY, 'WRONG_PHASE');
      await refuses('manifest', encodeManifest(manifest), 'WRONG_PHASE');
      await refuses('tally', encodeTally(computeTally(board.state)), 'WRONG_PHASE');
    });

    it('a ballot is cast; the same bytes again are DUPLICATE_TRACKER', async () => {
      first = await castAs(0, 0);
      expect(board.state.ballots).toBe(1);
      await refuses('ballot', first.bytes, 'DUPLICATE_TRACKER');
    });

    it('malformed ballots are MALFORMED', async () => {
      const b = makeBallot(poll, 1, answers(1));
      await refuses('ballot', b.bytes.subarray(0, b.bytes.length - 1), 'MALFORMED');
      await refuses('ballot', b.bytes.subarray(0, 100), 'MALFORMED');
      await refuses('ballot', Uint8Array.of(...b.bytes, 0), 'MALFORMED', /trailing/);
      const v2 = b.bytes.slice();
      v2[0] = 2;
      await refuses('ballot', v2, 'MALFORMED', /version/);
    });

    it('a ballot for another fingerprint is WRONG_ELECTION', async () => {
      const e = board.state.election!;
      const b = createBallot({ shape: { questions: QUESTIONS }, key: e.jointKey, fingerprint: rng(32), credential: poll.voters[1].credential, answers: answers(1) }, rng);
      await refuses('ballot', b.bytes, 'WRONG_ELECTION');
    });

    it('a ballot signed by an unlisted credential is UNKNOWN_CREDENTIAL', async () => {
      const stranger = fresh(1)[0];
      const e = board.state.election!;
      const b = createBallot({ shape: { questions: QUESTIONS }, key: e.jointKey, fingerprint: e.fingerprint, credential: stranger.credential, answers: answers(1) }, rng);
      await refuses('ballot', b.bytes, 'UNKNOWN_CREDENTIAL');
    });

    it('a ciphertext already on the board, or repeated within the ballot, is DUPLICATE_CIPHERTEXT (before the proofs)', async () => {
      const voter = poll.voters[1];
      const b = makeBallot(poll, 1, answers(1));
      // An earlier ballot's slot copied into a new ballot, re-signed: the proofs no longer hold, but the duplicate is found first.
      await refuses('ballot', signedBallot(voter, withSlot(b.ballot, 0, 0, first.ballot.answers[0].slots[0])), 'DUPLICATE_CIPHERTEXT', /already on the board/);
      await refuses('ballot', signedBallot(voter, withSlot(b.ballot, 1, 2, first.ballot.answers[1].slots[0])), 'DUPLICATE_CIPHERTEXT', /already on the board/);
      // Only the α of an earlier ciphertext.
      const half = { alpha: first.ballot.answers[0].slots[1].alpha, beta: b.ballot.answers[0].slots[1].beta };
      await refuses('ballot', signedBallot(voter, withSlot(b.ballot, 0, 1, half)), 'DUPLICATE_CIPHERTEXT', /already on the board/);
      // One slot repeated within the ballot.
      await refuses('ballot', signedBallot(voter, withSlot(b.ballot, 0, 1, b.ballot.answers[0].slots[0])), 'DUPLICATE_CIPHERTEXT', /repeats within the ballot/);
    });

    it('a changed proof scalar, or a broken signature, is BAD_PROOF; then the voter’s correct ballot is accepted', async () => {
      const voter = poll.voters[1];
      const e = board.state.election!;
      const params = { shapes: board.state.shapes!, key: e.jointKey, fingerprint: e.fingerprint };
      const b = makeBallot(poll, 1, answers(1));
      // Re-signing an unchanged ballot gives a valid ballot: the re-signing is right.
      expect(verifyBallotDirect(signedBallot(voter, b.ballot), params)).toBe(true);
      const tampered = { ...b.ballot, answers: b.ballot.answers.map((a, q) => (q === 0 ? { ...a, slotProofs: [bumpProof(a.slotProofs[0]), ...a.slotProofs.slice(1)] } : a)) };
      const proofOnly = signedBallot(voter, tampered);
      expect(decodeBallot(proofOnly, params.shapes)).toBeTruthy();
      await refuses('ballot', proofOnly, 'BAD_PROOF');
      // The sum proof changed.
      const sum = { ...b.ballot, answers: b.ballot.answers.map((a, q) => (q === 1 ? { ...a, sumProof: bumpProof(a.sumProof!) } : a)) };
      await refuses('ballot', signedBallot(voter, sum), 'BAD_PROOF');
      // The proofs intact, the signature's z changed.
      await refuses('ballot', encodeBallot({ ...b.ballot, signature: { ...b.ballot.signature, z: add(b.ballot.signature.z, 1n) } }), 'BAD_PROOF');
      // Signed by another voter's credential.
      await refuses('ballot', signedBallot(poll.voters[2], b.ballot), 'BAD_PROOF');
      await must(board, 'ballot', b.bytes);
      poll.cast.set(1, answers(1));
    });

    it('a credential casts at most maxBallots ballots (REVOTE_LIMIT); the last one counts', async () => {
      await castAs(0, 1);
      expect(board.state.credentials.get(toHex(encodePoint(poll.voters[0].credential.publicKey)))?.ballots).toBe(2);
      await refuses('ballot', makeBallot(poll, 0, answers(2)).bytes, 'REVOTE_LIMIT', /2 of 2/);
    });

    let audited: CreatedBallot;

    it('audits: BAD_PROOF, BAD_OPENING (a value, a randomness), then an accepted audit', async () => {
      const voter = poll.voters[2];
      const b = makeBallot(poll, 2, answers(0));
      const tampered = { ...b.ballot, answers: b.ballot.answers.map((a, q) => (q === 0 ? { ...a, slotProofs: [bumpProof(a.slotProofs[0]), ...a.slotProofs.slice(1)] } : a)) };
      await refuses('audit', encodeAudit(signedBallot(voter, tampered), b.opening), 'BAD_PROOF');
      // The other valid answer to question 1 (values swapped), same randomness.
      const swapped: BallotOpening = { values: b.opening.values.map((vs, q) => (q === 0 ? [vs[1], vs[0]] : vs)), r: b.opening.r };
      await refuses('audit', auditPayload(b, swapped), 'BAD_OPENING');
      const wrongR: BallotOpening = { values: b.opening.values, r: b.opening.r.map((rs, q) => (q === 1 ? rs.map((r, i) => (i === 2 ? add(r, 1n) : r)) : rs)) };
      await refuses('audit', auditPayload(b, wrongR), 'BAD_OPENING');
      const outOfRange: BallotOpening = { values: b.opening.values.map((vs, q) => (q === 0 ? [2, 0] : vs)), r: b.opening.r };
      await refuses('audit', auditPayload(b, outOfRange), 'BAD_OPENING');
      await refuses('audit', Uint8Array.of(...auditPayload(b), 0), 'MALFORMED');
      await must(board, 'audit', auditPayload(b));
      audited = b;
      expect(board.state.audits).toBe(1);
      expect(board.state.ballots).toBe(3);
    });

    it('an audited ballot cannot be cast, a cast ballot cannot be audited (DUPLICATE_TRACKER), nor reused (DUPLICATE_CIPHERTEXT)', async () => {
      await refuses('ballot', audited.bytes, 'DUPLICATE_TRACKER');
      await refuses('audit', auditPayload(first), 'DUPLICATE_TRACKER');
      await refuses('audit', auditPayload(audited), 'DUPLICATE_TRACKER');
      // The audit revealed this ciphertext's randomness: no new ballot may carry it.
      const b = makeBallot(poll, 2, answers(0));
      await refuses('ballot', signedBallot(poll.voters[2], withSlot(b.ballot, 0, 0, audited.ballot.answers[0].slots[0])), 'DUPLICATE_CIPHERTEXT');
    });

    it(`a credential audits at most MAX_AUDITS (${MAX_AUDITS}) ballots (AUDIT_LIMIT); audits do not count as ballots`, async () => {
      const voter = toHex(encodePoint(poll.voters[2].credential.publicKey));
      while (board.state.credentials.get(voter)!.audits < MAX_AUDITS) await must(board, 'audit', auditPayload(makeBallot(poll, 2, answers(board.state.audits))));
      await refuses('audit', auditPayload(makeBallot(poll, 2, answers(0))), 'AUDIT_LIMIT', new RegExp(`${MAX_AUDITS}`));
      // Another credential may still audit; this one may still cast, twice.
      await must(board, 'audit', auditPayload(makeBallot(poll, 1, answers(1))));
      await castAs(2, 2);
      await castAs(2, 0);
    });

    it('close is TOO_EARLY before closesAt; a ballot at closesAt is accepted, after it TOO_LATE; open → closed', async () => {
      await refuses('close', EMPTY, 'TOO_EARLY', /closes at/);
      nextTimeIs(CLOSES - 1);
      await refuses('close', EMPTY, 'TOO_EARLY');
      nextTimeIs(CLOSES);
      await castAs(3, 1);
      expect(board.state.time).toBe(CLOSES);
      nextTimeIs(CLOSES + 1);
      await refuses('ballot', makeBallot(poll, 3, answers(2)).bytes, 'TOO_LATE', /closed at/);
      await refuses('audit', auditPayload(makeBallot(poll, 1, answers(2))), 'TOO_LATE');
      // TOO_LATE comes before every other check of a ballot.
      await refuses('ballot', first.bytes, 'TOO_LATE');
      nextTimeIs(CLOSES + 1);
      await refuses('close', Uint8Array.of(1), 'MALFORMED');
      nextTimeIs(CLOSES + 1);
      await must(board, 'close', EMPTY);
      expect(board.state.phase).toBe('closed');
    });
  });

  describe('counting', () => {
    let tally: TallyRecord;

    it('closed refuses ballots, audits and decryptions (WRONG_PHASE)', async () => {
      await refuses('ballot', makeBallot(poll, 3, answers(2)).bytes, 'WRONG_PHASE');
      await refuses('audit', auditPayload(makeBallot(poll, 3, answers(2))), 'WRONG_PHASE');
      await refuses('close', EMPTY, 'WRONG_PHASE');
      await refuses('result', encodeResult(plainTotals(poll)), 'WRONG_PHASE');
    });

    it('the tally must be exactly the weighted sum of every credential’s last ballot (TALLY_MISMATCH); closed → tallied', async () => {
      tally = computeTally(board.state);
      expect(tally).toMatchObject({ counted: 4, weight: 1 + 2 + 3 + 4 });
      const changed = { ...tally, ciphertexts: tally.ciphertexts.map((c, i) => (i === 2 ? { alpha: c.alpha.add(G), beta: c.beta } : c)) };
      await refuses('tally', encodeTally(changed), 'TALLY_MISMATCH');
      await refuses('tally', encodeTally({ ...tally, counted: 3 }), 'TALLY_MISMATCH');
      await refuses('tally', encodeTally({ ...tally, weight: 11 }), 'TALLY_MISMATCH');
      // Voter 0's first ballot counted instead of her last.
      const credentials = new Map(board.state.credentials);
      const id = toHex(encodePoint(poll.voters[0].credential.publicKey));
      credentials.set(id, { ...credentials.get(id)!, last: concatBytes(...ballotFacts(first.ballot).slots) });
      await refuses('tally', encodeTally(computeTally({ ...board.state, credentials })), 'TALLY_MISMATCH');
      await refuses('tally', encodeTally({ ...tally, ciphertexts: tally.ciphertexts.slice(1) }), 'MALFORMED');
      await must(board, 'tally', encodeTally(tally));
      expect(board.state.phase).toBe('tallied');
    });

    function shares(j: number, over: { fingerprint?: Uint8Array; ciphertexts?: TallyRecord['ciphertexts'] } = {}) {
      const e = board.state.election!;
      return createDecryptionShares(
        { fingerprint: over.fingerprint ?? e.fingerprint, index: j, keyShare: poll.keyShares.get(j)!, signing: poll.trustees[j - 1].signing, ciphertexts: over.ciphertexts ?? tally.ciphertexts },
        rng,
      );
    }

    it('decryption shares: BAD_DECRYPTION (not qualified, bad signature, bad proof, another election, another tally); NOT_ENOUGH_SHARES', async () => {
      const e = board.state.election!;
      await refuses('result', encodeResult(plainTotals(poll)), 'NOT_ENOUGH_SHARES', /0 valid decryption shares, 2 needed/);
      const good = shares(2);
      await refuses('decryption', buildMessage('decryption', e.fingerprint, 4, { shares: good.shares }, poll.trustees[0].signing, rng).bytes, 'BAD_DECRYPTION', /trustee 4 is not qualified/);
      await refuses('decryption', buildMessage('decryption', e.fingerprint, 2, { shares: good.shares }, poll.trustees[0].signing, rng).bytes, 'BAD_DECRYPTION', /bad signature/);
      const bent = good.shares.map((s, k) => (k === 3 ? { M: s.M, proof: { ...s.proof, z: add(s.proof.z, 1n) } } : s));
      await refuses('decryption', buildMessage('decryption', e.fingerprint, 2, { shares: bent }, poll.trustees[1].signing, rng).bytes, 'BAD_DECRYPTION', /bad proof for ciphertext 3/);
      const fewer = good.shares.slice(1);
      await refuses('decryption', buildMessage('decryption', e.fingerprint, 2, { shares: fewer }, poll.trustees[1].signing, rng).bytes, 'BAD_DECRYPTION', /shares for 5 ciphertexts/);
      await refuses('decryption', shares(2, { fingerprint: rng(32) }).bytes, 'BAD_DECRYPTION', /another election/);
      const otherTally = tally.ciphertexts.map((c, i) => (i === 0 ? { alpha: c.alpha.add(G), beta: c.beta } : c));
      await refuses('decryption', shares(2, { ciphertexts: otherTally }).bytes, 'BAD_DECRYPTION', /bad proof for ciphertext 0/);
      await refuses('decryption', Uint8Array.of(...good.bytes, 0), 'MALFORMED');
      await refuses('trustee', good.bytes, 'WRONG_PHASE');
      // After all that, trustee 2's own message is accepted.
      await must(board, 'decryption', good.bytes);
      await refuses('result', encodeResult(plainTotals(poll)), 'NOT_ENOUGH_SHARES', /1 valid decryption shares, 2 needed/);
      await refuses('decryption', shares(2).bytes, 'BAD_DECRYPTION', /trustee 2 has already posted/);
      await refuses('decryption', good.bytes, 'BAD_DECRYPTION', /already posted/);
      await must(board, 'decryption', shares(3).bytes);
    });

    it('the result must be what the shares decrypt the tally to (RESULT_MISMATCH); tallied → done', async () => {
      const totals = plainTotals(poll);
      // Last ballots: voter 0 (weight 1), 1 (2) and 3 (4) answered (b; no), voter 2 (3) answered (a; yes).
      expect(totals).toEqual([3, 1 + 2 + 4, 3, 1 + 2 + 4, 0]);
      await refuses('result', encodeResult(totals.map((v, i) => (i === 1 ? v + 1 : v))), 'RESULT_MISMATCH', /total 1 is 8; the shares decrypt it to 7/);
      await refuses('result', encodeResult(totals.map(() => 0)), 'RESULT_MISMATCH', /total 0/);
      await refuses('result', encodeResult(totals.slice(1)), 'MALFORMED');
      await must(board, 'decryption', shares(1).bytes); // a third trustee may still post
      await must(board, 'result', encodeResult(totals));
      expect(board.state.phase).toBe('done');
      expect(board.state.result).toEqual(totals);
    });

    it('done refuses every entry (WRONG_PHASE)', async () => {
      await refuses('result', encodeResult(plainTotals(poll)), 'WRONG_PHASE', /phase done/);
      await refuses('decryption', shares(1).bytes, 'WRONG_PHASE');
      await refuses('tally', encodeTally(tally), 'WRONG_PHASE');
      await refuses('ballot', makeBallot(poll, 3, answers(0)).bytes, 'WRONG_PHASE');
      await refuses('manifest', encodeManifest(manifest), 'WRONG_PHASE');
      await refuses('credentials', signedCredentials(board, fresh(1)), 'WRONG_PHASE');
    });
  });

  describe('after the poll', () => {
    it('the exported record replays through applyEntry to the same state, and the SQLite store reopens to it', async () => {
      const chunks = [...board.exportRecord()];
      const record = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
      chunks.reduce((at, c) => (record.set(c, at), at + c.length), 0);
      const parsed = parseRecord(record);
      expect(parsed.entries.length).toBe(board.size);
      const replayed = createState();
      for (const bytes of parsed.entries) expect(await applyEntry(replayed, bytes)).toMatchObject({ ok: true });
      expect(digest(replayed)).toEqual(digest(board.state));
      const size = board.size;
      const checkpoint = board.latestCheckpoint();
      board.close();
      board = await Board.open({ storage: new SqliteStorage(path), logKey: poll.logKey });
      expect(board.size).toBe(size);
      expect(board.latestCheckpoint()).toBe(checkpoint);
      expect(digest(board.state)).toEqual(digest(replayed));
    });
  });
});

// ---------------------------------------------------------------------------------------------------

describe('entry headers, the chain and time, through applyEntry', () => {
  const hrng = seededRandom('rules test: headers');
  const m = sampleManifest(hrng);
  const payload = encodeManifest(m);
  const genesis = genesisHash(m.pollId);
  const T = Date.UTC(2026, 0, 1);
  const state = createState();
  const manifestEntry = (over: Partial<{ height: number; prev: Uint8Array; time: number }> = {}) => encodeEntry({ type: 'manifest', height: 0, prev: genesis, time: T, ...over }, payload);

  it('MALFORMED headers: truncated, unknown type, unknown version, u64 over 2^53 − 1', async () => {
    const good = manifestEntry();
    await refusesApply(state, new Uint8Array(0), 'MALFORMED', /type/);
    await refusesApply(state, good.subarray(0, 1), 'MALFORMED', /version/);
    await refusesApply(state, good.subarray(0, 20), 'MALFORMED', /prev/);
    await refusesApply(state, good.subarray(0, 49), 'MALFORMED', /time/);
    for (const type of [0, 16, 255]) {
      const b = good.slice();
      b[0] = type;
      await refusesApply(state, b, 'MALFORMED', new RegExp(`unknown entry type ${type}`));
    }
    for (const version of [0, 2]) {
      const b = good.slice();
      b[1] = version;
      await refusesApply(state, b, 'MALFORMED', /unknown entry version/);
    }
    const high = good.slice();
    new DataView(high.buffer).setBigUint64(2, 1n << 53n);
    await refusesApply(state, high, 'MALFORMED', /height/);
    const late = good.slice();
    new DataView(late.buffer).setBigUint64(42, 1n << 63n);
    await refusesApply(state, late, 'MALFORMED', /time/);
  });

  it('the first entry: a manifest whose prev is its poll’s genesis hash (BAD_CHAIN, WRONG_PHASE)', async () => {
    await refusesApply(state, manifestEntry({ prev: new Uint8Array(32) }), 'BAD_CHAIN', /genesis/);
    await refusesApply(state, manifestEntry({ prev: genesisHash(hrng(16)) }), 'BAD_CHAIN', /genesis/);
    await refusesApply(state, manifestEntry({ height: 1 }), 'BAD_CHAIN', /height 1, expected 0/);
    await refusesApply(state, encodeEntry({ type: 'ceremony', height: 0, prev: genesis, time: T }, encodeCeremony(1)), 'WRONG_PHASE');
    await refusesApply(state, encodeEntry({ type: 'manifest', height: 0, prev: genesis, time: T }, payload.subarray(1)), 'MALFORMED');
    expect(await applyEntry(state, manifestEntry())).toMatchObject({ ok: true });
    expect(state).toMatchObject({ height: 1, time: T, phase: 'setup' });
  });

  it('later entries: the next height and the previous hash (BAD_CHAIN), never an earlier time (BAD_TIME)', async () => {
    const next = (over: Partial<{ height: number; prev: Uint8Array; time: number }> = {}) => encodeEntry({ type: 'ceremony', height: 1, prev: state.head!, time: T, ...over }, encodeCeremony(1));
    await refusesApply(state, next({ height: 0 }), 'BAD_CHAIN', /height 0, expected 1/);
    await refusesApply(state, next({ height: 2 }), 'BAD_CHAIN');
    await refusesApply(state, next({ prev: genesis }), 'BAD_CHAIN', /prev/);
    await refusesApply(state, next({ prev: hrng(32) }), 'BAD_CHAIN', /prev/);
    await refusesApply(state, next({ time: T - 1 }), 'BAD_TIME', /before the previous entry/);
    await refusesApply(state, next({ time: 0 }), 'BAD_TIME');
    await refusesApply(state, manifestEntry({ height: 1, prev: state.head!, time: T - 1 }), 'BAD_TIME'); // time is checked before phase
    await refusesApply(state, manifestEntry({ height: 1, prev: state.head!, time: T }), 'WRONG_PHASE');
    await refusesApply(state, encodeEntry({ type: 'open', height: 1, prev: state.head!, time: T }, Uint8Array.of(9)), 'WRONG_PHASE'); // phase before payload
    await refusesApply(state, next({ height: 2, time: T - 1 }), 'BAD_CHAIN'); // chain before time
    // The same time as the previous entry is allowed.
    expect(await applyEntry(state, next())).toMatchObject({ ok: true });
    expect(state).toMatchObject({ height: 2, time: T, phase: 'ceremony' });
  });
});

describe('the privacy floor (B.4.7.2)', () => {
  it('no decryption share is accepted for a tally that counts fewer credentials than the floor: BELOW_PRIVACY_FLOOR, nothing written', async () => {
    const small = await startPoll({ seed: 'privacy floor', manifest: { privacyFloor: 3 } });
    await listVoters(small, 3);
    await runCeremony(small);
    await must(small.board, 'open', new Uint8Array(0));
    await cast(small, 0, randomAnswers(small.rng));
    await cast(small, 1, randomAnswers(small.rng));
    await must(small.board, 'close', new Uint8Array(0));
    await must(small.board, 'tally', encodeTally(computeTally(small.board.state)));
    expect(small.board.state.tally!.counted).toBe(2);
    const e = small.board.state.election!;
    const m = createDecryptionShares({ fingerprint: e.fingerprint, index: 1, keyShare: small.keyShares.get(1)!, signing: small.trustees[0].signing, ciphertexts: small.board.state.tally!.ciphertexts }, small.rng);
    const size = small.board.size;
    const r = await refused(small.board, 'decryption', m.bytes);
    expect(r).toMatchObject({ code: 'BELOW_PRIVACY_FLOOR', height: size });
    expect(r.reason).toMatch(/counts 2 ballots; the privacy floor is 3/);
    expect(small.board.size).toBe(size);
    expect(small.board.state.decryptions.size).toBe(0);
    reached.add('BELOW_PRIVACY_FLOOR');
  });
});

// ---------------------------------------------------------------------------------------------------

describe('schedule changes on the record (B.4.6.6 closing early, B.4.6.7 extensions)', () => {
  const HOUR = 3_600_000;
  /** A scheduled poll over its own SQLite file, with a clock the test sets; two voters listed, key made. */
  async function scheduled(name: string, over: Partial<Manifest>) {
    const file = join(dir, `${name}.db`);
    const time = { now: T0 };
    const p = await startPoll({ seed: name, storage: new SqliteStorage(file), clock: () => (time.now += 1000), manifest: { opensAt: 0, closesAt: T0 + 10 * HOUR, ...over } });
    await listVoters(p, 2);
    await runCeremony(p);
    /** submits and insists on `code`, with the board, its state and its file unchanged */
    const refusedWith = async (type: EntryTypeName, payload: Uint8Array, code: RejectionCode, reason?: RegExp) => {
      const r = await expectUnchanged(p.board, file, () => p.board.submit(type, payload));
      expect(r).toMatchObject({ ok: false, code });
      if (reason) expect((r as Rejection).reason).toMatch(reason);
      reached.add(code);
    };
    return { p, time, refusedWith };
  }

  it('extensions: only as the manifest allows (NO_EXTENSION, BAD_EXTENSION), only before the closing time in force (TOO_LATE); each moves it, ballots follow it, nothing written on refusal', async () => {
    const none = await scheduled('no extension', { maxExtension: 0 });
    await none.refusedWith('extend', encodeExtend(T0 + 11 * HOUR), 'NO_EXTENSION', /allows no extension/);
    const byHand = await startPoll({ seed: 'by hand', manifest: { closesAt: 0 } });
    const r = await refused(byHand.board, 'extend', encodeExtend(T0 + HOUR));
    expect(r).toMatchObject({ code: 'NO_EXTENSION' });
    expect(r.reason).toMatch(/closes by hand/);

    const { p, time, refusedWith } = await scheduled('extensions', { maxExtension: 2 * HOUR });
    const closes = T0 + 10 * HOUR;
    expect(p.board.state.closesAt).toBe(closes);
    // An extension may come before the poll opens (a ceremony ran late): the phase is ready here.
    expect(p.board.state.phase).toBe('ready');
    await refusedWith('extend', encodeExtend(closes), 'BAD_EXTENSION', /later than/);
    await refusedWith('extend', encodeExtend(closes - 1), 'BAD_EXTENSION', /later than/);
    await refusedWith('extend', encodeExtend(closes + 2 * HOUR + 1), 'BAD_EXTENSION', /no later than/);
    await refusedWith('extend', new Uint8Array(7), 'MALFORMED');
    const first = await must(p.board, 'extend', encodeExtend(closes + HOUR));
    expect(p.board.state.closesAt).toBe(closes + HOUR);
    expect(p.board.state.extensions).toEqual([{ height: first.height, time: p.board.state.time, closesAt: closes + HOUR }]);
    await must(p.board, 'open', new Uint8Array(0));
    // A second extension, in the open phase, up to the manifest's limit and not past it.
    await refusedWith('extend', encodeExtend(closes + HOUR), 'BAD_EXTENSION', /later than/);
    await must(p.board, 'extend', encodeExtend(closes + 2 * HOUR));
    expect(p.board.state.closesAt).toBe(closes + 2 * HOUR);
    await refusedWith('extend', encodeExtend(closes + 2 * HOUR + 1000), 'BAD_EXTENSION', /no later than/);
    // Past the manifest's closesAt, a ballot is still taken, because the closing time in force moved.
    time.now = closes + 30 * 60_000;
    expect((await cast(p, 0, randomAnswers(p.rng))).height).toBeGreaterThan(0);
    // The closing time in force is closes + 2 h: an extension at or after it is TOO_LATE, as is a ballot.
    time.now = closes + 2 * HOUR + 5_000;
    await refusedWith('ballot', makeBallot(p, 1, randomAnswers(p.rng)).bytes, 'TOO_LATE', /closed at/);
    await refusedWith('extend', encodeExtend(closes + 2 * HOUR + 60_000), 'TOO_LATE', /before it/);
    await must(p.board, 'close', new Uint8Array(0));
    expect(p.board.state.closedEarly).toBe(false);
    await refusedWith('extend', encodeExtend(closes + 2 * HOUR), 'WRONG_PHASE');
  });

  it('closing early: never (TOO_EARLY), once every listed voter has cast, or at any time; nothing written on refusal', async () => {
    const closes = T0 + 10 * HOUR;
    const never = await scheduled('close never', { closeEarly: 'never' });
    await must(never.p.board, 'open', new Uint8Array(0));
    await cast(never.p, 0, randomAnswers(never.p.rng));
    await cast(never.p, 1, randomAnswers(never.p.rng));
    await never.refusedWith('close', new Uint8Array(0), 'TOO_EARLY', /allows no early closing/);

    const allVoted = await scheduled('close all voted', { closeEarly: 'all-voted' });
    await must(allVoted.p.board, 'open', new Uint8Array(0));
    await cast(allVoted.p, 0, randomAnswers(allVoted.p.rng));
    await audit(allVoted.p, 1, randomAnswers(allVoted.p.rng)); // an audit is not a cast ballot
    await allVoted.refusedWith('close', new Uint8Array(0), 'TOO_EARLY', /once every listed voter has cast, and 1 have not/);
    await cast(allVoted.p, 1, randomAnswers(allVoted.p.rng));
    expect(allVoted.time.now).toBeLessThan(closes);
    await must(allVoted.p.board, 'close', new Uint8Array(0));
    expect(allVoted.p.board.state.closedEarly).toBe(true);

    const anyTime = await scheduled('close any time', { closeEarly: 'any-time' });
    await must(anyTime.p.board, 'open', new Uint8Array(0));
    await must(anyTime.p.board, 'close', new Uint8Array(0));
    expect(anyTime.p.board.state).toMatchObject({ phase: 'closed', closedEarly: true });
  });

  it('the manifest holds the policy in one encoding: no early closing or extension for a poll closed by hand, extensions within 90 days', () => {
    const m = sampleManifest(seededRandom('policy'), { closesAt: 0, closeEarly: 'any-time' });
    expect(() => encodeManifest(m)).toThrow(/closed by hand/);
    expect(() => encodeManifest({ ...m, closeEarly: 'never', maxExtension: 1 })).toThrow(/closed by hand/);
    expect(() => encodeManifest({ ...m, closesAt: T0, maxExtension: 90 * 24 * HOUR + 1 })).toThrow(/90 days/);
    const good = encodeManifest({ ...m, closesAt: T0, closeEarly: 'all-voted', maxExtension: HOUR });
    expect(decodeManifest(good)).toMatchObject({ closeEarly: 'all-voted', maxExtension: HOUR });
    // closeEarly is the byte before the u64 maxExtension at the end: 3 is no policy.
    const bad = good.slice();
    bad[bad.length - 9] = 3;
    expect(() => decodeManifest(bad)).toThrow(/closeEarly/);
  });
});

// ---------------------------------------------------------------------------------------------------

describe('roll changes on the record (B.4.6.1 lists until the poll closes, B.4.6.8 revocations)', () => {
  /** A poll over its own SQLite file, three voters listed, the key made; `refusedWith` insists that nothing changed. */
  async function withRoll(name: string) {
    const file = join(dir, `${name}.db`);
    const p = await startPoll({ seed: name, storage: new SqliteStorage(file), manifest: { opensAt: 0, closesAt: 0 } });
    await listVoters(p, 3, (i) => i + 1); // weights 1, 2, 3
    await runCeremony(p);
    const refusedWith = async (type: EntryTypeName, payload: Uint8Array, code: RejectionCode, reason?: RegExp) => {
      const r = await expectUnchanged(p.board, file, () => p.board.submit(type, payload));
      expect(r).toMatchObject({ ok: false, code });
      if (reason) expect((r as Rejection).reason).toMatch(reason);
      reached.add(code);
    };
    const key = (i: number) => p.voters[i].credential.publicKey;
    return { p, refusedWith, key };
  }

  it('a revocation before opening takes the credential and its weight off the list; it can never be listed again', async () => {
    const { p, refusedWith, key } = await withRoll('revoke before opening');
    expect(p.board.state.listedWeight).toBe(6);
    const done = await must(p.board, 'revoke', signedRevocation(p.board, [key(1)]));
    expect(p.board.state.credentials.size).toBe(2);
    expect(p.board.state.listedWeight).toBe(4);
    expect(p.board.state.revoked.get(toHex(encodePoint(key(1))))).toEqual({ height: done.height, time: p.board.state.time, weight: 2 });
    expect(p.board.state.roll.at(-1)).toEqual({ height: done.height, time: p.board.state.time, added: 0, revoked: 1, whileOpen: false });
    await refusedWith('credentials', signedCredentials(p.board, [{ key: key(1), weight: 2 }]), 'DUPLICATE_CREDENTIAL', /was revoked at height/);
    await refusedWith('revoke', signedRevocation(p.board, [key(1)]), 'REVOKED_CREDENTIAL', /was revoked at height/);
  });

  it('a revocation must be the registrar’s for this poll, name listed credentials once each, and decode (nothing written on refusal)', async () => {
    const { p, refusedWith, key } = await withRoll('revoke refusals');
    const own = signedRevocation(p.board, [key(0)]);
    const stranger = signRevocation([key(0)], p.board.state.manifestHash!, new Uint8Array(32).fill(5));
    const otherPoll = signRevocation([key(0)], new Uint8Array(32).fill(1), testRegistrarSeed(p.manifest.pollId));
    const swapped = own.slice();
    swapped.set(encodePoint(key(2)), 4); // another voter's key after the registrar signed
    // A credential list's signature (its own domain) is not a revocation's, even over the same bytes.
    const listSigned = signedCredentials(p.board, [{ key: key(0), weight: 1 }]);
    const asRevocation = Uint8Array.of(...own.subarray(0, 4 + 32), ...listSigned.subarray(listSigned.length - 64));
    for (const payload of [stranger, otherPoll, swapped, asRevocation]) await refusedWith('revoke', payload, 'BAD_REGISTRAR_SIGNATURE', /revocation is not signed by the registrar/);
    const [stray] = fresh(1);
    await refusedWith('revoke', signedRevocation(p.board, [key(0), stray.key]), 'UNKNOWN_CREDENTIAL', /credential 1 .* is not listed/);
    await refusedWith('revoke', signedRevocation(p.board, [key(0), key(0)]), 'DUPLICATE_CREDENTIAL', /named twice/);
    await refusedWith('revoke', own.subarray(0, own.length - 1), 'MALFORMED');
    await refusedWith('revoke', Uint8Array.of(0, 0, 0, 0, ...own.subarray(36)), 'MALFORMED', /count/);
  });

  it('while the poll is open: a voter added votes; a replaced code is refused (REVOKED_CREDENTIAL) and its replacement votes; a credential that cast cannot be revoked', async () => {
    const { p, refusedWith, key } = await withRoll('roll while open');
    await must(p.board, 'open', EMPTY);
    await cast(p, 0, randomAnswers(p.rng));
    await refusedWith('revoke', signedRevocation(p.board, [key(0)]), 'CREDENTIAL_HAS_CAST', /has cast 1 ballot/);
    await refusedWith('revoke', signedRevocation(p.board, [key(1), key(0)]), 'CREDENTIAL_HAS_CAST', /credential 1/);

    // A household that moved in after opening: listed while open, and it votes.
    await listVoters(p, 1, () => 1);
    expect(p.board.state.roll.at(-1)).toMatchObject({ added: 1, revoked: 0, whileOpen: true });
    await cast(p, 3, randomAnswers(p.rng));

    // A lost sheet: the old code (voter 1, weight 2) revoked, a new one listed with its weight.
    await must(p.board, 'revoke', signedRevocation(p.board, [key(1)]));
    const lost = p.voters[1];
    const replacement = { code: 'replacement', credential: deriveCredential(generateCredentialCode(p.rng), p.manifest.pollId), weight: 2 };
    await must(p.board, 'credentials', signedCredentials(p.board, [{ key: replacement.credential.publicKey, weight: 2 }]));
    p.voters.push(replacement);
    await refusedWith('ballot', makeBallot(p, 1, randomAnswers(p.rng)).bytes, 'REVOKED_CREDENTIAL', /was revoked at height/);
    await refusedWith('audit', auditPayload(makeBallot(p, 1, randomAnswers(p.rng))), 'REVOKED_CREDENTIAL');
    await cast(p, 4, randomAnswers(p.rng));
    expect(p.voters[1]).toBe(lost);

    // The tally counts voters 0, 3 and 4 with their weights (1 + 1 + 2); the revoked one counts nothing.
    const result = await count(p); // closes, tallies, decrypts
    expect(result).toEqual(plainTotals(p));
    expect(p.board.state.tally).toMatchObject({ counted: 3, weight: 4 });
    expect(p.board.state.listedWeight).toBe(1 + 3 + 1 + 2);
    await refusedWith('revoke', signedRevocation(p.board, [key(2)]), 'WRONG_PHASE');
    await refusedWith('credentials', signedCredentials(p.board, fresh(1)), 'WRONG_PHASE');
  });

  it('closing early once every listed voter has cast does not wait for a revoked one', async () => {
    const file = join(dir, 'revoke all voted.db');
    const p = await startPoll({ seed: 'revoke all voted', storage: new SqliteStorage(file), manifest: { opensAt: 0, closesAt: T0 + 3_600_000 * 10, closeEarly: 'all-voted' } });
    await listVoters(p, 2);
    await runCeremony(p);
    await must(p.board, 'open', EMPTY);
    await cast(p, 0, randomAnswers(p.rng));
    expect(await refused(p.board, 'close', EMPTY)).toMatchObject({ code: 'TOO_EARLY' });
    await must(p.board, 'revoke', signedRevocation(p.board, [p.voters[1].credential.publicKey]));
    await must(p.board, 'close', EMPTY);
    expect(p.board.state.closedEarly).toBe(true);
  });
});
