/**
 * The trustee messages and their one canonical encoding each. Spec §T.2. Every message is
 *   u8 kind ‖ u8 version ‖ h (32) ‖ u32 index ‖ payload ‖ signature T (32) ‖ z (32),
 * the signature (§P6, T.1.4) covering everything before it.
 */
import { DecodeError, Reader, Writer, type FieldSpan } from '../encoding.ts';
import type { Point } from '../group.ts';
import type { DleqProof } from '../proofs/dleq.ts';
import type { SchnorrProof } from '../proofs/schnorr.ts';
import type { RandomSource } from '../random.ts';
import { NONCE_BYTES, SHARE_CIPHERTEXT_BYTES, type EncryptedShare } from './channel.ts';
import { Kind, MAX_TRUSTEES, signMessage, type KindName } from './params.ts';

export const MESSAGE_VERSION = 1;
/** T.2 the largest number of tally ciphertexts one decryption message may carry. */
export const MAX_CIPHERTEXTS = 100_000;

interface Signed {
  readonly index: number;
  /** h_C for ceremony messages, the election fingerprint for decryption shares */
  readonly fingerprint: Uint8Array;
  readonly signature: SchnorrProof;
  /** the signed bytes: everything but the signature */
  readonly body: Uint8Array;
  /** the whole message */
  readonly bytes: Uint8Array;
}

export interface IdentityMessage extends Signed {
  readonly kind: 'identity';
  readonly signingKey: Point;
  readonly encryptionKey: Point;
  /** §P1 proof of knowledge of the encryption secret (T.2.1) */
  readonly encryptionProof: SchnorrProof;
}
export interface CommitMessage extends Signed {
  readonly kind: 'commit';
  readonly hash: Uint8Array;
}
export interface RevealMessage extends Signed {
  readonly kind: 'reveal';
  readonly commitments: readonly Point[];
  readonly proofs: readonly SchnorrProof[];
}
export interface SharesMessage extends Signed {
  readonly kind: 'shares';
  readonly shares: readonly EncryptedShare[];
}
export interface ComplaintMessage extends Signed {
  readonly kind: 'complaint';
  readonly accused: number;
  /** K = x_enc·E of the accused's share to the complainer */
  readonly key: Point;
  readonly proof: DleqProof;
}
export interface FinishMessage extends Signed {
  readonly kind: 'finish';
  readonly transcript: Uint8Array;
  /** T.7.2 §P1 proof of knowledge of the key share x_j behind Y_j: she can decrypt */
  readonly keyProof: SchnorrProof;
}
export interface DecryptionMessage extends Signed {
  readonly kind: 'decryption';
  readonly shares: readonly { readonly M: Point; readonly proof: DleqProof }[];
}

export type TrusteeMessage = IdentityMessage | CommitMessage | RevealMessage | SharesMessage | ComplaintMessage | FinishMessage | DecryptionMessage;

type Payload<M> = Omit<M, 'index' | 'fingerprint' | 'signature' | 'body' | 'bytes' | 'kind'>;

function writeSchnorr(w: Writer, p: SchnorrProof): void {
  w.point(p.T).scalar(p.z);
}
function writeDleq(w: Writer, p: DleqProof): void {
  w.point(p.T1).point(p.T2).scalar(p.z);
}
function readSchnorr(r: Reader, f: string): SchnorrProof {
  return { T: r.point(`${f}.T`, true), z: r.scalar(`${f}.z`) };
}
function readDleq(r: Reader, f: string): DleqProof {
  return { T1: r.point(`${f}.T1`, true), T2: r.point(`${f}.T2`, true), z: r.scalar(`${f}.z`) };
}

const writers: { [K in KindName]: (w: Writer, p: Payload<Extract<TrusteeMessage, { kind: K }>>) => void } = {
  identity: (w, p) => {
    w.point(p.signingKey).point(p.encryptionKey);
    writeSchnorr(w, p.encryptionProof);
  },
  commit: (w, p) => {
    w.bytes(p.hash);
  },
  reveal: (w, p) => {
    w.u32(p.commitments.length);
    for (const A of p.commitments) w.point(A);
    for (const pi of p.proofs) writeSchnorr(w, pi);
  },
  shares: (w, p) => {
    w.u32(p.shares.length);
    for (const s of p.shares) {
      w.u32(s.to).point(s.E);
      writeSchnorr(w, s.proof);
      w.bytes(s.nonce).bytes(s.ciphertext);
    }
  },
  complaint: (w, p) => {
    w.u32(p.accused).point(p.key);
    writeDleq(w, p.proof);
  },
  finish: (w, p) => {
    w.bytes(p.transcript);
    writeSchnorr(w, p.keyProof);
  },
  decryption: (w, p) => {
    w.u32(p.shares.length);
    for (const s of p.shares) {
      w.point(s.M);
      writeDleq(w, s.proof);
    }
  },
};

/** Builds and signs a message of `kind` from trustee `index`. T.2. */
export function buildMessage<K extends KindName>(
  kind: K,
  fingerprint: Uint8Array,
  index: number,
  payload: Payload<Extract<TrusteeMessage, { kind: K }>>,
  signing: { secret: bigint; publicKey: Point },
  rng: RandomSource,
): Extract<TrusteeMessage, { kind: K }> {
  const w = new Writer().u8(Kind[kind]).u8(MESSAGE_VERSION).bytes(fingerprint).u32(index);
  writers[kind](w, payload);
  const body = w.finish();
  const signature = signMessage(fingerprint, kind, index, body, signing, rng);
  const bytes = new Writer().bytes(body).point(signature.T).scalar(signature.z).finish();
  return { ...payload, kind, index, fingerprint, signature, body, bytes } as unknown as Extract<TrusteeMessage, { kind: K }>;
}

function readCount(r: Reader, field: string, max: number): number {
  const n = r.u32(field);
  if (n > max) throw new DecodeError(field, `${n} is over the limit of ${max}`);
  return n;
}

/** T.2 decodes any trustee message, refusing every non-canonical byte. Throws DecodeError. */
export function decodeTrusteeMessage(bytes: Uint8Array, trace?: FieldSpan[]): TrusteeMessage {
  const r = new Reader(bytes, trace);
  const kindByte = r.u8('kind');
  const kind = (Object.keys(Kind) as KindName[]).find((k) => Kind[k] === kindByte);
  if (kind === undefined) throw new DecodeError('kind', `unknown trustee message kind ${kindByte}`);
  const version = r.u8('version');
  if (version !== MESSAGE_VERSION) throw new DecodeError('version', `unknown message version ${version}`);
  const fingerprint = r.bytes(32, 'fingerprint').slice();
  const index = r.u32('index');
  if (index < 1 || index > MAX_TRUSTEES) throw new DecodeError('index', `trustee index ${index} is not from 1 to ${MAX_TRUSTEES}`);
  let payload: Record<string, unknown>;
  switch (kind) {
    case 'identity':
      payload = { signingKey: r.point('signingKey'), encryptionKey: r.point('encryptionKey'), encryptionProof: readSchnorr(r, 'encryptionProof') };
      break;
    case 'commit':
      payload = { hash: r.bytes(32, 'hash').slice() };
      break;
    case 'reveal': {
      const t = readCount(r, 'commitments', MAX_TRUSTEES);
      if (t === 0) throw new DecodeError('commitments', 'a reveal has at least one commitment');
      const commitments = Array.from({ length: t }, (_, k) => r.point(`commitments[${k}]`));
      const proofs = Array.from({ length: t }, (_, k) => readSchnorr(r, `proofs[${k}]`));
      payload = { commitments, proofs };
      break;
    }
    case 'shares': {
      const m = readCount(r, 'shares', MAX_TRUSTEES);
      const shares: EncryptedShare[] = [];
      for (let j = 0; j < m; j++) {
        const to = r.u32(`shares[${j}].to`);
        if (to < 1 || to > MAX_TRUSTEES || to === index) throw new DecodeError(`shares[${j}].to`, `${to} is not another trustee's index`);
        if (j > 0 && to <= shares[j - 1].to) throw new DecodeError(`shares[${j}].to`, 'recipients must be in increasing order');
        shares.push({
          to,
          E: r.point(`shares[${j}].E`),
          proof: readSchnorr(r, `shares[${j}].proof`),
          nonce: r.bytes(NONCE_BYTES, `shares[${j}].nonce`).slice(),
          ciphertext: r.bytes(SHARE_CIPHERTEXT_BYTES, `shares[${j}].ciphertext`).slice(),
        });
      }
      payload = { shares };
      break;
    }
    case 'complaint': {
      const accused = r.u32('accused');
      if (accused < 1 || accused > MAX_TRUSTEES || accused === index) throw new DecodeError('accused', `${accused} is not another trustee's index`);
      payload = { accused, key: r.point('key'), proof: readDleq(r, 'proof') };
      break;
    }
    case 'finish':
      payload = { transcript: r.bytes(32, 'transcript').slice(), keyProof: readSchnorr(r, 'keyProof') };
      break;
    case 'decryption': {
      const m = readCount(r, 'shares', MAX_CIPHERTEXTS);
      payload = { shares: Array.from({ length: m }, (_, c) => ({ M: r.point(`shares[${c}].M`, true), proof: readDleq(r, `shares[${c}].proof`) })) };
      break;
    }
  }
  const bodyLength = r.offset;
  const signature = readSchnorr(r, 'signature');
  r.end();
  return { ...payload, kind, index, fingerprint, signature, body: bytes.slice(0, bodyLength), bytes: bytes.slice() } as TrusteeMessage;
}
