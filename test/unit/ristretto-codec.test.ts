/** gongshi's RFC 9496 decoder and encoder (crypto/ristretto-codec.ts) against @noble/curves, input by input. */
import { ristretto255 } from '@noble/curves/ed25519.js';
import { describe, expect, it } from 'vitest';
import { G, mulPublic, randomScalar, seededRandom } from '../../crypto/index.ts';
import { decodeRistretto, encodeRistretto } from '../../crypto/ristretto-codec.ts';

function noble(bytes: Uint8Array) {
  try {
    return ristretto255.Point.fromBytes(bytes);
  } catch {
    return null;
  }
}

describe('ristretto255 decoding', () => {
  it('gives the same point as noble for 300 random multiples of G', () => {
    const rng = seededRandom('decode-points');
    for (let i = 0; i < 300; i++) {
      const Pt = mulPublic(G, randomScalar(rng));
      const bytes = Pt.toBytes();
      const ours = decodeRistretto(bytes);
      expect(ours).not.toBeNull();
      expect(ours!.equals(Pt)).toBe(true);
      expect(ours!.toBytes()).toEqual(bytes);
    }
  });

  it('accepts exactly what noble accepts, on 3000 random byte strings', () => {
    const rng = seededRandom('decode-bytes');
    let accepted = 0;
    for (let i = 0; i < 3000; i++) {
      const b = rng(32);
      // Two thirds with the sign bit and bit 255 cleared, so that many decode and both paths are compared.
      if (i % 3 !== 0) {
        b[0] &= 0xfe;
        b[31] &= 0x7f;
      }
      const ours = decodeRistretto(b);
      const theirs = noble(b);
      expect(ours === null, Buffer.from(b).toString('hex')).toBe(theirs === null);
      if (ours && theirs) {
        accepted++;
        expect(ours.equals(theirs)).toBe(true);
      }
    }
    expect(accepted).toBeGreaterThan(300);
  });

  it('encodes as noble does: random points, their negations, sums and small multiples, the identity', () => {
    const rng = seededRandom('encode-points');
    const points = [G.subtract(G), G, G.negate()];
    for (let k = 2n; k < 20n; k++) points.push(mulPublic(G, k));
    for (let i = 0; i < 300; i++) {
      const Pt = mulPublic(G, randomScalar(rng));
      // Sums and negations give Edwards representatives in every torsion coset (rotation paths).
      points.push(Pt, Pt.negate(), Pt.add(points[i]), Pt.double());
    }
    for (const Pt of points) expect(encodeRistretto(Pt)).toEqual(Pt.toBytes());
  });

  it('refuses lengths other than 32', () => {
    expect(decodeRistretto(new Uint8Array(31))).toBeNull();
    expect(decodeRistretto(new Uint8Array(33))).toBeNull();
  });
});
