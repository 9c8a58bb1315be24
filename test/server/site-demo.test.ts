/**
 * The demonstration on the site (server/demo/site-demo.ts) in process: without `demo` there is no demo
 * route, nothing is made and no file is written; with it, the polls are made once per data folder (a
 * second call and a restart find them), the finished poll is counted, the open one takes the public
 * codes, and a demo.json that is not ours is not trusted.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { deriveCredential, encodePoint, toHex } from '../../crypto/index.ts';
import { isDemoTitle } from '../../verifier/index.ts';
import { DEMO_FILE, FINISHED_VOTERS, OPEN_CODES, readDemoFile } from '../../server/demo/site-demo.ts';
import { Client, dumpDatabase, startServer, tempDir, unhex, type Running } from './support.ts';

const running: Running[] = [];
afterAll(async () => {
  for (const r of running) await r.close().catch(() => {});
});
async function start(o: Parameters<typeof startServer>[0]): Promise<Running> {
  const r = await startServer(o);
  running.push(r);
  return r;
}

describe('without demo', () => {
  test('there is no demo route, nothing is made and no file is written', async () => {
    const site = await start({});
    expect(site.app.prepareDemo).toBeNull();
    const before = dumpDatabase(site);
    const res = await new Client(site.base).get('/api/demo');
    expect([res.status, res.body.error]).toEqual([404, 'NOT_FOUND']);
    expect(res.body.message).toBe('no such endpoint');
    expect(dumpDatabase(site)).toEqual(before);
    expect(before.polls).toEqual([]);
    expect(existsSync(join(site.dataDir, DEMO_FILE))).toBe(false);
  });
});

describe('with demo', () => {
  test('makes a finished and an open demo poll once per data folder', async () => {
    const site = await start({ demo: true });
    const client = new Client(site.base);
    // Until the polls are made, the route says so and nothing is there.
    expect((await client.get('/api/demo')).status).toBe(404);
    const made = await site.app.prepareDemo!();
    expect(made.made).toBe(true);
    const answer = (await client.get('/api/demo')).body;
    expect(answer).toEqual({ finished: made.demo.finished, open: made.demo.open, codes: made.demo.codes });
    expect(answer.codes).toHaveLength(OPEN_CODES);
    expect(JSON.parse(readFileSync(join(site.dataDir, DEMO_FILE), 'utf8'))).toEqual(answer);

    const finished = (await client.get(`/api/polls/${answer.finished}`)).body;
    expect(finished.status).toBe('done');
    expect(finished.turnout).toEqual({ ballots: FINISHED_VOTERS, voters: FINISHED_VOTERS, audits: 1, listed: FINISHED_VOTERS });
    expect((await client.get(`/api/polls/${answer.finished}/result`)).status).toBe(200);
    const open = (await client.get(`/api/polls/${answer.open}`)).body;
    expect(open.status).toBe('open');
    expect(open.turnout).toMatchObject({ ballots: 0, listed: OPEN_CODES });
    for (const p of [finished, open]) expect(isDemoTitle(p.title)).toBe(true);
    // Every public code is listed on the open poll.
    for (const code of answer.codes) {
      const key = toHex(encodePoint(deriveCredential(code, unhex(answer.open)).publicKey));
      expect((await client.get(`/api/polls/${answer.open}/credentials/${key}`)).body.listed, code).toBe(true);
    }

    // Again in the same process, and after a restart on the same folder: found, nothing made.
    const before = dumpDatabase(site);
    const again = await site.app.prepareDemo!();
    expect(again).toEqual({ demo: made.demo, made: false });
    expect(dumpDatabase(site)).toEqual(before);
    await site.close();
    const restarted = await start({ demo: true, dataDir: site.dataDir });
    expect(await restarted.app.prepareDemo!()).toEqual({ demo: made.demo, made: false });
    expect((await new Client(restarted.base).get('/api/polls')).body.polls.map((p: { id: string }) => p.id)).toEqual([answer.finished, answer.open]);
  });
});

describe('demo.json', () => {
  test('only a file of the shape the demo writes is read', () => {
    const dir = tempDir('demo-file');
    mkdirSync(dir, { recursive: true });
    expect(readDemoFile(dir)).toBeNull();
    const id = 'ab'.repeat(16);
    for (const bad of ['', 'null', '{', JSON.stringify({ finished: id }), JSON.stringify({ finished: id, open: 'x', codes: [] }), JSON.stringify({ finished: id, open: id, codes: [1] })]) {
      writeFileSync(join(dir, DEMO_FILE), bad);
      expect(readDemoFile(dir), bad).toBeNull();
    }
    writeFileSync(join(dir, DEMO_FILE), JSON.stringify({ finished: id, open: id, codes: ['A'] }));
    expect(readDemoFile(dir)).toEqual({ finished: id, open: id, codes: ['A'] });
  });
});
