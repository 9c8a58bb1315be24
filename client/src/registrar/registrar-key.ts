/**
 * The registrar's signing key (spec §B.1.4, §B.1.6.1): an Ed25519 seed made in her browser, kept on
 * her device (localStorage, one per poll) and in a key file she saves to carry it to another device.
 * Its public key goes into the draft; the seed never leaves her devices. Whoever holds the seed can
 * list voters for this poll, or revoke credentials that have not cast, until it closes (§B.4.6.1,
 * §B.4.6.8), so the file is to be kept like the code sheets.
 */
import { decodePoint, fromHex, toHex } from '../../../crypto/index.ts';
import { REGISTRAR_SIGNATURE_BYTES, registrarPublicKey, signCredentialList, signRevocation } from '../../../bulletin-board/index.ts';

export interface RegistrarKey {
  readonly poll: string;
  /** the secret 32-byte seed */
  readonly seed: Uint8Array;
  /** the public key, 64 hex digits, as the draft and the manifest name it */
  readonly key: string;
}

const STORE = 'gongshi.registrar.';
const FILE_KIND = 'gongshi registrar key 1';

/** A fresh key from the browser's CSPRNG, for `poll` ('' while the poll has no id yet). */
export function newRegistrarKey(poll: string): RegistrarKey {
  const seed = crypto.getRandomValues(new Uint8Array(32));
  return { poll, seed, key: toHex(registrarPublicKey(seed)) };
}

function fromSeed(poll: string, seed: Uint8Array): RegistrarKey {
  return { poll, seed, key: toHex(registrarPublicKey(seed)) };
}

/** The key kept on this device for `poll`, or null. */
export function keptRegistrarKey(poll: string): RegistrarKey | null {
  try {
    const v = localStorage.getItem(STORE + poll);
    return v !== null && /^[0-9a-f]{64}$/.test(v) ? fromSeed(poll, fromHex(v, 'seed')) : null;
  } catch {
    return null;
  }
}

/** Keeps `key` on this device for `poll`. Returns false when the browser keeps nothing (private mode): then only the file holds it. */
export function keepRegistrarKey(poll: string, key: RegistrarKey): boolean {
  try {
    localStorage.setItem(STORE + poll, toHex(key.seed));
    return true;
  } catch {
    return false;
  }
}

/** The key file's text (JSON): what it is, the poll, the public key and the secret seed. */
export function registrarKeyFile(key: RegistrarKey): string {
  return JSON.stringify({ kind: FILE_KIND, poll: key.poll, key: key.key, seed: toHex(key.seed) }, null, 2) + '\n';
}

/** Why a key file was refused. */
export type KeyFileProblem = 'unreadable' | 'otherPoll';

/** Reads a key file for `poll`: the key, or why not (not a key file, a damaged one, another poll's). */
export function readRegistrarKeyFile(text: string, poll: string): RegistrarKey | KeyFileProblem {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    return 'unreadable';
  }
  const f = v as { kind?: unknown; poll?: unknown; key?: unknown; seed?: unknown } | null;
  if (typeof f !== 'object' || f === null || f.kind !== FILE_KIND || typeof f.seed !== 'string' || !/^[0-9a-f]{64}$/.test(f.seed) || typeof f.poll !== 'string') return 'unreadable';
  const key = fromSeed(f.poll, fromHex(f.seed, 'seed'));
  if (key.key !== f.key) return 'unreadable';
  if (f.poll !== poll) return 'otherPoll';
  return key;
}

/** A public key as people compare it by eye or over the phone: 52 base32 symbols in groups of four. */
export { formatPollFingerprint as keyGroups } from '../../../bulletin-board/index.ts';

/**
 * B.1.6.1 the body of a credentials upload: the list as the API takes it and her signature over its
 * bytes and the manifest hash, made with her seed here. `list` keys are hex of credential public keys.
 */
export function signedUpload(list: readonly { key: string; weight: number }[], manifestHash: Uint8Array, key: RegistrarKey): { credentials: { key: string; weight: number }[]; signature: string } {
  const points = list.map((c) => ({ key: decodePoint(fromHex(c.key, 'key'), 'key'), weight: c.weight }));
  const signed = signCredentialList(points, manifestHash, key.seed);
  return { credentials: list.map((c) => ({ key: c.key, weight: c.weight })), signature: toHex(signed.subarray(signed.length - REGISTRAR_SIGNATURE_BYTES)) };
}

/**
 * B.1.6.10 the body of a revocation: the credentials (hex of their public keys) and her signature over
 * them and the manifest hash, in the revocation's own signing domain, made with her seed here.
 */
export function signedRevocation(keys: readonly string[], manifestHash: Uint8Array, key: RegistrarKey): { keys: string[]; signature: string } {
  const signed = signRevocation(keys.map((k) => decodePoint(fromHex(k, 'key'), 'key')), manifestHash, key.seed);
  return { keys: [...keys], signature: toHex(signed.subarray(signed.length - REGISTRAR_SIGNATURE_BYTES)) };
}
