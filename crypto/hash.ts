/** Hash functions of the protocol: tagged SHA-256 for identifiers, wide reduction to scalars. Spec §G.3. */
import { sha256 } from '@noble/hashes/sha2.js';
import { mod } from './group.ts';

const utf8 = new TextEncoder();

/** u32 big-endian length followed by the bytes: the framing used everywhere something is hashed. */
export function frame(bytes: Uint8Array): Uint8Array {
  const out = new Uint8Array(4 + bytes.length);
  new DataView(out.buffer).setUint32(0, bytes.length);
  out.set(bytes, 4);
  return out;
}

/**
 * SHA-256 of byte strings taken one after another (as if concatenated). noble's by default; a Node
 * host may put node:crypto's in its place with `useSha256` (the same digests, about four times faster
 * on a ballot's bytes, spec §B.5.2).
 */
export type Sha256Parts = (parts: readonly Uint8Array[]) => Uint8Array;

const nobleSha256: Sha256Parts = (parts) => {
  const h = sha256.create();
  for (const p of parts) h.update(p);
  return h.digest();
};
let sha256Parts: Sha256Parts = nobleSha256;

/**
 * Makes `taggedHash` use `impl`, which must be SHA-256: it is first checked against noble's on inputs
 * of several lengths and refused (Error) if any digest differs. Returns nothing; affects the whole
 * process, and only its speed.
 */
export function useSha256(impl: Sha256Parts): void {
  for (const n of [0, 1, 55, 56, 64, 1000, 4097]) {
    const input = Uint8Array.from({ length: n }, (_, i) => (i * 31 + n) & 0xff);
    const parts = [input.subarray(0, n >> 1), input.subarray(n >> 1)];
    const want = nobleSha256([input]);
    const got = impl(parts);
    if (!(got instanceof Uint8Array) || got.length !== 32 || got.some((b, i) => b !== want[i])) throw new Error('useSha256: the implementation given is not SHA-256');
  }
  sha256Parts = impl;
}

const lengths = (n: number): Uint8Array => {
  const out = new Uint8Array(4);
  new DataView(out.buffer).setUint32(0, n);
  return out;
};

/** H(tag, parts…) = SHA-256(frame(tag) ‖ frame(part₁) ‖ …). Spec §G.3. Each frame's length goes in before its bytes: nothing is copied. */
export function taggedHash(tag: string, ...parts: Uint8Array[]): Uint8Array {
  const t = utf8.encode(tag);
  const input: Uint8Array[] = [lengths(t.length), t];
  for (const p of parts) input.push(lengths(p.length), p);
  return sha256Parts(input);
}

/** HMAC-SHA256 (RFC 2104) of `message` under a key of at most 64 bytes, with the SHA-256 in use (see useSha256). */
export function hmacSha256(key: Uint8Array, message: Uint8Array): Uint8Array {
  if (key.length > 64) throw new Error('bug: an HMAC key of more than one block');
  const pad = (byte: number) => {
    const out = new Uint8Array(64).fill(byte);
    for (let i = 0; i < key.length; i++) out[i] ^= key[i];
    return out;
  };
  return sha256Parts([pad(0x5c), sha256Parts([pad(0x36), message])]);
}

/** Interprets 64 bytes as a little-endian integer and reduces it mod ℓ (wide reduction). Spec §G.3. */
export function bytesToScalarWide(bytes: Uint8Array): bigint {
  if (bytes.length !== 64) throw new Error('bug: wide reduction needs 64 bytes');
  let x = 0n;
  for (let i = 63; i >= 0; i--) x = (x << 8n) | BigInt(bytes[i]);
  return mod(x);
}
