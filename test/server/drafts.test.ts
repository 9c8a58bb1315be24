/**
 * Polls over the years (docs/api.md "Delete a draft", "Copy a poll", "Hide a finished poll"), on a
 * real server and SQLite file: a draft is deleted with its links, a published poll never; a copy of a
 * draft or of a finished poll's manifest is a fresh draft with none of the source's keys or links; a
 * finished poll leaves the front page and keeps every page, its record and its verification; every
 * refusal writes nothing; and a database of layout 1 is upgraded with its polls intact.
 */
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registrarPublicKey } from '../../bulletin-board/index.ts';
import { verifyRecord } from '../../verifier/index.ts';
import { DATABASE_FILE } from '../../server/app.ts';
import { SERVER_DATABASE_VERSION } from '../../server/store/server-database.ts';
import type { Draft } from '../../server/polls/draft.ts';
import { finishedPoll } from '../browser/finished-poll.ts';
import { Client, backToLayout1, courtyardDraft, dumpDatabase, hex, openPoll, organiser, readDatabase, startServer, type Answered, type Running } from './support.ts';

const HOUR = 3600_000;
const NEW_KEY = hex(registrarPublicKey(new Uint8Array(32).fill(7)));

let running: Running;
let owner: Client;
/** no session, the server's own Origin */
let anyone: Client;
/** a finished poll (result on the board) */
let finished: string;
/** an open poll */
let open: string;

beforeAll(async () => {
  running = await startServer();
  finished = await finishedPoll(running, { en: 'Courtyard 2025', zh: '院落 2025', weights: [1, 1, 1] });
  owner = await organiser(running);
  open = (await openPoll({ ...running, app: { ...running.app, setupToken: null } }, { voters: 1, draft: courtyardDraft({ t: 1, n: 1 }) })).poll;
  anyone = new Client(running.base);
}, 120_000);

afterAll(async () => {
  await running?.close();
});

async function newDraft(draft: Draft = courtyardDraft()): Promise<string> {
  const r = await owner.post('/api/polls', { draft });
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  return r.body.id;
}

/** The answer is exactly this refusal, and the database is as before. */
async function refusedUnchanged(call: () => Promise<Answered>, status: number, error: string): Promise<Answered> {
  const before = dumpDatabase(running);
  const r = await call();
  expect(r.status, JSON.stringify(r.body)).toBe(status);
  expect(r.body.error).toBe(error);
  expect(dumpDatabase(running)).toEqual(before);
  return r;
}

/** The organiser's cookies sent by a page of another site (its own Origin), as a cross-site request would. */
class Elsewhere extends Client {
  constructor(from: Client) {
    super(from.base, 'https://evil.example');
    this.cookies = new Map((from as Elsewhere).cookies);
  }
}

const rowsOf = (table: string, poll: string) => readDatabase(running)[table].filter((r) => r.poll === poll || r.id === poll);

describe('DELETE /api/polls/:poll', () => {
  it('deletes a draft with its trustee and registrar links; its links and pages are gone', async () => {
    const poll = await newDraft();
    const invites = (await owner.post(`/api/polls/${poll}/invites`)).body.invites as { token: string }[];
    expect((await owner.post(`/api/polls/${poll}/registrar-invite`)).status).toBe(201);
    expect(rowsOf('invites', poll)).toHaveLength(4);
    const other = await newDraft();

    const r = await owner.del(`/api/polls/${poll}`);
    expect(r.status).toBe(204);
    for (const table of ['polls', 'invites', 'ceremony_done', 'witness_keys', 'cosignatures']) expect(rowsOf(table, poll), table).toEqual([]);
    expect(readDatabase(running).polls.map((p) => p.id)).toContain(other);
    expect((await owner.get(`/api/polls/${poll}`)).status).toBe(404);
    expect((await owner.get('/api/organiser/polls')).body.polls.map((p: { id: string }) => p.id)).not.toContain(poll);
    const trustee = await anyone.get(`/api/polls/${poll}/trustee`, { authorization: `Bearer ${invites[0].token}` });
    expect(trustee.status).toBe(404);
    // No board tables were ever made for a draft.
    expect(Object.keys(readDatabase(running)).filter((t) => t.includes(poll))).toEqual([]);
    await refusedUnchanged(() => owner.del(`/api/polls/${poll}`), 404, 'NOT_FOUND');
  });

  it('a delete and a publish at once: one wins whole, in either order; never a half-deleted or a deleted-then-published poll', async () => {
    for (let round = 0; round < 3; round++) {
      const poll = await newDraft();
      await owner.post(`/api/polls/${poll}/invites`);
      const [published, deleted] = await Promise.all([owner.post(`/api/polls/${poll}/publish`), owner.del(`/api/polls/${poll}`)]);
      if (published.status === 200) {
        // The publish came first: the delete waited for it, then was refused.
        expect(deleted.status).toBe(409);
        expect(deleted.body.error).toBe('POLL_PUBLISHED');
        expect((await anyone.get(`/api/polls/${poll}`)).body.status).toBe('ceremony');
        expect(rowsOf('invites', poll)).toHaveLength(3);
      } else {
        // The delete came first: the publish, queued behind it, found no poll and made no board.
        expect(published.status, JSON.stringify(published.body)).toBe(404);
        expect(deleted.status).toBe(204);
        expect(rowsOf('polls', poll)).toEqual([]);
        expect(Object.keys(readDatabase(running)).filter((t) => t.includes(poll))).toEqual([]);
      }
    }
  });

  it('refuses a published poll (open or finished) with POLL_PUBLISHED, and nothing changes', async () => {
    for (const poll of [open, finished]) {
      const board = await anyone.get(`/api/polls/${poll}/entries`);
      const r = await refusedUnchanged(() => owner.del(`/api/polls/${poll}`), 409, 'POLL_PUBLISHED');
      expect(r.body.message).toMatch(/published/);
      expect(await anyone.get(`/api/polls/${poll}/entries`)).toMatchObject({ status: 200, body: board.body });
    }
  });
});

describe('POST /api/polls/:poll/copy', () => {
  it('copies a draft: same texts, questions, trustees, witnesses and rules; titles marked; a fresh id and log key; a past time cleared; no links', async () => {
    const now = Date.now();
    const source: Draft = {
      ...courtyardDraft(),
      opensAt: now - HOUR,
      closesAt: now + 48 * HOUR,
      closeEarly: 'all-voted',
      maxExtension: 2 * HOUR,
      privacyFloor: 2,
      witnesses: { keys: [], k: 0 },
    };
    const poll = await newDraft(source);
    await owner.post(`/api/polls/${poll}/invites`);
    await owner.post(`/api/polls/${poll}/registrar-invite`);
    const before = (await owner.get(`/api/polls/${poll}`)).body;

    const r = await owner.post(`/api/polls/${poll}/copy`, { registrar: { name: 'Registrar Wang', key: NEW_KEY, isOrganiser: true } });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    const copy = r.body;
    expect(copy.id).not.toBe(poll);
    expect(copy.status).toBe('draft');
    expect(copy.logKey).not.toBe(before.logKey);
    expect(copy.draft.title).toEqual(['Courtyard committee poll (copy)', '院落委员会投票（副本）']);
    const same = (d: Draft) => ({ ...d, title: undefined, registrar: undefined, opensAt: undefined });
    expect(same(copy.draft)).toEqual(same(before.draft));
    expect(copy.draft.opensAt).toBe(0); // past: opened by hand unless she sets a new time
    expect(copy.draft.closesAt).toBe(source.closesAt); // still ahead: kept, with its rules
    expect(copy.draft.registrar).toEqual({ name: 'Registrar Wang', key: NEW_KEY, isOrganiser: true });
    expect(rowsOf('invites', copy.id)).toEqual([]);
    // The source is untouched.
    expect((await owner.get(`/api/polls/${poll}`)).body).toEqual(before);
  });

  it('drops a past closing time with its rules, and names no registrar unless given one', async () => {
    const poll = await newDraft({ ...courtyardDraft(), closesAt: Date.now() - HOUR, closeEarly: 'any-time', maxExtension: HOUR });
    const r = await owner.post(`/api/polls/${poll}/copy`);
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    expect(r.body.draft).toMatchObject({ opensAt: 0, closesAt: 0, closeEarly: 'never', maxExtension: 0, registrar: null });
  });

  it('makes a new poll from a finished one: the manifest’s questions and settings, a fresh id, none of its keys; it can be published and run', async () => {
    const source = (await anyone.get(`/api/polls/${finished}`)).body;
    const r = await owner.post(`/api/polls/${finished}/copy`, { registrar: { name: 'Registrar Wang', key: NEW_KEY, isOrganiser: true } });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    const copy = r.body;
    expect(copy.id).not.toBe(finished);
    expect(copy.status).toBe('draft');
    expect(copy.manifest).toBeNull();
    expect(copy.logKey).not.toBe(source.logKey);
    expect(copy.draft.questions).toEqual(source.draft.questions);
    expect(copy.draft.description).toEqual(source.draft.description);
    expect(copy.draft.trustees).toEqual(source.draft.trustees);
    expect(copy.draft.title).toEqual(['Courtyard 2025 (copy)', '院落 2025（副本）']);
    expect(copy.draft).toMatchObject({ maxBallots: source.draft.maxBallots, privacyFloor: 1, witnesses: { keys: [], k: 0 }, opensAt: 0, closesAt: 0 });
    expect(copy.draft.registrar.key).not.toBe(source.draft.registrar.key);
    expect(rowsOf('invites', copy.id)).toEqual([]);
    // A fresh poll: it gets its own trustee links and its own board.
    expect((await owner.post(`/api/polls/${copy.id}/invites`)).status).toBe(201);
    expect((await owner.post(`/api/polls/${copy.id}/publish`)).status).toBe(200);
    const detail = (await anyone.get(`/api/polls/${copy.id}`)).body;
    expect(detail.status).toBe('ceremony'); // its own ceremony, run 1
    expect(detail.manifest).not.toBe(source.manifest);
  });

  it('refuses the source’s own registrar key, a bad body, an unknown poll; nothing written', async () => {
    const poll = await newDraft();
    const sourceKey = courtyardDraft().registrar!.key;
    const r = await refusedUnchanged(() => owner.post(`/api/polls/${poll}/copy`, { registrar: { name: 'W', key: sourceKey, isOrganiser: true } }), 400, 'BAD_REQUEST');
    expect(r.body.field).toBe('body.registrar.key');
    const finishedKey = (await owner.get(`/api/polls/${finished}`)).body.draft.registrar.key;
    await refusedUnchanged(() => owner.post(`/api/polls/${finished}/copy`, { registrar: { name: 'W', key: finishedKey, isOrganiser: true } }), 400, 'BAD_REQUEST');
    await refusedUnchanged(() => owner.post(`/api/polls/${poll}/copy`, { registrar: { name: 'W', key: 'zz', isOrganiser: true } }), 400, 'BAD_REQUEST');
    await refusedUnchanged(() => owner.post(`/api/polls/${poll}/copy`, { title: 'x' }), 400, 'BAD_REQUEST');
    await refusedUnchanged(() => owner.post(`/api/polls/${'00'.repeat(16)}/copy`), 404, 'NOT_FOUND');
  });
});

describe('PUT /api/polls/:poll/hidden', () => {
  it('refuses to hide a draft or an open poll (POLL_NOT_FINISHED), nothing written', async () => {
    const poll = await newDraft();
    await refusedUnchanged(() => owner.put(`/api/polls/${poll}/hidden`, { hidden: true }), 409, 'POLL_NOT_FINISHED');
    await refusedUnchanged(() => owner.put(`/api/polls/${open}/hidden`, { hidden: true }), 409, 'POLL_NOT_FINISHED');
    await refusedUnchanged(() => owner.put(`/api/polls/${finished}/hidden`, { hidden: 'yes' }), 400, 'BAD_REQUEST');
    await refusedUnchanged(() => owner.put(`/api/polls/${finished}/hidden`, {}), 400, 'BAD_REQUEST');
  });

  it('hides a finished poll from the front page and shows it again; its address, board, result, record and verification stay exactly as before', async () => {
    const read = async () => {
      const paths = ['', '/entries', '/checkpoint', '/result', '/ceremony'].map((p) => `/api/polls/${finished}${p}`);
      const answers = await Promise.all(paths.map((p) => anyone.get(p)));
      const record = await fetch(`${running.base}/api/polls/${finished}/record`);
      return { answers: answers.map((a) => [a.status, a.body]), record: { status: record.status, bytes: new Uint8Array(await record.arrayBuffer()) } };
    };
    const front = async () => ((await anyone.get('/api/polls')).body.polls as { id: string }[]).map((p) => p.id);
    const before = await read();
    expect(await front()).toContain(finished);
    const [row] = rowsOf('polls', finished);

    const r = await owner.put(`/api/polls/${finished}/hidden`, { hidden: true });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body).toMatchObject({ id: finished, hidden: true, status: 'done' });
    // Only the flag changed: not the draft, not `updated` (a restore does not count it as a change of the poll).
    expect(rowsOf('polls', finished)).toEqual([{ ...row, hidden: 1 }]);
    expect(await front()).not.toContain(finished);
    expect(await front()).toContain(open);
    const mine = (await owner.get('/api/organiser/polls')).body.polls as { id: string; hidden: boolean }[];
    expect(mine.find((p) => p.id === finished)?.hidden).toBe(true);
    expect(mine.find((p) => p.id === open)?.hidden).toBe(false);

    const after = await read();
    expect(after).toEqual(before);
    expect(after.record.status).toBe(200);
    const report = await verifyRecord([after.record.bytes]);
    expect(report.failures).toEqual([]);
    expect(report).toMatchObject({ valid: true, phase: 'done' });

    // Hidden again: nothing changes; then shown.
    expect((await owner.put(`/api/polls/${finished}/hidden`, { hidden: true })).status).toBe(200);
    const shown = await owner.put(`/api/polls/${finished}/hidden`, { hidden: false });
    expect(shown.body.hidden).toBe(false);
    expect(await front()).toContain(finished);
  });
});

describe('unauthorised calls', () => {
  it('refuses every new route without a session (UNAUTHENTICATED), or from another site (ORIGIN_REFUSED), and writes nothing', async () => {
    const poll = await newDraft();
    const calls = (c: Client) => [
      () => c.del(`/api/polls/${poll}`),
      () => c.post(`/api/polls/${poll}/copy`),
      () => c.post(`/api/polls/${finished}/copy`),
      () => c.put(`/api/polls/${finished}/hidden`, { hidden: true }),
    ];
    for (const call of calls(anyone)) await refusedUnchanged(call, 401, 'UNAUTHENTICATED');
    for (const call of calls(new Elsewhere(owner))) await refusedUnchanged(call, 403, 'ORIGIN_REFUSED');
    expect((await owner.get(`/api/polls/${poll}`)).status).toBe(200);
  });
});

describe('layout 1 to this layout', () => {
  it('upgrades a layout-1 database: its drafts and published polls intact, none hidden, boards verified', async () => {
    const site = await startServer();
    let reopened: Running | null = null;
    try {
      const me = await organiser(site);
      const draft = (await me.post('/api/polls', { draft: courtyardDraft({ title: 'Old draft' }) })).body.id as string;
      const published = (await openPoll({ ...site, app: { ...site.app, setupToken: null } }, { voters: 1, draft: courtyardDraft({ t: 1, n: 1 }) })).poll;
      const board = await me.get(`/api/polls/${published}/entries`);
      const drafted = (await me.get(`/api/polls/${draft}`)).body;
      await site.close();
      // The first layout: no hidden column, user_version 1.
      backToLayout1(join(site.dataDir, DATABASE_FILE));
      const db = new Database(join(site.dataDir, DATABASE_FILE), { readonly: true });
      const rows = db.prepare('SELECT * FROM polls ORDER BY id').all();
      db.close();

      reopened = await startServer({ dataDir: site.dataDir });
      const check = new Database(join(site.dataDir, DATABASE_FILE), { readonly: true });
      expect(check.pragma('user_version', { simple: true })).toBe(SERVER_DATABASE_VERSION);
      const upgraded = check.prepare('SELECT * FROM polls ORDER BY id').all() as Record<string, unknown>[];
      check.close();
      expect(upgraded.map(({ hidden, ...rest }) => rest)).toEqual(rows);
      expect(upgraded.every((r) => r.hidden === 0)).toBe(true);
      const again = await organiser(reopened);
      expect((await again.get(`/api/polls/${draft}`)).body).toEqual(drafted);
      expect((await again.get(`/api/polls/${published}/entries`)).body).toEqual(board.body);
      expect(((await again.get('/api/polls')).body.polls as { id: string }[]).map((p) => p.id)).toContain(published);
    } finally {
      await reopened?.close();
    }
  }, 60_000);
});
