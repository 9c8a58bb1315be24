/**
 * The trustee's key file in her browser: made before she signs in step 6, with the board her device
 * replayed (spec §T.9.3), opened to check it against the board (§T.9.5) and to decrypt the tally
 * (§T.8.1, §B.4.7) once the gate of §B.8 item 4 lets her. Runs in the worker: scrypt at the default
 * cost (2^17, 128 MiB) takes seconds.
 */
import { KeyFileError, bytesEqual, checkKey, createDecryptionShares, createKeyFile, openKeyFile, readKeyFileHeader, type TrusteeKey } from '../../../crypto/index.ts';
import type { BoardState } from '../../../bulletin-board/index.ts';
import { checkDecryptionGate, compareFingerprint, type GateCheckpoint } from '../../../verifier/index.ts';
import { heldForRun, outcomeToSign } from './ceremony-turn.ts';
import type { Replay } from './replay.ts';
import type { RunSecrets } from './saved-secrets.ts';
import type { DecryptOutcome, KeyCheck } from './worker-protocol.ts';

type Progress = (fraction: number) => void;

/**
 * T.9.1 her key file, from the secrets this tab holds, the outcome she is about to sign and `seen`, the
 * size and Merkle root of the board her worker replayed (T.9.3: computed on her device, never taken
 * from the server).
 */
export async function makeKeyFile(state: BoardState, held: RunSecrets | null, seen: TrusteeKey['seen'], passphrase: string, onProgress: Progress): Promise<Uint8Array> {
  const c = state.ceremony;
  if (c === null || state.phase !== 'ceremony' || c.step !== 6) throw new Error('step 6 of the ceremony is not open');
  const mine = held && heldForRun(c, held, held.secrets.index);
  if (!mine || mine.keyShare === undefined) throw new Error('this tab does not hold your key share');
  const outcome = await outcomeToSign(c);
  if (!outcome.ok || outcome.jointKey === null) throw new Error(`the ceremony failed: ${outcome.failure}`);
  const key: TrusteeKey = {
    params: c.params,
    index: mine.secrets.index,
    signing: mine.secrets.signing,
    encryption: mine.secrets.encryption,
    keyShare: mine.keyShare,
    jointKey: outcome.jointKey,
    transcript: outcome.transcript,
    seen,
  };
  return createKeyFile(key, passphrase, { onProgress });
}

/**
 * T.9.4–T.9.5 opens the file (for this board's last ceremony run only) and lists every way it
 * differs from the record. The key comes back only when it opened.
 */
export async function openAndCheck(state: BoardState, file: Uint8Array, passphrase: string, index: number, onProgress: Progress): Promise<{ check: KeyCheck; key: TrusteeKey | null }> {
  const c = state.ceremony;
  if (c === null) return { check: { ok: false, code: 'NO_CEREMONY' }, key: null };
  let key: TrusteeKey;
  try {
    // T.9.4 steps 1–4: the clear part names the trustee. Another trustee's file of this ceremony is
    // said to be hers before any passphrase is tried: her passphrase would not open it, and "wrong
    // passphrase" would read as "your key is lost". (The clear part is checked only when the file
    // opens; a file altered to name her still has to open with her passphrase and match the board.)
    const header = readKeyFileHeader(file);
    if (bytesEqual(header.params.election, c.params.election) && header.index !== index) return { check: { ok: false, code: 'OTHER_TRUSTEE', index: header.index }, key: null };
    key = await openKeyFile(file, passphrase, { expectedElection: c.params.election, onProgress });
  } catch (e) {
    if (e instanceof KeyFileError) return { check: { ok: false, code: e.code }, key: null };
    throw e;
  }
  return { check: await checkOpened(state, key, index), key };
}

/** T.9.5 an opened key against the board's last ceremony run (which exists: the key opened for its election). */
async function checkOpened(state: BoardState, key: TrusteeKey, index: number): Promise<KeyCheck> {
  const c = state.ceremony!;
  const outcome = c.outcome ?? (await outcomeToSign(c));
  const problems = checkKey(key, { outcome, identity: outcome.accepted.identities.get(key.index) });
  if (key.index !== index) problems.unshift(`this is the key file of trustee ${key.index}`);
  return { ok: true, index: key.index, problems };
}

/** What decideDecryption needs besides the key: her index, the server's checkpoint notes, what she holds and compared. */
export interface DecryptAsk {
  readonly index: number;
  /** signed checkpoint notes as the server sent them (not trusted: the gate checks each) */
  readonly notes: readonly string[];
  /** the poll fingerprint she typed ('' for none) */
  readonly held: string;
  /** k = 0: the checkpoint she has compared aloud with the other trustees, null before */
  readonly compared: GateCheckpoint | null;
}

/**
 * Whether her browser decrypts, in this order: the poll fingerprint she holds (B.1.5.1), her key file
 * (T.9.4–T.9.5), the gate of B.8 item 4 (floor, the board her key remembers, a checkpoint signed by the
 * log key and cosigned by k witnesses), and with k = 0 her word that the trustees compared that very
 * checkpoint aloud. Only then are her decryption shares made (T.8.1). `key` is the file and passphrase,
 * or the key opened by an earlier call that asked her to compare (null if there is none: an error).
 * A 'compare' outcome carries the opened key for the worker to keep; nothing else does.
 */
export async function decideDecryption(
  replay: Replay,
  key: TrusteeKey | { readonly file: Uint8Array; readonly passphrase: string } | null,
  ask: DecryptAsk,
  onProgress: Progress,
): Promise<Exclude<DecryptOutcome, { kind: 'compare' }> | { kind: 'compare'; checkpoint: GateCheckpoint; key: TrusteeKey }> {
  const { state } = replay;
  if (replay.manifestBytes === null) throw new Error('the board has no manifest');
  if (ask.held.trim() !== '') {
    const comparison = compareFingerprint(ask.held, replay.manifestBytes);
    if (!comparison.ok) return { kind: 'wrong-poll', comparison };
  }
  if (key === null) throw new Error('please choose your key file and type your passphrase again');
  let opened: TrusteeKey;
  if ('file' in key) {
    const { check, key: k } = await openAndCheck(state, key.file, key.passphrase, ask.index, onProgress);
    if (!check.ok || check.problems.length > 0 || k === null) return { kind: 'key', check };
    opened = k;
  } else {
    const check = await checkOpened(state, key, ask.index);
    if (!check.ok || check.problems.length > 0) return { kind: 'key', check };
    opened = key;
  }
  const gate = checkDecryptionGate({ state, tallyHeight: replay.tallyHeight ?? state.height, rootAt: (size) => replay.rootAt(size), seen: opened.seen, notes: ask.notes });
  if (!gate.ok) return { kind: 'refused', problems: gate.problems, checkpoint: gate.checkpoint };
  const same = ask.compared !== null && ask.compared.size === gate.checkpoint.size && ask.compared.root === gate.checkpoint.root;
  if (gate.compareAloud && !same) return { kind: 'compare', checkpoint: gate.checkpoint, key: opened };
  return { kind: 'decrypted', message: decryptTally(state, opened), checkpoint: gate.checkpoint };
}

/** T.8.1 her decryption shares of the tally her own browser recomputed from the board (§B.4.7). */
function decryptTally(state: BoardState, key: TrusteeKey): Uint8Array {
  if (state.tally === null || state.election === null) throw new Error('there is no tally on the board');
  return createDecryptionShares({ fingerprint: state.election.fingerprint, index: key.index, keyShare: key.keyShare, signing: key.signing, ciphertexts: state.tally.ciphertexts }).bytes;
}
