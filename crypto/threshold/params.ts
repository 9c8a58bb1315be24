/**
 * The ceremony's parameters and identity, and how every trustee message is signed. Spec §T.1.
 */
import { Writer } from '../encoding.ts';
import type { Point } from '../group.ts';
import { taggedHash } from '../hash.ts';
import type { ProofContext } from '../proofs/context.ts';
import { sign, signatureEquations, type SchnorrProof } from '../proofs/schnorr.ts';
import { DirectCheck } from '../equations.ts';
import type { RandomSource } from '../random.ts';

/** T.1.1 at most this many trustees (and 1 ≤ t ≤ n). */
export const MAX_TRUSTEES = 64;

/** election: 32 opaque bytes naming the poll (§B); t of n trustees are needed to decrypt. */
export interface CeremonyParams {
  readonly election: Uint8Array;
  readonly t: number;
  readonly n: number;
}

/** T.1.2 message kinds: the first byte of every encoded trustee message. */
export const Kind = { identity: 1, commit: 2, reveal: 3, shares: 4, complaint: 5, finish: 6, decryption: 7 } as const;
export type KindName = keyof typeof Kind;

/** Refuses parameters outside T.1.1; throws Error naming the problem. */
export function checkParams(p: CeremonyParams): void {
  if (!(p.election instanceof Uint8Array) || p.election.length !== 32) throw new Error('the ceremony’s election value is 32 bytes');
  if (!Number.isInteger(p.n) || p.n < 1 || p.n > MAX_TRUSTEES) throw new Error(`n must be an integer from 1 to ${MAX_TRUSTEES}`);
  if (!Number.isInteger(p.t) || p.t < 1 || p.t > p.n) throw new Error('t must be an integer from 1 to n');
}

/** T.1.3 h_C = H("gongshi/1/ceremony", election, u32 t ‖ u32 n): the fingerprint of every ceremony proof. */
export function ceremonyHash(p: CeremonyParams): Uint8Array {
  checkParams(p);
  return taggedHash('gongshi/1/ceremony', p.election, new Writer().u32(p.t).u32(p.n).finish());
}

/** T.1.4 the context of trustee i's signature on a message of kind k: (h, u32 k ‖ u32 i). */
export function messageContext(fingerprint: Uint8Array, kind: KindName, index: number): ProofContext {
  return { fingerprint, binding: new Writer().u32(Kind[kind]).u32(index).finish() };
}

/** T.1.4 signs a message body with the trustee's signing key. */
export function signMessage(
  fingerprint: Uint8Array,
  kind: KindName,
  index: number,
  body: Uint8Array,
  key: { secret: bigint; publicKey: Point },
  rng: RandomSource,
): SchnorrProof {
  return sign(key.secret, key.publicKey, body, messageContext(fingerprint, kind, index), rng);
}

/** T.1.4 checks a message signature. */
export function verifyMessage(fingerprint: Uint8Array, kind: KindName, index: number, body: Uint8Array, signature: SchnorrProof, signer: Point): boolean {
  const check = new DirectCheck();
  signatureEquations(signer, body, signature, messageContext(fingerprint, kind, index), check);
  return check.result();
}
