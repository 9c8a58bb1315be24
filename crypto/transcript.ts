/**
 * The Fiat–Shamir transcript: a domain tag, then labelled, length-prefixed items, hashed with SHA-512
 * and reduced mod ℓ. Spec §F. Strong Fiat–Shamir: every proof absorbs its whole statement.
 */
import { sha512 } from '@noble/hashes/sha2.js';
import { encodeScalar, pointBytes } from './encoding.ts';
import type { Point } from './group.ts';
import { bytesToScalarWide, frame } from './hash.ts';

/** The protocol version and group, the prefix of every domain-separation tag. Spec §F.1. */
export const PROTOCOL = 'gongshi/1/ristretto255';

const utf8 = new TextEncoder();

/** Accumulates one proof's transcript. Spec §F.2. */
export class Transcript {
  private readonly h = sha512.create();

  /** F.2.1 starts with frame(DST), DST = "gongshi/1/ristretto255/" ‖ proof name. */
  constructor(proof: string) {
    this.h.update(frame(utf8.encode(`${PROTOCOL}/${proof}`)));
  }

  /** F.2.2 absorbs frame(label) ‖ frame(data). */
  append(label: string, data: Uint8Array): this {
    this.h.update(frame(utf8.encode(label)));
    this.h.update(frame(data));
    return this;
  }

  appendPoint(label: string, P: Point): this {
    return this.append(label, pointBytes(P));
  }

  appendScalar(label: string, s: bigint): this {
    return this.append(label, encodeScalar(s));
  }

  appendU32(label: string, n: number): this {
    if (!Number.isInteger(n) || n < 0 || n > 0xffffffff) throw new Error(`bug: u32 out of range: ${n}`);
    const b = new Uint8Array(4);
    new DataView(b.buffer).setUint32(0, n);
    return this.append(label, b);
  }

  /** F.2.3 c = SHA-512(everything absorbed) as a 64-byte little-endian integer, mod ℓ. */
  challenge(): bigint {
    return bytesToScalarWide(this.h.digest());
  }
}
