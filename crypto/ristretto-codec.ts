/**
 * RFC 9496 §4.3.1 decoding and §4.3.2 encoding of ristretto255, the only way crypto/encoding.ts turns
 * bytes into points and back. Decoding is half the cost of batch verification and encoding a third of
 * ballot creation (`npm run bench`), so both run in WebAssembly (crypto/ristretto-wasm.ts); where
 * WebAssembly cannot run (none, or a Content Security Policy that refuses it) the BigInt reference
 * (crypto/ristretto-bigint.ts) gives the same answers, more slowly. Spec §G.2.1.
 */
import type { Point } from './group.ts';
import { decodeRistrettoBigInt, encodeRistrettoBigInt } from './ristretto-bigint.ts';
import { decodeRistrettoWasm, encodeRistrettoWasm, ristrettoWasmAvailable } from './ristretto-wasm.ts';

/** Which implementation decodeRistretto and encodeRistretto use here. */
export const ristrettoEngine: 'wasm' | 'bigint' = ristrettoWasmAvailable ? 'wasm' : 'bigint';

/** RFC 9496 §4.3.1 decode; null when the bytes are not a canonical 32-byte encoding. */
export const decodeRistretto: (bytes: Uint8Array) => Point | null = ristrettoWasmAvailable ? decodeRistrettoWasm : decodeRistrettoBigInt;

/** RFC 9496 §4.3.2 encode: the canonical 32 bytes of a point. */
export const encodeRistretto: (point: Point) => Uint8Array = ristrettoWasmAvailable ? encodeRistrettoWasm : encodeRistrettoBigInt;
