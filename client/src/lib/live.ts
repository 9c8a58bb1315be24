/**
 * The live feed (docs/api.md, socket.io): one connection per page, shared by every watcher.
 * Events: board:entry, board:checkpoint, poll:turnout, poll:phase, each with `poll`.
 */
import { io, type Socket } from 'socket.io-client';

/** An entry as the feed announces it (its bytes are at GET /api/polls/:poll/entries/:height). */
export interface LiveEntry {
  readonly poll: string;
  readonly height: number;
  readonly type: string;
  readonly time: number;
  readonly hash: string;
  readonly tracker: string | null;
  readonly trustee?: number;
  readonly kind?: number;
  readonly run?: number;
  readonly step?: number;
  readonly credentials?: number;
}

export interface LiveHandlers {
  'board:entry'?: (e: LiveEntry) => void;
  'board:checkpoint'?: (e: { poll: string; size: number; checkpoint: string }) => void;
  'poll:turnout'?: (e: { poll: string; ballots: number; voters: number; listed: number }) => void;
  'poll:phase'?: (e: { poll: string; status: string }) => void;
}

let socket: Socket | null = null;
/** How many watchers each poll has on this page: the room is joined for the first and left after the last. */
const watchers = new Map<string, number>();

function connection(): Socket {
  if (socket === null) {
    socket = io({ transports: ['websocket', 'polling'] });
    // The first connection, and every reconnection (the server forgets rooms): join every watched poll.
    socket.on('connect', () => {
      for (const poll of watchers.keys()) socket!.emit('poll:watch', poll);
    });
  }
  return socket;
}

/** Watches one poll; returns the function that stops watching. */
export function watchPoll(poll: string, handlers: LiveHandlers): () => void {
  const s = connection();
  const bound: [string, (e: any) => void][] = Object.entries(handlers).map(([event, fn]) => [event, (e: any) => e?.poll === poll && (fn as (e: any) => void)(e)]);
  for (const [event, fn] of bound) s.on(event, fn);
  const count = watchers.get(poll) ?? 0;
  watchers.set(poll, count + 1);
  if (count === 0 && s.connected) s.emit('poll:watch', poll);
  let stopped = false;
  return () => {
    if (stopped) return;
    stopped = true;
    for (const [event, fn] of bound) s.off(event, fn);
    const left = (watchers.get(poll) ?? 1) - 1;
    if (left > 0) watchers.set(poll, left);
    else {
      watchers.delete(poll);
      s.emit('poll:unwatch', poll);
    }
  };
}
