/** Codec round trips and strictness: points, scalars, Writer/Reader, hex, base32, trackers, credential codes, ballots, openings. */
import { ristretto255 } from '@noble/curves/ed25519.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  G,
  IDENTITY,
  L,
  Reader,
  Writer,
  ballotShape,
  checkOpening,
  createBallot,
  decodeBallot,
  decodeOpening,
  decodePoint,
  decodeScalar,
  deriveCredential,
  encodeBallot,
  encodeOpening,
  encodePoint,
  encodeScalar,
  formatTracker,
  fromBase32,
  fromHex,
  generateCredentialCode,
  generateKeyPair,
  mulPublic,
  mulSecret,
  normaliseBase32,
  parseCredentialCode,
  parseTracker,
  proveKnowledge,
  randomScalar,
  toBase32,
  toHex,
  trackerText,
  verifyKnowledge,
  type BallotOpening,
  type BallotShape,
  type Point,
} from '../../crypto/index.ts';
import { ALPHABET } from '../../crypto/base32.ts';
import { KINDS, decodeFails, electionKey, equalBytes, questionWithAnswerArb, randomPoint, rngFor, runs, seedArb } from './support.ts';

const scalarArb: fc.Arbitrary<bigint> = fc.oneof(
  fc.bigInt({ min: 0n, max: L - 1n }),
  fc.constantFrom(0n, 1n, 2n, L - 1n, L - 2n, (1n << 252n) - 1n, 1n << 252n),
  fc.bigInt({ min: 0n, max: 255n }),
);

function littleEndian(x: bigint): Uint8Array {
  const out = new Uint8Array(32);
  for (let i = 0; i < 32; i++) out[i] = Number((x >> BigInt(8 * i)) & 0xffn);
  return out;
}

describe('points and scalars (§G.2)', () => {
  it('decodePoint(encodePoint(P)) equals P and re-encodes to identical bytes, also for a fresh object (no cache)', () => {
    fc.assert(
      fc.property(seedArb, (seed) => {
        const P = randomPoint(rngFor(seed, 'point'));
        const bytes = encodePoint(P).slice();
        expect(bytes.length).toBe(32);
        const Q = decodePoint(bytes, 'P');
        expect(Q.equals(P)).toBe(true);
        expect(encodePoint(Q)).toEqual(bytes);
        expect(encodePoint(P.add(IDENTITY))).toEqual(bytes); // a new object: encoded from scratch
        expect(encodePoint(P.negate().negate())).toEqual(bytes);
      }),
      runs(60),
    );
  });

  it('any 32 bytes either decode to a point that re-encodes to the same bytes or throw DecodeError (canonicity)', () => {
    let accepted = 0;
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 32, maxLength: 32 }), fc.boolean(), (bytes, allowIdentity) => {
        let P: Point;
        try {
          P = decodePoint(bytes, 'P', allowIdentity);
        } catch (e) {
          expect(e).toHaveProperty('name', 'DecodeError');
          return;
        }
        accepted++;
        expect(encodePoint(P)).toEqual(bytes);
        expect(encodePoint(P.add(IDENTITY))).toEqual(bytes);
      }),
      runs(400),
    );
    expect(accepted).toBeGreaterThan(0);
  });

  it('decodePoint accepts exactly what @noble/curves accepts, as the same point, which then adds and multiplies the same', () => {
    const P_FIELD = 2n ** 255n - 19n;
    const input = fc.oneof(
      // Random bytes, half of them with the sign bit and bit 255 cleared so that many decode.
      fc.record({ b: fc.uint8Array({ minLength: 32, maxLength: 32 }), clear: fc.boolean() }).map(({ b, clear }) => {
        if (clear) {
          b[0] &= 0xfe;
          b[31] &= 0x7f;
        }
        return b;
      }),
      // A valid encoding, as is.
      seedArb.map((seed) => encodePoint(randomPoint(rngFor(seed, 'valid')))),
      // A valid encoding with one bit flipped.
      fc.record({ seed: seedArb, bit: fc.nat(255) }).map(({ seed, bit }) => {
        const b = encodePoint(randomPoint(rngFor(seed, 'flip')));
        const out = b.slice();
        out[bit >> 3] ^= 1 << (bit & 7);
        return out;
      }),
      // Field elements around p and 2^255, small ones, and a valid encoding with bit 255 set.
      fc.integer({ min: -64, max: 64 }).map((k) => littleEndian((P_FIELD + BigInt(k)) & ((1n << 256n) - 1n))),
      fc.integer({ min: 0, max: 128 }).map((k) => littleEndian(BigInt(k))),
      seedArb.map((seed) => {
        const b = encodePoint(randomPoint(rngFor(seed, 'high')));
        const out = b.slice();
        out[31] |= 0x80;
        return out;
      }),
    );
    let both = 0;
    fc.assert(
      fc.property(input, fc.bigInt({ min: 1n, max: L - 1n }), (bytes, k) => {
        let ours: Point | null = null;
        try {
          ours = decodePoint(bytes, 'P', true);
        } catch (e) {
          expect(e).toHaveProperty('name', 'DecodeError');
        }
        let theirs: Point | null = null;
        try {
          theirs = ristretto255.Point.fromBytes(bytes);
        } catch {
          theirs = null;
        }
        expect(ours === null).toBe(theirs === null);
        if (ours === null || theirs === null) return;
        both++;
        expect(ours.equals(theirs)).toBe(true);
        expect(ours.add(G).equals(theirs.add(G))).toBe(true);
        expect(ours.double().equals(theirs.double())).toBe(true);
        expect(mulPublic(ours, k).equals(mulPublic(theirs, k))).toBe(true);
        expect(ours.subtract(theirs).is0()).toBe(true);
        expect(ours.add(IDENTITY).toBytes()).toEqual(bytes);
      }),
      runs(400),
    );
    expect(both).toBeGreaterThan(40);
  });

  it('encodePoint returns a copy: changing it changes neither later encodings nor proofs over the point', () => {
    fc.assert(
      fc.property(seedArb, fc.nat(255), (seed, bit) => {
        const rng = rngFor(seed, 'alias');
        const x = randomScalar(rng);
        const X = mulSecret(G, x);
        const first = encodePoint(X);
        const kept = first.slice();
        first[bit >> 3] ^= 1 << (bit & 7);
        expect(encodePoint(X)).toEqual(kept);
        const ctx = { fingerprint: rng(32), binding: rng(8) };
        expect(verifyKnowledge(X, proveKnowledge(x, X, ctx, rng), ctx)).toBe(true);
        const decoded = decodePoint(kept, 'X');
        const again = encodePoint(decoded);
        again[0] ^= 1;
        expect(encodePoint(decoded)).toEqual(kept);
      }),
      runs(40),
    );
  });

  it('the identity decodes only with allowIdentity; other lengths than 32 never decode', () => {
    const zero = encodePoint(IDENTITY);
    expect(zero).toEqual(new Uint8Array(32));
    expect(decodeFails(() => decodePoint(zero, 'P'))).toBe(true);
    expect(decodePoint(zero, 'P', true).equals(IDENTITY)).toBe(true);
    fc.assert(
      fc.property(seedArb, fc.integer({ min: 0, max: 64 }).filter((n) => n !== 32), (seed, n) => {
        const good = encodePoint(randomPoint(rngFor(seed, 'len')));
        const resized = new Uint8Array(n);
        resized.set(good.subarray(0, Math.min(n, 32)));
        expect(decodeFails(() => decodePoint(resized, 'P', true))).toBe(true);
      }),
      runs(40),
    );
  });

  it('decodeScalar(encodeScalar(s)) = s for every s in [0, ℓ), little-endian', () => {
    fc.assert(
      fc.property(scalarArb, (s) => {
        const b = encodeScalar(s);
        expect(b).toEqual(littleEndian(s));
        expect(decodeScalar(b, 's')).toBe(s);
      }),
      runs(300),
    );
  });

  it('decodeScalar refuses every value ≥ ℓ (no reduction), and any 32 bytes below ℓ re-encode identically', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: L, max: (1n << 256n) - 1n }), fc.uint8Array({ minLength: 32, maxLength: 32 }), (big, random) => {
        expect(decodeFails(() => decodeScalar(littleEndian(big), 's'))).toBe(true);
        let s: bigint;
        try {
          s = decodeScalar(random, 's');
        } catch {
          return;
        }
        expect(encodeScalar(s)).toEqual(random);
      }),
      runs(300),
    );
    expect(decodeFails(() => decodeScalar(littleEndian(L), 's'))).toBe(true);
  });
});

type Field = { t: 'u8'; v: number } | { t: 'u32'; v: number } | { t: 'scalar'; v: bigint } | { t: 'framed'; v: Uint8Array } | { t: 'point'; seed: string };

const fieldArb: fc.Arbitrary<Field> = fc.oneof(
  fc.record({ t: fc.constant('u8' as const), v: fc.integer({ min: 0, max: 255 }) }),
  fc.record({ t: fc.constant('u32' as const), v: fc.integer({ min: 0, max: 0xffffffff }) }),
  fc.record({ t: fc.constant('scalar' as const), v: scalarArb }),
  fc.record({ t: fc.constant('framed' as const), v: fc.uint8Array({ maxLength: 40 }) }),
  fc.record({ t: fc.constant('point' as const), seed: seedArb }),
);

describe('Writer and Reader', () => {
  function write(fields: readonly Field[], points: Map<string, Point>): Uint8Array {
    const w = new Writer();
    for (const f of fields) {
      if (f.t === 'u8') w.u8(f.v);
      else if (f.t === 'u32') w.u32(f.v);
      else if (f.t === 'scalar') w.scalar(f.v);
      else if (f.t === 'framed') w.framed(f.v);
      else {
        if (!points.has(f.seed)) points.set(f.seed, randomPoint(rngFor(f.seed, 'rw')));
        w.point(points.get(f.seed)!);
      }
    }
    return w.finish();
  }

  function read(r: Reader, fields: readonly Field[], points: Map<string, Point>): void {
    for (const f of fields) {
      if (f.t === 'u8') expect(r.u8('u8')).toBe(f.v);
      else if (f.t === 'u32') expect(r.u32('u32')).toBe(f.v);
      else if (f.t === 'scalar') expect(r.scalar('scalar')).toBe(f.v);
      else if (f.t === 'framed') expect(r.framed('framed', 40)).toEqual(f.v);
      else expect(r.point('point').equals(points.get(f.seed)!)).toBe(true);
    }
  }

  it('Reader reads back exactly what Writer wrote, and end() accepts only when nothing is left', () => {
    fc.assert(
      fc.property(fc.array(fieldArb, { maxLength: 12 }), (fields) => {
        const points = new Map<string, Point>();
        const bytes = write(fields, points);
        const r = new Reader(bytes);
        read(r, fields, points);
        expect(r.offset).toBe(bytes.length);
        r.end();
      }),
      runs(100),
    );
  });

  it('Reader.end() refuses trailing bytes and every read refuses input that ends too early', () => {
    fc.assert(
      fc.property(fc.array(fieldArb, { minLength: 1, maxLength: 8 }), fc.uint8Array({ minLength: 1, maxLength: 40 }), fc.nat(), (fields, extra, cut) => {
        const points = new Map<string, Point>();
        const bytes = write(fields, points);
        const long = new Reader(Uint8Array.from([...bytes, ...extra]));
        read(long, fields, points);
        expect(decodeFails(() => long.end())).toBe(true);
        if (bytes.length === 0) return;
        const short = new Reader(bytes.subarray(0, cut % bytes.length));
        expect(
          decodeFails(() => {
            read(short, fields, points);
            short.end();
          }),
        ).toBe(true);
      }),
      runs(100),
    );
  });

  it('fromHex(toHex(b)) = b, and fromHex refuses upper case and odd lengths', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (b) => {
        const hex = toHex(b);
        expect(hex).toMatch(/^[0-9a-f]*$/);
        expect(fromHex(hex, 'h')).toEqual(b);
        if (/[a-f]/.test(hex)) expect(decodeFails(() => fromHex(hex.toUpperCase(), 'h'))).toBe(true);
        if (hex.length > 0) expect(decodeFails(() => fromHex(hex.slice(1), 'h'))).toBe(true);
      }),
      runs(100),
    );
  });
});

/** Turns canonical symbols into what a person might type: lower case, spaces or hyphens, O for 0, I or L for 1. */
function humanise(s: string, style: number): string {
  let t = s;
  if (style & 1) t = t.toLowerCase();
  if (style & 2) t = t.replace(/0/g, style & 1 ? 'o' : 'O');
  if (style & 4) t = t.replace(/1/g, style & 8 ? 'I' : 'l');
  if (style & 16) t = t.replace(/(.{4})(?!$)/g, style & 32 ? '$1-' : '$1 ');
  return t;
}

describe('base32, trackers and credential codes (§G.5, §Q.7, §C)', () => {
  it('fromBase32(toBase32(b), |b|) = b, with ⌈8|b|/5⌉ symbols of the alphabet', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (b) => {
        const s = toBase32(b);
        expect(s.length).toBe(Math.ceil((8 * b.length) / 5));
        for (const ch of s) expect(ALPHABET).toContain(ch);
        expect(fromBase32(s, b.length)).toEqual(b);
        expect(fromBase32(s, b.length + 1)).toBe(null);
      }),
      runs(200),
    );
  });

  it('fromBase32 refuses non-zero padding bits (so every byte string has exactly one text)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 64 }), fc.nat(), (b, k) => {
        const s = toBase32(b);
        const padding = 5 * s.length - 8 * b.length;
        if (padding === 0) return;
        const last = ALPHABET.indexOf(s[s.length - 1]);
        const bad = s.slice(0, -1) + ALPHABET[last ^ (1 << (k % padding))];
        expect(fromBase32(bad, b.length)).toBe(null);
      }),
      runs(200),
    );
  });

  it('normaliseBase32 undoes lower case, separators and O/I/L, and refuses U and other symbols', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 40 }), fc.nat(63), fc.constantFrom('U', 'u', '*', '_', '.', 'é'), fc.nat(), (b, style, bad, at) => {
        const s = toBase32(b);
        expect(normaliseBase32(humanise(s, style))).toBe(s);
        const i = at % (s.length + 1);
        expect(normaliseBase32(s.slice(0, i) + bad + s.slice(i))).toBe(null);
      }),
      runs(200),
    );
  });

  it('parseTracker(formatTracker(t)) = t, also as a person would type it; formatTracker is 13 groups of 4', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 32, maxLength: 32 }), fc.nat(63), (t, style) => {
        const text = formatTracker(t);
        expect(text).toMatch(/^[0-9A-Z]{4}( [0-9A-Z]{4}){12}$/);
        expect(text.replace(/ /g, '')).toBe(trackerText(t));
        expect(parseTracker(text)).toEqual(t);
        expect(parseTracker(humanise(trackerText(t), style))).toEqual(t);
        expect(parseTracker(trackerText(t).slice(1))).toBe(null);
      }),
      runs(200),
    );
  });

  it('parseCredentialCode(generateCredentialCode()) is the code without hyphens, also as typed by a person; deriveCredential is X = x·G', () => {
    fc.assert(
      fc.property(seedArb, fc.nat(63), fc.uint8Array({ minLength: 1, maxLength: 32 }), (seed, style, electionId) => {
        const code = generateCredentialCode(rngFor(seed, 'code'));
        expect(code).toMatch(/^[0-9A-Z]{4}(-[0-9A-Z]{4}){5}$/);
        const symbols = code.replace(/-/g, '');
        expect(parseCredentialCode(code)).toBe(symbols);
        expect(parseCredentialCode(humanise(symbols, style))).toBe(symbols);
        const k = deriveCredential(code, electionId);
        expect(k.publicKey.equals(mulSecret(G, k.secret))).toBe(true);
        expect(deriveCredential(humanise(symbols, style), electionId).secret).toBe(k.secret);
        // Another election gives another key.
        const other = Uint8Array.from([...electionId, 0]);
        expect(deriveCredential(code, other).secret).not.toBe(k.secret);
      }),
      runs(60),
    );
  });

  it('a single-symbol typo or an adjacent transposition in a credential code never parses to the code and is caught by the checksum > 99% of the time (C.2: 10 check bits)', () => {
    let typos = 0;
    let caught = 0;
    fc.assert(
      fc.property(seedArb, fc.nat(23), fc.nat(30), fc.boolean(), (seed, at, shift, transpose) => {
        const symbols = generateCredentialCode(rngFor(seed, 'typo')).replace(/-/g, '');
        let typo: string;
        if (transpose) {
          const i = at % 23;
          if (symbols[i] === symbols[i + 1]) return; // not a typo
          typo = symbols.slice(0, i) + symbols[i + 1] + symbols[i] + symbols.slice(i + 2);
        } else {
          const replacement = ALPHABET[(ALPHABET.indexOf(symbols[at]) + 1 + shift) % 32]; // never the same symbol
          typo = symbols.slice(0, at) + replacement + symbols.slice(at + 1);
        }
        typos++;
        const parsed = parseCredentialCode(typo);
        expect(parsed).not.toBe(symbols);
        if (parsed === null) caught++;
      }),
      runs(3000),
    );
    expect(typos).toBeGreaterThan(2500);
    expect(caught / typos).toBeGreaterThan(0.99); // a 10-bit checksum misses 2^-10; a 5-bit one (3%) would fail here
  });
});

describe('ballots and openings (§Q.6, §Q.9)', () => {
  const election = electionKey('codec');

  it('encodeBallot(decodeBallot(bytes)) = bytes; decodeBallot refuses trailing bytes and truncations; openings round-trip and check', () => {
    fc.assert(
      fc.property(
        seedArb,
        fc.constantFrom(...KINDS).chain((k) => questionWithAnswerArb(k)),
        fc.uint8Array({ minLength: 1, maxLength: 8 }),
        fc.nat(),
        fc.nat(),
        (seed, qa, extra, cut, slot) => {
          const rng = rngFor(seed, 'ballot-codec');
          const shape: BallotShape = { questions: [qa.question] };
          const shapes = ballotShape(shape);
          const made = createBallot(
            { shape, key: election.prepared, fingerprint: rng(32), credential: generateKeyPair(rng), answers: [qa.answer] },
            rng,
          );
          expect(equalBytes(encodeBallot(made.ballot), made.bytes)).toBe(true);
          const decoded = decodeBallot(made.bytes, shapes);
          expect(equalBytes(encodeBallot(decoded), made.bytes)).toBe(true);
          expect(decodeFails(() => decodeBallot(Uint8Array.from([...made.bytes, ...extra]), shapes))).toBe(true);
          expect(decodeFails(() => decodeBallot(made.bytes.subarray(0, cut % made.bytes.length), shapes))).toBe(true);
          // Openings.
          const ob = encodeOpening(made.opening);
          const opening = decodeOpening(ob, shapes);
          expect(opening).toEqual(made.opening);
          expect(encodeOpening(opening)).toEqual(ob);
          expect(decodeFails(() => decodeOpening(Uint8Array.from([...ob, ...extra]), shapes))).toBe(true);
          expect(checkOpening(decoded, opening, shapes, election.publicKey)).toBe(true);
          // A different value or randomness in one slot no longer opens the ballot.
          const i = slot % shapes[0].slotMax.length;
          const values = opening.values.map((vs) => [...vs]);
          values[0][i] ^= 1;
          expect(checkOpening(decoded, { values, r: opening.r }, shapes, election.publicKey)).toBe(false);
          const r = opening.r.map((rs) => [...rs]);
          r[0][i] = (r[0][i] + 1n) % L;
          expect(checkOpening(decoded, { values: opening.values, r }, shapes, election.publicKey)).toBe(false);
        },
      ),
      runs(12),
    );
  });

  it('decodeOpening(encodeOpening(o)) = o for any values and scalars laid out for the shapes', () => {
    fc.assert(
      fc.property(
        seedArb,
        fc.array(fc.constantFrom(...KINDS).chain((k) => questionWithAnswerArb(k)), { minLength: 1, maxLength: 4 }),
        fc.array(fc.integer({ min: 0, max: 0xffffffff })),
        (seed, qas, raw) => {
          const rng = rngFor(seed, 'opening');
          const shapes = ballotShape({ questions: qas.map((qa) => qa.question) });
          let k = 0;
          const o: BallotOpening = {
            values: shapes.map((s) => s.slotMax.map(() => raw[k++ % Math.max(1, raw.length)] ?? 0)),
            r: shapes.map((s) => s.slotMax.map(() => randomScalar(rng))),
          };
          const bytes = encodeOpening(o);
          expect(decodeOpening(bytes, shapes)).toEqual(o);
          expect(encodeOpening(decodeOpening(bytes, shapes))).toEqual(bytes);
        },
      ),
      runs(60),
    );
  });
});
