/**
 * crypto/hash.ts: hmacSha256 against RFC 4231's HMAC-SHA-256 vectors, with noble's SHA-256 and with
 * node:crypto's put in its place by useSha256 (the same digests); useSha256 refuses what is not
 * SHA-256; taggedHash (spec §G.3) gives the same bytes either way.
 */
import { createHash } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { hmacSha256, taggedHash, toHex, useSha256, type Sha256Parts } from '../../crypto/index.ts';
import { sha256 } from '@noble/hashes/sha2.js';

const utf8 = (s: string) => new TextEncoder().encode(s);
const nodeSha256: Sha256Parts = (parts) => {
  const h = createHash('sha256');
  for (const p of parts) h.update(p);
  return new Uint8Array(h.digest());
};
const nobleSha256: Sha256Parts = (parts) => {
  const h = sha256.create();
  for (const p of parts) h.update(p);
  return h.digest();
};

// RFC 4231 §4.2, §4.3, §4.4 (test cases 1–3), HMAC-SHA-256.
const VECTORS: [string, Uint8Array, Uint8Array, string][] = [
  ['test case 1', new Uint8Array(20).fill(0x0b), utf8('Hi There'), 'b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7'],
  ['test case 2', utf8('Jefe'), utf8('what do ya want for nothing?'), '5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843'],
  ['test case 3', new Uint8Array(20).fill(0xaa), new Uint8Array(50).fill(0xdd), '773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe'],
];

afterAll(() => useSha256(nobleSha256));

describe.each([
  ['noble', nobleSha256],
  ['node:crypto', nodeSha256],
] as const)('with %s SHA-256', (_, impl) => {
  it.each(VECTORS)('hmacSha256 gives RFC 4231 %s', (__, key, data, mac) => {
    useSha256(impl);
    expect(toHex(hmacSha256(key, data))).toBe(mac);
  });

  it('taggedHash is SHA-256 of the framed tag and parts (G.3)', () => {
    useSha256(impl);
    const parts = [utf8('a'), new Uint8Array(0), new Uint8Array(3000).fill(9)];
    const framed = [utf8('gongshi/test'), ...parts].flatMap((p) => [Uint8Array.of(0, 0, p.length >> 8, p.length & 0xff), p]);
    expect(toHex(taggedHash('gongshi/test', ...parts))).toBe(createHash('sha256').update(Buffer.concat(framed)).digest('hex'));
  });
});

describe('useSha256', () => {
  it('refuses a function that is not SHA-256, and keeps the one in use', () => {
    useSha256(nobleSha256);
    const before = taggedHash('gongshi/test', utf8('x'));
    const notSha256: Sha256Parts = (parts) => nobleSha256([...parts, Uint8Array.of(0)]);
    expect(() => useSha256(notSha256)).toThrow(/not SHA-256/);
    expect(() => useSha256(() => new Uint8Array(31))).toThrow(/not SHA-256/);
    expect(taggedHash('gongshi/test', utf8('x'))).toEqual(before);
  });

  it('refuses an HMAC key longer than one block (a bug of ours)', () => {
    expect(() => hmacSha256(new Uint8Array(65), new Uint8Array(1))).toThrow(/bug/);
  });
});
