/**
 * The log key's Ed25519 signatures made by Node's own crypto (OpenSSL) instead of noble's JavaScript:
 * the same deterministic RFC 8032 bytes, about ten times faster, for the receipt of every cast.
 */
import { createPrivateKey, sign } from 'node:crypto';
import type { NoteSigner, SignerKey } from '../../bulletin-board/index.ts';

/** RFC 8410 PKCS #8 prefix of an Ed25519 private key: the 32-byte seed follows. */
const PKCS8_ED25519_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');

export function nativeNoteSigner(key: SignerKey): NoteSigner {
  const privateKey = createPrivateKey({ key: Buffer.concat([PKCS8_ED25519_PREFIX, key.seed]), format: 'der', type: 'pkcs8' });
  return { name: key.name, keyId: key.keyId, sign: (text) => new Uint8Array(sign(null, text, privateKey)) };
}
