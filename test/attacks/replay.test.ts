/**
 * docs/security.md §B1 (Cortier–Smyth replay), §C1 (clash attacks), §C2 (eligibility): copying, transplanting,
 * re-randomising and moving ballots. Every ballot proof binds the poll fingerprint, the voter's
 * credential and the position, and absorbs its ciphertexts; the credential signs the whole body.
 */
import { describe, expect, it } from 'vitest';
import {
  G,
  add,
  ballotTracker,
  createBallot,
  decodeBallot,
  decryptToPoint,
  encodeBallot,
  encodeBallotBody,
  generateKeyPair,
  mul,
  mulSecret,
  randomScalar,
  seededRandom,
  sign,
  verifyBallot,
  verifyBallotDirect,
  verifyBallots,
  verifySignature,
  type Ballot,
  type Ciphertext,
  type DisjunctiveProof,
  type EncryptedAnswer,
  type RangeProof,
} from '../../crypto/index.ts';
import {
  ballotContext,
  bodyOf,
  branchChallenges,
  equalBytes,
  failingEquations,
  failingProofs,
  forgeBallot,
  makePoll,
  otherPoll,
  p3HoldsWith,
  signBallot,
  slotStatement,
  realChallenge,
  sumStatement,
} from './helpers.ts';

const rng = seededRandom('attacks/replay');
// A single-choice question of three options: three 0/1 slot proofs and a sum proof over [1, 1].
const poll = makePoll({ questions: [{ kind: 'single', options: 3 }] }, rng, 'replay poll');
const victim = generateKeyPair(rng);
const attacker = generateKeyPair(rng);
const cast = createBallot({ shape: poll.shape, key: poll.key, fingerprint: poll.fingerprint, credential: victim, answers: [{ values: [0, 1, 0] }] }, rng);

function disjunctive(p: RangeProof | null): DisjunctiveProof {
  if (p === null || p.kind !== 'disjunctive') throw new Error('expected a §P3 proof');
  return p.proof;
}

// A proof checked against the wrong challenge fails exactly in its last branch (2 equations): the carried
// challenges c₀…c_{n−2} are the prover's own, only c_{n−1} = c − Σ depends on the hash. A ballot of this
// poll has 4 proofs (3 slots and the sum), so a ballot whose every challenge moved fails 8 equations.
const ALL_PROOFS_FAIL = 4 * 2;

function signatureOk(b: Ballot): boolean {
  return verifySignature(b.credential, encodeBallotBody(b), b.signature, ballotContext(b.fingerprint, b.credential, []));
}

describe('replay and proof transplant (T-B1a, T-B1b)', () => {
  it("positive control: the victim's ballot verifies", () => {
    expect(verifyBallot(cast.bytes, poll.params)).toBe(true);
    expect(verifyBallotDirect(cast.bytes, poll.params)).toBe(true);
  });

  it('rejects a ballot copied verbatim but re-signed under another credential (proofs transplanted)', () => {
    const { ballot, bytes } = signBallot({ ...bodyOf(cast.ballot), credential: attacker.publicKey }, attacker, rng);
    // The attacker's signature is genuine: only the proofs' binding to the victim's credential stops it.
    expect(signatureOk(ballot)).toBe(true);
    expect(verifyBallot(bytes, poll.params)).toBe(false);
    expect(verifyBallotDirect(bytes, poll.params)).toBe(false);
    // Every proof fails in its derived branch; the signature's equation holds.
    const { failures, total } = failingEquations(bytes, poll.params);
    expect(total).toBe(3 * 4 + 2 + 1);
    expect(failures).toBe(ALL_PROOFS_FAIL);
  });

  it("rejects the victim's ciphertexts and proofs under the attacker's credential with the victim's signature left in place", () => {
    const moved: Ballot = { ...cast.ballot, credential: attacker.publicKey };
    expect(verifyBallot(encodeBallot(moved), poll.params)).toBe(false);
  });

  it('rejects a ballot whose slots (with their proofs) were swapped, even when re-signed by the same voter', () => {
    // Moves the victim's "1" from option 2 to option 1: the sum is unchanged, only the position binding stops it.
    const a = cast.ballot.answers[0];
    const swapped: EncryptedAnswer = {
      slots: [a.slots[1], a.slots[0], a.slots[2]],
      slotProofs: [a.slotProofs[1], a.slotProofs[0], a.slotProofs[2]],
      sumProof: a.sumProof,
    };
    const { bytes } = signBallot({ ...bodyOf(cast.ballot), answers: [swapped] }, victim, rng);
    expect(verifyBallot(bytes, poll.params)).toBe(false);
    // The two moved slot proofs fail, and so does the sum proof: its statement lists the terms in
    // order, so its challenge changes too. Slot 3's proof and the signature still hold.
    const { failures } = failingEquations(bytes, poll.params);
    expect(failures).toBe(3 * 2);
  });
});

describe('re-randomisation (T-B1c)', () => {
  // α' = α + s·G, β' = β + s·Y and z'_j = z_j + s·c_j, commitments unchanged (the Helios malleability).
  const a = cast.ballot.answers[0];
  const shape = poll.shapes[0];
  const s = a.slots.map(() => randomScalar(rng));
  const slots: Ciphertext[] = a.slots.map((E, i) => ({ alpha: E.alpha.add(mulSecret(G, s[i])), beta: E.beta.add(mulSecret(poll.key, s[i])) }));
  const ctxOf = (path: number[]) => ballotContext(poll.fingerprint, victim.publicKey, path);
  // The challenges of the original proofs, recomputed from the original statements.
  const slotTotals = a.slots.map((_, i) => {
    const p = disjunctive(a.slotProofs[i]);
    return realChallenge(slotStatement(poll.key, shape, a.slots, i), p.A, p.B, ctxOf([1, 0, i]));
  });
  const sumP = disjunctive(a.sumProof);
  const sumTotal = realChallenge(sumStatement(poll.key, shape, a.slots), sumP.A, sumP.B, ctxOf([2, 0]));
  const shift = (p: DisjunctiveProof, total: bigint, by: bigint): DisjunctiveProof => {
    const cs = branchChallenges(p, total);
    return { ...p, z: p.z.map((z, j) => add(z, mul(by, cs[j]))) };
  };
  const slotProofs = a.slotProofs.map((p, i) => shift(disjunctive(p), slotTotals[i], s[i]));
  const sShift = s.reduce((acc, si, i) => add(acc, mul(si, BigInt(shape.weights[i]))), 0n);
  const sumProof = shift(sumP, sumTotal, sShift);
  const rerandomised: EncryptedAnswer = {
    slots,
    slotProofs: slotProofs.map((proof) => ({ kind: 'disjunctive', proof })),
    sumProof: { kind: 'disjunctive', proof: sumProof },
  };

  it('positive control: the re-randomised ciphertexts hold the same vote and every equation holds when the challenge is not recomputed', () => {
    for (let i = 0; i < 3; i++) {
      expect(decryptToPoint(slots[i], poll.election.secret).equals(decryptToPoint(a.slots[i], poll.election.secret))).toBe(true);
      expect(slots[i].alpha.equals(a.slots[i].alpha)).toBe(false);
      expect(p3HoldsWith(slotStatement(poll.key, shape, slots, i), slotProofs[i], slotTotals[i])).toBe(true);
    }
    expect(p3HoldsWith(sumStatement(poll.key, shape, slots), sumProof, sumTotal)).toBe(true);
  });

  it('rejects a re-randomised ballot submitted under the attacker’s credential', () => {
    const { ballot, bytes } = signBallot({ fingerprint: poll.fingerprint, credential: attacker.publicKey, answers: [rerandomised] }, attacker, rng);
    expect(signatureOk(ballot)).toBe(true);
    expect(verifyBallot(bytes, poll.params)).toBe(false);
    expect(verifyBallotDirect(bytes, poll.params)).toBe(false);
  });

  it('rejects the re-randomised proofs even under the victim’s own credential (the challenge absorbs α and β)', () => {
    // Give the attacker the victim's signing key, so that only the proofs can object.
    const { bytes } = signBallot({ ...bodyOf(cast.ballot), answers: [rerandomised] }, victim, rng);
    expect(verifyBallot(bytes, poll.params)).toBe(false);
    const { failures, total } = failingEquations(bytes, poll.params);
    expect(failures).toBe(ALL_PROOFS_FAIL); // every proof; the signature holds
    expect(total).toBe(15);
  });

  it("rejects the re-randomised ballot with the victim's original signature", () => {
    const b: Ballot = { ...cast.ballot, answers: [rerandomised] };
    expect(verifyBallot(encodeBallot(b), poll.params)).toBe(false);
  });
});

describe('cross-poll replay (C2b)', () => {
  const poll2 = otherPoll(poll, 'replay poll, round 2');

  it('rejects a ballot copied verbatim into another poll (other fingerprint, same key and questions)', () => {
    expect(verifyBallot(cast.bytes, poll2.params)).toBe(false);
    expect(verifyBallotDirect(cast.bytes, poll2.params)).toBe(false);
    expect(verifyBallots([cast.bytes], poll2.params)).toEqual([false]);
  });

  it('rejects a ballot whose fingerprint was rewritten to the other poll and re-signed', () => {
    for (const signer of [victim, attacker]) {
      const { ballot, bytes } = signBallot({ ...bodyOf(cast.ballot), fingerprint: poll2.fingerprint, credential: signer.publicKey }, signer, rng);
      expect(signatureOk(ballot)).toBe(true);
      expect(verifyBallot(bytes, poll2.params)).toBe(false);
      expect(failingEquations(bytes, poll2.params).failures).toBe(ALL_PROOFS_FAIL);
    }
  });

  it('rejects a ballot whose header names another poll although its proofs and signature were made for this one', () => {
    // The voter builds everything for `poll` but writes poll2's fingerprint into the body she signs.
    const body = { ...bodyOf(cast.ballot), fingerprint: poll2.fingerprint };
    const signature = sign(victim.secret, victim.publicKey, encodeBallotBody(body), ballotContext(poll.fingerprint, victim.publicKey, []), rng);
    const bytes = encodeBallot({ ...body, signature });
    // Positive control: checked in poll's context, every proof and the signature hold.
    expect(failingProofs(bytes, poll)).toEqual([]);
    // Only the header check objects.
    expect(verifyBallot(bytes, poll.params)).toBe(false);
    expect(verifyBallotDirect(bytes, poll.params)).toBe(false);
    expect(verifyBallots([bytes, cast.bytes], poll.params)).toEqual([false, true]);
    expect(verifyBallot(bytes, poll2.params)).toBe(false);
  });

  it('rejects a ballot whose fingerprint was rewritten without re-signing', () => {
    const b: Ballot = { ...cast.ballot, fingerprint: poll2.fingerprint };
    expect(verifyBallot(encodeBallot(b), poll2.params)).toBe(false);
  });
});

describe('signature binding', () => {
  const second = createBallot({ shape: poll.shape, key: poll.key, fingerprint: poll.fingerprint, credential: victim, answers: [{ values: [1, 0, 0] }] }, rng);

  it("rejects one ballot's signature on another body of the same voter", () => {
    expect(verifyBallot(second.bytes, poll.params)).toBe(true);
    const spliced: Ballot = { ...second.ballot, signature: cast.ballot.signature };
    const bytes = encodeBallot(spliced);
    expect(verifyBallot(bytes, poll.params)).toBe(false);
    expect(verifyBallotDirect(bytes, poll.params)).toBe(false);
    const { failures } = failingEquations(bytes, poll.params);
    expect(failures).toBe(1); // the proofs are the voter's own; only the signature objects
  });

  it('names exactly the spliced ballot in a batch', () => {
    const spliced = encodeBallot({ ...second.ballot, signature: cast.ballot.signature });
    expect(verifyBallots([cast.bytes, spliced, second.bytes], poll.params)).toEqual([true, false, true]);
  });
});

describe('trackers and clash attacks (T-C1a, T-C1b)', () => {
  it('gives two voters different trackers for byte-identical ciphertexts', () => {
    // A compromised client reuses the victim's randomness for a second voter: same ciphertexts, fresh
    // (valid) proofs bound to the second credential.
    const clash = forgeBallot(poll, attacker, [[0n, 1n, 0n]], rng, cast.opening.r);
    expect(verifyBallot(clash.bytes, poll.params)).toBe(true);
    const mine = decodeBallot(cast.bytes, poll.shapes).answers[0].slots;
    const theirs = decodeBallot(clash.bytes, poll.shapes).answers[0].slots;
    mine.forEach((E, i) => {
      expect(E.alpha.equals(theirs[i].alpha) && E.beta.equals(theirs[i].beta)).toBe(true);
    });
    expect(cast.tracker).toEqual(ballotTracker(cast.bytes));
    expect(equalBytes(ballotTracker(clash.bytes), cast.tracker)).toBe(false);
  });

  it('gives a transplanted copy (same ciphertexts and proofs, other credential) a different tracker', () => {
    const { bytes } = signBallot({ ...bodyOf(cast.ballot), credential: attacker.publicKey }, attacker, rng);
    // Only the credential and the signature differ.
    expect(equalBytes(bytes.subarray(65, bytes.length - 64), cast.bytes.subarray(65, cast.bytes.length - 64))).toBe(true);
    expect(equalBytes(ballotTracker(bytes), cast.tracker)).toBe(false);
  });

  it('gives every fresh ballot of the same voter and answer its own tracker', () => {
    const again = createBallot({ shape: poll.shape, key: poll.key, fingerprint: poll.fingerprint, credential: victim, answers: [{ values: [0, 1, 0] }] }, rng);
    expect(equalBytes(again.tracker, cast.tracker)).toBe(false);
  });
});
