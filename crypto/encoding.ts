/**
 * The canonical byte encoding: points, scalars, integers and lists, with strict decoders. Spec §G.2.
 * Every decoder refuses what the encoder would never produce, so encode(decode(b)) = b always.
 */
import { L, type Point } from './group.ts';
import { decodeRistretto, encodeRistretto } from './ristretto-codec.ts';

/** Malformed input: names the field that failed and why. Thrown only by decoders. */
export class DecodeError extends Error {
  constructor(
    readonly field: string,
    readonly reason: string,
  ) {
    super(`${field}: ${reason}`);
    this.name = 'DecodeError';
  }
}

// A point keeps the bytes it was decoded from (or first encoded to): encoding is an inverse square
// root (about 7 µs in WebAssembly, 80 µs with BigInt), and transcripts re-absorb every decoded point.
const encodings = new WeakMap<Point, Uint8Array>();

/** The cached encoding itself, for writers and transcripts inside crypto/ that never mutate it. */
export function pointBytes(P: Point): Uint8Array {
  let b = encodings.get(P);
  if (b === undefined) {
    b = encodeRistretto(P);
    encodings.set(P, b);
  }
  return b;
}

/** The 32-byte RFC 9496 encoding of P (a fresh copy the caller may keep or change). Spec §G.2.1. */
export function encodePoint(P: Point): Uint8Array {
  return pointBytes(P).slice();
}

/**
 * Decodes 32 bytes as a ristretto255 element (RFC 9496 §4.3.1), refusing non-canonical encodings.
 * With `allowIdentity` false (the default) the identity is refused too: it is never a valid key,
 * share, credential or ciphertext component. Spec §G.2.1.
 */
export function decodePoint(bytes: Uint8Array, field: string, allowIdentity = false): Point {
  if (bytes.length !== 32) throw new DecodeError(field, `a point is 32 bytes, got ${bytes.length}`);
  const P = decodeRistretto(bytes);
  if (P === null) throw new DecodeError(field, 'not a canonical ristretto255 encoding');
  if (!allowIdentity && P.is0()) throw new DecodeError(field, 'the identity is not allowed here');
  encodings.set(P, bytes.slice());
  return P;
}

/** The 32-byte little-endian encoding of a scalar in [0, ℓ). Spec §G.2.2. */
export function encodeScalar(s: bigint): Uint8Array {
  if (s < 0n || s >= L) throw new Error('bug: scalar out of range');
  const out = new Uint8Array(32);
  let x = s;
  for (let i = 0; i < 32; i++) {
    out[i] = Number(x & 0xffn);
    x >>= 8n;
  }
  return out;
}

/** Decodes 32 little-endian bytes as a scalar, refusing values ≥ ℓ (no reduction). Spec §G.2.2. */
export function decodeScalar(bytes: Uint8Array, field: string): bigint {
  if (bytes.length !== 32) throw new DecodeError(field, `a scalar is 32 bytes, got ${bytes.length}`);
  let x = 0n;
  for (let i = 31; i >= 0; i--) x = (x << 8n) | BigInt(bytes[i]);
  if (x >= L) throw new DecodeError(field, 'scalar is not reduced mod ℓ');
  return x;
}

/** Appends canonical encodings to a growing buffer. Spec §G.2. */
export class Writer {
  private chunks: Uint8Array[] = [];
  private length = 0;

  bytes(b: Uint8Array): this {
    this.chunks.push(b);
    this.length += b.length;
    return this;
  }

  u8(n: number): this {
    if (!Number.isInteger(n) || n < 0 || n > 0xff) throw new Error(`bug: u8 out of range: ${n}`);
    return this.bytes(Uint8Array.of(n));
  }

  u32(n: number): this {
    if (!Number.isInteger(n) || n < 0 || n > 0xffffffff) throw new Error(`bug: u32 out of range: ${n}`);
    const b = new Uint8Array(4);
    new DataView(b.buffer).setUint32(0, n);
    return this.bytes(b);
  }

  /** u64 big-endian; gongshi's u64 values are exact JavaScript integers, at most 2^53 − 1. */
  u64(n: number): this {
    if (!Number.isSafeInteger(n) || n < 0) throw new Error(`bug: u64 out of range: ${n}`);
    const b = new Uint8Array(8);
    new DataView(b.buffer).setBigUint64(0, BigInt(n));
    return this.bytes(b);
  }

  point(P: Point): this {
    return this.bytes(pointBytes(P));
  }

  scalar(s: bigint): this {
    return this.bytes(encodeScalar(s));
  }

  /** u32 length, then the bytes. The writer keeps references until finish(): do not change them before. */
  framed(b: Uint8Array): this {
    return this.u32(b.length).bytes(b);
  }

  finish(): Uint8Array {
    const out = new Uint8Array(this.length);
    let at = 0;
    for (const c of this.chunks) {
      out.set(c, at);
      at += c.length;
    }
    return out;
  }
}

/** Where a field sits in an encoding (recorded by a tracing Reader; used to mutate vectors field by field). */
export interface FieldSpan {
  readonly field: string;
  readonly offset: number;
  readonly length: number;
}

/** Reads canonical encodings, naming the field on every failure; `end()` refuses trailing bytes. */
export class Reader {
  private at = 0;

  /** With `trace`, every field read is appended to it. */
  constructor(
    private readonly buf: Uint8Array,
    private readonly trace?: FieldSpan[],
  ) {}

  get offset(): number {
    return this.at;
  }

  bytes(n: number, field: string): Uint8Array {
    if (this.at + n > this.buf.length) throw new DecodeError(field, 'input ends too early');
    const out = this.buf.subarray(this.at, this.at + n);
    this.trace?.push({ field, offset: this.at, length: n });
    this.at += n;
    return out;
  }

  u8(field: string): number {
    return this.bytes(1, field)[0];
  }

  u32(field: string): number {
    const b = this.bytes(4, field);
    return new DataView(b.buffer, b.byteOffset, 4).getUint32(0);
  }

  /** u64 big-endian, refused above 2^53 − 1 (§G.2.2). */
  u64(field: string): number {
    const b = this.bytes(8, field);
    const n = new DataView(b.buffer, b.byteOffset, 8).getBigUint64(0);
    if (n > BigInt(Number.MAX_SAFE_INTEGER)) throw new DecodeError(field, 'a u64 above 2^53 − 1');
    return Number(n);
  }

  /** A u32 that must equal `expected` (a count fixed by the ballot shape, a version, …). */
  expectU32(field: string, expected: number): void {
    const got = this.u32(field);
    if (got !== expected) throw new DecodeError(field, `expected ${expected}, got ${got}`);
  }

  point(field: string, allowIdentity = false): Point {
    return decodePoint(this.bytes(32, field), field, allowIdentity);
  }

  scalar(field: string): bigint {
    return decodeScalar(this.bytes(32, field), field);
  }

  framed(field: string, max: number): Uint8Array {
    const n = this.u32(field);
    if (n > max) throw new DecodeError(field, `length ${n} is over the limit of ${max}`);
    return this.bytes(n, field);
  }

  end(): void {
    if (this.at !== this.buf.length) throw new DecodeError('end', `${this.buf.length - this.at} trailing bytes`);
  }
}

/** Byte strings equal in length and content (time independent of where they differ). */
export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let d = 0;
  for (let i = 0; i < a.length; i++) d |= a[i] ^ b[i];
  return d === 0;
}

const HEX_PAIRS = Array.from({ length: 256 }, (_, x) => x.toString(16).padStart(2, '0'));

/** Lower-case hex of bytes (the JSON view of encodings). */
export function toHex(b: Uint8Array): string {
  let s = '';
  for (let i = 0; i < b.length; i++) s += HEX_PAIRS[b[i]];
  return s;
}

/** Strict lower-case hex to bytes: refuses odd length, upper case, whitespace and prefixes. */
export function fromHex(s: string, field: string): Uint8Array {
  if (typeof s !== 'string' || s.length % 2 !== 0 || !/^[0-9a-f]*$/.test(s))
    throw new DecodeError(field, 'expected lower-case hex of whole bytes');
  const out = new Uint8Array(s.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(s.slice(2 * i, 2 * i + 2), 16);
  return out;
}

