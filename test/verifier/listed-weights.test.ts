/**
 * The weights on a poll's voter lists, read from its board (listedWeights), and what the verifier's
 * report says about weights and languages: a poll with a voter of weight 2 is weighted, its result
 * counts in weighted votes, and every question and option comes in each of the poll's languages with
 * its rule, so a page can show the verified result in its reader's language.
 */
import { describe, expect, it } from 'vitest';
import { DecodeError } from '../../crypto/index.ts';
import { EntryType, parseRecord } from '../../bulletin-board/index.ts';
import { listedWeights, verifyRecord } from '../../verifier/index.ts';
import { cast, count, listVoters, must, runCeremony, signedRevocation, startPoll, type Poll } from '../board/poll-support.ts';

/** A poll with voters of `weights` (two lists), voters 0, 1 and 2 casting, counted; its record's entries. */
async function counted(seed: string, weights: number[]): Promise<{ poll: Poll; entries: Uint8Array[] }> {
  const poll = await startPoll({ seed });
  await listVoters(poll, 2, (i) => weights[i]);
  await listVoters(poll, weights.length - 2, (i) => weights[i]);
  await runCeremony(poll);
  await must(poll.board, 'open', new Uint8Array(0));
  await cast(poll, 0, [{ values: [1, 0, 0] }, { values: [1, 1, 0, 0] }, { values: [1, 0, 1] }]);
  await cast(poll, 1, [{ values: [1, 0, 0] }, { values: [1, 0, 0, 0] }, { values: [0, 1, 1] }]);
  await cast(poll, 2, [{ blank: true }, { values: [0, 0, 1, 0] }, { values: [0, 0, 0] }]);
  await count(poll);
  const record = parseRecord(new Uint8Array(Buffer.concat([...poll.board.exportRecord()])));
  return { poll, entries: [...record.entries] };
}

describe('listedWeights', () => {
  it('adds up every list’s weights and finds a weight other than 1; other entries are skipped', async () => {
    const { entries } = await counted('listed weights', [1, 2, 1, 1]);
    expect(listedWeights(entries)).toEqual({ listed: 4, total: 5, weighted: true });
    expect(listedWeights(entries.filter((e) => e[0] !== EntryType.credentials))).toEqual({ listed: 0, total: 0, weighted: false });
  });

  it('a poll where every weight is 1 is not weighted', async () => {
    const { entries } = await counted('listed weights plain', [1, 1, 1]);
    expect(listedWeights(entries)).toEqual({ listed: 3, total: 3, weighted: false });
  });

  it('a revoked credential leaves the lists: its weight no longer counts, nor makes the poll weighted', async () => {
    const poll = await startPoll({ seed: 'listed weights revoked' });
    await listVoters(poll, 3, (i) => (i === 1 ? 2 : 1));
    await runCeremony(poll);
    await must(poll.board, 'open', new Uint8Array(0));
    await listVoters(poll, 1); // while open
    await must(poll.board, 'revoke', signedRevocation(poll.board, [poll.voters[1].credential.publicKey]));
    const entries = [...parseRecord(new Uint8Array(Buffer.concat([...poll.board.exportRecord()]))).entries];
    expect(listedWeights(entries)).toEqual({ listed: 3, total: 3, weighted: false });
    // without the revocation, the weight-2 voter is there
    expect(listedWeights(entries.filter((e) => e[0] !== EntryType.revoke))).toEqual({ listed: 4, total: 5, weighted: true });
  });

  it('a list cut short does not decode', async () => {
    const { entries } = await counted('listed weights cut', [1, 1, 1]);
    const list = entries.find((e) => e[0] === EntryType.credentials)!;
    expect(() => listedWeights([list.subarray(0, list.length - 64 - 2)])).toThrow(DecodeError);
  });
});

describe('the verifier’s report', () => {
  it('says a poll with a weight other than 1 is weighted, and the weight it counted', async () => {
    const { poll, entries } = await counted('report weights', [2, 1, 1, 1]);
    const report = await verifyRecord([new Uint8Array(Buffer.concat([...poll.board.exportRecord()]))]);
    expect(report.valid).toBe(true);
    expect(report.weighted).toBe(true);
    expect(report.counted).toBe(3);
    expect(report.weight).toBe(4);
    // Red: voter 0 (weight 2) and voter 1; a blank vote from voter 2.
    expect(report.result![0].options.map((o) => o.total)).toEqual([3, 0, 0]);
    expect(report.result![0].blank).toBe(1);
    expect(listedWeights(entries).weighted).toBe(report.weighted);
  });

  it('says an unweighted poll is not, and gives every text in each language with its rule', async () => {
    const { poll } = await counted('report languages', [1, 1, 1]);
    const report = await verifyRecord([new Uint8Array(Buffer.concat([...poll.board.exportRecord()]))]);
    expect(report.weighted).toBe(false);
    expect(report.weight).toBe(3);
    const m = poll.manifest;
    expect(report.poll).toEqual({ title: m.title[0], origin: m.origin, languages: m.languages, titles: m.title });
    expect(report.result!.map((q) => q.prompts)).toEqual(m.questions.map((q) => q.prompt));
    expect(report.result!.map((q) => q.options.map((o) => o.texts))).toEqual(m.questions.map((q) => q.options));
    expect(report.result!.map((q) => q.rule)).toEqual(m.questions.map((q) => q.question));
    expect(report.result![1].prompts[1]).toBe('Question 2（中文）');
  });
});
