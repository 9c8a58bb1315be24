/**
 * A server database of layout 1 (one organiser, before account links) is upgraded to this layout on
 * start (server/store/server-database.ts MIGRATIONS) and keeps its organiser, her password, her
 * sessions and the polls; the new tables work at once. The layout-1 file is made by this gongshi and
 * taken back to layout 1 by removing what the migration adds (the base SCHEMA is never edited).
 */
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { DATABASE_FILE } from '../../server/app.ts';
import { SERVER_DATABASE_VERSION } from '../../server/store/server-database.ts';
import { Client, ORGANISER, backToLayout1, courtyardDraft, dumpDatabase, organiser, startServer, type Running } from './support.ts';

describe('upgrading a layout-1 server database', () => {
  let running: Running | null = null;
  afterAll(async () => {
    await running?.close();
  });

  it('keeps the organiser, her sessions and the polls, and adds the account links', async () => {
    expect(SERVER_DATABASE_VERSION).toBeGreaterThanOrEqual(2);
    const old = await startServer();
    const owner = await organiser(old);
    const created = await owner.post('/api/polls', { draft: courtyardDraft({ title: 'Made at layout 1' }) });
    expect(created.status).toBe(201);
    await old.close();

    // Back to layout 1: without what every migration since adds.
    const file = join(old.dataDir, DATABASE_FILE);
    backToLayout1(file);
    const atLayout1 = dumpDatabase(old);
    expect(Object.keys(atLayout1)).not.toContain('account_links');

    running = await startServer({ dataDir: old.dataDir });
    const after = dumpDatabase(running);
    // every row of layout 1 is still there, unchanged
    // (polls gained the column `hidden` of layout 2, 0 for every poll: compared without it)
    const withoutHidden = (rows: string[]) => rows.map((r) => JSON.stringify((JSON.parse(r) as [string, unknown][]).filter(([k]) => k !== 'hidden'))).sort();
    for (const [table, rows] of Object.entries(atLayout1)) expect(withoutHidden(after[table]), table).toEqual(withoutHidden(rows));
    expect(after.polls.every((r) => (JSON.parse(r) as [string, unknown][]).some(([k, v]) => k === 'hidden' && v === 0))).toBe(true);
    expect(after.account_links).toEqual([]);
    const check = new Database(file, { readonly: true });
    expect(check.pragma('user_version', { simple: true })).toBe(SERVER_DATABASE_VERSION);
    check.close();

    // her session from before the upgrade still works; so does her password; the poll is hers
    const same = owner.at(running.base);
    expect((await same.get('/api/session')).body).toEqual({ organiser: { name: ORGANISER.name } });
    const again = new Client(running.base);
    expect((await again.post('/api/session', ORGANISER)).status).toBe(201);
    const polls = (await again.get('/api/organiser/polls')).body.polls as { id: string; madeBy: string }[];
    expect(polls.map((p) => [p.id, p.madeBy])).toEqual([[created.body.id, ORGANISER.name]]);
    // no new setup link: she has a password
    expect(running.app.setupToken).toBeNull();
    // and the new table works
    const invited = await again.post('/api/organisers/invites');
    expect(invited.status).toBe(201);
    expect(dumpDatabase(running).account_links).toHaveLength(1);
  }, 60_000);
});
