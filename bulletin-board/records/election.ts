/**
 * The values that name a poll for the cryptography: the manifest hash, each ceremony run's `election`
 * (§T.1.1), and the election fingerprint (§F.3) that every ballot proof and decryption share binds.
 * Spec §B.1.5.
 */
import { Writer, taggedHash } from '../../crypto/index.ts';

/** B.1.5 H("gongshi/1/manifest", manifest bytes). */
export function hashManifest(manifestBytes: Uint8Array): Uint8Array {
  return taggedHash('gongshi/1/manifest', manifestBytes);
}

/**
 * B.1.5 the `election` of ceremony run r (§T.1.1): H("gongshi/1/election", manifest hash, u32 r).
 * Each run has its own, so messages of an abandoned run are refused in the next (Appendix B 8).
 */
export function ceremonyElection(manifestHash: Uint8Array, run: number): Uint8Array {
  return taggedHash('gongshi/1/election', manifestHash, new Writer().u32(run).finish());
}

/**
 * B.1.5 the election fingerprint: H("gongshi/1/fingerprint", manifest hash, u32 r, transcript hash of
 * run r, §T.6.3). The transcript commits to h_C (hence t, n and the run), every accepted ceremony
 * message, the qualified set, Y and every Y_j; the manifest hash to the protocol version, the poll id,
 * every question shape and text, the schedule and the revote policy.
 */
export function electionFingerprint(manifestHash: Uint8Array, run: number, transcript: Uint8Array): Uint8Array {
  return taggedHash('gongshi/1/fingerprint', manifestHash, new Writer().u32(run).finish(), transcript);
}
