/**
 * The board's durable storage in one SQLite file (better-sqlite3): WAL journal, synchronous FULL,
 * one transaction per group of appends. The only file of gongshi that touches SQLite. Spec §B.5.1.
 */
import Database from 'better-sqlite3';
import type { Database as DatabaseType, Statement } from 'better-sqlite3';
import type { BoardStorage, StorageCensus, StorageWriter, StoredCheckpoint, StoredEntry } from '../board/storage.ts';
import { storedHashIndex, type NodeStore } from '../log/merkle.ts';

/** B.5.1 the layout version of the file, kept in `PRAGMA user_version`. */
export const STORE_VERSION = 1;

const SCHEMA = `
CREATE TABLE IF NOT EXISTS entries (
  height  INTEGER PRIMARY KEY,
  hash    BLOB NOT NULL,
  bytes   BLOB NOT NULL,
  tracker BLOB UNIQUE
);
CREATE TABLE IF NOT EXISTS nodes (
  position INTEGER PRIMARY KEY,
  hash     BLOB NOT NULL
);
CREATE TABLE IF NOT EXISTS checkpoints (
  size INTEGER PRIMARY KEY,
  note TEXT NOT NULL
);
`;

const asBytes = (b: Buffer): Uint8Array => new Uint8Array(b.buffer, b.byteOffset, b.byteLength);

interface EntryRow {
  height: number;
  hash: Buffer;
  bytes: Buffer;
  tracker: Buffer | null;
}

/** B.5.1 a BoardStorage in a SQLite file, created if missing. Throws if the file is not a gongshi store. */
export class SqliteStorage implements BoardStorage {
  private readonly db: DatabaseType;
  readonly nodes: NodeStore;
  private readonly stmt: Record<'census' | 'size' | 'entry' | 'range' | 'tracker' | 'latest' | 'checkpoint' | 'putEntry' | 'putNode' | 'getNode' | 'putCheckpoint', Statement>;

  constructor(readonly path: string) {
    this.db = new Database(path);
    try {
      // Read the layout before changing anything: a file that is not ours is refused untouched.
      const version = this.db.pragma('user_version', { simple: true }) as number;
      if (version === 0) {
        const tables = this.db.prepare("SELECT count(*) AS n FROM sqlite_master").get() as { n: number };
        if (tables.n > 0) throw new Error(`${path} is a SQLite database but not a gongshi store`);
      } else if (version !== STORE_VERSION) {
        throw new Error(`${path} is a store of layout ${version}; this gongshi reads layout ${STORE_VERSION}`);
      }
      // B.5.1 WAL lets readers run beside the one writer; synchronous FULL fsyncs the WAL at every
      // commit, so a transaction that returned survives a power cut, not only a killed process.
      this.db.pragma('journal_mode = WAL');
      this.db.pragma('synchronous = FULL');
      if (version === 0) {
        this.db.exec(SCHEMA);
        this.db.pragma(`user_version = ${STORE_VERSION}`);
      }
    } catch (e) {
      this.db.close();
      throw e;
    }
    this.stmt = {
      census: this.db.prepare(
        'SELECT (SELECT count(*) FROM entries) AS entryRows, (SELECT MIN(height) FROM entries) AS lowestHeight, (SELECT count(*) FROM nodes) AS nodeRows, (SELECT MAX(position) FROM nodes) AS highestNode, (SELECT count(tracker) FROM entries) AS trackers',
      ),
      size: this.db.prepare('SELECT COALESCE(MAX(height) + 1, 0) AS n FROM entries'),
      entry: this.db.prepare('SELECT height, hash, bytes, tracker FROM entries WHERE height = ?'),
      range: this.db.prepare('SELECT height, hash, bytes, tracker FROM entries WHERE height >= ? AND height < ? ORDER BY height'),
      tracker: this.db.prepare('SELECT height FROM entries WHERE tracker = ?'),
      latest: this.db.prepare('SELECT size, note FROM checkpoints ORDER BY size DESC LIMIT 1'),
      checkpoint: this.db.prepare('SELECT size, note FROM checkpoints WHERE size = ?'),
      putEntry: this.db.prepare('INSERT INTO entries (height, hash, bytes, tracker) VALUES (?, ?, ?, ?)'),
      putNode: this.db.prepare('INSERT INTO nodes (position, hash) VALUES (?, ?)'),
      getNode: this.db.prepare('SELECT hash FROM nodes WHERE position = ?'),
      putCheckpoint: this.db.prepare('INSERT OR REPLACE INTO checkpoints (size, note) VALUES (?, ?)'),
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

  latestCheckpoint(): StoredCheckpoint | null {
    return (this.stmt.latest.get() as StoredCheckpoint | undefined) ?? null;
  }

  checkpoint(size: number): StoredCheckpoint | null {
    return (this.stmt.checkpoint.get(size) as StoredCheckpoint | undefined) ?? null;
  }

  transaction(write: (w: StorageWriter) => void): void {
    const { putEntry, putCheckpoint } = this.stmt;
    const writer: StorageWriter = {
      putEntry: (e) => putEntry.run(e.height, e.hash, e.bytes, e.tracker),
      putCheckpoint: (c) => putCheckpoint.run(c.size, c.note),
    };
    this.db.transaction(() => write(writer)).immediate();
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}

function toEntry(row: EntryRow): StoredEntry {
  return { height: row.height, hash: asBytes(row.hash), bytes: asBytes(row.bytes), tracker: row.tracker === null ? null : asBytes(row.tracker) };
}
