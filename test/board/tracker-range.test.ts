/**
 * BoardStorage.trackersBetween (spec §Q.7.3), in memory and in SQLite alike: the trackers of a byte
 * range in byte order, at most `limit`, never an entry without a tracker.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { seededRandom, toHex, trackerRange, trackerText } from '../../crypto/index.ts';
import { MemoryStorage, type BoardStorage } from '../../bulletin-board/index.ts';
import { SqliteStorage } from '../../bulletin-board/store/index.ts';

const dir = mkdtempSync(join(tmpdir(), 'gongshi-tracker-range-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const rng = seededRandom('tracker range storage');
const base = rng(32);
/** Three trackers sharing the first 10 bytes (four groups), one other, and an entry without a tracker. */
const twins = [0, 1, 2].map(() => Uint8Array.from([...base.subarray(0, 10), ...rng(22)]));
const lone = rng(32);
const hashOf = () => rng(32);

function filled(storage: BoardStorage): BoardStorage {
  storage.transaction((w) => {
    w.putEntry({ height: 0, hash: hashOf(), bytes: new Uint8Array([0]), tracker: null });
    [...twins, lone].forEach((tracker, i) => w.putEntry({ height: i + 1, hash: hashOf(), bytes: new Uint8Array([i + 1]), tracker }));
  });
  return storage;
}

describe.each([
  ['memory', () => new MemoryStorage()],
  ['SQLite', () => new SqliteStorage(join(dir, `${Math.random().toString(16).slice(2)}.sqlite`))],
])('%s', (_, make) => {
  const storage = filled(make());
  const sorted = twins.map(toHex).sort();

  it('gives the trackers of the range in byte order, at most `limit`', () => {
    const { low, high } = trackerRange(trackerText(base).slice(0, 16));
    expect(storage.trackersBetween(low, high, 10).map(toHex)).toEqual(sorted);
    expect(storage.trackersBetween(low, high, 2).map(toHex)).toEqual(sorted.slice(0, 2));
  });

  it('a whole tracker is a range of one; an empty range is none', () => {
    const { low, high } = trackerRange(trackerText(lone));
    expect(storage.trackersBetween(low, high, 2).map(toHex)).toEqual([toHex(lone)]);
    const none = trackerRange(trackerText(lone).slice(0, 15) + (trackerText(lone)[15] === 'Z' ? 'Y' : 'Z'));
    expect(storage.trackersBetween(none.low, none.high, 2)).toEqual([]);
  });
});
