/** checkTrackerStart (spec §Q.7.3): the server's answer to a lookup by the start of a tracker is checked on the device. */
import { describe, expect, it } from 'vitest';
import { seededRandom, toHex, trackerText } from '../../crypto/index.ts';
import { checkTrackerStart } from '../../verifier/index.ts';

const rng = seededRandom('tracker start');
const mine = rng(32);
const start = trackerText(mine).slice(0, 16);
/** Another tracker with the same first 16 symbols (80 bits = 10 bytes). */
const twin = Uint8Array.from([...mine.subarray(0, 10), ...rng(22)]);
const stranger = rng(32);

describe('checkTrackerStart', () => {
  it('finds the one tracker that starts with what she typed', () => {
    expect(checkTrackerStart(start, { trackers: [toHex(mine)] })).toEqual({ kind: 'one', tracker: mine });
    // Any longer start of the same tracker, up to the whole text.
    for (const n of [17, 30, 51, 52]) expect(checkTrackerStart(trackerText(mine).slice(0, n), { trackers: [toHex(mine)] }).kind).toBe('one');
  });

  it('says none when the board holds no such tracker', () => {
    expect(checkTrackerStart(start, { trackers: [] })).toEqual({ kind: 'none' });
  });

  it('says several when two trackers start so', () => {
    expect(trackerText(twin).startsWith(start)).toBe(true);
    expect(checkTrackerStart(start, { trackers: [toHex(mine), toHex(twin)] })).toEqual({ kind: 'several', trackers: [mine, twin] });
  });

  it('raises the alarm on a tracker that does not start with what she typed, alone or beside hers', () => {
    expect(checkTrackerStart(start, { trackers: [toHex(stranger)] })).toEqual({ kind: 'alarm', tracker: stranger });
    expect(checkTrackerStart(start, { trackers: [toHex(mine), toHex(stranger)] })).toEqual({ kind: 'alarm', tracker: stranger });
    // One symbol more than she typed that differs: still not hers.
    const longer = trackerText(mine).slice(0, 17);
    const sibling = Uint8Array.from([...mine.subarray(0, 10), mine[10] ^ 0x80, ...mine.subarray(11)]);
    expect(checkTrackerStart(longer, { trackers: [toHex(sibling)] })).toEqual({ kind: 'alarm', tracker: sibling });
  });

  it.each([
    ['no object', null],
    ['no list', {}],
    ['a list of numbers', { trackers: [1] }],
    ['upper-case hex', { trackers: [toHex(mine).toUpperCase()] }],
    ['a short tracker', { trackers: [toHex(mine).slice(2)] }],
    ['the same tracker twice', { trackers: [toHex(mine), toHex(mine)] }],
  ])('raises the alarm on an answer no honest board gives: %s', (_, answer) => {
    expect(checkTrackerStart(start, answer)).toEqual({ kind: 'alarm', tracker: null });
  });
});
