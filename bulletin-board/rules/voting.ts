/**
 * Rules of eligibility and voting: the credential list, opening, ballots, audits and closing.
 * Spec §B.4.6.
 */
import {
  ballotTracker,
  bytesEqual,
  checkOpening,
  encodePoint,
  toHex,
  verifyDecodedBallot,
  type Ballot,
  type BallotOpening,
  type Point,
  type RandomSource,
} from '../../crypto/index.ts';
import { verifyCredentialList, verifyRevocation, type ListedCredential } from '../records/credential-list.ts';
import type { BallotFacts } from '../records/payloads.ts';
import { reject, type Rejection } from './codes.ts';
import type { BoardState } from './state.ts';

type Change = () => void;

/** B.4.6.1 the total weight a poll's credentials may reach: keeps every tally total decodable (§E.6). */
export const MAX_TOTAL_WEIGHT = 10_000_000;
/** B.4.6.5 audited ballots one credential may post. */
export const MAX_AUDITS = 20;

/**
 * B.4.6.1 credentials may be listed until the poll closes, in lists signed by the manifest's registrar;
 * each key once, never one that was revoked; the weights within the limit.
 */
export function listCredentials(state: BoardState, list: readonly ListedCredential[], listBytes: Uint8Array, signature: Uint8Array, time: number): Rejection | Change {
  if (!verifyCredentialList(listBytes, signature, state.manifestHash!, state.manifest!.registrar.key))
    return reject('BAD_REGISTRAR_SIGNATURE', 'the list is not signed by the registrar the manifest names', state.height);
  const seen = new Set<string>();
  let weight = state.listedWeight;
  // hex(enc(X)) read from the signed list bytes (u32 count ‖ count × (enc(X) ‖ u32 weight)), which the
  // strict decoder made sure are the canonical encodings of the keys: no key is encoded again.
  const ids = list.map((_, i) => toHex(listBytes.subarray(4 + 36 * i, 4 + 36 * i + 32)));
  for (const [i, c] of list.entries()) {
    const id = ids[i];
    if (state.credentials.has(id) || seen.has(id)) return reject('DUPLICATE_CREDENTIAL', `credential ${i} (${id.slice(0, 16)}…) is already listed`, state.height);
    if (state.revoked.has(id)) return reject('DUPLICATE_CREDENTIAL', `credential ${i} (${id.slice(0, 16)}…) was revoked at height ${state.revoked.get(id)!.height}`, state.height);
    seen.add(id);
    weight += c.weight;
  }
  if (weight > MAX_TOTAL_WEIGHT) return reject('WEIGHT_LIMIT', `the listed weights would add up to ${weight}, over ${MAX_TOTAL_WEIGHT}`, state.height);
  return () => {
    list.forEach((c, i) => state.credentials.set(ids[i], { weight: c.weight, ballots: 0, audits: 0, last: null }));
    state.listedWeight = weight;
    state.roll.push({ height: state.height, time, added: list.length, revoked: 0, whileOpen: state.phase === 'open' });
  };
}

/**
 * B.4.6.8 the registrar revokes listed credentials (a lost code sheet, a household that left), in a
 * revocation she signed, until the poll closes. A credential that has cast a ballot cannot be revoked:
 * that would let the registrar take a counted vote off the tally. A revoked credential never casts,
 * audits or is listed again; its weight leaves the listed total.
 */
export function revokeCredentials(state: BoardState, keys: readonly Point[], listBytes: Uint8Array, signature: Uint8Array, time: number): Rejection | Change {
  if (!verifyRevocation(listBytes, signature, state.manifestHash!, state.manifest!.registrar.key))
    return reject('BAD_REGISTRAR_SIGNATURE', 'the revocation is not signed by the registrar the manifest names', state.height);
  const ids: string[] = [];
  let weight = state.listedWeight;
  for (const [i, key] of keys.entries()) {
    const id = toHex(encodePoint(key));
    if (ids.includes(id)) return reject('DUPLICATE_CREDENTIAL', `credential ${i} (${id.slice(0, 16)}…) is named twice`, state.height);
    const gone = state.revoked.get(id);
    if (gone !== undefined) return reject('REVOKED_CREDENTIAL', `credential ${i} (${id.slice(0, 16)}…) was revoked at height ${gone.height}`, state.height);
    const voter = state.credentials.get(id);
    if (voter === undefined) return reject('UNKNOWN_CREDENTIAL', `credential ${i} (${id.slice(0, 16)}…) is not listed`, state.height);
    if (voter.ballots > 0) return reject('CREDENTIAL_HAS_CAST', `credential ${i} (${id.slice(0, 16)}…) has cast ${voter.ballots} ballot(s)`, state.height);
    ids.push(id);
    weight -= voter.weight;
  }
  return () => {
    for (const id of ids) {
      state.revoked.set(id, { height: state.height, time, weight: state.credentials.get(id)!.weight });
      state.credentials.delete(id);
    }
    state.listedWeight = weight;
    state.roll.push({ height: state.height, time, added: 0, revoked: ids.length, whileOpen: state.phase === 'open' });
  };
}

/** B.4.6.2 the poll opens after the key entry, with at least one credential, not before opensAt nor after the closing time in force. */
export function openPoll(state: BoardState, time: number): Rejection | Change {
  if (state.credentials.size === 0) return reject('NO_CREDENTIALS', 'no credential is listed', state.height);
  const { opensAt } = state.manifest!;
  const closesAt = state.closesAt;
  if (opensAt !== 0 && time < opensAt) return reject('TOO_EARLY', `the poll opens at ${new Date(opensAt).toISOString()}`, state.height);
  if (closesAt !== 0 && time > closesAt) return reject('TOO_LATE', `the poll was to close at ${new Date(closesAt).toISOString()}`, state.height);
  return () => {
    state.phase = 'open';
  };
}

/**
 * B.4.6.6 the poll closes by hand, or at the closing time in force; before it only as the manifest's
 * closeEarly allows: at any time, or once every listed credential has cast a ballot.
 */
export function closePoll(state: BoardState, time: number): Rejection | Change {
  const at = state.closesAt;
  const early = at !== 0 && time < at;
  if (early) {
    const policy = state.manifest!.closeEarly;
    if (policy === 'never') return reject('TOO_EARLY', `the poll closes at ${new Date(at).toISOString()} and the manifest allows no early closing`, state.height);
    if (policy === 'all-voted') {
      let waiting = 0;
      for (const c of state.credentials.values()) if (c.ballots === 0) waiting += 1;
      if (waiting > 0) return reject('TOO_EARLY', `the poll closes at ${new Date(at).toISOString()}; it may close early once every listed voter has cast, and ${waiting} have not`, state.height);
    }
  }
  return () => {
    state.phase = 'closed';
    state.closedEarly = early;
  };
}

/**
 * B.4.6.7 an extension moves the closing time in force later: made before that time, within the
 * manifest's maxExtension past its closesAt, in any phase before the poll closes.
 */
export function extendPoll(state: BoardState, closesAt: number, time: number): Rejection | Change {
  const { closesAt: scheduled, maxExtension } = state.manifest!;
  if (maxExtension === 0) return reject('NO_EXTENSION', scheduled === 0 ? 'the poll closes by hand: there is no closing time to extend' : 'the manifest allows no extension', state.height);
  const current = state.closesAt;
  if (time >= current) return reject('TOO_LATE', `the poll was to close at ${new Date(current).toISOString()}: an extension must come before it`, state.height);
  if (closesAt <= current) return reject('BAD_EXTENSION', `the new closing time must be later than ${new Date(current).toISOString()}`, state.height);
  const limit = scheduled + maxExtension;
  if (closesAt > limit) return reject('BAD_EXTENSION', `the manifest allows closing no later than ${new Date(limit).toISOString()}`, state.height);
  return () => {
    state.closesAt = closesAt;
    state.extensions.push({ height: state.height, time, closesAt });
  };
}

/** Every α and β of a ballot (views into its slots), or null when one repeats within the ballot. */
function componentsOf(facts: BallotFacts): Uint8Array[] | null {
  const out: Uint8Array[] = [];
  for (const s of facts.slots) out.push(s.subarray(0, 32), s.subarray(32, 64));
  if (out.length <= 64) {
    // A ballot of a few questions: comparing each pair is cheaper than naming each in a set.
    for (let i = 0; i < out.length; i++) for (let j = i + 1; j < out.length; j++) if (sameBytes(out[i], out[j])) return null;
    return out;
  }
  const seen = new Set<string>();
  for (const c of out) {
    const id = toHex(c);
    if (seen.has(id)) return null;
    seen.add(id);
  }
  return out;
}

/** Two 32-byte strings equal (public data: no need for a time-independent comparison). */
function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  for (let k = 0; k < 32; k++) if (a[k] !== b[k]) return false;
  return true;
}

/** B.4.6.3 steps shared by ballots and audits: time, election, credential, tracker, components. */
function admit(state: BoardState, ballot: BallotFacts, ballotBytes: Uint8Array, time: number): Rejection | { id: string; tracker: Uint8Array; components: Uint8Array[] } {
  const { height } = state;
  const closesAt = state.closesAt;
  if (closesAt !== 0 && time > closesAt) return reject('TOO_LATE', `the poll closed at ${new Date(closesAt).toISOString()}`, height);
  const election = state.election!;
  if (!bytesEqual(ballot.fingerprint, election.fingerprint)) return reject('WRONG_ELECTION', 'the ballot’s fingerprint is not this election’s', height);
  const id = toHex(ballot.credential);
  if (!state.credentials.has(id)) {
    const gone = state.revoked.get(id);
    if (gone !== undefined) return reject('REVOKED_CREDENTIAL', `credential ${id.slice(0, 16)}… was revoked at height ${gone.height}`, height);
    return reject('UNKNOWN_CREDENTIAL', `credential ${id.slice(0, 16)}… is not listed`, height);
  }
  const tracker = ballotTracker(ballotBytes);
  if (state.trackers.has(tracker)) return reject('DUPLICATE_TRACKER', `tracker ${toHex(tracker).slice(0, 16)}… is already on the board`, height);
  const components = componentsOf(ballot);
  if (components === null) return reject('DUPLICATE_CIPHERTEXT', 'a ciphertext component repeats within the ballot', height);
  const seen = components.find((c) => state.components.has(c));
  if (seen !== undefined) return reject('DUPLICATE_CIPHERTEXT', `component ${toHex(seen).slice(0, 16)}… is already on the board`, height);
  return { id, tracker, components };
}

/** A credential's last ballot as kept in the state: every slot's α ‖ β, copied into one array. */
function lastBallot(facts: BallotFacts): Uint8Array {
  const out = new Uint8Array(facts.slots.length * 64);
  facts.slots.forEach((s, i) => out.set(s, i * 64));
  return out;
}

function params(state: BoardState) {
  return { shapes: state.shapes!, key: state.election!.jointKey, fingerprint: state.election!.fingerprint };
}

/**
 * B.4.6.4 a cast ballot. `proofsChecked` says the caller has decoded this ballot and verified its
 * proofs and signature already (in a batch, §Q.8.2, perhaps on another thread); otherwise `ballot`
 * is the decoded ballot and they are verified here.
 */
export function castBallot(state: BoardState, facts: BallotFacts, ballot: Ballot | null, ballotBytes: Uint8Array, time: number, proofsChecked: boolean, rng?: RandomSource): Rejection | Change {
  const admitted = admit(state, facts, ballotBytes, time);
  if ('ok' in admitted) return admitted;
  const voter = state.credentials.get(admitted.id)!;
  const max = state.manifest!.maxBallots;
  if (voter.ballots >= max) return reject('REVOTE_LIMIT', `this credential has cast ${voter.ballots} of ${max} ballots`, state.height);
  if (!proofsChecked) {
    if (ballot === null) throw new Error('bug: a ballot whose proofs nobody checked, and no decoded ballot to check them');
    if (!verifyDecodedBallot(ballot, params(state), rng)) return reject('BAD_PROOF', 'a proof or the signature does not verify', state.height);
  }
  return () => {
    voter.ballots += 1;
    voter.last = lastBallot(facts);
    state.trackers.add(admitted.tracker);
    for (const c of admitted.components) state.components.add(c);
    state.ballots += 1;
  };
}

/** B.4.6.5 an audited ballot: admitted like a ballot, proofs valid, opening consistent; never counted. */
export function auditBallot(state: BoardState, ballot: Ballot, facts: BallotFacts, ballotBytes: Uint8Array, opening: BallotOpening, time: number, rng?: RandomSource): Rejection | Change {
  const admitted = admit(state, facts, ballotBytes, time);
  if ('ok' in admitted) return admitted;
  const voter = state.credentials.get(admitted.id)!;
  if (voter.audits >= MAX_AUDITS) return reject('AUDIT_LIMIT', `this credential has audited ${MAX_AUDITS} ballots`, state.height);
  if (!verifyDecodedBallot(ballot, params(state), rng)) return reject('BAD_PROOF', 'a proof or the signature does not verify', state.height);
  if (!checkOpening(ballot, opening, state.shapes!, state.election!.jointKey)) return reject('BAD_OPENING', 'the opening does not match the ballot', state.height);
  return () => {
    voter.audits += 1;
    state.trackers.add(admitted.tracker);
    for (const c of admitted.components) state.components.add(c);
    state.audits += 1;
  };
}
