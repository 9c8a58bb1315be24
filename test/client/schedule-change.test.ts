/**
 * The organiser's schedule rules (spec B.4.6.6–7) as the console reads them: the editor's form to the
 * draft and back (the rules only with a closing time), what closing and extending it offers, and the
 * new closing time it accepts; the server's draft check agrees with the form's.
 */
import { describe, expect, test } from 'vitest';
import { check, emptyForm, fromDraft, toDraft, toLocalTime } from '../../client/src/organiser/draft-form.ts';
import { closeVerdict, extensionRoom, newClosingTime, type ScheduleFacts } from '../../client/src/organiser/schedule-change.ts';
import { draftManifest } from '../../server/polls/draft.ts';
import { courtyardDraft } from '../server/support.ts';
import { encodeVerifierKey, signerKeyFromSeed, verifierKeyOf } from '../../bulletin-board/index.ts';

const HOUR = 3_600_000;
const NOW = Date.UTC(2026, 11, 7, 9);
const CLOSES = NOW + 10 * HOUR;

const facts = (over: Partial<ScheduleFacts> = {}): ScheduleFacts => ({ scheduled: CLOSES, closesAt: CLOSES, closeEarly: 'never', maxExtension: 0, status: 'open', listed: 3, voted: 1, now: NOW, ...over });

describe('the editor’s schedule rules', () => {
  test('go into the draft only with a closing time, in ms, and come back as hours', () => {
    const form = { ...emptyForm('Ms Chen'), closesAt: toLocalTime(CLOSES), closeEarly: 'all-voted' as const, extensionHours: 24 };
    const draft = toDraft(form);
    expect(draft).toMatchObject({ closesAt: CLOSES, closeEarly: 'all-voted', maxExtension: 24 * HOUR });
    expect(fromDraft(draft)).toMatchObject({ closeEarly: 'all-voted', extensionHours: 24 });
    // By hand: the rules are dropped, as the manifest requires (B.1.4).
    expect(toDraft({ ...form, closesAt: '' })).toMatchObject({ closesAt: 0, closeEarly: 'never', maxExtension: 0 });
    // An old draft without them reads as never and 0.
    const { closeEarly: _c, maxExtension: _m, ...old } = draft;
    expect(fromDraft(old)).toMatchObject({ closeEarly: 'never', extensionHours: 0 });
  });

  test('the hours are checked: whole, 0 to 2,160; not at all without a closing time', () => {
    const form = { ...emptyForm('Ms Chen'), closesAt: toLocalTime(CLOSES) };
    for (const bad of [-1, 1.5, 2161, null]) expect(check({ ...form, extensionHours: bad }, NOW).get('extensionHours')?.key).toBe('organiser.check.wholeNumber');
    for (const good of [0, 1, 2160]) expect(check({ ...form, extensionHours: good }, NOW).has('extensionHours')).toBe(false);
    expect(check({ ...form, closesAt: '', extensionHours: -1 }, NOW).has('extensionHours')).toBe(false);
  });

  test('the server’s manifest rules take what the editor sends, and refuse the rules on a poll closed by hand', () => {
    const origin = 'vote.example.org/poll/00112233445566778899aabbccddeeff';
    const logKey = encodeVerifierKey(verifierKeyOf(signerKeyFromSeed(origin, new Uint8Array(32).fill(1))));
    const pollId = Uint8Array.from(Buffer.from('00112233445566778899aabbccddeeff', 'hex'));
    const sent = { ...courtyardDraft(), closesAt: CLOSES, closeEarly: 'any-time' as const, maxExtension: 2160 * HOUR };
    expect(draftManifest(sent, pollId, origin, logKey)).toMatchObject({ closeEarly: 'any-time', maxExtension: 2160 * HOUR });
    expect(() => draftManifest({ ...sent, closesAt: 0 }, pollId, origin, logKey)).toThrow(/closed by hand/);
  });
});

describe('what the console offers', () => {
  test('closing: by hand or after the time always; before it as the rule says, counting who has not voted', () => {
    expect(closeVerdict(facts({ scheduled: 0, closesAt: 0 }))).toEqual({ ok: true, early: false });
    expect(closeVerdict(facts({ now: CLOSES }))).toEqual({ ok: true, early: false });
    expect(closeVerdict(facts())).toEqual({ ok: false, why: 'never', at: CLOSES });
    expect(closeVerdict(facts({ closeEarly: 'all-voted' }))).toEqual({ ok: false, why: 'waiting', at: CLOSES, waiting: 2 });
    expect(closeVerdict(facts({ closeEarly: 'all-voted', voted: 3 }))).toEqual({ ok: true, early: true });
    expect(closeVerdict(facts({ closeEarly: 'any-time' }))).toEqual({ ok: true, early: true });
  });

  test('extending: only with room left, before the closing time in force, while the poll is not closed', () => {
    expect(extensionRoom(facts())).toBeNull(); // maxExtension 0
    expect(extensionRoom(facts({ maxExtension: 2 * HOUR }))).toEqual({ after: CLOSES, upTo: CLOSES + 2 * HOUR });
    expect(extensionRoom(facts({ maxExtension: 2 * HOUR, closesAt: CLOSES + HOUR }))).toEqual({ after: CLOSES + HOUR, upTo: CLOSES + 2 * HOUR });
    expect(extensionRoom(facts({ maxExtension: 2 * HOUR, closesAt: CLOSES + 2 * HOUR }))).toBeNull(); // used up
    expect(extensionRoom(facts({ maxExtension: 2 * HOUR, now: CLOSES }))).toBeNull(); // too late
    expect(extensionRoom(facts({ maxExtension: 2 * HOUR, status: 'closed' }))).toBeNull();
    expect(extensionRoom(facts({ maxExtension: 2 * HOUR, status: 'ready' }))).not.toBeNull();
    expect(extensionRoom(facts({ scheduled: 0, closesAt: 0, maxExtension: HOUR }))).toBeNull();
  });

  test('the new closing time: later than the one in force, not past the limit', () => {
    const room = { after: CLOSES, upTo: CLOSES + 2 * HOUR };
    expect(newClosingTime('', room)).toEqual({ ok: false, why: 'empty' });
    expect(newClosingTime('not a time', room)).toEqual({ ok: false, why: 'empty' });
    expect(newClosingTime(toLocalTime(CLOSES), room)).toEqual({ ok: false, why: 'notLater' });
    expect(newClosingTime(toLocalTime(CLOSES + 2 * HOUR + 60_000), room)).toEqual({ ok: false, why: 'tooLate' });
    expect(newClosingTime(toLocalTime(CLOSES + HOUR), room)).toEqual({ ok: true, at: CLOSES + HOUR });
    expect(newClosingTime(toLocalTime(CLOSES + 2 * HOUR), room)).toEqual({ ok: true, at: CLOSES + 2 * HOUR });
  });
});
