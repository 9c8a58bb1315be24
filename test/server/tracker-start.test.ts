/**
 * GET /api/polls/:poll/trackers?prefix= (docs/api.md, spec §Q.7.3): a resident who wrote down only the
 * first groups of her tracker finds her ballot or audit by them. The server answers the trackers on the
 * board that start so (two at most), over SQLite's tracker index, and refuses a start shorter than four
 * groups or not in canonical symbols; a draft stays hidden.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seededRandom, trackerText, type Answer } from '../../crypto/index.ts';
import { Client, castBallot, courtyardDraft, hex, openPoll, postAudit, startServer, type Running } from './support.ts';

const ANSWERS: Answer[] = [{ values: [1, 0, 0] }, { values: [0, 1, 1, 0] }, { values: [1, 0, 1] }];
let running: Running;
let anyone: Client;
let open: Awaited<ReturnType<typeof openPoll>>;
let cast: Uint8Array;
let audited: Uint8Array;

beforeAll(async () => {
  running = await startServer();
  open = await openPoll(running, { voters: 2, draft: courtyardDraft({ t: 1, n: 1 }), seed: 'tracker start voters' });
  anyone = new Client(running.base);
  const rng = seededRandom('tracker start ballots');
  const ballot = await open.voters[0].ballot(anyone, ANSWERS, rng);
  expect((await castBallot(anyone, open.poll, ballot.bytes)).status).toBe(201);
  cast = ballot.tracker;
  const audit = await open.voters[1].ballot(anyone, ANSWERS, rng);
  expect((await postAudit(anyone, open.poll, audit)).status).toBe(201);
  audited = audit.tracker;
}, 60_000);

afterAll(async () => {
  await running?.close();
});

const lookUp = (prefix: string, poll = open.poll) => anyone.get(`/api/polls/${poll}/trackers?prefix=${encodeURIComponent(prefix)}`);

describe('looking a ballot up by the start of its tracker', () => {
  it('finds a cast ballot and an audit by their first four groups, and by any longer start', async () => {
    for (const tracker of [cast, audited]) {
      const text = trackerText(tracker);
      for (const n of [16, 17, 33, 51, 52]) {
        const r = await lookUp(text.slice(0, n));
        expect(r.status, JSON.stringify(r.body)).toBe(200);
        expect(r.body).toEqual({ trackers: [hex(tracker)] });
      }
    }
  });

  it('answers an empty list when no tracker on the board starts so', async () => {
    const text = trackerText(cast);
    const other = text.slice(0, 15) + (text[15] === 'Z' ? 'Y' : 'Z');
    expect((await lookUp(other)).body).toEqual({ trackers: [] });
  });

  it.each([
    ['three groups (too short to be safe)', (t: string) => t.slice(0, 12)],
    ['fifteen symbols', (t: string) => t.slice(0, 15)],
    ['lower case', (t: string) => t.slice(0, 16).toLowerCase()],
    ['groups with spaces', (t: string) => t.slice(0, 16).replace(/(.{4})/g, '$1 ').trim()],
    ['a letter Crockford leaves out', (t: string) => `U${t.slice(1, 16)}`],
    ['longer than a tracker', (t: string) => `${t}0`],
  ])('refuses %s with BAD_REQUEST on query.prefix', async (_, make) => {
    const r = await lookUp(make(trackerText(cast)));
    expect(r.status).toBe(400);
    expect(r.body).toEqual({ error: 'BAD_REQUEST', message: expect.stringMatching(/\S/), field: 'query.prefix' });
  });

  it('refuses a missing prefix, or two of them', async () => {
    const none = await anyone.get(`/api/polls/${open.poll}/trackers`);
    expect(none.status).toBe(400);
    expect(none.body.field).toBe('query.prefix');
    const start = trackerText(cast).slice(0, 16);
    const twice = await anyone.get(`/api/polls/${open.poll}/trackers?prefix=${start}&prefix=${start}`);
    expect(twice.status).toBe(400);
    expect(twice.body.field).toBe('query.prefix');
  });

  it('answers NOT_FOUND for a poll that does not exist, and hides a draft', async () => {
    const start = trackerText(cast).slice(0, 16);
    expect((await lookUp(start, '00'.repeat(16))).body.error).toBe('NOT_FOUND');
    const draft = (await open.owner.post('/api/polls', { draft: courtyardDraft() })).body.id as string;
    expect((await lookUp(start, draft)).body.error).toBe('NOT_FOUND');
  });
});
