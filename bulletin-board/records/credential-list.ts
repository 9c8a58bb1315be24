/**
 * The registrar's signed credential list: the bytes she signs, her signature, and its check.
 * Spec §B.1.6.1. The signature binds the poll (its manifest hash), so a list cannot be moved to
 * another poll, and only the manifest's registrar key can make a list the rules accept (§B.4.6.1).
 */
import { ed25519 } from '@noble/curves/ed25519.js';
import { Writer, type Point } from '../../crypto/index.ts';
import { ed25519VerifyStrict } from '../log/note.ts';

/** B.1.6.1 one listed credential: the public key X of §C.4 and the voter's weight. */
export interface ListedCredential {
  readonly key: Point;
  readonly weight: number;
}

/** B.1.6.1 the registrar's signature is 64 bytes of Ed25519. */
export const REGISTRAR_SIGNATURE_BYTES = 64;
const DST = new TextEncoder().encode('gongshi/1/credentials');

/** B.1.6.1 the list's bytes: u32 count ‖ count × (enc(X) ‖ u32 weight). */
export function encodeCredentialList(list: readonly ListedCredential[]): Uint8Array {
  const w = new Writer().u32(list.length);
  for (const c of list) w.point(c.key).u32(c.weight);
  return w.finish();
}

/** B.1.6.1 what the registrar signs: frame("gongshi/1/credentials") ‖ manifest hash ‖ list bytes. */
export function credentialListMessage(manifestHash: Uint8Array, listBytes: Uint8Array): Uint8Array {
  if (manifestHash.length !== 32) throw new Error('bug: a manifest hash is 32 bytes');
  return new Writer().framed(DST).bytes(manifestHash).bytes(listBytes).finish();
}

/** B.1.6.1 the registrar's public key for her 32-byte secret seed (RFC 8032). */
export function registrarPublicKey(seed: Uint8Array): Uint8Array {
  return ed25519.getPublicKey(seed);
}

/**
 * B.1.6.1 the payload of a credentials entry, signed with the registrar's 32-byte seed:
 * list bytes ‖ Ed25519(seed, message). `seed` is secret and stays on the registrar's device.
 */
export function signCredentialList(list: readonly ListedCredential[], manifestHash: Uint8Array, seed: Uint8Array): Uint8Array {
  const listBytes = encodeCredentialList(list);
  const signature = ed25519.sign(credentialListMessage(manifestHash, listBytes), seed);
  return new Writer().bytes(listBytes).bytes(signature).finish();
}

/** B.4.6.1 whether `signature` is the registrar's over this list in this poll (strict RFC 8032). */
export function verifyCredentialList(listBytes: Uint8Array, signature: Uint8Array, manifestHash: Uint8Array, registrarKey: Uint8Array): boolean {
  return ed25519VerifyStrict(signature, credentialListMessage(manifestHash, listBytes), registrarKey);
}


const REVOKE_DST = new TextEncoder().encode('gongshi/1/revoke');

/** B.1.6.10 the revocation's bytes: u32 count ‖ count × enc(X). */
export function encodeRevocationList(keys: readonly Point[]): Uint8Array {
  const w = new Writer().u32(keys.length);
  for (const k of keys) w.point(k);
  return w.finish();
}

/** B.1.6.10 what the registrar signs to revoke: frame("gongshi/1/revoke") ‖ manifest hash ‖ revocation bytes. */
export function revocationMessage(manifestHash: Uint8Array, listBytes: Uint8Array): Uint8Array {
  if (manifestHash.length !== 32) throw new Error('bug: a manifest hash is 32 bytes');
  return new Writer().framed(REVOKE_DST).bytes(manifestHash).bytes(listBytes).finish();
}

/**
 * B.1.6.10 the payload of a revoke entry, signed with the registrar's 32-byte seed: revocation bytes ‖
 * Ed25519(seed, message). Its own domain, so a signed credential list can never be read as a revocation.
 */
export function signRevocation(keys: readonly Point[], manifestHash: Uint8Array, seed: Uint8Array): Uint8Array {
  const listBytes = encodeRevocationList(keys);
  const signature = ed25519.sign(revocationMessage(manifestHash, listBytes), seed);
  return new Writer().bytes(listBytes).bytes(signature).finish();
}

/** B.4.6.8 whether `signature` is the registrar's over this revocation in this poll (strict RFC 8032). */
export function verifyRevocation(listBytes: Uint8Array, signature: Uint8Array, manifestHash: Uint8Array, registrarKey: Uint8Array): boolean {
  return ed25519VerifyStrict(signature, revocationMessage(manifestHash, listBytes), registrarKey);
}
