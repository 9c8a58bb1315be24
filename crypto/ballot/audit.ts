/** Benaloh audits: the opening of a ballot (values and randomness) and its check. Spec §Q.9. */
import { encrypt } from '../elgamal.ts';
import { DecodeError, Reader, Writer } from '../encoding.ts';
import type { Point } from '../group.ts';
import type { Ballot } from './codec.ts';
import type { BallotOpening } from './ballot.ts';
import type { AnswerShape } from './shape.ts';

/** Q.9.1 u8 version 1, u32 questions, then per question u32 slots and per slot (u32 value, scalar r). */
export function encodeOpening(o: BallotOpening): Uint8Array {
  const w = new Writer().u8(1).u32(o.values.length);
  o.values.forEach((vs, q) => {
    w.u32(vs.length);
    vs.forEach((v, i) => w.u32(v).scalar(o.r[q][i]));
  });
  return w.finish();
}

/** Decodes an opening laid out for `shapes`. Throws DecodeError. */
export function decodeOpening(bytes: Uint8Array, shapes: readonly AnswerShape[]): BallotOpening {
  const r = new Reader(bytes);
  const version = r.u8('version');
  if (version !== 1) throw new DecodeError('version', `unknown opening version ${version}`);
  r.expectU32('questions', shapes.length);
  const values: number[][] = [];
  const rs: bigint[][] = [];
  shapes.forEach((s, q) => {
    r.expectU32(`opening[${q}].slots`, s.slotMax.length);
    values.push([]);
    rs.push([]);
    s.slotMax.forEach((_, i) => {
      values[q].push(r.u32(`opening[${q}][${i}].value`));
      rs[q].push(r.scalar(`opening[${q}][${i}].r`));
    });
  });
  r.end();
  return { values, r: rs };
}

/**
 * Q.9.2 an opening matches its ballot when every slot re-encrypts to the published ciphertext,
 * α = r·G and β = m·G + r·Y, and the values obey the question's rules. Returns false otherwise.
 */
export function checkOpening(ballot: Ballot, opening: BallotOpening, shapes: readonly AnswerShape[], key: Point): boolean {
  if (opening.values.length !== shapes.length || ballot.answers.length !== shapes.length) return false;
  return shapes.every((shape, q) => {
    const vs = opening.values[q];
    const slots = ballot.answers[q].slots;
    if (vs.length !== shape.slotMax.length || slots.length !== vs.length || opening.r[q]?.length !== vs.length) return false;
    if (!vs.every((v, i) => Number.isInteger(v) && v >= 0 && v <= shape.slotMax[i])) return false;
    const sum = vs.reduce((s, v, i) => s + v * shape.weights[i], 0);
    if (sum < shape.min || sum > shape.max) return false;
    return vs.every((v, i) => {
      const e = encrypt(key, v, opening.r[q][i]);
      return e.alpha.equals(slots[i].alpha) && e.beta.equals(slots[i].beta);
    });
  });
}
