/**
 * A poll draft: the manifest's fields as JSON, editable until the poll is published. The schema
 * checks types and sizes; the manifest encoder (spec §B.1.4) then checks every limit and shape.
 */
import { DecodeError, ShapeError, type Question } from '../../crypto/index.ts';
import { MANIFEST_LIMITS, decodeManifest, encodeManifest, type CloseEarly, type Manifest } from '../../bulletin-board/index.ts';
import { ApiError } from '../api/errors.ts';
import { s, type Schema } from '../api/schema.ts';

/** The draft as the organiser sends it and reads it back. */
export interface Draft {
  readonly languages: string[];
  readonly title: string[];
  readonly description: string[];
  readonly questions: { question: Question; prompt: string[]; options: string[][] }[];
  readonly trustees: { t: number; n: number; names: string[] };
  readonly opensAt: number;
  readonly closesAt: number;
  readonly maxBallots: number;
  /** B.1.4 the registrar: set by the organiser (herself) or by the registrar's own link; null until then */
  readonly registrar?: DraftRegistrar | null;
  /** B.1.4 the witnesses whose cosignatures count, and how many a final checkpoint needs */
  readonly witnesses?: { keys: string[]; k: number };
  /** B.1.4 the least number of counted ballots before any trustee decrypts (default 1) */
  readonly privacyFloor?: number;
  /** B.1.4 whether a scheduled poll may close before closesAt (default never) */
  readonly closeEarly?: CloseEarly;
  /** B.1.4 ms by which the closing time may be extended in all (default 0: no extension) */
  readonly maxExtension?: number;
}

/** The registrar as a draft names her: her Ed25519 public key in hex. */
export interface DraftRegistrar {
  name: string;
  key: string;
  isOrganiser: boolean;
}

export const registrarSchema = s.object({ name: s.string({ min: 1, max: MANIFEST_LIMITS.registrarName }), key: s.string({ min: 64, max: 64, pattern: /^[0-9a-f]{64}$/ }), isOrganiser: s.bool() });

const text = (max: number) => s.array(s.string({ max }), { min: 1, max: MANIFEST_LIMITS.languages });
const count = s.int(1, 1000);
const blank = s.bool();

const questionSchema: Schema<Question> = (v, field) => {
  const kind = s.object({ kind: s.literal('single', 'multiple', 'yes-no-abstain', 'score', 'cumulative', 'budget') })(
    { kind: (v as { kind?: unknown } | null)?.kind },
    field,
  ).kind;
  switch (kind) {
    case 'single':
      return s.object({ kind: s.literal('single'), options: count, blank }, ['blank'])(v, field);
    case 'multiple':
      return s.object({ kind: s.literal('multiple'), options: count, min: s.int(0, 1000), max: count, blank }, ['blank'])(v, field);
    case 'yes-no-abstain':
      return s.object({ kind: s.literal('yes-no-abstain') })(v, field);
    case 'score':
      return s.object({ kind: s.literal('score'), options: count, maxScore: count, blank }, ['blank'])(v, field);
    case 'cumulative':
      return s.object({ kind: s.literal('cumulative'), options: count, points: count, blank }, ['blank'])(v, field);
    case 'budget':
      return s.object({ kind: s.literal('budget'), costs: s.array(s.int(0, 1_000_000_000), { min: 1, max: 1000 }), budget: s.int(1, 1_000_000_000), blank }, ['blank'])(v, field);
  }
};

const time = s.int(0, 8_640_000_000_000_000);

const draftObject = s.object({
  languages: s.array(s.string({ min: 2, max: MANIFEST_LIMITS.language, pattern: /^[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*$/ }), { min: 1, max: MANIFEST_LIMITS.languages }),
  title: text(MANIFEST_LIMITS.title),
  description: text(MANIFEST_LIMITS.description),
  questions: s.array(s.object({ question: questionSchema, prompt: text(MANIFEST_LIMITS.text), options: s.array(text(MANIFEST_LIMITS.text), { min: 1, max: 1000 }) }), { min: 1, max: 100 }),
  trustees: s.object({ t: s.int(1, 64), n: s.int(1, 64), names: s.array(s.string({ max: MANIFEST_LIMITS.trusteeName }), { min: 1, max: 64 }) }),
  opensAt: time,
  closesAt: time,
  maxBallots: s.int(1, MANIFEST_LIMITS.maxBallots),
  registrar: s.nullable(registrarSchema),
  witnesses: s.object({ keys: s.array(s.string({ min: 1, max: MANIFEST_LIMITS.key }), { max: MANIFEST_LIMITS.witnesses }), k: s.int(0, MANIFEST_LIMITS.witnesses) }),
  privacyFloor: s.int(1, MANIFEST_LIMITS.privacyFloor),
  closeEarly: s.literal('never', 'all-voted', 'any-time'),
  maxExtension: s.int(0, MANIFEST_LIMITS.maxExtension),
}, ['registrar', 'witnesses', 'privacyFloor', 'closeEarly', 'maxExtension']);

export const draftSchema: Schema<Draft> = (v, field) => draftObject(v, field);

/** A registrar key of zeros stands in while a draft has none: the draft's other fields can still be checked. */
const NO_REGISTRAR: Manifest['registrar'] = { name: '-', key: new Uint8Array(32), isOrganiser: true };

/**
 * B.1.4 every text of the draft gives one string per language of the draft, in its order: a poll in
 * Chinese only has one string per text, one in English and Chinese two. Throws ApiError BAD_REQUEST
 * naming the first text that does not, and the languages it should have.
 */
export function checkDraftTexts(draft: Pick<Draft, 'languages' | 'title' | 'description' | 'questions'>): void {
  const L = draft.languages.length;
  const texts: [string, readonly string[]][] = [['title', draft.title], ['description', draft.description]];
  draft.questions.forEach((q, i) => {
    texts.push([`questions[${i}].prompt`, q.prompt]);
    q.options.forEach((o, k) => texts.push([`questions[${i}].options[${k}]`, o]));
  });
  for (const [field, text] of texts) {
    if (text.length !== L)
      throw new ApiError('BAD_REQUEST', `draft.${field}: the poll is in ${L === 1 ? 'one language' : `${L} languages`} (${draft.languages.join(', ')}), so this text needs ${L === 1 ? 'one string' : `${L} strings, in that order`}; it has ${text.length}`, { field: `draft.${field}` });
  }
}

/**
 * The manifest of a draft, naming the log's key. Throws ApiError BAD_REQUEST naming the field if the
 * manifest rules refuse it, and NO_REGISTRAR when `publishing` and no registrar has given her key.
 */
export function draftManifest(draft: Draft, pollId: Uint8Array, origin: string, logKey: string, publishing = false): Manifest {
  const { registrar, witnesses, privacyFloor, closeEarly, maxExtension, ...rest } = draft;
  checkDraftTexts(draft);
  if (publishing && (registrar === undefined || registrar === null)) throw new ApiError('NO_REGISTRAR', 'no registrar has given her key yet: the poll cannot be published without one');
  const manifest: Manifest = {
    pollId,
    origin,
    ...rest,
    logKey,
    registrar: registrar ? { name: registrar.name, key: Uint8Array.from(Buffer.from(registrar.key, 'hex')), isOrganiser: registrar.isOrganiser } : NO_REGISTRAR,
    witnesses: { keys: witnesses?.keys ?? [], k: witnesses?.k ?? 0 },
    privacyFloor: privacyFloor ?? 1,
    closeEarly: closeEarly ?? 'never',
    maxExtension: maxExtension ?? 0,
  };
  try {
    decodeManifest(encodeManifest(manifest)); // the decoder holds every rule of §B.1.4
  } catch (e) {
    if (e instanceof DecodeError) throw new ApiError('BAD_REQUEST', `draft.${e.field}: ${e.message}`, { field: `draft.${e.field}` });
    if (e instanceof ShapeError) throw new ApiError('BAD_REQUEST', `draft.questions: ${e.message}`, { field: 'draft.questions' });
    throw e;
  }
  return manifest;
}
