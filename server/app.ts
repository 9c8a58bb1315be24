/**
 * createApp(config): the gongshi server. One SQLite file under the data folder, every poll's board
 * in it, the REST API (docs/api.md), the live feed over socket.io, and the built client.
 * It is a convenience, never an authority: every write goes through the board's rules.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import express, { type NextFunction, type Request, type Response } from 'express';
import { pino, type Logger } from 'pino';
import type { Server as SocketServer } from 'socket.io';
import type { BallotChecker } from '../bulletin-board/index.ts';
import { systemRandom, type RandomSource } from '../crypto/index.ts';
import type { ApiDeps, RateLimits } from './api/deps.ts';
import { ApiError } from './api/errors.ts';
import { organiserRoutes } from './api/organiser-routes.ts';
import { publicRoutes } from './api/public-routes.ts';
import { securityHeaders } from './api/security.ts';
import { registrarRoutes } from './api/registrar-routes.ts';
import { trusteeRoutes } from './api/trustee-routes.ts';
import { voterRoutes } from './api/voter-routes.ts';
import { createLiveFeed } from './live/live-feed.ts';
import { Polls } from './polls/polls.ts';
import { workerChecker } from './polls/worker-checker.ts';
import { createProofWorkers } from './cli/proof-workers.ts';
import { Accounts } from './store/accounts.ts';
import { AccountLinks } from './store/account-links.ts';
import { openServerDatabase } from './store/server-database.ts';
import { demoRoutes } from './api/demo-routes.ts';
import { ensureSiteDemo, type SiteDemo } from './demo/site-demo.ts';

export interface AppConfig {
  /** folder of the built client (vite build output) */
  readonly clientDir: string;
  /** folder of the server database, `gongshi.sqlite` (created if missing) */
  readonly dataDir: string;
  /** the URL people reach the server at (https://vote.example.org); default: the address it listens on */
  readonly publicUrl?: string;
  readonly logger?: Logger;
  /** ms since 1970 UTC; default Date.now. The board's clock, and the schedule's. */
  readonly clock?: () => number;
  readonly rng?: RandomSource;
  readonly limits?: Partial<RateLimits>;
  /** worker threads that check ballot proofs (0: on the main thread, the default) */
  readonly proofWorkers?: number;
  /** Express's `trust proxy`: true or a hop count when a reverse proxy sets X-Forwarded-For */
  readonly trustProxy?: boolean | number;
  /** serve the demonstration (`gongshi serve --demo`): GET /api/demo, and `prepareDemo` to make or find its polls */
  readonly demo?: boolean;
}

export interface App {
  readonly http: HttpServer;
  readonly io: SocketServer;
  readonly polls: Polls;
  /** the boards' ballot checker on the proof worker threads (`proofWorkers`), or null when proofs are checked on the main thread */
  readonly ballotChecker: BallotChecker | null;
  /** the one-time setup token while the organiser has no password yet (printed as a link), else null */
  readonly setupToken: string | null;
  /** the URL people reach the server at (after listen) */
  url(): string;
  /** with `demo` only, after listen: makes the demo polls (once per data folder) or finds them; null without `demo` */
  readonly prepareDemo: (() => Promise<{ demo: SiteDemo; made: boolean }>) | null;
  /** stops taking requests, lets queued appends finish, closes the database */
  close(): Promise<void>;
}

/** Default limits per client address: generous for a household behind one address, tight for guessing. */
export const DEFAULT_LIMITS: RateLimits = {
  login: { burst: 10, perMinute: 10 },
  credential: { burst: 30, perMinute: 30 },
  cast: { burst: 60, perMinute: 120 },
  cosign: { burst: 30, perMinute: 60 },
};

export const DATABASE_FILE = 'gongshi.sqlite';

export async function createApp(config: AppConfig): Promise<App> {
  const log = config.logger ?? pino({ level: 'info' });
  const clock = config.clock ?? Date.now;
  const rng = config.rng ?? systemRandom;
  mkdirSync(config.dataDir, { recursive: true });
  const db = openServerDatabase(join(config.dataDir, DATABASE_FILE));
  const accounts = new Accounts(db, clock);
  const accountLinks = new AccountLinks(db, clock);
  // The Express app handles the server's requests before socket.io attaches, so that socket.io
  // answers its own path (/socket.io/) alone.
  const app = express();
  const http = createServer(app);
  // Idle keep-alive connections stay open 65 s (Node's default is 5 s), longer than the idle timeout
  // of common reverse proxies (60 s) and of clients whose timers run late: a client that reuses a
  // connection the server has just closed sees "socket closed" on a request it never got to send.
  http.keepAliveTimeout = 65_000;
  http.headersTimeout = 66_000;
  // The address it listens on, kept after close() so that requests still in flight while it stops
  // are judged by the same origins and links.
  let address: AddressInfo | null = null;
  http.on('listening', () => {
    const a = http.address();
    address = typeof a === 'object' && a !== null ? a : null;
  });
  const listening = (): AddressInfo | null => address;
  const listenUrl = (): string => {
    const a = listening();
    if (a === null) throw new Error('bug: the server is not listening yet');
    return `http://${a.family === 'IPv6' ? `[${a.address}]` : a.address}:${a.port}`;
  };
  const publicUrl = (): string => (config.publicUrl ?? listenUrl()).replace(/\/$/, '');
  const allowedOrigins = (): ReadonlySet<string> => {
    const set = new Set<string>();
    if (config.publicUrl) set.add(new URL(config.publicUrl).origin);
    const a = listening();
    if (a !== null) {
      set.add(new URL(listenUrl()).origin);
      if (a.address === '127.0.0.1' || a.address === '::1') set.add(`http://localhost:${a.port}`);
    }
    return set;
  };
  const live = createLiveFeed(http, { allowedOrigins, log });
  const workers = config.proofWorkers ?? 0;
  const pool = workers > 0 ? createProofWorkers(workers) : null;
  const ballotChecker = pool === null ? null : workerChecker(pool, workers);
  let polls: Polls;
  try {
    polls = await Polls.load({ db, clock, rng, log, events: live.events, ballotChecker: ballotChecker ?? undefined });
  } catch (e) {
    await pool?.close();
    db.close();
    throw e;
  }
  live.attach(polls);
  const deps: ApiDeps = {
    db,
    accounts,
    accountLinks,
    polls,
    log,
    clock,
    limits: { ...DEFAULT_LIMITS, ...config.limits },
    allowedOrigins,
    publicHost: () => new URL(publicUrl()).host,
    publicUrl,
    secureCookies: (config.publicUrl ?? '').startsWith('https:'),
  };

  app.disable('x-powered-by');
  app.set('etag', false);
  // Behind a reverse proxy, the client's address (for rate limits only) comes from X-Forwarded-For.
  app.set('trust proxy', config.trustProxy ?? false);
  app.use(securityHeaders(deps.secureCookies));
  app.use('/api', noStore, requestLog(log), jsonOnly, publicRoutes(deps), organiserRoutes(deps), trusteeRoutes(deps), registrarRoutes(deps), voterRoutes(deps));
  // The demonstration exists only when asked for: without `demo` neither its route nor its polls are made.
  let demo: SiteDemo | null = null;
  if (config.demo === true) app.use('/api', demoRoutes(() => demo));
  app.use('/api', (_req, _res, next) => next(new ApiError('NOT_FOUND', 'no such endpoint')));
  app.use('/api', apiErrors(log));
  app.use(express.static(config.clientDir, { index: 'index.html' }));
  // The client routes in the browser: every other path gets the app's page.
  // A missing file (a path with an extension, such as an old /assets/… bundle) is a plain 404.
  app.get('/{*splat}', (req, res) => {
    if (/\.[A-Za-z0-9]+$/.test(req.path)) return void res.status(404).type('text').send('Not found');
    if (existsSync(join(config.clientDir, 'index.html'))) res.sendFile('index.html', { root: config.clientDir });
    else res.status(503).type('text').send('The client is not built yet: run `npm run build`.');
  });

  let closing: Promise<void> | null = null;
  return {
    http,
    io: live.io,
    polls,
    ballotChecker,
    setupToken: accounts.setupToken(),
    url: publicUrl,
    prepareDemo:
      config.demo === true
        ? async () => {
            const made = await ensureSiteDemo({ polls, db, dataDir: config.dataDir, host: deps.publicHost(), rng, log });
            demo = made.demo;
            return made;
          }
        : null,
    close: () =>
      (closing ??= (async () => {
        const stopped = new Promise<void>((resolve) => http.close(() => resolve()));
        live.io.disconnectSockets(true);
        // Requests in flight finish: every queued append is written and answered before the database closes.
        await polls.shutdown();
        http.closeIdleConnections();
        const grace = setTimeout(() => http.closeAllConnections(), 2000);
        await stopped;
        clearTimeout(grace);
        await new Promise<void>((resolve) => live.io.close(() => resolve()));
        await pool?.close();
        db.close();
      })()),
  };
}

/** API answers are live state: never cached. */
function noStore(_req: Request, res: Response, next: NextFunction): void {
  res.set('Cache-Control', 'no-store');
  next();
}

/** Writes with a body must be JSON. */
function jsonOnly(req: Request, _res: Response, next: NextFunction): void {
  const hasBody = req.get('content-length') !== undefined ? req.get('content-length') !== '0' : req.get('transfer-encoding') !== undefined;
  if (hasBody && !req.is('application/json')) return next(new ApiError('UNSUPPORTED_MEDIA_TYPE', 'send JSON (Content-Type: application/json)'));
  next();
}

/** One line per request: method, path, status, time. No address, no user agent, no body, no cookie. */
function requestLog(log: Logger) {
  return (req: Request, res: Response, next: NextFunction) => {
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      const line = { method: req.method, path: req.originalUrl.split('?')[0], status: res.statusCode, ms: Math.round(ms * 10) / 10 };
      if (res.statusCode >= 500) log.error(line, 'request failed');
      else log.debug(line, 'request');
    });
    next();
  };
}

/** Every rejection as `{ error, message }` with its 4xx; anything else is a bug: 500, logged. */
function apiErrors(log: Logger) {
  return (err: unknown, _req: Request, res: Response, _next: NextFunction) => {
    let e: ApiError;
    if (err instanceof ApiError) e = err;
    else if (isBodyError(err, 'entity.too.large')) e = new ApiError('BODY_TOO_LARGE', `the request body is larger than ${(err as { limit: number }).limit} bytes`);
    else if (isBodyError(err, 'entity.parse.failed')) e = new ApiError('BAD_JSON', 'the request body is not valid JSON');
    else if (isBodyError(err, 'encoding.unsupported') || isBodyError(err, 'charset.unsupported')) e = new ApiError('UNSUPPORTED_MEDIA_TYPE', 'send UTF-8 JSON');
    else {
      log.error({ err }, 'bug: unexpected error');
      if (!res.headersSent) res.status(500).json({ error: 'INTERNAL', message: 'a bug in the server; it has been logged' });
      return;
    }
    if (res.headersSent) return;
    res.status(e.status).json(e.body());
  };
}

function isBodyError(err: unknown, type: string): boolean {
  return typeof err === 'object' && err !== null && (err as { type?: unknown }).type === type;
}
