/**
 * docs/security.md §A1 (Bernhard–Pereira–Warinschi, "How not to prove yourself", 2012): with a weak
 * Fiat–Shamir challenge (one that leaves the statement out) a prover who picks the statement after the
 * hash forges proofs. Each forgery below is first shown to PASS a deliberately weak verifier (so the
 * attack is real), then shown to fail gongshi's verifier, whose challenge absorbs the whole statement.
 * Two weak challenges are used: the commitments only (Helios), and gongshi's own transcript with the
 * statement removed (which is what a regression in crypto/ would look like).
 */
import { describe, expect, it } from 'vitest';
import {
  DirectCheck,
  G,
  L,
  add,
  decodeBallot,
  decryptToPoint,
  disjunctiveEquations,
  generateKeyPair,
  inv,
  mod,
  mul,
  mulSecret,
  proveDisjunctive,
  proveKnowledge,
  randomScalar,
  seededRandom,
  sign,
  startTranscript,
  sub,
  verifyBallot,
  verifyBallotDirect,
  verifyKnowledge,
  verifySignature,
  encodeBallotBody,
  type Ciphertext,
  type DisjunctiveProof,
  type LinearStatement,
  type Point,
  type ProofContext,
  type RandomSource,
  type SchnorrProof,
} from '../../crypto/index.ts';
import {
  ballotContext,
  fingerprintOf,
  makePoll,
  p3HoldsWith,
  signBallot,
  realChallenge,
  weakChallenge,
  weakVerifyDisjunctive,
} from './helpers.ts';

function disjunctiveOk(st: LinearStatement, proof: DisjunctiveProof, ctx: ProofContext): boolean {
  const check = new DirectCheck();
  disjunctiveEquations(st, proof, ctx, check);
  return check.result();
}

const ONE_SLOT = { questions: [{ kind: 'multiple' as const, options: 1, min: 0, max: 1 }] };

/**
 * T-A1b, exactly as in docs/security.md §A1: commitments first, weak challenge, then the election key
 * Y = x·G solved so that a ciphertext of m = 7 satisfies both branches of a "0 or 1" proof.
 */
function forgeWithAdaptiveKey(rng: RandomSource, ctx: ProofContext | undefined, m = 7n) {
  const [s0, s1, u0, u1] = [randomScalar(rng), randomScalar(rng), randomScalar(rng), randomScalar(rng)];
  const A = [mulSecret(G, s0), mulSecret(G, s1)];
  const B = [mulSecret(G, u0), mulSecret(G, u1)];
  const c = weakChallenge(A, B, ctx);
  const im = inv(m);
  const im1 = inv(m - 1n);
  const x = mul(add(c, add(mul(u0, im), mul(u1, im1))), inv(add(mul(s0, im), mul(s1, im1))));
  const c0 = mul(sub(mul(x, s0), u0), im);
  const c1 = sub(c, c0);
  const rho = randomScalar(rng);
  const Y = mulSecret(G, x);
  const E: Ciphertext = { alpha: mulSecret(G, rho), beta: mulSecret(Y, rho).add(mulSecret(G, m)) };
  const proof: DisjunctiveProof = { A, B, c: [c0], z: [add(s0, mul(rho, c0)), add(s1, mul(rho, c1))] };
  const st: LinearStatement = { Y, terms: [{ w: 1, E }], lo: 0, hi: 1 };
  return { x, Y, E, st, proof, weak: c };
}

/** A square root mod ℓ (ℓ ≡ 5 mod 8, Atkin's method), or null when a is not a square. */
function sqrtModL(a: bigint): bigint | null {
  const pow = (b: bigint, e: bigint): bigint => {
    let r = 1n;
    let x = mod(b);
    for (let k = e; k > 0n; k >>= 1n) {
      if (k & 1n) r = mul(r, x);
      x = mul(x, x);
    }
    return r;
  };
  a = mod(a);
  if (a === 0n) return 0n;
  const v = pow(2n * a, (L - 5n) / 8n);
  const i = mul(mul(2n * a, v), v);
  const root = mul(mul(a, v), sub(i, 1n));
  return mul(root, root) === a ? root : null;
}

/**
 * BPW's second forger: the election key is honest and fixed, but the *ciphertext* is chosen after the
 * weak challenge. Commit A_j = s_j·G, B_j = s_j·Y + t_j·G, hash, then solve c·m² + (t₀ + t₁ − c)·m − t₀ = 0
 * for the plaintext m, so that c_j = t_j / (j − m) add up to c. m is a random-looking scalar: a vote
 * that no discrete-log table can decrypt (Helios tallies "run forever").
 */
function forgeWithAdaptiveCiphertext(Y: Point, ctx: ProofContext, rng: RandomSource) {
  for (;;) {
    const [s0, s1, t0, t1] = [randomScalar(rng), randomScalar(rng), randomScalar(rng), randomScalar(rng)];
    const A = [mulSecret(G, s0), mulSecret(G, s1)];
    const B = [mulSecret(Y, s0).add(mulSecret(G, t0)), mulSecret(Y, s1).add(mulSecret(G, t1))];
    const c = weakChallenge(A, B, ctx);
    const b = sub(add(t0, t1), c);
    const root = sqrtModL(add(mul(b, b), mul(4n * c, t0)));
    if (root === null) continue; // about half the draws
    const m = mul(sub(root, b), inv(2n * c));
    if (m === 0n || m === 1n) continue;
    const c0 = mul(t0, inv(mod(-m)));
    const c1 = mul(t1, inv(sub(1n, m)));
    const rho = randomScalar(rng);
    const E: Ciphertext = { alpha: mulSecret(G, rho), beta: mulSecret(Y, rho).add(mulSecret(G, m)) };
    const proof: DisjunctiveProof = { A, B, c: [c0], z: [add(s0, mul(rho, c0)), add(s1, mul(rho, c1))] };
    expect(add(c0, c1)).toBe(c);
    return { m, E, proof, st: { Y, terms: [{ w: 1, E }], lo: 0, hi: 1 } as LinearStatement };
  }
}

for (const variant of ['commitments only (Helios)', 'our transcript minus the statement'] as const) {
  describe(`weak Fiat–Shamir, ${variant}: adaptive election key (T-A1b)`, () => {
    const rng = seededRandom(`attacks/weak-fs/adaptive-key/${variant}`);
    const voter = generateKeyPair(rng);
    // The forgery targets slot 1 of question 1 of this voter's ballot. The second weak challenge has
    // everything but the statement: tag, fingerprint, credential, position and commitments.
    const ctx = ballotContext(fingerprintOf('weak-fs poll'), voter.publicKey, [1, 0, 0]);
    const weakCtx = variant === 'commitments only (Helios)' ? undefined : ctx;
    const forged = forgeWithAdaptiveKey(rng, weakCtx);

    it('positive control: the forged "0 or 1" proof for an encryption of 7 passes the weak verifier', () => {
      // The ciphertext really holds 7, not 0 or 1.
      const M = decryptToPoint(forged.E, forged.x);
      expect(M.equals(mulSecret(G, 7n))).toBe(true);
      expect(M.equals(mulSecret(G, 1n)) || M.is0()).toBe(false);
      // Both equations of both branches hold under the weak challenge.
      expect(weakVerifyDisjunctive(forged.st, forged.proof, weakCtx)).toBe(true);
    });

    it('rejects the forged 0/1 proof, because the real challenge also hashes the statement (Y, α, β, lo, hi)', () => {
      const strong = realChallenge(forged.st, forged.proof.A, forged.proof.B, ctx);
      expect(strong).not.toBe(forged.weak);
      expect(p3HoldsWith(forged.st, forged.proof, strong)).toBe(false);
      expect(disjunctiveOk(forged.st, forged.proof, ctx)).toBe(false);
    });

    it('rejects a ballot whose 0/1 proof was forged with a weak Fiat–Shamir challenge (attacker chose the election key)', () => {
      // The attacker controls the trustees, so the poll's key is the forged Y.
      const poll = makePoll(ONE_SLOT, rng, 'weak-fs poll', { secret: forged.x, publicKey: forged.Y });
      const { bytes } = signBallot(
        {
          fingerprint: poll.fingerprint,
          credential: voter.publicKey,
          answers: [{ slots: [forged.E], slotProofs: [{ kind: 'disjunctive', proof: forged.proof }], sumProof: null }],
        },
        voter,
        rng,
      );
      // Positive control: a weak ballot verifier (weak challenge on the proof, real signature check) accepts it.
      const b = decodeBallot(bytes, poll.shapes);
      const p = b.answers[0].slotProofs[0];
      if (p.kind !== 'disjunctive') throw new Error('expected a §P3 proof');
      const st: LinearStatement = { Y: poll.key, terms: [{ w: 1, E: b.answers[0].slots[0] }], lo: 0, hi: 1 };
      expect(weakVerifyDisjunctive(st, p.proof, weakCtx && ballotContext(poll.fingerprint, b.credential, [1, 0, 0]))).toBe(true);
      expect(verifySignature(b.credential, encodeBallotBody(b), b.signature, ballotContext(poll.fingerprint, b.credential, []))).toBe(true);
      // gongshi's verifiers reject it.
      expect(verifyBallot(bytes, poll.params)).toBe(false);
      expect(verifyBallotDirect(bytes, poll.params)).toBe(false);
    });

    it('forges other plaintexts too (m = 5), and the real verifier rejects those as well', () => {
      const again = forgeWithAdaptiveKey(seededRandom(`attacks/weak-fs/adaptive-key/${variant}/2`), weakCtx, 5n);
      expect(decryptToPoint(again.E, again.x).equals(mulSecret(G, 5n))).toBe(true);
      expect(weakVerifyDisjunctive(again.st, again.proof, weakCtx)).toBe(true);
      expect(disjunctiveOk(again.st, again.proof, ctx)).toBe(false);
    });
  });
}

describe('weak Fiat–Shamir: adaptive ciphertext under an honest key', () => {
  const rng = seededRandom('attacks/weak-fs/adaptive-ciphertext');
  const poll = makePoll(ONE_SLOT, rng, 'honest-key poll');
  const voter = generateKeyPair(rng);
  const ctx = ballotContext(poll.fingerprint, voter.publicKey, [1, 0, 0]);
  const forged = forgeWithAdaptiveCiphertext(poll.key, ctx, rng);

  it('positive control: a proof that an encryption of a huge scalar is 0 or 1 passes a verifier whose challenge omits the statement', () => {
    const M = decryptToPoint(forged.E, poll.election.secret);
    expect(M.equals(mulSecret(G, forged.m))).toBe(true);
    expect(forged.m > 1_000_000n).toBe(true);
    expect(weakVerifyDisjunctive(forged.st, forged.proof, ctx)).toBe(true);
  });

  it('rejects a ballot carrying that proof, and the bare proof in its own context', () => {
    expect(disjunctiveOk(forged.st, forged.proof, ctx)).toBe(false);
    const { bytes } = signBallot(
      {
        fingerprint: poll.fingerprint,
        credential: voter.publicKey,
        answers: [{ slots: [forged.E], slotProofs: [{ kind: 'disjunctive', proof: forged.proof }], sumProof: null }],
      },
      voter,
      rng,
    );
    expect(verifyBallot(bytes, poll.params)).toBe(false);
    expect(verifyBallotDirect(bytes, poll.params)).toBe(false);
  });
});

/**
 * Our §P3 transcript for a one-term [0, 1] statement with exactly one input left out: Y. (A replica of
 * the field order in disjunctive.ts; if that order changes, this weak verifier still differs from the
 * real one only by Y, so the positive control below keeps its meaning.)
 */
function challengeWithoutY(E: Ciphertext, A: readonly Point[], B: readonly Point[], ctx: ProofContext): bigint {
  const t = startTranscript('P3-disjunctive', ctx).appendU32('terms', 1).appendU32('w', 1).appendPoint('alpha', E.alpha).appendPoint('beta', E.beta);
  t.appendU32('lo', 0).appendU32('hi', 1);
  for (let j = 0; j < A.length; j++) t.appendPoint('A', A[j]).appendPoint('B', B[j]);
  return t.challenge();
}

/**
 * Leaving out Y alone is enough to forge: fix α = ρ·G and β = b·G first, commit, hash, then solve a
 * quadratic for the key x so that β = ρ·Y + m·G with m = b − ρ·x, and c_j = (s_j·x − u_j)/(m − j) sum to c.
 */
function forgeWithKeyOnlyUnhashed(rng: RandomSource, ctx: ProofContext) {
  for (;;) {
    const [s0, s1, u0, u1, rho, b] = Array.from({ length: 6 }, () => randomScalar(rng));
    const E: Ciphertext = { alpha: mulSecret(G, rho), beta: mulSecret(G, b) };
    const A = [mulSecret(G, s0), mulSecret(G, s1)];
    const B = [mulSecret(G, u0), mulSecret(G, u1)];
    const c = challengeWithoutY(E, A, B, ctx);
    // a2·x² + a1·x + a0 = 0
    const a2 = mod(-rho * (s0 + s1) - c * rho * rho);
    const a1 = mod(s0 * (b - 1n) + s1 * b + rho * (u0 + u1) + c * rho * (2n * b - 1n));
    const a0 = mod(-u0 * (b - 1n) - u1 * b - c * b * (b - 1n));
    const root = sqrtModL(sub(mul(a1, a1), mul(4n * a2, a0)));
    if (root === null || a2 === 0n) continue;
    const x = mul(sub(root, a1), inv(2n * a2));
    const m = sub(b, mul(rho, x));
    if (x === 0n || m === 0n || m === 1n) continue;
    const c0 = mul(sub(mul(s0, x), u0), inv(m));
    const c1 = mul(sub(mul(s1, x), u1), inv(sub(m, 1n)));
    expect(add(c0, c1)).toBe(c);
    const Y = mulSecret(G, x);
    const proof: DisjunctiveProof = { A, B, c: [c0], z: [add(s0, mul(c0, rho)), add(s1, mul(c1, rho))] };
    return { x, m, Y, E, proof, st: { Y, terms: [{ w: 1, E }], lo: 0, hi: 1 } as LinearStatement };
  }
}

describe('weak Fiat–Shamir with only Y left out: ciphertext fixed first, key chosen after the hash', () => {
  const rng = seededRandom('attacks/weak-fs/without-Y');
  const voter = generateKeyPair(rng);
  const ctx = ballotContext(fingerprintOf('without-Y poll'), voter.publicKey, [1, 0, 0]);
  const forged = forgeWithKeyOnlyUnhashed(rng, ctx);

  it('positive control: the forgery (a huge plaintext "proved" 0 or 1) passes a verifier whose challenge omits only Y', () => {
    expect(decryptToPoint(forged.E, forged.x).equals(mulSecret(G, forged.m))).toBe(true);
    expect(forged.m > 1_000_000n).toBe(true);
    expect(p3HoldsWith(forged.st, forged.proof, challengeWithoutY(forged.E, forged.proof.A, forged.proof.B, ctx))).toBe(true);
  });

  it('rejects it: the real challenge hashes Y', () => {
    expect(disjunctiveOk(forged.st, forged.proof, ctx)).toBe(false);
  });
});

describe('weak Fiat–Shamir: Schnorr proof of knowledge (§P1) with the key chosen after the challenge', () => {
  const rng = seededRandom('attacks/weak-fs/schnorr');
  const ctx: ProofContext = { fingerprint: fingerprintOf('trustee setup'), binding: Uint8Array.of(0, 0, 0, 3) };
  // An honest trustee's key: the attacker does not know its discrete log.
  const honest = generateKeyPair(rng).publicKey;
  // Commit T := the honest key, hash our §P1 transcript without X (tag, context, T), pick z, then
  // solve for X = (z·G − T)/c.
  const T = honest;
  const c = startTranscript('P1-knowledge', ctx).appendPoint('T', T).challenge();
  const z = randomScalar(rng);
  const X = mulSecret(G, mul(z, inv(c))).subtract(mulSecret(T, inv(c)));
  const forged: SchnorrProof = { T, z };

  it('positive control: the forged proof passes a verifier whose challenge omits X', () => {
    const check = new DirectCheck();
    check.require([G, X, T], [z, -c, -1n]);
    expect(check.result()).toBe(true);
  });

  it('rejects a §P1 proof of knowledge whose statement X was chosen after the challenge', () => {
    // The forger does not know log X (it would give log of the honest key), yet the weak proof "proves" it.
    expect(verifyKnowledge(X, forged, ctx)).toBe(false);
  });

  it('a genuine §P1 proof verifies only in the context it was made for', () => {
    const kp = generateKeyPair(rng);
    const proof = proveKnowledge(kp.secret, kp.publicKey, ctx, rng);
    expect(verifyKnowledge(kp.publicKey, proof, ctx)).toBe(true);
    expect(verifyKnowledge(kp.publicKey, proof, { ...ctx, fingerprint: fingerprintOf('another poll') })).toBe(false);
    expect(verifyKnowledge(kp.publicKey, proof, { ...ctx, binding: Uint8Array.of(0, 0, 0, 4) })).toBe(false);
    // Nor as a §P6 signature (different domain tag), even over an empty message.
    expect(verifySignature(kp.publicKey, new Uint8Array(0), proof, ctx)).toBe(false);
  });

  it('a credential signature verifies only in its own context and on its own message', () => {
    const kp = generateKeyPair(rng);
    const message = new TextEncoder().encode('ballot body');
    const sig = sign(kp.secret, kp.publicKey, message, ctx, rng);
    expect(verifySignature(kp.publicKey, message, sig, ctx)).toBe(true);
    expect(verifySignature(kp.publicKey, message, sig, { ...ctx, fingerprint: fingerprintOf('another poll') })).toBe(false);
    expect(verifySignature(kp.publicKey, message, sig, { ...ctx, binding: new Uint8Array(0) })).toBe(false);
    expect(verifySignature(kp.publicKey, new TextEncoder().encode('ballot bodY'), sig, ctx)).toBe(false);
    expect(verifyKnowledge(kp.publicKey, sig, ctx)).toBe(false);
  });
});

describe('challenge binding: a valid proof moved to another context or statement (T-A1a)', () => {
  const rng = seededRandom('attacks/weak-fs/context');
  const poll = makePoll(ONE_SLOT, rng, 'binding poll');
  const voter = generateKeyPair(rng);
  const other = generateKeyPair(rng);
  const r = randomScalar(rng);
  const E: Ciphertext = { alpha: mulSecret(G, r), beta: mulSecret(G, 1n).add(mulSecret(poll.key, r)) };
  const st: LinearStatement = { Y: poll.key, terms: [{ w: 1, E }], lo: 0, hi: 1 };
  const ctx = ballotContext(poll.fingerprint, voter.publicKey, [1, 0, 0]);
  const proof = proveDisjunctive(st, { v: 1, r }, ctx, rng);

  it('positive control: the honest proof verifies in its context, and the challenge read off the verifier is the one it uses', () => {
    expect(disjunctiveOk(st, proof, ctx)).toBe(true);
    expect(p3HoldsWith(st, proof, realChallenge(st, proof.A, proof.B, ctx))).toBe(true);
    expect(p3HoldsWith(st, proof, add(realChallenge(st, proof.A, proof.B, ctx), 1n))).toBe(false);
  });

  it('rejects the proof in another poll (other fingerprint)', () => {
    expect(disjunctiveOk(st, proof, { ...ctx, fingerprint: fingerprintOf('another poll') })).toBe(false);
  });

  it("rejects the proof under another voter's credential (other binding)", () => {
    expect(disjunctiveOk(st, proof, ballotContext(poll.fingerprint, other.publicKey, [1, 0, 0]))).toBe(false);
  });

  it('rejects the proof at another position (other slot, other question, sum path)', () => {
    for (const path of [[1, 0, 1], [1, 1, 0], [2, 0], []]) {
      expect(disjunctiveOk(st, proof, ballotContext(poll.fingerprint, voter.publicKey, path))).toBe(false);
    }
  });

  it('the challenge changes, and the proof fails, when any statement input changes', () => {
    const r2 = randomScalar(rng);
    const mutations: [string, LinearStatement][] = [
      ['Y', { ...st, Y: generateKeyPair(rng).publicKey }],
      ['alpha', { ...st, terms: [{ w: 1, E: { ...E, alpha: E.alpha.add(G) } }] }],
      ['beta', { ...st, terms: [{ w: 1, E: { ...E, beta: E.beta.add(mulSecret(poll.key, r2)) } }] }],
      ['w', { ...st, terms: [{ w: 2, E }] }],
      ['lo/hi', { ...st, lo: 1, hi: 2 }],
    ];
    const base = realChallenge(st, proof.A, proof.B, ctx);
    for (const [name, m] of mutations) {
      expect(realChallenge(m, proof.A, proof.B, ctx), name).not.toBe(base);
      expect(disjunctiveOk(m, proof, ctx), name).toBe(false);
    }
    // Each commitment, too.
    for (let j = 0; j < 2; j++) {
      const A = proof.A.map((P, i) => (i === j ? P.add(G) : P));
      const B = proof.B.map((P, i) => (i === j ? P.add(G) : P));
      expect(realChallenge(st, A, proof.B, ctx), `A[${j}]`).not.toBe(base);
      expect(realChallenge(st, proof.A, B, ctx), `B[${j}]`).not.toBe(base);
    }
  });

  it('rejects a proof whose equations hold for challenges the prover chose (the challenge is recomputed, T-A1c)', () => {
    // Simulate both branches for an encryption of 7 with freely chosen c₀, c₁: every equation holds
    // for the total c₀ + c₁, which a verifier that trusted the prover's challenges would accept.
    const r7 = randomScalar(rng);
    const E7: Ciphertext = { alpha: mulSecret(G, r7), beta: mulSecret(G, 7n).add(mulSecret(poll.key, r7)) };
    const st7: LinearStatement = { Y: poll.key, terms: [{ w: 1, E: E7 }], lo: 0, hi: 1 };
    const cs = [randomScalar(rng), randomScalar(rng)];
    const zs = [randomScalar(rng), randomScalar(rng)];
    const A = cs.map((cj, j) => mulSecret(G, zs[j]).subtract(mulSecret(E7.alpha, cj)));
    const B = cs.map((cj, j) => mulSecret(poll.key, zs[j]).subtract(mulSecret(E7.beta, cj)).add(mulSecret(G, mul(cj, BigInt(j)))));
    const sim: DisjunctiveProof = { A, B, c: [cs[0]], z: zs };
    expect(p3HoldsWith(st7, sim, add(cs[0], cs[1]))).toBe(true);
    expect(disjunctiveOk(st7, sim, ctx)).toBe(false);
  });
});
