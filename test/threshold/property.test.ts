/**
 * Property (fast-check): for random t ≤ n ≤ 7, an honest ceremony's key shares decrypt a random tally
 * to the plaintext sums from any set of at least t trustees, and refuse with fewer.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ceremony, decryptionMessages, encryptTally, tallyWith } from './support.ts';

const scenario = fc
  .integer({ min: 1, max: 7 })
  .chain((n) => fc.integer({ min: 1, max: n }).map((t) => ({ n, t })))
  .chain(({ n, t }) =>
    fc.record({
      n: fc.constant(n),
      t: fc.constant(t),
      subset: fc.shuffledSubarray(
        Array.from({ length: n }, (_, k) => k + 1),
        { minLength: t },
      ),
      short: fc.shuffledSubarray(
        Array.from({ length: n }, (_, k) => k + 1),
        { maxLength: t - 1 },
      ),
      ballots: fc.array(fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 2, maxLength: 2 }), { minLength: 1, maxLength: 6 }),
      seed: fc.string({ minLength: 1, maxLength: 8 }),
    }),
  );

describe('threshold decryption (property)', () => {
  it('for random t ≤ n ≤ 7, any ≥ t trustees decrypt the tally to the plaintext sums, and fewer than t cannot', async () => {
    await fc.assert(
      fc.asyncProperty(scenario, async ({ n, t, subset, short, ballots, seed }) => {
        const run = await ceremony(t, n, `property ${t}/${n} ${seed}`);
        expect(run.outcome.complete).toBe(true);
        const tally = encryptTally(run.outcome.jointKey!, ballots, run.rng);
        const messages = decryptionMessages(run, tally);
        const r = tallyWith(run, tally, subset.map((j) => messages.get(j)!), 20);
        expect(r.refused).toEqual([]);
        expect(r.result).toEqual(tally.sums);
        const s = tallyWith(run, tally, short.map((j) => messages.get(j)!), 20);
        expect(s.result).toBeNull();
        expect(s.failure).toBe(`${short.length} valid decryption shares, ${t} needed`);
      }),
      { numRuns: 8, seed: Number(process.env.FC_SEED ?? 0x6f6e67) },
    );
  });
});
