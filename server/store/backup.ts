/**
 * Backups of the server database, the one file that holds everything the server knows: accounts,
 * drafts, trustee invitations, witness cosignatures, every poll's board and the private keys that
 * sign its checkpoints. A backup is a consistent copy taken with SQLite's online backup while the
 * server keeps running; a restore puts a backup in place of the database of a stopped server,
 * keeping the database it replaces beside it.
 */
import { existsSync, renameSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import Database from 'better-sqlite3';
import type { Database as DatabaseType } from 'better-sqlite3';
import { APPLICATION_ID, boardTablePrefix, SERVER_DATABASE_VERSION } from './server-database.ts';

/** Pages per step of the online backup: all at once, so that a copy taken while ballots are being
 * cast is one read of one moment and never restarts because another connection wrote. */
const ALL_PAGES = 0x7fffffff;

/** What a server database holds, enough to tell whether one is ahead of another. */
export interface DatabaseCensus {
  readonly organisers: number;
  /** by poll id: when its draft last changed, and how many entries its board holds (0 before publication) */
  readonly polls: ReadonlyMap<string, { readonly updated: number; readonly board: number }>;
}

export class BackupError extends Error {
  override name = 'BackupError';
}

/**
 * Opens an existing file and checks that it is a whole gongshi server database of this layout.
 * `alone`: holds it exclusively until closed, and fails if another process (a running server) has it
 * open. The exclusive locking mode is set before the first read: a write-ahead-log connection that
 * has already read shares the log with the others and would not notice them.
 */
function openChecked(path: string, what: string, o: { alone?: boolean } = {}): DatabaseType {
  if (!existsSync(path)) throw new BackupError(`${what} ${path} does not exist`);
  let db: DatabaseType;
  try {
    db = new Database(path, { fileMustExist: true, timeout: o.alone ? 0 : 5000 });
  } catch (e) {
    throw new BackupError(`${what} ${path} cannot be opened: ${(e as Error).message}`);
  }
  try {
    if (o.alone) {
      db.pragma('locking_mode = EXCLUSIVE');
      try {
        db.exec('BEGIN EXCLUSIVE');
        db.prepare('SELECT count(*) FROM sqlite_master').get();
        db.exec('COMMIT');
      } catch (e) {
        if ((e as { code?: string }).code === 'SQLITE_BUSY') throw new BackupError(`${path} is in use: stop the server that serves this data folder first`);
        throw e;
      }
    }
    const app = db.pragma('application_id', { simple: true }) as number;
    if (app !== APPLICATION_ID) throw new BackupError(`${what} ${path} is not a gongshi server database`);
    const version = db.pragma('user_version', { simple: true }) as number;
    if (version < 1 || version > SERVER_DATABASE_VERSION) throw new BackupError(`${what} ${path} has layout ${version}; this gongshi reads layouts 1 to ${SERVER_DATABASE_VERSION}`);
    const check = db.pragma('quick_check', { simple: true }) as string;
    if (check !== 'ok') throw new BackupError(`${what} ${path} is damaged: ${check}`);
    return db;
  } catch (e) {
    db.close();
    if (e instanceof BackupError) throw e;
    throw new BackupError(`${what} ${path} cannot be read: ${(e as Error).message}`);
  }
}

/** The census of an open server database. */
export function censusOf(db: DatabaseType): DatabaseCensus {
  const tables = new Set((db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[]).map((r) => r.name));
  const polls = new Map<string, { updated: number; board: number }>();
  for (const row of db.prepare('SELECT id, updated FROM polls').all() as { id: string; updated: number }[]) {
    const entries = `${boardTablePrefix(row.id)}entries`;
    const board = tables.has(entries) ? (db.prepare(`SELECT count(*) AS n FROM ${entries}`).get() as { n: number }).n : 0;
    polls.set(row.id, { updated: row.updated, board });
  }
  const organisers = (db.prepare('SELECT count(*) AS n FROM organisers').get() as { n: number }).n;
  return { organisers, polls };
}

/**
 * What `current` holds that `backup` does not, in words: polls it lacks, boards that are longer,
 * drafts changed later, more organisers. Empty when the backup holds everything `current` does.
 */
export function aheadOfBackup(current: DatabaseCensus, backup: DatabaseCensus): string[] {
  const ahead: string[] = [];
  for (const [id, now] of current.polls) {
    const then = backup.polls.get(id);
    if (then === undefined) ahead.push(`poll ${id} is not in the backup`);
    else if (now.board > then.board) ahead.push(`poll ${id}: the board has ${now.board} entries, the backup ${then.board}`);
    else if (now.updated > then.updated) ahead.push(`poll ${id}: its draft changed after the backup`);
  }
  if (current.organisers > backup.organisers) ahead.push(`${current.organisers} organisers, the backup ${backup.organisers}`);
  return ahead;
}

/** Copies the whole of `source` into a new file at `to` with SQLite's online backup, then checks the copy. */
async function copyDatabase(source: DatabaseType, to: string): Promise<void> {
  rmSync(to, { force: true });
  await source.backup(to, { progress: () => ALL_PAGES });
  openChecked(to, 'the copy').close();
}

/**
 * Takes a consistent copy of the server database at `databasePath` into `file`, while the server may
 * be running. The copy is written beside `file` and renamed into place once checked, so a copy that
 * failed half-way never looks like a backup. Refuses to replace an existing `file` unless `force`.
 */
export async function backupServerDatabase(databasePath: string, file: string, o: { force?: boolean } = {}): Promise<{ census: DatabaseCensus; bytes: number }> {
  if (existsSync(file) && !o.force) throw new BackupError(`${file} already exists: choose another name, or add --force to replace it`);
  if (!existsSync(dirname(file))) throw new BackupError(`the folder ${dirname(file)} does not exist`);
  const source = openChecked(databasePath, 'the database');
  const aside = join(dirname(file), `.${basename(file)}.${process.pid}.partial`);
  try {
    await copyDatabase(source, aside);
    const copy = openChecked(aside, 'the copy');
    const census = censusOf(copy);
    copy.close();
    renameSync(aside, file);
    return { census, bytes: statSync(file).size };
  } catch (e) {
    rmSync(aside, { force: true });
    throw e;
  } finally {
    source.close();
  }
}

/**
 * Puts the backup `file` in place of the server database at `databasePath` (the server must be
 * stopped). Refuses, changing nothing, when the current database holds anything the backup lacks,
 * unless `force`. The replaced database is kept beside it, renamed with the time of the restore.
 */
export async function restoreServerDatabase(
  file: string,
  databasePath: string,
  o: { force?: boolean; now?: Date } = {},
): Promise<{ census: DatabaseCensus; replaced: string | null; ahead: string[] }> {
  const backup = openChecked(file, 'the backup');
  const census = censusOf(backup);
  let current: DatabaseType | null = null;
  let ahead: string[] = [];
  try {
    if (existsSync(databasePath)) {
      current = openChecked(databasePath, 'the database', { alone: true });
      ahead = aheadOfBackup(censusOf(current), census);
      if (ahead.length > 0 && !o.force)
        throw new BackupError(`the database in the data folder is newer than the backup (${ahead.slice(0, 5).join('; ')}${ahead.length > 5 ? '; …' : ''}); add --force to replace it anyway`);
    }
    const aside = join(dirname(databasePath), `.${basename(databasePath)}.${process.pid}.restoring`);
    try {
      await copyDatabase(backup, aside);
    } catch (e) {
      rmSync(aside, { force: true });
      throw e;
    }
    let replaced: string | null = null;
    if (current !== null) {
      // Fold the write-ahead log into the file, so that the kept copy is whole and no stale log
      // is left to be replayed into the restored database.
      current.pragma('wal_checkpoint(TRUNCATE)');
      current.close();
      current = null;
      replaced = `${databasePath}.before-restore-${(o.now ?? new Date()).toISOString().replace(/[:.]/g, '-')}`;
      renameSync(databasePath, replaced);
      for (const side of ['-wal', '-shm']) rmSync(`${databasePath}${side}`, { force: true });
    }
    renameSync(aside, databasePath);
    return { census, replaced, ahead };
  } finally {
    current?.close();
    backup.close();
  }
}
