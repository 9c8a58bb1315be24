/**
 * Whether a manifest names the keys a person was given outside the server: her own registrar key, the
 * log key the server showed when the poll was created, the witness keys she typed. A device checks
 * this on entry 0 of the board before it trusts the poll with anything (spec §B.1.4, §B.1.5.1).
 */
import { toHex } from '../crypto/index.ts';
import { decodeManifest, encodeVerifierKey, parseVerifierKey, type Manifest } from '../bulletin-board/index.ts';

/** What the person holds: any of the three; a key left out is not compared. */
export interface ExpectedKeys {
  /** the registrar's Ed25519 public key (32 bytes, or 64 hex digits) */
  readonly registrarKey?: Uint8Array | string;
  /** the log's verifier key string (B.3.3) */
  readonly logKey?: string;
  /** the witnesses' cosignature/v1 verifier key strings, in any order */
  readonly witnessKeys?: readonly string[];
}

/** One key the manifest names otherwise than expected: `expected` and `found` as text (hex or key strings). */
export interface KeyDifference {
  readonly field: 'registrarKey' | 'logKey' | 'witnessKeys';
  readonly expected: string;
  readonly found: string;
}

/** A key string in its one encoding, so that two spellings of the same key compare equal; the text itself if it is not a key. */
function canonicalKey(text: string): string {
  try {
    return encodeVerifierKey(parseVerifierKey(text.trim()));
  } catch {
    return text.trim();
  }
}

/**
 * The differences between the keys `manifest` names and `expected`; an empty list when it names
 * every expected key (and, for witnesses, no other). Takes the manifest's payload bytes (entry 0 of
 * the board) or a decoded manifest. Throws DecodeError when the bytes are not a manifest (§B.1.4).
 */
export function checkManifestKeys(manifest: Uint8Array | Manifest, expected: ExpectedKeys): KeyDifference[] {
  const m = manifest instanceof Uint8Array ? decodeManifest(manifest) : manifest;
  const out: KeyDifference[] = [];
  if (expected.registrarKey !== undefined) {
    const want = typeof expected.registrarKey === 'string' ? expected.registrarKey.toLowerCase() : toHex(expected.registrarKey);
    const found = toHex(m.registrar.key);
    if (want !== found) out.push({ field: 'registrarKey', expected: want, found });
  }
  if (expected.logKey !== undefined) {
    const want = canonicalKey(expected.logKey);
    const found = canonicalKey(m.logKey);
    if (want !== found) out.push({ field: 'logKey', expected: want, found });
  }
  if (expected.witnessKeys !== undefined) {
    const want = [...new Set(expected.witnessKeys.map(canonicalKey))].sort();
    const found = [...new Set(m.witnesses.keys.map(canonicalKey))].sort();
    if (want.length !== found.length || want.some((k, i) => k !== found[i])) out.push({ field: 'witnessKeys', expected: want.join('\n'), found: found.join('\n') });
  }
  return out;
}

