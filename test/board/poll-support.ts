/**
 * Test support: a whole poll driven through a real Board, entry by entry, as the organiser, the
 * trustees and the voters would drive it through the server. Seeded, so every run is the same.
 */
import {
  createBallot,
  createDecryptionShares,
  deriveCredential,
  encodeBallot,
  generateCredentialCode,
  seededRandom,
  toHex,
  type Answer,
  type CreatedBallot,
  type KeyPair,
  type Point,
  type Question,
  type RandomSource,
  type TrusteeSecrets,
} from '../../crypto/index.ts';
import { playCeremony } from '../../server/demo/ceremony.ts';
import {
  Board,
  MemoryStorage,
  computeTally,
  electionFingerprint,
  encodeAudit,
  encodeManifest,
  encodeVerifierKey,
  registrarPublicKey,
  signCredentialList,
  signRevocation,
  verifierKeyOf,
  type ListedCredential,
  encodeResult,
  encodeTally,
  signerKeyFromSeed,
  type Appended,
  type BoardOptions,
  type BoardStorage,
  type EntryTypeName,
  type Manifest,
  type Rejection,
  type SignerKey,
} from '../../bulletin-board/index.ts';
import { sha256 } from '@noble/hashes/sha2.js';

export const QUESTIONS: Question[] = [
  { kind: 'single', options: 3, blank: true },
  { kind: 'multiple', options: 4, min: 1, max: 2 },
  { kind: 'budget', costs: [300, 500, 200], budget: 700 },
];

/** The test log key of a poll: derived from its poll id and origin, so that a manifest can name it. */
export function testLogKey(manifest: Pick<Manifest, 'origin' | 'pollId'>): SignerKey {
  return signerKeyFromSeed(manifest.origin, sha256(Uint8Array.of(...new TextEncoder().encode('test log key/'), ...manifest.pollId)));
}

/** The test registrar's secret seed for a poll: derived from its poll id. */
export function testRegistrarSeed(pollId: Uint8Array): Uint8Array {
  return sha256(Uint8Array.of(...new TextEncoder().encode('test registrar/'), ...pollId));
}

/** B.1.6.1 a credentials payload signed by the test registrar of the board's poll. */
export function signedCredentials(board: Board, list: readonly ListedCredential[]): Uint8Array {
  const m = board.state.manifest;
  if (m === null) return signCredentialList(list, new Uint8Array(32), testRegistrarSeed(new Uint8Array(16)));
  return signCredentialList(list, board.state.manifestHash!, testRegistrarSeed(m.pollId));
}

/** A revocation of `keys` signed by the test registrar for the board's manifest (B.1.6.10). */
export function signedRevocation(board: Board, keys: readonly Point[]): Uint8Array {
  const m = board.state.manifest!;
  return signRevocation(keys, board.state.manifestHash!, testRegistrarSeed(m.pollId));
}

/**
 * A manifest for tests: bilingual texts, 2-of-3 trustees, the test log key and registrar (see
 * testLogKey, testRegistrarSeed), no witness, privacy floor 1; `over` replaces any field.
 */
export function sampleManifest(rng: RandomSource, over: Partial<Manifest> = {}): Manifest {
  const pollId = rng(16);
  const en = (s: string) => [s, `${s}（中文）`];
  const questions = (over.questions?.map((q) => q.question) ?? QUESTIONS).map((question, q) => {
    const count = question.kind === 'yes-no-abstain' ? 3 : question.kind === 'budget' ? question.costs.length : question.options;
    return { question, prompt: en(`Question ${q + 1}`), options: Array.from({ length: count }, (_, i) => en(`Option ${i + 1}`)) };
  });
  const id = over.pollId ?? pollId;
  const origin = over.origin ?? `gongshi.test/poll/${toHex(id)}`;
  return {
    pollId: id,
    origin,
    languages: ['en', 'zh-CN'],
    title: en('Courtyard poll'),
    description: ['', ''],
    trustees: { t: 2, n: 3, names: ['Ann', 'Bo', 'Chen'] },
    opensAt: 0,
    closesAt: 0,
    maxBallots: 3,
    logKey: encodeVerifierKey(verifierKeyOf(testLogKey({ origin, pollId: id }))),
    registrar: { name: 'Registrar', key: registrarPublicKey(testRegistrarSeed(id)), isOrganiser: false },
    witnesses: { keys: [], k: 0 },
    privacyFloor: 1,
    closeEarly: 'never',
    maxExtension: 0,
    ...over,
    questions,
  };
}

/** A fake clock that moves one second per reading. */
export function steppingClock(start = Date.UTC(2026, 10, 21, 9)): () => number {
  let now = start;
  return () => (now += 1000);
}

export interface Voter {
  readonly code: string;
  readonly credential: KeyPair;
  readonly weight: number;
}

export interface Poll {
  readonly board: Board;
  readonly manifest: Manifest;
  readonly rng: RandomSource;
  readonly logKey: ReturnType<typeof signerKeyFromSeed>;
  trustees: TrusteeSecrets[];
  keyShares: Map<number, bigint>;
  voters: Voter[];
  /** what each voter's last cast ballot said (plain), for checking the result */
  readonly cast: Map<number, Answer[]>;
}

/** Submits and insists on acceptance. */
export async function must(board: Board, type: EntryTypeName, payload: Uint8Array): Promise<Appended> {
  const r = await board.submit(type, payload);
  if (!r.ok) throw new Error(`${type} refused: ${r.code} ${r.reason}`);
  return r;
}

/** Submits and insists on rejection. */
export async function refused(board: Board, type: EntryTypeName, payload: Uint8Array): Promise<Rejection> {
  const r = await board.submit(type, payload);
  if (r.ok) throw new Error(`${type} was accepted at height ${r.height}`);
  return r;
}

/** A board with its manifest on it; `board` passes a ballot checker or a group size to Board.open. */
export async function startPoll(
  options: { seed?: string; storage?: BoardStorage; manifest?: Partial<Manifest>; reword?: (m: Manifest) => Manifest; clock?: () => number; snapshotGap?: number; board?: Pick<BoardOptions, 'ballotChecker' | 'maxGroup'> } = {},
): Promise<Poll> {
  const rng = seededRandom(options.seed ?? 'poll');
  const sample = sampleManifest(rng, options.manifest);
  // `reword` rewrites the texts (the sample's are bilingual), for polls in other languages.
  const manifest = options.reword ? options.reword(sample) : sample;
  const logKey = testLogKey(manifest);
  const board = await Board.open({ storage: options.storage ?? new MemoryStorage(), logKey, clock: options.clock ?? steppingClock(), rng, snapshotGap: options.snapshotGap, ...options.board });
  await must(board, 'manifest', encodeManifest(manifest));
  return { board, manifest, rng, logKey, trustees: [], keyShares: new Map(), voters: [], cast: new Map() };
}

/** The next run of the ceremony with every trustee honest, through the board; ends with the key entry. */
export async function runCeremony(poll: Poll): Promise<void> {
  const { secrets, keyShares } = await playCeremony(poll.board, poll.rng);
  poll.trustees = secrets;
  poll.keyShares = keyShares;
}

/** The key entry the ceremony on the board produced. */
export function expectedKey(poll: Poll) {
  const c = poll.board.state.ceremony!;
  const o = c.outcome!;
  return {
    run: c.run,
    fingerprint: electionFingerprint(poll.board.state.manifestHash!, c.run, o.transcript),
    transcript: o.transcript,
    jointKey: o.jointKey!,
    verificationKeys: o.qualified.map((index) => ({ index, key: o.verificationKeys.get(index)! })),
  };
}

/** Makes `count` voters (weights from `weight`) and lists their public credentials. */
export async function listVoters(poll: Poll, count: number, weight: (i: number) => number = () => 1): Promise<void> {
  const fresh = Array.from({ length: count }, (_, i) => {
    const code = generateCredentialCode(poll.rng);
    return { code, credential: deriveCredential(code, poll.manifest.pollId), weight: weight(poll.voters.length + i) };
  });
  poll.voters.push(...fresh);
  await must(poll.board, 'credentials', signedCredentials(poll.board, fresh.map((v) => ({ key: v.credential.publicKey, weight: v.weight }))));
}

/** A random valid answer set for QUESTIONS. */
export function randomAnswers(rng: RandomSource): Answer[] {
  const r = (n: number) => rng(1)[0] % n;
  const pick = r(3);
  const single: Answer = r(5) === 0 ? { blank: true } : { values: [0, 1, 2].map((k) => (k === pick ? 1 : 0)) };
  const multiple = [0, 0, 0, 0];
  multiple[r(4)] = 1;
  if (r(2) === 0) multiple[r(4)] = 1;
  // costs 300, 500, 200 within 700: every subset but {1, 2}
  const budgets = [[0, 0, 0], [1, 0, 0], [0, 1, 0], [0, 0, 1], [1, 0, 1], [0, 1, 1]];
  return [single, { values: multiple }, { values: budgets[r(6)] }];
}

/** A ballot by voter `i` (not submitted). */
export function makeBallot(poll: Poll, i: number, answers: Answer[]): CreatedBallot {
  const e = poll.board.state.election!;
  return createBallot({ shape: { questions: poll.manifest.questions.map((q) => q.question) }, key: e.jointKey, fingerprint: e.fingerprint, credential: poll.voters[i].credential, answers }, poll.rng);
}

/** Voter `i` casts `answers`. */
export async function cast(poll: Poll, i: number, answers: Answer[]): Promise<Appended> {
  const b = makeBallot(poll, i, answers);
  const r = await must(poll.board, 'ballot', b.bytes);
  poll.cast.set(i, answers);
  return r;
}

/** Voter `i` audits a ballot of `answers` (never counted). */
export async function audit(poll: Poll, i: number, answers: Answer[]): Promise<Appended> {
  const b = makeBallot(poll, i, answers);
  return must(poll.board, 'audit', encodeAudit(encodeBallot(b.ballot), b.opening));
}

/** Closes, tallies, has trustees `who` decrypt, and publishes the result. */
export async function count(poll: Poll, who: number[] = [1, 2]): Promise<number[]> {
  const { board, rng } = poll;
  await must(board, 'close', new Uint8Array(0));
  await must(board, 'tally', encodeTally(computeTally(board.state)));
  const e = board.state.election!;
  for (const j of who) {
    const secrets = poll.trustees[j - 1];
    const m = createDecryptionShares({ fingerprint: e.fingerprint, index: j, keyShare: poll.keyShares.get(j)!, signing: secrets.signing, ciphertexts: board.state.tally!.ciphertexts }, rng);
    await must(board, 'decryption', m.bytes);
  }
  const totals = plainTotals(poll);
  await must(board, 'result', encodeResult(totals));
  return totals;
}

/** The totals every slot should have, counted in the clear from what the voters cast. */
export function plainTotals(poll: Poll): number[] {
  const shapes = poll.board.state.shapes!;
  const totals = shapes.flatMap((s) => s.slotMax.map(() => 0));
  for (const [i, answers] of poll.cast) {
    let at = 0;
    shapes.forEach((s, q) => {
      const a = answers[q];
      const options = s.slotMax.length - (s.blank ? 1 : 0);
      const values = 'blank' in a ? [...Array(options).fill(0), 1] : s.blank ? [...a.values, 0] : a.values;
      values.forEach((v, k) => (totals[at + k] += v * poll.voters[i].weight));
      at += s.slotMax.length;
    });
  }
  return totals;
}
