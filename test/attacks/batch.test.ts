/**
 * Batch verification (§P0.3, §Q.8): equations are combined with fresh random 128-bit weights before a
 * single MSM. Errors crafted to cancel in an unweighted sum must still be caught, inside one ballot and
 * across ballots, and the fallback must name exactly the bad ballots.
 */
import { describe, expect, it } from 'vitest';
import {
  IDENTITY,
  add,
  ballotEquations,
  createBallot,
  decodeBallot,
  encodeBallot,
  generateKeyPair,
  msm,
  seededRandom,
  sub,
  verifyBallot,
  verifyBallotDirect,
  verifyBallots,
  type BallotParams,
  type LinearCheck,
  type Point,
  type RangeProof,
} from '../../crypto/index.ts';
import { bodyOf, makePoll, signBallot } from './helpers.ts';

/** The naive batch: every equation added with weight 1, then one MSM. Deliberately unsound. */
class UnweightedSum implements LinearCheck {
  private readonly points: Point[] = [];
  private readonly coeffs: bigint[] = [];

  require(points: readonly Point[], coeffs: readonly bigint[]): void {
    this.points.push(...points);
    this.coeffs.push(...coeffs);
  }

  result(): boolean {
    return msm(this.points, this.coeffs).equals(IDENTITY);
  }
}

function unweightedAccepts(list: readonly Uint8Array[], params: BallotParams): boolean {
  const check = new UnweightedSum();
  for (const bytes of list) expect(ballotEquations(decodeBallot(bytes, params.shapes), params, check)).toBe(true);
  return check.result();
}

const rng = seededRandom('attacks/batch');
const poll = makePoll({ questions: [{ kind: 'single', options: 3 }] }, rng, 'batch poll');
const voters = [0, 1, 2, 3].map(() => generateKeyPair(rng));
const honest = [
  [1, 0, 0],
  [0, 1, 0],
  [0, 0, 1],
  [1, 0, 0],
].map((values, k) => createBallot({ shape: poll.shape, key: poll.key, fingerprint: poll.fingerprint, credential: voters[k], answers: [{ values }] }, rng));

/** Ballot k with its signature's z shifted by d (the signature equation is then off by d·G). */
function shiftedSignature(k: number, d: bigint): Uint8Array {
  const b = honest[k].ballot;
  return encodeBallot({ ...b, signature: { ...b.signature, z: add(b.signature.z, d) } });
}

describe('batch verification with cancelling errors', () => {
  it('rejects two ballots whose signature errors (+G and −G) cancel in an unweighted sum', () => {
    const a = shiftedSignature(0, 1n);
    const b = shiftedSignature(1, sub(0n, 1n));
    // Positive control: each is wrong on its own, but their errors cancel when simply added.
    expect(verifyBallotDirect(a, poll.params)).toBe(false);
    expect(verifyBallotDirect(b, poll.params)).toBe(false);
    expect(unweightedAccepts([a, b], poll.params)).toBe(true);
    // The real batch catches and names both.
    expect(verifyBallots([a, b], poll.params)).toEqual([false, false]);
    expect(verifyBallots([honest[2].bytes, a, honest[3].bytes, b], poll.params)).toEqual([true, false, true, false]);
  });

  it('rejects one ballot whose proof errors cancel in an unweighted sum of its own equations', () => {
    // Response z₀ of slot 0 plus 1 (errors +G and +Y), of slot 1 minus 1 (errors −G and −Y); re-signed
    // by the voter herself, so that only the proofs can object.
    const ans = honest[0].ballot.answers[0];
    const bump = (p: RangeProof, d: bigint): RangeProof => {
      if (p.kind !== 'disjunctive') throw new Error('expected a §P3 proof');
      return { kind: 'disjunctive', proof: { ...p.proof, z: p.proof.z.map((z, j) => (j === 0 ? add(z, d) : z)) } };
    };
    const answers = [{ ...ans, slotProofs: [bump(ans.slotProofs[0], 1n), bump(ans.slotProofs[1], sub(0n, 1n)), ans.slotProofs[2]] }];
    const { bytes } = signBallot({ ...bodyOf(honest[0].ballot), answers }, voters[0], rng);
    expect(unweightedAccepts([bytes], poll.params)).toBe(true);
    expect(verifyBallot(bytes, poll.params)).toBe(false);
    expect(verifyBallotDirect(bytes, poll.params)).toBe(false);
    expect(verifyBallots([honest[1].bytes, bytes, honest[2].bytes], poll.params)).toEqual([true, false, true]);
  });

  it('names exactly the bad ballots in a larger batch, and accepts an all-honest batch', () => {
    const list = [honest[0].bytes, shiftedSignature(1, 7n), honest[2].bytes, honest[3].bytes, shiftedSignature(0, 7n), honest[1].bytes];
    expect(verifyBallots(list, poll.params)).toEqual([true, false, true, true, false, true]);
    expect(verifyBallots(honest.map((h) => h.bytes), poll.params)).toEqual([true, true, true, true]);
  });
});
