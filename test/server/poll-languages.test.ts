/**
 * A poll in one language, through the API on a real server and SQLite file (docs/api.md "The draft",
 * spec §B.1.4): a Chinese-only and an English-only draft are accepted, published, and their manifest on
 * the board lists that one language; a draft whose texts do not give one string per language is refused
 * with BAD_REQUEST naming the text, and nothing is written.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeEntry, decodeManifest } from '../../bulletin-board/index.ts';
import type { Draft } from '../../server/polls/draft.ts';
import { Client, courtyardDraft, dumpDatabase, organiser, startServer, unb64, type Running } from './support.ts';

let running: Running;
let owner: Client;

beforeAll(async () => {
  running = await startServer();
  owner = await organiser(running);
});
afterAll(() => running?.close());

/** courtyardDraft with only the language at `at` (0 English, 1 Chinese) of every text. */
function oneLanguage(at: 0 | 1): Draft {
  const d = courtyardDraft();
  const one = (texts: string[]) => [texts[at]];
  return {
    ...d,
    languages: [d.languages[at]],
    title: one(d.title),
    description: one(d.description),
    questions: d.questions.map((q) => ({ ...q, prompt: one(q.prompt), options: q.options.map(one) })),
  };
}

async function manifestOnBoard(poll: string) {
  const page = await owner.get(`/api/polls/${poll}/entries?from=0&limit=1`);
  expect(page.status).toBe(200);
  return decodeManifest(decodeEntry(unb64(page.body.entries[0].bytes)).payload);
}

describe('a poll in one language', () => {
  for (const [at, tag, title, option] of [[1, 'zh-CN', '院落委员会投票', '红色'], [0, 'en', 'Courtyard committee poll', 'Red']] as const) {
    it(`a ${tag}-only draft is accepted, read back, saved again and published; its manifest lists ${tag} alone`, async () => {
      const draft = oneLanguage(at);
      const made = await owner.post('/api/polls', { draft });
      expect(made.status, JSON.stringify(made.body)).toBe(201);
      const poll: string = made.body.id;
      const read = await owner.get(`/api/polls/${poll}`);
      expect(read.body.languages).toEqual([tag]);
      expect(read.body.title).toEqual([title]);
      expect(read.body.draft.questions[0].options[0]).toEqual([option]);
      const saved = await owner.put(`/api/polls/${poll}/draft`, { draft: { ...draft, description: [''] } });
      expect(saved.status, JSON.stringify(saved.body)).toBe(200);
      await owner.post(`/api/polls/${poll}/invites`);
      const published = await owner.post(`/api/polls/${poll}/publish`);
      expect(published.status, JSON.stringify(published.body)).toBe(200);
      const m = await manifestOnBoard(poll);
      expect(m.languages).toEqual([tag]);
      expect(m.title).toEqual([title]);
      expect(m.description).toEqual(['']);
      expect(m.questions.map((q) => q.prompt.length)).toEqual([1, 1, 1]);
      expect(m.questions[0].options).toEqual(draft.questions[0].options);
      const listed = (await owner.get('/api/polls')).body.polls as { id: string; languages: string[]; title: string[] }[];
      expect(listed.find((p) => p.id === poll)).toMatchObject({ languages: [tag], title: [title] });
    });
  }

  it('refuses a draft whose texts do not give one string per language, naming the text; nothing is written', async () => {
    const zh = oneLanguage(1);
    const both = courtyardDraft();
    const kept = await owner.post('/api/polls', { draft: both });
    expect(kept.status).toBe(201);
    const poll: string = kept.body.id;
    const cases: [Draft, string][] = [
      // Chinese only, but the title still in English and Chinese
      [{ ...zh, title: both.title }, 'draft.title'],
      // Chinese only, an option with two strings
      [{ ...zh, questions: [{ ...zh.questions[0], options: [zh.questions[0].options[0], ['绿色', 'Green'], zh.questions[0].options[2]] }, ...zh.questions.slice(1)] }, 'draft.questions[0].options[1]'],
      // both languages, a question in Chinese only
      [{ ...both, questions: [both.questions[0], { ...both.questions[1], prompt: [both.questions[1].prompt[1]] }, both.questions[2]] }, 'draft.questions[1].prompt'],
      // both languages, the description in one
      [{ ...both, description: [''] }, 'draft.description'],
      // English only, an empty English title
      [{ ...oneLanguage(0), title: [''] }, 'draft.title.en'],
    ];
    for (const [draft, field] of cases) {
      const before = dumpDatabase(running);
      const made = await owner.post('/api/polls', { draft });
      expect(made.status, JSON.stringify(made.body)).toBe(400);
      expect(made.body).toEqual({ error: 'BAD_REQUEST', message: expect.stringMatching(/\S/), field });
      const saved = await owner.put(`/api/polls/${poll}/draft`, { draft });
      expect(saved.status, JSON.stringify(saved.body)).toBe(400);
      expect(saved.body.field).toBe(field);
      expect(dumpDatabase(running)).toEqual(before);
    }
    const said = await owner.post('/api/polls', { draft: cases[0][0] });
    expect(said.body.message).toBe('draft.title: the poll is in one language (zh-CN), so this text needs one string; it has 2');
    expect((await owner.get(`/api/polls/${poll}`)).body.draft.languages).toEqual(['en', 'zh-CN']);
  });
});
