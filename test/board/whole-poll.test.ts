/**
 * A whole poll built entry by entry through the rules (manifest, 2-of-3 ceremony, 50 ballots with
 * revotes and audits, tally, shares, result), exported, imported, and replayed to the same result.
 * Spec §B.4–§B.6.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Board, applyEntry, createState, parseRecord } from '../../bulletin-board/index.ts';
import { SqliteStorage } from '../../bulletin-board/store/index.ts';
import { audit, cast, count, listVoters, plainTotals, randomAnswers, runCeremony, startPoll } from './poll-support.ts';

function concat(chunks: Iterable<Uint8Array>): Uint8Array {
  const list = [...chunks];
  const out = new Uint8Array(list.reduce((s, c) => s + c.length, 0));
  let at = 0;
  for (const c of list) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

const dir = mkdtempSync(join(tmpdir(), 'gongshi-whole-poll-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('a whole poll on the board', () => {
  it('runs on a SQLite board, exports, imports into another and replays to the same result', async () => {
    const poll = await startPoll({ seed: 'whole poll', storage: new SqliteStorage(join(dir, 'poll.sqlite')) });
    await listVoters(poll, 40, (i) => (i % 10 === 0 ? 3 : 1));
    await runCeremony(poll);
    await must(poll);
    const { board } = poll;
    let ballots = 0;
    for (let i = 0; i < 40; i++) {
      if (i % 7 === 0) await audit(poll, i, randomAnswers(poll.rng));
      await cast(poll, i, randomAnswers(poll.rng));
      ballots += 1;
      if (i % 4 === 0 && ballots < 50) {
        await cast(poll, i, randomAnswers(poll.rng)); // a revote: only the last counts
        ballots += 1;
      }
    }
    expect(ballots).toBe(50);
    expect(board.state.ballots).toBe(50);
    expect(board.state.audits).toBe(6);
    const totals = await count(poll, [1, 3]);
    expect(board.state.phase).toBe('done');
    expect(board.state.result).toEqual(totals);
    expect(totals).toEqual(plainTotals(poll));

    const record = concat(board.exportRecord());
    const parsed = parseRecord(record);
    expect(parsed.entries.length).toBe(board.size);

    const imported = await Board.importRecord([record.subarray(0, 1000), record.subarray(1000)], { storage: new SqliteStorage(join(dir, 'imported.sqlite')) });
    expect(imported.state.result).toEqual(totals);
    expect(imported.size).toBe(board.size);
    expect(imported.latestCheckpoint()).toBe(board.latestCheckpoint());
    imported.close();
    const reopened = await Board.open({ storage: new SqliteStorage(join(dir, 'imported.sqlite')), logVerifierKey: imported.logVerifierKey! });
    expect(reopened.state.result).toEqual(totals);
    reopened.close();

    const replayed = createState();
    for (const bytes of parsed.entries) {
      const v = await applyEntry(replayed, bytes);
      expect(v.ok).toBe(true);
    }
    expect(replayed.result).toEqual(totals);
    expect(replayed.head).toEqual(board.state.head);
    board.close();
  });
});

async function must(poll: Awaited<ReturnType<typeof startPoll>>): Promise<void> {
  const r = await poll.board.submit('open', new Uint8Array(0));
  if (!r.ok) throw new Error(`open refused: ${r.code} ${r.reason}`);
}
