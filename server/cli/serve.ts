/**
 * `gongshi serve` (`npm start`): builds the client if needed, opens the database under the data
 * folder, and serves gongshi. On first start it prints a one-time link to set the organiser's
 * password; nothing else it prints or logs lets anyone in. SIGTERM and SIGINT stop it gracefully:
 * queued ballots are appended and answered before the database closes.
 */
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { pino, type Level } from 'pino';
import { createApp } from '../app.ts';
import { dataDirOption, env, intOption, parseOptions, UsageError } from './args.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** The built client: dist/client, or $GONGSHI_CLIENT_DIR (a client built elsewhere, as the tests do). */
const clientDir = (): string => env('GONGSHI_CLIENT_DIR') ?? `${ROOT}dist/client`;
const LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

export async function serve(argv: readonly string[]): Promise<number> {
  let host: string;
  let port: number;
  let dataDir: string;
  let publicUrl: string | undefined;
  let level: string;
  let trustProxy: boolean;
  let workers: number;
  let demo: boolean;
  try {
    const opts = parseOptions(argv, ['host', 'port', 'data', 'public-url', 'log-level', 'workers'], ['trust-proxy', 'demo']);
    demo = opts.get('demo') === true;
    host = (opts.get('host') as string | undefined) ?? env('HOST') ?? '127.0.0.1';
    const envPort = env('PORT') === undefined ? 3000 : Number(env('PORT'));
    port = intOption(opts, 'port', envPort, 0, 65535);
    if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError('PORT must be an integer from 0 to 65535');
    dataDir = dataDirOption(opts);
    const fromOption = opts.get('public-url') as string | undefined;
    publicUrl = fromOption ?? env('GONGSHI_PUBLIC_URL');
    if (publicUrl !== undefined && !/^https?:\/\/[^/\s]+\/?$/.test(publicUrl))
      throw new UsageError(`${fromOption === undefined ? 'GONGSHI_PUBLIC_URL' : '--public-url'} must look like https://vote.example.org (no path)`);
    if (publicUrl === undefined && (host === '0.0.0.0' || host === '::'))
      throw new UsageError(`listening on ${host} needs --public-url (the address browsers use), or writes from pages would be refused`);
    workers = intOption(opts, 'workers', availableParallelism(), 0, 64);
    trustProxy = opts.get('trust-proxy') === true || env('GONGSHI_TRUST_PROXY') === '1';
    level = (opts.get('log-level') as string | undefined) ?? env('LOG_LEVEL') ?? 'info';
    if (!LEVELS.includes(level)) throw new UsageError(`--log-level must be one of ${LEVELS.join(', ')}`);
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(`gongshi serve: ${e.message}\n`);
      return 2;
    }
    throw e;
  }
  const CLIENT_DIR = clientDir();
  if (env('GONGSHI_CLIENT_DIR') !== undefined && !existsSync(`${CLIENT_DIR}/index.html`)) {
    process.stderr.write(`gongshi serve: GONGSHI_CLIENT_DIR names ${CLIENT_DIR}, which holds no built client (index.html)\n`);
    return 2;
  }
  if (!existsSync(`${CLIENT_DIR}/index.html`)) {
    process.stdout.write('building the client (first start)…\n');
    const { build } = await import('vite');
    await build({ configFile: `${ROOT}vite.config.ts`, logLevel: 'warn' });
  }
  // Logs are JSON lines on stderr; stdout keeps the few lines meant for the person who started it.
  const logger = pino({ level: level as Level }, pino.destination(2));
  let app: Awaited<ReturnType<typeof createApp>>;
  try {
    app = await createApp({ clientDir: CLIENT_DIR, dataDir, publicUrl, logger, trustProxy: trustProxy ? 1 : false, proofWorkers: workers, demo });
  } catch (e) {
    process.stderr.write(`gongshi serve: cannot open the data in ${dataDir}: ${(e as Error).message}\n`);
    return 1;
  }
  try {
    await new Promise<void>((done, fail) => {
      app.http.once('error', fail);
      app.http.listen(port, host, done);
    });
  } catch (e) {
    await app.close();
    process.stderr.write(`gongshi serve: cannot listen on ${host}:${port}: ${(e as Error).message}\n`);
    return 1;
  }
  const url = app.url();
  process.stdout.write(`gongshi is serving on ${url}/ (data in ${dataDir})\n`);
  if (app.prepareDemo !== null) {
    try {
      process.stdout.write('demo: looking for the demonstration polls in the data folder…\n');
      const { demo: made, made: fresh } = await app.prepareDemo();
      process.stdout.write(
        [
          fresh ? 'demo: made two demonstration polls (once for this data folder)' : 'demo: the demonstration polls are already in the data folder',
          `  the demo page, with the voter codes: ${url}/demo`,
          `  the finished poll: ${url}/poll/${made.finished}/results`,
          `  the open poll: ${url}/poll/${made.open}/vote`,
          '',
        ].join('\n'),
      );
    } catch (e) {
      await app.close();
      process.stderr.write(`gongshi serve: cannot make the demo: ${(e as Error).message}\n`);
      return 1;
    }
  }
  if (app.setupToken !== null) {
    process.stdout.write(`First start: set the organiser's password at this one-time link (it works once):\n  ${url}/setup#${app.setupToken}\n`);
  }
  const stop = (signal: string) => {
    logger.info({ signal }, 'stopping: finishing queued appends');
    app.close().then(
      () => process.exit(0),
      (e) => {
        logger.error({ err: e }, 'stopping failed');
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
  return new Promise<number>(() => {}); // serves until a signal
}
