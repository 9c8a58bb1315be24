/**
 * Counts the witnesses whose cosignatures stand behind a checkpoint: only the witnesses the manifest
 * names count, each once, and only when its cosignature verifies; any other cosigner is ignored (and
 * how many were is said). The receipt check and V40 count the same way. Spec §B.1.4, §B.3.9, V40.
 */
import { decodeCheckpoint, parseNote, parseVerifierKey, verifyCosignature } from '../bulletin-board/index.ts';

export interface WitnessCount {
  /** the key names of the manifest's witnesses with a cosignature that verifies, each once, in the manifest's order */
  readonly counted: readonly string[];
  /** the manifest's witnesses with a cosignature line that does not verify (and none that does) */
  readonly invalid: readonly string[];
  /** how many other cosigners (distinct key name and key ID) signed: not the manifest's witnesses, not counted */
  readonly ignored: number;
  /** how many witnesses the manifest names, and how many must cosign */
  readonly listed: number;
  readonly k: number;
  /** at least k of them cosigned */
  readonly enough: boolean;
}

/**
 * B.3.9 the manifest's witnesses (`witnessKeys`: cosignature/v1 verifier key strings, and `k`) that
 * cosigned `signedNotes`: one checkpoint note, or several notes of the same log (one per witness, as
 * the server publishes them). Signature lines under a checkpoint's origin are the log's own, not
 * cosigners. Checking the log's signature, and that the checkpoints are the ones wanted, is the
 * caller's work. Throws DecodeError on a malformed note or key string (bad input).
 */
export function countWitnesses(signedNotes: string | Uint8Array | readonly (string | Uint8Array)[], witnessKeys: readonly string[], k: number): WitnessCount {
  const notes = typeof signedNotes === 'string' || signedNotes instanceof Uint8Array ? [signedNotes] : signedNotes;
  const witnesses = witnessKeys.map((s) => parseVerifierKey(s));
  const isWitness = (name: string, keyId: number) => witnesses.some((w) => w.name === name && w.keyId === keyId);
  const good = new Set<string>();
  const bad = new Set<string>();
  const strangers = new Set<string>();
  for (const note of notes) {
    const parsed = parseNote(note);
    const origin = decodeCheckpoint(parsed.text).origin;
    for (const line of parsed.signatures)
      if (line.name !== origin && !isWitness(line.name, line.keyId)) strangers.add(`${line.name}\n${line.keyId}`);
    for (const w of witnesses) {
      if (!parsed.signatures.some((line) => line.name === w.name && line.keyId === w.keyId)) continue;
      if (verifyCosignature(note, w).ok) good.add(w.name);
      else bad.add(w.name);
    }
  }
  const counted = witnesses.filter((w) => good.has(w.name)).map((w) => w.name);
  const invalid = witnesses.filter((w) => bad.has(w.name) && !good.has(w.name)).map((w) => w.name);
  return { counted, invalid, ignored: strangers.size, listed: witnesses.length, k, enough: counted.length >= k };
}
