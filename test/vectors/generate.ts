/**
 * The seeded generator of gongshi's test vectors (test/vectors/*.json). Run: `npm run vectors`.
 * Each valid case comes with negative variants made systematically: one bit flipped in every field,
 * neighbouring fields of equal size swapped, truncations and trailing bytes. A variant is a mutation
 * of one named input (hex), so the files stay small and another implementation can apply them too.
 */
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as c from '../../crypto/index.ts';
import { mulSecret } from '../../crypto/index.ts';
import { boardVectors } from './board.ts';

export type Mutation =
  | { readonly input: string; readonly op: 'flip'; readonly field: string; readonly offset: number; readonly bit: number }
  | { readonly input: string; readonly op: 'swap'; readonly fields: [string, string]; readonly a: number; readonly b: number; readonly length: number }
  | { readonly input: string; readonly op: 'truncate'; readonly length: number }
  | { readonly input: string; readonly op: 'append'; readonly hex: string };

/** What a verifier must conclude: valid, or rejected while decoding (naming the field), or rejected by verification. */
export type Outcome = { readonly result: 'valid' } | { readonly result: 'decode-error'; readonly field: string } | { readonly result: 'invalid' };

export interface Negative {
  readonly mutation: Mutation;
  readonly expect: Outcome;
}

export interface VectorCase {
  readonly name: string;
  readonly inputs: Record<string, string>;
  readonly expect: Outcome;
  readonly negatives: Negative[];
  readonly [extra: string]: unknown;
}

export interface VectorFile {
  readonly description: string;
  readonly generator: string;
  readonly seed: string;
  readonly cases: VectorCase[];
}

/** Applies a mutation to a copy of its input. */
export function applyMutation(inputs: Record<string, string>, m: Mutation): Record<string, string> {
  const b = c.fromHex(inputs[m.input], m.input).slice();
  let out: Uint8Array = b;
  if (m.op === 'flip') b[m.offset + (m.bit >> 3)] ^= 1 << (m.bit & 7);
  else if (m.op === 'swap') {
    const x = b.slice(m.a, m.a + m.length);
    b.copyWithin(m.a, m.b, m.b + m.length);
    b.set(x, m.b);
  } else if (m.op === 'truncate') out = b.subarray(0, m.length);
  else out = Uint8Array.of(...b, ...c.fromHex(m.hex, 'append'));
  return { ...inputs, [m.input]: c.toHex(out) };
}

/** Systematic mutations of one input from its traced layout. */
function mutationsOf(input: string, bytes: Uint8Array, layout: readonly c.FieldSpan[], rng: c.RandomSource): Mutation[] {
  const out: Mutation[] = [];
  for (const f of layout) {
    // One bit per field, at a seeded position inside it.
    const bit = rng(2).reduce((x, y) => x * 256 + y, 0) % (f.length * 8);
    out.push({ input, op: 'flip', field: f.field, offset: f.offset, bit });
  }
  for (let i = 0; i + 1 < layout.length; i++) {
    const [f, g] = [layout[i], layout[i + 1]];
    if (f.length === g.length && f.length >= 4) {
      const [x, y] = [bytes.subarray(f.offset, f.offset + f.length), bytes.subarray(g.offset, g.offset + g.length)];
      if (c.toHex(x) !== c.toHex(y)) out.push({ input, op: 'swap', fields: [f.field, g.field], a: f.offset, b: g.offset, length: f.length });
    }
  }
  for (const length of [0, 1, Math.floor(bytes.length / 2), bytes.length - 32, bytes.length - 1]) {
    if (length >= 0 && length < bytes.length) out.push({ input, op: 'truncate', length });
  }
  out.push({ input, op: 'append', hex: '00' }, { input, op: 'append', hex: c.toHex(c.encodePoint(c.G)) });
  return out;
}

function decodeOutcome(e: unknown): Outcome {
  if (e instanceof c.DecodeError) return { result: 'decode-error', field: e.field };
  throw e;
}

// ---- ballots -------------------------------------------------------------------------------------

const BALLOT_SHAPES: { name: string; question: c.Question; answer: c.Answer }[] = [
  { name: 'single choice, 5 options', question: { kind: 'single', options: 5 }, answer: { values: [0, 0, 1, 0, 0] } },
  { name: 'multiple choice 1..2 of 3, blank vote', question: { kind: 'multiple', options: 3, min: 1, max: 2, blank: true }, answer: { blank: true } },
  { name: 'yes / no / abstain', question: { kind: 'yes-no-abstain' }, answer: { values: [0, 0, 1] } },
  { name: 'score 0..3, 2 options', question: { kind: 'score', options: 2, maxScore: 3 }, answer: { values: [3, 1] } },
  { name: 'cumulative, 4 points over 2 options', question: { kind: 'cumulative', options: 2, points: 4 }, answer: { values: [1, 3] } },
  { name: 'budget 20 over costs 7, 9, 12', question: { kind: 'budget', costs: [7, 9, 12], budget: 20 }, answer: { values: [1, 0, 1] } },
];

/** The ballot verdict from vector inputs: key, fingerprint, ballot (hex), against `question`. */
export function ballotOutcome(question: c.Question, inputs: Record<string, string>): Outcome {
  const shapes = c.ballotShape({ questions: [question] });
  try {
    const key = c.decodePoint(c.fromHex(inputs.key, 'key'), 'key');
    const fingerprint = c.fromHex(inputs.fingerprint, 'fingerprint');
    if (fingerprint.length !== 32) throw new c.DecodeError('fingerprint', 'the fingerprint is 32 bytes');
    const bytes = c.fromHex(inputs.ballot, 'ballot');
    return c.verifyBallot(bytes, { shapes, key, fingerprint }) ? { result: 'valid' } : { result: 'invalid' };
  } catch (e) {
    return decodeOutcome(e);
  }
}

export function ballotCases(seed: string): VectorCase[] {
  const rng = c.seededRandom(seed);
  const election = c.generateKeyPair(rng);
  const key = c.prepareKey(election.publicKey);
  const fingerprint = rng(32);
  const electionId = rng(16);
  return BALLOT_SHAPES.map(({ name, question, answer }) => {
    const code = c.generateCredentialCode(rng);
    const credential = c.deriveCredential(code, electionId);
    const made = c.createBallot({ shape: { questions: [question] }, key, fingerprint, credential, answers: [answer] }, rng);
    const inputs = { key: c.toHex(c.encodePoint(key)), fingerprint: c.toHex(fingerprint), ballot: c.toHex(made.bytes) };
    const layout: c.FieldSpan[] = [];
    c.decodeBallot(made.bytes, c.ballotShape({ questions: [question] }), layout);
    const muts = [
      ...mutationsOf('ballot', made.bytes, layout, rng),
      { input: 'fingerprint', op: 'flip', field: 'fingerprint', offset: 0, bit: 3 } as const,
      { input: 'key', op: 'flip', field: 'key', offset: 0, bit: 9 } as const,
    ];
    return {
      name,
      question,
      answer,
      credentialCode: code,
      electionId: c.toHex(electionId),
      tracker: c.toHex(made.tracker),
      trackerText: c.trackerText(made.tracker),
      opening: c.toHex(c.encodeOpening(made.opening)),
      inputs,
      expect: ballotOutcome(question, inputs),
      negatives: muts.map((mutation) => ({ mutation, expect: ballotOutcome(question, applyMutation(inputs, mutation)) })),
    };
  });
}

// ---- single proofs (P1, P2, P6) ---------------------------------------------------------------

/** The verdict for a proof vector: `proof` decoded and checked against the statement inputs. */
export function proofOutcome(kind: string, inputs: Record<string, string>): Outcome {
  try {
    const pt = (name: string) => c.decodePoint(c.fromHex(inputs[name], name), name);
    const ctx = { fingerprint: c.fromHex(inputs.fingerprint, 'fingerprint'), binding: c.fromHex(inputs.binding, 'binding') };
    if (ctx.fingerprint.length !== 32) throw new c.DecodeError('fingerprint', 'the fingerprint is 32 bytes');
    const proof = c.fromHex(inputs.proof, 'proof');
    let ok: boolean;
    if (kind === 'P1') ok = c.verifyKnowledge(pt('X'), c.decodeSchnorrProof(proof), ctx);
    else if (kind === 'P6') ok = c.verifySignature(pt('X'), c.fromHex(inputs.message, 'message'), c.decodeSchnorrProof(proof), ctx);
    else ok = c.verifyDleq({ B1: pt('B1'), X1: pt('X1'), B2: pt('B2'), X2: pt('X2') }, c.decodeDleqProof(proof), ctx);
    return ok ? { result: 'valid' } : { result: 'invalid' };
  } catch (e) {
    return decodeOutcome(e);
  }
}

export function proofCases(seed: string): VectorCase[] {
  const rng = c.seededRandom(seed);
  const ctx = { fingerprint: rng(32), binding: new c.Writer().u32(3).u32(1).finish() };
  const x = c.randomScalar(rng);
  const X = mulSecret(c.G, x);
  const B2 = mulSecret(c.G, c.randomScalar(rng));
  const base = { fingerprint: c.toHex(ctx.fingerprint), binding: c.toHex(ctx.binding) };
  const hex = (P: c.Point) => c.toHex(c.encodePoint(P));
  const message = new TextEncoder().encode('a ballot body');
  const made: { name: string; kind: string; inputs: Record<string, string> }[] = [
    { name: 'P1 Schnorr proof of knowledge', kind: 'P1', inputs: { ...base, X: hex(X), proof: c.toHex(c.encodeSchnorrProof(c.proveKnowledge(x, X, ctx, rng))) } },
    {
      name: 'P2 DLEQ',
      kind: 'P2',
      inputs: { ...base, B1: hex(c.G), X1: hex(X), B2: hex(B2), X2: hex(mulSecret(B2, x)), proof: c.toHex(c.encodeDleqProof(c.proveDleq({ B1: c.G, X1: X, B2, X2: mulSecret(B2, x) }, x, ctx, rng))) },
    },
    { name: 'P6 credential signature', kind: 'P6', inputs: { ...base, X: hex(X), message: c.toHex(message), proof: c.toHex(c.encodeSchnorrProof(c.sign(x, X, message, ctx, rng))) } },
  ];
  return made.map(({ name, kind, inputs }) => {
    const muts: Mutation[] = [];
    for (const [input, value] of Object.entries(inputs)) {
      const bytes = c.fromHex(value, input);
      const layout: c.FieldSpan[] = [];
      if (input === 'proof') (kind === 'P2' ? c.decodeDleqProof : c.decodeSchnorrProof)(bytes, layout);
      else layout.push({ field: input, offset: 0, length: bytes.length });
      muts.push(...(input === 'proof' ? mutationsOf(input, bytes, layout, rng) : mutationsOf(input, bytes, layout, rng).filter((m) => m.op === 'flip')));
    }
    return {
      name,
      kind,
      inputs,
      expect: proofOutcome(kind, inputs),
      negatives: muts.map((mutation) => ({ mutation, expect: proofOutcome(kind, applyMutation(inputs, mutation)) })),
    };
  });
}

// ---- transcripts and encodings: known answers ---------------------------------------------------

export function transcriptCases(seed: string): { name: string; proof: string; items: { label: string; hex: string }[]; challenge: string }[] {
  const rng = c.seededRandom(seed);
  const cases = [
    { name: 'empty transcript', proof: 'P1-knowledge', items: [] as { label: string; hex: string }[] },
    { name: 'one empty item', proof: 'P1-knowledge', items: [{ label: 'x', hex: '' }] },
    { name: 'label and data boundaries move', proof: 'P1-knowledge', items: [{ label: 'xy', hex: '' }] },
    { name: 'same bytes, split differently', proof: 'P1-knowledge', items: [{ label: 'x', hex: '79' }] },
    { name: 'fingerprint, binding and a point', proof: 'P3-disjunctive', items: [
      { label: 'fingerprint', hex: c.toHex(rng(32)) },
      { label: 'binding', hex: c.toHex(rng(12)) },
      { label: 'Y', hex: c.toHex(c.encodePoint(c.G)) },
    ] },
  ];
  return cases.map((k) => {
    const t = new c.Transcript(k.proof);
    for (const it of k.items) t.append(it.label, c.fromHex(it.hex, it.label));
    return { ...k, challenge: c.toHex(c.encodeScalar(t.challenge())) };
  });
}

export function scalarCases(): { name: string; hex: string; valid: boolean }[] {
  const le = (x: bigint) => c.toHex(Uint8Array.from({ length: 32 }, (_, i) => Number((x >> BigInt(8 * i)) & 0xffn)));
  return [
    { name: 'zero', hex: le(0n), valid: true },
    { name: 'one', hex: le(1n), valid: true },
    { name: 'ℓ − 1', hex: le(c.L - 1n), valid: true },
    { name: 'ℓ', hex: le(c.L), valid: false },
    { name: 'ℓ + 1', hex: le(c.L + 1n), valid: false },
    { name: '2^255 − 19', hex: le(2n ** 255n - 19n), valid: false },
    { name: '2^256 − 1', hex: le(2n ** 256n - 1n), valid: false },
  ];
}

// ---- trustees: a 2-of-3 ceremony and its tally ---------------------------------------------------

/** What the rules say about one trustee message: decode error, refused (with the reason), or accepted. */
export type TrusteeOutcome = { readonly result: 'decode-error'; readonly field: string } | { readonly result: 'refused'; readonly reason: string } | { readonly result: 'accepted' };

const CEREMONY_KINDS = ['identities', 'commits', 'reveals', 'shares', 'complaints', 'finishes'] as const;
type CeremonyHex = Record<(typeof CEREMONY_KINDS)[number], string[]>;

function decodeAll(hex: CeremonyHex): c.CeremonyRecord {
  const out: Record<string, c.TrusteeMessage[]> = {};
  for (const k of CEREMONY_KINDS) out[k] = hex[k].map((h) => c.decodeTrusteeMessage(c.fromHex(h, k)));
  return out as unknown as c.CeremonyRecord;
}

/** The verdict on message `at` of list `kind` once the rules have run on the whole record. */
export async function ceremonyOutcome(params: c.CeremonyParams, hex: CeremonyHex, kind: (typeof CEREMONY_KINDS)[number], at: number): Promise<TrusteeOutcome> {
  let record: c.CeremonyRecord;
  try {
    record = decodeAll(hex);
  } catch (e) {
    if (e instanceof c.DecodeError) return { result: 'decode-error', field: e.field };
    throw e;
  }
  const outcome = await c.evaluateCeremony(params, record);
  const message = record[kind][at];
  const before = record[kind].slice(0, at).filter((m) => m.index === message.index).length;
  const refusals = outcome.refused.filter((r) => r.kind === message.kind && r.index === message.index);
  // The message's own refusal is the (before + 1)-th of its kind and index, counting earlier duplicates.
  const mine = refusals[before];
  return mine ? { result: 'refused', reason: mine.reason } : { result: 'accepted' };
}

export async function trusteeCases(seed: string): Promise<object> {
  const rng = c.seededRandom(seed);
  const params = { election: rng(32), t: 2, n: 3 };
  const { secrets, record, outcome, keyShares } = await c.simulateCeremony(params, rng);
  const hex: CeremonyHex = {
    identities: record.identities.map((m) => c.toHex(m.bytes)),
    commits: record.commits.map((m) => c.toHex(m.bytes)),
    reveals: record.reveals.map((m) => c.toHex(m.bytes)),
    shares: record.shares.map((m) => c.toHex(m.bytes)),
    complaints: [],
    finishes: record.finishes.map((m) => c.toHex(m.bytes)),
  };
  // The tally: three encrypted totals decrypted by trustees 1 and 3.
  const key = c.prepareKey(outcome.jointKey!);
  const totals = [3, 0, 7];
  const tally = totals.map((m) => c.encryptFresh(key, m, rng).ciphertext);
  const fingerprint = rng(32);
  const decryptions = [0, 2].map((k) => c.createDecryptionShares({ fingerprint, index: k + 1, keyShare: keyShares[k], signing: secrets[k].signing, ciphertexts: tally }, rng));

  // Negatives: one bit flipped in every field of trustee 2's message of each kind, with truncations and
  // trailing bytes. Every message is signed over its body, so most flips end at the signature check.
  const negatives: { mutation: Mutation & { kind: string }; expect: TrusteeOutcome }[] = [];
  for (const kind of ['identities', 'commits', 'reveals', 'shares', 'finishes'] as const) {
    const bytes = c.fromHex(hex[kind][1], kind);
    const layout: c.FieldSpan[] = [];
    c.decodeTrusteeMessage(bytes, layout);
    for (const m of mutationsOf(kind, bytes, layout, rng).filter((m) => m.op !== 'swap')) {
      const mutated = applyMutation({ [kind]: hex[kind][1] }, m)[kind];
      const changed = { ...hex, [kind]: hex[kind].map((h, i) => (i === 1 ? mutated : h)) };
      negatives.push({ mutation: { ...m, kind }, expect: await ceremonyOutcome(params, changed, kind, 1) });
    }
  }
  return {
    params: { election: c.toHex(params.election), t: params.t, n: params.n },
    ceremonyHash: c.toHex(c.ceremonyHash(params)),
    record: hex,
    expect: {
      ok: outcome.ok,
      complete: outcome.complete,
      qualified: outcome.qualified,
      jointKey: c.toHex(c.encodePoint(outcome.jointKey!)),
      verificationKeys: Object.fromEntries([...outcome.verificationKeys].map(([j, Y]) => [j, c.toHex(c.encodePoint(Y))])),
      transcript: c.toHex(outcome.transcript),
    },
    tally: {
      fingerprint: c.toHex(fingerprint),
      ciphertexts: tally.map((e) => ({ alpha: c.toHex(c.encodePoint(e.alpha)), beta: c.toHex(c.encodePoint(e.beta)) })),
      decryptions: decryptions.map((m) => c.toHex(m.bytes)),
      totals,
    },
    negatives,
  };
}

// ---- files ------------------------------------------------------------------------------------------

export const SEED = 'gongshi test vectors v1';

export async function buildFiles(): Promise<Record<string, VectorFile | object>> {
  const generator = 'test/vectors/generate.ts';
  return {
    'board.json': {
      description:
        'A tiny whole poll as a record file (spec §B.1, §B.4, §B.6): the hashes a reader recomputes, and a bit flipped in the header and the payload of each entry with the rules’ rejection code at that height.',
      generator,
      seed: `${SEED}/board`,
      ...(await boardVectors(`${SEED}/board`)),
    },
    'trustees.json': {
      description: 'A 2-of-3 key ceremony (spec §T): every message, the outcome, a decrypted tally, and a bit flipped in every field of one message of each kind.',
      generator,
      seed: `${SEED}/trustees`,
      ...(await trusteeCases(`${SEED}/trustees`)),
    },
    'ballots.json': { description: 'Ballots of every question kind (spec §Q) with negative variants.', generator, seed: `${SEED}/ballots`, cases: ballotCases(`${SEED}/ballots`) },
    'proofs.json': { description: 'P1, P2 and P6 proofs (spec §P) with negative variants.', generator, seed: `${SEED}/proofs`, cases: proofCases(`${SEED}/proofs`) },
    'transcripts.json': { description: 'Fiat–Shamir challenges (spec §F) for given items.', generator, seed: `${SEED}/transcripts`, cases: transcriptCases(`${SEED}/transcripts`) },
    'scalars.json': { description: 'Scalar encodings (spec §G.2.2), 32 bytes little-endian, canonical below ℓ.', generator, seed: '', cases: scalarCases() },
  };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const dir = dirname(fileURLToPath(import.meta.url));
  for (const [name, content] of Object.entries(await buildFiles())) {
    writeFileSync(join(dir, name), JSON.stringify(content, null, 1) + '\n');
    console.log(`wrote test/vectors/${name}`);
  }
}
