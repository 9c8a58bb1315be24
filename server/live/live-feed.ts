/**
 * The live board over socket.io, read-only: a client joins a poll's room with `poll:watch` and
 * receives `board:entry`, `board:checkpoint`, `poll:turnout` and `poll:phase`, in board order.
 * The handshake is refused from a foreign Origin. docs/api.md §Live events.
 */
import type { Server as HttpServer } from 'node:http';
import { Server } from 'socket.io';
import type { Logger } from 'pino';
import { liveEntryView } from '../api/views.ts';
import type { PollEvents, PollHost } from '../polls/poll-host.ts';
import type { Polls } from '../polls/polls.ts';

const room = (poll: PollHost | string) => `poll:${typeof poll === 'string' ? poll : poll.hex}`;

/** How many polls one socket may watch at once. */
const MAX_WATCHED = 16;

export function createLiveFeed(http: HttpServer, o: { allowedOrigins: () => ReadonlySet<string>; log: Logger }): { io: Server; attach(polls: Polls): void; events: PollEvents } {
  const io = new Server(http, {
    serveClient: false,
    maxHttpBufferSize: 4096, // clients only ever send poll ids
    // A browser always sends Origin on a socket.io request; a page of another site is refused here.
    allowRequest: (req, callback) => {
      const origin = req.headers.origin;
      if (origin === undefined || o.allowedOrigins().has(origin)) callback(null, true);
      else callback('ORIGIN_REFUSED', false);
    },
  });
  const events: PollEvents = {
    entry: (poll, e) => io.to(room(poll)).emit('board:entry', liveEntryView(poll, e)),
    checkpoint: (poll, size, note) => io.to(room(poll)).emit('board:checkpoint', { poll: poll.hex, size, checkpoint: note }),
    turnout: (poll, t) => io.to(room(poll)).emit('poll:turnout', { poll: poll.hex, ...t }),
    phase: (poll, status) => io.to(room(poll)).emit('poll:phase', { poll: poll.hex, status }),
  };
  const attach = (polls: Polls) => {
    io.on('connection', (socket) => {
      socket.on('poll:watch', (id: unknown, ack?: unknown) => {
        const reply = typeof ack === 'function' ? (ack as (v: unknown) => void) : () => {};
        if (typeof id !== 'string' || !/^[0-9a-f]{32}$/.test(id)) return reply({ error: 'BAD_REQUEST', message: 'poll:watch takes a poll id' });
        let poll: PollHost;
        try {
          poll = polls.get(id);
        } catch {
          return reply({ error: 'NOT_FOUND', message: 'there is no poll with this id' });
        }
        if (poll.status() === 'draft') return reply({ error: 'NOT_FOUND', message: 'there is no poll with this id' });
        if (socket.rooms.size > MAX_WATCHED) return reply({ error: 'RATE_LIMITED', message: `a connection watches at most ${MAX_WATCHED} polls` });
        void socket.join(room(poll));
        reply({ poll: poll.hex, size: poll.board?.size ?? 0, status: poll.status(), turnout: poll.turnout() });
      });
      socket.on('poll:unwatch', (id: unknown) => {
        if (typeof id === 'string') void socket.leave(room(id));
      });
    });
  };
  o.log.debug('live feed ready');
  return { io, attach, events };
}
