/**
 * What a trustee does with her secrets, step by step: identity, commit, reveal, deal shares, review
 * the shares she received, derive her key share, sign the transcript. Spec §T.2–T.7. Pure: the
 * messages go out through the caller. T.6.5: every step reads only the messages the public rules
 * accept (acceptRecord), never the raw record: a server that slips in unsigned or refused messages
 * cannot make her deal to a stranger or publish the key to a real share.
 */
import { G, add, mulSecret, type Point } from '../group.ts';
import type { KeyPair } from '../elgamal.ts';
import { proveDleq } from '../proofs/dleq.ts';
import { proveKnowledge } from '../proofs/schnorr.ts';
import { randomScalar, systemRandom, type RandomSource } from '../random.ts';
import { encryptShare, openShare } from './channel.ts';
import { buildMessage, type CommitMessage, type ComplaintMessage, type FinishMessage, type IdentityMessage, type RevealMessage, type SharesMessage } from './messages.ts';
import { ceremonyHash, type CeremonyParams } from './params.ts';
import { commitPolynomial, evaluateCommitments, evaluatePolynomial, randomPolynomial } from './polynomial.ts';
import { acceptRecord, type CeremonyOutcome, type CeremonyRecord } from './ceremony.ts';
import { coefficientContext, complaintContext, encryptionKeyContext, keyShareContext, revealHash } from './contexts.ts';

/** A trustee's secrets during the ceremony. They never leave her device unencrypted (§T.9). */
export interface TrusteeSecrets {
  readonly params: CeremonyParams;
  readonly index: number;
  readonly signing: KeyPair;
  readonly encryption: KeyPair;
  /** the polynomial's coefficients, from the commit step until the key share is derived (T.7.1) */
  coefficients?: bigint[];
}

function keyPair(rng: RandomSource): KeyPair {
  const secret = randomScalar(rng);
  return { secret, publicKey: mulSecret(G, secret) };
}

/** T.2.1 step 1: a trustee's long-term keys and the identity message that publishes their public halves. */
export function createTrustee(params: CeremonyParams, index: number, rng: RandomSource = systemRandom): { secrets: TrusteeSecrets; identity: IdentityMessage } {
  const h = ceremonyHash(params);
  if (!Number.isInteger(index) || index < 1 || index > params.n) throw new Error(`trustee index ${index} is not from 1 to ${params.n}`);
  const signing = keyPair(rng);
  const encryption = keyPair(rng);
  const encryptionProof = proveKnowledge(encryption.secret, encryption.publicKey, encryptionKeyContext(h, index), rng);
  const identity = buildMessage('identity', h, index, { signingKey: signing.publicKey, encryptionKey: encryption.publicKey, encryptionProof }, signing, rng);
  return { secrets: { params, index, signing, encryption }, identity };
}

/**
 * T.3 steps 2–3: draws the polynomial, builds the reveal (commitments and their proofs) now, and
 * returns the commit to publish first. Publish `reveal` only once every commit is on the board.
 */
export function commitTrustee(secrets: TrusteeSecrets, rng: RandomSource = systemRandom): { commit: CommitMessage; reveal: RevealMessage } {
  const h = ceremonyHash(secrets.params);
  const coefficients = randomPolynomial(secrets.params.t, rng);
  const commitments = commitPolynomial(coefficients);
  const proofs = coefficients.map((a, k) => proveKnowledge(a, commitments[k], coefficientContext(h, secrets.index, k, commitments), rng));
  const reveal = buildMessage('reveal', h, secrets.index, { commitments, proofs }, secrets.signing, rng);
  const commit = buildMessage('commit', h, secrets.index, { hash: revealHash(reveal) }, secrets.signing, rng);
  secrets.coefficients = coefficients;
  return { commit, reveal };
}

const NOTHING = { commits: [], reveals: [], shares: [], complaints: [] } as const;

/** T.4 step 4: f(j) for every other trustee j with an accepted identity, each encrypted to j's encryption key. */
export async function dealShares(secrets: TrusteeSecrets, identities: readonly IdentityMessage[], rng: RandomSource = systemRandom): Promise<SharesMessage> {
  const h = ceremonyHash(secrets.params);
  if (!secrets.coefficients) throw new Error('commit before dealing shares');
  const accepted = await acceptRecord(secrets.params, { ...NOTHING, identities });
  const others = [...accepted.identities.values()].filter((id) => id.index !== secrets.index).sort((a, b) => a.index - b.index);
  const shares = [];
  for (const id of others) shares.push(await encryptShare(h, secrets.index, id.index, evaluatePolynomial(secrets.coefficients, id.index), id.encryptionKey, rng));
  return buildMessage('shares', h, secrets.index, { shares }, secrets.signing, rng);
}

/** The share that trustee `from` dealt to this trustee, opened; null if it does not authenticate or is not canonical. */
async function receivedShare(secrets: TrusteeSecrets, from: SharesMessage): Promise<{ value: bigint | null; K: Point; entry: SharesMessage['shares'][number] } | null> {
  const entry = from.shares.find((s) => s.to === secrets.index);
  if (!entry) return null;
  const K = mulSecret(entry.E, secrets.encryption.secret);
  const value = await openShare(ceremonyHash(secrets.params), from.index, entry, K, secrets.encryption.publicKey);
  return { value, K, entry };
}

/**
 * T.5 step 5: opens every share dealt to this trustee and checks it against the dealer's commitments
 * (s·G = Σ j^k·Aₖ). For each bad one, returns a complaint revealing that share's DH key K with a §P2
 * proof that K = x_enc·E: enough for anyone to open that one share, nothing more.
 */
export async function reviewShares(
  secrets: TrusteeSecrets,
  record: Pick<CeremonyRecord, 'identities' | 'commits' | 'reveals' | 'shares'>,
  rng: RandomSource = systemRandom,
): Promise<ComplaintMessage[]> {
  const h = ceremonyHash(secrets.params);
  const accepted = await acceptRecord(secrets.params, { ...record, complaints: [] });
  const complaints: ComplaintMessage[] = [];
  for (const dealt of accepted.shares.values()) {
    if (dealt.index === secrets.index) continue;
    const reveal = accepted.reveals.get(dealt.index);
    const got = await receivedShare(secrets, dealt);
    if (!reveal || !got) continue; // an accepted shares message always has both (T.6.1)
    const good = got.value !== null && mulSecret(G, got.value).equals(evaluateCommitments(reveal.commitments, secrets.index));
    if (good) continue;
    const proof = proveDleq({ B1: G, X1: secrets.encryption.publicKey, B2: got.entry.E, X2: got.K }, secrets.encryption.secret, complaintContext(h, secrets.index, dealt.index), rng);
    complaints.push(buildMessage('complaint', h, secrets.index, { accused: dealt.index, key: got.K, proof }, secrets.signing, rng));
  }
  return complaints;
}

/**
 * T.7.1 the trustee's key share x_j = Σ_{i ∈ QUAL} f_i(j), from the accepted shares of the qualified
 * dealers and her own polynomial; checked against her verification key Y_j. Throws if it does not
 * match (she should have complained). Forgets the polynomial. `outcome` is her own evaluation.
 */
export async function deriveKeyShare(secrets: TrusteeSecrets, outcome: CeremonyOutcome): Promise<bigint> {
  if (!outcome.ok) throw new Error(`the ceremony failed: ${outcome.failure}`);
  const Yj = outcome.verificationKeys.get(secrets.index);
  if (!Yj) throw new Error(`trustee ${secrets.index} is not in the qualified set`);
  if (!secrets.coefficients) throw new Error('this trustee no longer holds her polynomial');
  let x = 0n;
  for (const i of outcome.qualified) {
    if (i === secrets.index) {
      x = add(x, evaluatePolynomial(secrets.coefficients, i));
      continue;
    }
    const dealt = outcome.accepted.shares.get(i);
    const got = dealt ? await receivedShare(secrets, dealt) : null;
    if (!got || got.value === null) throw new Error(`the share from trustee ${i} cannot be opened`);
    x = add(x, got.value);
  }
  if (!mulSecret(G, x).equals(Yj)) throw new Error('the key share does not match the verification key on the record');
  delete secrets.coefficients;
  return x;
}

/**
 * T.7.2 step 6: signs the transcript hash of the outcome she computed herself, with a proof that she
 * knows the key share behind her verification key. Refuses unless `keyShare` (from deriveKeyShare)
 * matches Y_j: she never signs a ceremony she could not decrypt in.
 */
export function signTranscript(secrets: TrusteeSecrets, outcome: CeremonyOutcome, keyShare: bigint, rng: RandomSource = systemRandom): FinishMessage {
  if (!outcome.ok) throw new Error(`the ceremony failed: ${outcome.failure}`);
  const h = ceremonyHash(secrets.params);
  const Yj = outcome.verificationKeys.get(secrets.index);
  if (!Yj || !mulSecret(G, keyShare).equals(Yj)) throw new Error('the key share does not match the verification key on the record');
  const keyProof = proveKnowledge(keyShare, Yj, keyShareContext(h, secrets.index), rng);
  return buildMessage('finish', h, secrets.index, { transcript: outcome.transcript, keyProof }, secrets.signing, rng);
}
