/** `gongshi <command>`: the one entry point for people at a terminal. */
import { admin } from './admin.ts';
import { backup, restore } from './backup.ts';
import { bench } from './bench.ts';
import { demo } from './demo.ts';
import { useNodeSha256 } from './node-sha256.ts';
import { serve } from './serve.ts';
import { verify } from './verify.ts';
import { witness } from './witness.ts';

const USAGE = `usage: gongshi <command> [options]

commands:
  serve     serve gongshi on this machine (npm start runs this)
            --host HOST (default 127.0.0.1, or $HOST)  --port PORT (default 3000, or $PORT)
            --data DIR (./data, or $GONGSHI_DATA)  --public-url URL (the address people use, or $GONGSHI_PUBLIC_URL)
            --trust-proxy (behind a reverse proxy: rate limits by X-Forwarded-For)  --log-level LEVEL (info)
            --workers N (threads that check ballot proofs; default one per core, 0 = the main thread)
            --demo (make, once per data folder, a finished and an open demonstration poll; the codes at /demo)
  bench     measure ballots (creation, verification), the board (durable appends, proof sizes), the verifier
            and casting over HTTP
            --json (one JSON object on the last line)  --batch N (default 1000)  --quick
            --ballots N (instead: the figures at scale for an N-ballot poll: verification rate, CPU and peak
            memory, record size; the record is made once and kept in the temporary folder)
            --browser (with --ballots: also verify it in headless Chromium with the site's verifier page)
  demo      run a whole poll in this process and write its record file
            --voters N (100)  --trustees n (3)  --threshold t (2)  --seed S  --out RECORD (demo-record.gongshi)
            --questions courtyard|single-5|single-2|peer (peer: Belenios' shape, 1 of 5 then 0–5 of 5)
            --plain (one ballot per voter: no audits, nobody changes her mind)
  verify    verify a record file, or a gongshi server's record at a URL, with every check of the spec
            RECORD  --json  --checkpoint FILE (repeatable: saved checkpoints to check append-only)  --workers N
            exit code 0 valid, 1 invalid, 2 unreadable input or usage error
  witness   follow a poll's board and cosign each checkpoint that extends the last one it verified
            URL (…/poll/<id> or …/api/polls/<id>)  --state DIR (./witness-state)  --name NAME (witness-<host>)
            --interval SECONDS (10)  --once (look once, then exit)
            exit code 0 done or stopped, 1 board unreachable (--once), 2 usage error or unusable state folder,
            3 the board equivocated or rolled back (evidence on stdout) or changed its log key
  backup    copy the server database consistently while the server runs
            FILE  --data DIR (./data, or $GONGSHI_DATA)  --force (replace an existing FILE)
  restore   put a backup in place of the data folder's database (the server must be stopped); keeps
            the replaced one beside it
            FILE  --data DIR  --force (even when the database there holds what the backup lacks)
            exit code 0 done, 1 refused or failed (nothing changed), 2 usage error
  admin     organiser accounts, from the server machine (works while the server runs)
            reset-password NAME (a one-time link to set NAME's new password) | invite (a one-time invitation)
            --data DIR  --public-url URL (the link's address, or $GONGSHI_PUBLIC_URL, else http://127.0.0.1:3000)
            exit code 0 done, 1 unknown name or no database (nothing written), 2 usage error
  help      show this text
`;

/** Runs a command; returns the process exit code (0 success, 2 usage error). */
export async function main(argv: readonly string[]): Promise<number> {
  useNodeSha256();
  const [command, ...rest] = argv;
  switch (command) {
    case 'serve':
      return serve(rest);
    case 'bench':
      return bench(rest);
    case 'demo':
      return demo(rest);
    case 'verify':
      return verify(rest);
    case 'witness':
      return witness(rest);
    case 'backup':
      return backup(rest);
    case 'restore':
      return restore(rest);
    case 'admin':
      return admin(rest);
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
