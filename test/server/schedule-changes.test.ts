/**
 * Schedule changes on the record (spec §B.4.6.6–7): over HTTP, the organiser extends the closing time
 * and closes early only as the manifest allows; each refusal has its code and writes nothing; the
 * server's closing timer follows an extension, and a ballot after the manifest's closesAt but before
 * the extended time is taken; the record verifies, and the verifier finds both changes on it.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { seededRandom } from '../../crypto/index.ts';
import { verifyRecord } from '../../verifier/index.ts';
import type { Draft } from '../../server/polls/draft.ts';
import { castBallot, courtyardDraft, dumpDatabase, openPoll, organiser, startServer, until, type Running } from './support.ts';

const servers: Running[] = [];
afterAll(() => Promise.all(servers.map((s) => s.close())));

const MINUTE = 60_000;
const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));
const ANSWERS = [{ values: [1, 0, 0] }, { values: [1, 0, 0, 0] }, { values: [0, 0, 1] }];


describe('schedule changes on the record', () => {
  it('extends only as the manifest allows, nothing written on refusal; the closing timer follows; a ballot in the extra time counts; the record verifies', async () => {
    let skew = 0;
    const running = await startServer({ clock: () => Date.now() + skew });
    servers.push(running);
    const t0 = Date.now();
    const draft: Draft = { ...courtyardDraft(), closesAt: t0 + 60 * MINUTE, maxExtension: 30 * MINUTE, closeEarly: 'never' };
    const { owner, poll, voters } = await openPoll(running, { voters: 2, draft });
    const closes = draft.closesAt;
    const refused = async (body: unknown, status: number, code: string) => {
      const before = dumpDatabase(running);
      const r = await owner.post(`/api/polls/${poll}/extend`, body);
      expect(r.status).toBe(status);
      expect(r.body.error).toBe(code);
      expect(dumpDatabase(running)).toEqual(before);
    };
    await refused({ closesAt: closes }, 422, 'BAD_EXTENSION');
    await refused({ closesAt: closes + 30 * MINUTE + 1 }, 422, 'BAD_EXTENSION');
    await refused({ closesAt: 'tomorrow' }, 400, 'BAD_REQUEST');
    await refused({}, 400, 'BAD_REQUEST');

    const first = await owner.post(`/api/polls/${poll}/extend`, { closesAt: closes + 10 * MINUTE });
    expect(first.status).toBe(200);
    expect(first.body.closesAt).toBe(closes + 10 * MINUTE);
    expect(first.body.extensions).toHaveLength(1);
    expect(first.body.extensions[0]).toMatchObject({ closesAt: closes + 10 * MINUTE });

    // Closing early: the manifest says never.
    const before = dumpDatabase(running);
    const early = await owner.post(`/api/polls/${poll}/close`);
    expect(early.status).toBe(409);
    expect(early.body.error).toBe('TOO_EARLY');
    expect(early.body.message).toMatch(/allows no early closing/);
    expect(dumpDatabase(running)).toEqual(before);

    // The board's clock jumps to 2 s before the extended closing time, which an extension of 6 s more
    // then moves: the timer is re-armed, the old time passes with the poll open, a ballot then counts.
    // (Margins of seconds, for a loaded machine.)
    const extended = closes + 10 * MINUTE + 6000;
    skew = closes + 10 * MINUTE - Date.now() - 2000;
    const second = await owner.post(`/api/polls/${poll}/extend`, { closesAt: extended });
    expect(second.status).toBe(200);
    await wait(2500);
    expect((await owner.get(`/api/polls/${poll}`)).body.status).toBe('open');
    const late = await voters[0].ballot(owner, ANSWERS, seededRandom('in the extra time'));
    expect((await castBallot(owner, poll, late.bytes)).status).toBe(201);
    await until(async () => (await owner.get(`/api/polls/${poll}`)).body.status === 'closed', 15_000);
    const summary = (await owner.get(`/api/polls/${poll}`)).body;
    expect(summary).toMatchObject({ closesAt: extended, closedEarly: false });
    // After it: an extension is refused (the poll is closed), nothing written.
    await refused({ closesAt: closes + 20 * MINUTE }, 409, 'WRONG_PHASE');

    const record = new Uint8Array(await (await fetch(`${running.base}/api/polls/${poll}/record`)).arrayBuffer());
    const report = await verifyRecord([record]);
    expect(report.failures).toEqual([]);
    expect(report).toMatchObject({ valid: true, phase: 'closed' });
  }, 60_000);

  it('closes early once every listed voter has cast, not before (TOO_EARLY, nothing written); no extension where the manifest allows none', async () => {
    const running = await startServer();
    servers.push(running);
    const draft: Draft = { ...courtyardDraft(), closesAt: Date.now() + 60 * MINUTE, closeEarly: 'all-voted' };
    const { owner, poll, voters, rng } = await openPoll(running, { voters: 2, draft });
    const before = dumpDatabase(running);
    const none = await owner.post(`/api/polls/${poll}/extend`, { closesAt: draft.closesAt + MINUTE });
    expect(none.status).toBe(409);
    expect(none.body.error).toBe('NO_EXTENSION');
    expect(dumpDatabase(running)).toEqual(before);

    expect((await castBallot(owner, poll, (await voters[0].ballot(owner, ANSWERS, rng)).bytes)).status).toBe(201);
    const waiting = dumpDatabase(running);
    const early = await owner.post(`/api/polls/${poll}/close`);
    expect(early.status).toBe(409);
    expect(early.body).toMatchObject({ error: 'TOO_EARLY' });
    expect(early.body.message).toMatch(/once every listed voter has cast, and 1 have not/);
    expect(dumpDatabase(running)).toEqual(waiting);

    expect((await castBallot(owner, poll, (await voters[1].ballot(owner, ANSWERS, rng)).bytes)).status).toBe(201);
    const closed = await owner.post(`/api/polls/${poll}/close`);
    expect(closed.status).toBe(200);
    expect(closed.body).toMatchObject({ status: 'closed', closedEarly: true });
    const record = new Uint8Array(await (await fetch(`${running.base}/api/polls/${poll}/record`)).arrayBuffer());
    expect(await verifyRecord([record])).toMatchObject({ valid: true, phase: 'closed' });
  }, 60_000);

  it('a draft closed by hand cannot carry an early-closing or extension policy (BAD_REQUEST naming the field)', async () => {
    const running = await startServer();
    servers.push(running);
    const owner = await organiser(running);
    for (const over of [{ closeEarly: 'any-time' }, { maxExtension: MINUTE }] as const) {
      const r = await owner.post('/api/polls', { draft: { ...courtyardDraft(), closesAt: 0, ...over } });
      expect(r.status).toBe(400);
      expect(r.body).toMatchObject({ error: 'BAD_REQUEST', field: 'draft.closeEarly' });
    }
    const bad = await owner.post('/api/polls', { draft: { ...courtyardDraft(), closesAt: Date.now() + MINUTE, closeEarly: 'sometimes' } });
    expect(bad.status).toBe(400);
    expect(bad.body.field).toBe('body.draft.closeEarly');
  });
});
