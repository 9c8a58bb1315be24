/**
 * `gongshi backup FILE` and `gongshi restore FILE`: a consistent copy of the server database while
 * the server runs, and putting one back while it is stopped. Exit codes: 0 done, 1 refused or
 * failed (nothing changed), 2 usage error.
 */
import { resolve } from 'node:path';
import { DATABASE_FILE } from '../app.ts';
import { BackupError, backupServerDatabase, restoreServerDatabase, type DatabaseCensus } from '../store/backup.ts';
import { dataDirOption, parseCommand, UsageError } from './args.ts';

const BACKUP_USAGE = `usage: gongshi backup FILE [--data DIR] [--force]
  copies the server database of the data folder (./data, or $GONGSHI_DATA) into FILE, consistently,
  while the server keeps running. --force replaces an existing FILE.`;
const RESTORE_USAGE = `usage: gongshi restore FILE [--data DIR] [--force]
  puts the backup FILE in place of the data folder's database (stop the server first). Refuses when
  the database there holds anything the backup lacks, unless --force; the replaced database is kept
  beside it as ${DATABASE_FILE}.before-restore-<time>.`;

/** One line per poll: its id and how many entries its board holds. */
function describe(census: DatabaseCensus): string {
  const lines = [...census.polls].map(([id, p]) => `  poll ${id}: ${p.board === 0 ? 'draft' : `${p.board} board entries`}`);
  return `${census.polls.size} polls, ${census.organisers} organisers\n${lines.join('\n')}${lines.length ? '\n' : ''}`;
}

async function run(name: string, usage: string, argv: readonly string[], work: (file: string, database: string, force: boolean) => Promise<string>): Promise<number> {
  let file: string;
  let database: string;
  let force: boolean;
  try {
    const { options, positional } = parseCommand(argv, { values: ['data'], flags: ['force'], positional: 1 });
    if (positional.length !== 1) throw new UsageError('which file?');
    file = resolve(positional[0]);
    database = resolve(dataDirOption(options), DATABASE_FILE);
    force = options.get('force') === true;
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    process.stderr.write(`gongshi ${name}: ${e.message}\n${usage}\n`);
    return 2;
  }
  try {
    process.stdout.write(await work(file, database, force));
    return 0;
  } catch (e) {
    if (!(e instanceof BackupError)) throw e;
    process.stderr.write(`gongshi ${name}: ${e.message}\nNothing was changed.\n`);
    return 1;
  }
}

export function backup(argv: readonly string[]): Promise<number> {
  return run('backup', BACKUP_USAGE, argv, async (file, database, force) => {
    const done = await backupServerDatabase(database, file, { force });
    return `backed up ${database} to ${file} (${(done.bytes / 1e6).toFixed(1)} MB): ${describe(done.census)}`;
  });
}

export function restore(argv: readonly string[]): Promise<number> {
  return run('restore', RESTORE_USAGE, argv, async (file, database, force) => {
    const done = await restoreServerDatabase(file, database, { force });
    const kept = done.replaced === null ? '' : `the database it replaced is kept as ${done.replaced}\n`;
    const forced = done.ahead.length > 0 ? `it held what the backup lacks (--force): ${done.ahead.join('; ')}\n` : '';
    return `restored ${file} into ${database}: ${describe(done.census)}${forced}${kept}`;
  });
}
