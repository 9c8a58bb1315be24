/**
 * A poll's languages in the organiser's editor, without a browser: the choice (both, Chinese only,
 * English only) and the draft's languages and texts, both ways; the checks ask for the chosen languages
 * only; texts of a language dropped stay in the form, counted, and are not sent; the server's manifest
 * rules accept what the form sends and name the same fields.
 */
import { describe, expect, test } from 'vitest';
import { check, chosenLanguages, emptyForm, fieldKeys, fieldOfServer, fromDraft, hiddenTexts, languageChoice, nearestField, setKind, toDraft, type DraftForm } from '../../client/src/organiser/draft-form.ts';
import { draftManifest } from '../../server/polls/draft.ts';
import { ApiError } from '../../server/api/errors.ts';
import { aroundPlaceholder, printLanguage, printLanguages, tagFor, textFor } from '../../client/src/lib/poll-languages.ts';
import { encodeVerifierKey, signerKeyFromSeed, verifierKeyOf } from '../../bulletin-board/index.ts';

const POLL_ID = new Uint8Array(16).fill(7);
const ORIGIN = `vote.example.org/poll/${'07'.repeat(16)}`;
const LOG_KEY = encodeVerifierKey(verifierKeyOf(signerKeyFromSeed(ORIGIN, new Uint8Array(32).fill(1))));

/** A form filled in both languages: title, one single-choice question with two options, trustee names. */
function filled(): DraftForm {
  const form = emptyForm('Ms Chen');
  form.title = ['Courtyard poll', '院子投票'];
  form.questions[0].prompt = ['Gate colour?', '院门颜色？'];
  form.questions[0].options[0].texts = ['Red', '红色'];
  form.questions[0].options[1].texts = ['Green', '绿色'];
  form.names = ['Ann', 'Bo', 'Chen'];
  return form;
}

function serverAccepts(form: DraftForm): string | null {
  try {
    draftManifest(toDraft(form) as never, POLL_ID, ORIGIN, LOG_KEY);
    return null;
  } catch (e) {
    if (e instanceof ApiError) return String(e.extra.field ?? '');
    throw e;
  }
}

describe('the choice of languages', () => {
  test('maps to the manifest languages in order: both is English then Chinese, as before; one is that one', () => {
    expect(chosenLanguages('both')).toEqual(['en', 'zh-CN']);
    expect(chosenLanguages('zh')).toEqual(['zh-CN']);
    expect(chosenLanguages('en')).toEqual(['en']);
  });

  test('is read back from a draft’s language tags', () => {
    expect(languageChoice(['en', 'zh-CN'])).toBe('both');
    expect(languageChoice(['zh-CN', 'en'])).toBe('both');
    expect(languageChoice(['zh-CN'])).toBe('zh');
    expect(languageChoice(['zh-Hant-TW'])).toBe('zh');
    expect(languageChoice(['EN'])).toBe('en');
    expect(languageChoice(['fr'])).toBe('both'); // not one this site writes: shown as both, to be chosen again
  });

  test('a new poll is in both languages', () => {
    expect(emptyForm().languages).toBe('both');
    expect(toDraft(filled()).languages).toEqual(['en', 'zh-CN']);
  });
});

describe('a poll in one language', () => {
  test('sends one string per text, in that language; the server accepts it', () => {
    const form = filled();
    form.languages = 'zh';
    const d = toDraft(form);
    expect(d.languages).toEqual(['zh-CN']);
    expect(d.title).toEqual(['院子投票']);
    expect(d.description).toEqual(['']);
    expect(d.questions[0].prompt).toEqual(['院门颜色？']);
    expect(d.questions[0].options).toEqual([['红色'], ['绿色']]);
    expect(serverAccepts(form)).toBeNull();
    form.languages = 'en';
    expect(toDraft(form)).toMatchObject({ languages: ['en'], title: ['Courtyard poll'], questions: [{ prompt: ['Gate colour?'], options: [['Red'], ['Green']] }] });
    expect(serverAccepts(form)).toBeNull();
  });

  test('round trips through the draft: the texts land in their language, the other stays empty', () => {
    const form = filled();
    form.languages = 'zh';
    const back = fromDraft(toDraft(form));
    expect(back.languages).toBe('zh');
    expect(back.title).toEqual(['', '院子投票']);
    expect(back.questions[0].options.map((o) => o.texts)).toEqual([['', '红色'], ['', '绿色']]);
    expect(toDraft(back)).toEqual(toDraft(form));
    form.languages = 'en';
    const en = fromDraft(toDraft(form));
    expect(en.languages).toBe('en');
    expect(en.title).toEqual(['Courtyard poll', '']);
  });

  test('a yes-no-abstain question keeps its fixed answers in both languages, and sends the chosen one', () => {
    const form = filled();
    setKind(form.questions[0], 'yes-no-abstain');
    form.languages = 'zh';
    expect(toDraft(form).questions[0].options).toEqual([['是'], ['否'], ['弃权']]);
    const back = fromDraft(toDraft(form));
    expect(back.questions[0].options.map((o) => o.texts)).toEqual([['Yes', '是'], ['No', '否'], ['Abstain', '弃权']]);
    expect(hiddenTexts(back)).toBe(0);
    expect(serverAccepts(form)).toBeNull();
  });

  test('the checks ask for the chosen language only, in its own words', () => {
    const form = emptyForm('Ms Chen');
    form.names = ['Ann', 'Bo', 'Chen'];
    form.languages = 'zh';
    const zh = check(form, 0);
    expect([...zh.keys()].filter((k) => /\.(en|zh-CN)$/.test(k)).sort()).toEqual(['questions[0].options[0].zh-CN', 'questions[0].options[1].zh-CN', 'questions[0].prompt.zh-CN', 'title.zh-CN']);
    expect(zh.get('title.zh-CN')?.key).toBe('organiser.check.needChineseOnly');
    form.languages = 'en';
    expect([...check(form, 0).keys()].filter((k) => /\.(en|zh-CN)$/.test(k)).sort()).toEqual(['questions[0].options[0].en', 'questions[0].options[1].en', 'questions[0].prompt.en', 'title.en']);
    form.languages = 'both';
    expect(check(form, 0).get('title.zh-CN')?.key).toBe('organiser.check.needChinese');
  });

  test('a text too long in the language not chosen is not a problem: it is not sent', () => {
    const form = filled();
    form.title[0] = 'x'.repeat(201);
    expect(check(form, 0).has('title.en')).toBe(true);
    form.languages = 'zh';
    expect(check(form, 0).size).toBe(0);
    expect(serverAccepts(form)).toBeNull();
  });
});

describe('switching from both languages to one', () => {
  test('keeps the other language’s texts, counts them as hidden, and does not send them', () => {
    const form = filled();
    expect(hiddenTexts(form)).toBe(0);
    form.languages = 'zh';
    expect(hiddenTexts(form)).toBe(4); // title, question, two options in English
    expect(JSON.stringify(toDraft(form))).not.toMatch(/Courtyard|Gate|Red|Green/);
    form.languages = 'en';
    expect(hiddenTexts(form)).toBe(4);
    form.languages = 'both';
    expect(hiddenTexts(form)).toBe(0);
    expect(toDraft(form).title).toEqual(['Courtyard poll', '院子投票']);
  });
});

describe('the server’s fields for a poll in one language', () => {
  test('a schema index names the draft’s language, not the form’s slot', () => {
    const form = filled();
    form.languages = 'zh';
    const keys = fieldKeys(form);
    expect(nearestField(fieldOfServer('body.draft.title[0]', ['zh-CN']), keys)).toBe('title.zh-CN');
    expect(nearestField(fieldOfServer('body.draft.questions[0].options[1][0]', ['zh-CN']), keys)).toBe('questions[0].options[1].zh-CN');
    expect(nearestField(fieldOfServer('draft.title.zh-CN', ['zh-CN']), keys)).toBe('title.zh-CN');
    // not one string per language: the text in the poll's first language
    expect(nearestField(fieldOfServer('draft.questions[0].prompt', ['zh-CN']), keys)).toBe('questions[0].prompt.zh-CN');
    expect(nearestField(fieldOfServer('body.draft.title[1]'), keys)).toBe('title.zh-CN'); // both, as before
  });

  test('the server names an empty text in a one-language draft where the editor shows it', () => {
    const form = filled();
    form.languages = 'en';
    form.title[0] = ' ';
    expect(serverAccepts(form)).toBe('draft.title.en');
    expect(check(form, 0).has('title.en')).toBe(true);
  });
});

describe('the poll’s texts on a page and on paper', () => {
  test('a reader sees her language where the poll has it, else the poll’s first; never undefined', () => {
    expect(textFor(['en', 'zh-CN'], ['Gate', '院门'], 'zh-CN')).toBe('院门');
    expect(textFor(['en', 'zh-CN'], ['Gate', '院门'], 'en')).toBe('Gate');
    expect(textFor(['zh-CN'], ['院门'], 'en')).toBe('院门');
    expect(textFor(['en'], ['Gate'], 'zh-CN')).toBe('Gate');
    expect(textFor(['zh-Hant-TW', 'en'], ['院門', 'Gate'], 'zh-CN')).toBe('院門');
    expect(textFor(['eng'], ['x'], 'en')).toBe('x'); // not 'en', so the first
    expect(textFor([], [], 'en')).toBe('');
  });

  test('the lang of that text is the poll’s tag for it', () => {
    expect(tagFor(['zh-CN'], 'en')).toBe('zh-CN');
    expect(tagFor(['en', 'zh-CN'], 'zh-CN')).toBe('zh-CN');
    expect(tagFor(['en'], 'zh-CN')).toBe('en');
    expect(tagFor([], 'en')).toBe('und');
  });

  test('a printout speaks each of the poll’s languages the site has, in the manifest’s order', () => {
    expect(printLanguages(['en', 'zh-CN'])).toEqual([{ lang: 'en', tag: 'en', at: 0 }, { lang: 'zh-CN', tag: 'zh-CN', at: 1 }]);
    expect(printLanguages(['zh-CN', 'en'])).toEqual([{ lang: 'zh-CN', tag: 'zh-CN', at: 0 }, { lang: 'en', tag: 'en', at: 1 }]);
    expect(printLanguages(['zh-CN'])).toEqual([{ lang: 'zh-CN', tag: 'zh-CN', at: 0 }]);
    expect(printLanguages(['en'])).toEqual([{ lang: 'en', tag: 'en', at: 0 }]);
    expect(printLanguages(['fr', 'zh-CN'])).toEqual([{ lang: 'zh-CN', tag: 'zh-CN', at: 1 }]);
    expect(printLanguages(['fr'])).toEqual([{ lang: 'en', tag: 'fr', at: 0 }]);
  });

  test('a printout in one language is in the reader’s where the poll has it, else the poll’s', () => {
    expect(printLanguage(['en', 'zh-CN'], 'en')).toBe('en');
    expect(printLanguage(['en', 'zh-CN'], 'zh-CN')).toBe('zh-CN');
    expect(printLanguage(['zh-CN'], 'en')).toBe('zh-CN');
    expect(printLanguage(['en'], 'zh-CN')).toBe('en');
    expect(printLanguage(['fr'], 'zh-CN')).toBe('zh-CN');
  });
});

describe('a sentence of the site around a poll text', () => {
  test('is cut where the text goes, so that the text can carry its own lang', () => {
    expect(aroundPlaceholder('Results: {title}', 'title')).toEqual(['Results: ', '']);
    expect(aroundPlaceholder('结果：{title}', 'title')).toEqual(['结果：', '']);
    expect(aroundPlaceholder('Board of {title} ({n} entries)', 'title')).toEqual(['Board of ', ' ({n} entries)']);
    expect(aroundPlaceholder('No title here', 'title')).toEqual(['No title here', '']);
  });
});
