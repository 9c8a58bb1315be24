/**
 * The public rules of the key ceremony: from the messages on the record, which are accepted, who is
 * qualified, the joint key, every verification key, the transcript hash and who signed it.
 * Deterministic; anyone can run it, and each trustee acts only on what it accepts. Spec §T.6.
 */
import { bytesEqual as equal, Writer } from '../encoding.ts';
import { G, IDENTITY, mulSecret, type Point } from '../group.ts';
import { taggedHash } from '../hash.ts';
import { verifyDleq } from '../proofs/dleq.ts';
import { verifyKnowledge } from '../proofs/schnorr.ts';
import { openShare, verifyEphemeral } from './channel.ts';
import type { CommitMessage, ComplaintMessage, FinishMessage, IdentityMessage, RevealMessage, SharesMessage, TrusteeMessage } from './messages.ts';
import { ceremonyHash, verifyMessage, type CeremonyParams, type KindName } from './params.ts';
import { evaluateCommitments } from './polynomial.ts';
import { coefficientContext, complaintContext, encryptionKeyContext, keyShareContext, revealHash } from './contexts.ts';

/** Everything the ceremony put on the record, in any order. Steps not reached yet are empty lists. */
export interface CeremonyRecord {
  readonly identities: readonly IdentityMessage[];
  readonly commits: readonly CommitMessage[];
  readonly reveals: readonly RevealMessage[];
  readonly shares: readonly SharesMessage[];
  readonly complaints: readonly ComplaintMessage[];
  readonly finishes: readonly FinishMessage[];
}

/** A message that the rules do not accept, and why. */
export interface Refusal {
  readonly kind: KindName;
  readonly index: number;
  readonly reason: string;
}

/** T.6.1–T.6.2 the accepted messages, one per trustee and step, and the upheld complaints. */
export interface AcceptedRecord {
  readonly identities: ReadonlyMap<number, IdentityMessage>;
  readonly commits: ReadonlyMap<number, CommitMessage>;
  readonly reveals: ReadonlyMap<number, RevealMessage>;
  readonly shares: ReadonlyMap<number, SharesMessage>;
  /** complaints that proved their share bad */
  readonly complaints: readonly ComplaintMessage[];
  /** dealers proved to have dealt a bad share, and the complaint's reason */
  readonly proven: ReadonlyMap<number, string>;
  readonly refused: readonly Refusal[];
}

export interface CeremonyOutcome {
  /** true when at least t trustees qualified and the joint key is not the identity */
  readonly ok: boolean;
  readonly failure: string | null;
  readonly accepted: AcceptedRecord;
  readonly qualified: readonly number[];
  readonly disqualified: readonly { readonly index: number; readonly reason: string }[];
  readonly jointKey: Point | null;
  /** Y_j = x_j·G for every qualified j */
  readonly verificationKeys: ReadonlyMap<number, Point>;
  /** T.6.3 the hash every qualified trustee signs (empty when not ok) */
  readonly transcript: Uint8Array;
  readonly refused: readonly Refusal[];
  /** qualified trustees whose finish message signs this transcript */
  readonly signedBy: readonly number[];
  /** ok, and every qualified trustee signed */
  readonly complete: boolean;
}

/**
 * T.6.0–T.6.2 accepts the record's messages step by step, each against the steps before it, and
 * judges every complaint by opening the one share it reveals. Async: AES-GCM through WebCrypto.
 */
export async function acceptRecord(params: CeremonyParams, record: Omit<CeremonyRecord, 'finishes'>): Promise<AcceptedRecord> {
  const h = ceremonyHash(params);
  const refused: Refusal[] = [];
  const refuse = (m: TrusteeMessage, reason: string) => refused.push({ kind: m.kind, index: m.index, reason });

  /** T.6.0 the first acceptable message of each trustee; later ones are refused as duplicates. */
  function accept<M extends TrusteeMessage>(list: readonly M[], check: (m: M) => string | null): Map<number, M> {
    const out = new Map<number, M>();
    for (const m of list) {
      const why = !equal(m.fingerprint, h)
        ? 'belongs to another ceremony'
        : m.index < 1 || m.index > params.n
          ? `index ${m.index} is not from 1 to n = ${params.n}`
          : out.has(m.index)
            ? `a second ${m.kind} message from trustee ${m.index}`
            : check(m);
      if (why === null) out.set(m.index, m);
      else refuse(m, why);
    }
    return out;
  }
  const signedBy = (m: TrusteeMessage): string | null => {
    const identity = identities.get(m.index);
    if (identity === undefined) return `trustee ${m.index} has no identity on the record`;
    return verifyMessage(h, m.kind, m.index, m.body, m.signature, identity.signingKey) ? null : 'bad signature';
  };

  // T.6.1 identities, commits, reveals, shares: each checked against the step before.
  const identities = accept(record.identities, (m) =>
    !verifyMessage(h, 'identity', m.index, m.body, m.signature, m.signingKey)
      ? 'bad signature'
      : !verifyKnowledge(m.encryptionKey, m.encryptionProof, encryptionKeyContext(h, m.index))
        ? 'bad proof of knowledge of the encryption key'
        : null,
  );
  const commits = accept(record.commits, (m) => signedBy(m));
  const reveals = accept(record.reveals, (m) => {
    const commit = commits.get(m.index);
    if (!commit) return 'no commit before this reveal';
    const sig = signedBy(m);
    if (sig) return sig;
    if (!equal(revealHash(m), commit.hash)) return 'does not match the committed hash';
    if (m.commitments.length !== params.t || m.proofs.length !== params.t)
      return `has ${m.commitments.length} commitments and ${m.proofs.length} proofs, t = ${params.t}`;
    const k = m.commitments.findIndex((A, k) => !verifyKnowledge(A, m.proofs[k], coefficientContext(h, m.index, k, m.commitments)));
    return k >= 0 ? `bad proof of knowledge for coefficient ${k}` : null;
  });
  const shares = accept(record.shares, (m) => {
    if (!reveals.has(m.index)) return 'no accepted reveal before these shares';
    const sig = signedBy(m);
    if (sig) return sig;
    const want = [...identities.keys()].filter((j) => j !== m.index).sort((a, b) => a - b);
    const got = m.shares.map((s) => s.to);
    if (want.length !== got.length || !want.every((j, k) => got[k] === j)) return `shares go to [${got}], expected [${want}]`;
    const bad = m.shares.find((s) => !verifyEphemeral(h, m.index, s));
    return bad ? `bad proof of knowledge of the ephemeral key of the share to trustee ${bad.to}` : null;
  });

  // T.6.2 complaints: each is judged by opening the one share it reveals.
  const proven = new Map<number, string>();
  const complaints: ComplaintMessage[] = [];
  const upheld = new Set<string>();
  for (const m of record.complaints) {
    const base = !equal(m.fingerprint, h) ? 'belongs to another ceremony' : m.index < 1 || m.index > params.n ? `index ${m.index} is not from 1 to n` : signedBy(m);
    if (base) {
      refuse(m, base);
      continue;
    }
    const dealt = shares.get(m.accused);
    const entry = dealt?.shares.find((s) => s.to === m.index);
    const complainer = identities.get(m.index)!;
    if (upheld.has(`${m.index}>${m.accused}`)) refuse(m, `a second complaint by trustee ${m.index} against trustee ${m.accused}`);
    else if (!dealt || !entry) refuse(m, `trustee ${m.accused} dealt no accepted share to trustee ${m.index}`);
    else if (!verifyDleq({ B1: G, X1: complainer.encryptionKey, B2: entry.E, X2: m.key }, m.proof, complaintContext(h, m.index, m.accused)))
      refuse(m, 'bad proof that the revealed key opens the share');
    else {
      const value = await openShare(h, m.accused, entry, m.key, complainer.encryptionKey);
      if (value !== null && mulSecret(G, value).equals(evaluateCommitments(reveals.get(m.accused)!.commitments, m.index))) {
        refuse(m, `the share from trustee ${m.accused} is correct: false complaint`);
      } else {
        upheld.add(`${m.index}>${m.accused}`);
        complaints.push(m);
        if (!proven.has(m.accused)) proven.set(m.accused, `dealt a bad share to trustee ${m.index}`);
      }
    }
  }
  return { identities, commits, reveals, shares, complaints, proven, refused };
}

/** T.6 applies the ceremony rules to a record: acceptance, qualification, keys, transcript, signatures. */
export async function evaluateCeremony(params: CeremonyParams, record: CeremonyRecord): Promise<CeremonyOutcome> {
  const h = ceremonyHash(params);
  const accepted = await acceptRecord(params, record);
  const refused = [...accepted.refused];
  const { identities, commits, reveals, shares, proven } = accepted;

  // T.6.3 the qualified set, the keys and the transcript.
  const disqualified: { index: number; reason: string }[] = [];
  const qualified: number[] = [];
  for (let i = 1; i <= params.n; i++) {
    const reason = !identities.has(i)
      ? 'no identity'
      : !commits.has(i)
        ? 'no commit'
        : !reveals.has(i)
          ? 'no accepted reveal'
          : !shares.has(i)
            ? 'no accepted shares'
            : (proven.get(i) ?? null);
    if (reason) disqualified.push({ index: i, reason });
    else qualified.push(i);
  }
  const base = { accepted, qualified, disqualified };
  const fail = (failure: string): CeremonyOutcome => {
    for (const f of record.finishes) refused.push({ kind: f.kind, index: f.index, reason: `the ceremony failed: ${failure}` });
    return { ...base, ok: false, failure, jointKey: null, verificationKeys: new Map(), transcript: new Uint8Array(0), refused, signedBy: [], complete: false };
  };
  if (qualified.length < params.t) return fail(`only ${qualified.length} trustees qualified; ${params.t} are needed`);
  let jointKey = IDENTITY;
  for (const i of qualified) jointKey = jointKey.add(reveals.get(i)!.commitments[0]);
  if (jointKey.is0()) return fail('the joint key is the identity');
  const verificationKeys = new Map<number, Point>();
  for (const j of qualified) {
    let Yj = IDENTITY;
    for (const i of qualified) Yj = Yj.add(evaluateCommitments(reveals.get(i)!.commitments, j));
    verificationKeys.set(j, Yj);
  }
  const transcript = transcriptHash(h, params.n, [identities, commits, reveals, shares], accepted.complaints, qualified, jointKey, verificationKeys);

  // T.6.4 who signed this very transcript, proving knowledge of their key share.
  const signers = new Set<number>();
  for (const m of record.finishes) {
    const identity = identities.get(m.index);
    const Yj = verificationKeys.get(m.index);
    const why = !equal(m.fingerprint, h)
      ? 'belongs to another ceremony'
      : Yj === undefined || identity === undefined
        ? `trustee ${m.index} is not qualified`
        : signers.has(m.index)
          ? `a second finish message from trustee ${m.index}`
          : !verifyMessage(h, 'finish', m.index, m.body, m.signature, identity.signingKey)
            ? 'bad signature'
            : !equal(m.transcript, transcript)
              ? 'signs a different transcript: this trustee was shown another record'
              : !verifyKnowledge(Yj, m.keyProof, keyShareContext(h, m.index))
                ? 'bad proof of knowledge of the key share'
                : null;
    if (why === null) signers.add(m.index);
    else refused.push({ kind: m.kind, index: m.index, reason: why });
  }
  const signedBy = qualified.filter((j) => signers.has(j));
  return { ...base, ok: true, failure: null, jointKey, verificationKeys, transcript, refused, signedBy, complete: signedBy.length === qualified.length };
}

/**
 * T.6.3 H("gongshi/1/dkg-transcript", h, records) where records frames, for i = 1 … n, the accepted
 * identity, commit, reveal and shares of trustee i (an empty frame where there is none); then u32 the
 * number of upheld complaints and each of them framed, in (complainer, accused) order; then u32 |QUAL|
 * and each qualified index; then enc(Y) and enc(Y_j) for each qualified j in order.
 */
function transcriptHash(
  h: Uint8Array,
  n: number,
  steps: readonly ReadonlyMap<number, TrusteeMessage>[],
  complaints: readonly ComplaintMessage[],
  qualified: readonly number[],
  Y: Point,
  keys: ReadonlyMap<number, Point>,
): Uint8Array {
  const w = new Writer();
  for (let i = 1; i <= n; i++) for (const step of steps) w.framed(step.get(i)?.bytes ?? new Uint8Array(0));
  const sorted = [...complaints].sort((a, b) => a.index - b.index || a.accused - b.accused);
  w.u32(sorted.length);
  for (const c of sorted) w.framed(c.bytes);
  w.u32(qualified.length);
  for (const j of qualified) w.u32(j);
  w.point(Y);
  for (const j of qualified) w.point(keys.get(j)!);
  return taggedHash('gongshi/1/dkg-transcript', h, w.finish());
}
