/**
 * A witness of gongshi boards (spec §B.3.9–B.3.10): it follows a poll's signed checkpoints, cosigns
 * each one only once it has verified that it extends the last one it saw, and keeps the evidence when
 * the board equivocates, after which it never cosigns that poll again. The log key is trusted on first
 * use: pinned at first contact, and any other key later is an alarm. Before its first cosignature of a
 * poll it reads the manifest (entry 0, included in the checkpoint): a poll whose manifest does not name
 * this witness, or names another log key, is never cosigned (spec §B.1.4).
 */
import {
  MerkleInputError,
  compareCheckpoints,
  cosignCheckpoint,
  decodeEntry,
  decodeManifest,
  encodeVerifierKey,
  formatPollFingerprint,
  hashEntry,
  hashLeaf,
  merkleConsistency,
  pollFingerprint,
  verifyInclusion,
  parseVerifierKey,
  verifierKeyOf,
  verifyCheckpoint,
  type SignerKey,
  type VerifiedCheckpoint,
  type VerifierKey,
} from '../../bulletin-board/index.ts';
import { DecodeError, toHex } from '../../crypto/index.ts';
import { fetchConsistencyPath, fetchLatestCheckpoint, fetchManifestEntry, postCosignature } from './board-client.ts';
import { BoardError } from './errors.ts';
import type { EquivocationKind, EquivocationRecord } from './evidence.ts';
import { pollLogKey, pollStateFile, readPollState, writePollState, type PollState } from './poll-state.ts';
import type { PollUrl } from './poll-url.ts';
import { loadWitnessKey } from './witness-key.ts';

export interface WitnessOptions {
  /** the key's name when the state folder has no key yet; if it has one, its name (default: witness-<host>) */
  readonly name?: string;
  /** milliseconds since the epoch (default Date.now): the cosignatures' timestamps, the evidence's date */
  readonly clock?: () => number;
}

/** What one look at a poll's board found. Roots are hex. */
export type FollowOutcome =
  | { readonly kind: 'empty' }
  | { readonly kind: 'unchanged'; readonly size: number; readonly root: string }
  | { readonly kind: 'cosigned'; readonly size: number; readonly root: string; readonly timestamp: number }
  | { readonly kind: 'equivocation'; readonly record: EquivocationRecord; readonly known: boolean; readonly stateFile: string }
  | { readonly kind: 'key-changed'; readonly pinned: string; readonly received: string }
  /** B.1.4 the poll's manifest does not name this witness (or names another log key): it is not this witness's to cosign */
  | { readonly kind: 'not-listed'; readonly fingerprint: string; readonly reason: string };

/** B.3.10 as the witness needs it: a rollback is a conflict too, and the proof is kept as the board sent it. */
type Comparison = { readonly verdict: 'consistent' } | { readonly verdict: 'equivocation'; readonly kind: EquivocationKind; readonly path: readonly string[] };

/** The board's log key under trust on first use: the pinned one, or the one it states at first contact. */
function logKeyOf(state: PollState | null, stated: string, poll: string): VerifierKey {
  try {
    return pollLogKey(state?.logKey ?? stated, poll);
  } catch (e) {
    if (e instanceof DecodeError) throw new BoardError(`the board's log key is unusable: ${e.message}`);
    throw e;
  }
}

function sameKey(a: string, b: string): boolean {
  try {
    return encodeVerifierKey(parseVerifierKey(a)) === encodeVerifierKey(parseVerifierKey(b));
  } catch (e) {
    if (e instanceof DecodeError) return false;
    throw e;
  }
}

/** B.3.8 the board's latest checkpoint checked with the log key. Throws BoardError. */
function verifyLatest(note: string, key: VerifierKey): VerifiedCheckpoint {
  let v: ReturnType<typeof verifyCheckpoint>;
  try {
    v = verifyCheckpoint(note, key);
  } catch (e) {
    if (e instanceof DecodeError) throw new BoardError(`the board's checkpoint is malformed: ${e.message}`);
    throw e;
  }
  if (!v.ok) throw new BoardError(`the board's checkpoint does not verify with the log key (${v.reason})`);
  return v;
}

/** A hash list the board sent as a proof; null if some entry is not lower-case hex of whole bytes, which no valid proof has. */
function decodeProof(path: readonly string[]): Uint8Array[] | null {
  if (!path.every((h) => /^(?:[0-9a-f]{2})*$/.test(h))) return null;
  return path.map((h) => new Uint8Array(Buffer.from(h, 'hex')));
}

export class Witness {
  private constructor(
    readonly stateDir: string,
    readonly key: SignerKey,
    private readonly clock: () => number,
  ) {}

  /** The witness over a state folder: its key is loaded, or drawn and saved on first use. Throws WitnessStateError, DecodeError('name'). */
  static open(stateDir: string, options: WitnessOptions = {}): Witness {
    return new Witness(stateDir, loadWitnessKey(stateDir, options.name), options.clock ?? Date.now);
  }

  /** The witness's public key (vkey string): what a board publishes beside its cosignatures. */
  get vkey(): string {
    return encodeVerifierKey(verifierKeyOf(this.key));
  }

  /** What the witness has saved of a poll, or null. Throws WitnessStateError. */
  pollState(poll: string): PollState | null {
    return readPollState(this.stateDir, poll);
  }

  /**
   * B.3.10 Looks at the poll's board once: verifies its latest checkpoint with the pinned log key, checks
   * it extends the saved one (same root at the same size; else a consistency proof from the board), and
   * then cosigns it and posts the cosignature. A conflict is saved as evidence and returned; from then
   * on every call returns it without asking the board. Throws BoardError (try again later) and
   * WitnessStateError.
   */
  async followOnce(url: PollUrl): Promise<FollowOutcome> {
    const state = readPollState(this.stateDir, url.poll);
    if (state?.equivocation) return { kind: 'equivocation', record: state.equivocation, known: true, stateFile: pollStateFile(this.stateDir, url.poll) };
    const latest = await fetchLatestCheckpoint(url.api);
    if (state !== null && !sameKey(latest.logKey, state.logKey)) return { kind: 'key-changed', pinned: state.logKey, received: latest.logKey };
    const logKey = logKeyOf(state, latest.logKey, url.poll);
    const pinned: PollState = state ?? { poll: url.poll, logKey: encodeVerifierKey(logKey), checkpoint: null, posted: 0, equivocation: null };
    if (latest.checkpoint === null) {
      if (pinned.checkpoint !== null) throw new BoardError('the board shows no checkpoint, after showing a signed one before');
      if (state === null) writePollState(this.stateDir, pinned);
      return { kind: 'empty' };
    }
    const received = verifyLatest(latest.checkpoint, logKey);
    if (pinned.checkpoint !== null) {
      const saved = verifyCheckpoint(pinned.checkpoint, logKey);
      if (!saved.ok) throw new Error('bug: a saved checkpoint no longer verifies');
      const comparison = await this.compare(url, saved, received);
      if (comparison.verdict === 'equivocation') return this.recordEquivocation(pinned, saved, received, comparison);
    }
    const size = received.checkpoint.size;
    const root = toHex(received.checkpoint.rootHash);
    if (pinned.checkpoint !== null && size === pinned.posted) return { kind: 'unchanged', size, root };
    // B.1.4 before its first cosignature of a poll, the witness reads the manifest the checkpoint commits
    // to: it must name this witness and the log key. Entry 0 never changes on a consistent log, so once is enough.
    if (pinned.checkpoint === null) {
      const refusal = await this.checkManifest(url, received, logKey);
      if (refusal !== null) return refusal;
    }
    // Saved before posting: what the witness verified stays verified even if the post fails (retried next time).
    const verified: PollState = { ...pinned, checkpoint: received.signedNote };
    writePollState(this.stateDir, verified);
    const timestamp = Math.floor(this.clock() / 1000);
    await postCosignature(url.api, this.vkey, this.cosign(received.signedNote, timestamp));
    writePollState(this.stateDir, { ...verified, posted: size });
    return { kind: 'cosigned', size, root, timestamp };
  }

  /** B.1.4 the manifest at height 0 of the checkpoint's tree names this witness and the log key; else why not. */
  private async checkManifest(url: PollUrl, received: VerifiedCheckpoint, logKey: VerifierKey): Promise<FollowOutcome | null> {
    const { bytes, path } = await fetchManifestEntry(url.api, received.checkpoint.size);
    let manifest;
    try {
      if (!verifyInclusion(hashLeaf(hashEntry(bytes)), { index: 0, size: received.checkpoint.size, path }, received.checkpoint.rootHash))
        throw new BoardError('the board’s manifest entry is not in its own signed checkpoint');
      const entry = decodeEntry(bytes);
      if (entry.type !== 'manifest') throw new BoardError('the board’s first entry is not a manifest');
      manifest = decodeManifest(entry.payload);
      const fingerprint = formatPollFingerprint(pollFingerprint(entry.payload));
      if (!sameKey(manifest.logKey, encodeVerifierKey(logKey))) return { kind: 'not-listed', fingerprint, reason: 'the manifest names another log key than the one that signs this board' };
      if (!manifest.witnesses.keys.some((k) => sameKey(k, this.vkey))) return { kind: 'not-listed', fingerprint, reason: 'the manifest does not name this witness’s key' };
    } catch (e) {
      if (e instanceof DecodeError || e instanceof MerkleInputError) throw new BoardError(`the board’s manifest entry is unreadable: ${e.message}`);
      throw e;
    }
    return null;
  }

  /** B.3.9 adds this witness's cosignature. Throws BoardError if the note already carries a signature by its key. */
  private cosign(note: string, timestamp: number): string {
    try {
      return cosignCheckpoint(note, this.key, timestamp);
    } catch (e) {
      if (e instanceof DecodeError) throw new BoardError(`cannot cosign the board's checkpoint: ${e.message}`);
      throw e;
    }
  }

  /** B.3.10 the saved checkpoint against the board's latest, with the proof the board gave (hex, as sent). */
  private async compare(url: PollUrl, saved: VerifiedCheckpoint, received: VerifiedCheckpoint): Promise<Comparison> {
    const [from, to] = [saved.checkpoint.size, received.checkpoint.size];
    if (to < from) return { verdict: 'equivocation', kind: 'rollback', path: [] };
    if (to === from) {
      const c = compareCheckpoints(saved, received);
      return c.verdict === 'consistent' ? c : { verdict: 'equivocation', kind: c.kind, path: [] };
    }
    // The empty tree is a prefix of every tree (B.2.7 step 3): no proof to ask for.
    const path = from === 0 ? [] : await fetchConsistencyPath(url.api, from, to);
    const proof = decodeProof(path);
    const c = proof === null ? null : compareCheckpoints(saved, received, merkleConsistency, proof);
    return c?.verdict === 'consistent' ? c : { verdict: 'equivocation', kind: 'no-valid-consistency-proof', path };
  }

  private recordEquivocation(state: PollState, saved: VerifiedCheckpoint, received: VerifiedCheckpoint, found: { readonly kind: EquivocationKind; readonly path: readonly string[] }): FollowOutcome {
    const record: EquivocationRecord = {
      kind: found.kind,
      detectedAt: new Date(this.clock()).toISOString(),
      saved: saved.signedNote,
      received: received.signedNote,
      proof: found.path,
    };
    writePollState(this.stateDir, { ...state, equivocation: record });
    return { kind: 'equivocation', record, known: false, stateFile: pollStateFile(this.stateDir, state.poll) };
  }
}
