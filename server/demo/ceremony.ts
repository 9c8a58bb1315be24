/**
 * An honest key ceremony with every trustee played in this process, through a real Board: what the
 * bench and the demo poll run. Real trustees run the same steps in their own browsers. Spec §T, §B.4.5.
 */
import {
  commitTrustee,
  createTrustee,
  dealShares,
  deriveKeyShare,
  evaluateCeremony,
  reviewShares,
  signTranscript,
  type RandomSource,
  type TrusteeSecrets,
} from '../../crypto/index.ts';
import { ceremonyKey, encodeCeremony, encodeKey, encodeStep, type Board, type EntryTypeName } from '../../bulletin-board/index.ts';

export interface PlayedCeremony {
  readonly secrets: TrusteeSecrets[];
  /** x_j by trustee index */
  readonly keyShares: Map<number, bigint>;
}

async function append(board: Board, type: EntryTypeName, payload: Uint8Array): Promise<void> {
  const r = await board.submit(type, payload);
  if (!r.ok) throw new Error(`bug: the board refused an honest ${type} entry: ${r.code} ${r.reason}`);
}

/**
 * Runs the next ceremony run to its key entry, every trustee honest and on time. With `startRun:
 * false` it plays the run the board has just started instead (a server's poll starts run 1 when it
 * is published).
 */
export async function playCeremony(board: Board, rng: RandomSource, o: { readonly startRun?: boolean } = {}): Promise<PlayedCeremony> {
  if (o.startRun !== false) await append(board, 'ceremony', encodeCeremony((board.state.ceremony?.run ?? 0) + 1));
  const c = board.state.ceremony!;
  const made = Array.from({ length: c.params.n }, (_, k) => createTrustee(c.params, k + 1, rng));
  const secrets = made.map((m) => m.secrets);
  for (const m of made) await append(board, 'trustee', m.identity.bytes);
  await append(board, 'step', encodeStep(c.run, 2));
  const committed = secrets.map((s) => commitTrustee(s, rng));
  for (const x of committed) await append(board, 'trustee', x.commit.bytes);
  await append(board, 'step', encodeStep(c.run, 3));
  for (const x of committed) await append(board, 'trustee', x.reveal.bytes);
  await append(board, 'step', encodeStep(c.run, 4));
  for (const s of secrets) await append(board, 'trustee', (await dealShares(s, c.record.identities, rng)).bytes);
  await append(board, 'step', encodeStep(c.run, 5));
  for (const s of secrets) for (const m of await reviewShares(s, c.record, rng)) await append(board, 'trustee', m.bytes);
  await append(board, 'step', encodeStep(c.run, 6));
  const outcome = await evaluateCeremony(c.params, { ...c.record, finishes: [] });
  const keyShares = new Map<number, bigint>();
  for (const s of secrets) {
    const x = await deriveKeyShare(s, outcome);
    keyShares.set(s.index, x);
    await append(board, 'trustee', signTranscript(s, outcome, x, rng).bytes);
  }
  const key = await ceremonyKey(board.state);
  if ('ok' in key) throw new Error(`bug: an honest ceremony gave no key: ${key.reason}`);
  await append(board, 'key', encodeKey(key.key));
  return { secrets, keyShares };
}
