/**
 * The organiser's check of a published poll (spec §B.1.5.1): her browser reads entry 0 of the board,
 * computes the poll fingerprint itself, and checks that the manifest names the keys she holds from
 * outside the board: the log key the server gave when the poll was created, the witness keys she
 * typed, and her own registrar key when she makes the codes. A difference is an alarm: the server
 * published another poll than hers, and nothing (notice, sheets, upload) is to be made from it.
 */
import type { KeyDifference } from '../../../verifier/index.ts';
import { boardManifest, keyDifferences, type BoardManifest } from '../registrar/board-manifest.ts';
import { keptRegistrarKey } from '../registrar/registrar-key.ts';
import { anchorsOf } from './anchors.ts';

export interface CheckedPoll {
  readonly board: BoardManifest;
  readonly differences: KeyDifference[];
  /** which keys this device held and compared */
  readonly compared: { readonly logKey: boolean; readonly witnessKeys: boolean; readonly registrarKey: boolean };
}

/** Reads and checks `poll`'s manifest. Throws what boardManifest throws. */
export async function checkPublishedPoll(poll: string): Promise<CheckedPoll> {
  const board = await boardManifest(poll);
  const anchors = anchorsOf(poll);
  const mine = keptRegistrarKey(poll);
  const differences = keyDifferences(board, { logKey: anchors?.logKey, witnessKeys: anchors?.witnessKeys, registrarKey: mine?.key });
  return { board, differences, compared: { logKey: anchors !== null, witnessKeys: anchors !== null, registrarKey: mine !== null } };
}
