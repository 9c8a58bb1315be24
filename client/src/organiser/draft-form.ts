/**
 * The poll editor's form: a draft (docs/api.md "The draft", spec §B.1.4) as the organiser edits
 * it, checked here with the manifest's rules so that she sees each mistake at its field, in her
 * language, before anything is sent. Field keys are the manifest's field names
 * (`questions[2].options[1].zh-CN`); the server's BAD_REQUEST fields map onto the same keys.
 */
import type { Question } from '../../../crypto/index.ts';
import { SIG_TYPE_COSIGNATURE_V1, parseVerifierKey } from '../../../bulletin-board/index.ts';
import type { MessageKey } from '../i18n/index.ts';

/**
 * The languages a poll made here can have: the form keeps a text in each (English first), whatever
 * the poll's choice, so that switching languages loses nothing typed until the draft is saved.
 */
export const LANGS = ['en', 'zh-CN'] as const;
export type PollLang = (typeof LANGS)[number];
export type Texts = [string, string];

/** The organiser's choice of the poll's languages: both, Chinese only or English only. */
export type LanguageChoice = 'both' | 'zh' | 'en';
export const LANGUAGE_CHOICES: readonly LanguageChoice[] = ['both', 'zh', 'en'];

/**
 * The manifest's languages for a choice, in the manifest's order (spec §B.1.4): a poll in both has
 * English first then Chinese, as every poll had before the choice existed; a poll in one has that one.
 */
export function chosenLanguages(choice: LanguageChoice): PollLang[] {
  return choice === 'both' ? [...LANGS] : choice === 'zh' ? ['zh-CN'] : ['en'];
}

/** The choice a draft's languages make: Chinese or English alone, else both (a draft from elsewhere with others reads as both). */
export function languageChoice(languages: readonly string[]): LanguageChoice {
  const zh = languages.some((l) => l.toLowerCase().startsWith('zh'));
  const en = languages.some((l) => l.toLowerCase().startsWith('en'));
  return zh && !en ? 'zh' : en && !zh ? 'en' : 'both';
}

/** The slot of a language in the form's Texts. */
const slot = (lang: PollLang): 0 | 1 => (lang === 'en' ? 0 : 1);
export type Kind = Question['kind'];
export const KINDS: readonly Kind[] = ['single', 'multiple', 'yes-no-abstain', 'score', 'cumulative', 'budget'];

/** The limits of §B.1.4 and §Q.1 (the manifest decoder refuses anything beyond them). */
export const LIMITS = { questions: 32, options: 64, titleBytes: 200, textBytes: 1000, descriptionBytes: 10_000, nameBytes: 200, trustees: 64, maxScore: 100, points: 1000, cost: 1_000_000, budget: 1_000_000_000, maxBallots: 100, witnesses: 16, privacyFloor: 100_000, extensionHours: 90 * 24 } as const;

/** The privacy floor the editor suggests: trustees refuse to decrypt fewer counted ballots (§B.1.4). */
export const DEFAULT_PRIVACY_FLOOR = 5;

/** The fixed answers of a yes-no-abstain question (the manifest still carries their texts). */
export const YES_NO_ABSTAIN: readonly Texts[] = [
  ['Yes', '是'],
  ['No', '否'],
  ['Abstain', '弃权'],
];

export interface OptionForm {
  /** stable across reordering, for keyed lists and focus */
  readonly uid: number;
  texts: Texts;
  /** budget questions: what the project costs */
  cost: number | null;
}

export interface QuestionForm {
  /** stable across reordering, for keyed lists */
  readonly uid: number;
  kind: Kind;
  prompt: Texts;
  options: OptionForm[];
  blank: boolean;
  min: number | null;
  max: number | null;
  maxScore: number | null;
  points: number | null;
  budget: number | null;
}

export interface DraftForm {
  /** the poll's languages: only these are checked and sent; the other's texts stay in the form, unsent */
  languages: LanguageChoice;
  title: Texts;
  description: Texts;
  questions: QuestionForm[];
  n: number | null;
  t: number | null;
  names: string[];
  /** datetime-local values ('' = by hand) */
  opensAt: string;
  closesAt: string;
  /** with a closing time: whether the poll may close before it (spec B.4.6.6) */
  closeEarly: CloseEarly;
  /** with a closing time: by how many hours it may be extended in all (0: not at all) */
  extensionHours: number | null;
  maxBallots: number | null;
  /** who makes the voter codes: the organiser herself in her browser, or a registrar of her own */
  registrarMode: 'me' | 'other';
  /** the organiser's name as the notice and the manifest name her as registrar */
  registrarName: string;
  /** the witnesses' verifier key strings, as `gongshi witness` prints them */
  witnesses: string[];
  /** how many witnesses must cosign a final checkpoint */
  k: number | null;
  privacyFloor: number | null;
}

/** The registrar as the draft names her (docs/api.md "The draft"). */
export interface DraftRegistrar {
  name: string;
  key: string;
  isOrganiser: boolean;
}

/** The draft as the API takes it. */
export interface Draft {
  languages: string[];
  title: string[];
  description: string[];
  questions: { question: Question; prompt: string[]; options: string[][] }[];
  trustees: { t: number; n: number; names: string[] };
  opensAt: number;
  closesAt: number;
  maxBallots: number;
  /** null: no registrar yet; left out: the server keeps the one it has (a registrar's own) */
  registrar?: DraftRegistrar | null;
  witnesses?: { keys: string[]; k: number };
  privacyFloor?: number;
  closeEarly?: CloseEarly;
  /** ms */
  maxExtension?: number;
}

/** When a poll with a closing time may close before it (docs/api.md "The draft"). */
export type CloseEarly = 'never' | 'all-voted' | 'any-time';
const HOUR = 3_600_000;

let nextUid = 1;

export function newOption(): OptionForm {
  return { uid: nextUid++, texts: ['', ''], cost: null };
}

export function newQuestion(kind: Kind = 'single'): QuestionForm {
  const q: QuestionForm = { uid: nextUid++, kind: 'single', prompt: ['', ''], options: [newOption(), newOption()], blank: false, min: 1, max: 1, maxScore: 5, points: 10, budget: null };
  setKind(q, kind);
  return q;
}

/** Changes a question's kind, keeping what was typed where it still fits. */
export function setKind(q: QuestionForm, kind: Kind): void {
  q.kind = kind;
  if (kind === 'yes-no-abstain') {
    q.options = YES_NO_ABSTAIN.map((texts) => ({ uid: nextUid++, texts: [...texts] as Texts, cost: null }));
    q.blank = false;
  } else if (q.options.length === 3 && q.options.every((o, i) => o.texts[0] === YES_NO_ABSTAIN[i][0] && o.texts[1] === YES_NO_ABSTAIN[i][1])) {
    q.options = [newOption(), newOption()]; // leaving yes-no-abstain: its fixed answers are not options she wrote
  }
  const least = kind === 'single' || kind === 'cumulative' ? 2 : 1;
  while (q.options.length < least) q.options.push(newOption());
}

/** A new poll's form; `me` is the organiser's name, as the registrar by default (small polls). */
export function emptyForm(me = ''): DraftForm {
  return { languages: 'both', title: ['', ''], description: ['', ''], questions: [newQuestion()], n: 3, t: 2, names: ['', '', ''], opensAt: '', closesAt: '', closeEarly: 'never', extensionHours: 0, maxBallots: 1, registrarMode: 'me', registrarName: me, witnesses: [], k: 0, privacyFloor: DEFAULT_PRIVACY_FLOOR };
}

/** Keeps the list of trustee names as long as `n` (within the limits). */
export function fitNames(form: DraftForm): void {
  const n = form.n !== null && Number.isInteger(form.n) && form.n >= 1 && form.n <= LIMITS.trustees ? form.n : form.names.length;
  while (form.names.length < n) form.names.push('');
  if (form.names.length > n) form.names.length = n;
}

/** A datetime-local value (the browser's local time) as ms since 1970, 0 for '' (by hand). */
export function fromLocalTime(value: string): number {
  if (value === '') return 0;
  const ms = new Date(value).getTime();
  return Number.isFinite(ms) ? ms : NaN;
}

/** ms since 1970 as a datetime-local value, '' for 0. */
export function toLocalTime(ms: number): string {
  if (ms === 0) return '';
  const d = new Date(ms);
  const p = (x: number) => String(x).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}`;
}

function questionOf(q: QuestionForm): Question {
  const blank = q.blank ? { blank: true } : {};
  const options = q.options.length;
  switch (q.kind) {
    case 'single':
      return { kind: 'single', options, ...blank };
    case 'multiple':
      return { kind: 'multiple', options, min: q.min ?? 0, max: q.max ?? 0, ...blank };
    case 'yes-no-abstain':
      return { kind: 'yes-no-abstain' };
    case 'score':
      return { kind: 'score', options, maxScore: q.maxScore ?? 0, ...blank };
    case 'cumulative':
      return { kind: 'cumulative', options, points: q.points ?? 0, ...blank };
    case 'budget':
      return { kind: 'budget', costs: q.options.map((o) => o.cost ?? 0), budget: q.budget ?? 0, ...blank };
  }
}

/** The witness keys of the form: every line typed, trimmed, blank ones left out. */
export function witnessKeys(form: DraftForm): string[] {
  return form.witnesses.map((w) => w.trim()).filter((w) => w !== '');
}

/** The name inside a witness key string (`name+id+key`), or '' when it is not one. */
export function witnessName(key: string): string {
  try {
    return parseVerifierKey(key.trim()).name;
  } catch {
    return '';
  }
}

/**
 * The draft the API takes (call check() first: this does not check). The registrar is not the form's
 * to say: the editor adds it (her key is made and kept in the browser, registrar/registrar-key.ts).
 */
export function toDraft(form: DraftForm): Draft {
  // The rules for changing the schedule belong to a closing time: a poll closed by hand has none (B.1.4).
  const scheduled = fromLocalTime(form.closesAt) !== 0;
  const languages = chosenLanguages(form.languages);
  const texts = (t: Texts) => languages.map((l) => t[slot(l)]);
  return {
    languages,
    title: texts(form.title),
    description: texts(form.description),
    questions: form.questions.map((q) => ({ question: questionOf(q), prompt: texts(q.prompt), options: q.options.map((o) => texts(o.texts)) })),
    trustees: { t: form.t ?? 0, n: form.n ?? 0, names: [...form.names] },
    opensAt: fromLocalTime(form.opensAt),
    closesAt: fromLocalTime(form.closesAt),
    closeEarly: scheduled ? form.closeEarly : 'never',
    maxExtension: scheduled ? Math.round((form.extensionHours ?? 0) * HOUR) : 0,
    maxBallots: form.maxBallots ?? 0,
    witnesses: { keys: witnessKeys(form), k: form.k ?? 0 },
    privacyFloor: form.privacyFloor ?? 0,
  };
}

/**
 * A draft from the server as a form. Texts are matched to English and Chinese by language tag (a
 * language the draft does not have is an empty text in the form). A draft
 * that names no registrar is waiting for a registrar of her own (the editor names the organiser at once
 * when she makes the codes herself); `me` is the organiser's name, for when she takes the role back.
 */
export function fromDraft(d: Draft, me = ''): DraftForm {
  const at = (lang: string) => d.languages.findIndex((l) => l.toLowerCase().startsWith(lang));
  const en = at('en');
  const zh = at('zh');
  const texts = (t: readonly string[]): Texts => [en < 0 ? '' : (t[en] ?? ''), zh < 0 ? '' : (t[zh] ?? '')];
  const choice = languageChoice(d.languages);
  return {
    languages: choice,
    title: texts(d.title),
    description: texts(d.description),
    questions: d.questions.map((x) => {
      const q = x.question;
      const costs = q.kind === 'budget' ? q.costs : [];
      return {
        uid: nextUid++,
        kind: q.kind,
        prompt: texts(x.prompt),
        // A yes-no-abstain question keeps its fixed answers in both languages, should the choice change.
        options: q.kind === 'yes-no-abstain' ? YES_NO_ABSTAIN.map((fixed, i) => ({ uid: nextUid++, texts: merged(texts(x.options[i] ?? []), fixed), cost: null })) : x.options.map((o, i) => ({ uid: nextUid++, texts: texts(o), cost: costs[i] ?? null })),
        blank: q.kind !== 'yes-no-abstain' && q.blank === true,
        min: q.kind === 'multiple' ? q.min : 1,
        max: q.kind === 'multiple' ? q.max : 1,
        maxScore: q.kind === 'score' ? q.maxScore : 5,
        points: q.kind === 'cumulative' ? q.points : 10,
        budget: q.kind === 'budget' ? q.budget : null,
      };
    }),
    n: d.trustees.n,
    t: d.trustees.t,
    names: [...d.trustees.names],
    opensAt: toLocalTime(d.opensAt),
    closesAt: toLocalTime(d.closesAt),
    closeEarly: d.closeEarly ?? 'never',
    extensionHours: (d.maxExtension ?? 0) / HOUR,
    maxBallots: d.maxBallots,
    registrarMode: d.registrar?.isOrganiser === true ? 'me' : 'other',
    registrarName: d.registrar?.isOrganiser === true ? d.registrar.name : me,
    witnesses: [...(d.witnesses?.keys ?? [])],
    k: d.witnesses?.k ?? 0,
    privacyFloor: d.privacyFloor ?? 1,
  };
}

/** The texts typed, with the fixed ones filling the languages left empty. */
function merged(typed: Texts, fixed: Texts): Texts {
  return [typed[0] || fixed[0], typed[1] || fixed[1]];
}

/**
 * How many texts are typed in a language the poll no longer has (the organiser switched from both to
 * one): the editor keeps them hidden and says that saving drops them. Fixed yes-no-abstain answers do
 * not count: nobody typed them.
 */
export function hiddenTexts(form: DraftForm): number {
  const chosen = chosenLanguages(form.languages);
  const hidden = LANGS.filter((l) => !chosen.includes(l)).map(slot);
  const typed = (t: Texts) => hidden.filter((i) => t[i].trim() !== '').length;
  let n = typed(form.title) + typed(form.description);
  for (const q of form.questions) {
    n += typed(q.prompt);
    if (q.kind !== 'yes-no-abstain') for (const o of q.options) n += typed(o.texts);
  }
  return n;
}

/** A problem at a field: the message key and its placeholders. */
export interface Problem {
  readonly key: MessageKey;
  readonly vars?: Record<string, string | number>;
}
export type Problems = Map<string, Problem>;

const utf8 = new TextEncoder();
const bytes = (s: string) => utf8.encode(s).length;
// The manifest refuses control characters (other than tab and line feed) and bidirectional overrides.
const FORBIDDEN = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;
const whole = (x: number | null, lo: number, hi: number): x is number => x !== null && Number.isInteger(x) && x >= lo && x <= hi;

function checkTexts(out: Problems, languages: readonly PollLang[], field: string, texts: Texts, maxBytes: number, required: boolean): void {
  languages.forEach((lang) => {
    const s = texts[slot(lang)];
    const key = `${field}.${lang}`;
    // "in Chinese too" only where the poll has both: a Chinese-only poll just needs its text.
    if (required && s.trim() === '') out.set(key, { key: lang === 'en' ? 'organiser.check.needEnglish' : languages.length > 1 ? 'organiser.check.needChinese' : 'organiser.check.needChineseOnly' });
    else if (bytes(s) > maxBytes) out.set(key, { key: 'organiser.check.tooLong', vars: { max: maxBytes, zh: Math.floor(maxBytes / 3) } });
    else if (FORBIDDEN.test(s)) out.set(key, { key: 'organiser.check.badCharacter' });
  });
}

/**
 * Every rule of the manifest (§B.1.4, §Q.1) that a form can break, at the field that breaks it.
 * `now` is for the schedule: a closing time already past is refused here (the poll could never open).
 */
export function check(form: DraftForm, now: number): Problems {
  const out: Problems = new Map();
  const languages = chosenLanguages(form.languages);
  checkTexts(out, languages, 'title', form.title, LIMITS.titleBytes, true);
  checkTexts(out, languages, 'description', form.description, LIMITS.descriptionBytes, false);
  if (form.questions.length === 0) out.set('questions', { key: 'organiser.check.noQuestion' });
  if (form.questions.length > LIMITS.questions) out.set('questions', { key: 'organiser.check.tooManyQuestions', vars: { max: LIMITS.questions } });
  form.questions.forEach((q, i) => {
    const f = `questions[${i}]`;
    checkTexts(out, languages, `${f}.prompt`, q.prompt, LIMITS.textBytes, true);
    q.options.forEach((o, k) => {
      checkTexts(out, languages, `${f}.options[${k}]`, o.texts, LIMITS.textBytes, true);
      if (q.kind === 'budget' && !whole(o.cost, 1, LIMITS.cost)) out.set(`${f}.costs[${k}]`, { key: 'organiser.check.wholeNumber', vars: { min: 1, max: LIMITS.cost } });
    });
    const count = q.options.length;
    const least = q.kind === 'single' || q.kind === 'cumulative' ? 2 : 1;
    if (count < least) out.set(`${f}.options`, { key: 'organiser.check.fewOptions', vars: { min: least } });
    if (count > LIMITS.options) out.set(`${f}.options`, { key: 'organiser.check.manyOptions', vars: { max: LIMITS.options } });
    switch (q.kind) {
      case 'multiple':
        if (!whole(q.min, 0, count)) out.set(`${f}.min`, { key: 'organiser.check.wholeNumber', vars: { min: 0, max: count } });
        else if (!whole(q.max, Math.max(1, q.min), count)) out.set(`${f}.max`, { key: 'organiser.check.wholeNumber', vars: { min: Math.max(1, q.min), max: count } });
        break;
      case 'score':
        if (!whole(q.maxScore, 1, LIMITS.maxScore)) out.set(`${f}.maxScore`, { key: 'organiser.check.wholeNumber', vars: { min: 1, max: LIMITS.maxScore } });
        break;
      case 'cumulative':
        if (!whole(q.points, 1, LIMITS.points)) out.set(`${f}.points`, { key: 'organiser.check.wholeNumber', vars: { min: 1, max: LIMITS.points } });
        break;
      case 'budget':
        if (!whole(q.budget, 1, LIMITS.budget)) out.set(`${f}.budget`, { key: 'organiser.check.wholeNumber', vars: { min: 1, max: LIMITS.budget } });
        break;
    }
  });
  if (!whole(form.n, 1, LIMITS.trustees)) out.set('trustees.n', { key: 'organiser.check.wholeNumber', vars: { min: 1, max: LIMITS.trustees } });
  else if (!whole(form.t, 1, form.n)) out.set('trustees.t', { key: 'organiser.check.threshold', vars: { n: form.n } });
  form.names.forEach((name, i) => {
    const key = `trustees.names[${i}]`;
    if (name.trim() === '') out.set(key, { key: 'organiser.check.needName' });
    else if (bytes(name) > LIMITS.nameBytes || FORBIDDEN.test(name)) out.set(key, { key: 'organiser.check.tooLong', vars: { max: LIMITS.nameBytes, zh: Math.floor(LIMITS.nameBytes / 3) } });
  });
  const opens = fromLocalTime(form.opensAt);
  const closes = fromLocalTime(form.closesAt);
  if (Number.isNaN(opens)) out.set('opensAt', { key: 'organiser.check.badTime' });
  if (Number.isNaN(closes)) out.set('closesAt', { key: 'organiser.check.badTime' });
  else if (closes !== 0 && closes <= now) out.set('closesAt', { key: 'organiser.check.closesPast' });
  else if (closes !== 0 && opens > 0 && closes <= opens) out.set('closesAt', { key: 'organiser.check.closesBeforeOpens' });
  if (closes !== 0 && !whole(form.extensionHours, 0, LIMITS.extensionHours)) out.set('extensionHours', { key: 'organiser.check.wholeNumber', vars: { min: 0, max: LIMITS.extensionHours } });
  if (!whole(form.maxBallots, 1, LIMITS.maxBallots)) out.set('maxBallots', { key: 'organiser.check.wholeNumber', vars: { min: 1, max: LIMITS.maxBallots } });
  if (form.registrarMode === 'me') {
    if (form.registrarName.trim() === '') out.set('registrar.name', { key: 'organiser.check.needYourName' });
    else if (bytes(form.registrarName) > LIMITS.nameBytes || FORBIDDEN.test(form.registrarName)) out.set('registrar.name', { key: 'organiser.check.tooLong', vars: { max: LIMITS.nameBytes, zh: Math.floor(LIMITS.nameBytes / 3) } });
  }
  // B.1.4 witness keys: cosignature/v1 verifier key strings, no key twice, no name twice, at most 16.
  const names = new Set<string>();
  const seen = new Set<string>();
  form.witnesses.forEach((w, i) => {
    const text = w.trim();
    if (text === '') return;
    const key = `witnesses.keys[${i}]`;
    try {
      const parsed = parseVerifierKey(text);
      const pk = parsed.publicKey.join(',');
      if (parsed.sigType !== SIG_TYPE_COSIGNATURE_V1) out.set(key, { key: 'organiser.check.notWitnessKey' });
      else if (names.has(parsed.name) || seen.has(pk)) out.set(key, { key: 'organiser.check.witnessTwice' });
      names.add(parsed.name);
      seen.add(pk);
    } catch {
      out.set(key, { key: 'organiser.check.notWitnessKey' });
    }
  });
  const w = witnessKeys(form).length;
  if (w > LIMITS.witnesses) out.set('witnesses.k', { key: 'organiser.check.tooManyWitnesses', vars: { max: LIMITS.witnesses } });
  else if (!whole(form.k, 0, w)) out.set('witnesses.k', { key: 'organiser.check.wholeNumber', vars: { min: 0, max: w } });
  if (!whole(form.privacyFloor, 1, LIMITS.privacyFloor)) out.set('privacyFloor', { key: 'organiser.check.wholeNumber', vars: { min: 1, max: LIMITS.privacyFloor } });
  return out;
}

/**
 * The form field a server BAD_REQUEST names: `body.draft.title[1]` (schema, the index in the draft's
 * `languages`) and `draft.title.zh-CN` (manifest rules) both become `title.zh-CN`; a question's kind
 * fields lose the schema's `.question`; a whole text (`draft.title`: not one string per language)
 * becomes its field in the poll's first language.
 */
export function fieldOfServer(field: string, languages: readonly string[] = LANGS): string {
  let f = field.replace(/^body\./, '').replace(/^draft\.?/, '');
  f = f.replace(/^(questions\[\d+\])\.question\b/, '$1');
  f = f.replace(/^(questions\[\d+\])\.projects$/, '$1.options');
  f = f.replace(/^(questions\[\d+\])\.kind$/, '$1');
  f = f.replace(/^witnesses\[(\d+)\]/, 'witnesses.keys[$1]'); // the manifest rules name a witness by its place
  f = f.replace(/^witnesses$/, 'witnesses.k');
  f = f.replace(/^maxExtension$/, 'extensionHours'); // the editor asks for hours
  const lang = (_: string, head: string, i: string) => `${head}.${languages[Number(i)] ?? i}`;
  f = f.replace(/^(title|description)\[(\d+)\]/, lang);
  f = f.replace(/^(questions\[\d+\]\.prompt)\[(\d+)\]/, lang);
  f = f.replace(/^(questions\[\d+\]\.options\[\d+\])\[(\d+)\]/, lang);
  if (languages.length > 0) f = f.replace(/^(title|description|questions\[\d+\]\.prompt|questions\[\d+\]\.options\[\d+\])$/, `$1.${languages[0]}`);
  return f;
}

/** The nearest field of `known` that holds `field` (itself, else a parent), or '' for the whole form. */
export function nearestField(field: string, known: ReadonlySet<string>): string {
  for (let f = field; f !== ''; f = f.replace(/(\.[^.[\]]+|\[\d+\])$/, '')) {
    if (known.has(f)) return f;
    if (!/(\.[^.[\]]+|\[\d+\])$/.test(f)) break;
  }
  return '';
}

/** The keys of every place the editor can show a problem. */
export function fieldKeys(form: DraftForm): Set<string> {
  const keys = new Set<string>(['questions', 'trustees.n', 'trustees.t', 'opensAt', 'closesAt', 'closeEarly', 'extensionHours', 'maxBallots', 'registrar.name', 'witnesses.k', 'privacyFloor']);
  form.witnesses.forEach((_, i) => keys.add(`witnesses.keys[${i}]`));
  for (const head of ['title', 'description']) for (const l of LANGS) keys.add(`${head}.${l}`);
  form.questions.forEach((q, i) => {
    const f = `questions[${i}]`;
    for (const k of ['', '.options', '.min', '.max', '.maxScore', '.points', '.budget']) keys.add(f + k);
    for (const l of LANGS) keys.add(`${f}.prompt.${l}`);
    q.options.forEach((_, k) => {
      keys.add(`${f}.costs[${k}]`);
      for (const l of LANGS) keys.add(`${f}.options[${k}].${l}`);
    });
  });
  form.names.forEach((_, i) => keys.add(`trustees.names[${i}]`));
  return keys;
}

/** An element id for a field key. */
export function fieldId(key: string): string {
  return `f-${key.replace(/[^A-Za-z0-9]+/g, '-')}`;
}
