/**
 * Test support for the trustee key ceremony (§T): runs a whole ceremony for (t, n) — identities,
 * commit/reveal, shares, reviews, the public rules, key shares, finishes — with hooks that let a test
 * replace, drop or add any trustee's messages at each step (an attacker who is a trustee signs what
 * she likes with her own signing key: `resign`, `publishReveal`, `recommit`), and a `view` hook that
 * shows a trustee a different record than the one on the board (a lying server). Everything is drawn
 * from `seededRandom`, so every run is reproducible.
 */
import {
  G,
  IDENTITY,
  add,
  buildMessage,
  ceremonyHash,
  coefficientContext,
  commitPolynomial,
  commitTrustee,
  createDecryptionShares,
  createTrustee,
  decryptTally,
  dealShares,
  deriveKeyShare,
  encryptFresh,
  evaluateCeremony,
  lagrangeAtZero,
  mul,
  mulPublic,
  prepareKey,
  proveKnowledge,
  reviewShares,
  revealHash,
  seededRandom,
  signTranscript,
  sumCiphertexts,
  type CeremonyOutcome,
  type CeremonyParams,
  type CeremonyRecord,
  type Ciphertext,
  type CommitMessage,
  type ComplaintMessage,
  type DecryptionMessage,
  type FinishMessage,
  type IdentityMessage,
  type Point,
  type RandomSource,
  type RevealMessage,
  type SchnorrProof,
  type SharesMessage,
  type TrusteeMessage,
  type TrusteeSecrets,
} from '../../crypto/index.ts';

/** The trustees before the ceremony runs: their secrets and published identities. */
export interface Stage {
  readonly params: CeremonyParams;
  /** h_C, the fingerprint of every ceremony message */
  readonly h: Uint8Array;
  readonly rng: RandomSource;
  /** trustee i's secrets at secrets[i − 1] */
  readonly secrets: readonly TrusteeSecrets[];
  /** each trustee's polynomial, kept here (deriveKeyShare makes the trustee forget hers) */
  readonly polynomials: Map<number, readonly bigint[]>;
  /** the honest identity messages, in index order */
  readonly identities: readonly IdentityMessage[];
}

type Hook<M> = (messages: M[], stage: Stage) => M[] | Promise<M[]>;

export interface Hooks {
  identities?: Hook<IdentityMessage>;
  /** commits and reveals together, since a consistent forgery changes both */
  reveals?: (round: { commits: CommitMessage[]; reveals: RevealMessage[] }, stage: Stage) => { commits: CommitMessage[]; reveals: RevealMessage[] } | Promise<{ commits: CommitMessage[]; reveals: RevealMessage[] }>;
  shares?: Hook<SharesMessage>;
  complaints?: Hook<ComplaintMessage>;
  finishes?: Hook<FinishMessage>;
  /** what trustee `index` is shown instead of the board (default: the board itself) */
  view?: (index: number, record: CeremonyRecord) => CeremonyRecord;
}

export interface CeremonyRun extends Stage {
  /** the board, finishes included */
  readonly record: CeremonyRecord;
  /** the rules applied to the board before any finish */
  readonly preliminary: CeremonyOutcome;
  /** the rules applied to the whole board */
  readonly outcome: CeremonyOutcome;
  /** the outcome each trustee computed from what she was shown */
  readonly seen: ReadonlyMap<number, CeremonyOutcome>;
  /** x_j of every trustee who qualified in her own view and derived her share (only these sign a finish) */
  readonly keyShares: ReadonlyMap<number, bigint>;
  /** why deriveKeyShare threw, for trustees it threw for */
  readonly keyShareErrors: ReadonlyMap<number, string>;
  /** the complaints each trustee's own review produced (before the complaints hook) */
  readonly reviews: ReadonlyMap<number, readonly ComplaintMessage[]>;
  readonly signingKeys: ReadonlyMap<number, Point>;
}

const noFinishes: FinishMessage[] = [];

/** Creates n trustees (identities only) for a t-of-n ceremony; the election id comes from the seed. */
export function setupTrustees(t: number, n: number, seed: string): Stage {
  const rng = seededRandom(`gongshi-threshold-test/${seed}`);
  const params: CeremonyParams = { election: rng(32), t, n };
  const created = Array.from({ length: n }, (_, k) => createTrustee(params, k + 1, rng));
  return {
    params,
    h: ceremonyHash(params),
    rng,
    secrets: created.map((c) => c.secrets),
    polynomials: new Map(),
    identities: created.map((c) => c.identity),
  };
}

/** Runs the ceremony on `stage` as described in the module comment. */
export async function runCeremony(stage: Stage, hooks: Hooks = {}): Promise<CeremonyRun> {
  const { params, rng, secrets } = stage;
  const view = (i: number, r: CeremonyRecord) => (hooks.view ? hooks.view(i, r) : r);
  const identities = hooks.identities ? await hooks.identities([...stage.identities], stage) : [...stage.identities];

  let round = { commits: [] as CommitMessage[], reveals: [] as RevealMessage[] };
  for (const s of secrets) {
    const { commit, reveal } = honestCommit(stage, s);
    round.commits.push(commit);
    round.reveals.push(reveal);
  }
  if (hooks.reveals) round = await hooks.reveals(round, stage);
  const { commits, reveals } = round;

  const empty = { identities, commits, reveals, shares: [] as SharesMessage[], complaints: [] as ComplaintMessage[], finishes: noFinishes };
  let shares: SharesMessage[] = [];
  for (const s of secrets) shares.push(await dealShares(s, view(s.index, empty).identities, rng));
  if (hooks.shares) shares = await hooks.shares(shares, stage);

  const reviews = new Map<number, ComplaintMessage[]>();
  let complaints: ComplaintMessage[] = [];
  for (const s of secrets) {
    const mine = await reviewShares(s, view(s.index, { ...empty, shares }), rng);
    reviews.set(s.index, mine);
    complaints.push(...mine);
  }
  if (hooks.complaints) complaints = await hooks.complaints(complaints, stage);

  const board: CeremonyRecord = { identities, commits, reveals, shares, complaints, finishes: noFinishes };
  const preliminary = await evaluateCeremony(params, board);
  const seen = new Map<number, CeremonyOutcome>();
  const keyShares = new Map<number, bigint>();
  const keyShareErrors = new Map<number, string>();
  let finishes: FinishMessage[] = [];
  for (const s of secrets) {
    const shown = view(s.index, board);
    const mine = hooks.view ? await evaluateCeremony(params, shown) : preliminary;
    seen.set(s.index, mine);
    if (!mine.ok || !mine.qualified.includes(s.index)) continue;
    let x: bigint;
    try {
      x = await deriveKeyShare(s, mine);
    } catch (e) {
      keyShareErrors.set(s.index, (e as Error).message);
      continue; // she cannot vouch for a transcript whose key share she cannot derive
    }
    keyShares.set(s.index, x);
    finishes.push(signTranscript(s, mine, x, rng));
  }
  if (hooks.finishes) finishes = await hooks.finishes(finishes, stage);
  const record: CeremonyRecord = { ...board, finishes };
  const outcome = await evaluateCeremony(params, record);
  const signingKeys = new Map(stage.identities.map((id) => [id.index, id.signingKey] as const));
  return { ...stage, record, preliminary, outcome, seen, keyShares, keyShareErrors, reviews, signingKeys };
}

/** setupTrustees then runCeremony. */
export async function ceremony(t: number, n: number, seed: string, hooks: Hooks = {}): Promise<CeremonyRun> {
  return runCeremony(setupTrustees(t, n, seed), hooks);
}

/** The honest commit step for one trustee, remembering her polynomial in `stage.polynomials`. */
function honestCommit(stage: Stage, s: TrusteeSecrets): { commit: CommitMessage; reveal: RevealMessage } {
  const out = commitTrustee(s, stage.rng);
  stage.polynomials.set(s.index, [...s.coefficients!]);
  return out;
}

/**
 * Trustee `index` commits to the polynomial with these coefficients (honestly: correct commitments,
 * proofs and signatures). The trustee will deal shares of this polynomial.
 */
export function recommit(stage: Stage, index: number, coefficients: readonly bigint[]): { commit: CommitMessage; reveal: RevealMessage } {
  const commitments = commitPolynomial(coefficients);
  const proofs = coefficients.map((a, k) => proveKnowledge(a, commitments[k], coefficientContext(stage.h, index, k, commitments), stage.rng));
  const s = secretsOf(stage, index);
  s.coefficients = [...coefficients];
  stage.polynomials.set(index, [...coefficients]);
  return publishReveal(stage, index, commitments, proofs);
}

/** Trustee `index` signs a reveal with whatever commitments and proofs, and a commit that matches it. */
export function publishReveal(stage: Stage, index: number, commitments: readonly Point[], proofs: readonly SchnorrProof[]): { commit: CommitMessage; reveal: RevealMessage } {
  const s = secretsOf(stage, index);
  const reveal = buildMessage('reveal', stage.h, index, { commitments, proofs }, s.signing, stage.rng);
  const commit = buildMessage('commit', stage.h, index, { hash: revealHash(reveal) }, s.signing, stage.rng);
  return { commit, reveal };
}

export function secretsOf(stage: Stage, index: number): TrusteeSecrets {
  const s = stage.secrets[index - 1];
  if (!s || s.index !== index) throw new Error(`no trustee ${index}`);
  return s;
}

/** Re-signs `msg`'s kind with `changes` applied, as trustee msg.index (who signs what she likes). */
export function resign<M extends TrusteeMessage>(stage: Stage, msg: M, changes: Partial<M>): M {
  const { kind, index, fingerprint, signature: _s, body: _b, bytes: _y, ...payload } = { ...msg, ...changes };
  const signer = secretsOf(stage, msg.index).signing;
  return buildMessage(kind as never, fingerprint, index, payload as never, signer, stage.rng) as unknown as M;
}

/** Replaces the messages of trustee `index` in a list by `replacement(old)` (same position). */
export async function replaceFrom<M extends TrusteeMessage>(list: readonly M[], index: number, replacement: (m: M) => M | Promise<M>): Promise<M[]> {
  const out: M[] = [];
  for (const m of list) out.push(m.index === index ? await replacement(m) : m);
  return out;
}

/** All k-element subsets of `items`, in lexicographic order. */
export function combinations<T>(items: readonly T[], k: number): T[][] {
  if (k === 0) return [[]];
  const out: T[][] = [];
  items.forEach((x, i) => {
    for (const rest of combinations(items.slice(i + 1), k - 1)) out.push([x, ...rest]);
  });
  return out;
}

/** Sum over S of λ_j·x_j: the secret a set of key shares interpolates to. */
export function interpolateSecret(shares: ReadonlyMap<number, bigint>, subset: readonly number[]): bigint {
  const lambdas = lagrangeAtZero(subset);
  return subset.reduce((acc, j, k) => add(acc, mul(lambdas[k], shares.get(j)!)), 0n);
}

/** A tally: each ballot gives each position a small value; the ciphertexts are the position sums. */
export interface Tally {
  readonly ciphertexts: Ciphertext[];
  readonly sums: number[];
  /** a decryption fingerprint (the election's, §B): decryption messages are bound to it */
  readonly fingerprint: Uint8Array;
}

export function encryptTally(jointKey: Point, ballots: readonly (readonly number[])[], rng: RandomSource): Tally {
  const Y = prepareKey(jointKey);
  const width = ballots[0].length;
  const ciphertexts: Ciphertext[] = [];
  const sums: number[] = [];
  for (let pos = 0; pos < width; pos++) {
    ciphertexts.push(sumCiphertexts(ballots.map((b) => encryptFresh(Y, b[pos], rng).ciphertext)));
    sums.push(ballots.reduce((a, b) => a + b[pos], 0));
  }
  return { ciphertexts, sums, fingerprint: rng(32) };
}

/** Every trustee with a key share makes her decryption message for the tally. */
export function decryptionMessages(run: CeremonyRun, tally: Tally): Map<number, DecryptionMessage> {
  const out = new Map<number, DecryptionMessage>();
  for (const [index, keyShare] of run.keyShares) {
    out.set(index, createDecryptionShares({ fingerprint: tally.fingerprint, index, keyShare, signing: secretsOf(run, index).signing, ciphertexts: tally.ciphertexts }, run.rng));
  }
  return out;
}

/** An observer's decryptTally over these messages, with the run's public keys. */
export function tallyWith(run: CeremonyRun, tally: Tally, messages: readonly DecryptionMessage[], bound = 1000) {
  return decryptTally({
    fingerprint: tally.fingerprint,
    t: run.params.t,
    ciphertexts: tally.ciphertexts,
    verificationKeys: run.outcome.verificationKeys,
    signingKeys: run.signingKeys,
    messages,
    bound,
    rng: run.rng,
  });
}

/** m·G for a small m. */
export function plainPoint(m: number): Point {
  return m === 0 ? IDENTITY : mulPublic(G, BigInt(m));
}
