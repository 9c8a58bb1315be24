/** The bindings of the ceremony's proofs, and the commit hash. Spec §T.2.1, §T.3.3–T.3.4, §T.5.1, §T.7.2. */
import { Writer } from '../encoding.ts';
import type { Point } from '../group.ts';
import { taggedHash } from '../hash.ts';
import type { ProofContext } from '../proofs/context.ts';
import type { RevealMessage } from './messages.ts';

/** T.2.1 the binding of the proof of knowledge of the encryption key: u32 kind 1 ‖ u32 i ‖ "encryption". */
export function encryptionKeyContext(h: Uint8Array, index: number): ProofContext {
  return { fingerprint: h, binding: new Writer().u32(1).u32(index).framed(new TextEncoder().encode('encryption')).finish() };
}

/** T.3.3 the binding of the proof for coefficient k: u32 i ‖ u32 k ‖ u32 t ‖ enc(A₀) ‖ … ‖ enc(A_{t−1}). */
export function coefficientContext(h: Uint8Array, index: number, k: number, commitments: readonly Point[]): ProofContext {
  const w = new Writer().u32(index).u32(k).u32(commitments.length);
  for (const A of commitments) w.point(A);
  return { fingerprint: h, binding: w.finish() };
}

/** T.3.4 the commitment to a reveal: H("gongshi/1/dkg-commit", reveal bytes). */
export function revealHash(reveal: RevealMessage): Uint8Array {
  return taggedHash('gongshi/1/dkg-commit', reveal.bytes);
}

/** T.5.1 the context of a complaint's §P2 proof: u32 5 ‖ u32 complainer ‖ u32 accused. */
export function complaintContext(h: Uint8Array, complainer: number, accused: number): ProofContext {
  return { fingerprint: h, binding: new Writer().u32(5).u32(complainer).u32(accused).finish() };
}

/** T.7.2 the context of the proof of knowledge of the key share: (h, u32 6 ‖ u32 j). */
export function keyShareContext(h: Uint8Array, index: number): ProofContext {
  return { fingerprint: h, binding: new Writer().u32(6).u32(index).finish() };
}
