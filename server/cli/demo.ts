/**
 * `gongshi demo`: runs a complete poll in this process (the server's board and rules, every trustee
 * and voter played here), writes its record file and prints the result.
 */
import { writeFileSync } from 'node:fs';
import { describeResult, resultLines } from '../../verifier/index.ts';
import { availableParallelism } from 'node:os';
import { runDemoPoll, type DemoPoll, type DemoQuestions } from '../demo/demo-poll.ts';
import { workerChecker } from '../polls/worker-checker.ts';
import { createProofWorkers } from './proof-workers.ts';
import { UsageError, intOption, parseCommand } from './args.ts';
import { progress } from './progress.ts';

const USAGE = 'usage: gongshi demo [--voters N] [--trustees n] [--threshold t] [--seed S] [--questions courtyard|single-5|single-2|peer] [--plain] [--out RECORD]';
const QUESTIONS: readonly DemoQuestions[] = ['courtyard', 'single-5', 'single-2', 'peer'];

export async function demo(argv: readonly string[]): Promise<number> {
  let voters: number;
  let trustees: number;
  let threshold: number;
  let seed: string;
  let out: string;
  let questions: DemoQuestions;
  let plain: boolean;
  try {
    const cmd = parseCommand(argv, { flags: ['plain'], values: ['voters', 'trustees', 'threshold', 'seed', 'out', 'questions'] });
    const q = (cmd.options.get('questions') as string | undefined) ?? 'courtyard';
    if (!QUESTIONS.includes(q as DemoQuestions)) throw new UsageError(`--questions is one of ${QUESTIONS.join(', ')}`);
    questions = q as DemoQuestions;
    plain = cmd.options.has('plain');
    voters = intOption(cmd.options, 'voters', 100, 1, 100_000);
    trustees = intOption(cmd.options, 'trustees', 3, 1, 64);
    threshold = intOption(cmd.options, 'threshold', Math.min(2, trustees), 1, 64);
    if (threshold > trustees) throw new UsageError('--threshold must not exceed --trustees');
    seed = (cmd.options.get('seed') as string | undefined) ?? `${Date.now()}`;
    out = (cmd.options.get('out') as string | undefined) ?? 'demo-record.gongshi';
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(`gongshi demo: ${e.message}\n${USAGE}\n`);
      return 2;
    }
    throw e;
  }
  process.stderr.write(`a ${threshold}-of-${trustees} key ceremony, then ${voters} voters (seed ${JSON.stringify(seed)})\n`);
  const bar = progress('voting', voters);
  // The board checks the ballots' proofs on every core, as the server does.
  const workers = availableParallelism();
  const pool = createProofWorkers(workers);
  let poll: DemoPoll;
  try {
    poll = await runDemoPoll({ voters, trustees, threshold, seed, questions, audits: !plain, revotes: !plain, ballotChecker: workerChecker(pool, workers), onProgress: () => bar.tick() });
  } finally {
    await pool.close();
  }
  bar.done();
  const chunks = [...poll.board.exportRecord()];
  writeFileSync(out, Buffer.concat(chunks));
  const m = poll.manifest;
  const lines = [`${m.title[0]}: ${poll.ballots} ballots cast (${poll.audits} audited first), ${voters} voters`];
  lines.push(...resultLines(describeResult(m, poll.result, poll.board.state.shapes!)));
  const agrees = poll.result.every((v, i) => v === poll.plain[i]);
  lines.push(agrees ? 'the decrypted result equals the demo’s own count in the clear' : 'BUG: the decrypted result differs from the demo’s own count');
  lines.push(`record written to ${out}; check it with: npx gongshi verify ${out}`);
  process.stdout.write(lines.join('\n') + '\n');
  return agrees ? 0 : 1;
}
