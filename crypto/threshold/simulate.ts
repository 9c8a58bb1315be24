/**
 * An honest ceremony with every trustee played in one process: for benchmarks, vectors, tests and
 * the demo poll. Real trustees run these same steps on their own devices. Spec §T.2–T.7.
 */
import type { RandomSource } from '../random.ts';
import { evaluateCeremony, type CeremonyOutcome, type CeremonyRecord } from './ceremony.ts';
import type { ComplaintMessage, SharesMessage } from './messages.ts';
import type { CeremonyParams } from './params.ts';
import { commitTrustee, createTrustee, dealShares, deriveKeyShare, reviewShares, signTranscript, type TrusteeSecrets } from './trustee.ts';

export interface SimulatedCeremony {
  readonly secrets: readonly TrusteeSecrets[];
  /** the whole record, finishes included */
  readonly record: CeremonyRecord;
  /** the outcome of the complete record */
  readonly outcome: CeremonyOutcome;
  /** x_j of trustee j at position j − 1 */
  readonly keyShares: readonly bigint[];
}

/** Runs steps 1–6 for trustees 1 … n in order; throws if the honest ceremony does not complete. */
export async function simulateCeremony(params: CeremonyParams, rng: RandomSource): Promise<SimulatedCeremony> {
  const trustees = Array.from({ length: params.n }, (_, k) => createTrustee(params, k + 1, rng));
  const secrets = trustees.map((t) => t.secrets);
  const identities = trustees.map((t) => t.identity);
  const committed = secrets.map((s) => commitTrustee(s, rng));
  const shares: SharesMessage[] = [];
  for (const s of secrets) shares.push(await dealShares(s, identities, rng));
  const record = { identities, commits: committed.map((x) => x.commit), reveals: committed.map((x) => x.reveal), shares };
  const complaints: ComplaintMessage[] = [];
  for (const s of secrets) complaints.push(...(await reviewShares(s, record, rng)));
  const before = await evaluateCeremony(params, { ...record, complaints, finishes: [] });
  const keyShares: bigint[] = [];
  for (const s of secrets) keyShares.push(await deriveKeyShare(s, before));
  const finishes = secrets.map((s, k) => signTranscript(s, before, keyShares[k], rng));
  const full = { ...record, complaints, finishes };
  const outcome = await evaluateCeremony(params, full);
  if (!outcome.complete) throw new Error(`bug: an honest ceremony did not complete (${outcome.failure ?? 'missing signatures'})`);
  return { secrets, record: full, outcome, keyShares };
}
