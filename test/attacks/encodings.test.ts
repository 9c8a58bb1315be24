/**
 * docs/security.md §D4 (invalid, non-canonical and low-order encodings; the identity; unreduced scalars)
 * and the malleability they would allow: every mutated field of a real ballot must make decodeBallot
 * and verifyBallot throw DecodeError naming that field, and verifyBallots must call the ballot invalid.
 */
import { ristretto255 } from '@noble/curves/ed25519.js';
import { describe, expect, it } from 'vitest';
import {
  DecodeError,
  DirectCheck,
  G,
  L,
  ballotShape,
  ballotTracker,
  createBallot,
  decodeBallot,
  decodePoint,
  disjunctiveEquations,
  encodeBallot,
  encodePoint,
  encodeScalar,
  generateKeyPair,
  seededRandom,
  signatureEquations,
  verifyBallot,
  verifyBallots,
  type DisjunctiveProof,
  type Point,
  type RangeProof,
} from '../../crypto/index.ts';
import { ballotContext, equalBytes, hex, le32, makePoll, offsetOf, patched, slotStatement, sumStatement } from './helpers.ts';

const rng = seededRandom('attacks/encodings');
// Single choice of three: slots, 0/1 proofs (with a carried challenge) and a one-branch sum proof.
const poll = makePoll({ questions: [{ kind: 'single', options: 3 }] }, rng, 'encodings poll');
const voter = generateKeyPair(rng);
const cast = createBallot({ shape: poll.shape, key: poll.key, fingerprint: poll.fingerprint, credential: voter, answers: [{ values: [0, 0, 1] }] }, rng);
const honest2 = createBallot({ shape: poll.shape, key: poll.key, fingerprint: poll.fingerprint, credential: generateKeyPair(rng), answers: [{ values: [1, 0, 0] }] }, rng);
const { ballot, bytes } = cast;

function disjunctive(p: RangeProof | null): DisjunctiveProof {
  if (p === null || p.kind !== 'disjunctive') throw new Error('expected a §P3 proof');
  return p.proof;
}

const slotProof0 = disjunctive(ballot.answers[0].slotProofs[0]);
const sumProof = disjunctive(ballot.answers[0].sumProof);

/** Where each targeted field sits in the honest ballot's bytes, found by its own encoding. */
const POINT_FIELDS: Record<string, number> = {
  credential: offsetOf(bytes, encodePoint(ballot.credential)),
  'answers[0].slots[0].alpha': offsetOf(bytes, encodePoint(ballot.answers[0].slots[0].alpha)),
  'answers[0].slots[1].beta': offsetOf(bytes, encodePoint(ballot.answers[0].slots[1].beta)),
  'answers[0].slots[2].alpha': offsetOf(bytes, encodePoint(ballot.answers[0].slots[2].alpha)),
};
/** Proof commitments and the signature's T: the identity is a legal value there, nothing else is. */
const COMMITMENT_FIELDS: Record<string, number> = {
  'answers[0].slotProofs[0].A[0]': offsetOf(bytes, encodePoint(slotProof0.A[0])),
  'answers[0].slotProofs[0].B[1]': offsetOf(bytes, encodePoint(slotProof0.B[1])),
  'answers[0].sumProof.B[0]': offsetOf(bytes, encodePoint(sumProof.B[0])),
  'signature.T': bytes.length - 64,
};
const SCALAR_FIELDS: Record<string, { at: number; value: bigint }> = {
  'answers[0].slotProofs[0].c[0]': { at: offsetOf(bytes, encodeScalar(slotProof0.c[0])), value: slotProof0.c[0] },
  'answers[0].slotProofs[0].z[0]': { at: offsetOf(bytes, encodeScalar(slotProof0.z[0])), value: slotProof0.z[0] },
  'answers[0].sumProof.z[0]': { at: offsetOf(bytes, encodeScalar(sumProof.z[0])), value: sumProof.z[0] },
  'signature.z': { at: bytes.length - 32, value: ballot.signature.z },
};

const P_ENCODING = 'edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f';
const BAD_POINTS: Record<string, Uint8Array> = {
  's = p (non-canonical field element)': hex(P_ENCODING),
  's = p + 2 (non-canonical field element)': hex('efffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f'),
  'negative s = 1 (the Edwards identity 0100…00)': hex('01' + '00'.repeat(31)),
  'RFC 9496 negative field element': hex('ed57ffd8c914fb201471d1c3d245ce3c746fcbe63a3679d51b6a516ebebe0e20'),
  'the Edwards order-2 point ecff…ff7f (s = −1)': hex('ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f'),
  'bit 255 set on the generator': (() => {
    const b = encodePoint(G).slice();
    b[31] |= 0x80;
    return b;
  })(),
  // RFC 9496 A.2, one of each remaining kind.
  'RFC 9496 non-square x²': hex('26948d35ca62e643e26a83177332e6b6afeb9d08e4268b650f1f5bbd8d81d371'),
  'RFC 9496 negative xy': hex('3eb858e78f5a7254d8c9731174a94f76755fd3941c0ac93735c07ba14579630e'),
};

const BAD_SCALARS: Record<string, bigint> = {
  'ℓ': L,
  'ℓ + 1': L + 1n,
  '2^256 − 1': (1n << 256n) - 1n,
};

/** Asserts that decodeBallot and verifyBallot throw a DecodeError for `field`, and returns its message. */
function expectDecodeError(b: Uint8Array, field: string, reason?: RegExp): string {
  let err: unknown = null;
  try {
    decodeBallot(b, poll.shapes);
  } catch (e) {
    err = e;
  }
  expect(err, `decodeBallot accepted a bad ${field}`).toBeInstanceOf(DecodeError);
  const e = err as DecodeError;
  expect(e.field).toBe(field);
  expect(e.message).toContain(field);
  if (reason) expect(e.message).toMatch(reason);
  expect(() => verifyBallot(b, poll.params)).toThrow(DecodeError);
  return e.message;
}

const FIELD_P = 2n ** 255n - 19n;

/**
 * RFC 9496 decoding depends on s only through s² and |2s·…|, so s and −s = p − s give the same point,
 * and so do s + p and 2p − s read without reduction. Only the canonical s (even, below p) may decode.
 */
function expectOtherEncodingsRefused(at: number, field: string): void {
  let s = 0n;
  for (let i = 31; i >= 0; i--) s = (s << 8n) | BigInt(bytes[at + i]);
  expect(s % 2n).toBe(0n);
  for (const [what, alt] of [
    ['p − s (the negative sign)', FIELD_P - s],
    ['s + p (unreduced)', s + FIELD_P],
    ['2p − s (unreduced negative, even)', 2n * FIELD_P - s],
  ] as const) {
    expect(expectDecodeError(patched(bytes, at, le32(alt)), field, /canonical/), what).toContain(field);
  }
}

describe('the honest ballot', () => {
  it('positive control: verifies, and its bytes re-encode exactly (T-D4c)', () => {
    expect(verifyBallot(bytes, poll.params)).toBe(true);
    expect(equalBytes(encodeBallot(decodeBallot(bytes, poll.shapes)), bytes)).toBe(true);
  });
});

describe('point fields (T-D4a, T-D4b)', () => {
  it('every point of the decoded ballot re-encodes, by noble and uncached, to the bytes it came from (T-D4c)', () => {
    const b = decodeBallot(bytes, poll.shapes);
    const points = [b.credential, b.signature.T];
    for (const a of b.answers) {
      for (const E of a.slots) points.push(E.alpha, E.beta);
      for (const p of [...a.slotProofs, a.sumProof]) points.push(...disjunctive(p).A, ...disjunctive(p).B);
    }
    expect(points.length).toBe(2 + 6 + 3 * 4 + 2);
    for (const P of points) {
      const at = offsetOf(bytes, encodePoint(P));
      expect(equalBytes(P.toBytes(), bytes.subarray(at, at + 32))).toBe(true);
    }
  });

  it('accepts exactly what noble accepts on the edge cases of RFC 9496 decoding (s = 0, ±√−1, near p, 2^254)', () => {
    const p = 2n ** 255n - 19n;
    let sqrtM1 = 1n;
    for (let e = (p - 1n) / 4n, b = 2n; e > 0n; e >>= 1n, b = (b * b) % p) if (e & 1n) sqrtM1 = (sqrtM1 * b) % p;
    const even = (x: bigint) => (x & 1n ? p - x : x);
    const candidates = [0n, 2n, 4n, even(sqrtM1), p - 1n, p - 3n, p - 5n, p + 1n, p + 3n, 2n ** 254n, 2n ** 255n - 2n, 2n ** 256n - 2n];
    for (let k = 1n; k <= 40n; k++) candidates.push(p - 1n - 2n * k * 1234567n, 2n * k);
    let accepted = 0;
    for (const s of candidates) {
      const enc = le32(s);
      let theirs: Point | null = null;
      try {
        theirs = ristretto255.Point.fromBytes(enc);
      } catch {
        theirs = null;
      }
      let ours: Point | null = null;
      try {
        ours = decodePoint(enc, 'P', true);
      } catch (e) {
        expect(e).toBeInstanceOf(DecodeError);
      }
      expect(ours === null, `s = ${s}`).toBe(theirs === null);
      if (ours !== null && theirs !== null) {
        accepted++;
        expect(ours.equals(theirs)).toBe(true);
        expect(equalBytes(ours.toBytes(), enc)).toBe(true);
      }
    }
    expect(accepted).toBeGreaterThan(10);
  });

  for (const [field, at] of Object.entries(POINT_FIELDS)) {
    it(`refuses the identity (32 zero bytes) as ${field}`, () => {
      expectDecodeError(patched(bytes, at, new Uint8Array(32)), field, /identity/);
    });
    it(`refuses every non-canonical or invalid encoding as ${field}`, () => {
      for (const [what, enc] of Object.entries(BAD_POINTS)) {
        expect(expectDecodeError(patched(bytes, at, enc), field, /canonical/), what).toContain(field);
      }
    });
    it(`refuses the other encodings of the very same point as ${field}: p − s, s + p, 2p − s (no point malleability)`, () => {
      expectOtherEncodingsRefused(at, field);
    });
    it(`refuses ${field} with bit 255 set on its own valid encoding`, () => {
      const b = bytes.slice();
      b[at + 31] |= 0x80;
      expectDecodeError(b, field, /canonical/);
    });
  }

  for (const [field, at] of Object.entries(COMMITMENT_FIELDS)) {
    it(`refuses every non-canonical or invalid encoding as ${field}`, () => {
      for (const [what, enc] of Object.entries(BAD_POINTS)) {
        expect(expectDecodeError(patched(bytes, at, enc), field, /canonical/), what).toContain(field);
      }
    });
    it(`refuses the other encodings of the very same point as ${field}: p − s, s + p, 2p − s`, () => {
      expectOtherEncodingsRefused(at, field);
    });
    it(`decodes the identity as ${field} (a legal commitment) but the ballot then fails to verify`, () => {
      const b = patched(bytes, at, new Uint8Array(32));
      expect(() => decodeBallot(b, poll.shapes)).not.toThrow();
      expect(verifyBallot(b, poll.params)).toBe(false);
    });
  }

  it('refuses the identity wherever the protocol refuses it, through decodePoint too (keys, credentials)', () => {
    expect(() => decodePoint(new Uint8Array(32), 'key')).toThrow(DecodeError);
    expect(() => decodePoint(new Uint8Array(32), 'key')).toThrow(/key: the identity/);
  });
});

describe('scalar fields (T-D4d)', () => {
  for (const [field, { at }] of Object.entries(SCALAR_FIELDS)) {
    it(`refuses ℓ, ℓ + 1 and 2^256 − 1 as ${field}`, () => {
      for (const [what, x] of Object.entries(BAD_SCALARS)) {
        expect(expectDecodeError(patched(bytes, at, le32(x)), field, /not reduced/), what).toContain(field);
      }
    });
  }

  for (const [field, { at, value }] of Object.entries(SCALAR_FIELDS)) {
    it(`refuses z + ℓ for ${field}: the unreduced encoding of the same proof, which would give the ballot a second tracker`, () => {
      const b = patched(bytes, at, le32(value + L));
      expect(equalBytes(ballotTracker(b), cast.tracker)).toBe(false);
      expectDecodeError(b, field, /not reduced/);
    });
  }

  it('positive control: with z + ℓ the equations still hold, so only the decoder blocks this malleability', () => {
    const body = bytes.subarray(0, bytes.length - 64);
    const sig = new DirectCheck();
    signatureEquations(voter.publicKey, body, { ...ballot.signature, z: ballot.signature.z + L }, ballotContext(poll.fingerprint, voter.publicKey, []), sig);
    expect(sig.result()).toBe(true);

    const slots = ballot.answers[0].slots;
    const p = new DirectCheck();
    const ctx = ballotContext(poll.fingerprint, voter.publicKey, [1, 0, 0]);
    disjunctiveEquations(slotStatement(poll.key, poll.shapes[0], slots, 0), { ...slotProof0, z: [slotProof0.z[0] + L, slotProof0.z[1]] }, ctx, p);
    expect(p.result()).toBe(true);

    // A carried challenge c₀ + ℓ changes neither c₀ nor the derived last challenge mod ℓ either.
    const c = new DirectCheck();
    disjunctiveEquations(slotStatement(poll.key, poll.shapes[0], slots, 0), { ...slotProof0, c: [slotProof0.c[0] + L] }, ctx, c);
    expect(c.result()).toBe(true);

    const s = new DirectCheck();
    disjunctiveEquations(sumStatement(poll.key, poll.shapes[0], slots), { ...sumProof, z: [sumProof.z[0] + L] }, ballotContext(poll.fingerprint, voter.publicKey, [2, 0]), s);
    expect(s.result()).toBe(true);
  });
});

describe('framing', () => {
  it('refuses every truncation of the ballot, naming where the input ended', () => {
    // Every length at or around a 32-byte boundary, and a sample in between.
    const lengths = new Set<number>();
    for (let n = 0; n < bytes.length; n++) if (n % 32 <= 1 || n % 32 === 31 || n % 11 === 0) lengths.add(n);
    for (const n of lengths) {
      let err: unknown = null;
      try {
        decodeBallot(bytes.subarray(0, n), poll.shapes);
      } catch (e) {
        err = e;
      }
      expect(err, `length ${n}`).toBeInstanceOf(DecodeError);
      expect((err as DecodeError).message, `length ${n}`).toMatch(/ends too early/);
    }
    expectDecodeError(bytes.subarray(0, 0), 'version', /ends too early/);
    expectDecodeError(bytes.subarray(0, bytes.length - 1), 'signature.z', /ends too early/);
    expectDecodeError(bytes.subarray(0, bytes.length - 32), 'signature.z', /ends too early/);
  });

  it('refuses trailing bytes after the signature', () => {
    expectDecodeError(Uint8Array.of(...bytes, 0), 'end', /1 trailing byte/);
    expectDecodeError(Uint8Array.of(...bytes, ...encodeScalar(1n)), 'end', /32 trailing bytes/);
  });

  it('refuses a version byte other than 1', () => {
    for (const v of [0, 2, 0x7f, 0xff]) expectDecodeError(patched(bytes, 0, Uint8Array.of(v)), 'version', new RegExp(`version ${v}`));
  });

  it('refuses question and slot counts other than the poll’s', () => {
    const questionsAt = 1 + 32 + 32;
    expectDecodeError(patched(bytes, questionsAt, Uint8Array.of(0, 0, 0, 2)), 'questions', /expected 1, got 2/);
    expectDecodeError(patched(bytes, questionsAt + 4, Uint8Array.of(0, 0, 0, 4)), 'answers[0].slots', /expected 3, got 4/);
  });

  it('refuses a ballot laid out for another shape', () => {
    expect(() => decodeBallot(bytes, ballotShape({ questions: [{ kind: 'single', options: 4 }] }))).toThrow(DecodeError);
    expect(() => decodeBallot(bytes, ballotShape({ questions: [{ kind: 'multiple', options: 3, min: 0, max: 3 }] }))).toThrow(DecodeError);
  });

  it('names exactly the malformed ballots in a batch, without throwing', () => {
    const bad = [
      patched(bytes, POINT_FIELDS.credential, new Uint8Array(32)),
      patched(bytes, SCALAR_FIELDS['signature.z'].at, le32(ballot.signature.z + L)),
      bytes.subarray(0, bytes.length - 1),
      patched(bytes, 0, Uint8Array.of(2)),
    ];
    expect(verifyBallots([bytes, ...bad, honest2.bytes], poll.params)).toEqual([true, false, false, false, false, true]);
  });
});
