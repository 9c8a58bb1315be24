/**
 * The voting desk's plain logic, without a browser: the flag (well formed or no desk at all), which
 * storage keys are a voter's traces and that clearing them leaves the rest, and the idle timer that
 * starts the desk over (every touch starts the wait again; it fires once; stopping it cancels it).
 */
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { DESK_IDLE_MS, clearVoterTraces, deskFlagText, isVoterTrace, parseDeskFlag, readDeskFlag } from '../../client/src/booth/desk-flag.ts';
import { idleTimer } from '../../client/src/booth/idle-timer.ts';
import { checkLinkOf } from '../../client/src/booth/check-link.ts';
import { readCheckInput } from '../../client/src/booth/check-input.ts';
import { formatTracker, seededRandom, trackerText } from '../../crypto/index.ts';

const poll = '0123456789abcdef'.repeat(2);

/** A Storage in memory, as the browser's localStorage and sessionStorage behave. */
class MemoryStore implements Storage {
  private readonly map = new Map<string, string>();
  get length() {
    return this.map.size;
  }
  clear() {
    this.map.clear();
  }
  getItem(key: string) {
    return this.map.get(key) ?? null;
  }
  key(i: number) {
    return [...this.map.keys()][i] ?? null;
  }
  removeItem(key: string) {
    this.map.delete(key);
  }
  setItem(key: string, value: string) {
    this.map.set(key, String(value));
  }
}

describe('the desk flag', () => {
  test('round trips through its text', () => {
    expect(parseDeskFlag(deskFlagText(poll, 1234))).toEqual({ poll, since: 1234 });
  });
  test('no flag, or a malformed one, is no desk', () => {
    for (const bad of [null, '', 'yes', '1', 'null', '[]', '{}', JSON.stringify({ poll }), JSON.stringify({ poll: 'XYZ', since: 1 }), JSON.stringify({ poll: poll.slice(1), since: 1 }), JSON.stringify({ poll, since: 'now' })])
      expect(parseDeskFlag(bad), String(bad)).toBeNull();
  });
  test('refuses to write a flag for something that is not a poll id', () => {
    expect(() => deskFlagText('../organiser', 1)).toThrow(/poll/);
  });
  test('is read from a storage, and a storage that throws is no desk', () => {
    const s = new MemoryStore();
    expect(readDeskFlag(s)).toBeNull();
    s.setItem('gongshi.desk', deskFlagText(poll, 5));
    expect(readDeskFlag(s)).toEqual({ poll, since: 5 });
    expect(readDeskFlag({ getItem: () => { throw new Error('SecurityError'); } })).toBeNull();
  });
});

describe('voter traces', () => {
  test('receipts, codes and fingerprints are traces; the language, the organiser hint and the desk flag are not', () => {
    for (const k of [`gongshi.receipts.${poll}`, `gongshi.code.${poll}`, `gongshi.fingerprint.${poll}`]) expect(isVoterTrace(k), k).toBe(true);
    for (const k of ['gongshi.lang', 'gongshi.organiser', 'gongshi.desk', `gongshi.registrar.${poll}`]) expect(isVoterTrace(k), k).toBe(false);
  });
  test('clearing removes every trace and keeps the rest', () => {
    const s = new MemoryStore();
    s.setItem(`gongshi.receipts.${poll}`, '[]');
    s.setItem(`gongshi.code.${poll}`, 'CODE');
    s.setItem(`gongshi.code.${'f'.repeat(32)}`, 'CODE2');
    s.setItem(`gongshi.fingerprint.${poll}`, 'ABCD');
    s.setItem('gongshi.desk', deskFlagText(poll, 1));
    s.setItem('gongshi.lang', 'zh');
    expect(clearVoterTraces(s)).toBe(4);
    expect([0, 1].map((i) => s.key(i)).sort()).toEqual(['gongshi.desk', 'gongshi.lang']);
  });
});

describe('the printed check link', () => {
  test('is the booth’s check link, and the check page reads its tracker back', () => {
    const tracker = seededRandom('desk link')(32);
    const link = checkLinkOf('https://vote.example.org/', poll, trackerText(tracker));
    expect(link).toBe(`https://vote.example.org/poll/${poll}/check?tracker=${trackerText(tracker)}`);
    expect(readCheckInput(link, poll)).toMatchObject({ poll, tracker });
    expect(formatTracker(tracker).length).toBeGreaterThan(0);
  });
});

describe('the idle timer', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  test('fires once after the quiet time', () => {
    const target = new EventTarget();
    const idle = vi.fn();
    idleTimer(target, DESK_IDLE_MS, idle);
    vi.advanceTimersByTime(DESK_IDLE_MS - 1);
    expect(idle).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(idle).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(DESK_IDLE_MS * 3);
    target.dispatchEvent(new Event('keydown'));
    vi.advanceTimersByTime(DESK_IDLE_MS * 3);
    expect(idle).toHaveBeenCalledTimes(1);
  });
  test('every touch or key starts the wait again', () => {
    const target = new EventTarget();
    const idle = vi.fn();
    idleTimer(target, 1000, idle);
    for (const name of ['pointerdown', 'keydown', 'touchstart', 'wheel', 'scroll']) {
      vi.advanceTimersByTime(900);
      target.dispatchEvent(new Event(name));
    }
    expect(idle).not.toHaveBeenCalled();
    vi.advanceTimersByTime(999);
    expect(idle).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(idle).toHaveBeenCalledTimes(1);
  });
  test('stopping it cancels the reset and stops listening', () => {
    const target = new EventTarget();
    const idle = vi.fn();
    const stop = idleTimer(target, 1000, idle);
    stop();
    target.dispatchEvent(new Event('keydown'));
    vi.advanceTimersByTime(5000);
    expect(idle).not.toHaveBeenCalled();
  });
  test('refuses a wait that is not positive', () => {
    expect(() => idleTimer(new EventTarget(), 0, () => {})).toThrow(/ms/);
  });
});
