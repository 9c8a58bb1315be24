/**
 * The trustee messages' one canonical encoding (§T.2): every kind round-trips byte for byte, and the
 * decoder refuses truncation, trailing bytes, unknown kinds and versions, indices outside 1 … 64,
 * the identity in a key field, non-canonical points and scalars, and malformed lists — each with a
 * DecodeError naming the field.
 */
import { describe, expect, it } from 'vitest';
import {
  DecodeError,
  MAX_CIPHERTEXTS,
  MAX_TRUSTEES,
  TrusteeMessageKind,
  buildMessage,
  decodeTrusteeMessage,
  encodeSchnorrProof,
  encryptShare,
  evaluatePolynomial,
  add,
  type FieldSpan,
  type TrusteeMessage,
} from '../../crypto/index.ts';
import { ceremony, decryptionMessages, encryptTally, replaceFrom, resign, secretsOf, type CeremonyRun } from './support.ts';

const setup = (async () => {
  // a 2-of-3 ceremony in which trustee 1 deals trustee 3 a bad share: every message kind appears
  const run = await ceremony(2, 3, 'encodings', {
    shares: (list, stage) =>
      replaceFrom(list, 1, async (m) => {
        const bad = await encryptShare(stage.h, 1, 3, add(evaluatePolynomial(stage.polynomials.get(1)!, 3), 1n), stage.identities[2].encryptionKey, stage.rng);
        return resign(stage, m, { shares: m.shares.map((s) => (s.to === 3 ? bad : s)) });
      }),
  });
  const tally = encryptTally(run.outcome.jointKey!, [[1, 0], [1, 1]], run.rng);
  const decryptions = [...decryptionMessages(run, tally).values()];
  const r = run.record;
  const all: TrusteeMessage[] = [...r.identities, ...r.commits, ...r.reveals, ...r.shares, ...r.complaints, ...r.finishes, ...decryptions];
  const one = (kind: TrusteeMessage['kind']) => all.find((m) => m.kind === kind)!;
  return { run, all, one };
})();

function decodeError(bytes: Uint8Array): DecodeError {
  try {
    decodeTrusteeMessage(bytes);
  } catch (e) {
    if (e instanceof DecodeError) return e;
    throw e;
  }
  throw new Error('decoded without error');
}

function trace(m: TrusteeMessage): FieldSpan[] {
  const spans: FieldSpan[] = [];
  decodeTrusteeMessage(m.bytes, spans);
  return spans;
}

/** m's bytes with field `field` overwritten by `value` (same length). */
function withField(m: TrusteeMessage, field: string, value: Uint8Array): Uint8Array {
  const span = trace(m).find((s) => s.field === field);
  if (!span) throw new Error(`no field ${field}`);
  if (value.length !== span.length) throw new Error(`${field} is ${span.length} bytes`);
  const out = m.bytes.slice();
  out.set(value, span.offset);
  return out;
}

const u32 = (n: number) => {
  const b = new Uint8Array(4);
  new DataView(b.buffer).setUint32(0, n);
  return b;
};
const IDENTITY_BYTES = new Uint8Array(32);
const NON_CANONICAL = new Uint8Array(32).fill(0xff);
const KINDS = ['identity', 'commit', 'reveal', 'shares', 'complaint', 'finish', 'decryption'] as const;

describe('trustee message encodings', () => {
  it('every message kind appears in the sample, with the kind byte T.1.2 assigns', async () => {
    const { all } = await setup;
    expect(new Set(all.map((m) => m.kind))).toEqual(new Set(KINDS));
    for (const m of all) expect(m.bytes[0]).toBe(TrusteeMessageKind[m.kind]);
  });

  it('every message round-trips through decodeTrusteeMessage byte for byte, and re-encoding the decoded fields gives the same body', async () => {
    const { run, all } = await setup;
    for (const m of all) {
      const d = decodeTrusteeMessage(m.bytes);
      expect(d.kind).toBe(m.kind);
      expect(d.index).toBe(m.index);
      expect(d.bytes).toEqual(m.bytes);
      expect(d.body).toEqual(m.body);
      expect(d.fingerprint).toEqual(m.fingerprint);
      expect(encodeSchnorrProof(d.signature)).toEqual(m.bytes.slice(m.body.length));
      const { kind, index, fingerprint, signature: _sig, body: _body, bytes: _bytes, ...payload } = d;
      const again = buildMessage(kind as never, fingerprint, index, payload as never, secretsOf(run, index).signing, run.rng) as TrusteeMessage;
      expect(again.body, `${m.kind} from ${m.index}`).toEqual(m.body);
    }
  });

  it('a 1-of-1 ceremony’s empty shares message round-trips too', async () => {
    const run: CeremonyRun = await ceremony(1, 1, 'encodings 1/1');
    const [shares] = run.record.shares;
    expect(shares.shares).toEqual([]);
    expect(decodeTrusteeMessage(shares.bytes).bytes).toEqual(shares.bytes);
  });

  it('every truncation is refused, naming the field where the input ends', async () => {
    const { one } = await setup;
    for (const kind of KINDS) {
      const m = one(kind);
      const spans = trace(m);
      for (let len = 0; len < m.bytes.length; len++) {
        const e = decodeError(m.bytes.slice(0, len));
        const cut = spans.find((s) => s.offset + s.length > len)!;
        expect(e.reason, `${kind} cut at ${len}`).toBe('input ends too early');
        expect(e.field, `${kind} cut at ${len}`).toBe(cut.field);
      }
    }
  });

  it('trailing bytes are refused', async () => {
    const { one } = await setup;
    for (const kind of KINDS) {
      const m = one(kind);
      for (const extra of [Uint8Array.of(0), Uint8Array.of(1, 2, 3), new Uint8Array(64)]) {
        const bytes = new Uint8Array([...m.bytes, ...extra]);
        const e = decodeError(bytes);
        expect([e.field, e.reason]).toEqual(['end', `${extra.length} trailing bytes`]);
      }
    }
  });

  it('an unknown kind or version is refused', async () => {
    const { one } = await setup;
    for (const kind of KINDS) {
      const m = one(kind);
      for (const k of [0, 8, 255]) {
        const b = m.bytes.slice();
        b[0] = k;
        expect(decodeError(b).field).toBe('kind');
      }
      for (const v of [0, 2, 255]) {
        const b = m.bytes.slice();
        b[1] = v;
        expect(decodeError(b).field).toBe('version');
      }
    }
  });

  it('an index outside 1 … 64 is refused', async () => {
    const { one } = await setup;
    for (const kind of KINDS) {
      for (const i of [0, MAX_TRUSTEES + 1, 0xffffffff]) {
        const e = decodeError(withField(one(kind), 'index', u32(i)));
        expect(e.field).toBe('index');
        expect(e.reason).toContain(`trustee index ${i} is not from 1 to 64`);
      }
    }
  });

  it('the identity in a key field is refused, naming the field', async () => {
    const { one } = await setup;
    const cases: [TrusteeMessage['kind'], string][] = [
      ['identity', 'signingKey'],
      ['identity', 'encryptionKey'],
      ['reveal', 'commitments[0]'],
      ['reveal', 'commitments[1]'],
      ['shares', 'shares[0].E'],
      ['shares', 'shares[1].E'],
      ['complaint', 'key'],
    ];
    for (const [kind, field] of cases) {
      const e = decodeError(withField(one(kind), field, IDENTITY_BYTES));
      expect([e.field, e.reason]).toEqual([field, 'the identity is not allowed here']);
    }
  });

  it('a non-canonical point anywhere is refused, naming the field', async () => {
    const { one } = await setup;
    for (const kind of KINDS) {
      const m = one(kind);
      for (const span of trace(m).filter((s) => s.length === 32 && !['fingerprint', 'hash', 'transcript'].includes(s.field) && !s.field.endsWith('.z') && !s.field.endsWith('ciphertext'))) {
        const e = decodeError(withField(m, span.field, NON_CANONICAL));
        expect([e.field, e.reason], `${kind} ${span.field}`).toEqual([span.field, 'not a canonical ristretto255 encoding']);
      }
    }
  });

  it('an unreduced scalar (≥ ℓ) is refused, naming the field', async () => {
    const { one } = await setup;
    for (const kind of KINDS) {
      const m = one(kind);
      for (const span of trace(m).filter((s) => s.field.endsWith('.z'))) {
        const e = decodeError(withField(m, span.field, NON_CANONICAL));
        expect([e.field, e.reason]).toEqual([span.field, 'scalar is not reduced mod ℓ']);
      }
    }
  });

  it('shares: a recipient that is the dealer, 0, above 64, or out of order is refused', async () => {
    const { one } = await setup;
    const m = one('shares'); // from trustee 1, to [2, 3]
    expect(m.index).toBe(1);
    for (const [field, to] of [
      ['shares[0].to', 1],
      ['shares[0].to', 0],
      ['shares[0].to', 65],
      ['shares[1].to', 2],
      ['shares[1].to', 1],
    ] as const) {
      const e = decodeError(withField(m, field, u32(to)));
      expect(e.field, `${field} = ${to}`).toBe(field);
    }
  });

  it('counts: a reveal with no or too many commitments, and too many shares, are refused', async () => {
    const { one } = await setup;
    expect(decodeError(withField(one('reveal'), 'commitments', u32(0)))).toMatchObject({ field: 'commitments', reason: 'a reveal has at least one commitment' });
    expect(decodeError(withField(one('reveal'), 'commitments', u32(65)))).toMatchObject({ field: 'commitments', reason: '65 is over the limit of 64' });
    expect(decodeError(withField(one('shares'), 'shares', u32(65)))).toMatchObject({ field: 'shares', reason: '65 is over the limit of 64' });
    expect(decodeError(withField(one('decryption'), 'shares', u32(MAX_CIPHERTEXTS + 1)))).toMatchObject({ field: 'shares', reason: `${MAX_CIPHERTEXTS + 1} is over the limit of ${MAX_CIPHERTEXTS}` });
    // a count larger than the list: the input ends early, in the field after the last real one
    expect(decodeError(withField(one('shares'), 'shares', u32(3))).field).toBe('shares[2].to');
  });

  it('complaint: accusing oneself, 0 or an index above 64 is refused', async () => {
    const { one } = await setup;
    const m = one('complaint'); // trustee 3 accuses trustee 1
    expect([m.index, (m as Extract<TrusteeMessage, { kind: 'complaint' }>).accused]).toEqual([3, 1]);
    for (const a of [3, 0, 65]) expect(decodeError(withField(m, 'accused', u32(a))).field).toBe('accused');
  });

  it('a proof commitment T may be the identity (it is part of the proof, not a key), and decodes', async () => {
    const { one } = await setup;
    const b = withField(one('finish'), 'signature.T', IDENTITY_BYTES);
    expect(decodeTrusteeMessage(b).signature.T.is0()).toBe(true);
  });
});
