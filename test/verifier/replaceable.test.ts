/**
 * replaceable (spec §B.4.6.1, §B.4.6.8): on a real board, a listed credential that has not cast may be
 * replaced, also when it audited; one that cast, one already revoked and one never listed may not. The
 * verdict is read through credentialHistory, as the registrar's device reads the board it replayed.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { deriveCredential, encodePoint, generateCredentialCode, seededRandom } from '../../crypto/index.ts';
import { decodeEntry } from '../../bulletin-board/index.ts';
import { credentialHistory, replaceable } from '../../verifier/index.ts';
import { audit, cast, listVoters, must, randomAnswers, runCeremony, signedRevocation, startPoll, type Poll } from '../board/poll-support.ts';

let p: Poll;
let revokedAt: number;
const verdictOf = (key: Uint8Array) => replaceable(credentialHistory([...p.board.entries()].map((e) => e.bytes), key));
const enc = (i: number) => encodePoint(p.voters[i].credential.publicKey);

beforeAll(async () => {
  p = await startPoll({ seed: 'replaceable', manifest: { opensAt: 0, closesAt: 0 } });
  await listVoters(p, 4);
  await runCeremony(p);
  await must(p.board, 'open', new Uint8Array(0));
  await cast(p, 0, randomAnswers(p.rng)); // voter 0 voted
  revokedAt = (await must(p.board, 'revoke', signedRevocation(p.board, [p.voters[1].credential.publicKey]))).height; // voter 1 replaced
  await audit(p, 2, randomAnswers(p.rng)); // voter 2 only audited
}, 120_000);

describe('replaceable', () => {
  it('allows a listed credential that never cast, and one that only audited', () => {
    expect(verdictOf(enc(3))).toBe('ok');
    expect(verdictOf(enc(2))).toBe('ok');
  });

  it('refuses a credential that cast a ballot: a cast vote is never taken off by the registrar', () => {
    expect(verdictOf(enc(0))).toBe('has-cast');
  });

  it('refuses a credential already revoked; credentialHistory names the revoke entry and its time', () => {
    expect(verdictOf(enc(1))).toBe('revoked');
    const entries = [...p.board.entries()];
    const h = credentialHistory(entries.map((e) => e.bytes), enc(1));
    expect(h).toMatchObject({ listed: true, weight: 1, ballots: [], audits: [] });
    expect(h.revoked).toEqual({ height: revokedAt, time: decodeEntry(entries[revokedAt].bytes).time });
    expect(credentialHistory(entries.map((e) => e.bytes), enc(3)).revoked).toBeNull();
  });

  it('refuses a credential no list names (a typo, another poll’s code)', () => {
    const stranger = deriveCredential(generateCredentialCode(seededRandom('stranger')), p.manifest.pollId);
    expect(verdictOf(encodePoint(stranger.publicKey))).toBe('not-listed');
  });

  it('says revoked before anything else, and not-listed before cast, on plain histories', () => {
    const ballot = { height: 9, time: 1, tracker: new Uint8Array(32) };
    expect(replaceable({ listed: true, revoked: { height: 8, time: 1 }, ballots: [] })).toBe('revoked');
    expect(replaceable({ listed: false, revoked: null, ballots: [ballot] })).toBe('not-listed');
    expect(replaceable({ listed: true, revoked: null, ballots: [ballot, ballot] })).toBe('has-cast');
  });
});
