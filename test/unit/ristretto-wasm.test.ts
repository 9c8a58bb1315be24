/**
 * The WebAssembly ristretto255 codec (crypto/ristretto-wasm.ts) against the BigInt reference
 * (crypto/ristretto-bigint.ts) and @noble/curves: RFC 9496 Appendix A, then 10,000 valid points and
 * 10,000 byte strings, coordinate for coordinate; and the fallback to BigInt where WebAssembly cannot run.
 */
import type { EdwardsPoint } from '@noble/curves/abstract/edwards.js';
import { ristretto255 } from '@noble/curves/ed25519.js';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { G, fromHex, mulPublic, randomScalar, seededRandom, toHex, type Point } from '../../crypto/index.ts';
import { decodeRistrettoBigInt, encodeRistrettoBigInt } from '../../crypto/ristretto-bigint.ts';
import { decodeRistretto, encodeRistretto, ristrettoEngine } from '../../crypto/ristretto-codec.ts';
import { decodeRistrettoWasm, encodeRistrettoWasm } from '../../crypto/ristretto-wasm.ts';
import { INVALID, MULTIPLES } from '../vectors/rfc9496-ristretto255.ts';

const P = 2n ** 255n - 19n;

function noble(bytes: Uint8Array): Point | null {
  try {
    return ristretto255.Point.fromBytes(bytes);
  } catch {
    return null;
  }
}

const coordinates = (Q: Point) => {
  const { X, Y, Z, T } = (Q as unknown as { ep: EdwardsPoint }).ep;
  return { X, Y, Z, T };
};

/** The three decoders agree on b: all refuse it, or all accept it and wasm's point is the reference's, coordinate for coordinate. */
function expectSameDecoding(b: Uint8Array): boolean {
  const ours = decodeRistrettoWasm(b);
  const reference = decodeRistrettoBigInt(b);
  const theirs = noble(b);
  const at = toHex(b);
  expect(ours === null, at).toBe(reference === null);
  expect(ours === null, at).toBe(theirs === null);
  if (ours === null) return false;
  expect(coordinates(ours), at).toEqual(coordinates(reference!));
  expect(ours.equals(theirs!), at).toBe(true);
  return true;
}

function le(x: bigint): Uint8Array {
  const out = new Uint8Array(32);
  for (let i = 0; i < 32; i++) out[i] = Number((x >> BigInt(8 * i)) & 0xffn);
  return out;
}

describe('the WebAssembly codec on RFC 9496 Appendix A', () => {
  it('is the one decodeRistretto and encodeRistretto use in Node', () => {
    expect(ristrettoEngine).toBe('wasm');
    expect(decodeRistretto).toBe(decodeRistrettoWasm);
    expect(encodeRistretto).toBe(encodeRistrettoWasm);
  });

  it('A.1: decodes the 16 multiples of the generator as the reference and noble do, and encodes k·G to the listed bytes', () => {
    MULTIPLES.forEach((hex, k) => {
      expect(expectSameDecoding(fromHex(hex, 'P'))).toBe(true);
      const kG = mulPublic(G, BigInt(k));
      expect(toHex(encodeRistrettoWasm(kG)), `${k}·G`).toBe(hex);
      expect(toHex(encodeRistrettoWasm(decodeRistrettoWasm(fromHex(hex, 'P'))!))).toBe(hex);
    });
  });

  for (const [why, list] of Object.entries(INVALID)) {
    it(`A.2: refuses all ${list.length} encodings with ${why}, as the reference does`, () => {
      for (const hex of list) {
        expect(decodeRistrettoWasm(fromHex(hex, 'P')), hex).toBeNull();
        expect(decodeRistrettoBigInt(fromHex(hex, 'P')), hex).toBeNull();
      }
    });
  }

  it('refuses lengths other than 32', () => {
    expect(decodeRistrettoWasm(new Uint8Array(31))).toBeNull();
    expect(decodeRistrettoWasm(new Uint8Array(33))).toBeNull();
  });
});

describe('the WebAssembly codec on 10,000 points and 10,000 byte strings', () => {
  it('decodes 10,000 valid encodings to the reference point and encodes every point (any Z) to noble\'s bytes', () => {
    const rng = seededRandom('wasm codec points');
    // Sums of a random walk: projective coordinates with Z ≠ 1 and every torsion representative, cheap to make.
    const step = mulPublic(G, randomScalar(rng));
    let Q = mulPublic(G, randomScalar(rng));
    for (let i = 0; i < 10_000; i++) {
      Q = i % 7 === 0 ? Q.double().negate() : Q.add(step);
      const bytes = Q.toBytes();
      expect(toHex(encodeRistrettoWasm(Q))).toBe(toHex(bytes));
      if (i % 10 === 0) expect(toHex(encodeRistrettoBigInt(Q))).toBe(toHex(bytes));
      expect(expectSameDecoding(bytes)).toBe(true);
      expect(toHex(encodeRistrettoWasm(decodeRistrettoWasm(bytes)!))).toBe(toHex(bytes));
    }
  });

  it('accepts and refuses 10,000 byte strings exactly as the reference and noble do: random, s ≥ p, odd s, bit 255, near p and 0', () => {
    const rng = seededRandom('wasm codec bytes');
    const cases: Uint8Array[] = [];
    // every s in [p, 2^255) (non-canonical), and each of them with bit 255 set
    for (let k = 0n; k < 19n; k++) cases.push(le(P + k), le(P + k + 2n ** 255n));
    // near p and near 0, both parities; near 2^254
    for (let k = 1n; k <= 400n; k++) cases.push(le(P - k), le(k), le(2n ** 254n - k), le(2n ** 254n + k));
    while (cases.length < 10_000) {
      const b = rng(32);
      const kind = cases.length % 4;
      if (kind !== 0) b[31] &= 0x7f; // bit 255 clear
      if (kind === 1 || kind === 2) b[0] &= 0xfe; // even: half of these decode
      if (kind === 3) b[0] |= 1; // odd, else canonical
      cases.push(b);
    }
    let accepted = 0;
    for (const b of cases) if (expectSameDecoding(b)) accepted++;
    expect(accepted).toBeGreaterThan(1000);
  });
});

describe('the fallback to the BigInt reference', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
    vi.resetModules();
  });

  async function freshCodec() {
    vi.resetModules();
    return import('../../crypto/ristretto-codec.ts');
  }

  it('decodes and encodes with BigInt where there is no WebAssembly', async () => {
    vi.stubGlobal('WebAssembly', undefined);
    const codec = await freshCodec();
    expect(codec.ristrettoEngine).toBe('bigint');
    const bytes = fromHex(MULTIPLES[3], 'P');
    expect(toHex(codec.encodeRistretto(codec.decodeRistretto(bytes)!))).toBe(MULTIPLES[3]);
    expect(codec.decodeRistretto(fromHex(INVALID['negative field elements'][0], 'P'))).toBeNull();
  });

  it('falls back when compiling is refused (a CompileError, as under a CSP without wasm-unsafe-eval)', async () => {
    const real = WebAssembly;
    vi.stubGlobal('WebAssembly', {
      CompileError: real.CompileError,
      Instance: real.Instance,
      Module: class {
        constructor() {
          throw new real.CompileError('refused to compile: not allowed by the Content Security Policy');
        }
      },
    });
    const codec = await freshCodec();
    expect(codec.ristrettoEngine).toBe('bigint');
    expect(toHex(codec.encodeRistretto(codec.decodeRistretto(fromHex(MULTIPLES[5], 'P'))!))).toBe(MULTIPLES[5]);
  });

  it('throws any other instantiation error instead of hiding it', async () => {
    const real = WebAssembly;
    vi.stubGlobal('WebAssembly', {
      CompileError: real.CompileError,
      Instance: real.Instance,
      Module: class {
        constructor() {
          throw new RangeError('out of memory');
        }
      },
    });
    await expect(freshCodec()).rejects.toThrow(RangeError);
  });
});
