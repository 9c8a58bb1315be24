/**
 * A server that shows trustees different records (docs/security.md §E3): every qualified trustee signs the
 * transcript hash of the record she saw, so two trustees shown different records sign different
 * hashes, and the public rules, run on the real record, refuse the finish of the one who was lied to:
 * the ceremony is not complete.
 */
import { describe, expect, it } from 'vitest';
import {
  G,
  add,
  buildMessage,
  bytesEqual,
  commitTrustee,
  dealShares,
  decodeTrusteeMessage,
  evaluateCeremony,
  keyShareContext,
  mulSecret,
  proveKnowledge,
  signTranscript,
  type CeremonyRecord,
  type CommitMessage,
  type FieldSpan,
  type FinishMessage,
  type RevealMessage,
  type SharesMessage,
} from '../../crypto/index.ts';
import { runCeremony, secretsOf, setupTrustees, type CeremonyRun } from './support.ts';

/** Trustee 3 equivocates: a second commit, reveal and shares; the server shows them to trustee 1 only. */
async function equivocation(): Promise<{ run: CeremonyRun; viewOf1: (r: CeremonyRecord) => CeremonyRecord }> {
  const stage = setupTrustees(3, 5, 'equivocation');
  const altSecrets = { ...secretsOf(stage, 3), coefficients: undefined };
  const { commit, reveal } = commitTrustee(altSecrets, stage.rng);
  const shares = await dealShares(altSecrets, stage.identities, stage.rng);
  const alt: { commit: CommitMessage; reveal: RevealMessage; shares: SharesMessage } = { commit, reveal, shares };
  const swap = <M extends { index: number }>(list: readonly M[], m: M) => list.map((x) => (x.index === 3 ? m : x));
  const viewOf1 = (r: CeremonyRecord): CeremonyRecord => ({ ...r, commits: swap(r.commits, alt.commit), reveals: swap(r.reveals, alt.reveal), shares: swap(r.shares, alt.shares) });
  const run = await runCeremony(stage, { view: (i, r) => (i === 1 ? viewOf1(r) : r) });
  return { run, viewOf1 };
}

/** A finish with its transcript field replaced by `transcript`, decoded from the re-spliced bytes (signature kept). */
function withTranscript(f: FinishMessage, transcript: Uint8Array): FinishMessage {
  const spans: FieldSpan[] = [];
  decodeTrusteeMessage(f.bytes, spans);
  const at = spans.find((s) => s.field === 'transcript')!;
  const bytes = f.bytes.slice();
  bytes.set(transcript, at.offset);
  return decodeTrusteeMessage(bytes) as FinishMessage;
}

describe('a server that shows trustee 1 another trustee 3 than trustee 2 sees', () => {
  const setup = equivocation();

  it('both views are acceptable on their own: trustee 1 and trustee 2 each find the ceremony ok and derive key shares', async () => {
    const { run } = await setup;
    expect(run.seen.get(1)!.ok).toBe(true);
    expect(run.seen.get(2)!.ok).toBe(true);
    expect(run.seen.get(1)!.qualified).toEqual([1, 2, 3, 4, 5]);
    expect(run.keyShareErrors.size).toBe(0);
    expect([...run.keyShares.keys()]).toEqual([1, 2, 3, 4, 5]);
    // ... but they disagree on the joint key and on the transcript
    expect(run.seen.get(1)!.jointKey!.equals(run.seen.get(2)!.jointKey!)).toBe(false);
    expect(bytesEqual(run.seen.get(1)!.transcript, run.seen.get(2)!.transcript)).toBe(false);
  });

  it('their finish signatures do not both verify against one transcript', async () => {
    const { run, viewOf1 } = await setup;
    const f1 = run.record.finishes.find((f) => f.index === 1)!;
    const f2 = run.record.finishes.find((f) => f.index === 2)!;
    expect(bytesEqual(f1.transcript, f2.transcript)).toBe(false);
    // a finish's signature covers its transcript: moved onto the other transcript, it no longer verifies
    const real = run.outcome.transcript;
    expect(bytesEqual(f2.transcript, real)).toBe(true);
    const moved = await evaluateCeremony(run.params, { ...run.record, finishes: [withTranscript(f1, real), f2] });
    expect(moved.refused).toContainEqual({ kind: 'finish', index: 1, reason: 'bad signature' });
    expect(moved.signedBy).toEqual([2]);
    const inView1 = await evaluateCeremony(run.params, { ...viewOf1(run.record), finishes: [f1, withTranscript(f2, f1.transcript)] });
    expect(inView1.refused).toContainEqual({ kind: 'finish', index: 2, reason: 'bad signature' });
    expect(inView1.signedBy).toEqual([1]);
  });

  it('the rules on the real record refuse the finish of the trustee shown the fake record, and the ceremony is not complete', async () => {
    const { run } = await setup;
    expect(run.outcome.ok).toBe(true);
    expect(run.outcome.refused).toEqual([{ kind: 'finish', index: 1, reason: 'signs a different transcript: this trustee was shown another record' }]);
    expect(run.outcome.signedBy).toEqual([2, 3, 4, 5]);
    expect(run.outcome.complete).toBe(false);
  });
});

describe('a server that hides a trustee’s messages from one trustee', () => {
  it('hiding trustee 3’s shares from trustee 1: she computes another qualified set, and her finish is refused on the real record', async () => {
    const run = await runCeremony(setupTrustees(3, 5, 'hidden shares'), {
      view: (i, r) => (i !== 1 ? r : { ...r, shares: r.shares.filter((m) => m.index !== 3) }),
    });
    expect(run.seen.get(1)!.qualified).toEqual([1, 2, 4, 5]);
    expect(run.seen.get(1)!.disqualified).toEqual([{ index: 3, reason: 'no accepted shares' }]);
    expect(run.outcome.qualified).toEqual([1, 2, 3, 4, 5]);
    expect(run.outcome.refused).toEqual([{ kind: 'finish', index: 1, reason: 'signs a different transcript: this trustee was shown another record' }]);
    expect(run.outcome.complete).toBe(false);
  });

  it('hiding trustee 3 altogether from trustee 1 (another trustee set): she sees the ceremony fail and signs nothing; on the record her shares do not match and she is left out', async () => {
    const run = await runCeremony(setupTrustees(3, 5, 'hidden trustee'), {
      view: (i, r) =>
        i !== 1
          ? r
          : {
              identities: r.identities.filter((m) => m.index !== 3),
              commits: r.commits.filter((m) => m.index !== 3),
              reveals: r.reveals.filter((m) => m.index !== 3),
              shares: r.shares.filter((m) => m.index !== 3),
              complaints: r.complaints,
              finishes: r.finishes,
            },
    });
    // in her view the others dealt to a trustee 3 she does not know: nobody else qualifies, she signs nothing
    expect(run.seen.get(1)!.ok).toBe(false);
    expect(run.seen.get(1)!.failure).toBe('only 1 trustees qualified; 3 are needed');
    expect(run.record.finishes.map((f) => f.index)).toEqual([2, 3, 4, 5]);
    // on the record her shares skip trustee 3: she is disqualified, and the others complete without her
    expect(run.outcome.refused).toEqual([{ kind: 'shares', index: 1, reason: 'shares go to [2,4,5], expected [2,3,4,5]' }]);
    expect(run.outcome.disqualified).toEqual([{ index: 1, reason: 'no accepted shares' }]);
    expect(run.outcome.signedBy).toEqual([2, 3, 4, 5]);
  });
});

describe('finish messages (T.6.4, T.7.2)', () => {
  const setup = runCeremony(setupTrustees(2, 3, 'finishes'));

  it('signTranscript refuses a key share that does not match the trustee’s verification key', async () => {
    const run = await setup;
    expect(() => signTranscript(secretsOf(run, 1), run.outcome, add(run.keyShares.get(1)!, 1n), run.rng)).toThrow('the key share does not match the verification key on the record');
    expect(() => signTranscript(secretsOf(run, 1), run.outcome, run.keyShares.get(2)!, run.rng)).toThrow('the key share does not match the verification key on the record');
  });

  it('a finish on the right transcript without knowledge of the key share (proof for another index or another secret) is refused', async () => {
    const run = await setup;
    const forge = (index: number, secret: bigint, proofIndex: number) =>
      buildMessage('finish', run.h, index, { transcript: run.outcome.transcript, keyProof: proveKnowledge(secret, mulSecret(G, secret), keyShareContext(run.h, proofIndex), run.rng) }, secretsOf(run, index).signing, run.rng);
    const others = run.record.finishes.filter((f) => f.index !== 1);
    for (const bad of [forge(1, run.keyShares.get(1)!, 2), forge(1, run.keyShares.get(2)!, 1), forge(1, add(run.keyShares.get(1)!, 1n), 1)]) {
      const o = await evaluateCeremony(run.params, { ...run.record, finishes: [bad, ...others] });
      expect(o.refused).toEqual([{ kind: 'finish', index: 1, reason: 'bad proof of knowledge of the key share' }]);
      expect(o.signedBy).toEqual([2, 3]);
      expect(o.complete).toBe(false);
    }
    // the honest proof, with the trustee's key share, is accepted
    const good = forge(1, run.keyShares.get(1)!, 1);
    expect((await evaluateCeremony(run.params, { ...run.record, finishes: [good, ...others] })).complete).toBe(true);
  });

  it('a second finish from the same trustee, a finish from another ceremony, and a finish signed by another trustee are refused', async () => {
    const run = await setup;
    const [f1] = run.record.finishes;
    const again = signTranscript(secretsOf(run, 1), run.outcome, run.keyShares.get(1)!, run.rng);
    const o = await evaluateCeremony(run.params, { ...run.record, finishes: [...run.record.finishes, again] });
    expect(o.refused).toEqual([{ kind: 'finish', index: 1, reason: 'a second finish message from trustee 1' }]);
    expect(o.complete).toBe(true);
    const elsewhere = buildMessage('finish', new Uint8Array(32).fill(9), 1, { transcript: f1.transcript, keyProof: f1.keyProof }, secretsOf(run, 1).signing, run.rng);
    const foreign = buildMessage('finish', run.h, 1, { transcript: f1.transcript, keyProof: f1.keyProof }, secretsOf(run, 2).signing, run.rng);
    const o2 = await evaluateCeremony(run.params, { ...run.record, finishes: [elsewhere, foreign, ...run.record.finishes.slice(1)] });
    expect(o2.refused).toEqual([
      { kind: 'finish', index: 1, reason: 'belongs to another ceremony' },
      { kind: 'finish', index: 1, reason: 'bad signature' },
    ]);
    expect(o2.complete).toBe(false);
  });
});
