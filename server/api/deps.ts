/** What the route modules share: the stores, the polls, the limits and the logger. */
import type { Logger } from 'pino';
import type { Accounts } from '../store/accounts.ts';
import type { AccountLinks } from '../store/account-links.ts';
import type { Polls } from '../polls/polls.ts';
import type { RateLimit } from './security.ts';
import type { Database } from 'better-sqlite3';

export interface RateLimits {
  readonly login: RateLimit;
  readonly credential: RateLimit;
  readonly cast: RateLimit;
  readonly cosign: RateLimit;
}

export interface ApiDeps {
  readonly db: Database;
  readonly accounts: Accounts;
  readonly accountLinks: AccountLinks;
  readonly polls: Polls;
  readonly log: Logger;
  readonly clock: () => number;
  readonly limits: RateLimits;
  /** the origins (scheme://host:port) allowed to write and to open a socket */
  readonly allowedOrigins: () => ReadonlySet<string>;
  /** the host named in new polls' origins (`<host>/poll/<hex>`) */
  readonly publicHost: () => string;
  /** the URL people reach the server at, for links */
  readonly publicUrl: () => string;
  readonly secureCookies: boolean;
}
