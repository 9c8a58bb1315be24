/**
 * Schnorr proofs on ristretto255: proof of knowledge of a discrete log (§P1) and the credential
 * signature (§P6), which is the same proof with a message absorbed and its own tag.
 */
import type { LinearCheck } from '../equations.ts';
import { DirectCheck } from '../equations.ts';
import { Reader, Writer, type FieldSpan } from '../encoding.ts';
import { G, add, mul, mulSecret, type Point } from '../group.ts';
import { randomScalar, systemRandom, type RandomSource } from '../random.ts';
import { startTranscript, type ProofContext } from './context.ts';

/** Commitment T and response z; the challenge is recomputed, never carried. */
export interface SchnorrProof {
  readonly T: Point;
  readonly z: bigint;
}

const KNOWLEDGE = 'P1-knowledge';
const SIGNATURE = 'P6-signature';

function challenge(tag: string, ctx: ProofContext, X: Point, T: Point, message?: Uint8Array): bigint {
  const t = startTranscript(tag, ctx).appendPoint('X', X);
  if (message !== undefined) t.append('message', message);
  return t.appendPoint('T', T).challenge();
}

function prove(tag: string, x: bigint, X: Point, ctx: ProofContext, rng: RandomSource, message?: Uint8Array): SchnorrProof {
  const k = randomScalar(rng); // P1.1 fresh nonce
  const T = mulSecret(G, k); // P1.2 T = k·G
  const c = challenge(tag, ctx, X, T, message); // P1.3
  return { T, z: add(k, mul(c, x)) }; // P1.4 z = k + c·x
}

function equations(tag: string, X: Point, proof: SchnorrProof, ctx: ProofContext, check: LinearCheck, message?: Uint8Array): void {
  const c = challenge(tag, ctx, X, proof.T, message);
  check.require([G, X, proof.T], [proof.z, -c, -1n]); // P1.5 z·G − c·X − T = 0
}

/** Proves knowledge of x with X = x·G. Spec §P1. Requires X = x·G (not checked). */
export function proveKnowledge(x: bigint, X: Point, ctx: ProofContext, rng: RandomSource = systemRandom): SchnorrProof {
  return prove(KNOWLEDGE, x, X, ctx, rng);
}

/** States the §P1 equation into `check` (batch verification). */
export function knowledgeEquations(X: Point, proof: SchnorrProof, ctx: ProofContext, check: LinearCheck): void {
  equations(KNOWLEDGE, X, proof, ctx, check);
}

/** Verifies a §P1 proof on its own. */
export function verifyKnowledge(X: Point, proof: SchnorrProof, ctx: ProofContext): boolean {
  const check = new DirectCheck();
  knowledgeEquations(X, proof, ctx, check);
  return check.result();
}

/** Signs `message` with the secret x of the public key X. Spec §P6. */
export function sign(x: bigint, X: Point, message: Uint8Array, ctx: ProofContext, rng: RandomSource = systemRandom): SchnorrProof {
  return prove(SIGNATURE, x, X, ctx, rng, message);
}

/** States the §P6 equation into `check`. */
export function signatureEquations(X: Point, message: Uint8Array, sig: SchnorrProof, ctx: ProofContext, check: LinearCheck): void {
  equations(SIGNATURE, X, sig, ctx, check, message);
}

/** Verifies a §P6 signature on its own. */
export function verifySignature(X: Point, message: Uint8Array, sig: SchnorrProof, ctx: ProofContext): boolean {
  const check = new DirectCheck();
  signatureEquations(X, message, sig, ctx, check);
  return check.result();
}

/** P1.6 / P6.1 the canonical bytes of a Schnorr proof or signature: T (32, may be the identity) ‖ z (32). */
export function encodeSchnorrProof(p: SchnorrProof): Uint8Array {
  return new Writer().point(p.T).scalar(p.z).finish();
}

/** Decodes `encodeSchnorrProof` bytes. Throws DecodeError. */
export function decodeSchnorrProof(bytes: Uint8Array, trace?: FieldSpan[]): SchnorrProof {
  const r = new Reader(bytes, trace);
  const p = { T: r.point('T', true), z: r.scalar('z') };
  r.end();
  return p;
}
