/** Exponential ElGamal on ristretto255: (α, β) = (r·G, m·G + r·Y). Spec §E. */
import { G, IDENTITY, mod, mulPublic, mulSecret, smallMultiple, type Point } from './group.ts';
import { randomScalar, systemRandom, type RandomSource } from './random.ts';
import type { DiscreteLog } from './dlog.ts';

export interface Ciphertext {
  readonly alpha: Point;
  readonly beta: Point;
}

export interface KeyPair {
  readonly secret: bigint;
  readonly publicKey: Point;
}

/** E.1 a key pair: x uniform in [1, ℓ), Y = x·G. Tests and audits only: real keys come from §T. */
export function generateKeyPair(rng: RandomSource = systemRandom): KeyPair {
  const secret = randomScalar(rng);
  return { secret, publicKey: mulSecret(G, secret) };
}

/**
 * E.1.1 readies an election key for encryption: builds the W=8 table on this very object (4,224
 * points, 26 ms once), which makes r·Y 6× faster. Keep using the returned object.
 */
export function prepareKey(Y: Point): Point {
  return Y.precompute(8, false);
}

/** E.2 encrypts the small integer m with the randomness r ∈ [1, ℓ). */
export function encrypt(Y: Point, m: number, r: bigint): Ciphertext {
  return { alpha: mulSecret(G, r), beta: smallMultiple(m).add(mulSecret(Y, r)) };
}

/**
 * E.2 with fresh randomness; returns r too (needed for proofs and audits). E.2.1 redraws r in the
 * (probability 2^-252) case that β is the identity, which no decoder accepts.
 */
export function encryptFresh(Y: Point, m: number, rng: RandomSource = systemRandom): { ciphertext: Ciphertext; r: bigint } {
  for (;;) {
    const r = randomScalar(rng);
    const ciphertext = encrypt(Y, m, r);
    if (!ciphertext.beta.is0()) return { ciphertext, r };
  }
}

/** E.3 homomorphic addition: Enc(a) ⊕ Enc(b) = Enc(a + b). */
export function addCiphertexts(a: Ciphertext, b: Ciphertext): Ciphertext {
  return { alpha: a.alpha.add(b.alpha), beta: a.beta.add(b.beta) };
}

/** E.3 the sum of a list (the identity pair for an empty list). */
export function sumCiphertexts(list: readonly Ciphertext[]): Ciphertext {
  let alpha = IDENTITY;
  let beta = IDENTITY;
  for (const c of list) {
    alpha = alpha.add(c.alpha);
    beta = beta.add(c.beta);
  }
  return { alpha, beta };
}

/** E.4 scaling by a public weight w: Enc(m) ↦ Enc(w·m) (weighted voters). */
export function scaleCiphertext(c: Ciphertext, w: bigint): Ciphertext {
  return { alpha: mulPublic(c.alpha, w), beta: mulPublic(c.beta, w) };
}

/** E.5 M = β − x·α = m·G. */
export function decryptToPoint(c: Ciphertext, x: bigint): Point {
  return c.beta.subtract(mulSecret(c.alpha, mod(x)));
}

/** E.5 decrypts with the secret key and a discrete-log table; null when m is outside the table's bound. */
export function decrypt(c: Ciphertext, x: bigint, dlog: DiscreteLog): number | null {
  return dlog.solve(decryptToPoint(c, x));
}
