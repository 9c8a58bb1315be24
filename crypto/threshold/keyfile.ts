/**
 * The trustee's key file: her secrets after the ceremony, encrypted with her passphrase (scrypt,
 * AES-256-GCM), with the version, the ceremony and her index in the clear. Spec §T.9.
 */
import { scryptAsync } from '@noble/hashes/scrypt.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesEqual, DecodeError, Reader, Writer } from '../encoding.ts';
import type { KeyPair } from '../elgamal.ts';
import { G, mulSecret, type Point } from '../group.ts';
import { taggedHash } from '../hash.ts';
import { systemRandom, type RandomSource } from '../random.ts';
import type { CeremonyOutcome } from './ceremony.ts';
import type { IdentityMessage } from './messages.ts';
import { ceremonyHash, checkParams, type CeremonyParams } from './params.ts';

/** T.9.1 the file opens with these 8 bytes, then the version. */
const MAGIC = new TextEncoder().encode('gongshik');
export const KEY_FILE_VERSION = 2;
/** T.9.2 scrypt cost: N = 2^17, r = 8, p = 1 by default (128 MiB); files may say 2^14 … 2^20. */
export const SCRYPT_DEFAULT_LOG_N = 17;
const LOG_N_RANGE = [14, 20] as const;
const SCRYPT_R = 8;
const SCRYPT_P = 1;
const SALT_BYTES = 16;
const CHECK_BYTES = 16;
const NONCE_BYTES = 12;
/** Passphrases shorter than this are refused when a file is made. */
export const MIN_PASSPHRASE_LENGTH = 10;

/** What the file protects: everything a trustee needs to check her key and decrypt. */
export interface TrusteeKey {
  readonly params: CeremonyParams;
  readonly index: number;
  readonly signing: KeyPair;
  readonly encryption: KeyPair;
  /** x_j, her share of the election key */
  readonly keyShare: bigint;
  /** the joint key Y and transcript hash of the ceremony she signed */
  readonly jointKey: Point;
  readonly transcript: Uint8Array;
  /**
   * T.9.3 the board as her own device replayed it when she saved the file: its size and the Merkle
   * root (§B.2) her device computed over those entries. Before decrypting, the board she is shown
   * must extend it (the same root at that size), so a board forked before her key cannot pass.
   */
  readonly seen: { readonly size: number; readonly root: Uint8Array };
}

export type KeyFileProblem = 'NOT_A_KEY_FILE' | 'DAMAGED' | 'WRONG_PASSPHRASE' | 'OTHER_ELECTION';

/** Why a key file could not be opened; `code` is stable, the message is for people. */
export class KeyFileError extends Error {
  constructor(
    readonly code: KeyFileProblem,
    message: string,
  ) {
    super(message);
    this.name = 'KeyFileError';
  }
}

async function deriveKeys(passphrase: string, salt: Uint8Array, logN: number, onProgress?: (fraction: number) => void): Promise<{ aes: Uint8Array; check: Uint8Array }> {
  // T.9.2 64 bytes of scrypt(NFKC(passphrase), salt): the AES key, then a key for the check value.
  const out = await scryptAsync(new TextEncoder().encode(passphrase.normalize('NFKC')), salt, {
    N: 2 ** logN,
    r: SCRYPT_R,
    p: SCRYPT_P,
    dkLen: 64,
    onProgress,
  });
  return { aes: out.subarray(0, 32), check: taggedHash('gongshi/1/keyfile-check', out.subarray(32)).subarray(0, CHECK_BYTES) };
}

function encodeSecrets(k: TrusteeKey): Uint8Array {
  // T.9.3 the plaintext.
  if (!Number.isSafeInteger(k.seen.size) || k.seen.size < 1 || k.seen.root.length !== 32) throw new Error('bug: the board seen is a size ≥ 1 and a 32-byte root');
  return new Writer().u8(2).scalar(k.signing.secret).scalar(k.encryption.secret).scalar(k.keyShare).point(k.jointKey).bytes(k.transcript).u64(k.seen.size).bytes(k.seen.root).finish();
}

/**
 * T.9.1 makes the file. The passphrase must have at least MIN_PASSPHRASE_LENGTH characters.
 * `logN` below the default is for tests only. `onProgress` reports scrypt's progress (0 … 1).
 */
export async function createKeyFile(
  key: TrusteeKey,
  passphrase: string,
  options: { readonly logN?: number; readonly rng?: RandomSource; readonly onProgress?: (fraction: number) => void } = {},
): Promise<Uint8Array> {
  checkParams(key.params);
  // T.9.1 step 2: counted in code points before normalisation (NFKC can shorten a text).
  if ([...passphrase].length < MIN_PASSPHRASE_LENGTH) throw new Error(`the passphrase needs at least ${MIN_PASSPHRASE_LENGTH} characters`);
  const logN = options.logN ?? SCRYPT_DEFAULT_LOG_N;
  if (!Number.isInteger(logN) || logN < LOG_N_RANGE[0] || logN > LOG_N_RANGE[1]) throw new Error(`scrypt log2 N must be from ${LOG_N_RANGE[0]} to ${LOG_N_RANGE[1]}`);
  const rng = options.rng ?? systemRandom;
  const salt = rng(SALT_BYTES);
  const nonce = rng(NONCE_BYTES);
  const { aes, check } = await deriveKeys(passphrase, salt, logN, options.onProgress);
  const header = new Writer()
    .bytes(MAGIC)
    .u8(KEY_FILE_VERSION)
    .bytes(key.params.election)
    .u32(key.params.t)
    .u32(key.params.n)
    .u32(key.index)
    .u8(logN)
    .bytes(salt)
    .bytes(check)
    .bytes(nonce)
    .finish();
  const aesKey = await globalThis.crypto.subtle.importKey('raw', aes as Uint8Array<ArrayBuffer>, 'AES-GCM', false, ['encrypt']);
  const sealed = new Uint8Array(
    await globalThis.crypto.subtle.encrypt(
      { name: 'AES-GCM', iv: nonce as Uint8Array<ArrayBuffer>, additionalData: header as Uint8Array<ArrayBuffer>, tagLength: 128 },
      aesKey,
      encodeSecrets(key) as Uint8Array<ArrayBuffer>,
    ),
  );
  const body = new Writer().bytes(header).framed(sealed).finish();
  return new Writer().bytes(body).bytes(sha256(body)).finish();
}

/** The clear part of a key file: readable without the passphrase. */
export interface KeyFileHeader {
  readonly params: CeremonyParams;
  readonly index: number;
  readonly logN: number;
}

function parse(file: Uint8Array): { header: KeyFileHeader; headerBytes: Uint8Array; salt: Uint8Array; check: Uint8Array; nonce: Uint8Array; sealed: Uint8Array } {
  // T.9.4 the magic (NOT_A_KEY_FILE), then the checksum (DAMAGED), then version and structure (NOT_A_KEY_FILE).
  const notOurs = (why: string) => new KeyFileError('NOT_A_KEY_FILE', `this is not a gongshi key file (${why})`);
  if (file.length < MAGIC.length + 33 || !bytesEqual(file.subarray(0, MAGIC.length), MAGIC)) throw notOurs('it does not start like one');
  if (!bytesEqual(sha256(file.subarray(0, file.length - 32)), file.subarray(file.length - 32)))
    throw new KeyFileError('DAMAGED', 'the key file is damaged or was altered (its checksum does not match)');
  if (file[MAGIC.length] !== KEY_FILE_VERSION) throw notOurs(`version ${file[MAGIC.length]} is not one this program reads`);
  try {
    const r = new Reader(file.subarray(0, file.length - 32));
    r.bytes(MAGIC.length + 1, 'magic');
    const election = r.bytes(32, 'election').slice();
    const t = r.u32('t');
    const n = r.u32('n');
    const index = r.u32('index');
    const logN = r.u8('logN');
    const salt = r.bytes(SALT_BYTES, 'salt').slice();
    const check = r.bytes(CHECK_BYTES, 'check').slice();
    const nonce = r.bytes(NONCE_BYTES, 'nonce').slice();
    const headerLength = r.offset;
    const sealed = r.framed('secrets', 4096).slice();
    r.end();
    const params = { election, t, n };
    checkParams(params);
    if (index < 1 || index > n) throw new DecodeError('index', `${index} is not from 1 to ${n}`);
    if (logN < LOG_N_RANGE[0] || logN > LOG_N_RANGE[1]) throw new DecodeError('logN', `scrypt log2 N ${logN} is out of range`);
    return { header: { params, index, logN }, headerBytes: file.slice(0, headerLength), salt, check, nonce, sealed };
  } catch (e) {
    if (e instanceof KeyFileError) throw e;
    throw notOurs(e instanceof Error ? e.message : String(e));
  }
}

/** T.9.4 reads the clear part (who and which poll) without the passphrase. Throws KeyFileError. */
export function readKeyFileHeader(file: Uint8Array): KeyFileHeader {
  return parse(file).header;
}

/**
 * T.9.4 opens the file. Errors, each a KeyFileError with its own code: NOT_A_KEY_FILE, DAMAGED (any
 * flipped byte), WRONG_PASSPHRASE, and OTHER_ELECTION when `expectedElection` is given and differs.
 */
export async function openKeyFile(
  file: Uint8Array,
  passphrase: string,
  options: { readonly expectedElection?: Uint8Array; readonly onProgress?: (fraction: number) => void } = {},
): Promise<TrusteeKey> {
  const { header, headerBytes, salt, check, nonce, sealed } = parse(file);
  if (options.expectedElection && !bytesEqual(options.expectedElection, header.params.election))
    throw new KeyFileError('OTHER_ELECTION', 'this key file belongs to another poll');
  const keys = await deriveKeys(passphrase, salt, header.logN, options.onProgress);
  if (!bytesEqual(keys.check, check)) throw new KeyFileError('WRONG_PASSPHRASE', 'the passphrase is not the one this key file was made with');
  const aesKey = await globalThis.crypto.subtle.importKey('raw', keys.aes as Uint8Array<ArrayBuffer>, 'AES-GCM', false, ['decrypt']);
  let plain: Uint8Array;
  try {
    plain = new Uint8Array(
      await globalThis.crypto.subtle.decrypt(
        { name: 'AES-GCM', iv: nonce as Uint8Array<ArrayBuffer>, additionalData: headerBytes as Uint8Array<ArrayBuffer>, tagLength: 128 },
        aesKey,
        sealed as Uint8Array<ArrayBuffer>,
      ),
    );
  } catch {
    throw new KeyFileError('DAMAGED', 'the key file is damaged or was altered (it does not decrypt)');
  }
  try {
    const r = new Reader(plain);
    if (r.u8('version') !== 2) throw new DecodeError('version', 'unknown secrets version');
    const signing = r.scalar('signing');
    const encryption = r.scalar('encryption');
    const keyShare = r.scalar('keyShare');
    const jointKey = r.point('jointKey');
    const transcript = r.bytes(32, 'transcript').slice();
    const seenSize = r.u64('seen.size');
    if (seenSize < 1) throw new DecodeError('seen.size', 'at least 1');
    const seenRoot = r.bytes(32, 'seen.root').slice();
    r.end();
    return {
      params: header.params,
      index: header.index,
      signing: { secret: signing, publicKey: mulSecret(G, signing) },
      encryption: { secret: encryption, publicKey: mulSecret(G, encryption) },
      keyShare,
      jointKey,
      transcript,
      seen: { size: seenSize, root: seenRoot },
    };
  } catch (e) {
    if (e instanceof DecodeError) throw new KeyFileError('DAMAGED', `the key file's contents are malformed (${e.message})`);
    throw e;
  }
}

/**
 * T.9.5 "check my key": compares an opened key with the public record before the poll opens.
 * Returns the list of problems, empty when the key is the one the record expects.
 */
export function checkKey(key: TrusteeKey, record: { readonly outcome: CeremonyOutcome; readonly identity: IdentityMessage | undefined }): string[] {
  const problems: string[] = [];
  const { outcome, identity } = record;
  if (!bytesEqual(identity?.fingerprint ?? new Uint8Array(0), ceremonyHash(key.params))) problems.push('the record has no identity of yours for this poll');
  else if (!identity!.signingKey.equals(key.signing.publicKey) || !identity!.encryptionKey.equals(key.encryption.publicKey))
    problems.push('your keys are not the ones on the record');
  if (!outcome.ok) problems.push(`the ceremony on the record failed: ${outcome.failure}`);
  else {
    const Yj = outcome.verificationKeys.get(key.index);
    if (!Yj) problems.push(`trustee ${key.index} is not in the qualified set on the record`);
    else if (!mulSecret(G, key.keyShare).equals(Yj)) problems.push('your key share does not match your verification key on the record');
    if (!outcome.jointKey?.equals(key.jointKey)) problems.push('the election key on the record is not the one you signed');
    if (!bytesEqual(outcome.transcript, key.transcript)) problems.push('the ceremony transcript on the record is not the one you signed');
    if (!outcome.signedBy.includes(key.index)) problems.push('your signature of the transcript is not on the record');
  }
  return problems;
}
