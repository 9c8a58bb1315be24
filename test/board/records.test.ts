/**
 * The board's codecs (§B.1, §B.6): the manifest (round trips for every question kind, and every
 * refusal naming its field), the entry header and its hash, the payload of every entry type, and the
 * record file read in chunks of any size.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  DecodeError,
  G,
  IDENTITY,
  L,
  createBallot,
  createDecryptionShares,
  encodeBallot,
  encodePoint,
  mulPublic,
  seededRandom,
  simulateCeremony,
  toHex,
  buildMessage,
  type Question,
  type SimulatedCeremony,
  type TrusteeMessage,
} from '../../crypto/index.ts';
import {
  Board,
  EntryType,
  HEADER_BYTES,
  MAX_ENTRY_BYTES,
  MemoryStorage,
  RECORD_MAGIC,
  RecordParser,
  applyEntry,
  createState,
  decodeEntry,
  decodeManifest,
  decodePayload,
  encodeAudit,
  encodeCeremony,
  encodeCredentials,
  encodeEntry,
  encodeKey,
  encodeManifest,
  encodeRecordItem,
  encodeExtend,
  encodeResult,
  encodeStep,
  encodeTally,
  encodeVerifierKey,
  genesisHash,
  hashEntry,
  hashManifest,
  manifestShapes,
  parseRecord,
  recordHeader,
  type EntryTypeName,
  type Manifest,
  type Payload,
  type RecordItem,
  signerKeyFromSeed,
  verifierKeyOf,
  SIG_TYPE_COSIGNATURE_V1,
} from '../../bulletin-board/index.ts';
import { cast, count, listVoters, runCeremony, sampleManifest, startPoll } from './poll-support.ts';

const utf8 = new TextEncoder();
const rng = seededRandom('records test');

/** Runs `f`, insisting on a DecodeError naming `field`. */
function expectDecodeError(f: () => unknown, field: string): DecodeError {
  let caught: unknown = null;
  try {
    f();
  } catch (e) {
    caught = e;
  }
  expect(caught, `expected a DecodeError on ${field}`).toBeInstanceOf(DecodeError);
  expect((caught as DecodeError).field).toBe(field);
  return caught as DecodeError;
}

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

function u32be(n: number): Uint8Array {
  const b = new Uint8Array(4);
  new DataView(b.buffer).setUint32(0, n);
  return b;
}

function u64be(n: number | bigint): Uint8Array {
  const b = new Uint8Array(8);
  new DataView(b.buffer).setBigUint64(0, BigInt(n));
  return b;
}

/** The tagged hash of crypto/hash.ts, recomputed: SHA-256(u32be(len tag) ‖ tag ‖ u32be(len bytes) ‖ bytes). */
function tagged(tag: string, bytes: Uint8Array): Uint8Array {
  const t = utf8.encode(tag);
  return sha256(concat(u32be(t.length), t, u32be(bytes.length), bytes));
}

// ---------------------------------------------------------------------------------------------------
// A manifest writer with no checks at all, to build what encodeManifest would never write.

type Str = string | Uint8Array;

interface RawQuestion {
  kind: number;
  fields: number[];
  blank: number;
  prompt: Str[];
  options: Str[][];
}

interface RawManifest {
  version: number;
  pollId: Uint8Array;
  origin: Str;
  languages: Str[];
  title: Str[];
  description: Str[];
  /** defaults to questions.length */
  questionCount?: number;
  questions: RawQuestion[];
  t: number;
  n: number;
  names: Str[];
  opensAt: number | bigint;
  closesAt: number | bigint;
  maxBallots: number;
  logKey: Str;
  registrarRole: number;
  registrarName: Str;
  registrarKey: Uint8Array;
  witnesses: Str[];
  k: number;
  privacyFloor: number;
  closeEarly: number;
  maxExtension: number | bigint;
}

const KIND_CODES = { single: 1, multiple: 2, 'yes-no-abstain': 3, score: 4, cumulative: 5, budget: 6 } as const;

function questionFields(q: Question): number[] {
  switch (q.kind) {
    case 'single':
      return [q.options];
    case 'multiple':
      return [q.options, q.min, q.max];
    case 'yes-no-abstain':
      return [];
    case 'score':
      return [q.options, q.maxScore];
    case 'cumulative':
      return [q.options, q.points];
    case 'budget':
      return [q.costs.length, ...q.costs, q.budget];
  }
}

function raw(m: Manifest): RawManifest {
  return {
    version: 3,
    pollId: m.pollId,
    origin: m.origin,
    languages: [...m.languages],
    title: [...m.title],
    description: [...m.description],
    questions: m.questions.map((q) => ({
      kind: KIND_CODES[q.question.kind],
      fields: questionFields(q.question),
      blank: q.question.kind !== 'yes-no-abstain' && q.question.blank === true ? 1 : 0,
      prompt: [...q.prompt],
      options: q.options.map((o) => [...o]),
    })),
    t: m.trustees.t,
    n: m.trustees.n,
    names: [...m.trustees.names],
    opensAt: m.opensAt,
    closesAt: m.closesAt,
    maxBallots: m.maxBallots,
    logKey: m.logKey,
    registrarRole: m.registrar.isOrganiser ? 2 : 1,
    registrarName: m.registrar.name,
    registrarKey: m.registrar.key,
    witnesses: [...m.witnesses.keys],
    k: m.witnesses.k,
    privacyFloor: m.privacyFloor,
    closeEarly: ['never', 'all-voted', 'any-time'].indexOf(m.closeEarly),
    maxExtension: m.maxExtension,
  };
}

function rawBytes(r: RawManifest, trailing: Uint8Array = new Uint8Array(0)): Uint8Array {
  const parts: Uint8Array[] = [];
  const str = (s: Str) => {
    const b = typeof s === 'string' ? utf8.encode(s) : s;
    parts.push(u32be(b.length), b);
  };
  parts.push(Uint8Array.of(r.version), r.pollId);
  str(r.origin);
  parts.push(Uint8Array.of(r.languages.length));
  r.languages.forEach(str);
  r.title.forEach(str);
  r.description.forEach(str);
  parts.push(u32be(r.questionCount ?? r.questions.length));
  for (const q of r.questions) {
    parts.push(Uint8Array.of(q.kind), ...q.fields.map(u32be), Uint8Array.of(q.blank));
    q.prompt.forEach(str);
    for (const o of q.options) o.forEach(str);
  }
  parts.push(u32be(r.t), u32be(r.n));
  r.names.forEach(str);
  parts.push(u64be(r.opensAt), u64be(r.closesAt), u32be(r.maxBallots));
  str(r.logKey);
  parts.push(Uint8Array.of(r.registrarRole));
  str(r.registrarName);
  parts.push(r.registrarKey, Uint8Array.of(r.witnesses.length));
  r.witnesses.forEach(str);
  parts.push(Uint8Array.of(r.k), u32be(r.privacyFloor), Uint8Array.of(r.closeEarly), u64be(r.maxExtension), trailing);
  return concat(...parts);
}

const ALL_KINDS: Question[] = [
  { kind: 'single', options: 3, blank: true },
  { kind: 'single', options: 2 },
  { kind: 'multiple', options: 4, min: 1, max: 2, blank: true },
  { kind: 'multiple', options: 1, min: 0, max: 1 },
  { kind: 'yes-no-abstain' },
  { kind: 'score', options: 3, maxScore: 5, blank: true },
  { kind: 'score', options: 1, maxScore: 100 },
  { kind: 'cumulative', options: 3, points: 10, blank: true },
  { kind: 'cumulative', options: 2, points: 1000 },
  { kind: 'budget', costs: [300, 500, 200], budget: 700, blank: true },
  { kind: 'budget', costs: [1], budget: 1 },
];

const asQuestions = (qs: Question[]) => qs.map((question) => ({ question, prompt: [], options: [] }));
const base = sampleManifest(rng, { questions: asQuestions([{ kind: 'single', options: 2 }]) });

/** A variant of `base` whose raw encoding is changed by `change`. */
function variant(change: (r: RawManifest) => void, trailing?: Uint8Array): Uint8Array {
  const r = raw(base);
  change(r);
  return rawBytes(r, trailing);
}

describe('the manifest', () => {
  it('the unchecked writer agrees with encodeManifest (so the refusals below differ only where meant)', () => {
    expect(rawBytes(raw(base))).toEqual(encodeManifest(base));
  });

  it('round trips every question kind, with and without a blank vote', () => {
    const m = sampleManifest(rng, { questions: asQuestions(ALL_KINDS), opensAt: Date.UTC(2026, 0, 1), closesAt: Date.UTC(2026, 0, 2), maxBallots: 100 });
    const bytes = encodeManifest(m);
    const back = decodeManifest(bytes);
    expect(back).toEqual(m);
    expect(back.questions.map((q) => q.question)).toEqual(ALL_KINDS);
    expect(encodeManifest(back)).toEqual(bytes);
    expect(hashManifest(bytes)).toEqual(tagged('gongshi/1/manifest', bytes));
    expect(manifestShapes(back).map((s) => s.blank)).toEqual(ALL_KINDS.map((q) => q.kind !== 'yes-no-abstain' && q.blank === true));
  });

  it('round trips one and four languages, free texts (tab, newline, any script), empty descriptions and the limits', () => {
    const one: Manifest = {
      ...base,
      languages: ['fr'],
      title: ['Sondage\tde la cour'],
      description: [''],
      questions: base.questions.map((q) => ({ ...q, prompt: ['Quoi ?\nVraiment ?'], options: q.options.map((o) => [o[0]]) })),
      maxBallots: 1,
    };
    expect(decodeManifest(encodeManifest(one))).toEqual(one);
    const langs = ['en', 'zh-Hant-TW', 'yue', 'es-419'];
    const four: Manifest = {
      ...base,
      languages: langs,
      title: ['T', '標題', '題目', 'Título 🗳️'],
      description: ['x'.repeat(10_000), '', '', ''],
      questions: base.questions.map((q) => ({ ...q, prompt: langs.map(() => 'p'.repeat(1000)), options: q.options.map(() => langs.map((l) => l)) })),
      trustees: { t: 64, n: 64, names: Array.from({ length: 64 }, (_, i) => `Trustee ${i + 1}`) },
      opensAt: Number.MAX_SAFE_INTEGER - 1,
      closesAt: Number.MAX_SAFE_INTEGER,
    };
    expect(decodeManifest(encodeManifest(four))).toEqual(four);
    // A schedule with one end open.
    for (const [opensAt, closesAt] of [[0, 5], [5, 0], [0, 0]]) expect(decodeManifest(encodeManifest({ ...base, opensAt, closesAt }))).toMatchObject({ opensAt, closesAt });
  });

  it('refuses a wrong version, a short poll id', () => {
    expectDecodeError(() => decodeManifest(variant((r) => (r.version = 1))), 'version'); // the manifest before it named its keys
    expectDecodeError(() => decodeManifest(variant((r) => (r.version = 2))), 'version'); // before it held the schedule's rules
    expectDecodeError(() => decodeManifest(variant((r) => (r.version = 4))), 'version');
    expectDecodeError(() => decodeManifest(variant((r) => (r.version = 0))), 'version');
    expectDecodeError(() => decodeManifest(encodeManifest(base).subarray(0, 10)), 'pollId');
  });

  it('refuses an origin that is not <host>/poll/<hex poll id>, or has a space or +', () => {
    const hex = toHex(base.pollId);
    for (const origin of [
      `gongshi.test/poll/${toHex(rng(16))}`, // another poll id
      `/poll/${hex}`, // no host
      `gongshi.test/poll/${hex.toUpperCase()}`,
      `gongshi.test/poll/${hex}/`,
      `gongshi.test/polls/${hex}`,
      `gongshi test/poll/${hex}`,
      `gongshi.test/poll/${hex} `,
      `gongshi\t.test/poll/${hex}`,
      `gongshi.test+x/poll/${hex}`,
      `gongshi.test\u00a0/poll/${hex}`, // a no-break space is a space too
      '',
    ])
      expectDecodeError(() => decodeManifest(variant((r) => (r.origin = origin))), 'origin');
    // A control character is refused as such, on the same field.
    expectDecodeError(() => decodeManifest(variant((r) => (r.origin = `gongshi.test\u0001/poll/${hex}`))), 'origin');
  });

  it('refuses bad language tags, duplicates, and too few or too many languages', () => {
    const texts = (r: RawManifest, n: number) => {
      const pad = (t: Str[]) => Array.from({ length: n }, (_, i) => t[i] ?? t[0]);
      r.title = pad(r.title);
      r.description = pad(r.description);
      for (const q of r.questions) {
        q.prompt = pad(q.prompt);
        q.options = q.options.map(pad);
      }
    };
    for (const tag of ['english', 'e', 'en_US', 'en-', '-en', 'en-x', 'zh-CN-toolongsubtag', '12', 'en US', ''])
      expectDecodeError(() => decodeManifest(variant((r) => (r.languages = [tag, 'fr']))), 'languages[0]');
    expectDecodeError(() => decodeManifest(variant((r) => (r.languages = ['en', 'EN']))), 'languages[1]');
    expectDecodeError(() => decodeManifest(variant((r) => (r.languages = ['zh-CN', 'zh-cn']))), 'languages[1]');
    expectDecodeError(
      () =>
        decodeManifest(
          variant((r) => {
            r.languages = [];
            texts(r, 0);
          }),
        ),
      'languages',
    );
    expectDecodeError(
      () =>
        decodeManifest(
          variant((r) => {
            r.languages = ['en', 'fr', 'de', 'it', 'es'];
            texts(r, 5);
          }),
        ),
      'languages',
    );
  });

  it('refuses empty titles, control characters, invalid UTF-8 and over-long texts, naming the field and language', () => {
    expectDecodeError(() => decodeManifest(variant((r) => (r.title = ['', 'x']))), 'title.en');
    expectDecodeError(() => decodeManifest(variant((r) => (r.title = ['x', ' \n\t ']))), 'title.zh-CN');
    expectDecodeError(() => decodeManifest(variant((r) => (r.title = ['a\u0007b', 'x']))), 'title.en');
    expectDecodeError(() => decodeManifest(variant((r) => (r.description = ['\u001b[31m', '']))), 'description.en');
    expectDecodeError(() => decodeManifest(variant((r) => (r.questions[0].prompt = ['x', 'line\r\nbreak']))), 'questions[0].prompt.zh-CN');
    expectDecodeError(() => decodeManifest(variant((r) => (r.questions[0].options[1] = ['x', 'del\u007f']))), 'questions[0].options[1].zh-CN');
    expectDecodeError(() => decodeManifest(variant((r) => (r.names = ['Ann', '\u0000', 'Chen']))), 'trustees.names[1]');
    expectDecodeError(() => decodeManifest(variant((r) => (r.names = ['Ann', '', 'Chen']))), 'trustees.names[1]');
    for (const bad of [[0xff], [0xc0, 0xaf], [0xed, 0xa0, 0x80], [0xe4, 0xb8], [0xf4, 0x90, 0x80, 0x80], [0x61, 0x80]])
      expectDecodeError(() => decodeManifest(variant((r) => (r.title = [Uint8Array.from(bad), 'x']))), 'title.en');
    expectDecodeError(() => decodeManifest(variant((r) => (r.title = ['x'.repeat(201), 'x']))), 'title.en');
    expectDecodeError(() => decodeManifest(variant((r) => (r.title = ['x', '中'.repeat(67)]))), 'title.zh-CN'); // 201 bytes
    expect(decodeManifest(variant((r) => (r.title = ['x'.repeat(200), '中'.repeat(66)]))).title).toEqual(['x'.repeat(200), '中'.repeat(66)]);
  });

  it('refuses zero or too many questions, unknown kinds, bad blank flags, and questions that break §Q.1 (ShapeError)', () => {
    expectDecodeError(
      () =>
        decodeManifest(
          variant((r) => {
            r.questions = [];
          }),
        ),
      'questions',
    );
    expectDecodeError(() => decodeManifest(variant((r) => (r.questionCount = 33))), 'questions');
    expectDecodeError(() => decodeManifest(variant((r) => (r.questions[0].fields = [1]))), 'questions[0]'); // single with 1 option
    expectDecodeError(() => decodeManifest(variant((r) => (r.questions[0].kind = 7))), 'questions[0].kind');
    expectDecodeError(() => decodeManifest(variant((r) => (r.questions[0].kind = 0))), 'questions[0].kind');
    expectDecodeError(() => decodeManifest(variant((r) => (r.questions[0].blank = 2))), 'questions[0].blank');
    const yna = (r: RawManifest, blank: number) => {
      r.questions[0] = { kind: 3, fields: [], blank, prompt: ['p', 'p'], options: [['y', 'y'], ['n', 'n'], ['a', 'a']] };
    };
    expect(decodeManifest(variant((r) => yna(r, 0))).questions[0].question).toEqual({ kind: 'yes-no-abstain' });
    expectDecodeError(() => decodeManifest(variant((r) => yna(r, 1))), 'questions[0].blank');
    // The second question breaks §Q.1: multiple choice with min > max.
    const second = (fields: number[]): RawQuestion => ({ kind: 2, fields, blank: 0, prompt: ['p', 'p'], options: Array.from({ length: fields[0] }, () => ['o', 'o']) });
    expectDecodeError(() => decodeManifest(variant((r) => r.questions.push(second([3, 3, 2])))), 'questions[1]');
    expect(decodeManifest(variant((r) => r.questions.push(second([3, 2, 3])))).questions).toHaveLength(2);
    // 65 options are refused before their texts are read; a budget question with no project.
    expectDecodeError(() => decodeManifest(variant((r) => (r.questions[0].fields = [65]))), 'questions[0].options');
    expectDecodeError(() => decodeManifest(variant((r) => (r.questions[0] = { kind: 6, fields: [0, 10], blank: 0, prompt: ['p', 'p'], options: [] }))), 'questions[0].projects');
  });

  it('refuses t > n, t or n out of range, a schedule that closes before it opens, maxBallots out of range, trailing bytes', () => {
    expectDecodeError(() => decodeManifest(variant((r) => (r.t = 4))), 'trustees.t');
    expectDecodeError(() => decodeManifest(variant((r) => (r.t = 0))), 'trustees.t');
    expectDecodeError(
      () =>
        decodeManifest(
          variant((r) => {
            r.n = 0;
            r.names = [];
          }),
        ),
      'trustees.n',
    );
    expectDecodeError(
      () =>
        decodeManifest(
          variant((r) => {
            r.n = 65;
            r.names = Array.from({ length: 65 }, () => 'x');
          }),
        ),
      'trustees.n',
    );
    expectDecodeError(
      () =>
        decodeManifest(
          variant((r) => {
            r.opensAt = 1000;
            r.closesAt = 1000;
          }),
        ),
      'closesAt',
    );
    expectDecodeError(
      () =>
        decodeManifest(
          variant((r) => {
            r.opensAt = 2000;
            r.closesAt = 1000;
          }),
        ),
      'closesAt',
    );
    expectDecodeError(() => decodeManifest(variant((r) => (r.opensAt = 2n ** 53n))), 'opensAt');
    expectDecodeError(() => decodeManifest(variant((r) => (r.closesAt = 2n ** 64n - 1n))), 'closesAt');
    expectDecodeError(() => decodeManifest(variant((r) => (r.maxBallots = 0))), 'maxBallots');
    expectDecodeError(() => decodeManifest(variant((r) => (r.maxBallots = 101))), 'maxBallots');
    expect(decodeManifest(variant((r) => (r.maxBallots = 100))).maxBallots).toBe(100);
    expectDecodeError(() => decodeManifest(variant(() => {}, Uint8Array.of(0))), 'end');
    const bytes = encodeManifest(base);
    expectDecodeError(() => decodeManifest(bytes.subarray(0, bytes.length - 1)), 'maxExtension');
    expectDecodeError(() => decodeManifest(bytes.subarray(0, bytes.length - 9)), 'closeEarly');
    expectDecodeError(() => decodeManifest(bytes.subarray(0, bytes.length - 10)), 'privacyFloor');
  });

  it('holds the rules for changing the schedule: closeEarly 0–2 and maxExtension up to 90 days, both 0 for a poll closed by hand', () => {
    const scheduled = (r: RawManifest) => ((r.opensAt = 0), (r.closesAt = Date.UTC(2026, 5, 1)));
    const m = decodeManifest(variant((r) => (scheduled(r), (r.closeEarly = 1), (r.maxExtension = 3_600_000))));
    expect(m).toMatchObject({ closeEarly: 'all-voted', maxExtension: 3_600_000 });
    expect(decodeManifest(variant((r) => (scheduled(r), (r.closeEarly = 2)))).closeEarly).toBe('any-time');
    expect(decodeManifest(variant((r) => (scheduled(r), (r.maxExtension = 90 * 24 * 3_600_000)))).maxExtension).toBe(90 * 24 * 3_600_000);
    expectDecodeError(() => decodeManifest(variant((r) => (scheduled(r), (r.closeEarly = 3)))), 'closeEarly');
    expectDecodeError(() => decodeManifest(variant((r) => (scheduled(r), (r.maxExtension = 90 * 24 * 3_600_000 + 1)))), 'maxExtension');
    expectDecodeError(() => decodeManifest(variant((r) => (scheduled(r), (r.maxExtension = 2n ** 53n)))), 'maxExtension');
    // closed by hand: may close at any time already, and has no closing time to extend
    expectDecodeError(() => decodeManifest(variant((r) => ((r.closesAt = 0), (r.closeEarly = 2)))), 'closeEarly');
    expectDecodeError(() => decodeManifest(variant((r) => ((r.closesAt = 0), (r.maxExtension = 1)))), 'closeEarly');
  });

  it('names the keys every rule relies on: refuses a log key not named by the origin or not Ed25519, a bad registrar role, foreign or duplicate witnesses, k > w, a privacy floor out of range', () => {
    const witness = (name: string, seed: number) => encodeVerifierKey(verifierKeyOf(signerKeyFromSeed(name, new Uint8Array(32).fill(seed), SIG_TYPE_COSIGNATURE_V1)));
    const [w1, w2] = [witness('witness-one.example', 1), witness('witness-two.example', 2)];
    const good = decodeManifest(variant((r) => ((r.witnesses = [w1, w2]), (r.k = 2), (r.privacyFloor = 5))));
    expect(good.witnesses).toEqual({ keys: [w1, w2], k: 2 });
    expect(good.privacyFloor).toBe(5);
    expect(good.registrar).toEqual({ name: base.registrar.name, key: base.registrar.key, isOrganiser: false });
    expect(decodeManifest(variant((r) => (r.registrarRole = 2))).registrar.isOrganiser).toBe(true);
    // The log key must be the origin's Ed25519 key.
    const otherLog = encodeVerifierKey(verifierKeyOf(signerKeyFromSeed('elsewhere.example/poll/00', new Uint8Array(32).fill(3))));
    expectDecodeError(() => decodeManifest(variant((r) => (r.logKey = otherLog))), 'logKey');
    expectDecodeError(() => decodeManifest(variant((r) => (r.logKey = witness(base.origin, 4)))), 'logKey');
    expectDecodeError(() => decodeManifest(variant((r) => (r.logKey = 'not a key'))), 'logKey');
    expectDecodeError(() => decodeManifest(variant((r) => (r.registrarRole = 0))), 'registrar.role');
    expectDecodeError(() => decodeManifest(variant((r) => (r.registrarRole = 3))), 'registrar.role');
    expectDecodeError(() => decodeManifest(variant((r) => (r.registrarName = ''))), 'registrar.name');
    // Witnesses: cosignature/v1 keys only, each key and name once, never the log's name; k ≤ w.
    expectDecodeError(() => decodeManifest(variant((r) => (r.witnesses = [base.logKey]))), 'witnesses[0]');
    expectDecodeError(() => decodeManifest(variant((r) => (r.witnesses = [w1, w1]))), 'witnesses[1]');
    expectDecodeError(() => decodeManifest(variant((r) => (r.witnesses = [w1, witness('witness-one.example', 9)]))), 'witnesses[1]');
    expectDecodeError(() => decodeManifest(variant((r) => (r.witnesses = [witness(base.origin, 5)]))), 'witnesses[0]');
    expectDecodeError(() => decodeManifest(variant((r) => ((r.witnesses = [w1]), (r.k = 2)))), 'witnesses.k');
    expectDecodeError(() => decodeManifest(variant((r) => (r.witnesses = Array.from({ length: 17 }, (_, i) => witness(`w${i}.example`, i + 10))))), 'witnesses');
    expectDecodeError(() => decodeManifest(variant((r) => (r.privacyFloor = 0))), 'privacyFloor');
    expectDecodeError(() => decodeManifest(variant((r) => (r.privacyFloor = 100_001))), 'privacyFloor');
  });

  it('encodeManifest refuses texts that do not give one string per language, and anything decodeManifest would refuse', () => {
    const q = base.questions[0];
    expectDecodeError(() => encodeManifest({ ...base, title: ['only one'] }), 'title');
    expectDecodeError(() => encodeManifest({ ...base, description: ['', '', ''] }), 'description');
    expectDecodeError(() => encodeManifest({ ...base, questions: [{ ...q, prompt: ['p'] }] }), 'questions[0].prompt');
    expectDecodeError(() => encodeManifest({ ...base, questions: [{ ...q, options: [q.options[0], ['x']] }] }), 'questions[0].options[1]');
    expectDecodeError(() => encodeManifest({ ...base, questions: [{ ...q, options: [q.options[0]] }] }), 'questions[0].options');
    expectDecodeError(() => encodeManifest({ ...base, trustees: { ...base.trustees, names: ['Ann', 'Bo'] } }), 'trustees.names');
    expectDecodeError(() => encodeManifest({ ...base, pollId: base.pollId.subarray(1) }), 'pollId');
    expectDecodeError(() => encodeManifest({ ...base, origin: 'gongshi.test/poll/00' }), 'origin');
    expectDecodeError(() => encodeManifest({ ...base, maxBallots: 0 }), 'maxBallots');
    expectDecodeError(() => encodeManifest({ ...base, questions: [{ ...q, question: { kind: 'single', options: 1 } }], }), 'questions[0].options');
  });
});

// ---------------------------------------------------------------------------------------------------

describe('the entry header', () => {
  const prev = rng(32);
  const payload = Uint8Array.of(1, 2, 3);

  it('round trips every type; the layout is type ‖ version ‖ u64 height ‖ prev ‖ u64 time ‖ payload', () => {
    for (const [type, code] of Object.entries(EntryType) as [EntryTypeName, number][]) {
      const header = { type, height: 12345, prev, time: Date.UTC(2026, 0, 1) };
      const bytes = encodeEntry(header, payload);
      expect(bytes.length).toBe(HEADER_BYTES + payload.length);
      expect([...bytes.subarray(0, 2)]).toEqual([code, 1]);
      expect(bytes.subarray(2, 10)).toEqual(u64be(12345));
      expect(bytes.subarray(10, 42)).toEqual(prev);
      expect(bytes.subarray(42, 50)).toEqual(u64be(header.time));
      const e = decodeEntry(bytes);
      expect(e).toMatchObject({ ...header, payload, bytes });
      expect(e.hash).toEqual(hashEntry(bytes));
    }
    expect(decodeEntry(encodeEntry({ type: 'open', height: 0, prev, time: 0 }, new Uint8Array(0))).payload).toEqual(new Uint8Array(0));
  });

  it('hashEntry and genesisHash are tagged SHA-256 (recomputed independently)', () => {
    const bytes = encodeEntry({ type: 'ballot', height: 7, prev, time: 99 }, payload);
    expect(hashEntry(bytes)).toEqual(tagged('gongshi/1/entry', bytes));
    expect(hashEntry(new Uint8Array(0))).toEqual(sha256(concat(u32be(15), utf8.encode('gongshi/1/entry'), u32be(0))));
    const pollId = rng(16);
    expect(genesisHash(pollId)).toEqual(tagged('gongshi/1/genesis', pollId));
  });

  it('u64 fields above 2^53 − 1 are refused; 2^53 − 1 is read', () => {
    const max = Number.MAX_SAFE_INTEGER;
    expect(decodeEntry(encodeEntry({ type: 'open', height: max, prev, time: max }, payload))).toMatchObject({ height: max, time: max });
    const bytes = encodeEntry({ type: 'open', height: 1, prev, time: 1 }, payload);
    for (const [at, field] of [
      [2, 'height'],
      [42, 'time'],
    ] as const) {
      for (const v of [2n ** 53n, 2n ** 64n - 1n]) {
        const b = bytes.slice();
        new DataView(b.buffer).setBigUint64(at, v);
        expectDecodeError(() => decodeEntry(b), field);
      }
    }
    expect(() => encodeEntry({ type: 'open', height: 2 ** 53, prev, time: 0 }, payload)).toThrow(/u64 out of range/);
    expect(() => encodeEntry({ type: 'open', height: -1, prev, time: 0 }, payload)).toThrow(/u64 out of range/);
  });

  it('refuses an unknown type or version, a truncated header, an oversized entry', () => {
    const bytes = encodeEntry({ type: 'open', height: 1, prev, time: 1 }, payload);
    for (const code of [0, 16, 255]) expectDecodeError(() => decodeEntry(Uint8Array.of(code, ...bytes.subarray(1))), 'type');
    for (const v of [0, 2]) expectDecodeError(() => decodeEntry(Uint8Array.of(bytes[0], v, ...bytes.subarray(2))), 'version');
    expectDecodeError(() => decodeEntry(new Uint8Array(0)), 'type');
    expectDecodeError(() => decodeEntry(bytes.subarray(0, 1)), 'version');
    expectDecodeError(() => decodeEntry(bytes.subarray(0, 9)), 'height');
    expectDecodeError(() => decodeEntry(bytes.subarray(0, 41)), 'prev');
    expectDecodeError(() => decodeEntry(bytes.subarray(0, HEADER_BYTES - 1)), 'time');
    expect(decodeEntry(bytes.subarray(0, HEADER_BYTES)).payload.length).toBe(0);
    expectDecodeError(() => decodeEntry(new Uint8Array(MAX_ENTRY_BYTES + 1)), 'entry');
    expectDecodeError(() => decodeEntry([1, 2, 3] as unknown as Uint8Array), 'entry');
    expect(() => encodeEntry({ type: 'open', height: 1, prev, time: 1 }, new Uint8Array(MAX_ENTRY_BYTES - HEADER_BYTES + 1))).toThrow(/over the limit/);
    expect(encodeEntry({ type: 'open', height: 1, prev, time: 1 }, new Uint8Array(MAX_ENTRY_BYTES - HEADER_BYTES)).length).toBe(MAX_ENTRY_BYTES);
    expect(() => encodeEntry({ type: 'open', height: 1, prev: prev.subarray(1), time: 1 }, payload)).toThrow(/prev is 32 bytes/);
  });
});

// ---------------------------------------------------------------------------------------------------

describe('the payload codecs', () => {
  const m = sampleManifest(rng, { questions: asQuestions([{ kind: 'single', options: 3, blank: true }, { kind: 'score', options: 2, maxScore: 20 }]) });
  const shapes = manifestShapes(m);
  const ctx = { shapes };
  const jointKey = mulPublic(G, 12345n);
  let sim: SimulatedCeremony;

  beforeAll(async () => {
    sim = await simulateCeremony({ election: rng(32), t: 2, n: 3 }, rng);
  });

  /** Decodes, re-encodes to the same bytes, and refuses a trailing byte (on `trailingField`). */
  function roundTrip(type: EntryTypeName, bytes: Uint8Array, encode: (p: Payload) => Uint8Array, trailingField = 'end'): Payload {
    const p = decodePayload(type, bytes, ctx);
    expect(p.type).toBe(type);
    expect(encode(p)).toEqual(bytes);
    expectDecodeError(() => decodePayload(type, Uint8Array.of(...bytes, 0), ctx), trailingField);
    return p;
  }

  it('manifest', () => {
    const bytes = encodeManifest(m);
    const p = roundTrip('manifest', bytes, (p) => encodeManifest((p as Extract<Payload, { type: 'manifest' }>).manifest));
    expect(p).toEqual({ type: 'manifest', manifest: m });
  });

  it('credentials: 1 to 100,000 per entry, weights 1 to 1000, keys canonical and not the identity', () => {
    const list = [1, 1000, 7].map((weight, i) => ({ key: mulPublic(G, BigInt(i + 2)), weight }));
    const SIG = new Uint8Array(64).fill(9);
    const bytes = encodeCredentials(list, SIG);
    const p = roundTrip('credentials', bytes, (p) => encodeCredentials((p as Extract<Payload, { type: 'credentials' }>).credentials, (p as Extract<Payload, { type: 'credentials' }>).signature));
    expect((p as Extract<Payload, { type: 'credentials' }>).signature).toEqual(SIG);
    expect((p as Extract<Payload, { type: 'credentials' }>).listBytes).toEqual(bytes.subarray(0, bytes.length - 64));
    expectDecodeError(() => decodePayload('credentials', bytes.subarray(0, bytes.length - 1), ctx), 'signature');
    expectDecodeError(() => decodePayload('credentials', concat(bytes, Uint8Array.of(0)), ctx), 'end');
    expect((p as Extract<Payload, { type: 'credentials' }>).credentials.map((c) => [toHex(encodePoint(c.key)), c.weight])).toEqual(list.map((c) => [toHex(encodePoint(c.key)), c.weight]));
    expectDecodeError(() => decodePayload('credentials', u32be(0), ctx), 'count');
    expectDecodeError(() => decodePayload('credentials', u32be(100_001), ctx), 'count');
    expectDecodeError(() => decodePayload('credentials', encodeCredentials([{ key: G, weight: 0 }], SIG), ctx), 'credentials[0].weight');
    expectDecodeError(() => decodePayload('credentials', encodeCredentials([{ key: G, weight: 1 }, { key: G, weight: 1001 }], SIG), ctx), 'credentials[1].weight');
    expectDecodeError(() => decodePayload('credentials', concat(u32be(1), encodePoint(IDENTITY), u32be(1)), ctx), 'credentials[0].key');
    expectDecodeError(() => decodePayload('credentials', concat(u32be(1), new Uint8Array(32).fill(0xff), u32be(1)), ctx), 'credentials[0].key');
    expectDecodeError(() => decodePayload('credentials', bytes.subarray(0, bytes.length - 66), ctx), 'credentials[2].weight');
    expectDecodeError(() => decodePayload('credentials', Uint8Array.of(0, 0, 0, 3, ...bytes.subarray(4, 4 + 36 * 2)), ctx), 'credentials[2].key');
  });

  it('ceremony and step', () => {
    expect(roundTrip('ceremony', encodeCeremony(7), (p) => encodeCeremony((p as Extract<Payload, { type: 'ceremony' }>).run))).toEqual({ type: 'ceremony', run: 7 });
    expectDecodeError(() => decodePayload('ceremony', encodeCeremony(7).subarray(1), ctx), 'run');
    for (let s = 2; s <= 6; s++) {
      const p = roundTrip('step', encodeStep(3, s), (p) => {
        const q = p as Extract<Payload, { type: 'step' }>;
        return encodeStep(q.run, q.step);
      });
      expect(p).toEqual({ type: 'step', run: 3, step: s });
    }
    for (const s of [0, 1, 7, 255]) expectDecodeError(() => decodePayload('step', encodeStep(3, s), ctx), 'step');
  });

  it('trustee messages of every ceremony kind; decryption messages only in decryption entries', () => {
    const r = sim.record;
    const h = r.identities[0].fingerprint;
    const complaint = buildMessage('complaint', h, 1, { accused: 2, key: G, proof: { T1: G, T2: IDENTITY, z: 5n } }, sim.secrets[0].signing, rng);
    const all: TrusteeMessage[] = [r.identities[0], r.commits[1], r.reveals[2], r.shares[0], complaint, r.finishes[1]];
    for (const msg of all) {
      const p = roundTrip('trustee', msg.bytes, (p) => (p as Extract<Payload, { type: 'trustee' }>).message.bytes);
      expect((p as Extract<Payload, { type: 'trustee' }>).message).toMatchObject({ kind: msg.kind, index: msg.index });
      expectDecodeError(() => decodePayload('decryption', msg.bytes, ctx), 'kind');
    }
    const d = createDecryptionShares({ fingerprint: rng(32), index: 2, keyShare: sim.keyShares[1], signing: sim.secrets[1].signing, ciphertexts: [{ alpha: G, beta: jointKey }] }, rng);
    const p = roundTrip('decryption', d.bytes, (p) => (p as Extract<Payload, { type: 'decryption' }>).message.bytes);
    expect(p).toMatchObject({ type: 'decryption', message: { kind: 'decryption', index: 2 } });
    expectDecodeError(() => decodePayload('trustee', d.bytes, ctx), 'kind');
    expectDecodeError(() => decodePayload('trustee', Uint8Array.of(8, ...d.bytes.subarray(1)), ctx), 'kind');
  });

  it('key', () => {
    const key = { run: 2, fingerprint: rng(32), transcript: rng(32), jointKey, verificationKeys: [1, 3].map((index) => ({ index, key: mulPublic(G, BigInt(index * 11)) })) };
    const bytes = encodeKey(key);
    const p = roundTrip('key', bytes, (p) => encodeKey((p as Extract<Payload, { type: 'key' }>).key));
    expect((p as Extract<Payload, { type: 'key' }>).key).toMatchObject({ run: 2, fingerprint: key.fingerprint, transcript: key.transcript });
    expectDecodeError(() => decodePayload('key', encodeKey({ ...key, verificationKeys: [] }), ctx), 'verificationKeys');
    expectDecodeError(() => decodePayload('key', encodeKey({ ...key, verificationKeys: Array.from({ length: 65 }, () => key.verificationKeys[0]) }), ctx), 'verificationKeys');
    expectDecodeError(() => decodePayload('key', encodeKey({ ...key, jointKey: IDENTITY }), ctx), 'jointKey');
  });

  it('open and close carry nothing', () => {
    for (const type of ['open', 'close'] as const) {
      expect(roundTrip(type, new Uint8Array(0), () => new Uint8Array(0))).toEqual({ type });
    }
  });

  it('extend: one u64, the new closing time, and nothing after it', () => {
    const closesAt = Date.UTC(2026, 5, 1, 18);
    const bytes = encodeExtend(closesAt);
    expect(bytes).toEqual(u64be(closesAt));
    expect(roundTrip('extend', bytes, (p) => encodeExtend((p as Extract<Payload, { type: 'extend' }>).closesAt))).toEqual({ type: 'extend', closesAt });
    expectDecodeError(() => decodePayload('extend', bytes.subarray(0, 7), ctx), 'closesAt');
    expectDecodeError(() => decodePayload('extend', concat(bytes, Uint8Array.of(0)), ctx), 'end');
    expectDecodeError(() => decodePayload('extend', u64be(2n ** 53n), ctx), 'closesAt');
  });

  const ballotAnswers = [{ blank: true as const }, { values: [20, 3] }];

  it('ballot and audit: laid out by the manifest’s shapes', () => {
    const b = createBallot({ shape: { questions: m.questions.map((q) => q.question) }, key: jointKey, fingerprint: rng(32), credential: { secret: 5n, publicKey: mulPublic(G, 5n) }, answers: ballotAnswers }, rng);
    const p = roundTrip('ballot', b.bytes, (p) => encodeBallot((p as Extract<Payload, { type: 'ballot' }>).ballot!));
    expect((p as Extract<Payload, { type: 'ballot' }>).ballot!.fingerprint).toEqual(b.ballot.fingerprint);
    expectDecodeError(() => decodePayload('ballot', b.bytes, { shapes: null }), 'payload');
    expectDecodeError(() => decodePayload('ballot', b.bytes, { shapes: shapes.slice(0, 1) }), 'questions');

    const audit = encodeAudit(b.bytes, b.opening);
    const a = roundTrip('audit', audit, (p) => {
      const q = p as Extract<Payload, { type: 'audit' }>;
      return encodeAudit(q.ballotBytes, q.opening);
    });
    expect(a).toMatchObject({ type: 'audit', ballotBytes: b.bytes, opening: b.opening });
    expectDecodeError(() => decodePayload('audit', audit, { shapes: null }), 'payload');
    // The framed ballot with a trailing byte inside its frame.
    expectDecodeError(() => decodePayload('audit', concat(u32be(b.bytes.length + 1), b.bytes, Uint8Array.of(0), audit.subarray(4 + b.bytes.length)), ctx), 'end');
    expectDecodeError(() => decodePayload('audit', concat(u32be(9 * 1024 * 1024)), ctx), 'ballot');
    expectDecodeError(() => decodePayload('audit', audit.subarray(0, audit.length - 1), ctx), 'opening[1][1].r');
  });

  it('tally: one ciphertext per slot, the identity allowed', () => {
    const slots = shapes.reduce((n, s) => n + s.slotMax.length, 0);
    expect(slots).toBe(6);
    const ciphertexts = Array.from({ length: slots }, (_, i) => (i === 1 ? { alpha: IDENTITY, beta: IDENTITY } : { alpha: mulPublic(G, BigInt(i + 1)), beta: mulPublic(G, BigInt(i + 100)) }));
    const bytes = encodeTally({ counted: 3, weight: 2 ** 40, ciphertexts });
    const p = roundTrip('tally', bytes, (p) => encodeTally((p as Extract<Payload, { type: 'tally' }>).tally));
    expect(p).toMatchObject({ type: 'tally', tally: { counted: 3, weight: 2 ** 40 } });
    expectDecodeError(() => decodePayload('tally', encodeTally({ counted: 3, weight: 1, ciphertexts: ciphertexts.slice(1) }), ctx), 'ciphertexts');
    expectDecodeError(() => decodePayload('tally', bytes, { shapes: null }), 'payload');
  });

  it('result: one u64 total per slot', () => {
    const totals = [0, 1, 2, 3, 4, Number.MAX_SAFE_INTEGER];
    const bytes = encodeResult(totals);
    expect(roundTrip('result', bytes, (p) => encodeResult((p as Extract<Payload, { type: 'result' }>).totals))).toEqual({ type: 'result', totals });
    expectDecodeError(() => decodePayload('result', encodeResult(totals.slice(1)), ctx), 'totals');
    expectDecodeError(() => decodePayload('result', concat(u32be(6), ...totals.slice(0, 5).map(u64be), u64be(2n ** 53n)), ctx), 'totals[5]');
  });

  it('the scalar and point fields are canonical (a decoded ballot refuses an unreduced scalar)', () => {
    const b = createBallot({ shape: { questions: m.questions.map((q) => q.question) }, key: jointKey, fingerprint: rng(32), credential: { secret: 5n, publicKey: mulPublic(G, 5n) }, answers: ballotAnswers }, rng);
    const bytes = b.bytes.slice();
    // The signature's z is the last 32 bytes, little-endian: add ℓ to it.
    let z = 0n;
    for (let i = 31; i >= 0; i--) z = (z << 8n) | BigInt(bytes[bytes.length - 32 + i]);
    let big = z + L;
    if (big >= 1n << 256n) return;
    for (let i = 0; i < 32; i++) {
      bytes[bytes.length - 32 + i] = Number(big & 0xffn);
      big >>= 8n;
    }
    expectDecodeError(() => decodePayload('ballot', bytes, ctx), 'signature.z');
  });
});

// ---------------------------------------------------------------------------------------------------

describe('the record file', () => {
  let record: Uint8Array;
  let board: Board;
  let items: RecordItem[];

  beforeAll(async () => {
    const poll = await startPoll({ seed: 'records test poll', storage: new MemoryStorage(), manifest: { questions: asQuestions([{ kind: 'single', options: 2 }]) } });
    await listVoters(poll, 3);
    await runCeremony(poll);
    await poll.board.submit('open', new Uint8Array(0));
    for (let i = 0; i < 3; i++) await cast(poll, i, [{ values: i === 1 ? [0, 1] : [1, 0] }]);
    await count(poll, [1, 3]);
    board = poll.board;
    record = concat(...board.exportRecord());
    const parser = new RecordParser();
    items = parser.push(record);
    parser.finish();
  });

  /** Pushes `chunks` through one parser and returns every item; finish() included. */
  function parseChunks(chunks: Iterable<Uint8Array>): RecordItem[] {
    const parser = new RecordParser();
    const out: RecordItem[] = [];
    for (const c of chunks) out.push(...parser.push(c));
    parser.finish();
    return out;
  }

  function* split(bytes: Uint8Array, size: number): Generator<Uint8Array> {
    for (let at = 0; at < bytes.length; at += size) yield bytes.subarray(at, at + size);
  }

  /** A record file from items, after the magic. */
  const file = (...list: RecordItem[]) => concat(recordHeader(), ...list.map(encodeRecordItem));

  it('parseRecord on a whole-poll export returns the log key, every entry and the checkpoint', async () => {
    expect(new TextDecoder().decode(record.subarray(0, RECORD_MAGIC.length))).toBe(RECORD_MAGIC);
    const parsed = parseRecord(record);
    expect(parsed.logKey).toBe(encodeVerifierKey(board.logVerifierKey!));
    expect(parsed.entries).toEqual([...board.entries()].map((e) => e.bytes));
    expect(parsed.entries.length).toBe(board.size);
    expect(parsed.checkpoints).toEqual([board.latestCheckpoint()]);
    expect(board.state.phase).toBe('done');
    expect(items.map((i) => i.kind)).toEqual(['logKey', ...parsed.entries.map(() => 'entry'), 'checkpoint', 'end']);
    expect(items.at(-1)).toEqual({ kind: 'end', entries: board.size });
    const state = createState();
    for (const bytes of parsed.entries) expect(await applyEntry(state, bytes)).toMatchObject({ ok: true });
    expect(state.head).toEqual(board.state.head);
  });

  it('reads the same items from chunks of every size 1 … 7 and from random splits', () => {
    for (let size = 1; size <= 7; size++) expect(parseChunks(split(record, size))).toEqual(items);
    const r = seededRandom('record splits');
    for (let trial = 0; trial < 25; trial++) {
      const cuts = [...new Set(Array.from({ length: 1 + (r(1)[0] % 12) }, () => new DataView(r(4).buffer).getUint32(0) % record.length))].sort((a, b) => a - b);
      const bounds = [0, ...cuts, record.length];
      const chunks = bounds.slice(1).map((end, k) => record.subarray(bounds[k], end)); // empty chunks included
      expect(parseChunks(chunks)).toEqual(items);
    }
  });

  it('refuses a wrong magic, at once', () => {
    const bad = record.slice();
    bad[0] ^= 1;
    expectDecodeError(() => new RecordParser().push(bad), 'magic');
    expectDecodeError(() => new RecordParser().push(bad.subarray(0, 1)), 'magic');
    const v2 = concat(utf8.encode('gongshi-record/2\n'), record.subarray(RECORD_MAGIC.length));
    const parser = new RecordParser();
    expect(parser.push(v2.subarray(0, 15))).toEqual([]);
    expectDecodeError(() => parser.push(v2.subarray(15, 16)), 'magic');
    expectDecodeError(() => parseRecord(utf8.encode('{"json": true}')), 'magic');
  });

  it('refuses a truncated file at finish(), wherever it is cut', () => {
    const endItem = encodeRecordItem({ kind: 'end', entries: board.size }).length;
    for (const cut of [0, 5, RECORD_MAGIC.length, RECORD_MAGIC.length + 3, 200, record.length - endItem - 1, record.length - endItem, record.length - 1]) {
      const parser = new RecordParser();
      parser.push(record.subarray(0, cut));
      expectDecodeError(() => parser.finish(), 'end');
    }
  });

  it('refuses bytes after the end item, in the same chunk or later', () => {
    expectDecodeError(() => new RecordParser().push(concat(record, Uint8Array.of(0))), 'end');
    const parser = new RecordParser();
    parser.push(record);
    expectDecodeError(() => parser.push(Uint8Array.of(2)), 'end');
    expectDecodeError(() => parseRecord(concat(record, record)), 'end');
  });

  it('refuses items out of order, an end that miscounts, no checkpoint, unknown tags, oversized items', () => {
    const logKey: RecordItem = { kind: 'logKey', key: 'k' };
    const entry: RecordItem = { kind: 'entry', bytes: Uint8Array.of(1, 2, 3) };
    const checkpoint: RecordItem = { kind: 'checkpoint', note: 'n' };
    // The well-formed skeleton parses.
    expect(parseRecord(file(logKey, entry, entry, checkpoint, checkpoint, { kind: 'end', entries: 2 }))).toMatchObject({ logKey: 'k', checkpoints: ['n', 'n'] });
    expectDecodeError(() => parseRecord(file(logKey, entry, checkpoint, entry, checkpoint, { kind: 'end', entries: 2 })), 'item[3]');
    expectDecodeError(() => parseRecord(file(logKey, entry, checkpoint, { kind: 'end', entries: 2 })), 'item[3]');
    expectDecodeError(() => parseRecord(file(logKey, entry, entry, checkpoint, { kind: 'end', entries: 1 })), 'item[4]');
    expectDecodeError(() => parseRecord(file(logKey, entry, { kind: 'end', entries: 1 })), 'item[2]');
    expectDecodeError(() => parseRecord(file(entry, checkpoint, { kind: 'end', entries: 1 })), 'item[0]');
    expectDecodeError(() => parseRecord(file(logKey, logKey, entry, checkpoint, { kind: 'end', entries: 1 })), 'item[1]');
    expectDecodeError(() => parseRecord(concat(file(logKey, entry), Uint8Array.of(9, 0, 0, 0, 0), file(checkpoint).subarray(RECORD_MAGIC.length))), 'item[2]');
    expectDecodeError(() => parseRecord(concat(file(logKey, entry, checkpoint), Uint8Array.of(0, 0, 0, 0, 4, 0, 0, 0, 1))), 'end');
    expectDecodeError(() => parseRecord(concat(file(logKey, entry, checkpoint), Uint8Array.of(0, 0, 0, 0, 8, 0x80, 0, 0, 0, 0, 0, 0, 1))), 'end');
    expectDecodeError(() => parseRecord(concat(file(logKey, entry, checkpoint), Uint8Array.of(0, 0, 0, 0, 9))), 'item[3]');
    // An oversized entry is refused from its 5-byte header alone.
    expectDecodeError(() => new RecordParser().push(concat(file(logKey), Uint8Array.of(2), u32be(MAX_ENTRY_BYTES + 1))), 'item[1]');
    expectDecodeError(() => new RecordParser().push(concat(file(logKey), Uint8Array.of(3), u32be(1024 * 1024 + 1))), 'item[1]');
    expectDecodeError(() => parseRecord(concat(file(logKey, entry), Uint8Array.of(3, 0, 0, 0, 1, 0xff), file({ kind: 'end', entries: 1 }).subarray(RECORD_MAGIC.length))), 'item[2]');
  });
});
