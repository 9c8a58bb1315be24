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

function connection(): Socket {
  socket ??= io({ transports: ['websocket', 'polling'] });
  return socket;
}

/** Watches one poll; returns the function that stops watching. */
export function watchPoll(poll: string, handlers: LiveHandlers): () => void {
  const s = connection();
  const bound: [string, (e: any) => void][] = Object.entries(handlers).map(([event, fn]) => [event, (e: any) => e?.poll === poll && (fn as (e: any) => void)(e)]);
  for (const [event, fn] of bound) s.on(event, fn);
  const watch = () => s.emit('poll:watch', poll);
  watch();
  s.on('connect', watch); // after a reconnection the server has forgotten the room
  return () => {
    for (const [event, fn] of bound) s.off(event, fn);
    s.off('connect', watch);
    s.emit('poll:unwatch', poll);
  };
}
