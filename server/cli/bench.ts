/**
 * `gongshi bench`: ballot creation and verification figures on one core, the board's (bench-board.ts) and
 * the server's casts over HTTP (bench-cast.ts), for a 5-option single-choice ballot (the shape
 * the spec's §V.5 figures use). A table for people; `--json` adds one JSON line.
 */
import * as c from '../../crypto/index.ts';
import { intOption, parseOptions, UsageError } from './args.ts';
import { benchBoard } from './bench-board.ts';
import { benchCast } from './bench-cast.ts';
import { benchScale } from './bench-scale.ts';
import { benchVerify } from './bench-verify.ts';
import { progress } from './progress.ts';

interface Timing {
  wall: number;
  cpu: number;
}

function timed(f: () => void): Timing {
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  f();
  const wall = performance.now() - t0;
  const du = process.cpuUsage(cpu0);
  return { wall, cpu: (du.user + du.system) / 1000 };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

export async function bench(argv: readonly string[]): Promise<number> {
  let batch: number;
  let json: boolean;
  let quick: boolean;
  try {
    const opts = parseOptions(argv, ['batch', 'ballots'], ['json', 'quick', 'browser']);
    if (opts.has('browser') && !opts.has('ballots')) throw new UsageError('--browser goes with --ballots N');
    if (opts.has('ballots')) return await benchScale(intOption(opts, 'ballots', 100_000, 100, 1_000_000), opts.has('json'), opts.has('browser'));
    quick = opts.has('quick');
    batch = intOption(opts, 'batch', quick ? 100 : 1000, 10, 100_000);
    json = opts.has('json');
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(`gongshi bench: ${e.message}\n`);
      return 2;
    }
    throw e;
  }
  const runs = quick ? 1 : 3;
  const rng = c.seededRandom('gongshi bench');
  const election = c.generateKeyPair(rng);
  const key = c.prepareKey(election.publicKey);
  const fingerprint = rng(32);
  const shape: c.BallotShape = { questions: [{ kind: 'single', options: 5 }] };
  const params = { shapes: c.ballotShape(shape), key, fingerprint };
  const credentials = Array.from({ length: 50 }, () => c.generateKeyPair(rng));
  const make = (i: number) =>
    c.createBallot({ shape, key, fingerprint, credential: credentials[i % credentials.length], answers: [{ values: [0, 1, 2, 3, 4].map((j) => (j === i % 5 ? 1 : 0)) }] });

  for (let i = 0; i < 20; i++) c.verifyBallot(make(i).bytes, params); // warm-up: JIT and tables

  const bar = progress(`creating ${batch} ballots`, batch);
  const ballots: Uint8Array[] = [];
  const create = timed(() => {
    for (let i = 0; i < batch; i++) {
      ballots.push(make(i).bytes);
      bar.tick();
    }
  });
  bar.done();

  const single = Math.min(batch, 200);
  const verifyOne = timed(() => {
    for (let i = 0; i < single; i++) if (!c.verifyBallot(ballots[i], params)) throw new Error('bug: a bench ballot failed');
  });
  const directCount = Math.min(batch, 20);
  const direct = timed(() => {
    for (let i = 0; i < directCount; i++) if (!c.verifyBallotDirect(ballots[i], params)) throw new Error('bug: a bench ballot failed');
  });
  const decode = timed(() => {
    for (const b of ballots) c.decodeBallot(b, params.shapes);
  });
  const batchRuns: Timing[] = [];
  for (let r = 0; r < runs; r++) {
    process.stderr.write(`verifying a batch of ${batch} (run ${r + 1} of ${runs})…\n`);
    batchRuns.push(
      timed(() => {
        if (!c.verifyBallots(ballots, params).every(Boolean)) throw new Error('bug: a bench batch failed');
      }),
    );
  }

  process.stderr.write('running a 4-of-7 key ceremony and a 20-option tally decryption…\n');
  const trustees = await benchTrustees(rng);

  process.stderr.write('appending ballots to a SQLite board through the rules…\n');
  const board = await benchBoard(batch, rng);
  const cast = await benchCast(batch, rng);
  const verifier = await benchVerify(quick ? 200 : 10_000);

  const all = [create, verifyOne, direct, decode, ...batchRuns];
  const cpuShare = all.reduce((s, t) => s + t.cpu, 0) / all.reduce((s, t) => s + t.wall, 0);
  const figures = {
    ballot_create_ms: round(create.wall / batch),
    ballot_verify_ms: round(verifyOne.wall / single),
    ballot_verify_batch_ms: round(median(batchRuns.map((t) => t.wall)) / batch),
    ballot_verify_direct_ms: round(direct.wall / directCount),
    ballot_decode_ms: round(decode.wall / batch),
    ballot_bytes: ballots[0].length,
    batch_size: batch,
    batch_runs: runs,
    dkg_4_of_7_ms: round(trustees.ceremony),
    decryption_shares_create_ms: round(trustees.create),
    decryption_shares_verify_ms: round(trustees.verify),
    ...board,
    ...cast,
    ...verifier,
    cpu_per_wall: round(cpuShare),
    node: process.version,
  };
  const rows: [string, string, string][] = [
    ['create one ballot (encrypt, 6 proofs, sign)', `${figures.ballot_create_ms} ms`, '≤ 10 ms'],
    ['verify one ballot alone (random linear combination)', `${figures.ballot_verify_ms} ms`, ''],
    [`verify in batches of ${batch}, per ballot`, `${figures.ballot_verify_batch_ms} ms`, '≤ 5 ms'],
    ['verify one ballot equation by equation', `${figures.ballot_verify_direct_ms} ms`, ''],
    ['decode one ballot (the floor under batching)', `${figures.ballot_decode_ms} ms`, ''],
    ['ballot size', `${figures.ballot_bytes} bytes`, ''],
    ['key ceremony, 4 of 7: all trustees\' work and checks, one process', `${figures.dkg_4_of_7_ms} ms`, ''],
    ["one trustee's decryption shares, 20-option tally: make", `${figures.decryption_shares_create_ms} ms`, ''],
    ['                                                 check', `${figures.decryption_shares_verify_ms} ms`, ''],
    [`board: durable ballot appends through the rules, ${board.board_append_ballots} at once`, `${board.board_append_per_s} /s`, '≈ verify only'],
    ['       the same, one append (one transaction) at a time', `${board.board_append_sequential_per_s} /s`, ''],
    ['       proof verification alone, batched', `${board.board_verify_only_per_s} /s`, ''],
    ['       inclusion proof at 1,000,000 entries', `${board.inclusion_proof_bytes} bytes`, ''],
    ['       consistency proof at 1,000,000 entries', `${board.consistency_proof_bytes} bytes`, ''],
    [`server: casts acknowledged over HTTP, ${cast.cast_ballots} ballots, ${cast.cast_clients} clients at once`, `${cast.cast_per_s} /s`, ''],
    [`        the same ballots' proofs alone, one batch on its ${cast.cast_workers} proof workers`, `${cast.cast_pool_verify_per_s} /s`, ''],
    ['        cast_verify_ratio = casts/s ÷ that batched verify rate', `${cast.cast_verify_ratio}`, '≥ 0.9'],
    ['        99th percentile latency of an acknowledged cast', `${cast.cast_p99_ms} ms`, '< 250 ms'],
    ['        CPU of every thread per cast (server, workers, the clients) / per ballot checked alone', `${cast.cast_cpu_ms} / ${cast.cast_pool_cpu_ms} ms`, ''],
    [`verifier: a ${verifier.verify_record_ballots}-ballot record, ${verifier.verify_record_workers} cores`, `${verifier.verify_record_ballots_per_s} /s`, '≥ 300 /s'],
    ['          CPU per ballot, all threads', `${verifier.verify_record_cpu_ms_per_ballot} ms`, ''],
    ['          peak memory (its whole process)', `${verifier.verify_record_peak_rss_mb} MB`, '< 150 MB'],
  ];
  const w = Math.max(...rows.map((r) => r[0].length));
  process.stdout.write(`gongshi bench: 5-option single-choice ballot, one core, ${process.version}\n\n`);
  process.stdout.write(`${'figure'.padEnd(w)}  ${'measured'.padStart(12)}  goal\n`);
  for (const [name, value, goal] of rows) process.stdout.write(`${name.padEnd(w)}  ${value.padStart(12)}  ${goal}\n`);
  process.stdout.write(`\ncpu/wall ${figures.cpu_per_wall} (below 0.9: another process shared the core; rerun on a quiet machine)\n`);
  if (json) process.stdout.write(`${JSON.stringify(figures)}\n`);
  return 0;
}

function round(x: number): number {
  return Math.round(x * 100) / 100;
}

/**
 * A whole 4-of-7 ceremony played by all trustees in this process (every message made and every public
 * check run twice, as each trustee and an observer would), then one trustee's decryption shares for a
 * 20-ciphertext tally, made and checked.
 */
async function benchTrustees(rng: c.RandomSource): Promise<{ ceremony: number; create: number; verify: number }> {
  const params = { election: rng(32), t: 4, n: 7 };
  const t0 = performance.now();
  const { secrets, outcome: final, keyShares } = await c.simulateCeremony(params, rng);
  const ceremony = performance.now() - t0;

  const key = c.prepareKey(final.jointKey!);
  const tally = Array.from({ length: 20 }, (_, i) => c.encryptFresh(key, i, rng).ciphertext);
  const fingerprint = rng(32);
  const t1 = performance.now();
  const msg = c.createDecryptionShares({ fingerprint, index: 1, keyShare: keyShares[0], signing: secrets[0].signing, ciphertexts: tally }, rng);
  const create = performance.now() - t1;
  const t2 = performance.now();
  const why = c.checkDecryptionShares(msg, { fingerprint, ciphertexts: tally, verificationKey: final.verificationKeys.get(1)!, signingKey: secrets[0].signing.publicKey });
  const verify = performance.now() - t2;
  if (why !== null) throw new Error(`bug: bench decryption shares refused: ${why}`);
  return { ceremony, create, verify };
}
