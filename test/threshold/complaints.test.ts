/**
 * Bad shares and complaints (§T.4–T.6.2, docs/security.md §E2): a dealer who sends one recipient a share
 * inconsistent with her commitments (or one that does not even authenticate) is accused by a
 * complaint that anyone can check, and disqualified; a false complaint against an honest dealer is
 * refused and harms nobody. The ceremony goes on without the cheater when t others remain, and fails
 * with a clear reason when they do not.
 */
import { describe, expect, it } from 'vitest';
import {
  G,
  IDENTITY,
  add,
  buildMessage,
  complaintContext,
  decodeTrusteeMessage,
  deriveKeyShare,
  encryptShare,
  evaluateCeremony,
  evaluatePolynomial,
  keyShareContext,
  lagrangeAtZero,
  mul,
  mulSecret,
  openShare,
  proveDleq,
  proveKnowledge,
  randomScalar,
  signTranscript,
  type ComplaintMessage,
  type EncryptedShare,
  type SharesMessage,
} from '../../crypto/index.ts';
import { ceremony, combinations, decryptionMessages, encryptTally, replaceFrom, resign, secretsOf, tallyWith, type CeremonyRun, type Stage } from './support.ts';

/** Dealer `msg.index` re-deals to `to` an encryption of `value` (default f(to) + 1) and re-signs. */
async function withBadShare(stage: Stage, msg: SharesMessage, to: number, entry?: (good: EncryptedShare) => EncryptedShare): Promise<SharesMessage> {
  const f = stage.polynomials.get(msg.index)!;
  const shares: EncryptedShare[] = [];
  for (const s of msg.shares) {
    if (s.to !== to) shares.push(s);
    else if (entry) shares.push(entry(s));
    else shares.push(await encryptShare(stage.h, msg.index, to, add(evaluatePolynomial(f, to), 1n), stage.identities[to - 1].encryptionKey, stage.rng));
  }
  return resign(stage, msg, { shares });
}

/** The key shares of the qualified trustees decrypt a tally correctly from every t-subset. */
async function decryptsCorrectly(run: CeremonyRun): Promise<void> {
  const tally = encryptTally(run.outcome.jointKey!, [[1, 0], [1, 1], [0, 1], [1, 1]], run.rng);
  const messages = decryptionMessages(run, tally);
  expect([...messages.keys()].sort((a, b) => a - b)).toEqual(run.outcome.qualified);
  for (const S of combinations(run.outcome.qualified, run.params.t)) {
    expect(tallyWith(run, tally, S.map((j) => messages.get(j)!)).result, `subset ${S}`).toEqual(tally.sums);
  }
}

/** The joint key over the qualified set, from the reveals: Σ_{i ∈ QUAL} A_i0. */
function jointKeyOver(run: CeremonyRun, qualified: readonly number[]) {
  return run.record.reveals.filter((r) => qualified.includes(r.index)).reduce((acc, r) => acc.add(r.commitments[0]), IDENTITY);
}

describe('a dealer who sends one bad share', () => {
  const badDealer = (t: number, n: number, seed: string, dealer: number, victim: number) =>
    ceremony(t, n, seed, { shares: (list, stage) => replaceFrom(list, dealer, (m) => withBadShare(stage, m, victim)) });
  let shared: Promise<CeremonyRun> | undefined;
  /** trustee 2 deals trustee 4 a bad share in a 3-of-5 ceremony (one run, shared by the tests below) */
  const dealer2 = () => (shared ??= badDealer(3, 5, 'bad share 3/5', 2, 4));

  it('is accused by the recipient’s review, the rules accept the complaint, and she is disqualified with the reason', async () => {
    const run = await dealer2();
    expect(run.reviews.get(4)!.map((c) => c.accused)).toEqual([2]);
    for (const j of [1, 2, 3, 5]) expect(run.reviews.get(j)).toEqual([]);
    expect(run.outcome.refused).toEqual([]);
    expect(run.outcome.disqualified).toEqual([{ index: 2, reason: 'dealt a bad share to trustee 4' }]);
    expect(run.outcome.qualified).toEqual([1, 3, 4, 5]);
  });

  it('the ceremony completes with the others, the joint key leaves her out, and their key shares decrypt correctly', async () => {
    const run = await dealer2();
    expect(run.outcome.ok).toBe(true);
    expect(run.outcome.complete).toBe(true);
    expect(run.outcome.signedBy).toEqual([1, 3, 4, 5]);
    expect(run.outcome.jointKey!.equals(jointKeyOver(run, [1, 3, 4, 5]))).toBe(true);
    expect(run.keyShareErrors.size).toBe(0);
    // the disqualified dealer holds no key share and cannot sign a finish that counts
    await expect(deriveKeyShare(secretsOf(run, 2), run.outcome)).rejects.toThrow('trustee 2 is not in the qualified set');
    expect(() => signTranscript(secretsOf(run, 2), run.outcome, run.polynomials.get(2)![0], run.rng)).toThrow();
    // signed by hand, her finish is refused all the same
    const y = randomScalar(run.rng);
    const keyProof = proveKnowledge(y, mulSecret(G, y), keyShareContext(run.h, 2), run.rng);
    const sneaky = buildMessage('finish', run.h, 2, { transcript: run.outcome.transcript, keyProof }, secretsOf(run, 2).signing, run.rng);
    const after = await evaluateCeremony(run.params, { ...run.record, finishes: [...run.record.finishes, sneaky] });
    expect(after.refused).toContainEqual({ kind: 'finish', index: 2, reason: 'trustee 2 is not qualified' });
    await decryptsCorrectly(run);
  });

  it('bad shares to several recipients: each complains, each complaint is accepted', async () => {
    const run = await ceremony(3, 5, 'bad shares to two', {
      shares: (list, stage) => replaceFrom(list, 5, async (m) => withBadShare(stage, await withBadShare(stage, m, 1), 3)),
    });
    expect(run.record.complaints.map((c) => [c.index, c.accused])).toEqual([
      [1, 5],
      [3, 5],
    ]);
    expect(run.outcome.refused).toEqual([]);
    expect(run.outcome.disqualified).toEqual([{ index: 5, reason: 'dealt a bad share to trustee 1' }]);
    expect(run.outcome.complete).toBe(true);
    await decryptsCorrectly(run);
  });

  it('a second complaint about the same share is refused as a duplicate (the first stands)', async () => {
    const run = await ceremony(2, 3, 'duplicate complaint', {
      shares: (list, stage) => replaceFrom(list, 1, (m) => withBadShare(stage, m, 2)),
      complaints: (list) => [...list, ...list],
    });
    expect(run.outcome.refused).toEqual([{ kind: 'complaint', index: 2, reason: 'a second complaint by trustee 2 against trustee 1' }]);
    expect(run.outcome.disqualified).toEqual([{ index: 1, reason: 'dealt a bad share to trustee 2' }]);
  });

  it('when fewer than t trustees remain the ceremony fails, saying how many qualified and how many are needed', async () => {
    const run = await badDealer(3, 3, 'bad share 3/3', 3, 1);
    expect(run.outcome.disqualified).toEqual([{ index: 3, reason: 'dealt a bad share to trustee 1' }]);
    expect(run.outcome.ok).toBe(false);
    expect(run.outcome.failure).toBe('only 2 trustees qualified; 3 are needed');
    expect(run.outcome.jointKey).toBeNull();
    expect(run.outcome.verificationKeys.size).toBe(0);
    expect(run.outcome.transcript.length).toBe(0);
    expect(run.outcome.complete).toBe(false);
    expect(run.keyShares.size).toBe(0);
    await expect(deriveKeyShare(secretsOf(run, 1), run.outcome)).rejects.toThrow('the ceremony failed: only 2 trustees qualified; 3 are needed');
    expect(() => signTranscript(secretsOf(run, 1), run.outcome, 1n, run.rng)).toThrow('the ceremony failed');
  });

  it('two cheating dealers in a 2-of-3 ceremony leave one trustee: failure', async () => {
    const run = await ceremony(2, 3, 'two cheaters 2/3', {
      shares: async (list, stage) => replaceFrom(await replaceFrom(list, 1, (m) => withBadShare(stage, m, 3)), 2, (m) => withBadShare(stage, m, 3)),
    });
    expect(run.outcome.disqualified.map((d) => d.index)).toEqual([1, 2]);
    expect(run.outcome.ok).toBe(false);
    expect(run.outcome.failure).toBe('only 1 trustees qualified; 2 are needed');
  });
});

describe('a share that does not authenticate', () => {
  for (const [label, mangle] of [
    ['garbage ciphertext', (s: EncryptedShare, stage: Stage) => ({ ...s, ciphertext: stage.rng(48) })],
    ['one flipped ciphertext bit', (s: EncryptedShare) => ({ ...s, ciphertext: s.ciphertext.map((b, k) => (k === 5 ? b ^ 1 : b)) })],
    ['another nonce', (s: EncryptedShare, stage: Stage) => ({ ...s, nonce: stage.rng(12) })],
  ] as const) {
    it(`(${label}) leads to a valid complaint and disqualification`, async () => {
      const run = await ceremony(2, 3, `unauthenticated ${label}`, {
        shares: (list, stage) => replaceFrom(list, 3, (m) => withBadShare(stage, m, 2, (s) => mangle(s, stage))),
      });
      const [complaint] = run.reviews.get(2)!;
      expect(complaint.accused).toBe(3);
      // anyone can check the complaint: the revealed key does not open the share
      const entry = run.record.shares.find((m) => m.index === 3)!.shares.find((s) => s.to === 2)!;
      expect(await openShare(run.h, 3, entry, complaint.key, run.identities[1].encryptionKey)).toBeNull();
      expect(run.outcome.refused).toEqual([]);
      expect(run.outcome.disqualified).toEqual([{ index: 3, reason: 'dealt a bad share to trustee 2' }]);
      expect(run.outcome.complete).toBe(true);
      await decryptsCorrectly(run);
    });
  }
});

describe('the ephemeral key of a share (T.4.5)', () => {
  it('an entry whose E was changed (its proof of knowledge of e no longer holds) gets the shares message refused: the dealer is out, and nobody had to complain', async () => {
    const run = await ceremony(2, 3, 'changed ephemeral key', {
      shares: (list, stage) => replaceFrom(list, 3, (m) => withBadShare(stage, m, 2, (s) => ({ ...s, E: s.E.add(G) }))),
    });
    expect(run.outcome.refused).toEqual([{ kind: 'shares', index: 3, reason: 'bad proof of knowledge of the ephemeral key of the share to trustee 2' }]);
    expect(run.outcome.disqualified).toEqual([{ index: 3, reason: 'no accepted shares' }]);
    expect(run.record.complaints).toEqual([]);
    expect(run.outcome.complete).toBe(true);
    await decryptsCorrectly(run);
  });

  it('an ephemeral-key proof made for another recipient is refused', async () => {
    const run = await ceremony(2, 3, 'ephemeral proof for another recipient', {
      shares: (list, stage) => replaceFrom(list, 1, (m) => resign(stage, m, { shares: [{ ...m.shares[0], proof: m.shares[1].proof }, m.shares[1]] })),
    });
    expect(run.outcome.refused).toEqual([{ kind: 'shares', index: 1, reason: 'bad proof of knowledge of the ephemeral key of the share to trustee 2' }]);
    expect(run.outcome.disqualified).toEqual([{ index: 1, reason: 'no accepted shares' }]);
  });
});

describe('a false complaint against an honest dealer', () => {
  /** Trustee 3 (malicious) adds a complaint she builds herself about honest trustee 1's share to her. */
  const run = (seed: string, build: (stage: Stage, entry: EncryptedShare) => ComplaintMessage) => {
    let board: SharesMessage[] = [];
    return ceremony(2, 3, seed, {
      shares: (list) => (board = list),
      complaints: (list, stage) => [...list, build(stage, board.find((m) => m.index === 1)!.shares.find((s) => s.to === 3)!)],
    });
  };

  it('revealing the true DH key with a valid proof is refused as a false complaint; the dealer stays qualified', async () => {
    const r = await run('false complaint, true key', (stage, entry) => {
      const me = secretsOf(stage, 3);
      const K = mulSecret(entry.E, me.encryption.secret);
      const proof = proveDleq({ B1: G, X1: me.encryption.publicKey, B2: entry.E, X2: K }, me.encryption.secret, complaintContext(stage.h, 3, 1), stage.rng);
      return buildMessage('complaint', stage.h, 3, { accused: 1, key: K, proof }, me.signing, stage.rng);
    });
    expect(r.outcome.refused).toEqual([{ kind: 'complaint', index: 3, reason: 'the share from trustee 1 is correct: false complaint' }]);
    expect(r.outcome.disqualified).toEqual([]);
    expect(r.outcome.qualified).toEqual([1, 2, 3]);
    expect(r.outcome.complete).toBe(true);
  });

  it('revealing a wrong key (whose share does not open) with a proof that cannot hold is refused; the dealer stays qualified', async () => {
    const r = await run('false complaint, wrong key', (stage, entry) => {
      const me = secretsOf(stage, 3);
      const K = mulSecret(G, randomScalar(stage.rng)); // not x·E: the share will not authenticate under it
      const proof = proveDleq({ B1: G, X1: me.encryption.publicKey, B2: entry.E, X2: K }, me.encryption.secret, complaintContext(stage.h, 3, 1), stage.rng);
      return buildMessage('complaint', stage.h, 3, { accused: 1, key: K, proof }, me.signing, stage.rng);
    });
    expect(r.outcome.refused).toEqual([{ kind: 'complaint', index: 3, reason: 'bad proof that the revealed key opens the share' }]);
    expect(r.outcome.disqualified).toEqual([]);
    expect(r.outcome.complete).toBe(true);
  });

  it('a wrong key with the proof of the true key, or a proof for another accused, is refused', async () => {
    const r = await run('false complaint, borrowed proof', (stage, entry) => {
      const me = secretsOf(stage, 3);
      const K = mulSecret(entry.E, me.encryption.secret);
      const proof = proveDleq({ B1: G, X1: me.encryption.publicKey, B2: entry.E, X2: K }, me.encryption.secret, complaintContext(stage.h, 3, 2), stage.rng);
      return buildMessage('complaint', stage.h, 3, { accused: 1, key: K, proof }, me.signing, stage.rng);
    });
    expect(r.outcome.refused).toEqual([{ kind: 'complaint', index: 3, reason: 'bad proof that the revealed key opens the share' }]);
    expect(r.outcome.disqualified).toEqual([]);
    const r2 = await run('false complaint, wrong key, true proof', (stage, entry) => {
      const me = secretsOf(stage, 3);
      const K = mulSecret(entry.E, me.encryption.secret);
      const proof = proveDleq({ B1: G, X1: me.encryption.publicKey, B2: entry.E, X2: K }, me.encryption.secret, complaintContext(stage.h, 3, 1), stage.rng);
      return buildMessage('complaint', stage.h, 3, { accused: 1, key: K.add(G), proof }, me.signing, stage.rng);
    });
    expect(r2.outcome.refused).toEqual([{ kind: 'complaint', index: 3, reason: 'bad proof that the revealed key opens the share' }]);
    expect(r2.outcome.disqualified).toEqual([]);
  });

  it('a complaint in another trustee’s name (signed with the attacker’s key) is refused: bad signature', async () => {
    const r = await run('complaint in another name', (stage, entry) => {
      const me = secretsOf(stage, 3);
      const K = mulSecret(G, randomScalar(stage.rng));
      const proof = proveDleq({ B1: G, X1: me.encryption.publicKey, B2: entry.E, X2: K }, me.encryption.secret, complaintContext(stage.h, 2, 1), stage.rng);
      return buildMessage('complaint', stage.h, 2, { accused: 1, key: K, proof }, me.signing, stage.rng);
    });
    expect(r.outcome.refused).toEqual([{ kind: 'complaint', index: 2, reason: 'bad signature' }]);
    expect(r.outcome.disqualified).toEqual([]);
  });

  it('a complaint from another ceremony is refused', async () => {
    const r = await run('complaint from elsewhere', (stage, entry) => {
      const me = secretsOf(stage, 3);
      const other = stage.rng(32);
      const K = mulSecret(entry.E, me.encryption.secret);
      const proof = proveDleq({ B1: G, X1: me.encryption.publicKey, B2: entry.E, X2: K }, me.encryption.secret, complaintContext(other, 3, 1), stage.rng);
      return buildMessage('complaint', other, 3, { accused: 1, key: K, proof }, me.signing, stage.rng);
    });
    expect(r.outcome.refused).toEqual([{ kind: 'complaint', index: 3, reason: 'belongs to another ceremony' }]);
    expect(r.outcome.disqualified).toEqual([]);
  });
});

/**
 * What a trustee's own client does with what it is shown. These go beyond the public rules: they ask
 * that an honest trustee's reviewShares / deriveKeyShare act on the messages the rules accept, and
 * that a complaint reveals only the share it is about (trustee.ts, channel.ts: "enough for anyone to
 * open that one share, nothing more").
 */
describe('an honest trustee’s review is not fooled by other messages on the board', () => {
  it('a refused decoy reveal posted before the real one does not hide a bad share from the victim', async () => {
    // trustee 2 posts a decoy reveal (refused by the rules: it does not match her commit) whose
    // commitments fit the bad share she deals to trustee 3, then her real reveal.
    let decoyCoefficients: bigint[] = [];
    const run = await ceremony(2, 3, 'decoy reveal', {
      reveals: (round, stage) => {
        const real = round.reveals.find((r) => r.index === 2)!;
        decoyCoefficients = [add(stage.polynomials.get(2)![0], 1n), ...stage.polynomials.get(2)!.slice(1)];
        const commitments = decoyCoefficients.map((a) => mulSecret(G, a));
        const decoy = buildMessage('reveal', stage.h, 2, { commitments, proofs: real.proofs }, secretsOf(stage, 2).signing, stage.rng);
        return { commits: round.commits, reveals: [decoy, ...round.reveals] };
      },
      shares: (list, stage) =>
        replaceFrom(list, 2, async (m) => {
          const entries: EncryptedShare[] = [];
          for (const s of m.shares)
            entries.push(s.to === 3 ? await encryptShare(stage.h, 2, 3, evaluatePolynomial(decoyCoefficients, 3), stage.identities[2].encryptionKey, stage.rng) : s);
          return resign(stage, m, { shares: entries });
        }),
    });
    expect(run.outcome.refused).toContainEqual({ kind: 'reveal', index: 2, reason: 'does not match the committed hash' });
    // the share trustee 3 got is inconsistent with the reveal the rules accept: she must complain
    expect(run.reviews.get(3)!.map((c) => c.accused)).toEqual([2]);
    expect(run.outcome.disqualified).toEqual([{ index: 2, reason: 'dealt a bad share to trustee 3' }]);
    expect(run.keyShareErrors.size).toBe(0);
  });

  it('a forged shares message in the dealer’s name (signed by another trustee, refused by the rules) reusing the real ephemeral keys does not make the recipients publish the keys to their real shares', async () => {
    // trustee 3 (or the server) posts, before trustee 1's real shares, a shares message in trustee
    // 1's name with trustee 1's real ephemeral keys (and proofs) and garbage ciphertexts.
    let real: SharesMessage | undefined;
    const run = await ceremony(2, 3, 'forged shares, real E', {
      shares: (list, stage) => {
        real = list.find((m) => m.index === 1)!;
        const forged = buildMessage('shares', stage.h, 1, { shares: real.shares.map((s) => ({ ...s, ciphertext: stage.rng(48) })) }, secretsOf(stage, 3).signing, stage.rng);
        return [forged, ...list];
      },
    });
    expect(run.outcome.refused).toEqual([{ kind: 'shares', index: 1, reason: 'bad signature' }]);
    for (const j of [2, 3]) {
      const entry = real!.shares.find((s) => s.to === j)!;
      for (const c of run.reviews.get(j)!) {
        const opened = await openShare(run.h, 1, entry, c.key, run.identities[j - 1].encryptionKey);
        expect(opened, `trustee ${j}'s complaint opens trustee 1's real share to her`).toBeNull();
      }
    }
    expect(run.keyShareErrors).toEqual(new Map());
    expect(run.outcome.complete).toBe(true);
  });

  it('a refused decoy shares message posted before the accepted one does not stop the recipient deriving her key share', async () => {
    // trustee 2 first posts shares that skip trustee 3 (refused: wrong recipients) with a bad share for
    // trustee 1, then her honest shares (accepted).
    const run = await ceremony(2, 3, 'decoy shares', {
      shares: async (list, stage) => {
        const honest = list.find((m) => m.index === 2)!;
        const bad = await withBadShare(stage, honest, 1);
        const decoy = resign(stage, bad, { shares: bad.shares.filter((s) => s.to !== 3) });
        return [decoy, ...list];
      },
    });
    expect(run.outcome.refused).toEqual([{ kind: 'shares', index: 2, reason: 'shares go to [1], expected [1,3]' }]);
    expect(run.outcome.qualified).toEqual([1, 2, 3]);
    expect(run.keyShareErrors).toEqual(new Map());
    expect(run.outcome.complete).toBe(true);
  });
});

describe('a complaint reveals the one share it is about, nothing more', () => {
  /**
   * Dealer 1 gives each recipient `to` that `pick` names the ephemeral key E of another dealer's share
   * to `to`, shifted by offset·G, with that share's proof of knowledge of e (the best she can do: she
   * does not know e), and garbage ciphertext. If `to` complained, her complaint's key K would give
   * K − offset·P_to, the DH key of the other dealer's share.
   */
  const copyingDealer = (t: number, n: number, seed: string, pick: (list: SharesMessage[], to: number) => { dealer: number; offset: bigint } | null) => {
    const picks = new Map<number, { dealer: number; offset: bigint }>();
    return ceremony(t, n, seed, {
      shares: (list, stage) =>
        replaceFrom(list, 1, (m) =>
          resign(stage, m, {
            shares: m.shares.map((s) => {
              const p = pick(list, s.to);
              if (!p) return s;
              picks.set(s.to, p);
              const theirs = list.find((x) => x.index === p.dealer)!.shares.find((x) => x.to === s.to)!;
              return { ...s, E: p.offset === 0n ? theirs.E : theirs.E.add(mulSecret(G, p.offset)), proof: theirs.proof, ciphertext: stage.rng(48) };
            }),
          }),
        ),
    }).then((run) => ({ run, picks }));
  };
  const entry = (run: CeremonyRun, dealer: number, to: number) => run.record.shares.find((m) => m.index === dealer)!.shares.find((s) => s.to === to)!;

  /** Every share of `dealer` to `to` that some complaint by `to` on the record opens (after the shift). */
  async function leakedBy(run: CeremonyRun, dealer: number, to: number, offset: bigint): Promise<bigint[]> {
    const P = run.identities[to - 1].encryptionKey;
    const out: bigint[] = [];
    for (const c of run.record.complaints.filter((c) => c.index === to)) {
      const K = offset === 0n ? c.key : c.key.subtract(mulSecret(P, offset));
      const v = await openShare(run.h, dealer, entry(run, dealer, to), K, P);
      if (v !== null) out.push(v);
    }
    return out;
  }

  for (const [label, offset] of [
    ['copied verbatim', 0n],
    ['re-randomised as E + r·G', 12345n],
  ] as const) {
    it(`a dealer who reuses another dealer’s ephemeral key (${label}) cannot make the victim publish the key to that other dealer’s share`, async () => {
      // dealer 1 takes E from trustee 3's share to trustee 2
      const { run } = await copyingDealer(2, 3, `copied E ${label}`, (_list, to) => (to === 2 ? { dealer: 3, offset } : null));
      expect(run.outcome.qualified).not.toContain(1);
      expect(run.outcome.complete).toBe(true);
      expect(await leakedBy(run, 3, 2, offset), 'trustee 3’s share to trustee 2 opened from a complaint about trustee 1').toEqual([]);
    });
  }

  it('t − 1 colluding trustees cannot learn the joint secret key by copying honest dealers’ ephemeral keys', async () => {
    // 3-of-5; trustees 1 and 2 collude (t − 1 = 2). Dealer 1 copies, for each honest recipient, the
    // ephemeral key of another honest dealer's share to that recipient; trustee 2 behaves.
    const target = new Map([
      [3, 4], // recipient 3 is to reveal dealer 4's share to her
      [4, 5],
      [5, 3],
    ]);
    const { run } = await copyingDealer(3, 5, 'collusion', (_list, to) => (target.has(to) ? { dealer: target.get(to)!, offset: 0n } : null));
    expect(run.outcome.qualified).toEqual([2, 3, 4, 5]);
    expect(run.outcome.complete).toBe(true);
    // what the coalition knows: its own polynomials, the shares dealt to 1 and 2, and the board
    let x = run.polynomials.get(2)![0];
    for (const k of [3, 4, 5]) {
      const points: [number, bigint][] = [];
      for (const j of [1, 2]) {
        const s = secretsOf(run, j);
        const e = entry(run, k, j);
        points.push([j, (await openShare(run.h, k, e, mulSecret(e.E, s.encryption.secret), s.encryption.publicKey))!]);
      }
      for (const [to, dealer] of target) if (dealer === k) for (const v of await leakedBy(run, k, to, 0n)) points.push([to, v]);
      if (points.length < run.params.t) continue; // f_k stays hidden: two points of a degree-2 polynomial
      const lambdas = lagrangeAtZero(points.map((p) => p[0]));
      x = add(x, points.reduce((acc, [, v], i) => add(acc, mul(lambdas[i], v)), 0n));
    }
    expect(mulSecret(G, x).equals(run.outcome.jointKey!), 'the coalition reconstructed the joint secret key').toBe(false);
  });
});

describe('complaint messages survive the wire', () => {
  it('a complaint round-trips and still checks after decoding', async () => {
    const run = await ceremony(2, 3, 'complaint wire', { shares: (list, stage) => replaceFrom(list, 1, (m) => withBadShare(stage, m, 3)) });
    const [c] = run.record.complaints;
    const d = decodeTrusteeMessage(c.bytes) as ComplaintMessage;
    expect(d.kind).toBe('complaint');
    expect(d.accused).toBe(1);
    expect(d.bytes).toEqual(c.bytes);
    const again = await evaluateCeremony(run.params, { ...run.record, complaints: [d] });
    expect(again.disqualified).toEqual([{ index: 1, reason: 'dealt a bad share to trustee 3' }]);
  });
});
