/**
 * server/polls/draft-copy.ts as plain functions: a copy's titles are marked in their language and
 * stay within the manifest's 200-byte limit in whole characters; a time is kept only while ahead,
 * and the schedule rules leave with the closing time; the source's registrar never comes along.
 */
import { describe, expect, it } from 'vitest';
import { MANIFEST_LIMITS } from '../../bulletin-board/index.ts';
import { copiedDraft } from '../../server/polls/draft-copy.ts';
import { courtyardDraft } from './support.ts';

const NOW = 1_800_000_000_000;
const bytes = (s: string) => new TextEncoder().encode(s).length;

describe('copiedDraft', () => {
  it('marks each title in its own language', () => {
    const d = copiedDraft({ ...courtyardDraft(), languages: ['zh-CN', 'en'], title: ['院落投票', 'Courtyard'] }, NOW, null);
    expect(d.title).toEqual(['院落投票（副本）', 'Courtyard (copy)']);
  });

  it('shortens a title at the limit by whole characters, so the copy stays within 200 bytes', () => {
    const zh = '院'.repeat(66) + 'x'; // 199 bytes
    const en = 'a'.repeat(MANIFEST_LIMITS.title);
    const d = copiedDraft({ ...courtyardDraft(), title: [en, zh] }, NOW, null);
    expect(d.title[0]).toBe('a'.repeat(MANIFEST_LIMITS.title - 7) + ' (copy)');
    expect(bytes(d.title[1])).toBeLessThanOrEqual(MANIFEST_LIMITS.title);
    expect(d.title[1]).toBe('院'.repeat(62) + '（副本）');
  });

  it('keeps a time only while it is ahead; the rules leave with the closing time', () => {
    const ahead = copiedDraft({ ...courtyardDraft(), opensAt: NOW + 1, closesAt: NOW + 2, closeEarly: 'any-time', maxExtension: 5 }, NOW, null);
    expect(ahead).toMatchObject({ opensAt: NOW + 1, closesAt: NOW + 2, closeEarly: 'any-time', maxExtension: 5 });
    const past = copiedDraft({ ...courtyardDraft(), opensAt: NOW - 2, closesAt: NOW, closeEarly: 'any-time', maxExtension: 5 }, NOW, null);
    expect(past).toMatchObject({ opensAt: 0, closesAt: 0, closeEarly: 'never', maxExtension: 0 });
  });

  it('names the registrar it is given, never the source’s, and shares no list with the source', () => {
    const source = courtyardDraft();
    const d = copiedDraft(source, NOW, null);
    expect(d.registrar).toBeNull();
    d.questions[0].options[0][0] = 'changed';
    d.trustees.names[0] = 'changed';
    expect(source.questions[0].options[0][0]).toBe('Red');
    expect(source.trustees.names[0]).toBe('Trustee 1');
  });
});
