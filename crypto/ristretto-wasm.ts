/**
 * RFC 9496 §4.3.1 decoding and §4.3.2 encoding of ristretto255 in WebAssembly: the field arithmetic
 * mod 2^255 − 19 and every RFC step run in crypto/wasm/field25519.wat (radix 2^25.5, ten limbs), so one
 * call does a whole decode or encode; JavaScript only copies 32 bytes in and the coordinates out.
 * Exact, and checked against the BigInt reference (crypto/ristretto-bigint.ts) and @noble/curves
 * (test/unit/field25519-wasm.test.ts). Spec §G.2.1.
 */
import type { EdwardsPoint } from '@noble/curves/abstract/edwards.js';
import { ed25519 } from '@noble/curves/ed25519.js';
import { RistrettoPoint, type Point } from './group.ts';
import { FIELD25519_WASM_BASE64 } from './wasm/field25519-wasm.ts';

/** The module's exports (crypto/wasm/field25519.wat); pointers are byte addresses in its memory. */
interface Field25519Exports {
  readonly memory: WebAssembly.Memory;
  decode(): number;
  encode(): void;
  fe_load(o: number, p: number): void;
  fe_store(p: number, a: number): void;
  fe_add(o: number, a: number, b: number): void;
  fe_sub(o: number, a: number, b: number): void;
  fe_mul(o: number, a: number, b: number): void;
  fe_sqn(o: number, a: number, n: number): void;
  fe_pow_p58(o: number, x: number): void;
  fe_sqrt_ratio_m1(o: number, v: number): number;
}

// field25519.wat reads its input at byte 0 and writes its output at byte 128 (64-bit word 16).
const OUT_WORD = 16;

function base64Bytes(text: string): Uint8Array<ArrayBuffer> {
  const bin = atob(text);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

/**
 * The instance, or null where WebAssembly cannot run here: no WebAssembly at all, a big-endian host
 * (the word views below assume the module's little-endian memory order), or a page whose Content
 * Security Policy refuses to compile it (a CompileError). Any other error is a bug and is thrown.
 */
function instantiate(): Field25519Exports | null {
  if (typeof WebAssembly === 'undefined') return null;
  if (new Uint8Array(Uint16Array.of(1).buffer)[0] !== 1) return null;
  try {
    const module = new WebAssembly.Module(base64Bytes(FIELD25519_WASM_BASE64));
    return new WebAssembly.Instance(module, {}).exports as unknown as Field25519Exports;
  } catch (e) {
    if (e instanceof WebAssembly.CompileError) return null;
    throw e;
  }
}

const wasm = instantiate();
// The memory never grows, so these views stay valid.
const bytes = wasm === null ? new Uint8Array(0) : new Uint8Array(wasm.memory.buffer);
const words = wasm === null ? new BigUint64Array(0) : new BigUint64Array(wasm.memory.buffer);

/** True when the WebAssembly codec runs here; false when crypto/ristretto-codec.ts falls back to BigInt. */
export const ristrettoWasmAvailable: boolean = wasm !== null;

function instance(): Field25519Exports {
  if (wasm === null) throw new Error('bug: the WebAssembly ristretto255 codec is not available here');
  return wasm;
}

/** The 256-bit little-endian integer in 64-bit words i … i + 3 of the module's memory. */
function readWords(i: number): bigint {
  return words[i] | (words[i + 1] << 64n) | (words[i + 2] << 128n) | (words[i + 3] << 192n);
}

/** Writes 0 ≤ x < 2^256 into 64-bit words i … i + 3 (a BigUint64Array keeps each value mod 2^64). */
function writeWords(i: number, x: bigint): void {
  words[i] = x;
  words[i + 1] = x >> 64n;
  words[i + 2] = x >> 128n;
  words[i + 3] = x >> 192n;
}

/** RFC 9496 §4.3.1 decode of exactly 32 bytes; null when they are not a canonical encoding. */
export function decodeRistrettoWasm(input: Uint8Array): Point | null {
  const w = instance();
  if (input.length !== 32) return null;
  bytes.set(input, 0);
  if (w.decode() !== 1) return null;
  const x = readWords(OUT_WORD);
  const y = readWords(OUT_WORD + 4);
  const t = readWords(OUT_WORD + 8);
  return new RistrettoPoint(new ed25519.Point(x, y, 1n, t));
}

/** RFC 9496 §4.3.2 encode: the canonical 32 bytes of a point. */
export function encodeRistrettoWasm(point: Point): Uint8Array {
  const w = instance();
  // noble keeps each coordinate in [0, 2^256) (its constructor checks); the module reduces mod p.
  const { X, Y, Z, T } = (point as unknown as { ep: EdwardsPoint }).ep;
  writeWords(0, X);
  writeWords(4, Y);
  writeWords(8, Z);
  writeWords(12, T);
  w.encode();
  return bytes.slice(128, 160);
}

/**
 * The module's field operations on integers in [0, 2^256), results canonical in [0, p): for the tests
 * that hold them to BigInt arithmetic mod p, edge cases included. Not used by the codec itself.
 */
export const fieldWasm = {
  /** a reduced to [0, p) by loading it into limbs and storing it back. */
  reduce: (a: bigint): bigint => run([a], () => A),
  add: (a: bigint, b: bigint): bigint => run([a, b], (w) => (w.fe_add(A, A, B), A)),
  sub: (a: bigint, b: bigint): bigint => run([a, b], (w) => (w.fe_sub(A, A, B), A)),
  mul: (a: bigint, b: bigint): bigint => run([a, b], (w) => (w.fe_mul(A, A, B), A)),
  /** a^(2^n), n ≥ 1. */
  sqn: (a: bigint, n: number): bigint => run([a], (w) => (w.fe_sqn(A, A, n), A)),
  /** a^((p − 5)/8). */
  powP58: (a: bigint): bigint => run([a], (w) => (w.fe_pow_p58(A, A), A)),
  /** RFC 9496 §4.2 SQRT_RATIO_M1(1, v). */
  sqrtRatioM1(v: bigint): { wasSquare: boolean; r: bigint } {
    let wasSquare = false;
    const r = run([v], (w) => {
      wasSquare = w.fe_sqrt_ratio_m1(B, A) === 1;
      return B;
    });
    return { wasSquare, r };
  },
};

// Two element slots and a 32-byte buffer for fieldWasm, past the module's own scratch (field25519.wat).
const A = 2048;
const B = 2088;
const BUFFER_WORD = 3072 / 8;

/** Loads the inputs into slots A and B, runs op, and reads back the slot it names, canonical. */
function run(inputs: bigint[], op: (w: Field25519Exports) => number): bigint {
  const w = instance();
  inputs.forEach((x, i) => {
    if (x < 0n || x >= 1n << 256n) throw new Error('bug: a field test input outside [0, 2^256)');
    writeWords(BUFFER_WORD, x);
    w.fe_load(i === 0 ? A : B, BUFFER_WORD * 8);
  });
  w.fe_store(BUFFER_WORD * 8, op(w));
  return readWords(BUFFER_WORD);
}
