/**
 * A set of fixed-width byte strings (trackers, ciphertext components) kept in one flat table: open
 * addressing with linear probing, no object per member. A board of 100,000 ballots holds two million
 * components; as hex strings in a Set they took over a kilobyte of heap per ballot, here 32 bytes
 * each at most twice over. Spec §B.4.1 (what the rules remember).
 */
import { systemRandom } from '../../crypto/index.ts';

const EMPTY = 0;
const FULL = 1;
/** grow when more than this share of the slots is taken */
const MAX_LOAD = 0.7;

export class ByteSet {
  private table: Uint8Array;
  private used: Uint8Array;
  private mask: number;
  private count = 0;
  /**
   * A secret per set mixed into the slot of each member, so that nobody can choose values that land in
   * one run of slots and make every lookup slow (members such as components are the voters' choice).
   */
  private readonly seed: Uint32Array;

  constructor(
    readonly width: number,
    capacity = 1024,
  ) {
    if (!Number.isInteger(width) || width < 8) throw new Error('bug: a ByteSet holds strings of at least 8 bytes');
    let slots = 16;
    while (slots * MAX_LOAD < capacity) slots *= 2;
    this.table = new Uint8Array(slots * width);
    this.used = new Uint8Array(slots);
    this.mask = slots - 1;
    this.seed = new Uint32Array(systemRandom(8).slice().buffer);
  }

  get size(): number {
    return this.count;
  }

  has(key: Uint8Array): boolean {
    return this.find(key) >= 0;
  }

  /** Adds `key` (exactly `width` bytes, copied); false when it was there already. */
  add(key: Uint8Array): boolean {
    if (this.find(key) >= 0) return false;
    if ((this.count + 1) > MAX_LOAD * (this.mask + 1)) this.grow();
    this.place(key);
    this.count += 1;
    return true;
  }

  /** Makes room for `count` members in all without growing again (a hint: never shrinks). */
  reserve(count: number): void {
    while (count > MAX_LOAD * (this.mask + 1)) this.grow();
  }

  /** Every member, in no particular order (each a view into the table: copy it to keep it). */
  *values(): Generator<Uint8Array> {
    const w = this.width;
    for (let i = 0; i <= this.mask; i++) if (this.used[i] === FULL) yield this.table.subarray(i * w, i * w + w);
  }

  /** Bytes held by the table. */
  get bytes(): number {
    return this.table.length + this.used.length;
  }

  private slotOf(key: Uint8Array): number {
    if (key.length !== this.width) throw new Error(`bug: a ${this.width}-byte set was given ${key.length} bytes`);
    const a = (key[0] | (key[1] << 8) | (key[2] << 16) | (key[3] << 24)) ^ this.seed[0];
    const b = (key[4] | (key[5] << 8) | (key[6] << 16) | (key[7] << 24)) ^ this.seed[1];
    let h = Math.imul(a ^ (b >>> 15), 0x85ebca6b) ^ Math.imul(b ^ (a >>> 13), 0xc2b2ae35);
    h ^= h >>> 16;
    return h & this.mask;
  }

  /** The slot holding `key`, or -1. */
  private find(key: Uint8Array): number {
    const w = this.width;
    const table = this.table;
    for (let i = this.slotOf(key); ; i = (i + 1) & this.mask) {
      if (this.used[i] === EMPTY) return -1;
      const at = i * w;
      let k = 0;
      while (k < w && table[at + k] === key[k]) k++;
      if (k === w) return i;
    }
  }

  private place(key: Uint8Array): void {
    let i = this.slotOf(key);
    while (this.used[i] !== EMPTY) i = (i + 1) & this.mask;
    this.table.set(key, i * this.width);
    this.used[i] = FULL;
  }

  private grow(): void {
    const old = this.table;
    const oldUsed = this.used;
    const w = this.width;
    const slots = (this.mask + 1) * 2;
    this.table = new Uint8Array(slots * w);
    this.used = new Uint8Array(slots);
    this.mask = slots - 1;
    for (let i = 0; i < oldUsed.length; i++) if (oldUsed[i] === FULL) this.place(old.subarray(i * w, i * w + w));
  }
}
