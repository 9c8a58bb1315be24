/**
 * A trustee's key fingerprint, for people to read aloud: her signing key S_i (spec §T.2.1) hashed and
 * cut to 16 base32 symbols in groups of four. §T ("What §T leaves to §B", item 3) leaves showing it to
 * the clients; docs/client.md describes where. Pure and browser-safe.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { encodePoint, toBase32, type Point } from '../crypto/index.ts';

/** Bytes of the hash kept: 80 bits, so a server cannot grind a look-alike key (64 bits would be within a large budget). */
export const FINGERPRINT_BYTES = 10;

/**
 * The first 10 bytes of SHA-256(enc(S_i)) in Crockford base32 (§G.5): 16 symbols in four groups of four.
 * Plain SHA-256, not a tagged hash (§G.3): anyone can recompute it from the key's hex on the board with
 * common tools, and the value is only compared by eye, never signed or hashed again.
 */
export function trusteeFingerprint(signingKey: Point): string {
  const symbols = toBase32(sha256(encodePoint(signingKey)).subarray(0, FINGERPRINT_BYTES));
  return symbols.replace(/(.{4})(?!$)/g, '$1 ');
}
