/**
 * `gongshi witness URL`: a witness of one poll's board (spec §B.3.9–B.3.10). It cosigns each new
 * checkpoint that extends the last one it verified, and prints one line per cosignature; on an
 * equivocating board it prints the evidence and never cosigns that poll again. Its key and what it
 * saw live in the state folder. Exit codes: 0 stopped (SIGINT, SIGTERM) or, with --once, done;
 * 1 the board could not be read (--once only: following, it keeps trying); 2 usage error or unusable
 * state folder; 3 the board misbehaved (equivocation or rollback, or a log key other than the pinned one).
 */
import { resolve } from 'node:path';
import { DecodeError } from '../../crypto/index.ts';
import { BoardError, PollUrlError, Witness, WitnessStateError, describeEquivocation, evidenceText, parsePollUrl, type FollowOutcome, type PollUrl } from '../witness/index.ts';
import { UsageError, intOption, parseCommand } from './args.ts';

const USAGE = 'usage: gongshi witness URL [--state DIR] [--name NAME] [--interval SECONDS] [--once]';
const HELP = `${USAGE}

Follows one poll's board: cosigns each new checkpoint once it has verified that it extends the last
one it saw (spec §B.3.10), and posts the cosignature for the board to publish beside its checkpoint.
  URL                 the poll: http(s)://host/poll/<id> or http(s)://host/api/polls/<id>
  --state DIR         the witness's key (witness.key) and what it saw of each poll (default ./witness-state)
  --name NAME         the key's name, when the folder has no key yet (default witness-<host name>)
  --interval SECONDS  how often to look at the board (default 10)
  --once              look once, then exit
exit code 0 done, or stopped by SIGINT or SIGTERM; 1 the board cannot be read (--once; else it keeps
trying); 2 usage error or unusable state folder; 3 the board equivocated or rolled back (the evidence
on stdout, and it will not cosign that poll again) or changed its log key
`;
const say = (line: string) => process.stderr.write(`gongshi witness: ${line}\n`);

interface Settings {
  readonly url: PollUrl;
  readonly stateDir: string;
  readonly name: string | undefined;
  readonly interval: number;
  readonly once: boolean;
}

function settings(argv: readonly string[]): Settings {
  const cmd = parseCommand(argv, { values: ['state', 'name', 'interval'], flags: ['once'], positional: 1 });
  if (cmd.positional.length !== 1) throw new UsageError('name the poll to follow: …/poll/<id> or …/api/polls/<id>');
  let url: PollUrl;
  try {
    url = parsePollUrl(cmd.positional[0]);
  } catch (e) {
    if (e instanceof PollUrlError) throw new UsageError(e.message);
    throw e;
  }
  return {
    url,
    stateDir: resolve((cmd.options.get('state') as string | undefined) ?? 'witness-state'),
    name: cmd.options.get('name') as string | undefined,
    interval: intOption(cmd.options, 'interval', 10, 1, 86_400),
    once: cmd.options.has('once'),
  };
}

/** Reports one outcome; the exit code when the command must stop, else null. */
function report(outcome: FollowOutcome, s: Settings): number | null {
  switch (outcome.kind) {
    case 'cosigned':
      process.stdout.write(`cosigned ${outcome.size} entries, root ${outcome.root.slice(0, 16)}\n`);
      return null;
    case 'unchanged':
      if (s.once) say(`no new checkpoint: ${outcome.size} entries, root ${outcome.root.slice(0, 16)}, cosigned before`);
      return null;
    case 'empty':
      if (s.once) say('the board is empty: no checkpoint to cosign yet');
      return null;
    case 'equivocation':
      process.stdout.write(evidenceText(outcome.record, s.url.poll));
      say(
        `EQUIVOCATION on poll ${s.url.poll}: ${describeEquivocation(outcome.record)}. The evidence (both signed checkpoints) ` +
          `is on stdout and in ${outcome.stateFile}. This witness will not cosign this poll again.`,
      );
      return 3;
    case 'not-listed':
      say(`NOT COSIGNED: poll ${s.url.poll} (fingerprint ${outcome.fingerprint}): ${outcome.reason}. Only the witnesses a poll's manifest names may cosign it: the organiser names this witness's key (printed at start) before she publishes.`);
      return 3;
    case 'key-changed':
      say(`ALARM on poll ${s.url.poll}: the board now states the log key ${outcome.received}, not ${outcome.pinned}, pinned at first contact. Nothing cosigned.`);
      return 3;
  }
}

/** Waits `seconds`, or less if `stop` fires. */
function pause(seconds: number, stop: AbortSignal): Promise<void> {
  return new Promise((done) => {
    if (stop.aborted) return done();
    const timer = setTimeout(done, seconds * 1000);
    stop.addEventListener('abort', () => (clearTimeout(timer), done()), { once: true });
  });
}

export async function witness(argv: readonly string[]): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(HELP);
    return 0;
  }
  let s: Settings;
  let w: Witness;
  try {
    s = settings(argv);
    w = Witness.open(s.stateDir, { name: s.name });
  } catch (e) {
    if (e instanceof UsageError || e instanceof WitnessStateError || e instanceof DecodeError) {
      const message = e instanceof DecodeError ? `--name: ${e.reason}` : e.message;
      process.stderr.write(`gongshi witness: ${message}\n${USAGE}\n`);
      return 2;
    }
    throw e;
  }
  say(`witness key ${w.vkey}; following ${s.url.api}; state in ${s.stateDir}`);
  const stopper = new AbortController();
  const stop = () => stopper.abort();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  try {
    while (!stopper.signal.aborted) {
      try {
        const code = report(await w.followOnce(s.url), s);
        if (code !== null) return code;
      } catch (e) {
        if (e instanceof WitnessStateError) {
          say(e.message);
          return 2;
        }
        if (!(e instanceof BoardError)) throw e;
        say(s.once ? e.message : `${e.message} (trying again in ${s.interval} s)`);
        if (s.once) return 1;
      }
      if (s.once) return 0;
      await pause(s.interval, stopper.signal);
    }
    return 0;
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
  }
}
