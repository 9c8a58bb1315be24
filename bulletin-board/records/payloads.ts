/**
 * The payload of every entry type but the manifest: one canonical encoding each. Spec §B.1.6.
 * Ballots, openings and trustee messages keep their own encodings (§Q.6, §Q.9.1, §T.2).
 */
import {
  DecodeError,
  Reader,
  Writer,
  decodeBallot,
  decodeOpening,
  decodePoint,
  decodeTrusteeMessage,
  encodeOpening,
  encodePoint,
  type AnswerShape,
  type Ballot,
  type BallotOpening,
  type Ciphertext,
  type DecryptionMessage,
  type Point,
  type TrusteeMessage,
} from '../../crypto/index.ts';
import type { EntryTypeName } from './entry.ts';
import { REGISTRAR_SIGNATURE_BYTES, encodeCredentialList, encodeRevocationList, type ListedCredential } from './credential-list.ts';
import { decodeManifest, type Manifest } from './manifest.ts';

/** B.1.6 limits of the credential list. */
export const CREDENTIAL_LIMITS = { perEntry: 100_000, weight: 1000 } as const;
/** B.1.6 the ceremony's steps, numbered like the trustee message kinds (§T.1.2). */
export const CEREMONY_STEPS = 6;

export type { ListedCredential } from './credential-list.ts';

/** B.1.6 the key entry: what the ceremony of `run` produced, repeated for readers and checked by the rules. */
export interface KeyRecord {
  readonly run: number;
  readonly fingerprint: Uint8Array;
  readonly transcript: Uint8Array;
  readonly jointKey: Point;
  readonly verificationKeys: readonly { readonly index: number; readonly key: Point }[];
}

/**
 * What the rules need of a ballot besides its proofs: the fingerprint it names, its credential's
 * encoding and every slot's α ‖ β (64 bytes), all questions in order. A decoded ballot gives them
 * (`ballotFacts`); so does a verifier thread that decoded and checked the ballot elsewhere.
 */
export interface BallotFacts {
  readonly fingerprint: Uint8Array;
  readonly credential: Uint8Array;
  readonly slots: readonly Uint8Array[];
}

/** The facts of a decoded ballot. */
export function ballotFacts(ballot: Ballot): BallotFacts {
  const slots = ballot.answers.flatMap((a) => a.slots.map((c) => new Writer().point(c.alpha).point(c.beta).finish()));
  return { fingerprint: ballot.fingerprint, credential: encodePoint(ballot.credential), slots };
}

/** B.1.6 the encrypted tally: one ciphertext per slot of every question, in order. */
export interface TallyRecord {
  /** the credentials whose last ballot is counted */
  readonly counted: number;
  /** the sum of their weights */
  readonly weight: number;
  readonly ciphertexts: readonly Ciphertext[];
}

export type Payload =
  | { readonly type: 'manifest'; readonly manifest: Manifest }
  /** `listBytes` are what the registrar signed (with the manifest hash, B.1.6.1) */
  | { readonly type: 'credentials'; readonly credentials: readonly ListedCredential[]; readonly listBytes: Uint8Array; readonly signature: Uint8Array }
  | { readonly type: 'ceremony'; readonly run: number }
  | { readonly type: 'step'; readonly run: number; readonly step: number }
  | { readonly type: 'trustee'; readonly message: Exclude<TrusteeMessage, DecryptionMessage> }
  | { readonly type: 'key'; readonly key: KeyRecord }
  | { readonly type: 'open' }
  /** `ballot` is null when the payload was decoded and its proofs checked elsewhere (a verifier thread) */
  | { readonly type: 'ballot'; readonly ballot: Ballot | null; readonly facts: BallotFacts }
  | { readonly type: 'audit'; readonly ballot: Ballot; readonly facts: BallotFacts; readonly ballotBytes: Uint8Array; readonly opening: BallotOpening }
  | { readonly type: 'close' }
  | { readonly type: 'tally'; readonly tally: TallyRecord }
  | { readonly type: 'decryption'; readonly message: DecryptionMessage }
  | { readonly type: 'result'; readonly totals: readonly number[] }
  /** B.1.6.9 the new closing time, ms since 1970 UTC */
  | { readonly type: 'extend'; readonly closesAt: number }
  /** B.1.6.10 credentials the registrar revokes; `listBytes` are what she signed (with the manifest hash) */
  | { readonly type: 'revoke'; readonly keys: readonly Point[]; readonly listBytes: Uint8Array; readonly signature: Uint8Array };

/** What decoding needs from the board's state: the manifest's answer shapes, once there is one. */
export interface PayloadContext {
  readonly shapes: readonly AnswerShape[] | null;
}

const MAX_BALLOT_BYTES = 8 * 1024 * 1024;

/** B.1.6.1 list bytes ‖ the registrar's signature (see signCredentialList, which makes both). */
export function encodeCredentials(list: readonly ListedCredential[], signature: Uint8Array): Uint8Array {
  if (signature.length !== REGISTRAR_SIGNATURE_BYTES) throw new Error('bug: a registrar signature is 64 bytes');
  return new Writer().bytes(encodeCredentialList(list)).bytes(signature).finish();
}

export function encodeCeremony(run: number): Uint8Array {
  return new Writer().u32(run).finish();
}

export function encodeStep(run: number, step: number): Uint8Array {
  return new Writer().u32(run).u8(step).finish();
}

export function encodeKey(k: KeyRecord): Uint8Array {
  const w = new Writer().u32(k.run).bytes(k.fingerprint).bytes(k.transcript).point(k.jointKey).u32(k.verificationKeys.length);
  for (const v of k.verificationKeys) w.u32(v.index).point(v.key);
  return w.finish();
}

export function encodeAudit(ballotBytes: Uint8Array, opening: BallotOpening): Uint8Array {
  return new Writer().framed(ballotBytes).bytes(encodeOpening(opening)).finish();
}

export function encodeTally(t: TallyRecord): Uint8Array {
  const w = new Writer().u32(t.counted).u64(t.weight).u32(t.ciphertexts.length);
  for (const c of t.ciphertexts) w.point(c.alpha).point(c.beta);
  return w.finish();
}

/** B.1.6.9 an extension of the closing time: u64 the new closesAt. */
export function encodeExtend(closesAt: number): Uint8Array {
  return new Writer().u64(closesAt).finish();
}

/** B.1.6.10 revocation bytes ‖ the registrar's signature (see signRevocation, which makes both). */
export function encodeRevoke(keys: readonly Point[], signature: Uint8Array): Uint8Array {
  if (signature.length !== REGISTRAR_SIGNATURE_BYTES) throw new Error('bug: a registrar signature is 64 bytes');
  return new Writer().bytes(encodeRevocationList(keys)).bytes(signature).finish();
}

export function encodeResult(totals: readonly number[]): Uint8Array {
  const w = new Writer().u32(totals.length);
  for (const v of totals) w.u64(v);
  return w.finish();
}

/** The number of tally ciphertexts of a poll: every slot of every question (§Q.2). */
export function slotCount(shapes: readonly AnswerShape[]): number {
  return shapes.reduce((s, q) => s + q.slotMax.length, 0);
}

function requireShapes(ctx: PayloadContext): readonly AnswerShape[] {
  if (ctx.shapes === null) throw new DecodeError('payload', 'no manifest yet');
  return ctx.shapes;
}

/**
 * B.1.6.1 the payload of a credentials entry that the board itself stored (B.5.2): the layout and the
 * counts and weights checked as `decodePayload` does, but each key decoded only when it is read (its
 * encoding was checked when the entry was appended; the rules read the keys' bytes from the list).
 * Throws DecodeError naming the field.
 */
export function skimCredentials(payload: Uint8Array): Payload {
  const r = new Reader(payload);
  const count = r.u32('count');
  if (count < 1 || count > CREDENTIAL_LIMITS.perEntry) throw new DecodeError('count', `1 to ${CREDENTIAL_LIMITS.perEntry} credentials per entry`);
  const credentials: ListedCredential[] = [];
  for (let i = 0; i < count; i++) {
    const key = r.bytes(32, `credentials[${i}].key`);
    const weight = r.u32(`credentials[${i}].weight`);
    if (weight < 1 || weight > CREDENTIAL_LIMITS.weight) throw new DecodeError(`credentials[${i}].weight`, `a weight is 1 to ${CREDENTIAL_LIMITS.weight}`);
    credentials.push({
      weight,
      get key() {
        return decodePoint(key, `credentials[${i}].key`);
      },
    });
  }
  const listBytes = payload.slice(0, r.offset);
  const signature = r.bytes(REGISTRAR_SIGNATURE_BYTES, 'signature').slice();
  r.end();
  return { type: 'credentials', credentials, listBytes, signature };
}

/** B.1.6 decodes the payload of an entry of type `type`. Throws DecodeError naming the field. */
export function decodePayload(type: EntryTypeName, payload: Uint8Array, ctx: PayloadContext): Payload {
  if (type === 'manifest') return { type, manifest: decodeManifest(payload) };
  if (type === 'ballot') {
    const ballot = decodeBallot(payload, requireShapes(ctx));
    return { type, ballot, facts: ballotFacts(ballot) };
  }
  if (type === 'trustee' || type === 'decryption') {
    const message = decodeTrusteeMessage(payload);
    if ((type === 'decryption') !== (message.kind === 'decryption'))
      throw new DecodeError('kind', type === 'trustee' ? 'a decryption message belongs in a decryption entry' : 'not a decryption message');
    return message.kind === 'decryption' ? { type: 'decryption', message } : { type: 'trustee', message };
  }
  const r = new Reader(payload);
  let out: Payload;
  switch (type) {
    case 'credentials': {
      const count = r.u32('count');
      if (count < 1 || count > CREDENTIAL_LIMITS.perEntry) throw new DecodeError('count', `1 to ${CREDENTIAL_LIMITS.perEntry} credentials per entry`);
      const credentials: ListedCredential[] = [];
      for (let i = 0; i < count; i++) {
        const key = r.point(`credentials[${i}].key`);
        const weight = r.u32(`credentials[${i}].weight`);
        if (weight < 1 || weight > CREDENTIAL_LIMITS.weight) throw new DecodeError(`credentials[${i}].weight`, `a weight is 1 to ${CREDENTIAL_LIMITS.weight}`);
        credentials.push({ key, weight });
      }
      const listBytes = payload.slice(0, r.offset);
      const signature = r.bytes(REGISTRAR_SIGNATURE_BYTES, 'signature').slice();
      out = { type, credentials, listBytes, signature };
      break;
    }
    case 'revoke': {
      const count = r.u32('count');
      if (count < 1 || count > CREDENTIAL_LIMITS.perEntry) throw new DecodeError('count', `1 to ${CREDENTIAL_LIMITS.perEntry} credentials per entry`);
      const keys = Array.from({ length: count }, (_, i) => r.point(`keys[${i}]`));
      const listBytes = payload.slice(0, r.offset);
      const signature = r.bytes(REGISTRAR_SIGNATURE_BYTES, 'signature').slice();
      out = { type, keys, listBytes, signature };
      break;
    }
    case 'ceremony':
      out = { type, run: r.u32('run') };
      break;
    case 'step': {
      const run = r.u32('run');
      const step = r.u8('step');
      if (step < 2 || step > CEREMONY_STEPS) throw new DecodeError('step', `the step that begins is 2 to ${CEREMONY_STEPS}`);
      out = { type, run, step };
      break;
    }
    case 'key': {
      const run = r.u32('run');
      const fingerprint = r.bytes(32, 'fingerprint').slice();
      const transcript = r.bytes(32, 'transcript').slice();
      const jointKey = r.point('jointKey');
      const count = r.u32('verificationKeys');
      if (count < 1 || count > 64) throw new DecodeError('verificationKeys', '1 to 64 qualified trustees');
      const verificationKeys = Array.from({ length: count }, (_, i) => ({ index: r.u32(`verificationKeys[${i}].index`), key: r.point(`verificationKeys[${i}].key`) }));
      out = { type, key: { run, fingerprint, transcript, jointKey, verificationKeys } };
      break;
    }
    case 'open':
    case 'close':
      out = { type };
      break;
    case 'extend':
      out = { type, closesAt: r.u64('closesAt') };
      break;
    case 'audit': {
      const shapes = requireShapes(ctx);
      const ballotBytes = r.framed('ballot', MAX_BALLOT_BYTES).slice();
      const ballot = decodeBallot(ballotBytes, shapes);
      const opening = decodeOpening(payload.subarray(r.offset), shapes);
      return { type, ballot, facts: ballotFacts(ballot), ballotBytes, opening };
    }
    case 'tally': {
      const shapes = requireShapes(ctx);
      const counted = r.u32('counted');
      const weight = r.u64('weight');
      r.expectU32('ciphertexts', slotCount(shapes));
      const ciphertexts = Array.from({ length: slotCount(shapes) }, (_, i) => ({
        // Appendix B 2: a sum may be the identity.
        alpha: r.point(`ciphertexts[${i}].alpha`, true),
        beta: r.point(`ciphertexts[${i}].beta`, true),
      }));
      out = { type, tally: { counted, weight, ciphertexts } };
      break;
    }
    case 'result': {
      const shapes = requireShapes(ctx);
      r.expectU32('totals', slotCount(shapes));
      out = { type, totals: Array.from({ length: slotCount(shapes) }, (_, i) => r.u64(`totals[${i}]`)) };
      break;
    }
    default:
      throw new Error(`bug: no payload decoder for ${type}`);
  }
  r.end();
  return out;
}
