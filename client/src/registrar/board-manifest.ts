/**
 * The manifest as the board holds it, read by this browser itself (entry 0 of GET …/entries), never
 * from the server's JSON view: its bytes, its hash (the poll fingerprint, spec §B.1.5.1) and the keys
 * it names, checked against the keys the person holds (verifier/manifest-keys.ts).
 */
import { toHex } from '../../../crypto/index.ts';
import { decodeEntry, decodeManifest, formatPollFingerprint, pollFingerprint, type Manifest } from '../../../bulletin-board/index.ts';
import { checkManifestKeys, type ExpectedKeys, type KeyDifference } from '../../../verifier/index.ts';
import { fromBase64, get } from '../lib/api.ts';

export interface BoardManifest {
  readonly bytes: Uint8Array;
  readonly manifest: Manifest;
  /** h_M, the poll fingerprint */
  readonly hash: Uint8Array;
  /** the fingerprint for people: 13 groups of four symbols */
  readonly fingerprint: string;
  /** the fingerprint as a QR code or link carries it: 52 symbols */
  readonly fingerprintSymbols: string;
}

/** The board's entry 0 is missing, not a manifest, or another poll's. */
export class NotThisPollsManifest extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'NotThisPollsManifest';
  }
}

/** Reads entry 0 of `poll`'s board. Throws ApiError (unreachable, not found) or NotThisPollsManifest. */
export async function boardManifest(poll: string): Promise<BoardManifest> {
  const page = await get<{ entries: { height: number; bytes: string }[] }>(`/api/polls/${poll}/entries?from=0&limit=1`);
  const first = page.entries[0];
  if (first === undefined || first.height !== 0) throw new NotThisPollsManifest('the board has no entry 0');
  let manifest: Manifest;
  let bytes: Uint8Array;
  try {
    const entry = decodeEntry(fromBase64(first.bytes));
    if (entry.type !== 'manifest') throw new NotThisPollsManifest('entry 0 is not a manifest');
    bytes = entry.payload;
    manifest = decodeManifest(bytes);
  } catch (e) {
    if (e instanceof NotThisPollsManifest) throw e;
    throw new NotThisPollsManifest(`entry 0 does not decode: ${(e as Error).message}`);
  }
  if (toHex(manifest.pollId) !== poll) throw new NotThisPollsManifest('entry 0 is another poll’s manifest');
  const hash = pollFingerprint(bytes);
  const fingerprint = formatPollFingerprint(hash);
  return { bytes, manifest, hash, fingerprint, fingerprintSymbols: fingerprint.replace(/ /g, '') };
}

/** The keys the manifest names otherwise than `expected` (an empty list: all as expected). */
export function keyDifferences(board: BoardManifest, expected: ExpectedKeys): KeyDifference[] {
  return checkManifestKeys(board.manifest, expected);
}
