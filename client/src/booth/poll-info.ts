/**
 * What the booth and the receipt check need of a poll, read from GET /api/polls/:poll: its questions
 * from the manifest itself (the bytes of board entry 0, not the server's JSON view of them), the
 * election key and fingerprint, and the log key that signs its checkpoints and receipts, taken from the
 * manifest (never from the server's word, §B.1.4). Spec §B.1.4.
 */
import { fromHex, toHex, decodePoint, type AnswerShape, type BallotShape, type Point } from '../../../crypto/index.ts';
import { decodeManifest, manifestShapes, parseVerifierKey, type Manifest, type VerifierKey } from '../../../bulletin-board/index.ts';
import { fromBase64, get } from '../lib/api.ts';

export interface PollInfo {
  readonly id: string;
  readonly status: string;
  readonly manifest: Manifest;
  /** the manifest's payload bytes, as entry 0 of the board must hold them */
  readonly manifestBytes: Uint8Array;
  readonly shapes: readonly AnswerShape[];
  readonly ballotShape: BallotShape;
  /** the election's joint key and fingerprint, hex; null until the trustees have made the key */
  readonly election: { readonly jointKey: string; readonly fingerprint: string } | null;
  readonly logKey: VerifierKey;
  readonly turnout: { readonly ballots: number; readonly voters: number; readonly audits: number; readonly listed: number };
}

/** Reads a published poll. Throws ApiError (NOT_FOUND for an unknown poll or a draft), or Error when the manifest is not this poll's. */
export async function loadPoll(poll: string, signal?: AbortSignal): Promise<PollInfo> {
  const detail = await get(`/api/polls/${poll}`, { signal });
  if (detail.manifest === null) throw new Error('the poll is not published yet');
  const manifestBytes = fromBase64(detail.manifest);
  const manifest = decodeManifest(manifestBytes);
  // The manifest names its poll: a server handing out another poll's questions is caught here.
  if (toHex(manifest.pollId) !== poll) throw new Error('the manifest is for another poll');
  return {
    id: poll,
    status: detail.status,
    manifest,
    manifestBytes,
    shapes: manifestShapes(manifest),
    ballotShape: { questions: manifest.questions.map((q) => q.question) },
    election: detail.election === null ? null : { jointKey: detail.election.jointKey, fingerprint: detail.election.fingerprint },
    // B.1.4: the log key is the manifest's (anchored by the poll fingerprint), never the server's word beside it.
    logKey: parseVerifierKey(manifest.logKey),
    turnout: detail.turnout,
  };
}

/** The poll's joint election key as a point. */
export function jointKeyOf(info: PollInfo): Point {
  if (info.election === null) throw new Error('the poll has no election key yet');
  return decodePoint(fromHex(info.election.jointKey, 'jointKey'), 'jointKey');
}
