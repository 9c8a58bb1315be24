/**
 * The board's durable storage in one SQLite file (better-sqlite3): WAL journal, synchronous FULL,
 * one transaction per group of appends. The only file of gongshi that touches SQLite. Spec §B.5.1.
 */
import Database from 'better-sqlite3';
import type { Database as DatabaseType, Statement } from 'better-sqlite3';
import type { BoardStorage, StorageCensus, StorageWriter, StoredCheckpoint, StoredEntry } from '../board/storage.ts';
import { storedHashIndex, type NodeStore } from '../log/merkle.ts';

/**
 * B.5.1 the layout version of the file, kept in `PRAGMA user_version`. Layout 2 added the snapshot
 * table (B.5.4); a file of layout 1 gains it when opened (CREATE TABLE IF NOT EXISTS) and becomes 2.
 */
export const STORE_VERSION = 2;

const schema = (p: string) => `
CREATE TABLE IF NOT EXISTS ${p}entries (
  height  INTEGER PRIMARY KEY,
  hash    BLOB NOT NULL,
  bytes   BLOB NOT NULL,
  tracker BLOB UNIQUE
);
CREATE TABLE IF NOT EXISTS ${p}nodes (
  position INTEGER PRIMARY KEY,
  hash     BLOB NOT NULL
);
CREATE TABLE IF NOT EXISTS ${p}checkpoints (
  size INTEGER PRIMARY KEY,
  note TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS ${p}snapshot (
  id    INTEGER PRIMARY KEY CHECK (id = 1),
  bytes BLOB NOT NULL
);
`;

const asBytes = (b: Buffer): Uint8Array => new Uint8Array(b.buffer, b.byteOffset, b.byteLength);

interface EntryRow {
  height: number;
  hash: Buffer;
  bytes: Buffer;
  tracker: Buffer | null;
}

/**
 * A board's tables inside a database that holds other things too (the server's one file): the
 * tables are named `<prefix>entries`, `<prefix>nodes`, `<prefix>checkpoints`, `<prefix>snapshot`. The owner of the
 * database opened it, set its journal and sync modes and keeps its layout version.
 */
export interface SharedDatabase {
  readonly database: DatabaseType;
  /** letters, digits and underscores */
  readonly prefix: string;
}

/** B.5.1 a BoardStorage in a SQLite file, created if missing. Throws if the file is not a gongshi store. */
export class SqliteStorage implements BoardStorage {
  private readonly db: DatabaseType;
  private readonly owned: boolean;
  readonly nodes: NodeStore;
  private readonly stmt: Record<'census' | 'size' | 'entry' | 'range' | 'tracker' | 'trackers' | 'latest' | 'checkpoint' | 'covering' | 'putEntry' | 'putNode' | 'getNode' | 'nodeRange' | 'putCheckpoint' | 'snapshot' | 'putSnapshot' | 'dropSnapshot', Statement>;

  /** A path: the board's own file. A SharedDatabase: the board's tables in an open database. */
  constructor(source: string | SharedDatabase) {
    const p = typeof source === 'string' ? '' : source.prefix;
    if (!/^[A-Za-z0-9_]*$/.test(p)) throw new Error(`bug: table prefix ${JSON.stringify(p)} is not letters, digits and underscores`);
    this.owned = typeof source === 'string';
    if (typeof source === 'string') this.db = openOwnFile(source);
    else {
      this.db = source.database;
      this.db.exec(schema(p));
    }
    this.stmt = {
      census: this.db.prepare(
        `SELECT (SELECT count(*) FROM ${p}entries) AS entryRows, (SELECT MIN(height) FROM ${p}entries) AS lowestHeight, (SELECT count(*) FROM ${p}nodes) AS nodeRows, (SELECT MAX(position) FROM ${p}nodes) AS highestNode, (SELECT count(tracker) FROM ${p}entries) AS trackers`,
      ),
      size: this.db.prepare(`SELECT COALESCE(MAX(height) + 1, 0) AS n FROM ${p}entries`),
      entry: this.db.prepare(`SELECT height, hash, bytes, tracker FROM ${p}entries WHERE height = ?`),
      range: this.db.prepare(`SELECT height, hash, bytes, tracker FROM ${p}entries WHERE height >= ? AND height < ? ORDER BY height`),
      tracker: this.db.prepare(`SELECT height FROM ${p}entries WHERE tracker = ?`),
      // BLOBs compare as memcmp: a range of the tracker's unique index.
      trackers: this.db.prepare(`SELECT tracker FROM ${p}entries WHERE tracker >= ? AND tracker <= ? ORDER BY tracker LIMIT ?`),
      latest: this.db.prepare(`SELECT size, note FROM ${p}checkpoints ORDER BY size DESC LIMIT 1`),
      checkpoint: this.db.prepare(`SELECT size, note FROM ${p}checkpoints WHERE size = ?`),
      covering: this.db.prepare(`SELECT size, note FROM ${p}checkpoints WHERE size > ? ORDER BY size LIMIT 1`),
      putEntry: this.db.prepare(`INSERT INTO ${p}entries (height, hash, bytes, tracker) VALUES (?, ?, ?, ?)`),
      putNode: this.db.prepare(`INSERT INTO ${p}nodes (position, hash) VALUES (?, ?)`),
      getNode: this.db.prepare(`SELECT hash FROM ${p}nodes WHERE position = ?`),
      nodeRange: this.db.prepare(`SELECT position, hash FROM ${p}nodes WHERE position >= ? AND position < ? ORDER BY position`),
      putCheckpoint: this.db.prepare(`INSERT OR REPLACE INTO ${p}checkpoints (size, note) VALUES (?, ?)`),
      snapshot: this.db.prepare(`SELECT bytes FROM ${p}snapshot WHERE id = 1`),
      putSnapshot: this.db.prepare(`INSERT OR REPLACE INTO ${p}snapshot (id, bytes) VALUES (1, ?)`),
      dropSnapshot: this.db.prepare(`DELETE FROM ${p}snapshot`),
    };
    const { getNode, putNode } = this.stmt;
    this.nodes = {
      get(level, index) {
        const row = getNode.get(storedHashIndex(level, index)) as { hash: Buffer } | undefined;
        if (row === undefined) throw new Error(`node (${level}, ${index}) is not stored`);
        return asBytes(row.hash);
      },
      put(level, index, hash) {
        putNode.run(storedHashIndex(level, index), hash);
      },
    };
  }

  size(): number {
    return (this.stmt.size.get() as { n: number }).n;
  }

  *entries(from: number, to: number): Iterable<StoredEntry> {
    for (const row of this.stmt.range.iterate(from, to) as Iterable<EntryRow>) yield toEntry(row);
  }

  nodeHashes(from: number, to: number): { position: number; hash: Uint8Array }[] {
    return (this.stmt.nodeRange.all(from, to) as { position: number; hash: Buffer }[]).map((r) => ({ position: r.position, hash: asBytes(r.hash) }));
  }

  census(): StorageCensus {
    return this.stmt.census.get() as StorageCensus;
  }

  entry(height: number): StoredEntry | null {
    const row = this.stmt.entry.get(height) as EntryRow | undefined;
    return row === undefined ? null : toEntry(row);
  }

  findTracker(tracker: Uint8Array): number | null {
    const row = this.stmt.tracker.get(tracker) as { height: number } | undefined;
    return row?.height ?? null;
  }

  trackersBetween(low: Uint8Array, high: Uint8Array, limit: number): Uint8Array[] {
    return (this.stmt.trackers.all(low, high, limit) as { tracker: Buffer }[]).map((r) => asBytes(r.tracker));
  }

  latestCheckpoint(): StoredCheckpoint | null {
    return (this.stmt.latest.get() as StoredCheckpoint | undefined) ?? null;
  }

  latestSnapshot(): Uint8Array | null {
    const row = this.stmt.snapshot.get() as { bytes: Buffer } | undefined;
    return row === undefined ? null : asBytes(row.bytes);
  }

  checkpoint(size: number): StoredCheckpoint | null {
    return (this.stmt.checkpoint.get(size) as StoredCheckpoint | undefined) ?? null;
  }

  checkpointCovering(height: number): StoredCheckpoint | null {
    return (this.stmt.covering.get(height) as StoredCheckpoint | undefined) ?? null;
  }

  transaction(write: (w: StorageWriter) => void): void {
    const { putEntry, putCheckpoint, putSnapshot, dropSnapshot } = this.stmt;
    const writer: StorageWriter = {
      putEntry: (e) => putEntry.run(e.height, e.hash, e.bytes, e.tracker),
      putCheckpoint: (c) => putCheckpoint.run(c.size, c.note),
      putSnapshot: (s) => (s === null ? dropSnapshot.run() : putSnapshot.run(s)),
    };
    this.db.transaction(() => write(writer)).immediate();
  }

  /** Closes the board's own file; a shared database stays open for its owner. */
  close(): void {
    if (this.owned && this.db.open) this.db.close();
  }
}

/** B.5.1 opens (or creates) a board's own file; a file that is not a gongshi store is refused untouched. */
function openOwnFile(path: string): DatabaseType {
  const db = new Database(path);
  try {
    // Read the layout before changing anything: a file that is not ours is refused untouched.
    const version = db.pragma('user_version', { simple: true }) as number;
    if (version === 0) {
      const tables = db.prepare('SELECT count(*) AS n FROM sqlite_master').get() as { n: number };
      if (tables.n > 0) throw new Error(`${path} is a SQLite database but not a gongshi store`);
    } else if (version > STORE_VERSION) {
      throw new Error(`${path} is a store of layout ${version}; this gongshi reads layout ${STORE_VERSION}`);
    }
    // B.5.1 WAL lets readers run beside the one writer; synchronous FULL fsyncs the WAL at every
    // commit, so a transaction that returned survives a power cut, not only a killed process.
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    if (version < STORE_VERSION) {
      // A new file, or one of an older layout: what is missing is created, in one transaction with
      // the new version (B.5.1: layout 1 → 2 adds the snapshot table).
      db.transaction(() => {
        db.exec(schema(''));
        db.pragma(`user_version = ${STORE_VERSION}`);
      })();
    }
  } catch (e) {
    db.close();
    throw e;
  }
  return db;
}

function toEntry(row: EntryRow): StoredEntry {
  return { height: row.height, hash: asBytes(row.hash), bytes: asBytes(row.bytes), tracker: row.tracker === null ? null : asBytes(row.tracker) };
}
