/**
 * Threshold decryption (§T.8, docs/security.md §E4, §A2): every decryption message is checked — qualified
 * trustee, one message each, the election's fingerprint, one share per ciphertext, a valid signature
 * and a §P2 proof per share against the trustee's verification key — and a refusal names the reason
 * (for a bad proof, the ciphertext position). Lagrange coefficients refuse index 0 and duplicates.
 */
import { describe, expect, it } from 'vitest';
import {
  G,
  add,
  encryptShare,
  evaluatePolynomial,
  mul,
  randomPolynomial,
  seededRandom,
  buildMessage,
  checkDecryptionShares,
  combineDecryptionShares,
  createDecryptionShares,
  decodeTrusteeMessage,
  decryptionContext,
  lagrangeAtZero,
  mulSecret,
  proveDleq,
  randomScalar,
  startTranscript,
  verifyDleq,
  type DecryptionMessage,
  type DleqProof,
  type DleqStatement,
  type Point,
  type ProofContext,
} from '../../crypto/index.ts';
import { ceremony, decryptionMessages, encryptTally, plainPoint, replaceFrom, resign, secretsOf, tallyWith, type CeremonyRun, type Tally } from './support.ts';

const setup = (async () => {
  const run = await ceremony(3, 5, 'decryption');
  // 6 voters, 3 positions
  const tally = encryptTally(run.outcome.jointKey!, [[1, 0, 2], [0, 1, 1], [1, 1, 0], [1, 0, 0], [0, 0, 2], [1, 1, 1]], run.rng);
  const messages = decryptionMessages(run, tally);
  return { run, tally, messages, m: (j: number) => messages.get(j)! };
})();

/** The same message's shares, one replaced, re-signed by its trustee (so only the proof can fail). */
function withShare(run: CeremonyRun, msg: DecryptionMessage, pos: number, share: { M: Point; proof: DleqProof }): DecryptionMessage {
  return resign(run, msg, { shares: msg.shares.map((s, k) => (k === pos ? share : s)) });
}

function expectFor(run: CeremonyRun, tally: Tally, index: number) {
  return { fingerprint: tally.fingerprint, ciphertexts: tally.ciphertexts, verificationKey: run.outcome.verificationKeys.get(index)!, signingKey: run.signingKeys.get(index)! };
}

describe('a decryption share shifted by G (M + G), docs/security.md T-E4b', () => {
  it('would shift the result if it were combined unchecked (the attack is real)', async () => {
    const { tally, m } = await setup;
    const shifted = (j: number) => m(j).shares.map((s, pos) => (pos === 1 ? s.M.add(G) : s.M));
    const points = combineDecryptionShares(tally.ciphertexts, [{ index: 1, M: shifted(1) }, { index: 2, M: m(2).shares.map((s) => s.M) }, { index: 3, M: m(3).shares.map((s) => s.M) }], 3);
    expect(points[0].equals(plainPoint(tally.sums[0]))).toBe(true);
    expect(points[1].equals(plainPoint(tally.sums[1]))).toBe(false);
  });

  it('with its old proof is refused, naming the ciphertext position', async () => {
    const { run, tally, m } = await setup;
    const bad = withShare(run, m(1), 1, { M: m(1).shares[1].M.add(G), proof: m(1).shares[1].proof });
    expect(checkDecryptionShares(bad, expectFor(run, tally, 1), run.rng)).toBe('bad proof for ciphertext 1');
    const r = tallyWith(run, tally, [bad, m(2), m(3)]);
    expect(r.refused).toEqual([{ kind: 'decryption', index: 1, reason: 'bad proof for ciphertext 1' }]);
    expect(r.result).toBeNull();
    expect(r.failure).toBe('2 valid decryption shares, 3 needed');
    // with a t-th honest trustee the tally is still right: the bad share is simply not used
    const r2 = tallyWith(run, tally, [bad, m(2), m(3), m(4)]);
    expect(r2.used).toEqual([2, 3, 4]);
    expect(r2.result).toEqual(tally.sums);
  });

  it('with a freshly made proof (true witness, false statement) is refused, naming the position', async () => {
    const { run, tally, m } = await setup;
    const x1 = run.keyShares.get(1)!;
    const alpha = tally.ciphertexts[2].alpha;
    const M = m(1).shares[2].M.add(G);
    const proof = proveDleq({ B1: G, X1: run.outcome.verificationKeys.get(1)!, B2: alpha, X2: M }, x1, decryptionContext(tally.fingerprint, 1, 2), run.rng);
    const bad = withShare(run, m(1), 2, { M, proof });
    expect(checkDecryptionShares(bad, expectFor(run, tally, 1), run.rng)).toBe('bad proof for ciphertext 2');
  });

  it('with a weak-Fiat–Shamir forgery (passes a verifier whose challenge omits M and the commitments) is refused', async () => {
    const { run, tally, m } = await setup;
    const Y1 = run.outcome.verificationKeys.get(1)!;
    const alpha = tally.ciphertexts[1].alpha;
    const M = m(1).shares[1].M.add(G);
    const ctx = decryptionContext(tally.fingerprint, 1, 1);
    const weak = (st: DleqStatement, c: ProofContext) => startTranscript('P2-dleq', c).appendPoint('B1', st.B1).appendPoint('X1', st.X1).appendPoint('B2', st.B2).challenge();
    const st = { B1: G, X1: Y1, B2: alpha, X2: M };
    const c = weak(st, ctx);
    const z = randomScalar(run.rng);
    const proof = { T1: mulSecret(G, z).subtract(mulSecret(Y1, c)), T2: mulSecret(alpha, z).subtract(mulSecret(M, c)), z };
    // the forgery satisfies both verification equations under the weak challenge ...
    expect(mulSecret(G, z).equals(proof.T1.add(mulSecret(Y1, c)))).toBe(true);
    expect(mulSecret(alpha, z).equals(proof.T2.add(mulSecret(M, c)))).toBe(true);
    // ... and not under gongshi's
    expect(verifyDleq(st, proof, ctx)).toBe(false);
    const bad = withShare(run, m(1), 1, { M, proof });
    expect(tallyWith(run, tally, [bad, m(2), m(3), m(4)]).refused).toEqual([{ kind: 'decryption', index: 1, reason: 'bad proof for ciphertext 1' }]);
  });

  it('a correct share and proof moved to another position, or to another trustee’s message, is refused', async () => {
    const { run, tally, m } = await setup;
    const swapped = resign(run, m(1), { shares: [m(1).shares[1], m(1).shares[0], m(1).shares[2]] });
    expect(checkDecryptionShares(swapped, expectFor(run, tally, 1), run.rng)).toBe('bad proof for ciphertext 0');
    // trustee 2 copies trustee 1's shares into her own (correctly signed) message
    const copied = resign(run, m(2), { shares: m(1).shares });
    expect(checkDecryptionShares(copied, expectFor(run, tally, 2), run.rng)).toBe('bad proof for ciphertext 0');
  });
});

describe('decryption messages that are refused before their proofs', () => {
  it('a message from a disqualified trustee: not qualified', async () => {
    const run = await ceremony(2, 3, 'decryption, disqualified', {
      shares: (list, stage) =>
        replaceFrom(list, 3, async (msg) => {
          const f = stage.polynomials.get(3)!;
          const bad = await encryptShare(stage.h, 3, 1, add(evaluatePolynomial(f, 1), 1n), stage.identities[0].encryptionKey, stage.rng);
          return resign(stage, msg, { shares: msg.shares.map((s) => (s.to === 1 ? bad : s)) });
        }),
    });
    expect(run.outcome.qualified).toEqual([1, 2]);
    const tally = encryptTally(run.outcome.jointKey!, [[1], [1]], run.rng);
    const messages = decryptionMessages(run, tally);
    // trustee 3 has no key share on the record; she signs shares made with her own polynomial's value
    const rogue = createDecryptionShares({ fingerprint: tally.fingerprint, index: 3, keyShare: evaluatePolynomial(run.polynomials.get(3)!, 3), signing: secretsOf(run, 3).signing, ciphertexts: tally.ciphertexts }, run.rng);
    const r = tallyWith(run, tally, [rogue, messages.get(1)!]);
    expect(r.refused).toEqual([{ kind: 'decryption', index: 3, reason: 'trustee 3 is not qualified' }]);
    expect(r.failure).toBe('1 valid decryption shares, 2 needed');
    expect(tallyWith(run, tally, [rogue, messages.get(1)!, messages.get(2)!]).result).toEqual([2]);
  });

  it('a second message from the same trustee is refused and does not count towards t', async () => {
    const { run, tally, m } = await setup;
    const again = createDecryptionShares({ fingerprint: tally.fingerprint, index: 1, keyShare: run.keyShares.get(1)!, signing: secretsOf(run, 1).signing, ciphertexts: tally.ciphertexts }, run.rng);
    expect(again.bytes).not.toEqual(m(1).bytes);
    const r = tallyWith(run, tally, [m(1), again, m(2)]);
    expect(r.refused).toEqual([{ kind: 'decryption', index: 1, reason: 'a second decryption message from trustee 1' }]);
    expect(r.used).toEqual([1, 2]);
    expect(r.failure).toBe('2 valid decryption shares, 3 needed');
    // the very same message twice, too
    expect(tallyWith(run, tally, [m(4), m(4), m(5)]).refused).toEqual([{ kind: 'decryption', index: 4, reason: 'a second decryption message from trustee 4' }]);
  });

  it('a message for another election’s fingerprint is refused', async () => {
    const { run, tally } = await setup;
    const other = run.rng(32);
    const msg = createDecryptionShares({ fingerprint: other, index: 2, keyShare: run.keyShares.get(2)!, signing: secretsOf(run, 2).signing, ciphertexts: tally.ciphertexts }, run.rng);
    expect(checkDecryptionShares(msg, expectFor(run, tally, 2), run.rng)).toBe('belongs to another election');
    // and re-labelled with this election's fingerprint (re-signed), its proofs are bound to the other one
    const relabelled = resign(run, msg, { fingerprint: tally.fingerprint });
    expect(checkDecryptionShares(relabelled, expectFor(run, tally, 2), run.rng)).toBe('bad proof for ciphertext 0');
  });

  it('a message with the wrong number of shares is refused', async () => {
    const { run, tally, m } = await setup;
    const fewer = resign(run, m(3), { shares: m(3).shares.slice(0, 2) });
    expect(checkDecryptionShares(fewer, expectFor(run, tally, 3), run.rng)).toBe('has 2 shares for 3 ciphertexts');
    const more = resign(run, m(3), { shares: [...m(3).shares, m(3).shares[0]] });
    expect(checkDecryptionShares(more, expectFor(run, tally, 3), run.rng)).toBe('has 4 shares for 3 ciphertexts');
    expect(tallyWith(run, tally, [fewer, m(1), m(2)]).refused).toEqual([{ kind: 'decryption', index: 3, reason: 'has 2 shares for 3 ciphertexts' }]);
  });

  it('a bad signature is refused: a flipped bit, or a message signed by another trustee', async () => {
    const { run, tally, m } = await setup;
    const bytes = m(5).bytes.slice();
    bytes[bytes.length - 20] ^= 1; // inside the signature's z (a low byte: still reduced)
    const flipped = decodeTrusteeMessage(bytes) as DecryptionMessage;
    expect(checkDecryptionShares(flipped, expectFor(run, tally, 5), run.rng)).toBe('bad signature');
    const body = m(5).bytes.slice();
    body[2 + 32 + 4 + 4 + 96] ^= 1; // the low byte of the first share's proof z: still a canonical scalar
    const changed = decodeTrusteeMessage(body) as DecryptionMessage;
    expect(changed.shares[0].proof.z).not.toBe(m(5).shares[0].proof.z);
    expect(checkDecryptionShares(changed, expectFor(run, tally, 5), run.rng)).toBe('bad signature');
    const foreign = buildMessage('decryption', tally.fingerprint, 5, { shares: m(5).shares }, secretsOf(run, 4).signing, run.rng);
    expect(tallyWith(run, tally, [foreign, m(1), m(2), m(3)]).refused).toEqual([{ kind: 'decryption', index: 5, reason: 'bad signature' }]);
  });

  it('a total outside [0, bound] is a failure, not a search without end (docs/security.md T-E4e)', async () => {
    const { run, tally, m } = await setup;
    expect(tally.sums).toEqual([4, 3, 6]);
    const r = tallyWith(run, tally, [m(1), m(2), m(3)], 4);
    expect(r.result).toBeNull();
    expect(r.failure).toBe('total 2 is not in [0, 4]');
    expect(tallyWith(run, tally, [m(1), m(2), m(3)], 6).result).toEqual([4, 3, 6]);
  });

  it('more than t valid messages: all are used and the result is the same', async () => {
    const { run, tally, messages } = await setup;
    const r = tallyWith(run, tally, [...messages.values()].reverse());
    expect(r.used).toEqual([1, 2, 3, 4, 5]);
    expect(r.result).toEqual(tally.sums);
  });
});

describe('Lagrange coefficients', () => {
  it('refuse index 0, duplicates, an empty set and non-integers', () => {
    expect(() => lagrangeAtZero([0, 1, 2])).toThrow('trustee index 0 is not an integer from 1 to 2^32 − 1');
    expect(() => lagrangeAtZero([1, 2, 1])).toThrow('trustee index 1 appears twice');
    expect(() => lagrangeAtZero([])).toThrow('no indices to interpolate from');
    expect(() => lagrangeAtZero([1, 2.5])).toThrow('trustee index 2.5 is not an integer');
    expect(() => lagrangeAtZero([-1, 2])).toThrow('trustee index -1 is not an integer');
  });

  it('combining shares with a duplicate or zero index throws', async () => {
    const { tally, m } = await setup;
    const M = (j: number) => m(j).shares.map((s) => s.M);
    expect(() => combineDecryptionShares(tally.ciphertexts, [{ index: 1, M: M(1) }, { index: 1, M: M(1) }, { index: 2, M: M(2) }], 3)).toThrow('appears twice');
    expect(() => combineDecryptionShares(tally.ciphertexts, [{ index: 0, M: M(1) }, { index: 1, M: M(1) }, { index: 2, M: M(2) }], 3)).toThrow('trustee index 0');
  });

  it('interpolate a polynomial at 0 exactly (Σ λ_i f(i) = f(0) for random f and sets)', async () => {
    const rng = seededRandom('lagrange');
    for (const S of [[1], [2, 5], [1, 2, 3], [7, 3, 64, 12], [4294967295, 1, 99]]) {
      const f = randomPolynomial(S.length, rng);
      const lambdas = lagrangeAtZero(S);
      expect(S.reduce((acc, i, k) => add(acc, mul(lambdas[k], evaluatePolynomial(f, i))), 0n)).toBe(f[0]);
    }
  });
});
