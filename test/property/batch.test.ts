/**
 * Batch verification agrees with one-by-one verification (ballots and raw linear equations), and the
 * MSM behind it equals the naive sum of scalar multiplications.
 */
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  BatchCheck,
  DirectCheck,
  G,
  IDENTITY,
  L,
  ballotBinding,
  ballotShape,
  createBallot,
  decodeBallot,
  encodeBallot,
  encodeBallotBody,
  generateKeyPair,
  inv,
  mod,
  msm,
  mulPublic,
  randomScalar,
  sign,
  verifyBallotDirect,
  verifyBallots,
  type Answer,
  type Ballot,
  type BallotParams,
  type BallotShape,
  type DisjunctiveProof,
  type EncryptedAnswer,
  type KeyPair,
  type Point,
  type RandomSource,
  type RangeProof,
} from '../../crypto/index.ts';
import { bump, decodeFails, electionKey, equalBytes, flipBit, randomPoint, rngFor, runs, seedArb } from './support.ts';

// ---------------------------------------------------------------------------------------------
// Ballots.

interface Voter {
  readonly credential: KeyPair;
  readonly bytes: Uint8Array;
  readonly ballot: Ballot;
}

interface Poll {
  readonly params: BallotParams;
  readonly voters: Voter[];
  /** A valid ballot of the same shape for another election. */
  readonly foreign: Uint8Array;
}

const SHAPES: { shape: BallotShape; answers: Answer[][] }[] = [
  {
    shape: { questions: [{ kind: 'single', options: 3, blank: true }, { kind: 'multiple', options: 3, min: 0, max: 2 }] },
    answers: [
      [{ values: [1, 0, 0] }, { values: [0, 1, 1] }],
      [{ blank: true }, { values: [0, 0, 0] }],
      [{ values: [0, 0, 1] }, { values: [1, 0, 0] }],
      [{ values: [0, 1, 0] }, { values: [0, 0, 1] }],
    ],
  },
  {
    shape: { questions: [{ kind: 'score', options: 2, maxScore: 20 }, { kind: 'budget', costs: [40, 90], budget: 100, blank: true }] },
    answers: [
      [{ values: [20, 0] }, { values: [0, 1] }],
      [{ values: [3, 17] }, { blank: true }],
      [{ values: [0, 0] }, { values: [1, 0] }],
      [{ values: [11, 12] }, { values: [0, 0] }],
    ],
  },
];

/** Re-encodes a ballot with a fresh, valid signature by `signer` over its (possibly altered) body. */
function resign(b: Omit<Ballot, 'signature'>, signer: KeyPair, rng: RandomSource): Uint8Array {
  const body = encodeBallotBody(b);
  const ctx = { fingerprint: b.fingerprint, binding: ballotBinding(signer.publicKey, []) };
  return encodeBallot({ ...b, signature: sign(signer.secret, signer.publicKey, body, ctx, rng) });
}

/** Every proof scalar (c and z) of a ballot, as a setter that returns the ballot with that scalar replaced. */
function proofScalars(b: Ballot): { get: bigint; set: (s: bigint) => Ballot }[] {
  const out: { get: bigint; set: (s: bigint) => Ballot }[] = [];
  const inDisjunctive = (p: DisjunctiveProof, put: (p: DisjunctiveProof) => Ballot) => {
    p.c.forEach((c, j) => out.push({ get: c, set: (s) => put({ ...p, c: p.c.map((x, k) => (k === j ? s : x)) }) }));
    p.z.forEach((z, j) => out.push({ get: z, set: (s) => put({ ...p, z: p.z.map((x, k) => (k === j ? s : x)) }) }));
  };
  const inRange = (r: RangeProof, put: (r: RangeProof) => Ballot) => {
    if (r.kind === 'disjunctive') return inDisjunctive(r.proof, (p) => put({ kind: 'disjunctive', proof: p }));
    for (const half of ['lower', 'upper'] as const)
      r.proof[half].forEach((bit, k) =>
        inDisjunctive(bit.proof, (p) =>
          put({ kind: 'bits', proof: { ...r.proof, [half]: r.proof[half].map((x, i) => (i === k ? { ...bit, proof: p } : x)) } }),
        ),
      );
  };
  b.answers.forEach((a, q) => {
    const putAnswer = (na: EncryptedAnswer): Ballot => ({ ...b, answers: b.answers.map((x, i) => (i === q ? na : x)) });
    a.slotProofs.forEach((p, i) => inRange(p, (np) => putAnswer({ ...a, slotProofs: a.slotProofs.map((x, k) => (k === i ? np : x)) })));
    if (a.sumProof) inRange(a.sumProof, (np) => putAnswer({ ...a, sumProof: np }));
  });
  return out;
}

/** Flips bit `bit` of s, keeping the result canonical (< ℓ) by clearing the top set bit instead if needed. */
function flipScalarBit(s: bigint, bit: number): bigint {
  const t = s ^ (1n << BigInt(bit % 253));
  return t < L ? t : s ^ (1n << BigInt(s.toString(2).length - 1));
}

type Item =
  | { kind: 'honest'; voter: number }
  | { kind: 'swapped-slot'; voter: number; other: number; slot: number }
  | { kind: 'proof-scalar'; voter: number; which: number; bit: number; resign: boolean }
  | { kind: 'bit-flip'; voter: number; bit: number }
  | { kind: 'signature-z'; voter: number }
  | { kind: 'foreign' };

const itemArb: fc.Arbitrary<Item> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('honest' as const), voter: fc.nat() }) },
  fc.record({ kind: fc.constant('swapped-slot' as const), voter: fc.nat(), other: fc.nat(), slot: fc.nat() }),
  fc.record({ kind: fc.constant('proof-scalar' as const), voter: fc.nat(), which: fc.nat(), bit: fc.nat(), resign: fc.boolean() }),
  fc.record({ kind: fc.constant('bit-flip' as const), voter: fc.nat(), bit: fc.nat() }),
  fc.record({ kind: fc.constant('signature-z' as const), voter: fc.nat() }),
  fc.record({ kind: fc.constant('foreign' as const) }),
);

function materialise(poll: Poll, item: Item, rng: RandomSource): Uint8Array {
  if (item.kind === 'foreign') return poll.foreign;
  const n = poll.voters.length;
  const v = poll.voters[item.voter % n];
  switch (item.kind) {
    case 'honest':
      return v.bytes;
    case 'swapped-slot': {
      // Another voter's ciphertext in one slot, the signature redone: only the range proofs can notice.
      const o = poll.voters[(item.voter + 1 + (item.other % (n - 1))) % n];
      const slots = v.ballot.answers.flatMap((a, q) => a.slots.map((_, i) => [q, i] as const));
      const [q, i] = slots[item.slot % slots.length];
      const answers = v.ballot.answers.map((a, k) =>
        k === q ? { ...a, slots: a.slots.map((s, j) => (j === i ? o.ballot.answers[q].slots[i] : s)) } : a,
      );
      return resign({ ...v.ballot, answers }, v.credential, rng);
    }
    case 'proof-scalar': {
      const sites = proofScalars(v.ballot);
      const site = sites[item.which % sites.length];
      const b = site.set(flipScalarBit(site.get, item.bit));
      return item.resign ? resign(b, v.credential, rng) : encodeBallot(b);
    }
    case 'bit-flip':
      return flipBit(v.bytes, item.bit);
    case 'signature-z':
      return encodeBallot({ ...v.ballot, signature: { T: v.ballot.signature.T, z: bump(v.ballot.signature.z) } });
  }
}

function directVerdict(bytes: Uint8Array, params: BallotParams): boolean {
  let verdict = false;
  if (!decodeFails(() => (verdict = verifyBallotDirect(bytes, params)))) return verdict;
  return false;
}

describe('batch verification of ballots (§Q.8)', () => {
  const election = electionKey('batch');
  const polls: Poll[] = [];

  beforeAll(() => {
    const rng = rngFor('fixed', 'batch-polls');
    for (const { shape, answers } of SHAPES) {
      const fingerprint = rng(32);
      const make = (fp: Uint8Array, a: Answer[]) => {
        const credential = generateKeyPair(rng);
        const c = createBallot({ shape, key: election.prepared, fingerprint: fp, credential, answers: a }, rng);
        return { credential, bytes: c.bytes, ballot: c.ballot };
      };
      polls.push({
        params: { shapes: ballotShape(shape), key: election.publicKey, fingerprint },
        voters: answers.map((a) => make(fingerprint, a)),
        foreign: make(rng(32), answers[0]).bytes,
      });
    }
  });

  it('verifyBallots(list) equals list.map(verifyBallotDirect) for any mix of honest and corrupted ballots, and only honest ones pass', () => {
    fc.assert(
      fc.property(fc.nat(), fc.array(itemArb, { minLength: 1, maxLength: 7 }), seedArb, (which, items, seed) => {
        const poll = polls[which % polls.length];
        const rng = rngFor(seed, 'batch-ballots');
        const list = items.map((it) => materialise(poll, it, rng));
        const expected = list.map((b) => directVerdict(b, poll.params));
        expect(verifyBallots(list, poll.params, rng)).toEqual(expected);
        expect(expected).toEqual(items.map((it) => it.kind === 'honest'));
      }),
      runs(10),
    );
  });

  it('proofScalars finds the c and z of every range proof (sanity of the corruption generator)', () => {
    for (const poll of polls)
      for (const v of poll.voters) {
        const sites = proofScalars(v.ballot);
        expect(sites.length).toBeGreaterThan(10);
        // Setting a scalar to itself gives back the same bytes.
        for (const s of sites) expect(equalBytes(encodeBallot(s.set(s.get)), v.bytes)).toBe(true);
        expect(decodeBallot(v.bytes, poll.params.shapes)).toBeTruthy();
      }
  });
});

// ---------------------------------------------------------------------------------------------
// Linear equations.

/** A term: a point of the pool (by index) and a coefficient. */
const coeffArb: fc.Arbitrary<bigint> = fc.oneof(
  fc.bigInt({ min: -(1n << 300n), max: 1n << 300n }),
  fc.bigInt({ min: -1000n, max: 1000n }),
  fc.constantFrom(0n, L, -L, 2n * L, L - 1n, L >> 1n, (L >> 1n) + 1n),
);

interface EquationSpec {
  readonly terms: readonly { readonly p: number; readonly s: bigint }[];
  /** The index of the point that closes the equation (its coefficient is solved for). */
  readonly closer: number;
  /** Added to the closing coefficient: 0 mod ℓ keeps the equation true. */
  readonly error: bigint;
  /** Multiples of ℓ added to the closing coefficient (same equation, other integers). */
  readonly wrap: bigint;
}

const equationArb: fc.Arbitrary<EquationSpec> = fc.record({
  terms: fc.array(fc.record({ p: fc.nat(), s: coeffArb }), { maxLength: 6 }),
  closer: fc.nat(),
  error: fc.oneof({ weight: 2, arbitrary: fc.constant(0n) }, fc.constantFrom(L, -L), coeffArb, fc.bigInt({ min: 1n, max: 3n })),
  wrap: fc.bigInt({ min: -2n, max: 2n }),
});

describe('BatchCheck agrees with DirectCheck (§P0.3)', () => {
  it('for random sets of true and false equations over shared points, BatchCheck.result() = DirectCheck.result() = all hold', () => {
    fc.assert(
      fc.property(seedArb, fc.integer({ min: 1, max: 8 }), fc.array(equationArb, { maxLength: 8 }), fc.boolean(), (seed, poolSize, specs, pairUp) => {
        const rng = rngFor(seed, 'equations');
        // A pool of points with known logs; the last entry is a distinct object equal to the first.
        const logs = Array.from({ length: poolSize }, () => randomScalar(rng));
        const pool: Point[] = logs.map((x) => mulPublic(G, x));
        pool.push(pool[0].add(IDENTITY));
        logs.push(logs[0]);
        const equations: { points: Point[]; coeffs: bigint[]; holds: boolean }[] = [];
        for (const spec of specs) {
          const points = spec.terms.map((t) => pool[t.p % pool.length]);
          const coeffs = spec.terms.map((t) => t.s);
          const ci = spec.closer % pool.length;
          const acc = spec.terms.reduce((a, t) => a + mod(t.s) * logs[t.p % pool.length], 0n);
          const closing = mod(-acc * inv(logs[ci])) + spec.wrap * L + spec.error;
          equations.push({ points: [...points, pool[ci]], coeffs: [...coeffs, closing], holds: mod(spec.error) === 0n });
        }
        // Optionally two false equations whose errors cancel in an unweighted sum.
        if (pairUp && pool.length >= 2) {
          equations.push({ points: [pool[0], pool[1]], coeffs: [logs[1], -logs[0] + 1n], holds: false });
          equations.push({ points: [pool[0], pool[1]], coeffs: [-logs[1], logs[0] - 1n], holds: false });
        }
        const direct = new DirectCheck();
        const batch = new BatchCheck(rng);
        for (const e of equations) {
          direct.require(e.points, e.coeffs);
          batch.require(e.points, e.coeffs);
        }
        const all = equations.every((e) => e.holds);
        expect(direct.result()).toBe(all);
        expect(batch.result()).toBe(all);
      }),
      runs(150),
    );
  });
});

// ---------------------------------------------------------------------------------------------
// MSM.

const HALF_L = L >> 1n;
const msmScalarArb: fc.Arbitrary<bigint> = fc.oneof(
  fc.bigInt({ min: -(1n << 600n), max: 1n << 600n }),
  fc.bigInt({ min: -L, max: L }),
  fc.bigInt({ min: -(1n << 130n), max: 1n << 130n }), // the short path
  fc.bigInt({ min: -(1n << 20n), max: 1n << 20n }),
  fc.constantFrom(0n, 1n, -1n, L, -L, 3n * L, L - 1n, L + 1n, HALF_L, HALF_L + 1n, HALF_L - 1n, 1n << 130n, (1n << 130n) - 1n, (1n << 130n) + 1n, (1n << 252n) - 1n, 1n << 252n, (1n << 253n) - 1n),
  fc.bigInt({ min: 0n, max: 1000n }).map((k) => L - k), // −k in disguise
);

describe('msm (§P0.3)', () => {
  it('msm(P, s) = Σ mulPublic(Pᵢ, sᵢ) for 0..200 terms and signed scalars of any size (Strauss ≤ 12 terms, buckets above)', () => {
    const sizes = { strauss: 0, buckets: 0 };
    fc.assert(
      fc.property(
        seedArb,
        fc.oneof(fc.integer({ min: 0, max: 12 }), fc.integer({ min: 13, max: 48 }), fc.integer({ min: 49, max: 200 })).chain((n) =>
          fc.array(fc.record({ s: msmScalarArb, p: fc.nat() }), { minLength: n, maxLength: n }),
        ),
        fc.integer({ min: 1, max: 64 }),
        (seed, terms, poolSize) => {
          const rng = rngFor(seed, 'msm');
          const base = Array.from({ length: poolSize }, () => randomPoint(rng));
          const pool = [...base, IDENTITY, G, base[0].negate(), base[0].add(IDENTITY)];
          const points = terms.map((t) => pool[t.p % pool.length]);
          const scalars = terms.map((t) => t.s);
          const naive = points.reduce((acc, P, i) => acc.add(mulPublic(P, scalars[i])), IDENTITY);
          expect(msm(points, scalars).equals(naive)).toBe(true);
          if (scalars.filter((s) => mod(s) !== 0n).length > 12) sizes.buckets++;
          else sizes.strauss++;
        },
      ),
      runs(45),
    );
    expect(sizes.buckets).toBeGreaterThan(2);
    expect(sizes.strauss).toBeGreaterThan(2);
  });

  it('msm over 13..300 terms with only short (< 2^130), only long, or mixed scalars equals (Σ sᵢ·xᵢ)·G for points Pᵢ = xᵢ·G', () => {
    fc.assert(
      fc.property(seedArb, fc.integer({ min: 13, max: 300 }), fc.constantFrom('short', 'long', 'mixed'), fc.boolean(), (seed, n, mix, negative) => {
        const rng = rngFor(seed, 'msm-split');
        const x0 = randomScalar(rng);
        const d = randomScalar(rng);
        const D = mulPublic(G, d);
        const points: Point[] = [mulPublic(G, x0)];
        for (let i = 1; i < n; i++) points.push(points[i - 1].add(D));
        const scalars = points.map((_, i) => {
          const long = mix === 'long' || (mix === 'mixed' && i % 2 === 0);
          let s = 0n;
          for (const x of rng(long ? 32 : 16)) s = (s << 8n) | BigInt(x);
          s = long ? mod(s) | 1n : s | 1n; // short: below 2^128; long: mostly above 2^130
          return negative ? -s : s;
        });
        const expected = mulPublic(G, scalars.reduce((acc, s, i) => mod(acc + s * mod(x0 + BigInt(i) * d)), 0n));
        expect(msm(points, scalars).equals(expected)).toBe(true);
      }),
      runs(20),
    );
  });

  it.each([256, 700, 2048, 4096, 17000])(
    'msm over %i..+200 terms (bucket window log2(n) − 2) equals (Σ sᵢ·xᵢ)·G for points Pᵢ = xᵢ·G',
    (size) => {
      fc.assert(
        fc.property(seedArb, fc.integer({ min: size, max: size + 200 }), fc.array(msmScalarArb, { minLength: 1, maxLength: 40 }), (seed, n, palette) => {
          const rng = rngFor(seed, 'msm-large');
          // Pᵢ = x₀·G + i·d·G, built by additions; the scalars mix random ones (some shifted by −ℓ) and the palette.
          const x0 = randomScalar(rng);
          const d = randomScalar(rng);
          const D = mulPublic(G, d);
          const points: Point[] = [mulPublic(G, x0)];
          for (let i = 1; i < n; i++) points.push(points[i - 1].add(D));
          const scalars = points.map((_, i) => (i % 3 === 0 ? randomScalar(rng) - (i % 2 === 0 ? L : 0n) : palette[i % palette.length]));
          const expected = mulPublic(G, scalars.reduce((acc, s, i) => mod(acc + s * mod(x0 + BigInt(i) * d)), 0n));
          expect(msm(points, scalars).equals(expected)).toBe(true);
        }),
        runs(size > 5000 ? 1 : 2),
      );
    },
  );

  it('msm refuses lists of different lengths', () => {
    expect(() => msm([G], [])).toThrow();
    expect(() => msm([], [1n])).toThrow();
  });
});
