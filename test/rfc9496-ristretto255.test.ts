/** RFC 9496 §A.1 and §A.2 known answers for ristretto255, through gongshi's own decoder (crypto/encoding.ts). */
import { describe, expect, it } from 'vitest';
import { DecodeError, G, IDENTITY, decodePoint, encodePoint, fromHex, mulPublic, toHex } from '../crypto/index.ts';
import { INVALID, MULTIPLES } from './vectors/rfc9496-ristretto255.ts';

describe('RFC 9496 A.1: multiples of the generator', () => {
  MULTIPLES.forEach((hex, k) => {
    it(`encodes ${k}·G as the RFC's bytes and decodes them back to ${k}·G`, () => {
      const P = mulPublic(G, BigInt(k));
      expect(toHex(encodePoint(P))).toBe(hex); // a fresh point: gongshi's encoder, no cached bytes
      const Q = decodePoint(fromHex(hex, 'P'), 'P', true);
      expect(Q.equals(P)).toBe(true);
      expect(toHex(encodePoint(Q))).toBe(hex);
    });
  });

  it('refuses the identity (0·G) unless the caller allows it', () => {
    expect(() => decodePoint(fromHex(MULTIPLES[0], 'P'), 'Y')).toThrow(DecodeError);
    expect(decodePoint(fromHex(MULTIPLES[0], 'P'), 'A', true).equals(IDENTITY)).toBe(true);
  });
});

describe('RFC 9496 A.2: invalid encodings', () => {
  for (const [why, list] of Object.entries(INVALID)) {
    it(`refuses all ${list.length} encodings with ${why}`, () => {
      for (const hex of list) {
        expect(() => decodePoint(fromHex(hex, 'P'), 'P', true), hex).toThrow(DecodeError);
      }
    });
  }

  it('refuses the Edwards identity and bit 255 set on a valid encoding', () => {
    expect(() => decodePoint(fromHex('01' + '00'.repeat(31), 'P'), 'P', true)).toThrow(DecodeError);
    const withTopBit = fromHex(MULTIPLES[1], 'P');
    withTopBit[31] |= 0x80;
    expect(() => decodePoint(withTopBit, 'P', true)).toThrow(DecodeError);
  });

  it('refuses 31 and 33 bytes', () => {
    const b = fromHex(MULTIPLES[2], 'P');
    expect(() => decodePoint(b.subarray(0, 31), 'P')).toThrow(/32 bytes/);
    expect(() => decodePoint(Uint8Array.of(...b, 0), 'P')).toThrow(/32 bytes/);
  });
});
