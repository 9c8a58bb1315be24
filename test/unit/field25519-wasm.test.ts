/**
 * The WebAssembly field mod p = 2^255 − 19 (crypto/wasm/field25519.wat) against BigInt arithmetic mod p:
 * the committed binary is the .wat's, and every operation agrees on edge cases and random inputs.
 */
import { readFileSync } from 'node:fs';
import { modPow } from 'bigint-crypto-utils';
import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../crypto/index.ts';
import { fieldWasm, ristrettoWasmAvailable } from '../../crypto/ristretto-wasm.ts';
import { GENERATED_PATH, assembleField25519, generatedSource } from '../wasm/build-field25519.ts';

const P = 2n ** 255n - 19n;
const mod = (x: bigint) => ((x % P) + P) % P;
const SQRT_M1 = modPow(2n, (P - 1n) / 4n, P);

// Every input is a 256-bit integer; the module reduces it mod p on the way in.
const EDGES: bigint[] = [
  0n, 1n, 2n, 19n, 38n,
  P - 2n, P - 1n, P, P + 1n, P + 18n, // p + 18 = 2^255 − 1
  2n ** 255n, 2n ** 255n + 18n, 2n ** 255n + 19n, 2n * P - 1n, 2n * P, 2n ** 256n - 1n,
  // limb boundaries (weights 2^0, 2^26, 2^51, 2^77, …, 2^230) and values one below them
  ...[26n, 51n, 77n, 102n, 128n, 153n, 179n, 204n, 230n].flatMap((k) => [2n ** k - 1n, 2n ** k]),
  // all limbs at their maximum, with and without the bits that make the value ≥ p
  2n ** 255n - 20n, 2n ** 254n, 2n ** 254n - 1n, (P - 1n) / 2n, (P + 1n) / 2n, SQRT_M1, P - SQRT_M1,
];

function random256(rng: (n: number) => Uint8Array): bigint {
  let x = 0n;
  for (const b of rng(32)) x = (x << 8n) | BigInt(b);
  return x;
}

describe('the committed WebAssembly module', () => {
  it('is a fresh build of crypto/wasm/field25519.wat (npm run build:wasm leaves it unchanged)', async () => {
    const bytes = await assembleField25519();
    expect(readFileSync(GENERATED_PATH, 'utf8')).toBe(generatedSource(bytes));
  });

  it('runs here (Node 20 has WebAssembly), so the codec does not fall back to BigInt', () => {
    expect(ristrettoWasmAvailable).toBe(true);
  });
});

describe('field arithmetic mod 2^255 − 19 in WebAssembly', () => {
  it('reduces every edge value to its canonical residue, including those that need the final subtraction', () => {
    for (const a of EDGES) expect(fieldWasm.reduce(a), a.toString(16)).toBe(mod(a));
    expect(fieldWasm.reduce(2n ** 256n - 1n)).toBe(37n); // 2^256 − 1 = 2·(2^255 − 19) + 37
  });

  it('adds, subtracts and multiplies every pair of edge values as BigInt does mod p', () => {
    for (const a of EDGES) {
      for (const b of EDGES) {
        const at = `${a.toString(16)}, ${b.toString(16)}`;
        expect(fieldWasm.add(a, b), at).toBe(mod(a + b));
        expect(fieldWasm.sub(a, b), at).toBe(mod(a - b));
        expect(fieldWasm.mul(a, b), at).toBe(mod(a * b));
      }
    }
    // sums that land exactly on p or just past it must come out as 0 and 1
    expect(fieldWasm.add(P - 1n, 1n)).toBe(0n);
    expect(fieldWasm.add(P - 1n, 2n)).toBe(1n);
    expect(fieldWasm.sub(0n, 1n)).toBe(P - 1n);
    expect(fieldWasm.mul(P - 1n, P - 1n)).toBe(1n);
  });

  it('agrees with BigInt on 3000 random pairs of 256-bit inputs', () => {
    const rng = seededRandom('field25519 random pairs');
    for (let i = 0; i < 3000; i++) {
      const a = random256(rng);
      const b = random256(rng);
      expect(fieldWasm.mul(a, b)).toBe(mod(a * b));
      expect(fieldWasm.add(a, b)).toBe(mod(a + b));
      expect(fieldWasm.sub(a, b)).toBe(mod(a - b));
    }
  });

  it('squares n times in one call: a^(2^n) for n = 1, 2, 5, 50, 100, 250', () => {
    const rng = seededRandom('field25519 squarings');
    for (const a of [...EDGES, random256(rng), random256(rng)]) {
      for (const n of [1, 2, 5, 50, 100, 250]) expect(fieldWasm.sqn(a, n)).toBe(modPow(a, 2n ** BigInt(n), P));
    }
  });

  it('raises to (p − 5)/8 as modPow does, on edge values and 200 random ones', () => {
    const rng = seededRandom('field25519 pow');
    for (const a of [...EDGES, ...Array.from({ length: 200 }, () => random256(rng))]) {
      expect(fieldWasm.powP58(a)).toBe(modPow(mod(a), (P - 5n) / 8n, P));
    }
  });

  it('SQRT_RATIO_M1(1, v) (RFC 9496 §4.2): |1/√v| for squares, |√(i/v)| for non-squares, (false, 0) for 0', () => {
    const rng = seededRandom('field25519 sqrt ratio');
    let squares = 0;
    for (const v of [...EDGES, ...Array.from({ length: 300 }, () => random256(rng))]) {
      const { wasSquare, r } = fieldWasm.sqrtRatioM1(v);
      const at = v.toString(16);
      expect(r & 1n, at).toBe(0n); // non-negative
      if (mod(v) === 0n) {
        expect([wasSquare, r], at).toEqual([false, 0n]);
        continue;
      }
      const isSquare = modPow(mod(v), (P - 1n) / 2n, P) === 1n; // Euler's criterion
      expect(wasSquare, at).toBe(isSquare);
      expect(mod(r * r * v), at).toBe(isSquare ? 1n : SQRT_M1);
      if (isSquare) squares++;
    }
    expect(squares).toBeGreaterThan(100);
  });
});
