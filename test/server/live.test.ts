/** The live feed with socket.io's default transports (long-polling first, then upgrade): served by socket.io alone. */
import { io as connect } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, courtyardDraft, openPoll, startServer, type Running } from './support.ts';

let running: Running;
let poll: string;
let owner: Client;

beforeAll(async () => {
  running = await startServer();
  ({ owner, poll } = await openPoll(running, { voters: 1, draft: courtyardDraft({ t: 1, n: 1 }), open: false }));
});
afterAll(() => running.close());

describe('the live feed over long-polling', () => {
  it('connects, watches, receives the phase change, and leaves the HTTP API working', async () => {
    const socket = connect(running.base, { extraHeaders: { origin: running.base } }); // default: polling, then websocket
    try {
      const phases: string[] = [];
      socket.on('poll:phase', (e) => phases.push(e.status));
      const ack = await socket.timeout(5000).emitWithAck('poll:watch', poll);
      expect(ack.status).toBe('ready');
      expect((await owner.post(`/api/polls/${poll}/open`)).status).toBe(200);
      for (let i = 0; i < 100 && phases.length === 0; i++) await new Promise((r) => setTimeout(r, 20));
      expect(phases).toEqual(['open']);
      expect((await new Client(running.base).get('/api/health')).body).toEqual({ ok: true });
      const unknown = await socket.timeout(5000).emitWithAck('poll:watch', 'f'.repeat(32));
      expect(unknown.error).toBe('NOT_FOUND');
    } finally {
      socket.close();
    }
  });
});
