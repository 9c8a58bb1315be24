/** Chaum–Pedersen proof that log_B1(X1) = log_B2(X2) (decryption shares, §T). Spec §P2. */
import type { LinearCheck } from '../equations.ts';
import { DirectCheck } from '../equations.ts';
import { Reader, Writer, type FieldSpan } from '../encoding.ts';
import { add, mul, mulSecret, type Point } from '../group.ts';
import { randomScalar, systemRandom, type RandomSource } from '../random.ts';
import { startTranscript, type ProofContext } from './context.ts';

/** The statement: X1 = x·B1 and X2 = x·B2 for one secret x. */
export interface DleqStatement {
  readonly B1: Point;
  readonly X1: Point;
  readonly B2: Point;
  readonly X2: Point;
}

export interface DleqProof {
  readonly T1: Point;
  readonly T2: Point;
  readonly z: bigint;
}

function challenge(st: DleqStatement, T1: Point, T2: Point, ctx: ProofContext): bigint {
  return startTranscript('P2-dleq', ctx)
    .appendPoint('B1', st.B1)
    .appendPoint('X1', st.X1)
    .appendPoint('B2', st.B2)
    .appendPoint('X2', st.X2)
    .appendPoint('T1', T1)
    .appendPoint('T2', T2)
    .challenge();
}

/** Proves the statement with witness x. Spec §P2. */
export function proveDleq(st: DleqStatement, x: bigint, ctx: ProofContext, rng: RandomSource = systemRandom): DleqProof {
  const k = randomScalar(rng); // P2.1
  const T1 = mulSecret(st.B1, k); // P2.2 T1 = k·B1, T2 = k·B2
  const T2 = mulSecret(st.B2, k);
  const c = challenge(st, T1, T2, ctx); // P2.3
  return { T1, T2, z: add(k, mul(c, x)) }; // P2.4 z = k + c·x
}

/** States the two §P2 equations into `check`. */
export function dleqEquations(st: DleqStatement, proof: DleqProof, ctx: ProofContext, check: LinearCheck): void {
  const c = challenge(st, proof.T1, proof.T2, ctx);
  check.require([st.B1, st.X1, proof.T1], [proof.z, -c, -1n]); // P2.5 z·B1 − c·X1 − T1 = 0
  check.require([st.B2, st.X2, proof.T2], [proof.z, -c, -1n]); // P2.6 z·B2 − c·X2 − T2 = 0
}

/** Verifies a §P2 proof on its own. */
export function verifyDleq(st: DleqStatement, proof: DleqProof, ctx: ProofContext): boolean {
  const check = new DirectCheck();
  dleqEquations(st, proof, ctx, check);
  return check.result();
}

/** P2.7 the canonical bytes of a DLEQ proof: T1 ‖ T2 (32 each, may be the identity) ‖ z (32). */
export function encodeDleqProof(p: DleqProof): Uint8Array {
  return new Writer().point(p.T1).point(p.T2).scalar(p.z).finish();
}

/** Decodes `encodeDleqProof` bytes. Throws DecodeError. */
export function decodeDleqProof(bytes: Uint8Array, trace?: FieldSpan[]): DleqProof {
  const r = new Reader(bytes, trace);
  const p = { T1: r.point('T1', true), T2: r.point('T2', true), z: r.scalar('z') };
  r.end();
  return p;
}
