/**
 * credentialHistory (spec §B.1.6.1, §B.4.6, §Q.6): on a demo board, a voter's credential is found in the
 * registrar's list with its weight, with every ballot and audit cast under it, in board order; a
 * credential no list names, and one that never voted, are reported as such.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { ballotTracker, encodePoint, seededRandom, deriveCredential, generateCredentialCode, toHex } from '../../crypto/index.ts';
import { decodeEntry } from '../../bulletin-board/index.ts';
import { credentialHistory } from '../../verifier/index.ts';
import { runDemoPoll, type DemoPoll } from '../../server/demo/demo-poll.ts';

let poll: DemoPoll;
let entries: Uint8Array[];
const enc = (i: number) => encodePoint(poll.voters[i].publicKey);

beforeAll(async () => {
  poll = await runDemoPoll({ voters: 12, trustees: 2, threshold: 1, seed: 'credential history' });
  entries = [...poll.board.entries()].map((e) => e.bytes);
}, 120_000);

/** The heights of the entries of a type whose payload holds voter i’s credential: an independent, cruder search. */
function castBy(i: number, type: 'ballot' | 'audit'): number[] {
  const mine = toHex(enc(i));
  return [...poll.board.entries()]
    .filter((e) => decodeEntry(e.bytes).type === type && poll.board.state.trackers.has(e.tracker!))
    .filter((e) => toHex(decodeEntry(e.bytes).payload).includes(mine))
    .map((e) => e.height);
}

describe('credentialHistory', () => {
  it('finds a voter’s listing, weight and ballot', () => {
    const h = credentialHistory(entries, enc(0));
    expect(h.listed).toBe(true);
    expect(h.weight).toBe(1);
    expect(h.entry).toBe(1);
    expect(h.ballots.map((b) => b.height)).toEqual(castBy(0, 'ballot'));
    expect(h.ballots).toHaveLength(1);
    expect(h.audits).toEqual([]);
    const [b] = h.ballots;
    const entry = decodeEntry(entries[b.height]);
    expect(b.time).toBe(entry.time);
    expect(toHex(b.tracker)).toBe(toHex(ballotTracker(entry.payload)));
  });

  it('lists both ballots of a voter who voted again, the counted one last', () => {
    const h = credentialHistory(entries, enc(5)); // the demo's every tenth voter, from the sixth, votes twice
    expect(h.ballots).toHaveLength(2);
    expect(h.ballots[0].height).toBeLessThan(h.ballots[1].height);
    expect(h.ballots.map((b) => b.height)).toEqual(castBy(5, 'ballot'));
  });

  it('lists an audit apart from the ballots, with the tracker of the audited ballot', () => {
    const h = credentialHistory(entries, enc(3)); // the demo's voter 3 audits, then votes
    expect(h.audits).toHaveLength(1);
    expect(h.ballots).toHaveLength(1);
    expect(h.audits.map((a) => a.height)).toEqual(castBy(3, 'audit'));
    expect(poll.board.state.trackers.has(h.audits[0].tracker)).toBe(true);
  });

  it('says a credential no list names is not listed, and that nothing was cast with it', () => {
    const stranger = deriveCredential(generateCredentialCode(seededRandom('not on the list')), poll.manifest.pollId);
    expect(credentialHistory(entries, encodePoint(stranger.publicKey))).toEqual({ listed: false, weight: null, entry: null, revoked: null, ballots: [], audits: [] });
  });

  it('reads only the entries it is given: before the poll opened, nothing was cast', () => {
    const opened = entries.findIndex((b) => decodeEntry(b).type === 'open');
    const h = credentialHistory(entries.slice(0, opened + 1), enc(5));
    expect(h.listed).toBe(true);
    expect(h.ballots).toEqual([]);
  });
});
