/**
 * What a trustee's device checks before it decrypts anything (spec §B.8): the tally it would decrypt
 * sits on a checkpoint signed by the manifest's log key and cosigned by k of the manifest's witnesses,
 * the board she is shown extends the board her device saw when she saved her key file, and the tally
 * counts at least the manifest's privacy floor. Pure and browser-safe: the trustee console calls it
 * and shows the verdict; it never decrypts on its own say.
 */
import { DecodeError, bytesEqual, toHex } from '../crypto/index.ts';
import { parseVerifierKey, verifyCheckpoint, type BoardState } from '../bulletin-board/index.ts';
import { countWitnesses } from './witness-count.ts';

/** Why the console refuses to decrypt; each with what it found. */
export type GateProblem =
  | { readonly kind: 'not-tallied' }
  | { readonly kind: 'below-floor'; readonly counted: number; readonly floor: number }
  | { readonly kind: 'shorter-than-key'; readonly size: number; readonly seen: number }
  | { readonly kind: 'fork-since-key'; readonly size: number; readonly seenRoot: string; readonly boardRoot: string }
  | { readonly kind: 'no-signed-checkpoint'; readonly tallyHeight: number }
  | { readonly kind: 'too-few-witnesses'; readonly size: number; readonly cosigned: readonly string[]; readonly k: number };

/** The checkpoint the tally sits on, as the trustees may compare it aloud. */
export interface GateCheckpoint {
  readonly size: number;
  /** hex of the root her own device computed, which the log signed */
  readonly root: string;
  /** names of the manifest's witnesses whose cosignature of it verifies */
  readonly cosigned: readonly string[];
}

export type GateVerdict =
  | {
      readonly ok: true;
      readonly checkpoint: GateCheckpoint;
      /** k = 0: no witness stands between the server and a fork; the trustees compare the checkpoint aloud first */
      readonly compareAloud: boolean;
    }
  | { readonly ok: false; readonly problems: readonly GateProblem[]; readonly checkpoint: GateCheckpoint | null };

export interface GateInput {
  /** the board her device replayed through the rules, phase tallied (or later) */
  readonly state: BoardState;
  /** the height of the tally entry on that board */
  readonly tallyHeight: number;
  /** the Merkle root her device computes over the first `size` entries it replayed, for size ≤ state.height */
  readonly rootAt: (size: number) => Uint8Array;
  /** T.9.3 the board her device replayed when she saved her key file */
  readonly seen: { readonly size: number; readonly root: Uint8Array };
  /** signed checkpoint notes from the server, each perhaps with witness cosignature lines (as sent: not trusted) */
  readonly notes: readonly string[];
}

/**
 * §B.8 decides whether the trustee may decrypt the tally of the board she replayed. Every problem is
 * listed; the best checkpoint (the one with the most cosignatures of the manifest's witnesses among those
 * that cover the tally and match her replay) is returned either way, for the page to show.
 */
export function checkDecryptionGate(input: GateInput): GateVerdict {
  const { state, tallyHeight, rootAt, seen, notes } = input;
  const manifest = state.manifest;
  if (manifest === null || state.tally === null) return { ok: false, problems: [{ kind: 'not-tallied' }], checkpoint: null };
  const problems: GateProblem[] = [];
  // B.8.1 the privacy floor.
  if (state.tally.counted < manifest.privacyFloor) problems.push({ kind: 'below-floor', counted: state.tally.counted, floor: manifest.privacyFloor });
  // B.8.2 the board extends the one her key file remembers.
  if (state.height < seen.size) problems.push({ kind: 'shorter-than-key', size: state.height, seen: seen.size });
  else {
    const root = rootAt(seen.size);
    if (!bytesEqual(root, seen.root)) problems.push({ kind: 'fork-since-key', size: seen.size, seenRoot: toHex(seen.root), boardRoot: toHex(root) });
  }
  // B.8.3 a checkpoint of her replay, covering the tally, signed by the manifest's log key, cosigned by k witnesses.
  const logKey = parseVerifierKey(manifest.logKey);
  // The server sends one note per witness (each with the log's line and that witness's): the notes of
  // one checkpoint (size and root) are counted together, the way the receipt check and V40 count.
  const found = new Map<string, { size: number; root: string; notes: string[] }>();
  for (const note of notes) {
    let verdict;
    try {
      verdict = verifyCheckpoint(note, logKey, manifest.origin);
    } catch (e) {
      if (e instanceof DecodeError) continue; // the server's word: malformed notes are ignored
      throw e;
    }
    if (!verdict.ok) continue;
    const { size, rootHash } = verdict.checkpoint;
    if (size <= tallyHeight || size > state.height || !bytesEqual(rootAt(size), rootHash)) continue;
    const id = `${size}:${toHex(rootHash)}`;
    const entry = found.get(id) ?? { size, root: toHex(rootHash), notes: [] };
    entry.notes.push(note);
    found.set(id, entry);
  }
  let best: GateCheckpoint | null = null;
  for (const c of found.values()) {
    const { counted: cosigned } = countWitnesses(c.notes, manifest.witnesses.keys, manifest.witnesses.k);
    if (best === null || cosigned.length > best.cosigned.length || (cosigned.length === best.cosigned.length && c.size > best.size)) best = { size: c.size, root: c.root, cosigned };
  }
  if (best === null) problems.push({ kind: 'no-signed-checkpoint', tallyHeight });
  else if (best.cosigned.length < manifest.witnesses.k) problems.push({ kind: 'too-few-witnesses', size: best.size, cosigned: best.cosigned, k: manifest.witnesses.k });
  if (problems.length > 0 || best === null) return { ok: false, problems, checkpoint: best };
  return { ok: true, checkpoint: best, compareAloud: manifest.witnesses.k === 0 };
}
