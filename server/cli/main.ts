/** `gongshi <command>`: the one entry point for people at a terminal. */
import { bench } from './bench.ts';
import { serve } from './serve.ts';

const USAGE = `usage: gongshi <command> [options]

commands:
  serve     serve gongshi on this machine (npm start runs this)
            --host HOST (default 127.0.0.1, or $HOST)  --port PORT (default 3000, or $PORT)
  bench     measure ballots (creation, verification) and the board (durable appends, proof sizes)
            --json (one JSON object on the last line)  --batch N (default 1000)  --quick
  help      show this text
`;

/** Runs a command; returns the process exit code (0 success, 2 usage error). */
export async function main(argv: readonly string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'serve':
      return serve(rest);
    case 'bench':
      return bench(rest);
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      process.stdout.write(USAGE);
      return command === undefined ? 2 : 0;
    default:
      process.stderr.write(`gongshi: unknown command "${command}"\n\n${USAGE}`);
      return 2;
  }
}
