/**
 * The board under bad submissions and its own failures (spec §B.5.3, §B.6): oversized or unknown
 * submissions are refused and write nothing; a failure while judging leaves the board refusing all
 * work until reopened, never half-written; texts that could mislead and empty records are refused.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DecodeError, seededRandom, toHex } from '../../crypto/index.ts';
import {
  Board,
  HEADER_BYTES,
  MAX_ENTRY_BYTES,
  MemoryStorage,
  RECORD_MAGIC,
  decodeManifest,
  encodeCeremony,
  encodeManifest,
  encodeRecordItem,
  encodeVerifierKey,
  signCheckpoint,
  type EntryTypeName,
} from '../../bulletin-board/index.ts';
import { SqliteStorage } from '../../bulletin-board/store/index.ts';
import { listVoters, runCeremony, sampleManifest, startPoll, steppingClock } from './poll-support.ts';

const dir = mkdtempSync(join(tmpdir(), 'gongshi-board-failures-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('bad submissions', () => {
  it('refuses a payload over the entry limit as MALFORMED and writes nothing; the next entry follows on', async () => {
    const path = join(dir, 'oversize.sqlite');
    const poll = await startPoll({ seed: 'oversize', storage: new SqliteStorage(path) });
    const { board } = poll;
    const first = await board.submit('ceremony', encodeCeremony(1));
    expect(first.ok).toBe(true);
    const big = await board.submit('credentials', new Uint8Array(MAX_ENTRY_BYTES - HEADER_BYTES + 1));
    expect(big).toMatchObject({ ok: false, code: 'MALFORMED', height: 2 });
    const unknown = await board.submit('vote' as EntryTypeName, new Uint8Array(0));
    expect(unknown).toMatchObject({ ok: false, code: 'MALFORMED', height: 2 });
    expect(board.size).toBe(2);
    await listVoters(poll, 2);
    expect(board.size).toBe(3);
    board.close();
    const reopened = await Board.open({ storage: new SqliteStorage(path), logKey: poll.logKey });
    expect(reopened.size).toBe(3);
    reopened.close();
  });

  it('after a failure while judging, rejects the group and all later work, and a reopened board has only what was acknowledged', async () => {
    const path = join(dir, 'broken.sqlite');
    let explode = false;
    const clock = steppingClock();
    const poll = await startPoll({ seed: 'broken', storage: new SqliteStorage(path), clock: () => (explode ? (() => { throw new Error('clock failure'); })() : clock()) });
    await listVoters(poll, 3);
    explode = true;
    const pending = [poll.board.submit('ceremony', encodeCeremony(1)), poll.board.submit('ceremony', encodeCeremony(2))];
    for (const p of pending) await expect(p).rejects.toThrow('clock failure');
    explode = false;
    await expect(poll.board.submit('ceremony', encodeCeremony(1))).rejects.toThrow('must be reopened');
    poll.board.close();
    const reopened = await Board.open({ storage: new SqliteStorage(path), logKey: poll.logKey, clock });
    expect(reopened.size).toBe(2);
    expect((await reopened.submit('ceremony', encodeCeremony(1))).ok).toBe(true);
    reopened.close();
  });
});

describe('texts and records that could mislead', () => {
  const rng = seededRandom('misleading texts');

  it('refuses an origin with any Unicode space, such as NEL (U+0085) or an ideographic space', () => {
    for (const space of ['\u0085', '\u3000', '\u00a0']) {
      const m = sampleManifest(rng);
      const good = encodeManifest(m);
      const origin = `gongshi${space}.test/poll/${toHex(m.pollId)}`;
      expect(() => encodeManifest({ ...m, origin })).toThrow(DecodeError);
      expect(decodeManifest(good).origin).toBe(m.origin);
    }
  });

  it('refuses C1 controls and bidirectional overrides in the texts voters read', () => {
    for (const bad of ['Yes\u0085', 'Build \u202eit', 'A\u2066B\u2069']) {
      const m = sampleManifest(rng);
      expect(() => encodeManifest({ ...m, title: [bad, m.title[1]] }), JSON.stringify(bad)).toThrow(/control character|bidirectional/);
    }
  });

  it('refuses to import a record that holds no entry', async () => {
    const poll = await startPoll({ seed: 'empty record' });
    const note = signCheckpoint({ origin: poll.manifest.origin, size: 0, rootHash: new Uint8Array(32), extensions: [] }, poll.logKey);
    const record = [new TextEncoder().encode(RECORD_MAGIC), encodeRecordItem({ kind: 'logKey', key: encodeVerifierKey(poll.board.logVerifierKey!) }), encodeRecordItem({ kind: 'checkpoint', note }), encodeRecordItem({ kind: 'end', entries: 0 })];
    await expect(Board.importRecord(record, { storage: new MemoryStorage() })).rejects.toThrow('a record holds at least the manifest');
  });

  it('refuses to open a poll after its closing time (TOO_LATE)', async () => {
    const start = Date.UTC(2026, 10, 21, 9);
    let now = start;
    const poll = await startPoll({ seed: 'late open', manifest: { closesAt: start + 60_000 }, clock: () => (now += 1000) });
    await listVoters(poll, 1);
    await runCeremony(poll);
    now = start + 60_001;
    expect(await poll.board.submit('open', new Uint8Array(0))).toMatchObject({ ok: false, code: 'TOO_LATE' });
    expect(poll.board.state.phase).toBe('ready');
  });
});
