/**
 * The private channel for DKG shares: ristretto255 Diffie–Hellman, HKDF-SHA256, AES-256-GCM
 * (WebCrypto). Ciphertexts are public; a complaint reveals one DH key and nothing else. Spec §T.4.
 */
import { hkdf } from '@noble/hashes/hkdf.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { DecodeError, decodeScalar, encodeScalar, pointBytes, Writer } from '../encoding.ts';
import { G, mulSecret, type Point } from '../group.ts';
import { proveKnowledge, verifyKnowledge, type SchnorrProof } from '../proofs/schnorr.ts';
import { randomScalar, type RandomSource } from '../random.ts';

/** One share in transit from trustee `from` to trustee `to`. */
export interface EncryptedShare {
  readonly to: number;
  /** the sender's ephemeral key E = e·G */
  readonly E: Point;
  /**
   * T.4.5 §P1 proof of knowledge of e, bound to (from, to): without it a dealer could send
   * E' = E + d·G for another dealer's E, provoke a complaint, and open that dealer's share.
   */
  readonly proof: SchnorrProof;
  readonly nonce: Uint8Array;
  /** AES-256-GCM of the 32-byte share: 32 bytes and a 16-byte tag */
  readonly ciphertext: Uint8Array;
}

export const NONCE_BYTES = 12;
export const SHARE_CIPHERTEXT_BYTES = 48;

/** T.4.2 the AES key of the share from → to, given the DH point K = e·P_to = x_to·E. */
function shareKey(h: Uint8Array, from: number, to: number, E: Point, K: Point, recipient: Point): Uint8Array {
  const info = new Writer().framed(new TextEncoder().encode('gongshi/1/dkg-share')).u32(from).u32(to).point(E).point(recipient).finish();
  return hkdf(sha256, pointBytes(K), h, info, 32);
}

/** T.4.3 the additional data: h ‖ u32 from ‖ u32 to. */
function additionalData(h: Uint8Array, from: number, to: number): Uint8Array {
  return new Writer().bytes(h).u32(from).u32(to).finish();
}

async function aesKey(raw: Uint8Array, usage: 'encrypt' | 'decrypt'): Promise<CryptoKey> {
  return globalThis.crypto.subtle.importKey('raw', raw as Uint8Array<ArrayBuffer>, 'AES-GCM', false, [usage]);
}

/** T.4.1 encrypts `share` from trustee `from` to trustee `to`, whose encryption key is `recipient`. */
export async function encryptShare(h: Uint8Array, from: number, to: number, share: bigint, recipient: Point, rng: RandomSource): Promise<EncryptedShare> {
  const e = randomScalar(rng);
  const E = mulSecret(G, e);
  const K = mulSecret(recipient, e);
  const nonce = rng(NONCE_BYTES);
  const key = await aesKey(shareKey(h, from, to, E, K, recipient), 'encrypt');
  const ct = await globalThis.crypto.subtle.encrypt(
    { name: 'AES-GCM', iv: nonce as Uint8Array<ArrayBuffer>, additionalData: additionalData(h, from, to) as Uint8Array<ArrayBuffer>, tagLength: 128 },
    key,
    encodeScalar(share) as Uint8Array<ArrayBuffer>,
  );
  return { to, E, proof: proveKnowledge(e, E, ephemeralContext(h, from, to), rng), nonce, ciphertext: new Uint8Array(ct) };
}

/** T.4.5 the context of the proof of knowledge of e: (h, u32 4 ‖ u32 from ‖ u32 to). */
export function ephemeralContext(h: Uint8Array, from: number, to: number) {
  return { fingerprint: h, binding: new Writer().u32(4).u32(from).u32(to).finish() };
}

/** T.4.5 checks the proof of knowledge of the ephemeral secret of a share from → es.to. */
export function verifyEphemeral(h: Uint8Array, from: number, es: EncryptedShare): boolean {
  return verifyKnowledge(es.E, es.proof, ephemeralContext(h, from, es.to));
}

/**
 * T.4.4 opens a share with the DH point K (the recipient computes K = x·E; a complaint reveals it).
 * Returns the share, or null when the ciphertext does not authenticate or holds a non-canonical scalar.
 */
export async function openShare(h: Uint8Array, from: number, es: EncryptedShare, K: Point, recipient: Point): Promise<bigint | null> {
  const key = await aesKey(shareKey(h, from, es.to, es.E, K, recipient), 'decrypt');
  let plain: ArrayBuffer;
  try {
    plain = await globalThis.crypto.subtle.decrypt(
      { name: 'AES-GCM', iv: es.nonce as Uint8Array<ArrayBuffer>, additionalData: additionalData(h, from, es.to) as Uint8Array<ArrayBuffer>, tagLength: 128 },
      key,
      es.ciphertext as Uint8Array<ArrayBuffer>,
    );
  } catch {
    return null;
  }
  try {
    return decodeScalar(new Uint8Array(plain), 'share');
  } catch (e) {
    if (e instanceof DecodeError) return null;
    throw e;
  }
}
