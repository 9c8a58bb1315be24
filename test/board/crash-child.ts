/**
 * The child of store-crash.test.ts: a board process to be killed. Run as
 *   node --import tsx test/board/crash-child.ts <dbpath> <seed> [limit]
 * It opens the board in <dbpath> (an open poll prepared by the test; the log key and the voters'
 * credential codes are in the side file <dbpath>.json), prints `ready <size>`, then casts ballots in
 * waves of 1–6 submitted together (so that they are appended as one group, one transaction): fresh
 * voters first, some revotes, never past the revote limit. After each acknowledged append it writes
 * `<height> <tracker hex>` to stdout with a synchronous write, so a line printed means a submission
 * resolved ok. When no voter has a ballot left, or after [limit] ballots, it prints `done` and exits.
 * With CRASH_SNAPSHOT_GAP=n in its environment, the board takes a snapshot every n entries at least.
 */
import { readFileSync, writeSync } from 'node:fs';
import { createBallot, deriveCredential, encodePoint, fromHex, seededRandom, toHex, type Answer, type KeyPair } from '../../crypto/index.ts';
import { Board, parseSignerKey } from '../../bulletin-board/index.ts';
import { SqliteStorage } from '../../bulletin-board/store/index.ts';

/** The side file <dbpath>.json the test writes next to the prepared store. */
export interface CrashSide {
  /** the log's signer key (encodeSignerKey) */
  readonly logKey: string;
  /** the manifest's poll id, hex: the election id credentials are derived for */
  readonly pollId: string;
  /** every listed voter's credential code */
  readonly codes: readonly string[];
}

/** The most ballots submitted together (store-crash.test.ts counts on it). */
const MAX_WAVE = 6;

const say = (line: string): void => {
  writeSync(1, `${line}\n`);
};

const [dbPath, seed, limitArg] = process.argv.slice(2);
if (!dbPath || !seed) throw new Error('usage: crash-child.ts <dbpath> <seed> [limit]');
const limit = limitArg === undefined ? Infinity : Number(limitArg);
const side = JSON.parse(readFileSync(`${dbPath}.json`, 'utf8')) as CrashSide;
// restart-crash.test.ts asks for snapshots every few entries (B.5.4) through the environment.
const snapshotGap = process.env.CRASH_SNAPSHOT_GAP === undefined ? undefined : Number(process.env.CRASH_SNAPSHOT_GAP);
const board = await Board.open({ storage: new SqliteStorage(dbPath), logKey: parseSignerKey(side.logKey), snapshotGap });
const { state } = board;
if (state.phase !== 'open') throw new Error(`the poll is ${state.phase}, not open`);
const pollId = fromHex(side.pollId, 'pollId');
// The codes are in listing order, the order of state.credentials: each credential is derived only
// when its voter is first picked (deriving them all would slow every start).
const ids = [...state.credentials.keys()];
if (ids.length !== side.codes.length) throw new Error(`${side.codes.length} codes for ${ids.length} listed credentials`);
const voters = side.codes.map((code, i) => ({ code, id: ids[i] }));
const credentials = new Map<string, KeyPair>();
const credentialOf = (v: (typeof voters)[number]): KeyPair => {
  let credential = credentials.get(v.id);
  if (credential === undefined) {
    credential = deriveCredential(v.code, pollId);
    if (toHex(encodePoint(credential.publicKey)) !== v.id) throw new Error('the side file does not list the codes in the board’s order');
    credentials.set(v.id, credential);
  }
  return credential;
};
const rng = seededRandom(`crash child ${seed}`);
const below = (n: number): number => new DataView(rng(4).buffer).getUint32(0) % n;
const questions = state.manifest!.questions.map((q) => q.question);
const answers = (): Answer[] =>
  questions.map((q) => {
    if (q.kind !== 'single') throw new Error('the crash poll has single-choice questions only');
    const pick = below(q.options);
    return { values: Array.from({ length: q.options }, (_, k) => (k === pick ? 1 : 0)) };
  });
const maxBallots = state.manifest!.maxBallots;
const election = state.election!;

say(`ready ${board.size}`);
let cast = 0;
while (cast < limit) {
  const ballotsOf = (v: (typeof voters)[number]): number => state.credentials.get(v.id)!.ballots;
  const left = voters.filter((v) => ballotsOf(v) < maxBallots);
  if (left.length === 0) break;
  const fresh = left.filter((v) => ballotsOf(v) === 0);
  const wave: (typeof voters)[number][] = [];
  const size = Math.min(1 + below(MAX_WAVE), limit - cast, left.length);
  while (wave.length < size) {
    // three times in four a fresh voter while there are any; otherwise anyone with a ballot left
    const from = fresh.length > 0 && below(4) !== 0 ? fresh : left;
    const v = from[below(from.length)];
    wave.push(v);
    for (const list of [fresh, left]) if (list.includes(v)) list.splice(list.indexOf(v), 1);
  }
  const ballots = wave.map((v) => createBallot({ shape: { questions }, key: election.jointKey, fingerprint: election.fingerprint, credential: credentialOf(v), answers: answers() }, rng));
  await Promise.all(
    ballots.map((b) =>
      board.submit('ballot', b.bytes).then((r) => {
        if (!r.ok) throw new Error(`a ballot was refused: ${r.code} ${r.reason}`);
        say(`${r.height} ${toHex(r.tracker!)}`);
      }),
    ),
  );
  cast += wave.length;
}
say('done');
board.close();
