/**
 * The weights on a poll's voter lists, read from its credentials entries (spec §B.1.6.1: u32 count ‖
 * count × (enc(X) ‖ u32 weight) ‖ signature). The results page uses them to say whether its totals are
 * weighted votes or people. Only the weights are read, not the 32-byte keys: decoding every key would
 * cost seconds on a large poll, and judging the lists (keys, signature) is the full verifier's work.
 */
import { Reader, toHex } from '../crypto/index.ts';
import { decodeEntry } from '../bulletin-board/index.ts';

export interface ListedWeights {
  /** how many credentials the lists hold, less those revoked */
  readonly listed: number;
  /** their total weight */
  readonly total: number;
  /** some credential has a weight other than 1: totals are then weighted votes, not people */
  readonly weighted: boolean;
}

const KEY_BYTES = 32;

/**
 * Adds up the weights of the credentials listed among `entries` (whole entry bytes) and not revoked
 * since; entries of other types are skipped. Throws DecodeError on an entry or a list that does not decode.
 */
export function listedWeights(entries: Iterable<Uint8Array>): ListedWeights {
  // hex of each listed key → its weight; a revocation (B.1.6.10: u32 count ‖ count × enc(X) ‖ signature) takes keys out
  const weights = new Map<string, number>();
  for (const bytes of entries) {
    const entry = decodeEntry(bytes);
    if (entry.type !== 'credentials' && entry.type !== 'revoke') continue;
    const r = new Reader(entry.payload);
    const count = r.u32('count');
    for (let i = 0; i < count; i++) {
      const key = toHex(r.bytes(KEY_BYTES, `credentials[${i}].key`));
      if (entry.type === 'revoke') weights.delete(key);
      else weights.set(key, r.u32(`credentials[${i}].weight`));
    }
  }
  let total = 0;
  let weighted = false;
  for (const w of weights.values()) {
    total += w;
    if (w !== 1) weighted = true;
  }
  return { listed: weights.size, total, weighted };
}
