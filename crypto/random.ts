/** The one source of randomness in gongshi, injectable so that tests can be seeded. Spec §G.4. */
import { sha512 } from '@noble/hashes/sha2.js';
import { bytesToScalarWide } from './hash.ts';

/** Returns n fresh random bytes. */
export type RandomSource = (n: number) => Uint8Array;

/** The platform CSPRNG (`crypto.getRandomValues`, in browsers and in Node ≥ 19). */
export const systemRandom: RandomSource = (n) => {
  const out = new Uint8Array(n);
  // getRandomValues fills at most 65536 bytes per call.
  for (let i = 0; i < n; i += 65536) globalThis.crypto.getRandomValues(out.subarray(i, Math.min(n, i + 65536)));
  return out;
};

/**
 * A deterministic stream for tests and vectors: block i = SHA-512(u32be(len seed) ‖ seed ‖ u64be(i)).
 * Never use it for a real poll: anyone who knows the seed knows every secret.
 */
export function seededRandom(seed: string | Uint8Array): RandomSource {
  const s = typeof seed === 'string' ? new TextEncoder().encode(seed) : seed;
  let counter = 0n;
  let buffer = new Uint8Array(0);
  return (n) => {
    const out = new Uint8Array(n);
    let filled = 0;
    while (filled < n) {
      if (buffer.length === 0) {
        const block = new Uint8Array(4 + s.length + 8);
        const view = new DataView(block.buffer);
        view.setUint32(0, s.length);
        block.set(s, 4);
        view.setBigUint64(4 + s.length, counter++);
        buffer = sha512(block);
      }
      const take = Math.min(n - filled, buffer.length);
      out.set(buffer.subarray(0, take), filled);
      buffer = buffer.subarray(take);
      filled += take;
    }
    return out;
  };
}

/** A uniform scalar in [1, ℓ): 64 random bytes reduced mod ℓ (bias < 2^-250), zero redrawn. Spec §G.4. */
export function randomScalar(rng: RandomSource): bigint {
  for (;;) {
    const k = bytesToScalarWide(rng(64));
    if (k !== 0n) return k;
  }
}

/** A uniform integer in [1, 2^128): 16 random bytes, little-endian, zero redrawn. Spec §P0.3. */
export function randomWeight(rng: RandomSource): bigint {
  for (;;) {
    const b = rng(16);
    let w = 0n;
    for (let i = 15; i >= 0; i--) w = (w << 8n) | BigInt(b[i]);
    if (w !== 0n) return w;
  }
}
