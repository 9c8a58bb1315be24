/** The text form of a tracker: 52 Crockford base32 symbols, shown in groups of four. Spec §Q.7. */
import { ALPHABET, fromBase32, normaliseBase32, toBase32 } from '../base32.ts';

/** Q.7.1 the number of symbols in a tracker's canonical text. */
export const TRACKER_SYMBOLS = 52;

/**
 * Q.7.3 the fewest symbols of a tracker's start that find a ballot: four groups, 80 bits. Fewer would
 * let someone who grinds ballots make one whose tracker starts the same as hers (2^60 tries for three
 * groups is within reach of a determined attacker; 2^80 is not).
 */
export const TRACKER_PREFIX_SYMBOLS = 16;

/** Q.7.1 the canonical text: 52 upper-case symbols, no separators. */
export function trackerText(tracker: Uint8Array): string {
  if (tracker.length !== 32) throw new Error('bug: a tracker is 32 bytes');
  return toBase32(tracker);
}

/** Q.7.2 for people: groups of four symbols separated by spaces. */
export function formatTracker(tracker: Uint8Array): string {
  return trackerText(tracker).replace(/(.{4})(?!$)/g, '$1 ');
}

/** Reads a tracker typed or pasted by a person (spaces, hyphens, lower case, O/I/L allowed); null if not one. */
export function parseTracker(text: string): Uint8Array | null {
  const s = normaliseBase32(text);
  return s === null ? null : fromBase32(s, 32);
}

/**
 * Q.7.3 the start of a tracker as a person typed it, normalised (G.5.2) to canonical symbols: 1 to 52
 * of them. Null when it is not base32 or longer than a tracker. Whether it is long enough is the caller's.
 */
export function readTrackerStart(text: string): string | null {
  const s = normaliseBase32(text);
  return s === null || s.length === 0 || s.length > TRACKER_SYMBOLS ? null : s;
}

/** Q.7.3 whether the tracker's canonical text starts with these canonical symbols. */
export function trackerStartsWith(tracker: Uint8Array, start: string): boolean {
  return tracker.length === 32 && trackerText(tracker).startsWith(start);
}

/**
 * Q.7.3 the smallest and the largest 32 bytes whose text starts with `start` (canonical symbols), as
 * a range to look trackers up in byte order. Symbols past the 256th bit (the last symbol's padding)
 * are ignored. Throws on a symbol that is not canonical.
 */
export function trackerRange(start: string): { low: Uint8Array; high: Uint8Array } {
  if (start.length > TRACKER_SYMBOLS) throw new Error('bug: longer than a tracker');
  let value = 0n;
  for (const ch of start) {
    const v = ALPHABET.indexOf(ch);
    if (v < 0) throw new Error(`bug: ${JSON.stringify(ch)} is not a canonical base32 symbol`);
    value = (value << 5n) | BigInt(v);
  }
  let bits = start.length * 5;
  if (bits > 256) {
    value >>= BigInt(bits - 256);
    bits = 256;
  }
  const free = BigInt(256 - bits);
  const low = value << free;
  const high = low | ((1n << free) - 1n);
  return { low: toBytes(low), high: toBytes(high) };
}

function toBytes(n: bigint): Uint8Array {
  const out = new Uint8Array(32);
  for (let i = 31; i >= 0; i--) {
    out[i] = Number(n & 0xffn);
    n >>= 8n;
  }
  return out;
}
