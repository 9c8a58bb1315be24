/** Exponential ElGamal is additively homomorphic, and decryption through DiscreteLog inverts it. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  DiscreteLog,
  G,
  L,
  addCiphertexts,
  decrypt,
  decryptToPoint,
  encrypt,
  encryptFresh,
  generateKeyPair,
  mulPublic,
  scaleCiphertext,
  sumCiphertexts,
  type Ciphertext,
} from '../../crypto/index.ts';
import { rngFor, runs, seedArb } from './support.ts';

const BOUND = 1 << 12;
const dlog = new DiscreteLog(BOUND);

function sameCiphertext(a: Ciphertext, b: Ciphertext): boolean {
  return a.alpha.equals(b.alpha) && a.beta.equals(b.beta);
}

describe('ElGamal homomorphism (§E.3, §E.4)', () => {
  it('decrypt(Enc(m)) = m for every m in [0, bound], and decryptToPoint gives m·G', () => {
    fc.assert(
      fc.property(seedArb, fc.integer({ min: 0, max: BOUND }), (seed, m) => {
        const rng = rngFor(seed, 'enc');
        const { secret, publicKey } = generateKeyPair(rng);
        const { ciphertext, r } = encryptFresh(publicKey, m, rng);
        expect(sameCiphertext(ciphertext, encrypt(publicKey, m, r))).toBe(true);
        expect(decryptToPoint(ciphertext, secret).equals(mulPublic(G, BigInt(m)))).toBe(true);
        expect(decrypt(ciphertext, secret, dlog)).toBe(m);
      }),
      runs(60),
    );
  });

  it('addCiphertexts(Enc(a), Enc(b)) decrypts to a + b', () => {
    fc.assert(
      fc.property(seedArb, fc.integer({ min: 0, max: BOUND / 2 }), fc.integer({ min: 0, max: BOUND / 2 }), (seed, a, b) => {
        const rng = rngFor(seed, 'add');
        const { secret, publicKey } = generateKeyPair(rng);
        const ea = encryptFresh(publicKey, a, rng);
        const eb = encryptFresh(publicKey, b, rng);
        const sum = addCiphertexts(ea.ciphertext, eb.ciphertext);
        expect(decrypt(sum, secret, dlog)).toBe(a + b);
        // It is the encryption of a + b with randomness rₐ + r_b, exactly.
        expect(sameCiphertext(sum, encrypt(publicKey, a + b, (ea.r + eb.r) % L))).toBe(true);
      }),
      runs(60),
    );
  });

  it('sumCiphertexts of any list (the empty one included) decrypts to the sum of the values and agrees with folding addCiphertexts', () => {
    fc.assert(
      fc.property(seedArb, fc.array(fc.integer({ min: 0, max: 200 }), { maxLength: 20 }), (seed, ms) => {
        const rng = rngFor(seed, 'sum');
        const { secret, publicKey } = generateKeyPair(rng);
        const cts = ms.map((m) => encryptFresh(publicKey, m, rng).ciphertext);
        const total = sumCiphertexts(cts);
        expect(decrypt(total, secret, dlog)).toBe(ms.reduce((s, m) => s + m, 0));
        if (cts.length > 0) expect(sameCiphertext(total, cts.reduce(addCiphertexts))).toBe(true);
      }),
      runs(40),
    );
  });

  it('scaleCiphertext(Enc(a), w) decrypts to w·a, and w + k·ℓ gives the same ciphertext for any integer k', () => {
    fc.assert(
      fc.property(
        seedArb,
        fc.integer({ min: 0, max: 100 }),
        fc.integer({ min: 0, max: 40 }),
        fc.bigInt({ min: -5n, max: 5n }),
        (seed, a, w, k) => {
          const rng = rngFor(seed, 'scale');
          const { secret, publicKey } = generateKeyPair(rng);
          const { ciphertext } = encryptFresh(publicKey, a, rng);
          const scaled = scaleCiphertext(ciphertext, BigInt(w));
          expect(decrypt(scaled, secret, dlog)).toBe(w * a);
          expect(sameCiphertext(scaled, scaleCiphertext(ciphertext, BigInt(w) + k * L))).toBe(true);
        },
      ),
      runs(50),
    );
  });

  it('weighted tallies: Σ wᵢ·Enc(mᵢ) decrypts to Σ wᵢ·mᵢ', () => {
    fc.assert(
      fc.property(
        seedArb,
        fc.array(fc.record({ m: fc.integer({ min: 0, max: 30 }), w: fc.integer({ min: 1, max: 10 }) }), { maxLength: 12 }),
        (seed, items) => {
          const rng = rngFor(seed, 'weighted');
          const { secret, publicKey } = generateKeyPair(rng);
          const total = sumCiphertexts(items.map(({ m, w }) => scaleCiphertext(encryptFresh(publicKey, m, rng).ciphertext, BigInt(w))));
          expect(decrypt(total, secret, dlog)).toBe(items.reduce((s, { m, w }) => s + m * w, 0));
        },
      ),
      runs(30),
    );
  });

  it('decrypt returns null when the plaintext exceeds the table bound', () => {
    fc.assert(
      fc.property(seedArb, fc.integer({ min: 0, max: 2000 }), fc.integer({ min: 1, max: 5000 }), (seed, bound, excess) => {
        const rng = rngFor(seed, 'over');
        const { secret, publicKey } = generateKeyPair(rng);
        const small = new DiscreteLog(bound);
        expect(decrypt(encryptFresh(publicKey, bound, rng).ciphertext, secret, small)).toBe(bound);
        expect(decrypt(encryptFresh(publicKey, bound + excess, rng).ciphertext, secret, small)).toBe(null);
      }),
      runs(40),
    );
  });

  it('DiscreteLog(bound).solve(m·G) = m exactly when 0 ≤ m ≤ bound', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 3000 }), fc.integer({ min: 0, max: 6000 }), (bound, m) => {
        const solved = new DiscreteLog(bound).solve(mulPublic(G, BigInt(m)));
        expect(solved).toBe(m <= bound ? m : null);
      }),
      runs(60),
    );
  });
});
