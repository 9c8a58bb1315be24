/**
 * The board's latest signed checkpoint and its witnesses' cosignatures (GET /api/polls/:poll/checkpoint),
 * each signature checked here against the poll's log key and the witness's own key. Spec §B.3.8, §B.3.9.
 */
import { DecodeError, toHex } from '../../../crypto/index.ts';
import { parseVerifierKey, verifyCheckpoint, verifyCosignature } from '../../../bulletin-board/index.ts';
import { get } from '../lib/api.ts';

export interface WitnessView {
  /** the witness's key name (e.g. witness-alice.example) */
  readonly name: string;
  readonly size: number;
  /** ms since 1970 of the cosignature, when it verified */
  readonly time: number | null;
  /** both the log's signature and the witness's verify on the cosigned note */
  readonly valid: boolean;
}

export interface CheckpointView {
  readonly size: number;
  /** the Merkle root the log signed, hex; null when the note does not verify */
  readonly root: string | null;
  /** the log's signature verifies with the poll's log key and names the poll's origin */
  readonly valid: boolean;
  readonly note: string;
  readonly witnesses: readonly WitnessView[];
}

interface CheckpointAnswer {
  readonly size: number;
  readonly checkpoint: string;
  readonly logKey: string;
  readonly cosignatures: readonly { readonly witness: string; readonly size: number; readonly cosigned: string }[];
}

/** Reads and checks the latest checkpoint with `logKey` (the key the poll detail gave). Throws ApiError. */
export async function loadCheckpoint(poll: string, logKey: string): Promise<CheckpointView> {
  const answer = await get<CheckpointAnswer>(`/api/polls/${poll}/checkpoint`);
  const key = parseVerifierKey(logKey);
  const verdict = guarded(() => verifyCheckpoint(answer.checkpoint, key));
  const witnesses = answer.cosignatures.map((c): WitnessView => {
    const witnessKey = guarded(() => parseVerifierKey(c.witness));
    const name = witnessKey?.name ?? c.witness.split('+')[0];
    const logSigned = guarded(() => verifyCheckpoint(c.cosigned, key));
    const cosigned = witnessKey === null ? null : guarded(() => verifyCosignature(c.cosigned, witnessKey));
    const valid = logSigned?.ok === true && cosigned?.ok === true;
    return { name, size: c.size, time: cosigned?.ok ? cosigned.timestamp * 1000 : null, valid };
  });
  return {
    size: answer.size,
    root: verdict?.ok ? toHex(verdict.checkpoint.rootHash) : null,
    valid: verdict?.ok === true && answer.logKey === logKey,
    note: answer.checkpoint,
    witnesses,
  };
}

/** The value, or null when the input does not even decode. */
function guarded<T>(f: () => T): T | null {
  try {
    return f();
  } catch (e) {
    if (e instanceof DecodeError) return null;
    throw e;
  }
}
