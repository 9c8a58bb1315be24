/**
 * The child of crash.test.ts: a gongshi server to be killed. Run as
 *   node --import tsx test/server/crash-server.ts <dataDir> <clientDir>
 * It opens (or creates) the server database in <dataDir> through createApp, which replays and checks
 * every board, serves the (empty) <clientDir> as the client, listens on 127.0.0.1 port 0, prints
 * `setup <token>` on a first start, then `url <url>` once it serves. Rate limits are off; errors are
 * logged to stderr as JSON lines (a 5xx is a bug). On SIGTERM it stops as `gongshi serve` does:
 * app.close() lets queued appends finish and answers them, then it exits 0.
 */
import { writeSync } from 'node:fs';
import { pino } from 'pino';
import { createApp } from '../../server/app.ts';
import { NO_LIMITS } from './support.ts';

/** A synchronous write: a line printed is a line the parent can read, whenever the kill lands. */
const say = (line: string): void => {
  writeSync(1, `${line}\n`);
};

const [dataDir, clientDir] = process.argv.slice(2);
if (!dataDir || !clientDir) throw new Error('usage: crash-server.ts <dataDir> <clientDir>');
const app = await createApp({
  clientDir,
  dataDir,
  logger: pino({ level: 'error' }, pino.destination(2)),
  limits: NO_LIMITS,
});
await new Promise<void>((done) => app.http.listen(0, '127.0.0.1', done));
if (app.setupToken !== null) say(`setup ${app.setupToken}`);
say(`url ${app.url()}`);
process.once('SIGTERM', () => {
  app.close().then(
    () => process.exit(0),
    (e) => {
      process.stderr.write(`stopping failed: ${(e as Error).stack}\n`);
      process.exit(1);
    },
  );
});
