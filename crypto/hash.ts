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

/** H(tag, parts…) = SHA-256(frame(tag) ‖ frame(part₁) ‖ …). Spec §G.3. */
export function taggedHash(tag: string, ...parts: Uint8Array[]): Uint8Array {
  const h = sha256.create();
  h.update(frame(utf8.encode(tag)));
  for (const p of parts) h.update(frame(p));
  return h.digest();
}

/** Interprets 64 bytes as a little-endian integer and reduces it mod ℓ (wide reduction). Spec §G.3. */
export function bytesToScalarWide(bytes: Uint8Array): bigint {
  if (bytes.length !== 64) throw new Error('bug: wide reduction needs 64 bytes');
  let x = 0n;
  for (let i = 63; i >= 0; i--) x = (x << 8n) | BigInt(bytes[i]);
  return mod(x);
}
