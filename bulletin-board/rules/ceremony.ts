/**
 * Rules of the key ceremony on the board: runs, steps in order, each trustee message accepted by
 * §T.6 against the messages already on the board, and the key entry. Spec §B.4.5.
 */
import { acceptRecord, bytesEqual, ceremonyHash, evaluateCeremony, prepareKey, type CeremonyOutcome, type TrusteeMessage } from '../../crypto/index.ts';
import { ceremonyElection, electionFingerprint } from '../records/election.ts';
import { CEREMONY_STEPS, encodeKey, type KeyRecord } from '../records/payloads.ts';
import { reject, type Rejection } from './codes.ts';
import type { BoardState, CeremonyState } from './state.ts';

type Change = () => void;

/** B.4.5.1 a ceremony entry starts run r = previous run + 1 (1 for the first), at step 1. */
export function startRun(state: BoardState, run: number): Rejection | Change {
  const expected = (state.ceremony?.run ?? 0) + 1;
  if (run !== expected) return reject('BAD_RUN', `run ${run}, expected ${expected}`, state.height);
  const m = state.manifest!;
  const params = { election: ceremonyElection(state.manifestHash!, run), t: m.trustees.t, n: m.trustees.n };
  ceremonyHash(params); // checks t and n once more
  return () => {
    state.ceremony = { run, params, step: 1, record: { identities: [], commits: [], reveals: [], shares: [], complaints: [], finishes: [] }, outcome: null };
    state.phase = 'ceremony';
  };
}

/** B.4.5.2 a step entry closes the open step of the current run and opens the next. */
export function nextStep(state: BoardState, run: number, step: number): Rejection | Change {
  const c = state.ceremony!;
  if (run !== c.run) return reject('BAD_RUN', `step entry for run ${run}; the current run is ${c.run}`, state.height);
  if (step !== c.step + 1 || step > CEREMONY_STEPS) return reject('BAD_RUN', `step ${step} cannot follow step ${c.step}`, state.height);
  return () => {
    c.step = step;
  };
}

const LIST = { identity: 'identities', commit: 'commits', reveal: 'reveals', shares: 'shares', complaint: 'complaints', finish: 'finishes' } as const;
const KIND_STEP = { identity: 1, commit: 2, reveal: 3, shares: 4, complaint: 5, finish: 6 } as const;

/**
 * B.4.5.3 a trustee message is allowed only in the step of its kind, and only if §T.6, applied to the
 * run's accepted messages followed by this one, accepts it.
 */
export async function acceptTrusteeMessage(state: BoardState, m: Exclude<TrusteeMessage, { kind: 'decryption' }>): Promise<Rejection | Change> {
  const c = state.ceremony!;
  if (KIND_STEP[m.kind] !== c.step) return reject('WRONG_PHASE', `a ${m.kind} message in step ${c.step} of the ceremony`, state.height);
  const list = LIST[m.kind];
  const trial = { ...c.record, [list]: [...c.record[list], m] };
  if (m.kind === 'finish') {
    const outcome = await evaluateCeremony(c.params, trial);
    const refusal = outcome.refused[0];
    if (refusal) return reject('TRUSTEE_REFUSED', `${refusal.kind} from trustee ${refusal.index}: ${refusal.reason}`, state.height);
    return () => {
      (c.record.finishes as typeof m[]).push(m);
      c.outcome = outcome;
    };
  }
  const accepted = await acceptRecord(c.params, trial);
  const refusal = accepted.refused[0];
  if (refusal) {
    if (refusal.kind !== m.kind || refusal.index !== m.index) throw new Error('bug: an earlier accepted ceremony message was refused');
    return reject('TRUSTEE_REFUSED', `${refusal.kind} from trustee ${refusal.index}: ${refusal.reason}`, state.height);
  }
  return () => {
    (c.record[list] as (typeof m)[]).push(m);
  };
}

/**
 * B.4.5.4 the key entry that the current run's record produces, with the outcome behind it; or, when
 * there is none (not in step 6, the ceremony failed, a qualified trustee has not signed), the rejection
 * a key entry would get. The server and in-process drivers call it to make the key entry.
 */
export async function ceremonyKey(state: BoardState): Promise<{ key: KeyRecord; outcome: CeremonyOutcome } | Rejection> {
  const c: CeremonyState | null = state.ceremony;
  if (c === null || state.phase !== 'ceremony') return reject('WRONG_PHASE', 'no ceremony is running', state.height);
  if (c.step !== CEREMONY_STEPS) return reject('WRONG_PHASE', `the key entry comes in step ${CEREMONY_STEPS}, not ${c.step}`, state.height);
  const outcome = c.outcome ?? (await evaluateCeremony(c.params, c.record));
  if (!outcome.ok) return reject('CEREMONY_INCOMPLETE', `the ceremony failed: ${outcome.failure}`, state.height);
  if (!outcome.complete) {
    const missing = outcome.qualified.filter((j) => !outcome.signedBy.includes(j));
    return reject('CEREMONY_INCOMPLETE', `qualified trustees ${missing.join(', ')} have not signed the outcome`, state.height);
  }
  const key: KeyRecord = {
    run: c.run,
    fingerprint: electionFingerprint(state.manifestHash!, c.run, outcome.transcript),
    transcript: outcome.transcript,
    jointKey: outcome.jointKey!,
    verificationKeys: outcome.qualified.map((index) => ({ index, key: outcome.verificationKeys.get(index)! })),
  };
  return { key, outcome };
}

/** B.4.5.4 the key entry: in step 6, the run's outcome complete, the payload exactly what it produced. */
export async function acceptKey(state: BoardState, key: KeyRecord, payload: Uint8Array): Promise<Rejection | Change> {
  const made = await ceremonyKey(state);
  if ('ok' in made) return made;
  const { key: expected, outcome } = made;
  if (!bytesEqual(encodeKey(expected), payload)) {
    const field = key.run !== expected.run ? 'run' : !bytesEqual(key.fingerprint, expected.fingerprint) ? 'fingerprint' : !bytesEqual(key.transcript, expected.transcript) ? 'transcript' : !key.jointKey.equals(expected.jointKey) ? 'jointKey' : 'verificationKeys';
    const words = { run: 'run', fingerprint: 'fingerprint', transcript: 'transcript', jointKey: 'joint key', verificationKeys: 'verification keys' }[field];
    return reject('KEY_MISMATCH', `the ${words} differs from the ceremony’s outcome`, state.height, field);
  }
  const identities = outcome.accepted.identities;
  const run = expected.run;
  const t = state.ceremony!.params.t;
  return () => {
    state.election = {
      run,
      fingerprint: expected.fingerprint,
      jointKey: prepareKey(expected.jointKey),
      t,
      verificationKeys: outcome.verificationKeys,
      signingKeys: new Map(outcome.qualified.map((j) => [j, identities.get(j)!.signingKey])),
    };
    state.phase = 'ready';
  };
}
