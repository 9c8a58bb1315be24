/**
 * What the trustee console shows of a replayed board: the phase, the ceremony step and who has
 * spoken in it, each trustee's key fingerprint, the key, the tally and the decryption shares. Read from the rules' own state
 * (spec §B.4), never from what the server says; the expected trustees as §B.4.5 and the server's
 * relay count them (step 6: the qualified set of §T.6.3).
 */
import { encodePoint, evaluateCeremony, toHex } from '../../../crypto/index.ts';
import type { BoardState } from '../../../bulletin-board/index.ts';
import { trusteeFingerprint } from '../../../verifier/index.ts';
import type { BoardSummary } from './worker-protocol.ts';

const LISTS = ['identities', 'commits', 'reveals', 'shares', 'complaints', 'finishes'] as const;

const indices = (list: readonly { readonly index: number }[]) => [...new Set(list.map((m) => m.index))].sort((a, b) => a - b);

/** The summary of `state`; `manifestBytes` is entry 0's payload as replayed. */
export async function summariseBoard(state: BoardState, manifestBytes: Uint8Array | null): Promise<BoardSummary> {
  const m = state.manifest;
  const c = state.ceremony;
  const spoken = c ? LISTS.map((list) => indices(c.record[list])) : LISTS.map(() => []);
  const inCeremony = c !== null && state.phase === 'ceremony';
  let expected: number[] = [];
  let failure: string | null = null;
  if (inCeremony) {
    const all = Array.from({ length: c.params.n }, (_, i) => i + 1);
    if (c.step === 6) {
      const outcome = await evaluateCeremony(c.params, { ...c.record, finishes: [] });
      expected = [...outcome.qualified].sort((a, b) => a - b);
      failure = outcome.ok ? null : outcome.failure;
    } else {
      expected = c.step === 1 ? all : spoken[c.step - 2];
    }
  }
  return {
    height: state.height,
    phase: state.phase,
    manifestBytes,
    languages: m?.languages ?? [],
    title: m?.title ?? [],
    names: m?.trustees.names ?? [],
    t: m?.trustees.t ?? 0,
    n: m?.trustees.n ?? 0,
    run: c?.run ?? 0,
    step: inCeremony ? c.step : 0,
    spoken,
    expected,
    failure,
    jointKey: state.election ? toHex(encodePoint(state.election.jointKey)) : null,
    tally: state.tally !== null,
    decryptions: [...state.decryptions.keys()].sort((a, b) => a - b),
    result: state.result !== null,
    fingerprints: c ? Array.from({ length: c.params.n }, (_, k) => {
      const identity = c.record.identities.find((m) => m.index === k + 1);
      return identity ? trusteeFingerprint(identity.signingKey) : null;
    }) : [],
  };
}
