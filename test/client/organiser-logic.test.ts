/**
 * The organiser console's plain logic, without a browser: the voter-list reader (CSV from Excel and
 * from pasting, with a BOM, quotes, Chinese names, GB18030), the mail-merge file, the poll editor's
 * checks matching the manifest's rules, and the server's BAD_REQUEST fields landing on the right field.
 */
import { describe, expect, test } from 'vitest';
import { decodeFile, readVoterList } from '../../client/src/organiser/voter-list.ts';
import { mailMergeCsv, voteLink } from '../../client/src/organiser/mail-merge.ts';
import { check, emptyForm, fieldKeys, fieldOfServer, fromDraft, nearestField, newQuestion, setKind, toDraft, witnessName, type DraftForm } from '../../client/src/organiser/draft-form.ts';
import { nextStep, pollSteps } from '../../client/src/organiser/poll-steps.ts';
import { draftManifest } from '../../server/polls/draft.ts';
import { ApiError } from '../../server/api/errors.ts';
import { courtyardDraft } from '../server/support.ts';
import { SIG_TYPE_COSIGNATURE_V1, encodeVerifierKey, registrarPublicKey, signerKeyFromSeed, verifierKeyOf, verifyCredentialList, encodeCredentialList } from '../../bulletin-board/index.ts';
import { decodePoint, deriveCredential, encodePoint, fromHex, generateCredentialCode, seededRandom, toHex } from '../../crypto/index.ts';
import { readRegistrarKeyFile, registrarKeyFile, signedUpload, type RegistrarKey } from '../../client/src/registrar/registrar-key.ts';

const POLL_ID = new Uint8Array(16).fill(7);
const ORIGIN = `vote.example.org/poll/${'07'.repeat(16)}`;
const LOG_KEY = encodeVerifierKey(verifierKeyOf(signerKeyFromSeed(ORIGIN, new Uint8Array(32).fill(1))));
const witness = (name: string, fill: number) => encodeVerifierKey(verifierKeyOf(signerKeyFromSeed(name, new Uint8Array(32).fill(fill), SIG_TYPE_COSIGNATURE_V1)));
const WITNESS_A = witness('witness.example/alice', 3);
const WITNESS_B = witness('witness.example/bo', 4);

/** The field the server's manifest rules name for a draft, or null if it accepts it. */
function serverField(form: DraftForm): string | null {
  try {
    draftManifest(toDraft(form) as never, POLL_ID, ORIGIN, LOG_KEY);
    return null;
  } catch (e) {
    if (e instanceof ApiError) return String(e.extra.field ?? '');
    throw e;
  }
}

describe('the voter list', () => {
  test('reads a header, a BOM, quoted names with commas and quotes, Chinese names, weights and CRLF', () => {
    const list = readVoterList('\uFEFF姓名,权重\r\n王秀英,1\r\n"Zhang, Min",3\r\n"Li ""Ann"" Wei"\r\n\r\n陈静,\r\n');
    expect(list.header).toBe(true);
    expect(list.bad).toEqual([]);
    expect(list.voters).toEqual([
      { line: 2, name: '王秀英', weight: 1 },
      { line: 3, name: 'Zhang, Min', weight: 3 },
      { line: 4, name: 'Li "Ann" Wei', weight: 1 },
      { line: 6, name: '陈静', weight: 1 },
    ]);
  });

  test('a list without a header starts at line 1; a tab-separated paste from a spreadsheet works', () => {
    expect(readVoterList('Ann\nBob,2').voters).toEqual([
      { line: 1, name: 'Ann', weight: 1 },
      { line: 2, name: 'Bob', weight: 2 },
    ]);
    expect(readVoterList('name\tweight\n王伟\t2\n').voters).toEqual([{ line: 2, name: '王伟', weight: 2 }]);
  });

  test('each bad line is kept with its line number and why, and the good ones still count', () => {
    const list = readVoterList('name,weight\nAnn,0\nBob,1001\nCal,x\n,2\nDee,1,extra\n"Eve\nline two",1\nFay\n"Gus');
    expect(list.bad.map((b) => [b.line, b.problem])).toEqual([
      [2, 'badWeight'],
      [3, 'badWeight'],
      [4, 'badWeight'],
      [5, 'noName'],
      [6, 'extraColumns'],
      [10, 'openQuote'],
    ]);
    // A quoted name may hold a line break: the record starts at line 7, the next at line 9.
    expect(list.voters).toEqual([
      { line: 7, name: 'Eve\nline two', weight: 1 },
      { line: 9, name: 'Fay', weight: 1 },
    ]);
  });

  test('UTF-8 with or without BOM is read as UTF-8; anything else as GB18030 (Excel on Chinese Windows)', () => {
    const utf8 = new TextEncoder().encode('王秀英,1\n');
    expect(decodeFile(utf8)).toEqual({ text: '王秀英,1\n', gb18030: false });
    expect(decodeFile(new Uint8Array([0xef, 0xbb, 0xbf, ...utf8])).text).toBe('王秀英,1\n');
    const gbk = new Uint8Array([0xcd, 0xf5, 0xd0, 0xe3, 0xd3, 0xa2, 0x2c, 0x31]); // 王秀英,1 in GBK
    expect(decodeFile(gbk)).toEqual({ text: '王秀英,1', gb18030: true });
  });
});

describe('the mail-merge file', () => {
  test('has a BOM, CRLF lines, quotes where needed, and no formula a spreadsheet would run', () => {
    const csv = mailMergeCsv([
      { name: 'Zhang, Min', code: 'AAAA-BBBB', link: voteLink('https://v.example', 'ab', 'AAAA-BBBB') },
      { name: '=HYPERLINK("x")', code: 'CCCC', link: 'https://v.example/poll/ab/vote#CCCC' },
    ]);
    expect(csv).toBe('\uFEFFname,code,link\r\n"Zhang, Min",AAAA-BBBB,https://v.example/poll/ab/vote#AAAA-BBBB\r\n"\'=HYPERLINK(""x"")",CCCC,https://v.example/poll/ab/vote#CCCC\r\n');
  });
});

describe('the poll fingerprint in a code sheet’s link', () => {
  const FP = 'A'.repeat(52);
  test('rides after the code as &fp= (the booth reads the code alone: test/browser/organiser.test.ts opens such a link)', () => {
    expect(voteLink('https://v.example', 'ab', 'AAAA-BBBB', FP)).toBe(`https://v.example/poll/ab/vote#AAAA-BBBB&fp=${FP}`);
    expect(voteLink('https://v.example', 'ab', 'AAAA-BBBB')).toBe('https://v.example/poll/ab/vote#AAAA-BBBB');
  });
});

describe('the registrar key', () => {
  const seed = new Uint8Array(32).fill(42);
  const key: RegistrarKey = { poll: '07'.repeat(16), seed, key: toHex(registrarPublicKey(seed)) };

  test('its file reads back as the same key, for its own poll only; a damaged file is refused', () => {
    const file = registrarKeyFile(key);
    expect(readRegistrarKeyFile(file, key.poll)).toEqual(key);
    expect(readRegistrarKeyFile(file, '08'.repeat(16))).toBe('otherPoll');
    expect(readRegistrarKeyFile(file.replace(key.key, key.key.replace(/^./, (c) => (c === '0' ? '1' : '0'))), key.poll)).toBe('unreadable');
    expect(readRegistrarKeyFile('{"kind":"something else"}', key.poll)).toBe('unreadable');
    expect(readRegistrarKeyFile('not json', key.poll)).toBe('unreadable');
  });

  test('signs an upload that the rules’ check accepts for this manifest hash and no other (B.1.6.1)', () => {
    const list = [1, 2].map((i) => ({ key: toHex(encodePoint(deriveCredential(generateCredentialCode(seededRandom(`code ${i}`)), POLL_ID).publicKey)), weight: i }));
    const hash = new Uint8Array(32).fill(5);
    const body = signedUpload(list, hash, key);
    expect(body.credentials).toEqual(list);
    const bytes = encodeCredentialList(list.map((c) => ({ key: decodePoint(fromHex(c.key, 'key'), 'key'), weight: c.weight })));
    expect(verifyCredentialList(bytes, fromHex(body.signature, 'signature'), hash, registrarPublicKey(seed))).toBe(true);
    expect(verifyCredentialList(bytes, fromHex(body.signature, 'signature'), new Uint8Array(32).fill(6), registrarPublicKey(seed))).toBe(false);
  });
});

describe('the poll editor', () => {
  function courtyardForm(): DraftForm {
    return fromDraft(courtyardDraft() as never);
  }

  test('a draft read from the server comes back the same, but for the registrar, which the editor adds (her key is not the form’s)', () => {
    const { registrar, ...rest } = courtyardDraft();
    expect(toDraft(courtyardForm())).toEqual({ ...rest, witnesses: { keys: [], k: 0 }, privacyFloor: 1, closeEarly: 'never', maxExtension: 0 });
    const form = courtyardForm();
    expect([form.registrarMode, form.registrarName]).toEqual(['me', registrar!.name]);
    expect(fromDraft({ ...courtyardDraft(), registrar: null } as never, 'secretary').registrarMode).toBe('other'); // waiting for a registrar of her own
    expect(emptyForm('secretary')).toMatchObject({ registrarMode: 'me', registrarName: 'secretary', witnesses: [], k: 0, privacyFloor: 5 });
  });

  test('witnesses, k and the privacy floor are checked as the manifest checks them, at their fields', () => {
    const form = courtyardForm();
    form.witnesses = [WITNESS_A, LOG_KEY, WITNESS_A, ''];
    form.k = 4;
    form.privacyFloor = 0;
    form.registrarName = ' ';
    const found = check(form, Date.now());
    expect([...found.keys()].sort()).toEqual(['privacyFloor', 'registrar.name', 'witnesses.k', 'witnesses.keys[1]', 'witnesses.keys[2]']);
    expect(found.get('witnesses.keys[1]')?.key).toBe('organiser.check.notWitnessKey'); // a log (Ed25519) key, not cosignature/v1
    expect(found.get('witnesses.keys[2]')?.key).toBe('organiser.check.witnessTwice');
    for (const key of found.keys()) expect(fieldKeys(form).has(key), key).toBe(true);
    form.witnesses = [WITNESS_A, '', ` ${WITNESS_B} `];
    form.k = 2;
    form.privacyFloor = 5;
    form.registrarName = 'Ms Li';
    expect(check(form, Date.now())).toEqual(new Map());
    expect(toDraft(form)).toMatchObject({ witnesses: { keys: [WITNESS_A, WITNESS_B], k: 2 }, privacyFloor: 5 });
    expect(serverField(form)).toBeNull();
    expect(witnessName(WITNESS_B)).toBe('witness.example/bo');
    expect(fieldOfServer('draft.witnesses[1]')).toBe('witnesses.keys[1]');
    expect(fieldOfServer('draft.witnesses.k')).toBe('witnesses.k');
  });

  test('a form the checks accept is a draft the server accepts', () => {
    const form = courtyardForm();
    for (const kind of ['yes-no-abstain', 'score', 'cumulative'] as const) {
      const q = newQuestion(kind);
      q.prompt = ['Q', '问'];
      for (const o of q.options) if (o.texts[0] === '') o.texts = ['A', '甲'];
      form.questions.push(q);
    }
    expect(check(form, 0)).toEqual(new Map());
    expect(serverField(form)).toBeNull();
  });

  test('every problem the server would refuse is found at the field the server names', () => {
    const cases: [string, (f: DraftForm) => void, string?][] = [
      ['title.zh-CN', (f) => (f.title[1] = '院'.repeat(67))], // 201 bytes
      ['title.en', (f) => (f.title[0] = '  ')],
      ['questions[0].options[1].zh-CN', (f) => (f.questions[0].options[1].texts[1] = '')],
      ['questions[0].prompt.en', (f) => (f.questions[0].prompt[0] = 'a\u202eb')],
      ['trustees.t', (f) => (f.t = 4)],
      ['trustees.names[2]', (f) => (f.names[2] = '')],
      ['maxBallots', (f) => (f.maxBallots = 101)],
      // The server's shape rules name only the question (§Q.1): the problem shows on the question.
      ['questions[2].budget', (f) => (f.questions[2].budget = 0), 'questions[2]'],
    ];
    for (const [field, breakIt, serverNames = field] of cases) {
      const form = courtyardForm();
      breakIt(form);
      expect([...check(form, 0).keys()], field).toEqual([field]);
      const server = serverField(form);
      expect(server, field).not.toBeNull();
      expect(nearestField(fieldOfServer(server!), fieldKeys(form)), field).toBe(serverNames);
    }
  });

  test('the schema’s field names (body.draft.…[i]) map onto the same fields', () => {
    const keys = fieldKeys(courtyardForm());
    expect(nearestField(fieldOfServer('body.draft.title[1]'), keys)).toBe('title.zh-CN');
    expect(nearestField(fieldOfServer('body.draft.questions[1].options[2][0]'), keys)).toBe('questions[1].options[2].en');
    expect(nearestField(fieldOfServer('body.draft.questions[1].question.max'), keys)).toBe('questions[1].max');
    expect(nearestField(fieldOfServer('draft.questions[2].projects'), keys)).toBe('questions[2].options');
    expect(nearestField(fieldOfServer('body.draft.colour'), keys)).toBe('');
  });

  test('a closing time in the past or before the opening is refused; empty times mean by hand', () => {
    const form = emptyForm();
    form.closesAt = '2020-01-01T10:00';
    expect(check(form, Date.now()).get('closesAt')?.key).toBe('organiser.check.closesPast');
    form.opensAt = '2099-01-02T10:00';
    form.closesAt = '2099-01-01T10:00';
    expect(check(form, Date.now()).get('closesAt')?.key).toBe('organiser.check.closesBeforeOpens');
    form.opensAt = form.closesAt = '';
    expect(toDraft(form).opensAt).toBe(0);
  });

  test('changing a question to yes-no-abstain gives it the fixed answers, and back gives empty options', () => {
    const q = newQuestion('single');
    setKind(q, 'yes-no-abstain');
    expect(q.options.map((o) => o.texts)).toEqual([
      ['Yes', '是'],
      ['No', '否'],
      ['Abstain', '弃权'],
    ]);
    setKind(q, 'single');
    expect(q.options.map((o) => o.texts)).toEqual([
      ['', ''],
      ['', ''],
    ]);
  });
});

describe('the next step', () => {
  test('follows the poll from draft to done', () => {
    expect(nextStep('draft', 0, false)).toBe('invite');
    expect(nextStep('draft', 0, true)).toBe('publish');
    expect(nextStep('ceremony', 0, true)).toBe('voters');
    expect(nextStep('ceremony', 5, true)).toBe('ceremony');
    expect(nextStep('ready', 0, true)).toBe('voters');
    expect(nextStep('ready', 5, true)).toBe('open');
    expect(nextStep('open', 5, true)).toBe('close');
    expect(nextStep('closed', 5, true)).toBe('tally');
    expect(nextStep('tallied', 5, true)).toBe('decrypt');
    expect(nextStep('done', 5, true)).toBeNull();
    expect(pollSteps('done', 5, true).every((s) => s.state === 'done')).toBe(true);
  });
});
