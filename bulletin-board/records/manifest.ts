/**
 * The manifest: the poll's identity, texts, questions, trustees, schedule, revote policy and the keys
 * every rule relies on (the log's, the registrar's, the witnesses'), in one canonical encoding. It is
 * the payload of the entry at height 0; its hash is the poll fingerprint people hold. Spec §B.1.4.
 */
import { SIG_TYPE_COSIGNATURE_V1, SIG_TYPE_ED25519, parseVerifierKey } from '../log/note.ts';
import {
  DecodeError,
  LIMITS,
  MAX_TRUSTEES,
  Reader,
  ShapeError,
  Writer,
  ballotShape,
  toHex,
  type AnswerShape,
  type Question,
} from '../../crypto/index.ts';

/** B.1.4 one string per language of the manifest, in the manifest's language order. */
export type Text = readonly string[];

export interface ManifestQuestion {
  readonly question: Question;
  readonly prompt: Text;
  /** one text per option (per project for a budget question; yes, no, abstain for yes-no-abstain) */
  readonly options: readonly Text[];
}

export interface Manifest {
  /** 16 random bytes drawn when the poll is created: the election id of §C.4 and the log's name */
  readonly pollId: Uint8Array;
  /** B.1.4 the log's origin (§B.3.6): `<host>/poll/<hex poll id>` */
  readonly origin: string;
  /** BCP 47 tags, for example ["zh-CN", "en"] */
  readonly languages: readonly string[];
  readonly title: Text;
  readonly description: Text;
  readonly questions: readonly ManifestQuestion[];
  readonly trustees: { readonly t: number; readonly n: number; readonly names: readonly string[] };
  /** ms since 1970 UTC; 0 = opened by hand. The open entry may not come earlier. */
  readonly opensAt: number;
  /** ms since 1970 UTC; 0 = closed by hand. No ballot after it; the close entry may not come earlier. */
  readonly closesAt: number;
  /** B.1.4 the revote policy: how many ballots one credential may cast (1 = no revote); the last counts */
  readonly maxBallots: number;
  /** B.1.4 the log's verifier key (B.3.3, Ed25519, named by the origin): it signs checkpoints and receipts */
  readonly logKey: string;
  /** B.1.4 who makes the voter codes and signs every credentials entry (B.1.6.1) */
  readonly registrar: Registrar;
  /** B.1.4 the only witnesses whose cosignatures count (B.3.9), and how many a final checkpoint needs */
  readonly witnesses: { readonly keys: readonly string[]; readonly k: number };
  /** B.1.4 the least number of counted credentials a tally must have before any trustee decrypts it */
  readonly privacyFloor: number;
  /** B.1.4 whether the poll may close before closesAt (B.4.6.6); 'never' when closesAt is 0 */
  readonly closeEarly: CloseEarly;
  /** B.1.4 ms by which extend entries may move the closing time past closesAt in all (B.4.6.7); 0 when closesAt is 0 */
  readonly maxExtension: number;
}

/** B.1.4 when a scheduled poll may close before its closing time: never, once every listed credential has cast, or at any time. */
export type CloseEarly = 'never' | 'all-voted' | 'any-time';
const CLOSE_EARLY: readonly CloseEarly[] = ['never', 'all-voted', 'any-time'];

/** B.1.4 the registrar: her name, her Ed25519 public key, and whether she is the organiser herself. */
export interface Registrar {
  readonly name: string;
  readonly key: Uint8Array;
  /** the organiser makes the codes herself: she knows every code (the pages say so) */
  readonly isOrganiser: boolean;
}

export const MANIFEST_VERSION = 3;
export const POLL_ID_BYTES = 16;
/** B.1.4 limits on the manifest's strings, in UTF-8 bytes, and on its lists. */
export const MANIFEST_LIMITS = { languages: 4, language: 35, title: 200, description: 10_000, text: 1000, trusteeName: 200, origin: 255, maxBallots: 100, key: 255, registrarName: 200, witnesses: 16, privacyFloor: 100_000, maxExtension: 90 * 24 * 3600_000 } as const;

const QUESTION_KINDS = { single: 1, multiple: 2, 'yes-no-abstain': 3, score: 4, cumulative: 5, budget: 6 } as const;
const KIND_NAMES = new Map(Object.entries(QUESTION_KINDS).map(([k, v]) => [v, k as Question['kind']]));

const utf8 = new TextEncoder();
const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** B.1.4 the number of options a question's texts must name. */
export function optionCount(q: Question): number {
  switch (q.kind) {
    case 'yes-no-abstain':
      return 3;
    case 'budget':
      return q.costs.length;
    default:
      return q.options;
  }
}

/** The answer shapes of the manifest's questions (§Q.2). */
export function manifestShapes(m: Manifest): AnswerShape[] {
  return ballotShape({ questions: m.questions.map((q) => q.question) });
}

function writeString(w: Writer, s: string): void {
  w.framed(utf8.encode(s));
}

function readString(r: Reader, field: string, max: number, allowEmpty: boolean): string {
  const bytes = r.framed(field, max);
  let s: string;
  try {
    s = strictUtf8.decode(bytes);
  } catch {
    throw new DecodeError(field, 'not valid UTF-8');
  }
  if (!allowEmpty && s.trim() === '') throw new DecodeError(field, 'empty');
  // Control characters other than tab and newline have no place in a poll's texts, nor do the
  // bidirectional overrides and isolates that can make a text read differently from its bytes.
  if (/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/.test(s)) throw new DecodeError(field, 'contains a control character');
  if (/[\u202a-\u202e\u2066-\u2069]/.test(s)) throw new DecodeError(field, 'contains a bidirectional override or isolate');
  return s;
}

function writeText(w: Writer, t: Text): void {
  for (const s of t) writeString(w, s);
}

function readText(r: Reader, field: string, languages: readonly string[], max: number, allowEmpty = false): Text {
  return languages.map((lang) => readString(r, `${field}.${lang}`, max, allowEmpty));
}

function writeQuestion(w: Writer, q: Question): void {
  w.u8(QUESTION_KINDS[q.kind]);
  switch (q.kind) {
    case 'single':
      w.u32(q.options);
      break;
    case 'multiple':
      w.u32(q.options).u32(q.min).u32(q.max);
      break;
    case 'yes-no-abstain':
      break;
    case 'score':
      w.u32(q.options).u32(q.maxScore);
      break;
    case 'cumulative':
      w.u32(q.options).u32(q.points);
      break;
    case 'budget':
      w.u32(q.costs.length);
      for (const c of q.costs) w.u32(c);
      w.u32(q.budget);
      break;
  }
  w.u8(q.kind !== 'yes-no-abstain' && q.blank === true ? 1 : 0);
}

function readQuestion(r: Reader, f: string): Question {
  const code = r.u8(`${f}.kind`);
  const kind = KIND_NAMES.get(code as never);
  if (kind === undefined) throw new DecodeError(`${f}.kind`, `unknown question kind ${code}`);
  let q: Question;
  switch (kind) {
    case 'single':
      q = { kind, options: r.u32(`${f}.options`) };
      break;
    case 'multiple':
      q = { kind, options: r.u32(`${f}.options`), min: r.u32(`${f}.min`), max: r.u32(`${f}.max`) };
      break;
    case 'yes-no-abstain':
      q = { kind };
      break;
    case 'score':
      q = { kind, options: r.u32(`${f}.options`), maxScore: r.u32(`${f}.maxScore`) };
      break;
    case 'cumulative':
      q = { kind, options: r.u32(`${f}.options`), points: r.u32(`${f}.points`) };
      break;
    case 'budget': {
      const count = r.u32(`${f}.projects`);
      if (count < 1 || count > LIMITS.options) throw new DecodeError(`${f}.projects`, `a budget question has 1 to ${LIMITS.options} projects`);
      const costs = Array.from({ length: count }, (_, i) => r.u32(`${f}.costs[${i}]`));
      q = { kind, costs, budget: r.u32(`${f}.budget`) };
      break;
    }
  }
  const blank = r.u8(`${f}.blank`);
  if (blank > 1 || (kind === 'yes-no-abstain' && blank !== 0)) throw new DecodeError(`${f}.blank`, 'must be 0 or 1 (0 for yes-no-abstain)');
  return blank === 1 ? ({ ...q, blank: true } as Question) : q;
}

/**
 * B.1.4 the manifest's bytes:
 *   u8 version ‖ poll id (16) ‖ frame(origin) ‖ u8 L ‖ frame(language)×L ‖ text(title) ‖ text(description)
 *   ‖ u32 Q ‖ per question: question ‖ text(prompt) ‖ text(option)×options
 *   ‖ u32 t ‖ u32 n ‖ frame(name)×n ‖ u64 opensAt ‖ u64 closesAt ‖ u32 maxBallots
 *   ‖ frame(log key) ‖ u8 registrar role ‖ frame(registrar name) ‖ registrar key (32)
 *   ‖ u8 w ‖ frame(witness key)×w ‖ u8 k ‖ u32 privacyFloor ‖ u8 closeEarly ‖ u64 maxExtension
 * where text(x) is frame(x in language 1) ‖ … ‖ frame(x in language L). Throws like decodeManifest
 * would on the result, so nothing unreadable is ever written.
 */
export function encodeManifest(m: Manifest): Uint8Array {
  const L = m.languages.length;
  const texts: [string, Text][] = [['title', m.title], ['description', m.description]];
  m.questions.forEach((q, i) => {
    texts.push([`questions[${i}].prompt`, q.prompt]);
    if (q.options.length !== optionCount(q.question)) throw new DecodeError(`questions[${i}].options`, `expected ${optionCount(q.question)} option texts`);
    q.options.forEach((o, k) => texts.push([`questions[${i}].options[${k}]`, o]));
  });
  for (const [field, text] of texts) if (text.length !== L) throw new DecodeError(field, `expected one text per language (${L})`);
  if (m.trustees.names.length !== m.trustees.n) throw new DecodeError('trustees.names', `expected ${m.trustees.n} names`);
  if (!(m.pollId instanceof Uint8Array) || m.pollId.length !== POLL_ID_BYTES) throw new DecodeError('pollId', `${POLL_ID_BYTES} bytes`);
  const w = new Writer().u8(MANIFEST_VERSION).bytes(m.pollId);
  writeString(w, m.origin);
  w.u8(m.languages.length);
  for (const l of m.languages) writeString(w, l);
  writeText(w, m.title);
  writeText(w, m.description);
  w.u32(m.questions.length);
  for (const q of m.questions) {
    writeQuestion(w, q.question);
    writeText(w, q.prompt);
    for (const o of q.options) writeText(w, o);
  }
  w.u32(m.trustees.t).u32(m.trustees.n);
  for (const name of m.trustees.names) writeString(w, name);
  w.u64(m.opensAt).u64(m.closesAt).u32(m.maxBallots);
  writeString(w, m.logKey);
  if (!(m.registrar.key instanceof Uint8Array) || m.registrar.key.length !== 32) throw new DecodeError('registrar.key', '32 bytes');
  w.u8(m.registrar.isOrganiser ? 2 : 1);
  writeString(w, m.registrar.name);
  w.bytes(m.registrar.key);
  w.u8(m.witnesses.keys.length);
  for (const k of m.witnesses.keys) writeString(w, k);
  w.u8(m.witnesses.k).u32(m.privacyFloor);
  const closeEarly = CLOSE_EARLY.indexOf(m.closeEarly);
  if (closeEarly < 0) throw new DecodeError('closeEarly', 'never, all-voted or any-time');
  w.u8(closeEarly).u64(m.maxExtension);
  const bytes = w.finish();
  decodeManifest(bytes); // the one set of rules, applied to what we are about to publish
  return bytes;
}

/** B.1.4 a verifier key string (B.3.3) of the given signature type. */
function readKey(r: Reader, field: string, sigType: number): { text: string; name: string; publicKey: Uint8Array } {
  const text = readString(r, field, MANIFEST_LIMITS.key, false);
  let key;
  try {
    key = parseVerifierKey(text);
  } catch (e) {
    if (e instanceof DecodeError) throw new DecodeError(field, e.message);
    throw e;
  }
  if (key.sigType !== sigType) throw new DecodeError(field, sigType === SIG_TYPE_ED25519 ? 'not an Ed25519 note key' : 'not a cosignature/v1 witness key');
  return { text, name: key.name, publicKey: key.publicKey };
}

/** B.1.4 reads and checks a manifest. Throws DecodeError naming the field (ShapeErrors become DecodeErrors on `questions`). */
export function decodeManifest(bytes: Uint8Array): Manifest {
  const r = new Reader(bytes);
  const version = r.u8('version');
  if (version !== MANIFEST_VERSION) throw new DecodeError('version', `unknown manifest version ${version}`);
  const pollId = r.bytes(POLL_ID_BYTES, 'pollId').slice();
  const origin = readString(r, 'origin', MANIFEST_LIMITS.origin, false);
  const suffix = `/poll/${toHex(pollId)}`;
  if (!origin.endsWith(suffix) || origin.length === suffix.length || /[\p{White_Space}+]/u.test(origin))
    throw new DecodeError('origin', 'must be <host>/poll/<poll id in lower-case hex>, with no space or +');
  const languageCount = r.u8('languages');
  if (languageCount < 1 || languageCount > MANIFEST_LIMITS.languages) throw new DecodeError('languages', `1 to ${MANIFEST_LIMITS.languages} languages`);
  const languages: string[] = [];
  for (let i = 0; i < languageCount; i++) {
    const tag = readString(r, `languages[${i}]`, MANIFEST_LIMITS.language, false);
    if (!/^[a-zA-Z]{2,3}(-[a-zA-Z0-9]{2,8})*$/.test(tag)) throw new DecodeError(`languages[${i}]`, 'not a language tag such as zh-CN or en');
    if (languages.some((l) => l.toLowerCase() === tag.toLowerCase())) throw new DecodeError(`languages[${i}]`, 'named twice');
    languages.push(tag);
  }
  const title = readText(r, 'title', languages, MANIFEST_LIMITS.title);
  const description = readText(r, 'description', languages, MANIFEST_LIMITS.description, true);
  const questionCount = r.u32('questions');
  if (questionCount < 1 || questionCount > LIMITS.questions) throw new DecodeError('questions', `a poll has 1 to ${LIMITS.questions} questions`);
  const questions: ManifestQuestion[] = [];
  for (let q = 0; q < questionCount; q++) {
    const f = `questions[${q}]`;
    const question = readQuestion(r, f);
    const prompt = readText(r, `${f}.prompt`, languages, MANIFEST_LIMITS.text);
    const count = optionCount(question);
    if (!Number.isSafeInteger(count) || count < 1 || count > LIMITS.options) throw new DecodeError(`${f}.options`, `1 to ${LIMITS.options} options`);
    const options = Array.from({ length: count }, (_, i) => readText(r, `${f}.options[${i}]`, languages, MANIFEST_LIMITS.text));
    questions.push({ question, prompt, options });
  }
  try {
    ballotShape({ questions: questions.map((q) => q.question) });
  } catch (e) {
    if (e instanceof ShapeError) throw new DecodeError(e.question < 0 ? 'questions' : `questions[${e.question}]`, e.message);
    throw e;
  }
  const t = r.u32('trustees.t');
  const n = r.u32('trustees.n');
  if (n < 1 || n > MAX_TRUSTEES) throw new DecodeError('trustees.n', `1 to ${MAX_TRUSTEES} trustees`);
  if (t < 1 || t > n) throw new DecodeError('trustees.t', 'the threshold is 1 to n');
  const names = Array.from({ length: n }, (_, i) => readString(r, `trustees.names[${i}]`, MANIFEST_LIMITS.trusteeName, false));
  const opensAt = r.u64('opensAt');
  const closesAt = r.u64('closesAt');
  if (opensAt !== 0 && closesAt !== 0 && closesAt <= opensAt) throw new DecodeError('closesAt', 'closes before it opens');
  const maxBallots = r.u32('maxBallots');
  if (maxBallots < 1 || maxBallots > MANIFEST_LIMITS.maxBallots) throw new DecodeError('maxBallots', `1 to ${MANIFEST_LIMITS.maxBallots} ballots per credential`);
  const logKey = readKey(r, 'logKey', SIG_TYPE_ED25519);
  if (logKey.name !== origin) throw new DecodeError('logKey', 'the log key must be named by the origin');
  const role = r.u8('registrar.role');
  if (role !== 1 && role !== 2) throw new DecodeError('registrar.role', '1 (a registrar of her own) or 2 (the organiser)');
  const registrarName = readString(r, 'registrar.name', MANIFEST_LIMITS.registrarName, false);
  const registrarKey = r.bytes(32, 'registrar.key').slice();
  const witnessCount = r.u8('witnesses');
  if (witnessCount > MANIFEST_LIMITS.witnesses) throw new DecodeError('witnesses', `at most ${MANIFEST_LIMITS.witnesses} witnesses`);
  const witnessKeys: string[] = [];
  const seen = new Set<string>();
  for (let i = 0; i < witnessCount; i++) {
    const key = readKey(r, `witnesses[${i}]`, SIG_TYPE_COSIGNATURE_V1);
    // B.3.9 a cosignature does not name its witness: one key, one witness; names tell them apart on the note.
    const pub = toHex(key.publicKey);
    if (seen.has(pub) || seen.has(`name:${key.name}`)) throw new DecodeError(`witnesses[${i}]`, 'a witness key or name listed twice');
    if (key.name === origin) throw new DecodeError(`witnesses[${i}]`, 'a witness cannot be named like the log');
    seen.add(pub).add(`name:${key.name}`);
    witnessKeys.push(key.text);
  }
  const k = r.u8('witnesses.k');
  if (k > witnessCount) throw new DecodeError('witnesses.k', 'more cosignatures required than witnesses listed');
  const privacyFloor = r.u32('privacyFloor');
  if (privacyFloor < 1 || privacyFloor > MANIFEST_LIMITS.privacyFloor) throw new DecodeError('privacyFloor', `1 to ${MANIFEST_LIMITS.privacyFloor} counted ballots`);
  const closeEarlyCode = r.u8('closeEarly');
  const closeEarly = CLOSE_EARLY[closeEarlyCode];
  if (closeEarly === undefined) throw new DecodeError('closeEarly', '0 (never), 1 (once every listed voter has cast) or 2 (at any time)');
  const maxExtension = r.u64('maxExtension');
  if (maxExtension > MANIFEST_LIMITS.maxExtension) throw new DecodeError('maxExtension', `at most ${MANIFEST_LIMITS.maxExtension} ms (90 days)`);
  // Closing by hand (closesAt 0) may happen at any time and has no time to extend: one encoding for it.
  if (closesAt === 0 && (closeEarly !== 'never' || maxExtension !== 0)) throw new DecodeError('closeEarly', 'a poll closed by hand has no early closing or extension');
  r.end();
  return {
    pollId, origin, languages, title, description, questions, trustees: { t, n, names }, opensAt, closesAt, maxBallots,
    logKey: logKey.text,
    registrar: { name: registrarName, key: registrarKey, isOrganiser: role === 2 },
    witnesses: { keys: witnessKeys, k },
    privacyFloor,
    closeEarly,
    maxExtension,
  };
}
