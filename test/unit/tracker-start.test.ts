/** The start of a tracker (spec §Q.7.3): reading what a person typed, and the byte range of the trackers it names. */
import { describe, expect, it } from 'vitest';
import { TRACKER_PREFIX_SYMBOLS, formatTracker, readTrackerStart, seededRandom, toHex, trackerRange, trackerStartsWith, trackerText } from '../../crypto/index.ts';

const rng = seededRandom('tracker range');

describe('readTrackerStart', () => {
  it('normalises as a typed tracker is (groups, lower case, O and I)', () => {
    const t = rng(32);
    const four = formatTracker(t).split(' ').slice(0, 4).join(' ');
    expect(readTrackerStart(four.toLowerCase())).toBe(trackerText(t).slice(0, 16));
    expect(readTrackerStart('abco-il')).toBe('ABC011');
  });
  it('refuses what is not base32, nothing, and more than a tracker', () => {
    expect(readTrackerStart('ABCU')).toBeNull();
    expect(readTrackerStart('  ')).toBeNull();
    expect(readTrackerStart('0'.repeat(53))).toBeNull();
  });
});

describe('trackerRange', () => {
  it('holds exactly the trackers whose text starts so, for every length from 1 to 52 symbols', () => {
    const cmp = (a: Uint8Array, b: Uint8Array) => toHex(a).localeCompare(toHex(b));
    for (let n = 1; n <= 52; n++) {
      const t = rng(32);
      const start = trackerText(t).slice(0, n);
      const { low, high } = trackerRange(start);
      expect(cmp(low, t) <= 0 && cmp(t, high) <= 0).toBe(true);
      expect(trackerStartsWith(low, start)).toBe(true);
      expect(trackerStartsWith(high, start)).toBe(true);
      // The next value past either end starts otherwise.
      const below = BigInt(`0x${toHex(low)}`) - 1n;
      const above = BigInt(`0x${toHex(high)}`) + 1n;
      const bytes = (v: bigint) => Uint8Array.from(Buffer.from(v.toString(16).padStart(64, '0'), 'hex'));
      if (below >= 0n) expect(trackerStartsWith(bytes(below), start)).toBe(false);
      if (above < 1n << 256n) expect(trackerStartsWith(bytes(above), start)).toBe(false);
    }
  });
  it('four groups are 80 bits: ten whole bytes', () => {
    const t = rng(32);
    const { low, high } = trackerRange(trackerText(t).slice(0, TRACKER_PREFIX_SYMBOLS));
    expect(toHex(low)).toBe(toHex(t).slice(0, 20) + '00'.repeat(22));
    expect(toHex(high)).toBe(toHex(t).slice(0, 20) + 'ff'.repeat(22));
  });
});
