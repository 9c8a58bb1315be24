/**
 * Scheduled opening and closing: the server's clock opens and closes the poll at the manifest's
 * times, the entries record when, and a restarted server re-arms its timers. Real time, a few seconds.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { courtyardDraft, castBallot, openPoll, startServer, until, type Running } from './support.ts';
import { seededRandom } from '../../crypto/index.ts';

const servers: Running[] = [];
afterAll(() => Promise.all(servers.map((s) => s.close())));


describe('the schedule', () => {
  it('opens and closes the poll at the manifest times, recorded on the board, across a restart', async () => {
    const first = await startServer();
    servers.push(first);
    const t0 = Date.now();
    const draft = { ...courtyardDraft(), opensAt: t0 + 120_000, closesAt: t0 + 124_000 };
    const { owner, poll, voters } = await openPoll(first, { voters: 2, draft, open: false });
    expect(Date.now()).toBeLessThan(draft.opensAt); // the ceremony finished before the opening time
    expect((await owner.get(`/api/polls/${poll}`)).body.status).toBe('ready');
    // Opening by hand before the time is refused by the rules, and writes nothing.
    const size = (await owner.get(`/api/polls/${poll}/checkpoint`)).body.size;
    const early = await owner.post(`/api/polls/${poll}/open`);
    expect(early.body.error).toBe('TOO_EARLY');
    expect((await owner.get(`/api/polls/${poll}/checkpoint`)).body.size).toBe(size);

    // The server restarts before the opening time: the new process re-arms the timers from the board.
    // Its clock runs ahead so that the opening is a second away (the board's clock is the server's).
    await first.close();
    const skew = draft.opensAt - Date.now() - 1000;
    const second = await startServer({ dataDir: first.dataDir, clock: () => Date.now() + skew });
    servers.push(second);
    const client = owner.at(second.base);
    await until(async () => (await client.get(`/api/polls/${poll}`)).body.status === 'open', 8000);
    const opened = (await client.get(`/api/polls/${poll}/entries?from=${size}`)).body.entries;
    expect(opened.map((e: { type: string }) => e.type)).toEqual(['open']);
    expect(opened[0].time).toBeGreaterThanOrEqual(draft.opensAt);

    const made = await voters[0].ballot(client, [{ values: [1, 0, 0] }, { values: [1, 0, 0, 0] }, { values: [0, 0, 1] }], seededRandom('schedule'));
    expect((await castBallot(client, poll, made.bytes)).status).toBe(201);

    await until(async () => (await client.get(`/api/polls/${poll}`)).body.status === 'closed', 8000);
    const entries = (await client.get(`/api/polls/${poll}/entries?from=${size}`)).body.entries;
    expect(entries.map((e: { type: string }) => e.type)).toEqual(['open', 'ballot', 'close']);
    expect(entries[2].time).toBeGreaterThanOrEqual(draft.closesAt);
    // After the closing time a ballot is refused, and nothing is written.
    const late = await voters[1].ballot(client, [{ values: [0, 1, 0] }, { values: [0, 1, 0, 0] }, { values: [1, 0, 0] }], seededRandom('late'));
    const refused = await castBallot(client, poll, late.bytes);
    expect(refused.body.error).toBe('WRONG_PHASE');
    expect((await client.get(`/api/polls/${poll}/checkpoint`)).body.size).toBe(size + 3);
  });
});
