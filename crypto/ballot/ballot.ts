/**
 * Creating and verifying encrypted ballots: ElGamal per slot, a range proof per slot, a sum proof per
 * question where the shape needs one, and the credential's signature over it all. Spec §Q.5, §Q.7.
 */
import { encryptFresh, type Ciphertext, type KeyPair } from '../elgamal.ts';
import { DecodeError, bytesEqual, pointBytes, Writer } from '../encoding.ts';
import { BatchCheck, DirectCheck, type LinearCheck } from '../equations.ts';
import { mod, type Point } from '../group.ts';
import { taggedHash } from '../hash.ts';
import type { ProofContext } from '../proofs/context.ts';
import type { LinearStatement } from '../proofs/disjunctive.ts';
import { proveRange, rangeEquations } from '../proofs/range.ts';
import { sign, signatureEquations } from '../proofs/schnorr.ts';
import { systemRandom, type RandomSource } from '../random.ts';
import { decodeBallot, encodeBallot, encodeBallotBody, type Ballot, type EncryptedAnswer } from './codec.ts';
import { ShapeError, answerValues, ballotShape, type Answer, type AnswerShape, type BallotShape } from './shape.ts';

/** What a ballot is checked against: the poll's question shapes, its election key and fingerprint. */
export interface BallotParams {
  readonly shapes: readonly AnswerShape[];
  readonly key: Point;
  readonly fingerprint: Uint8Array;
}

/** The voter's secrets for a Benaloh audit: the value and randomness of every slot. Never kept after a cast. */
export interface BallotOpening {
  readonly values: readonly (readonly number[])[];
  readonly r: readonly (readonly bigint[])[];
}

export interface CreatedBallot {
  readonly ballot: Ballot;
  readonly bytes: Uint8Array;
  readonly tracker: Uint8Array;
  readonly opening: BallotOpening;
}

/** Q.5.1 the binding of a ballot proof: frame(credential) ‖ u32 |path| ‖ u32 path…. */
export function ballotBinding(credential: Point, path: readonly number[]): Uint8Array {
  const w = new Writer().framed(pointBytes(credential)).u32(path.length);
  for (const p of path) w.u32(p);
  return w.finish();
}

/** Q.5.2 slot i of question q: path [1, q, i], statement (Y, [(1, Eᵢ)], 0, slotMaxᵢ). */
function slotStatement(key: Point, shape: AnswerShape, slots: readonly Ciphertext[], i: number): LinearStatement {
  return { Y: key, terms: [{ w: 1, E: slots[i] }], lo: 0, hi: shape.slotMax[i] };
}

/** Q.5.3 the sum of question q: path [2, q], statement (Y, [(wᵢ, Eᵢ)…], min, max). */
function sumStatement(key: Point, shape: AnswerShape, slots: readonly Ciphertext[]): LinearStatement {
  return { Y: key, terms: slots.map((E, i) => ({ w: shape.weights[i], E })), lo: shape.min, hi: shape.max };
}

function context(fingerprint: Uint8Array, credential: Point, path: readonly number[]): ProofContext {
  return { fingerprint, binding: ballotBinding(credential, path) };
}

/** Q.7 the tracker: H("gongshi/1/tracker", ballot bytes), 32 bytes. */
export function ballotTracker(bytes: Uint8Array): Uint8Array {
  return taggedHash('gongshi/1/tracker', bytes);
}

/**
 * Q.5 encrypts and proves the voter's answers and signs the result with her credential.
 * Throws ShapeError (before any work) when an answer breaks its question's rules.
 * `key` should have gone through `prepareKey`, or encryption is 6× slower.
 */
export function createBallot(
  input: {
    readonly shape: BallotShape;
    readonly key: Point;
    readonly fingerprint: Uint8Array;
    readonly credential: KeyPair;
    readonly answers: readonly Answer[];
  },
  rng: RandomSource = systemRandom,
): CreatedBallot {
  const shapes = ballotShape(input.shape);
  assertElectionKey(input.key);
  if (input.answers.length !== shapes.length) throw new ShapeError(-1, `expected ${shapes.length} answers, got ${input.answers.length}`);
  const values = shapes.map((s, q) => answerValues(s, input.answers[q], q));
  const { key, fingerprint } = input;
  const cred = input.credential.publicKey;
  const rs: bigint[][] = [];
  const answers = shapes.map((shape, q): EncryptedAnswer => {
    const enc = values[q].map((m) => encryptFresh(key, m, rng)); // Q.5.1 one fresh ciphertext per slot
    const slots = enc.map((e) => e.ciphertext);
    const r = enc.map((e) => e.r);
    rs.push(r);
    const slotProofs = slots.map((_, i) =>
      proveRange(slotStatement(key, shape, slots, i), { v: values[q][i], r: r[i] }, context(fingerprint, cred, [1, q, i]), rng),
    );
    let sumProof = null;
    if (shape.sumProof) {
      const v = values[q].reduce((s, m, i) => s + m * shape.weights[i], 0);
      const rSum = mod(r.reduce((s, ri, i) => s + ri * BigInt(shape.weights[i]), 0n));
      sumProof = proveRange(sumStatement(key, shape, slots), { v, r: rSum }, context(fingerprint, cred, [2, q]), rng);
    }
    return { slots, slotProofs, sumProof };
  });
  const unsigned = { fingerprint, credential: cred, answers };
  const body = encodeBallotBody(unsigned);
  // Q.5.4 the credential signs the body (§P6), binding path [].
  const signature = sign(input.credential.secret, cred, body, context(fingerprint, cred, []), rng);
  const ballot: Ballot = { ...unsigned, signature };
  const bytes = encodeBallot(ballot);
  return { ballot, bytes, tracker: ballotTracker(bytes), opening: { values, r: rs } };
}

/** Q.5.0 an election key must not be the identity: every β would then be m·G, the vote in the clear. */
function assertElectionKey(key: Point): void {
  if (key.is0()) throw new Error('the election key is the identity: refusing to encrypt or verify under it');
}

/**
 * States every equation of a decoded ballot into `check` (Q.8.1). Returns false without stating
 * anything when the ballot names another election. The signed body is re-encoded from the ballot
 * itself (cheap: decoded points keep their bytes), so proofs and signature always belong together.
 */
export function ballotEquations(ballot: Ballot, params: BallotParams, check: LinearCheck): boolean {
  const { key, fingerprint, shapes } = params;
  assertElectionKey(key);
  if (!bytesEqual(ballot.fingerprint, fingerprint)) return false;
  const cred = ballot.credential;
  ballot.answers.forEach((a, q) => {
    const shape = shapes[q];
    a.slotProofs.forEach((p, i) => rangeEquations(slotStatement(key, shape, a.slots, i), p, context(fingerprint, cred, [1, q, i]), check));
    if (a.sumProof) rangeEquations(sumStatement(key, shape, a.slots), a.sumProof, context(fingerprint, cred, [2, q]), check);
  });
  signatureEquations(cred, encodeBallotBody(ballot), ballot.signature, context(fingerprint, cred, []), check);
  return true;
}

/** Which part of a ballot fails (Q.8.1): a slot's range proof, a question's sum proof, or the signature. */
export type BallotFault =
  | { readonly part: 'election' }
  | { readonly part: 'slot'; readonly question: number; readonly slot: number }
  | { readonly part: 'sum'; readonly question: number }
  | { readonly part: 'signature' };

/**
 * Q.8.1 every failing part of a decoded ballot, each checked on its own equation by equation (slow:
 * for naming what is wrong after a batch failed). Empty when the ballot is valid.
 */
export function ballotFaults(ballot: Ballot, params: BallotParams): BallotFault[] {
  const { key, fingerprint, shapes } = params;
  assertElectionKey(key);
  if (!bytesEqual(ballot.fingerprint, fingerprint)) return [{ part: 'election' }];
  const cred = ballot.credential;
  const faults: BallotFault[] = [];
  const holds = (state: (check: LinearCheck) => void) => {
    const check = new DirectCheck();
    state(check);
    return check.result();
  };
  ballot.answers.forEach((a, q) => {
    const shape = shapes[q];
    a.slotProofs.forEach((p, i) => {
      if (!holds((check) => rangeEquations(slotStatement(key, shape, a.slots, i), p, context(fingerprint, cred, [1, q, i]), check))) faults.push({ part: 'slot', question: q, slot: i });
    });
    const sum = a.sumProof;
    if (sum && !holds((check) => rangeEquations(sumStatement(key, shape, a.slots), sum, context(fingerprint, cred, [2, q]), check))) faults.push({ part: 'sum', question: q });
  });
  if (!holds((check) => signatureEquations(cred, encodeBallotBody(ballot), ballot.signature, context(fingerprint, cred, []), check))) faults.push({ part: 'signature' });
  return faults;
}

/** Verifies one decoded ballot, its equations combined by a random linear combination (§P0.3). */
export function verifyDecodedBallot(ballot: Ballot, params: BallotParams, rng: RandomSource = systemRandom): boolean {
  const check = new BatchCheck(rng);
  return ballotEquations(ballot, params, check) && check.result();
}

/** Verifies one ballot from its bytes. Throws DecodeError when the bytes are malformed. */
export function verifyBallot(bytes: Uint8Array, params: BallotParams, rng: RandomSource = systemRandom): boolean {
  return verifyDecodedBallot(decodeBallot(bytes, params.shapes), params, rng);
}

/** Verifies one ballot equation by equation, without batching: slow, for cross-checks and tests. */
export function verifyBallotDirect(bytes: Uint8Array, params: BallotParams): boolean {
  const check = new DirectCheck();
  return ballotEquations(decodeBallot(bytes, params.shapes), params, check) && check.result();
}

/**
 * Verifies many decoded ballots with one random linear combination and one MSM; if that fails,
 * re-checks them one by one to name the bad ones. Returns one verdict per ballot. Spec §Q.8.
 */
export function verifyDecodedBallots(ballots: readonly Ballot[], params: BallotParams, rng: RandomSource = systemRandom): boolean[] {
  const verdicts = ballots.map(() => true);
  const batch = new BatchCheck(rng);
  ballots.forEach((b, i) => {
    if (!ballotEquations(b, params, batch)) verdicts[i] = false;
  });
  if (batch.result()) return verdicts;
  return ballots.map((b, i) => verdicts[i] && verifyDecodedBallot(b, params, rng));
}

/** `verifyDecodedBallots` from bytes; a malformed ballot is simply invalid. */
export function verifyBallots(list: readonly Uint8Array[], params: BallotParams, rng: RandomSource = systemRandom): boolean[] {
  const decoded: (Ballot | null)[] = list.map((bytes) => {
    try {
      return decodeBallot(bytes, params.shapes);
    } catch (e) {
      if (e instanceof DecodeError) return null;
      throw e;
    }
  });
  const good = decoded.filter((d) => d !== null);
  const verdicts = verifyDecodedBallots(good, params, rng);
  let at = 0;
  return decoded.map((d) => (d === null ? false : verdicts[at++]));
}
