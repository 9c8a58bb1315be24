/**
 * The weights on a poll's voter lists, read from its credentials entries (spec §B.1.6.1: u32 count ‖
 * count × (enc(X) ‖ u32 weight) ‖ signature). The results page uses them to say whether its totals are
 * weighted votes or people. Only the weights are read, not the 32-byte keys: decoding every key would
 * cost seconds on a large poll, and judging the lists (keys, signature) is the full verifier's work.
 */
import { Reader } from '../crypto/index.ts';
import { decodeEntry } from '../bulletin-board/index.ts';

export interface ListedWeights {
  /** how many credentials the lists hold */
  readonly listed: number;
  /** their total weight */
  readonly total: number;
  /** some credential has a weight other than 1: totals are then weighted votes, not people */
  readonly weighted: boolean;
}

const KEY_BYTES = 32;

/**
 * Adds up the weights of every credentials entry among `entries` (whole entry bytes; entries of other
 * types are skipped). Throws DecodeError on an entry or a list that does not decode.
 */
export function listedWeights(entries: Iterable<Uint8Array>): ListedWeights {
  let listed = 0;
  let total = 0;
  let weighted = false;
  for (const bytes of entries) {
    const entry = decodeEntry(bytes);
    if (entry.type !== 'credentials') continue;
    const r = new Reader(entry.payload);
    const count = r.u32('count');
    for (let i = 0; i < count; i++) {
      r.bytes(KEY_BYTES, `credentials[${i}].key`);
      const weight = r.u32(`credentials[${i}].weight`);
      listed += 1;
      total += weight;
      if (weight !== 1) weighted = true;
    }
  }
  return { listed, total, weighted };
}
