/** What every proof transcript absorbs first: the election fingerprint and the caller's binding. Spec §F.3. */
import { Transcript } from '../transcript.ts';

/**
 * fingerprint: the election fingerprint (32 bytes, §B); binding: canonical bytes that say where the
 * proof sits (for a ballot: the voter's credential and the position, §Q.5.1; for a trustee: §T).
 */
export interface ProofContext {
  readonly fingerprint: Uint8Array;
  readonly binding: Uint8Array;
}

/** F.3 DST, then frame("fingerprint") ‖ frame(fingerprint), then frame("binding") ‖ frame(binding). */
export function startTranscript(proof: string, ctx: ProofContext): Transcript {
  if (ctx.fingerprint.length !== 32) throw new Error('bug: the fingerprint is 32 bytes');
  return new Transcript(proof).append('fingerprint', ctx.fingerprint).append('binding', ctx.binding);
}
