/**
 * The trustee key fingerprint (verifier/trustee-fingerprint.ts): 16 base32 symbols in groups of four,
 * equal to an independent computation (node's SHA-256, base32 by hand from an 80-bit integer), the
 * same for the same key and different for every trustee of a ceremony.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { G, createTrustee, decodePoint, encodePoint, mulSecret, seededRandom } from '../../crypto/index.ts';
import { FINGERPRINT_BYTES, trusteeFingerprint } from '../../verifier/index.ts';

const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** SHA-256 of the key's 32 bytes, the first 80 bits read as one integer, 16 symbols of 5 bits, most significant first. */
function independent(key: Uint8Array): string {
  const head = createHash('sha256').update(key).digest().subarray(0, 10);
  let v = BigInt(`0x${head.toString('hex')}`);
  let out = '';
  for (let k = 0; k < 16; k++, v >>= 5n) out = ALPHABET[Number(v & 31n)] + out;
  return out.match(/.{4}/g)!.join(' ');
}

describe('a trustee key fingerprint', () => {
  it('is 80 bits of SHA-256 of the signing key, 16 base32 symbols in four groups', () => {
    const S = mulSecret(G, 7n);
    expect(FINGERPRINT_BYTES).toBe(10);
    expect(trusteeFingerprint(S)).toMatch(/^[0-9A-HJKMNP-TV-Z]{4}( [0-9A-HJKMNP-TV-Z]{4}){3}$/);
    expect(trusteeFingerprint(S)).toBe(independent(encodePoint(S)));
  });

  it('is the same for the same key and differs between the trustees of a ceremony', () => {
    const rng = seededRandom('fingerprints');
    const params = { election: rng(32), t: 3, n: 5 };
    const keys = Array.from({ length: 5 }, (_, k) => createTrustee(params, k + 1, rng).identity.signingKey);
    const prints = keys.map(trusteeFingerprint);
    expect(new Set(prints).size).toBe(5);
    keys.forEach((S, k) => expect(trusteeFingerprint(decodePoint(encodePoint(S), 'key'))).toBe(prints[k]));
    keys.forEach((S, k) => expect(independent(encodePoint(S))).toBe(prints[k]));
  });
});
