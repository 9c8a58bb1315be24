/**
 * The trustees' key contributions (§T.3, docs/security.md §E1): commit-then-reveal, a proof of knowledge of
 * every coefficient bound to the ceremony, the trustee's index, the coefficient's position and all
 * the commitments; no rogue key; the joint key is Σ A_i0 over the qualified set and never the
 * identity; index 0 never takes part (it would receive f(0), the secret).
 */
import { describe, expect, it } from 'vitest';
import {
  G,
  add,
  buildMessage,
  ceremonyHash,
  coefficientContext,
  commitPolynomial,
  dealShares,
  decodeTrusteeMessage,
  DecodeError,
  encryptionKeyContext,
  mulSecret,
  openShare,
  proveKnowledge,
  randomScalar,
  startTranscript,
  sub,
  verifyKnowledge,
  type CommitMessage,
  type Point,
  type ProofContext,
  type RevealMessage,
  type SchnorrProof,
} from '../../crypto/index.ts';
import { ceremony, publishReveal, recommit, secretsOf, setupTrustees, type CeremonyRun, type Stage } from './support.ts';

type Round = { commits: CommitMessage[]; reveals: RevealMessage[] };

/** Replaces trustee `index`'s commit and reveal in the round. */
function swap(round: Round, index: number, next: { commit: CommitMessage; reveal: RevealMessage }): Round {
  return {
    commits: round.commits.map((c) => (c.index === index ? next.commit : c)),
    reveals: round.reveals.map((r) => (r.index === index ? next.reveal : r)),
  };
}

/** Trustee `index` reveals her real commitments with proofs made by `prove(k, a_k, commitments)`. */
function revealWithProofs(stage: Stage, index: number, prove: (k: number, a: bigint, commitments: readonly Point[]) => SchnorrProof) {
  const f = stage.polynomials.get(index)!;
  const commitments = commitPolynomial(f);
  return publishReveal(stage, index, commitments, f.map((a, k) => prove(k, a, commitments)));
}

/** The ceremony went on without trustee `index`, for the reason given, and completed. */
function excluded(run: CeremonyRun, index: number, refusal: string | ReturnType<typeof expect.stringMatching>) {
  expect(run.outcome.refused).toContainEqual({ kind: 'reveal', index, reason: refusal });
  expect(run.outcome.refused).toContainEqual({ kind: 'shares', index, reason: 'no accepted reveal before these shares' });
  expect(run.outcome.disqualified).toEqual([{ index, reason: 'no accepted reveal' }]);
  expect(run.outcome.qualified).not.toContain(index);
  expect(run.outcome.ok).toBe(true);
  expect(run.outcome.complete).toBe(true);
  const others = run.record.reveals.filter((r) => r.index !== index && run.outcome.qualified.includes(r.index));
  expect(run.outcome.jointKey!.equals(others.reduce((acc, r) => acc.add(r.commitments[0]), G.subtract(G)))).toBe(true);
}

describe('commit then reveal', () => {
  it('a reveal that differs from the committed hash is refused and its trustee disqualified', async () => {
    // trustee 3 commits, then (having seen the others) reveals another polynomial, correctly proven and signed
    const run = await ceremony(2, 3, 'reveal ≠ commit', {
      reveals: (round, stage) => {
        const { reveal } = recommit(stage, 3, [randomScalar(stage.rng), randomScalar(stage.rng)]);
        return swap(round, 3, { commit: round.commits[2], reveal });
      },
    });
    excluded(run, 3, 'does not match the committed hash');
  });

  it('a reveal without a commit is refused', async () => {
    const run = await ceremony(2, 3, 'reveal without commit', { reveals: (round) => ({ commits: round.commits.filter((c) => c.index !== 2), reveals: round.reveals }) });
    expect(run.outcome.refused).toContainEqual({ kind: 'reveal', index: 2, reason: 'no commit before this reveal' });
    expect(run.outcome.disqualified).toEqual([{ index: 2, reason: 'no commit' }]);
    expect(run.outcome.complete).toBe(true);
  });

  it('a commit signed by another trustee is refused', async () => {
    const run = await ceremony(2, 3, 'commit with foreign signature', {
      reveals: (round, stage) => ({
        commits: round.commits.map((c) => (c.index === 2 ? buildMessage('commit', stage.h, 2, { hash: c.hash }, secretsOf(stage, 1).signing, stage.rng) : c)),
        reveals: round.reveals,
      }),
    });
    expect(run.outcome.refused).toContainEqual({ kind: 'commit', index: 2, reason: 'bad signature' });
    expect(run.outcome.disqualified).toEqual([{ index: 2, reason: 'no commit' }]);
  });
});

describe('proofs of knowledge of the coefficients', () => {
  it('a reveal with a missing coefficient (t − 1 commitments and proofs) is refused', async () => {
    const run = await ceremony(3, 5, 'missing coefficient', {
      reveals: (round, stage) => {
        const r = round.reveals[3];
        return swap(round, 4, publishReveal(stage, 4, r.commitments.slice(0, 2), r.proofs.slice(0, 2)));
      },
    });
    excluded(run, 4, 'has 2 commitments and 2 proofs, t = 3');
  });

  it('a reveal with an extra coefficient (t + 1) is refused', async () => {
    const run = await ceremony(2, 3, 'extra coefficient', {
      reveals: (round, stage) => swap(round, 1, recommit(stage, 1, [randomScalar(stage.rng), randomScalar(stage.rng), randomScalar(stage.rng)])),
    });
    excluded(run, 1, 'has 3 commitments and 3 proofs, t = 2');
  });

  it('a reveal with fewer proofs than commitments does not decode, and the rules refuse it rather than crash', async () => {
    let short: RevealMessage | undefined;
    const runP = ceremony(3, 5, 'missing proof', {
      reveals: (round, st) => {
        const r = round.reveals[1];
        const next = publishReveal(st, 2, r.commitments, r.proofs.slice(0, 2));
        short = next.reveal;
        return swap(round, 2, next);
      },
    });
    let run: CeremonyRun | undefined;
    let crash: unknown;
    try {
      run = await runP;
    } catch (e) {
      crash = e;
    }
    expect(() => decodeTrusteeMessage(short!.bytes)).toThrow(DecodeError);
    expect(crash, 'evaluateCeremony threw instead of refusing').toBeUndefined();
    excluded(run!, 2, expect.stringMatching(/proof|t = 3/));
  });

  it('a proof copied from another trustee (her whole reveal under my index) is refused', async () => {
    const run = await ceremony(2, 3, 'copied proofs', {
      reveals: (round, stage) => {
        const theirs = round.reveals.find((r) => r.index === 2)!;
        return swap(round, 3, publishReveal(stage, 3, theirs.commitments, theirs.proofs));
      },
    });
    excluded(run, 3, 'bad proof of knowledge for coefficient 0');
  });

  it('another trustee’s A_0 with her proof, next to my own other coefficients, is refused', async () => {
    const run = await ceremony(2, 3, 'copied A0', {
      reveals: (round, stage) => {
        const theirs = round.reveals.find((r) => r.index === 1)!;
        const mine = round.reveals.find((r) => r.index === 3)!;
        const commitments = [theirs.commitments[0], ...mine.commitments.slice(1)];
        const f = stage.polynomials.get(3)!;
        const proofs = [theirs.proofs[0], ...f.slice(1).map((a, k) => proveKnowledge(a, commitments[k + 1], coefficientContext(stage.h, 3, k + 1, commitments), stage.rng))];
        return swap(round, 3, publishReveal(stage, 3, commitments, proofs));
      },
    });
    excluded(run, 3, 'bad proof of knowledge for coefficient 0');
  });

  const badContexts: [string, (stage: Stage, k: number, commitments: readonly Point[]) => ProofContext, number][] = [
    ['another election', (stage, k, A) => coefficientContext(ceremonyHash({ ...stage.params, election: new Uint8Array(32).fill(7) }), 2, k, A), 0],
    ['another threshold t', (stage, k, A) => coefficientContext(ceremonyHash({ ...stage.params, t: stage.params.t - 1 }), 2, k, A), 0],
    ['the wrong index', (stage, k, A) => coefficientContext(stage.h, 3, k, A), 0],
    ['the wrong k (shifted)', (stage, k, A) => coefficientContext(stage.h, 2, (k + 1) % A.length, A), 0],
    ['the wrong k for the last coefficient only', (stage, k, A) => coefficientContext(stage.h, 2, k === A.length - 1 ? 0 : k, A), 1],
    ['other commitments in the binding', (stage, k, A) => coefficientContext(stage.h, 2, k, [A[0].add(G), ...A.slice(1)]), 0],
    ['the encryption-key context', (stage) => encryptionKeyContext(stage.h, 2), 0],
  ];
  for (const [label, context, coefficient] of badContexts) {
    it(`a proof made for ${label} is refused, naming coefficient ${coefficient}`, async () => {
      const run = await ceremony(2, 3, `proof for ${label}`, {
        reveals: (round, stage) => swap(round, 2, revealWithProofs(stage, 2, (k, a, A) => proveKnowledge(a, A[k], context(stage, k, A), stage.rng))),
      });
      excluded(run, 2, `bad proof of knowledge for coefficient ${coefficient}`);
    });
  }
});

describe('rogue keys (docs/security.md §E1)', () => {
  /** What a weak verifier would accept: a challenge that leaves out the commitment T. */
  const weakChallenge = (ctx: ProofContext, X: Point) => startTranscript('P1-knowledge', ctx).appendPoint('X', X).challenge();
  const weakVerify = (X: Point, p: SchnorrProof, ctx: ProofContext) => mulSecret(G, p.z).equals(p.T.add(mulSecret(X, weakChallenge(ctx, X))));

  /**
   * Trustee 3, rushing, knows the others' A_j0 and reveals A_30 = x·G − Σ_{j<3} A_j0 so that the
   * joint key would be x·G, whose secret she alone knows. She cannot know log A_30, so she cannot
   * prove it: `proof0` is her best attempt.
   */
  const rogue = (seed: string, proof0: (stage: Stage, A: Point, commitments: readonly Point[], x: bigint) => SchnorrProof) => {
    let x = 0n;
    return ceremony(2, 3, seed, {
      reveals: (round, stage) => {
        x = randomScalar(stage.rng);
        const others = round.reveals.filter((r) => r.index !== 3).reduce((acc, r) => acc.add(r.commitments[0]), G.subtract(G));
        const A0 = mulSecret(G, x).subtract(others);
        const f = stage.polynomials.get(3)!;
        const commitments = [A0, ...commitPolynomial(f.slice(1))];
        const proofs = [proof0(stage, A0, commitments, x), ...f.slice(1).map((a, k) => proveKnowledge(a, commitments[k + 1], coefficientContext(stage.h, 3, k + 1, commitments), stage.rng))];
        return swap(round, 3, publishReveal(stage, 3, commitments, proofs));
      },
    }).then((run) => ({ run, x }));
  };

  it('a rogue A_i0 = x·G − Σ others’ A_j0 with a proof of knowledge of x is refused; the joint key is not x·G', async () => {
    const { run, x } = await rogue('rogue, proof of x', (stage, _A, commitments, x) => proveKnowledge(x, mulSecret(G, x), coefficientContext(stage.h, 3, 0, commitments), stage.rng));
    excluded(run, 3, 'bad proof of knowledge for coefficient 0');
    expect(run.outcome.jointKey!.equals(mulSecret(G, x))).toBe(false);
  });

  it('a rogue A_i0 with a weak-Fiat–Shamir forgery (passes a verifier whose challenge omits T) is refused', async () => {
    let forged: { A: Point; proof: SchnorrProof; ctx: ProofContext } | undefined;
    const { run, x } = await rogue('rogue, weak FS forgery', (stage, A, commitments) => {
      const ctx = coefficientContext(stage.h, 3, 0, commitments);
      const z = randomScalar(stage.rng);
      const T = mulSecret(G, z).subtract(mulSecret(A, weakChallenge(ctx, A)));
      forged = { A, proof: { T, z }, ctx };
      return forged.proof;
    });
    // the attack is real: the forgery passes the weak verifier, and only gongshi's full challenge stops it
    expect(weakVerify(forged!.A, forged!.proof, forged!.ctx)).toBe(true);
    expect(verifyKnowledge(forged!.A, forged!.proof, forged!.ctx)).toBe(false);
    excluded(run, 3, 'bad proof of knowledge for coefficient 0');
    expect(run.outcome.jointKey!.equals(mulSecret(G, x))).toBe(false);
  });

  it('the identity is never the joint key: a ceremony crafted so that Σ A_i0 = 0 fails with that reason', async () => {
    // trustee 3 (who here knows the others' secrets, the worst case) picks a_30 = −Σ_{j≠3} a_j0, with valid proofs
    const run = await ceremony(3, 4, 'identity joint key', {
      reveals: (round, stage) => {
        const others = [1, 2, 4].reduce((acc, j) => add(acc, stage.polynomials.get(j)![0]), 0n);
        const f = stage.polynomials.get(3)!;
        return swap(round, 3, recommit(stage, 3, [sub(0n, others), ...f.slice(1)]));
      },
    });
    expect(run.preliminary.qualified).toEqual([1, 2, 3, 4]);
    expect(run.preliminary.refused).toEqual([]);
    expect(run.outcome.ok).toBe(false);
    expect(run.outcome.failure).toBe('the joint key is the identity');
    expect(run.outcome.jointKey).toBeNull();
    expect(run.outcome.complete).toBe(false);
    expect(run.keyShares.size).toBe(0);
  });

  it('a 1-of-1 ceremony’s key is the trustee’s A_0, and a reveal whose A_0 is the identity does not decode', async () => {
    const run = await ceremony(1, 1, 'one trustee');
    expect(run.outcome.jointKey!.equals(run.record.reveals[0].commitments[0])).toBe(true);
    const bytes = run.record.reveals[0].bytes.slice();
    bytes.fill(0, 2 + 32 + 4 + 4, 2 + 32 + 4 + 4 + 32); // commitments[0] := identity
    expect(() => decodeTrusteeMessage(bytes)).toThrow(/^commitments\[0\]: the identity is not allowed here$/);
  });
});

describe('identities: index 0 never takes part (docs/security.md T-E4c), and a dealer deals only to identities the rules accept', () => {
  /** An identity for index `index`, made and signed by trustee 3 with her own keys. */
  const identityAt = (stage: Stage, index: number) => {
    const s = secretsOf(stage, 3);
    const proof = proveKnowledge(s.encryption.secret, s.encryption.publicKey, encryptionKeyContext(stage.h, index), stage.rng);
    return buildMessage('identity', stage.h, index, { signingKey: s.signing.publicKey, encryptionKey: s.encryption.publicKey, encryptionProof: proof }, s.signing, stage.rng);
  };

  it('dealShares never deals f(0) (the dealer’s secret coefficient) to an identity claiming index 0', async () => {
    const stage = setupTrustees(2, 3, 'deal to index 0');
    const s1 = secretsOf(stage, 1);
    recommit(stage, 1, [randomScalar(stage.rng), randomScalar(stage.rng)]);
    const fake = identityAt(stage, 0);
    let dealt: Awaited<ReturnType<typeof dealShares>> | undefined;
    try {
      dealt = await dealShares(s1, [...stage.identities, fake], stage.rng);
    } catch {
      return; // refusing the list outright is fine
    }
    const entry = dealt.shares.find((s) => s.to === 0);
    const s3 = secretsOf(stage, 3);
    const opened = entry ? await openShare(stage.h, 1, entry, mulSecret(entry.E, s3.encryption.secret), s3.encryption.publicKey) : null;
    expect(opened === stage.polynomials.get(1)![0], 'trustee 3 opened a_10, trustee 1’s secret coefficient').toBe(false);
    expect(dealt.shares.map((s) => s.to)).toEqual([2, 3]);
  });

  it('dealShares deals only to trustees 1 … n (not to an identity above n)', async () => {
    const stage = setupTrustees(2, 3, 'deal above n');
    recommit(stage, 1, [randomScalar(stage.rng), randomScalar(stage.rng)]);
    const dealt = await dealShares(secretsOf(stage, 1), [...stage.identities, identityAt(stage, 4)], stage.rng).catch(() => null);
    if (dealt) expect(dealt.shares.map((s) => s.to)).toEqual([2, 3]);
  });

  it('the rules refuse an identity with index 0 (and do not then expect shares for it)', async () => {
    const run = await ceremony(2, 3, 'identity 0', { identities: (list, stage) => [...list, identityAt(stage, 0)] });
    expect(run.outcome.refused.filter((r) => r.kind === 'identity').map((r) => r.index)).toEqual([0]);
    expect(run.outcome.refused.filter((r) => r.kind !== 'identity')).toEqual([]);
    expect(run.outcome.qualified).toEqual([1, 2, 3]);
  });

  it('the rules refuse an identity above n', async () => {
    const run = await ceremony(2, 3, 'identity 4', {
      identities: (list, stage) => [...list, identityAt(stage, 4)],
      view: (_, r) => ({ ...r, identities: r.identities.filter((id) => id.index <= 3) }),
    });
    expect(run.outcome.refused).toEqual([{ kind: 'identity', index: 4, reason: 'index 4 is not from 1 to n = 3' }]);
    expect(run.outcome.complete).toBe(true);
  });

  it('an identity with a bad proof of knowledge of the encryption key, or one proven for another index, is refused', async () => {
    const run = await ceremony(2, 3, 'identity proofs', {
      identities: (list, stage) =>
        list.map((id) => {
          if (id.index === 1) return buildMessage('identity', stage.h, 1, { ...id, encryptionProof: { ...id.encryptionProof, z: add(id.encryptionProof.z, 1n) } }, secretsOf(stage, 1).signing, stage.rng);
          if (id.index === 2) {
            const s = secretsOf(stage, 2);
            const proof = proveKnowledge(s.encryption.secret, s.encryption.publicKey, encryptionKeyContext(stage.h, 3), stage.rng);
            return buildMessage('identity', stage.h, 2, { ...id, encryptionProof: proof }, s.signing, stage.rng);
          }
          return id;
        }),
    });
    expect(run.outcome.refused.filter((r) => r.kind === 'identity')).toEqual([
      { kind: 'identity', index: 1, reason: 'bad proof of knowledge of the encryption key' },
      { kind: 'identity', index: 2, reason: 'bad proof of knowledge of the encryption key' },
    ]);
    expect(run.outcome.disqualified.filter((d) => d.index !== 3)).toEqual([
      { index: 1, reason: 'no identity' },
      { index: 2, reason: 'no identity' },
    ]);
    expect(run.outcome.ok).toBe(false);
  });

  it('a refused identity on the board (a forged second identity for trustee 2) does not get the honest dealers disqualified', async () => {
    // trustee 3 (or the server) posts an identity in trustee 2's name, signed with trustee 3's key
    const run = await ceremony(2, 3, 'forged second identity', {
      identities: (list, stage) => {
        const s3 = secretsOf(stage, 3);
        const proof = proveKnowledge(s3.encryption.secret, s3.encryption.publicKey, encryptionKeyContext(stage.h, 2), stage.rng);
        const forged = buildMessage('identity', stage.h, 2, { signingKey: list[1].signingKey, encryptionKey: s3.encryption.publicKey, encryptionProof: proof }, s3.signing, stage.rng);
        return [...list, forged];
      },
    });
    expect(run.outcome.refused.filter((r) => r.kind === 'identity')).toEqual([{ kind: 'identity', index: 2, reason: 'a second identity message from trustee 2' }]);
    expect(run.outcome.refused.filter((r) => r.kind !== 'identity')).toEqual([]);
    expect(run.outcome.qualified).toEqual([1, 2, 3]);
    expect(run.outcome.complete).toBe(true);
  });
});
