/**
 * replaySignedBoard (spec §B.2, §B.3.8, §B.4): a demo board with its latest checkpoint replays; a board
 * with an entry changed, dropped or added, or a checkpoint signed by another key, does not.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { signCheckpoint, signerKeyFromSeed } from '../../bulletin-board/index.ts';
import { replaySignedBoard } from '../../verifier/index.ts';
import { runDemoPoll, type DemoPoll } from '../../server/demo/demo-poll.ts';

let poll: DemoPoll;
let entries: Uint8Array[];
let checkpoint: string;

beforeAll(async () => {
  poll = await runDemoPoll({ voters: 4, trustees: 2, threshold: 1, seed: 'signed board' });
  entries = [...poll.board.entries()].map((e) => e.bytes);
  checkpoint = poll.board.latestCheckpoint()!;
}, 120_000);

describe('replaySignedBoard', () => {
  it('replays the board its checkpoint signs, to the same state as the board’s', async () => {
    const r = await replaySignedBoard(entries, checkpoint);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.size).toBe(entries.length);
    expect(r.state.phase).toBe('done');
    expect(r.state.ballots).toBe(poll.ballots);
  });

  it('refuses an entry with one bit flipped', async () => {
    const bad = entries.map((b, i) => (i === 3 ? b.map((x, j) => (j === b.length - 1 ? x ^ 1 : x)) : b));
    expect(await replaySignedBoard(bad, checkpoint)).toMatchObject({ ok: false, reason: expect.stringContaining('not the ones the checkpoint') });
  });

  it('refuses a board with an entry dropped, or one entry short of the checkpoint', async () => {
    expect((await replaySignedBoard([...entries.slice(0, 5), ...entries.slice(6)], checkpoint)).ok).toBe(false);
    expect(await replaySignedBoard(entries.slice(0, -1), checkpoint)).toMatchObject({ ok: false, reason: expect.stringContaining('signs') });
  });

  it('refuses a checkpoint signed by a key the manifest does not name', async () => {
    const impostor = signerKeyFromSeed(poll.manifest.origin, new Uint8Array(32).fill(7));
    const forged = signCheckpoint({ origin: poll.manifest.origin, size: entries.length, rootHash: new Uint8Array(32), extensions: [] }, impostor);
    expect(await replaySignedBoard(entries, forged)).toMatchObject({ ok: false, reason: expect.stringContaining('not signed by the manifest') });
  });

  it('refuses a board whose first entry is not a manifest', async () => {
    expect(await replaySignedBoard(entries.slice(1), checkpoint)).toMatchObject({ ok: false, reason: 'entry 0 is not a manifest' });
  });
});
