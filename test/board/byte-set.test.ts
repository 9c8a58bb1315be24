/** The rules' flat set of fixed-width byte strings (trackers, components): exact membership through growth. */
import { describe, expect, it } from 'vitest';
import { seededRandom, toHex } from '../../crypto/index.ts';
import { ByteSet } from '../../bulletin-board/rules/byte-set.ts';

describe('ByteSet', () => {
  it('agrees with a Set of hex strings over 20,000 random members and as many non-members, through every growth', () => {
    const rng = seededRandom('byte-set');
    const set = new ByteSet(32, 4);
    const model = new Set<string>();
    const members: Uint8Array[] = [];
    for (let i = 0; i < 20_000; i++) {
      const key = rng(32);
      expect(set.add(key)).toBe(true);
      model.add(toHex(key));
      members.push(key);
    }
    expect(set.size).toBe(20_000);
    for (const m of members) expect(set.has(m)).toBe(true);
    for (let i = 0; i < 20_000; i++) expect(set.has(rng(32))).toBe(false);
    expect(new Set([...set.values()].map((v) => toHex(v)))).toEqual(model);
  });

  it('adds a member once: a second add of equal bytes (another array) is refused and the size stays', () => {
    const set = new ByteSet(32);
    const key = seededRandom('once')(32);
    expect(set.add(key)).toBe(true);
    expect(set.add(key.slice())).toBe(false);
    expect(set.size).toBe(1);
  });

  it('keeps a copy: changing the array after adding does not change the member', () => {
    const set = new ByteSet(32);
    const key = seededRandom('copy')(32);
    const kept = key.slice();
    set.add(key);
    key[0] ^= 1;
    expect(set.has(kept)).toBe(true);
    expect(set.has(key)).toBe(false);
  });

  it('tells apart members that share their first 8 bytes (the bytes that choose the slot)', () => {
    const set = new ByteSet(32);
    const base = seededRandom('prefix')(32);
    const keys = Array.from({ length: 300 }, (_, i) => {
      const k = base.slice();
      k[31] = i & 0xff;
      k[30] = i >> 8;
      return k;
    });
    for (const k of keys) expect(set.add(k)).toBe(true);
    for (const k of keys) expect(set.has(k)).toBe(true);
    const other = base.slice();
    other[29] ^= 1;
    expect(set.has(other)).toBe(false);
  });

  it('keeps its members through reserve, and makes room once: adding that many grows the table no more', () => {
    const rng = seededRandom('byte-set reserve');
    const set = new ByteSet(32);
    const first = Array.from({ length: 100 }, () => rng(32));
    for (const k of first) set.add(k);
    set.reserve(5000);
    const bytes = set.bytes;
    expect(first.every((k) => set.has(k))).toBe(true);
    for (let i = 0; i < 4900; i++) set.add(rng(32));
    expect(set.size).toBe(5000);
    expect(set.bytes).toBe(bytes);
    set.reserve(10); // never shrinks
    expect(set.bytes).toBe(bytes);
    expect(first.every((k) => set.has(k))).toBe(true);
  });

  it('refuses a key of another width: a bug, never a silent miss', () => {
    const set = new ByteSet(32);
    expect(() => set.add(new Uint8Array(31))).toThrow(/32-byte set/);
    expect(() => set.has(new Uint8Array(33))).toThrow(/32-byte set/);
  });
});
