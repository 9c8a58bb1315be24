/** Exponential ElGamal (§E) and the discrete log (§E.6): known values and edges. */
import { describe, expect, it } from 'vitest';
import * as c from '../../crypto/index.ts';

const rng = c.seededRandom('elgamal unit');
const { secret, publicKey } = c.generateKeyPair(rng);
const Y = c.prepareKey(publicKey);

describe('ElGamal', () => {
  it('decrypts what it encrypts, and sums and weights homomorphically', () => {
    const dlog = new c.DiscreteLog(100);
    const a = c.encryptFresh(Y, 3, rng).ciphertext;
    const b = c.encryptFresh(Y, 4, rng).ciphertext;
    expect(c.decrypt(a, secret, dlog)).toBe(3);
    expect(c.decrypt(c.addCiphertexts(a, b), secret, dlog)).toBe(7);
    expect(c.decrypt(c.scaleCiphertext(b, 5n), secret, dlog)).toBe(20);
    expect(c.decrypt(c.sumCiphertexts([a, b, a]), secret, dlog)).toBe(10);
    expect(c.decrypt(c.sumCiphertexts([]), secret, dlog)).toBe(0);
  });

  it('gives a different ciphertext for the same value each time', () => {
    const x = c.encryptFresh(Y, 1, rng).ciphertext;
    const y = c.encryptFresh(Y, 1, rng).ciphertext;
    expect(x.alpha.equals(y.alpha)).toBe(false);
  });

  it('does not decrypt with a wrong key', () => {
    const dlog = new c.DiscreteLog(1000);
    const e = c.encryptFresh(Y, 5, rng).ciphertext;
    expect(c.decrypt(e, c.add(secret, 1n), dlog)).toBeNull();
  });
});

describe('discrete log by baby-step giant-step', () => {
  it('solves every m from 0 to the bound and nothing above it', () => {
    for (const bound of [0, 1, 2, 15, 16, 17, 99]) {
      const dlog = new c.DiscreteLog(bound);
      for (let m = 0; m <= bound; m++) expect(dlog.solve(c.mulPublic(c.G, BigInt(m))), `${m} ≤ ${bound}`).toBe(m);
      expect(dlog.solve(c.mulPublic(c.G, BigInt(bound + 1)))).toBeNull();
      expect(dlog.solve(c.mulPublic(c.G, c.L - 1n))).toBeNull();
    }
  });

  it('solves a large value near a large bound', () => {
    const dlog = new c.DiscreteLog(1_000_000);
    expect(dlog.solve(c.mulPublic(c.G, 999_999n))).toBe(999_999);
    expect(dlog.solve(c.mulPublic(c.G, 1_000_000n))).toBe(1_000_000);
    expect(dlog.solve(c.mulPublic(c.G, 1_000_001n))).toBeNull();
  });
});

describe('credentials (§C)', () => {
  it('derive the same key from the code however it is typed, and another key in another poll', () => {
    const code = c.generateCredentialCode(rng);
    expect(code).toMatch(/^([0-9A-Z]{4}-){5}[0-9A-Z]{4}$/);
    const id = rng(16);
    const k = c.deriveCredential(code, id);
    const typed = code.toLowerCase().replace(/-/g, ' ').replace(/0/g, 'o').replace(/1/g, 'l');
    expect(c.deriveCredential(typed, id).publicKey.equals(k.publicKey)).toBe(true);
    expect(c.deriveCredential(code, rng(16)).publicKey.equals(k.publicKey)).toBe(false);
  });

  it('refuse a code with a typo, a wrong length or a foreign character', () => {
    const code = c.generateCredentialCode(rng).replace(/-/g, '');
    const typo = (code[0] === 'A' ? 'B' : 'A') + code.slice(1);
    expect(c.parseCredentialCode(typo)).toBeNull();
    expect(c.parseCredentialCode(code.slice(1))).toBeNull();
    expect(c.parseCredentialCode(code.slice(0, -1) + 'U')).toBeNull();
    expect(() => c.deriveCredential(typo, new Uint8Array(16))).toThrow(/not a valid credential code/);
  });
});

describe('trackers (§Q.7)', () => {
  it('read back from the grouped text, with lower case and O/I/L typed by a person', () => {
    const t = rng(32);
    const shown = c.formatTracker(t);
    expect(shown).toMatch(/^([0-9A-Z]{4} ){12}[0-9A-Z]{4}$/);
    expect(c.parseTracker(shown)).toEqual(t);
    expect(c.parseTracker(shown.toLowerCase().replace(/0/g, 'o'))).toEqual(t);
    expect(c.parseTracker(shown.slice(0, -1))).toBeNull();
    expect(c.parseTracker(shown + 'A')).toBeNull();
  });

  it('accept the full-width forms a Chinese input method types, and refuse other non-ASCII letters', () => {
    const t = rng(32);
    const text = c.trackerText(t);
    const fullWidth = [...text].map((ch) => String.fromCodePoint(ch.codePointAt(0)! + 0xfee0)).join('');
    expect(c.parseTracker(fullWidth)).toEqual(t);
    expect(c.normaliseBase32('ı')).toBeNull(); // dotless i would otherwise upper-case to I, read as 1
    expect(c.normaliseBase32('ß')).toBeNull();
    expect(c.normaliseBase32('ab\u3000cd')).toBe('ABCD'); // ideographic space
  });
});
