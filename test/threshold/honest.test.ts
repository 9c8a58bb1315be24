/**
 * Honest t-of-n ceremonies (§T): the ceremony completes, the joint key is the interpolated secret,
 * every t-subset of trustees decrypts a homomorphic tally to the right totals, and no (t−1)-subset
 * can — neither through decryptTally nor by interpolating its shares anyway.
 */
import { describe, expect, it } from 'vitest';
import { G, IDENTITY, add, bytesEqual, combineDecryptionShares, evaluateCeremony, lagrangeAtZero, msm, mulSecret, seededRandom } from '../../crypto/index.ts';
import { ceremony, combinations, decryptionMessages, encryptTally, interpolateSecret, plainPoint, tallyWith } from './support.ts';

const SIZES: [number, number][] = [
  [1, 1],
  [2, 3],
  [3, 5],
  [4, 7],
];

describe.each(SIZES)('an honest %i-of-%i ceremony', (t, n) => {
  const indices = Array.from({ length: n }, (_, k) => k + 1);
  const setup = (async () => {
    const run = await ceremony(t, n, `honest ${t}/${n}`);
    const rng = seededRandom(`honest votes ${t}/${n}`);
    // 9 voters, 3 positions: values 0..2
    const ballots = Array.from({ length: 9 }, (_, v) => [v % 2, (v * 7) % 3, v === 4 ? 1 : 0]);
    const tally = encryptTally(run.outcome.jointKey!, ballots, rng);
    const messages = decryptionMessages(run, tally);
    return { run, tally, messages };
  })();

  it('completes: every trustee qualifies, no message is refused, nobody complains, every qualified trustee signs', async () => {
    const { run } = await setup;
    expect(run.preliminary.ok).toBe(true);
    expect(run.outcome.ok).toBe(true);
    expect(run.outcome.failure).toBeNull();
    expect(run.outcome.qualified).toEqual(indices);
    expect(run.outcome.disqualified).toEqual([]);
    expect(run.outcome.refused).toEqual([]);
    expect(run.record.complaints).toEqual([]);
    expect(run.outcome.signedBy).toEqual(indices);
    expect(run.outcome.complete).toBe(true);
    expect(run.keyShareErrors.size).toBe(0);
    // finishes do not change the transcript: it is the one every trustee signed
    expect(bytesEqual(run.outcome.transcript, run.preliminary.transcript)).toBe(true);
    for (const f of run.record.finishes) expect(bytesEqual(f.transcript, run.outcome.transcript)).toBe(true);
  });

  it('the joint key is the sum of the trustees’ A_i0 and is (Σ λ_j·x_j)·G for every t-subset of key shares', async () => {
    const { run } = await setup;
    const Y = run.outcome.jointKey!;
    expect(Y.is0()).toBe(false);
    expect(Y.equals(run.record.reveals.reduce((acc, r) => acc.add(r.commitments[0]), IDENTITY))).toBe(true);
    // the dealt secrets, from the polynomials the support kept: x = Σ a_i0
    const x = [...run.polynomials.values()].reduce((acc, f) => add(acc, f[0]), 0n);
    expect(mulSecret(G, x).equals(Y)).toBe(true);
    for (const S of combinations(indices, t)) {
      expect(interpolateSecret(run.keyShares, S)).toBe(x);
    }
  });

  it('each verification key Y_j on the record is x_j·G for the key share x_j the trustee derived', async () => {
    const { run } = await setup;
    expect([...run.keyShares.keys()].sort((a, b) => a - b)).toEqual(indices);
    for (const [j, x] of run.keyShares) expect(mulSecret(G, x).equals(run.outcome.verificationKeys.get(j)!)).toBe(true);
  });

  it(`every ${t}-subset of trustees decrypts the tally to the same correct totals (all ${combinations(indices, t).length})`, async () => {
    const { run, tally, messages } = await setup;
    for (const S of combinations(indices, t)) {
      const r = tallyWith(run, tally, S.map((j) => messages.get(j)!));
      expect(r.failure, `subset ${S}`).toBeNull();
      expect(r.refused).toEqual([]);
      expect(r.used).toEqual(S);
      expect(r.result, `subset ${S}`).toEqual(tally.sums);
    }
    // and all n together give the same
    expect(tallyWith(run, tally, [...messages.values()]).result).toEqual(tally.sums);
  });

  it(`no ${t - 1}-subset can decrypt: decryptTally refuses, and interpolating the shares anyway misses the plaintext`, async () => {
    const { run, tally, messages } = await setup;
    for (const S of combinations(indices, t - 1)) {
      const r = tallyWith(run, tally, S.map((j) => messages.get(j)!));
      expect(r.result).toBeNull();
      expect(r.failure).toBe(`${t - 1} valid decryption shares, ${t} needed`);
      expect(() =>
        combineDecryptionShares(
          tally.ciphertexts,
          S.map((j) => ({ index: j, M: messages.get(j)!.shares.map((s) => s.M) })),
          t,
        ),
      ).toThrow(`${t - 1} decryption shares, ${t} needed`);
      // not just a guard: the Lagrange combination of t−1 honest shares is not the plaintext point
      tally.ciphertexts.forEach((c, pos) => {
        const guess = S.length === 0 ? c.beta : c.beta.subtract(msm(S.map((j) => messages.get(j)!.shares[pos].M), lagrangeAtZero(S)));
        expect(guess.equals(plainPoint(tally.sums[pos])), `subset ${S} position ${pos}`).toBe(false);
      });
    }
  });

  it('the rules are deterministic: evaluating the record again gives the same outcome', async () => {
    const { run } = await setup;
    const again = await evaluateCeremony(run.params, run.record);
    expect(bytesEqual(again.transcript, run.outcome.transcript)).toBe(true);
    expect(again.jointKey!.equals(run.outcome.jointKey!)).toBe(true);
    expect(again.signedBy).toEqual(run.outcome.signedBy);
  });
});
