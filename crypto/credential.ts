/**
 * Voter credentials: a printable secret code with a checksum, and the signing key derived from it.
 * Spec §C. Generated in the organiser's browser; only the public key ever leaves it.
 */
import { sha512 } from '@noble/hashes/sha2.js';
import { ALPHABET, normaliseBase32 } from './base32.ts';
import type { KeyPair } from './elgamal.ts';
import { G, mulSecret } from './group.ts';
import { bytesToScalarWide, frame, taggedHash } from './hash.ts';
import { systemRandom, type RandomSource } from './random.ts';

/** C.1 22 random symbols (110 bits) and 2 check symbols. */
const RANDOM_SYMBOLS = 22;
const utf8 = new TextEncoder();

function checkSymbols(body: string): string {
  // C.2 the first 10 bits of H("gongshi/1/credential-check", body).
  const h = taggedHash('gongshi/1/credential-check', utf8.encode(body));
  const v = (h[0] << 2) | (h[1] >> 6);
  return ALPHABET[v >> 5] + ALPHABET[v & 31];
}

/** C.1 a fresh code, 24 symbols, shown in six groups of four. */
export function generateCredentialCode(rng: RandomSource = systemRandom): string {
  let body = '';
  while (body.length < RANDOM_SYMBOLS) {
    for (const b of rng(RANDOM_SYMBOLS)) {
      // 256 is a multiple of 32: taking b mod 32 is uniform.
      if (body.length < RANDOM_SYMBOLS) body += ALPHABET[b & 31];
    }
  }
  const code = body + checkSymbols(body);
  return code.replace(/(.{4})(?!$)/g, '$1-');
}

/** C.3 reads a typed code: normalised, 24 symbols, checksum right; null otherwise (a typo, most likely). */
export function parseCredentialCode(text: string): string | null {
  const s = normaliseBase32(text);
  if (s === null || s.length !== RANDOM_SYMBOLS + 2) return null;
  const body = s.slice(0, RANDOM_SYMBOLS);
  return checkSymbols(body) === s.slice(RANDOM_SYMBOLS) ? s : null;
}

/**
 * C.4 the credential key: x = SHA-512(frame(DST) ‖ frame(electionId) ‖ frame(code)) mod ℓ, X = x·G.
 * The election id (§B) makes the same code give unrelated keys in different polls.
 * Throws on a code that does not parse.
 */
export function deriveCredential(code: string, electionId: Uint8Array): KeyPair {
  const s = parseCredentialCode(code);
  if (s === null) throw new Error('not a valid credential code (check for a typo)');
  const h = sha512.create();
  h.update(frame(utf8.encode('gongshi/1/credential')));
  h.update(frame(electionId));
  h.update(frame(utf8.encode(s)));
  const secret = bytesToScalarWide(h.digest());
  // x = 0 has probability 2^-252; it would give the identity, which the decoder refuses.
  if (secret === 0n) throw new Error('bug: credential secret is zero');
  return { secret, publicKey: mulSecret(G, secret) };
}
