/**
 * A poll in one language (spec §B.1.4: L may be 1): the manifest round trips, the whole poll runs
 * through the rules, the verifier finds it valid, and its report (what `gongshi verify` prints) gives
 * the texts in that language, each answer's count in one column whatever the script.
 */
import { describe, expect, it } from 'vitest';
import { decodeManifest, encodeManifest, parseRecord, type Manifest } from '../../bulletin-board/index.ts';
import { displayWidth, reportText, resultLines, verifyRecord } from '../../verifier/index.ts';
import { cast, count, must, listVoters, randomAnswers, runCeremony, startPoll } from '../board/poll-support.ts';

/** The sample poll with every text in one language only: `word(i)` names the i-th text. */
function inOneLanguage(tag: string, word: (s: string) => string) {
  return (m: Manifest): Manifest => ({
    ...m,
    languages: [tag],
    title: [word('Courtyard poll')],
    description: [''],
    questions: m.questions.map((q, i) => ({ ...q, prompt: [word(`Question ${i + 1}`)], options: q.options.map((_, k) => [word(`Option ${k + 1}`)]) })),
  });
}

const chinese = (s: string) => s.replace('Courtyard poll', '院子投票').replace(/Question (\d+)/, '问题$1').replace(/Option (\d+)/, '选项$1');

function concat(chunks: Iterable<Uint8Array>): Uint8Array {
  return new Uint8Array(Buffer.concat([...chunks]));
}

describe('a poll in one language', () => {
  it('a Chinese-only and an English-only manifest round trip and list one language', async () => {
    for (const [tag, word] of [['zh-CN', chinese], ['en', (s: string) => s]] as const) {
      const poll = await startPoll({ seed: `one language ${tag}`, reword: inOneLanguage(tag, word) });
      const back = decodeManifest(encodeManifest(poll.manifest));
      expect(back.languages).toEqual([tag]);
      expect(back.title).toEqual([word('Courtyard poll')]);
      expect(back.questions.every((q) => q.prompt.length === 1 && q.options.every((o) => o.length === 1))).toBe(true);
    }
  });

  it('a whole Chinese-only poll verifies, and the report gives its texts in Chinese, the counts in one column', async () => {
    const poll = await startPoll({ seed: 'one language whole', reword: inOneLanguage('zh-CN', chinese) });
    await listVoters(poll, 6);
    await runCeremony(poll);
    await must(poll.board, 'open', new Uint8Array(0));
    for (let i = 0; i < 6; i++) await cast(poll, i, randomAnswers(poll.rng));
    const totals = await count(poll);
    const record = concat(poll.board.exportRecord());
    expect(parseRecord(record).entries.length).toBe(poll.board.size);
    const report = await verifyRecord([record]);
    expect(report.failures).toEqual([]);
    expect(report.valid).toBe(true);
    expect(report.poll).toMatchObject({ title: '院子投票', languages: ['zh-CN'], titles: ['院子投票'] });
    expect(report.result!.map((q) => q.question)).toEqual(['问题1', '问题2', '问题3']);
    expect(report.result![0].options.map((o) => o.texts)).toEqual([['选项1'], ['选项2'], ['选项3']]);
    expect(report.result!.flatMap((q) => [...q.options.map((o) => o.total), ...(q.blank === null ? [] : [q.blank])])).toEqual(totals);
    const text = reportText(report);
    expect(text).toContain('poll: 院子投票 (');
    expect(text).not.toMatch(/undefined|Question|Option/);
    // Every count of the first question starts in the same column: 4 spaces, 5 columns of 选项1 or blank, 2 spaces.
    const lines = resultLines(report.result!).slice(1, 5);
    expect(lines.map((l) => displayWidth(l.replace(/\d+$/, '')))).toEqual([11, 11, 11, 11]);
    expect(lines[3]).toMatch(/^ {4}blank {2}\d+$/);
  });

  it('counts terminal columns: two for a Chinese character, one for a Latin letter', () => {
    expect(displayWidth('abc')).toBe(3);
    expect(displayWidth('选项1')).toBe(5);
    expect(displayWidth('Ａ（中）')).toBe(8);
    expect(displayWidth('')).toBe(0);
  });
});
