/**
 * The election key the booth encrypts under, and the questions it shows, read from the board itself
 * rather than from the server's JSON: the booth replays the board's entries up to the key entry
 * through the election rules (every trustee message's signature and proof is checked, and the key
 * entry must be what the ceremony produced), then compares. Caught before anything is sealed: a
 * server that hands this voter another key (one it could decrypt alone), other questions or option
 * labels than the board's manifest, or another poll's board. Spec §B.1.4, §B.4.5, §T.
 */
import { bytesEqual, encodePoint, toHex } from '../../../crypto/index.ts';
import { applyEntry, createState, hashManifest } from '../../../bulletin-board/index.ts';
import { fromBase64, get } from '../lib/api.ts';

/** The board does not back the key the server reports; `reason` says how, for the record. */
export class KeyNotOnBoard extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'KeyNotOnBoard';
  }
}

const PAGE = 100;

/** What the server claims: the manifest the booth shows, and the election key and fingerprint it seals under. */
export interface ClaimedElection {
  readonly manifestBytes: Uint8Array;
  readonly jointKey: string;
  readonly fingerprint: string;
}

/** Replays the board until its key entry; resolves if it holds `claimed` for poll `poll`, throws KeyNotOnBoard otherwise. */
export async function checkElectionOnBoard(poll: string, claimed: ClaimedElection): Promise<void> {
  const state = createState();
  for (let from = 0; state.election === null; ) {
    const page = await get<{ entries: { height: number; bytes: string }[] }>(`/api/polls/${poll}/entries?from=${from}&limit=${PAGE}`);
    if (page.entries.length === 0) throw new KeyNotOnBoard('the board has no key entry');
    for (const e of page.entries) {
      const verdict = await applyEntry(state, fromBase64(e.bytes));
      if (!verdict.ok) throw new KeyNotOnBoard(`entry ${e.height} breaks the rules: ${verdict.code}`);
      if (state.election !== null) break;
    }
    from += page.entries.length;
  }
  if (state.manifest === null || toHex(state.manifest.pollId) !== poll) throw new KeyNotOnBoard('the board is not this poll’s board');
  if (!bytesEqual(state.manifestHash!, hashManifest(claimed.manifestBytes))) throw new KeyNotOnBoard('the questions shown are not the manifest on the board');
  const onBoard = { jointKey: toHex(encodePoint(state.election.jointKey)), fingerprint: toHex(state.election.fingerprint) };
  if (onBoard.jointKey !== claimed.jointKey || onBoard.fingerprint !== claimed.fingerprint) throw new KeyNotOnBoard('the key the server reports is not the key on the board');
}
