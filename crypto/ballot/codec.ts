/** The canonical bytes of a ballot and of its range proofs. Spec §Q.6. The shape fixes the layout. */
import type { Ciphertext } from '../elgamal.ts';
import { DecodeError, Reader, Writer, type FieldSpan } from '../encoding.ts';
import type { Point } from '../group.ts';
import type { BitProof } from '../proofs/bits.ts';
import { bitLayout } from '../proofs/bits.ts';
import type { DisjunctiveProof } from '../proofs/disjunctive.ts';
import { rangeMethod, type RangeProof } from '../proofs/range.ts';
import type { SchnorrProof } from '../proofs/schnorr.ts';
import type { AnswerShape } from './shape.ts';

/** Q.6 the version byte that opens every ballot. */
export const BALLOT_VERSION = 1;

export interface EncryptedAnswer {
  readonly slots: readonly Ciphertext[];
  readonly slotProofs: readonly RangeProof[];
  readonly sumProof: RangeProof | null;
}

export interface Ballot {
  readonly fingerprint: Uint8Array;
  readonly credential: Point;
  readonly answers: readonly EncryptedAnswer[];
  readonly signature: SchnorrProof;
}

function writeDisjunctive(w: Writer, p: DisjunctiveProof): void {
  for (let j = 0; j < p.A.length; j++) w.point(p.A[j]).point(p.B[j]);
  for (const c of p.c) w.scalar(c);
  for (const z of p.z) w.scalar(z);
}

function writeRange(w: Writer, p: RangeProof): void {
  if (p.kind === 'disjunctive') return writeDisjunctive(w, p.proof);
  for (const b of [...p.proof.lower, ...p.proof.upper]) {
    w.point(b.bit.alpha).point(b.bit.beta);
    writeDisjunctive(w, b.proof);
  }
}

/** Q.6.1 everything but the signature: the bytes that the credential signs. */
export function encodeBallotBody(b: Omit<Ballot, 'signature'>): Uint8Array {
  const w = new Writer().u8(BALLOT_VERSION).bytes(b.fingerprint).point(b.credential).u32(b.answers.length);
  for (const a of b.answers) {
    w.u32(a.slots.length);
    for (const s of a.slots) w.point(s.alpha).point(s.beta);
    for (const p of a.slotProofs) writeRange(w, p);
    if (a.sumProof) writeRange(w, a.sumProof);
  }
  return w.finish();
}

/** Q.6 the canonical ballot: body, then the signature's T and z. */
export function encodeBallot(b: Ballot): Uint8Array {
  return new Writer().bytes(encodeBallotBody(b)).point(b.signature.T).scalar(b.signature.z).finish();
}

function readCiphertext(r: Reader, field: string): Ciphertext {
  return { alpha: r.point(`${field}.alpha`), beta: r.point(`${field}.beta`) };
}

function readDisjunctive(r: Reader, n: number, field: string): DisjunctiveProof {
  const A: Point[] = [];
  const B: Point[] = [];
  for (let j = 0; j < n; j++) {
    // Commitments may be any element, the identity included (P3 has no reason to refuse it).
    A.push(r.point(`${field}.A[${j}]`, true));
    B.push(r.point(`${field}.B[${j}]`, true));
  }
  const c = Array.from({ length: n - 1 }, (_, j) => r.scalar(`${field}.c[${j}]`));
  const z = Array.from({ length: n }, (_, j) => r.scalar(`${field}.z[${j}]`));
  return { A, B, c, z };
}

function readRange(r: Reader, lo: number, hi: number, field: string): RangeProof {
  if (rangeMethod(lo, hi) === 'disjunctive') return { kind: 'disjunctive', proof: readDisjunctive(r, hi - lo + 1, field) };
  const { K, upper } = bitLayout(lo, hi);
  const half = (name: string, count: number): BitProof[] =>
    Array.from({ length: count }, (_, k) => ({
      bit: readCiphertext(r, `${field}.${name}[${k}]`),
      proof: readDisjunctive(r, 2, `${field}.${name}[${k}].proof`),
    }));
  return { kind: 'bits', proof: { lower: half('lower', K), upper: half('upper', upper ? K : 0) } };
}

/** Q.6 decodes a ballot laid out for `shapes`, refusing every non-canonical or misplaced byte. `trace` records the layout. */
export function decodeBallot(bytes: Uint8Array, shapes: readonly AnswerShape[], trace?: FieldSpan[]): Ballot {
  const r = new Reader(bytes, trace);
  const version = r.u8('version');
  if (version !== BALLOT_VERSION) throw new DecodeError('version', `unknown ballot version ${version}`);
  const fingerprint = r.bytes(32, 'fingerprint').slice();
  const credential = r.point('credential');
  r.expectU32('questions', shapes.length);
  const answers = shapes.map((shape, q): EncryptedAnswer => {
    const at = `answers[${q}]`;
    r.expectU32(`${at}.slots`, shape.slotMax.length);
    const slots = shape.slotMax.map((_, i) => readCiphertext(r, `${at}.slots[${i}]`));
    const slotProofs = shape.slotMax.map((m, i) => readRange(r, 0, m, `${at}.slotProofs[${i}]`));
    const sumProof = shape.sumProof ? readRange(r, shape.min, shape.max, `${at}.sumProof`) : null;
    return { slots, slotProofs, sumProof };
  });
  const signature = { T: r.point('signature.T', true), z: r.scalar('signature.z') };
  r.end();
  return { fingerprint, credential, answers, signature };
}

/** Q.6 the bytes of a disjunctive proof of n branches: n commitments (A, B), n − 1 challenges, n responses. */
function disjunctiveBytes(n: number): number {
  return n * 64 + (n - 1) * 32 + n * 32;
}

/** Q.6 the bytes of a range proof of [lo, hi]: one disjunctive proof, or a bit ciphertext and its proof per bit. */
function rangeBytes(lo: number, hi: number): number {
  if (rangeMethod(lo, hi) === 'disjunctive') return disjunctiveBytes(hi - lo + 1);
  const { K, upper } = bitLayout(lo, hi);
  return (upper ? 2 * K : K) * (64 + disjunctiveBytes(2));
}

/** What a ballot's bytes say besides its proofs, as views into them: no point decoded. */
export interface BallotSkim {
  readonly fingerprint: Uint8Array;
  /** enc(credential) */
  readonly credential: Uint8Array;
  /** α ‖ β of every slot, every question in order (64 bytes each) */
  readonly slots: Uint8Array[];
}

/**
 * Q.6 reads the fingerprint, the credential and every slot's α ‖ β of a ballot laid out for `shapes`
 * by walking the layout's lengths only: no point or scalar is decoded or checked. Only for bytes that
 * `decodeBallot` accepted before (a board's own stored entries); anything else must be decoded.
 * Throws DecodeError when the version, a count or the total length is not the layout's.
 */
export function skimBallot(bytes: Uint8Array, shapes: readonly AnswerShape[]): BallotSkim {
  const r = new Reader(bytes);
  const version = r.u8('version');
  if (version !== BALLOT_VERSION) throw new DecodeError('version', `unknown ballot version ${version}`);
  const fingerprint = r.bytes(32, 'fingerprint');
  const credential = r.bytes(32, 'credential');
  r.expectU32('questions', shapes.length);
  const slots: Uint8Array[] = [];
  shapes.forEach((shape, q) => {
    r.expectU32(`answers[${q}].slots`, shape.slotMax.length);
    for (let i = 0; i < shape.slotMax.length; i++) slots.push(r.bytes(64, `answers[${q}].slots[${i}]`));
    let proofs = 0;
    for (const m of shape.slotMax) proofs += rangeBytes(0, m);
    if (shape.sumProof) proofs += rangeBytes(shape.min, shape.max);
    r.bytes(proofs, `answers[${q}].proofs`);
  });
  r.bytes(64, 'signature');
  r.end();
  return { fingerprint, credential, slots };
}
