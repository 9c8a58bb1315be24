/**
 * The witness's own key: one Ed25519 cosignature/v1 (type 0x04) key per state folder (spec §B.3.9),
 * drawn on first use and kept in `witness.key` as a C2SP signer-key string, readable by its owner only.
 * One key serves every poll the witness follows: the key is the witness's identity.
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { SIG_TYPE_COSIGNATURE_V1, encodeSignerKey, parseSignerKey, signerKeyFromSeed, type SignerKey } from '../../bulletin-board/index.ts';
import { DecodeError } from '../../crypto/index.ts';
import { WitnessStateError } from './errors.ts';

export const KEY_FILE = 'witness.key';

/** `witness-<host name>`, with anything a key name may not hold (spaces, `+`) made `-` (spec §B.3.3). */
export function defaultWitnessName(host: string = hostname()): string {
  return `witness-${host.replace(/[^A-Za-z0-9._-]/g, '-') || 'unnamed'}`;
}

/**
 * The state folder's witness key. Creates the folder (mode 0700) and the key (file mode 0600) on first
 * use, named `name` (default: defaultWitnessName()). With a key already there, `name` if given must be
 * its name. Throws DecodeError('name') on an invalid key name, WitnessStateError on a key file that is
 * unreadable, malformed, not type 0x04, open to other users, or named otherwise.
 */
export function loadWitnessKey(dir: string, name?: string): SignerKey {
  const file = join(dir, KEY_FILE);
  if (!existsSync(file)) {
    const key = signerKeyFromSeed(name ?? defaultWitnessName(), new Uint8Array(randomBytes(32)), SIG_TYPE_COSIGNATURE_V1);
    try {
      mkdirSync(dir, { recursive: true, mode: 0o700 });
      // 'wx': never overwrite a key another process wrote meanwhile.
      writeFileSync(file, `${encodeSignerKey(key)}\n`, { mode: 0o600, flag: 'wx' });
      chmodSync(file, 0o600);
    } catch (e) {
      throw new WitnessStateError(`cannot create the witness key ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    }
    return key;
  }
  let text: string;
  try {
    if (process.platform !== 'win32' && (statSync(file).mode & 0o077) !== 0) {
      throw new WitnessStateError(`the witness key ${file} is open to other users; make it private (chmod 600)`);
    }
    text = readFileSync(file, 'utf8');
  } catch (e) {
    if (e instanceof WitnessStateError) throw e;
    throw new WitnessStateError(`cannot read the witness key ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  let key: SignerKey;
  try {
    key = parseSignerKey(text.replace(/\n$/, ''));
  } catch (e) {
    if (e instanceof DecodeError) throw new WitnessStateError(`the witness key ${file} is malformed: ${e.message}`);
    throw e;
  }
  if (key.sigType !== SIG_TYPE_COSIGNATURE_V1) throw new WitnessStateError(`the witness key ${file} is not a cosignature/v1 (type 0x04) key`);
  if (name !== undefined && name !== key.name) {
    throw new WitnessStateError(`the witness key in ${dir} is named "${key.name}", not "${name}": drop --name or use another state folder`);
  }
  return key;
}
