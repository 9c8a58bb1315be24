/** Which witnesses a poll takes: exactly those its manifest names (spec §B.1.4, §B.3.9). */
import type { PollHost } from '../polls/poll-host.ts';

/** The most witnesses a manifest may name (MANIFEST_LIMITS.witnesses). */
export const MAX_WITNESSES = 16;

/** The witness keys a poll's manifest names (or its draft, before publication), sorted. */
export function listedWitnesses(poll: PollHost): string[] {
  return [...(poll.draft.witnesses?.keys ?? [])].sort();
}
