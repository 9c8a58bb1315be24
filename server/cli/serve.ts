/** `gongshi serve`: builds the client if needed and serves gongshi on one address. */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createApp } from '../app.ts';
import { intOption, parseOptions, UsageError } from './args.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const CLIENT_DIR = `${ROOT}dist/client`;

export async function serve(argv: readonly string[]): Promise<number> {
  let host: string;
  let port: number;
  try {
    const opts = parseOptions(argv, ['host', 'port'], []);
    host = (opts.get('host') as string | undefined) ?? process.env.HOST ?? '127.0.0.1';
    const envPort = process.env.PORT === undefined ? 3000 : Number(process.env.PORT);
    port = intOption(opts, 'port', envPort, 0, 65535);
    if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError('PORT must be an integer from 0 to 65535');
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(`gongshi serve: ${e.message}\n`);
      return 2;
    }
    throw e;
  }
  if (!existsSync(`${CLIENT_DIR}/index.html`)) {
    process.stdout.write('building the client (first start)…\n');
    const { build } = await import('vite');
    await build({ configFile: `${ROOT}vite.config.ts`, logLevel: 'warn' });
  }
  const app = createApp({ clientDir: CLIENT_DIR });
  await new Promise<void>((resolve, reject) => {
    app.http.once('error', reject);
    app.http.listen(port, host, resolve);
  });
  const address = app.http.address();
  const actual = typeof address === 'object' && address ? address.port : port;
  process.stdout.write(`gongshi is serving on http://${host.includes(':') ? `[${host}]` : host}:${actual}/\n`);
  const stop = () => {
    app.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  return new Promise<number>(() => {}); // serves until a signal
}
