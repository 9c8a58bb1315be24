/**
 * `gongshi admin`: organiser accounts from the server machine, while the server runs on the same data
 * folder (the database is opened as the server opens it, WAL; each write is one short transaction).
 * `reset-password NAME` prints a one-time link to set NAME's new password; `invite` prints a one-time
 * invitation. Exit codes: 0 done, 1 refused (unknown name, no database; nothing written), 2 usage error.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { DATABASE_FILE } from '../app.ts';
import { Accounts, SETUP_TOKEN_MS } from '../store/accounts.ts';
import { AccountLinks, accountLinkUrl } from '../store/account-links.ts';
import { openServerDatabase } from '../store/server-database.ts';
import { dataDirOption, env, parseCommand, UsageError } from './args.ts';

const DEFAULT_URL = 'http://127.0.0.1:3000';

const USAGE = `usage: gongshi admin <command> [--data DIR] [--public-url URL]
  reset-password NAME   print a one-time link that lets the organiser NAME set a new password
                        (using it ends her sessions; her old password works until then)
  invite                print a one-time link that lets someone become an organiser
  --data DIR            the server's data folder (./data, or $GONGSHI_DATA)
  --public-url URL      the address in the link (else $GONGSHI_PUBLIC_URL, else ${DEFAULT_URL})
  Links work once, for ${SETUP_TOKEN_MS / 86_400_000} days. Exit code 0 done, 1 refused (nothing written), 2 usage error.`;

/** The link's base address and where it came from. Throws UsageError for a malformed one. */
function baseAddress(opts: Map<string, string | true>): { url: string; from: string } {
  const fromOption = opts.get('public-url') as string | undefined;
  const fromEnv = env('GONGSHI_PUBLIC_URL');
  const url = fromOption ?? fromEnv ?? DEFAULT_URL;
  const from = fromOption !== undefined ? '--public-url' : fromEnv !== undefined ? 'GONGSHI_PUBLIC_URL' : 'the default; give --public-url for the address people use';
  if (!/^https?:\/\/[^/\s]+\/?$/.test(url)) throw new UsageError(`${fromOption !== undefined ? '--public-url' : 'GONGSHI_PUBLIC_URL'} must look like https://vote.example.org (no path)`);
  return { url: url.replace(/\/$/, ''), from };
}

/** Runs `gongshi admin …`; returns the exit code. */
export async function admin(argv: readonly string[]): Promise<number> {
  let command: string;
  let name: string | undefined;
  let database: string;
  let base: { url: string; from: string };
  try {
    const { options, positional } = parseCommand(argv, { values: ['data', 'public-url'], positional: 2 });
    [command, name] = positional;
    if (command === 'reset-password') {
      if (name === undefined || name === '') throw new UsageError('reset-password needs the organiser’s NAME');
    } else if (command === 'invite') {
      if (name !== undefined) throw new UsageError(`unexpected argument "${name}"`);
    } else throw new UsageError(command === undefined ? 'which command?' : `unknown command "${command}"`);
    database = join(dataDirOption(options), DATABASE_FILE);
    base = baseAddress(options);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    process.stderr.write(`gongshi admin: ${e.message}\n${USAGE}\n`);
    return 2;
  }
  // Never make a database here: a wrong --data would otherwise leave an empty one behind.
  if (!existsSync(database)) {
    process.stderr.write(`gongshi admin: there is no server database at ${database} (give --data, the folder the server uses). Nothing was written.\n`);
    return 1;
  }
  const db = openServerDatabase(database);
  try {
    const links = new AccountLinks(db, Date.now);
    const address = `(address: ${base.url}, from ${base.from})`;
    if (command === 'invite') {
      const link = accountLinkUrl(base.url, 'invite', links.invite(null));
      process.stdout.write(`One-time invitation to become an organiser ${address}.\nSend it privately; it works once, for ${SETUP_TOKEN_MS / 86_400_000} days:\n  ${link}\n`);
      return 0;
    }
    const who = new Accounts(db, Date.now).byName(name!);
    if (who === null) {
      process.stderr.write(`gongshi admin: there is no organiser named ${JSON.stringify(name)} in ${database}. Nothing was written.\n`);
      return 1;
    }
    const link = accountLinkUrl(base.url, 'reset', links.reset(who, null));
    process.stdout.write(
      `One-time link for ${who.name} to set a new password ${address}.\n` +
        `It works once, for ${SETUP_TOKEN_MS / 86_400_000} days. Her password and sessions stay as they are until it is used;\n` +
        `then her old password stops working and every session of hers ends:\n  ${link}\n`,
    );
    return 0;
  } finally {
    db.close();
  }
}
