/**
 * The server's one SQLite file: accounts, sessions, drafts, trustee invitations, witness
 * cosignatures, which finished polls are hidden from the front page, and every poll's board in its
 * own tables (bulletin-board/store, SharedDatabase).
 * WAL and synchronous FULL, as the board's own files (spec §B.5.1).
 */
import Database from 'better-sqlite3';
import type { Database as DatabaseType } from 'better-sqlite3';

/** "gong" in ASCII: marks the file as a gongshi server database (PRAGMA application_id). */
export const APPLICATION_ID = 0x676f6e67;
/**
 * Upgrades of the layout, in order: MIGRATIONS[i] takes a database of layout i + 1 to layout i + 2.
 * Each runs in one transaction with the new user_version, so a database is never half upgraded.
 * A new database is made at layout 1 and upgraded like an old one, so both paths are the same code.
 */
const MIGRATIONS: readonly string[] = [
  // layout 2: a finished poll the organiser took off the front page (its record stays, served as before)
  'ALTER TABLE polls ADD COLUMN hidden INTEGER NOT NULL DEFAULT 0',

  // layout 3: several organisers. One-time account links: an invitation to become an organiser (organiser
  // NULL: she chooses her name) or a link to set a new password (for that organiser). Only the hash of
  // the token is kept; created_by is the organiser who made it, NULL for the command line.
  `CREATE TABLE account_links (
    token_hash BLOB PRIMARY KEY,
    kind       TEXT NOT NULL CHECK (kind IN ('invite', 'reset')),
    organiser  INTEGER REFERENCES organisers(id),
    expires    INTEGER NOT NULL,
    created_by INTEGER REFERENCES organisers(id),
    created    INTEGER NOT NULL,
    CHECK ((kind = 'invite') = (organiser IS NULL))
  );
  CREATE INDEX sessions_by_organiser ON sessions (organiser);`,
];

/** The layout of the server's own tables, in PRAGMA user_version. */
export const SERVER_DATABASE_VERSION = 1 + MIGRATIONS.length;

const SCHEMA = `
CREATE TABLE organisers (
  id            INTEGER PRIMARY KEY,
  name          TEXT NOT NULL UNIQUE,
  password_hash TEXT,
  created       INTEGER NOT NULL
);
CREATE TABLE setup_tokens (
  token_hash BLOB PRIMARY KEY,
  organiser  INTEGER NOT NULL REFERENCES organisers(id),
  expires    INTEGER NOT NULL
);
CREATE TABLE sessions (
  id_hash   BLOB PRIMARY KEY,
  organiser INTEGER NOT NULL REFERENCES organisers(id),
  expires   INTEGER NOT NULL
);
CREATE TABLE polls (
  id        TEXT PRIMARY KEY,
  organiser INTEGER NOT NULL REFERENCES organisers(id),
  draft     TEXT NOT NULL,
  published INTEGER NOT NULL DEFAULT 0,
  log_seed  BLOB NOT NULL,
  created   INTEGER NOT NULL,
  updated   INTEGER NOT NULL
);
CREATE TABLE invites (
  poll       TEXT NOT NULL REFERENCES polls(id),
  trustee    INTEGER NOT NULL,
  token_hash BLOB NOT NULL UNIQUE,
  PRIMARY KEY (poll, trustee)
);
CREATE TABLE ceremony_done (
  poll    TEXT NOT NULL REFERENCES polls(id),
  run     INTEGER NOT NULL,
  step    INTEGER NOT NULL,
  trustee INTEGER NOT NULL,
  PRIMARY KEY (poll, run, step, trustee)
);
CREATE TABLE witness_keys (
  poll    TEXT NOT NULL REFERENCES polls(id),
  witness TEXT NOT NULL,
  PRIMARY KEY (poll, witness)
);
CREATE TABLE cosignatures (
  poll      TEXT NOT NULL REFERENCES polls(id),
  witness   TEXT NOT NULL,
  size      INTEGER NOT NULL,
  signature TEXT NOT NULL,
  PRIMARY KEY (poll, witness)
);
`;

/** Opens (or creates) the server database. Throws, leaving the file untouched, if it is not one. */
export function openServerDatabase(path: string): DatabaseType {
  const db = new Database(path);
  try {
    const app = db.pragma('application_id', { simple: true }) as number;
    const version = db.pragma('user_version', { simple: true }) as number;
    if (app === 0 && version === 0) {
      const tables = db.prepare('SELECT count(*) AS n FROM sqlite_master').get() as { n: number };
      if (tables.n > 0) throw new Error(`${path} is a SQLite database but not a gongshi server database`);
    } else if (app !== APPLICATION_ID) {
      throw new Error(`${path} is a SQLite database but not a gongshi server database`);
    } else if (version < 1 || version > SERVER_DATABASE_VERSION) {
      throw new Error(`${path} has layout ${version}; this gongshi reads layouts 1 to ${SERVER_DATABASE_VERSION}`);
    }
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
    if (app === 0) {
      db.transaction(() => {
        db.exec(SCHEMA);
        db.pragma(`application_id = ${APPLICATION_ID}`);
        db.pragma('user_version = 1');
      })();
    }
    upgrade(db);
  } catch (e) {
    db.close();
    throw e;
  }
  return db;
}

/** Brings an open server database of an earlier layout up to this one. */
export function upgrade(db: DatabaseType): void {
  for (let v = db.pragma('user_version', { simple: true }) as number; v < SERVER_DATABASE_VERSION; v++) {
    db.transaction(() => {
      db.exec(MIGRATIONS[v - 1]);
      db.pragma(`user_version = ${v + 1}`);
    })();
  }
}

/** The table prefix of a poll's board inside the server database. */
export function boardTablePrefix(pollHex: string): string {
  if (!/^[0-9a-f]{32}$/.test(pollHex)) throw new Error(`bug: ${JSON.stringify(pollHex)} is not a poll id`);
  return `board_${pollHex}_`;
}
