/** Crockford base32 for the texts people read and type: trackers and credential codes. Spec §G.5. */

/** The 32 symbols: digits and upper-case letters without I, L, O and U. */
export const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** Bytes to symbols, 5 bits each, most significant first; the last symbol is padded with zero bits. */
export function toBase32(bytes: Uint8Array): string {
  let out = '';
  let acc = 0;
  let bits = 0;
  for (const b of bytes) {
    acc = (acc << 8) | b;
    bits += 8;
    while (bits >= 5) {
      out += ALPHABET[(acc >>> (bits - 5)) & 31];
      bits -= 5;
    }
    acc &= (1 << bits) - 1;
  }
  if (bits > 0) out += ALPHABET[(acc << (5 - bits)) & 31];
  return out;
}

/**
 * Normalises typed text: NFKC (full-width forms from Chinese input methods become ASCII), then
 * anything outside ASCII is refused, then upper case; drops spaces and hyphens; reads O as 0 and
 * I, L as 1 (Crockford). Returns null if a character is not a base32 symbol.
 */
export function normaliseBase32(text: string): string | null {
  const nfkc = text.normalize('NFKC');
  if (!/^[\x20-\x7e\s]*$/.test(nfkc)) return null;
  const s = nfkc.toUpperCase().replace(/[\s-]/g, '').replace(/O/g, '0').replace(/[IL]/g, '1');
  for (const ch of s) if (!ALPHABET.includes(ch)) return null;
  return s;
}

/** Symbols back to bytes: exactly `length` bytes, the padding bits must be zero; null otherwise. */
export function fromBase32(symbols: string, length: number): Uint8Array | null {
  if (symbols.length !== Math.ceil((length * 8) / 5)) return null;
  const out = new Uint8Array(length);
  let acc = 0;
  let bits = 0;
  let at = 0;
  for (const ch of symbols) {
    const v = ALPHABET.indexOf(ch);
    if (v < 0) return null;
    acc = (acc << 5) | v;
    bits += 5;
    if (bits >= 8) {
      if (at < length) out[at++] = (acc >>> (bits - 8)) & 0xff;
      bits -= 8;
    }
    acc &= (1 << bits) - 1;
  }
  return acc === 0 ? out : null;
}
