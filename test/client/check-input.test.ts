/**
 * The receipt check's plain logic, without a browser: what she typed (a whole tracker, its first groups,
 * too few of them, a check link) and the verdict a report opens with, in words that match what she gave.
 */
import { describe, expect, test } from 'vitest';
import { formatTracker, seededRandom, trackerText } from '../../crypto/index.ts';
import { givenOf, readCheckInput, tooShortStart } from '../../client/src/booth/check-input.ts';
import { checkVerdict } from '../../client/src/booth/check-verdict.ts';
import type { CheckLine } from '../../client/src/booth/receipt-checker.svelte.ts';

const tracker = seededRandom('check input')(32);
const poll = 'ab'.repeat(16);
const groups = formatTracker(tracker).split(' ');

describe('readCheckInput', () => {
  test('a whole tracker, in groups and lower case', () => {
    expect(readCheckInput(formatTracker(tracker).toLowerCase(), poll)).toEqual({ poll, tracker, receipt: null });
  });
  test('the first four groups or more are a start to look up, not a tracker', () => {
    expect(readCheckInput(groups.slice(0, 4).join(' '), poll)).toEqual({ poll, tracker: null, receipt: null, start: trackerText(tracker).slice(0, 16) });
    expect(readCheckInput(groups.slice(0, 7).join('-'), null)?.start).toBe(trackerText(tracker).slice(0, 28));
  });
  test('three groups are too short, and said so; a U is no tracker at all', () => {
    expect(readCheckInput(groups.slice(0, 3).join(' '), poll)).toBeNull();
    expect(tooShortStart(groups.slice(0, 3).join(' '))).toBe(true);
    expect(tooShortStart('UUUU')).toBe(false);
    expect(tooShortStart(groups.slice(0, 4).join(' '))).toBe(false);
  });
  test('a check link: its poll, and the report speaks of a link', () => {
    const r = readCheckInput(`https://vote.example/poll/${'cd'.repeat(16)}/check?tracker=${trackerText(tracker)}`, poll);
    expect(r).toEqual({ poll: 'cd'.repeat(16), tracker, receipt: null, viaLink: true });
    expect(givenOf(r!)).toBe('link');
    expect(givenOf(readCheckInput(formatTracker(tracker), poll)!)).toBe('tracker');
  });
});

const line = (id: string, state: CheckLine['state'], key: CheckLine['key']): CheckLine => ({ id, state, key });
const passed = [line('signature', 'pass', 'booth.check.signatureTracker'), line('entry', 'pass', 'booth.check.entryBallot'), line('witnesses', 'warn', 'booth.check.noWitnessRequired')];

describe('checkVerdict', () => {
  test('found and unchanged, in the words of what was given', () => {
    expect(checkVerdict(passed, false, 'tracker', false)).toEqual({ tone: 'good', title: 'booth.verdict.foundTracker', text: 'booth.check.allGood' });
    expect(checkVerdict(passed, false, 'link', false).title).toBe('booth.verdict.foundLink');
    expect(checkVerdict(passed, false, 'receipt', false).title).toBe('booth.verdict.foundReceipt');
  });
  test('still checking until done', () => {
    expect(checkVerdict(passed, true, 'tracker', false).tone).toBe('working');
  });
  test('NOT found is not evidence; a failure is, in the words of what was given', () => {
    expect(checkVerdict([line('found', 'fail', 'booth.check.notFound')], false, 'tracker', false)).toEqual({ tone: 'bad', title: 'booth.verdict.notFound', text: null });
    expect(checkVerdict([...passed, line('entry', 'fail', 'booth.check.entryGone')], false, 'receipt', false).text).toBe('booth.check.evidence');
    expect(checkVerdict([line('start', 'fail', 'booth.check.startAlarm')], false, 'tracker', false)).toEqual({ tone: 'bad', title: 'booth.verdict.alarm', text: 'booth.check.evidenceTracker' });
  });
  test('another poll, an unsigned receipt, several ballots, too few witnesses, an unfinished check', () => {
    expect(checkVerdict([line('fingerprint', 'fail', 'booth.check.fingerprintDiffers')], false, 'tracker', false).title).toBe('booth.check.fingerprintStopTitle');
    expect(checkVerdict([line('signature', 'fail', 'booth.check.badSignature')], false, 'receipt', true).title).toBe('booth.verdict.unsigned');
    expect(checkVerdict([line('start', 'fail', 'booth.check.startSeveral')], false, 'tracker', false).title).toBe('booth.verdict.several');
    expect(checkVerdict([...passed.slice(0, 2), line('witnesses', 'fail', 'booth.check.witnessesTooFew')], false, 'tracker', false).title).toBe('booth.check.witnessesWaitTitle');
    expect(checkVerdict([line('network', 'unchecked', 'booth.check.unreachable')], false, 'tracker', false).title).toBe('booth.verdict.unfinished');
  });
});
