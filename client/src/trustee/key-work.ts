/**
 * The trustee's key file in her browser: made before she signs in step 6, opened to check it against
 * the board (spec §T.9.5) and to decrypt the tally (§T.8.1, §B.4.7). Runs in the worker: scrypt at
 * the default cost (2^17, 128 MiB) takes seconds.
 */
import { KeyFileError, checkKey, createDecryptionShares, createKeyFile, openKeyFile, type TrusteeKey } from '../../../crypto/index.ts';
import type { BoardState } from '../../../bulletin-board/index.ts';
import { heldForRun, outcomeToSign } from './ceremony-turn.ts';
import type { RunSecrets } from './saved-secrets.ts';
import type { KeyCheck } from './worker-protocol.ts';

type Progress = (fraction: number) => void;

/** T.9.1 her key file, from the secrets this tab holds and the outcome she is about to sign. */
export async function makeKeyFile(state: BoardState, held: RunSecrets | null, passphrase: string, onProgress: Progress): Promise<Uint8Array> {
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
  };
  return createKeyFile(key, passphrase, { onProgress });
}

/**
 * T.9.4–T.9.5 opens the file (for this board's last ceremony run only) and lists every way it
 * differs from the record; a file of another trustee is a problem too. The key comes back only
 * when it opened.
 */
export async function openAndCheck(state: BoardState, file: Uint8Array, passphrase: string, index: number, onProgress: Progress): Promise<{ check: KeyCheck; key: TrusteeKey | null }> {
  const c = state.ceremony;
  if (c === null) return { check: { ok: false, code: 'NO_CEREMONY' }, key: null };
  let key: TrusteeKey;
  try {
    key = await openKeyFile(file, passphrase, { expectedElection: c.params.election, onProgress });
  } catch (e) {
    if (e instanceof KeyFileError) return { check: { ok: false, code: e.code }, key: null };
    throw e;
  }
  const outcome = c.outcome ?? (await outcomeToSign(c));
  const problems = checkKey(key, { outcome, identity: outcome.accepted.identities.get(key.index) });
  if (key.index !== index) problems.unshift(`this is the key file of trustee ${key.index}`);
  return { check: { ok: true, index: key.index, problems }, key };
}

/** T.8.1 her decryption shares of the tally her own browser recomputed from the board (§B.4.7). */
export function decryptTally(state: BoardState, key: TrusteeKey): Uint8Array {
  if (state.tally === null || state.election === null) throw new Error('there is no tally on the board');
  return createDecryptionShares({ fingerprint: state.election.fingerprint, index: key.index, keyShare: key.keyShare, signing: key.signing, ciphertexts: state.tally.ciphertexts }).bytes;
}
