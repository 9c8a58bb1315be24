/**
 * Checkpoints of the board's Merkle log (C2SP tlog-checkpoint v1.0.0, https://c2sp.org/tlog-checkpoint),
 * signed as notes (note.ts), witness cosignatures (C2SP tlog-cosignature, https://c2sp.org/tlog-cosignature,
 * Ed25519 "cosignature/v1", type 0x04), and the comparison of two checkpoints of one log.
 * Spec §B.3 (steps B.3.6–B.3.10).
 *
 * Pure and browser-safe: no I/O, no clock (timestamps are parameters), no randomness.
 * Malformed input throws a DecodeError naming the line; a false claim is a finding object.
 */
import { ed25519 } from '@noble/curves/ed25519.js';
import { DecodeError, bytesEqual } from '../../crypto/index.ts';
import { MerkleInputError, verifyConsistency } from './merkle.ts';
import {
  SIG_TYPE_COSIGNATURE_V1,
  addSignatures,
  decodeBase64,
  ed25519NoteSigner,
  ed25519NoteVerifier,
  ed25519VerifyStrict,
  encodeBase64,
  openNote,
  parseNote,
  signNote,
  type NoteSignature,
  type NoteSigner,
  type NoteVerifier,
  type SignerKey,
  type VerifierKey,
} from './note.ts';

const utf8Encoder = new TextEncoder();

/** B.3.6 gongshi keeps tree sizes and timestamps as exact JavaScript integers. */
export const MAX_TREE_SIZE = Number.MAX_SAFE_INTEGER;
export const ROOT_HASH_BYTES = 32;

export interface Checkpoint {
  readonly origin: string;
  readonly size: number;
  readonly rootHash: Uint8Array;
  /** Extension lines (without newline), opaque; gongshi writes none. */
  readonly extensions: readonly string[];
}

// ---------------------------------------------------------------------------------------------------
// B.3.6 The checkpoint body.

function requireOrigin(origin: string, field: string): void {
  if (origin === '') throw new DecodeError(field, 'origin is empty');
  if (origin.includes('\n')) throw new DecodeError(field, 'origin contains a newline');
  // tlog-checkpoint: SHOULD contain neither Unicode spaces nor '+'; gongshi makes it a MUST, because
  // B.3.8 requires the log's key name to equal the origin, and key names may contain neither.
  if (/\p{White_Space}/u.test(origin) || origin.includes('+')) throw new DecodeError(field, 'origin contains a space or +');
}

/** Canonical decimal: "0", or a non-zero digit then digits; at most MAX_TREE_SIZE. */
function decodeTreeSize(line: string, field: string): number {
  if (!/^(0|[1-9][0-9]*)$/.test(line)) throw new DecodeError(field, 'tree size is not canonical decimal');
  const size = Number(line);
  if (!Number.isSafeInteger(size) || size > MAX_TREE_SIZE) throw new DecodeError(field, 'tree size too large');
  return size;
}

/** B.3.6 "<origin>\n<size>\n<base64 root hash>\n" then extension lines, each non-empty and newline-terminated. */
export function encodeCheckpoint(c: Checkpoint): string {
  requireOrigin(c.origin, 'origin');
  if (!Number.isSafeInteger(c.size) || c.size < 0) throw new DecodeError('size', 'not a non-negative safe integer');
  if (c.rootHash.length !== ROOT_HASH_BYTES) throw new DecodeError('rootHash', `must be ${ROOT_HASH_BYTES} bytes`);
  for (const [i, e] of c.extensions.entries()) {
    if (e === '' || e.includes('\n')) throw new DecodeError(`extension ${i}`, 'empty or contains a newline');
  }
  return [c.origin, String(c.size), encodeBase64(c.rootHash), ...c.extensions].map((l) => l + '\n').join('');
}

/** B.3.6 Decodes a checkpoint body (the note text) strictly; the inverse of encodeCheckpoint. */
export function decodeCheckpoint(text: string): Checkpoint {
  if (!text.endsWith('\n')) throw new DecodeError('checkpoint', 'does not end in newline');
  const lines = text.slice(0, -1).split('\n');
  if (lines.length < 3) throw new DecodeError('checkpoint', 'fewer than three lines');
  const [originLine, sizeLine, rootLine, ...extensions] = lines;
  requireOrigin(originLine, 'line 1 (origin)');
  const size = decodeTreeSize(sizeLine, 'line 2 (tree size)');
  const rootHash = decodeBase64(rootLine, 'line 3 (root hash)');
  if (rootHash.length !== ROOT_HASH_BYTES) throw new DecodeError('line 3 (root hash)', `must be ${ROOT_HASH_BYTES} bytes`);
  for (const [i, e] of extensions.entries()) {
    if (e === '') throw new DecodeError(`line ${i + 4} (extension)`, 'empty extension line');
  }
  return { origin: originLine, size, rootHash, extensions };
}

// ---------------------------------------------------------------------------------------------------
// B.3.7–B.3.8 The log's signature.

/**
 * B.3.7 Signs a checkpoint as a note with the log's Ed25519 key, whose name must be the origin. `signer`,
 * if given, must be that key's: it makes the same deterministic signature elsewhere (Node's own Ed25519).
 */
export function signCheckpoint(c: Checkpoint, logKey: SignerKey, signer: NoteSigner = ed25519NoteSigner(logKey)): string {
  if (logKey.name !== c.origin || signer.name !== logKey.name || signer.keyId !== logKey.keyId) throw new DecodeError('logKey', 'key name differs from the checkpoint origin');
  return signNote(encodeCheckpoint(c), [signer]);
}

export interface VerifiedCheckpoint {
  readonly checkpoint: Checkpoint;
  /** The signed note exactly as received: the evidence to show to anyone else. */
  readonly signedNote: string;
  /** Signatures other than the log's that this check did not verify (witnesses, other keys). */
  readonly otherSignatures: readonly NoteSignature[];
}

export type CheckpointVerdict =
  | ({ readonly ok: true } & VerifiedCheckpoint)
  | { readonly ok: false; readonly reason: 'invalid-signature' | 'no-log-signature' | 'origin-mismatch' };

/**
 * B.3.8 Verifies a signed checkpoint against the log's known key (type 0x01, name = origin). Throws on
 * a malformed note or body; returns a finding when the log's signature is missing or wrong, or when
 * the origin is not the key name (or not the expected origin).
 */
export function verifyCheckpoint(signedNote: Uint8Array | string, logKey: VerifierKey, expectedOrigin: string = logKey.name): CheckpointVerdict {
  const opened = openNote(signedNote, [ed25519NoteVerifier(logKey)]);
  if (!opened.ok) return { ok: false, reason: opened.reason === 'invalid-signature' ? 'invalid-signature' : 'no-log-signature' };
  const checkpoint = decodeCheckpoint(opened.text);
  if (checkpoint.origin !== logKey.name || checkpoint.origin !== expectedOrigin) return { ok: false, reason: 'origin-mismatch' };
  const text = typeof signedNote === 'string' ? signedNote : new TextDecoder('utf-8', { ignoreBOM: true }).decode(signedNote);
  return { ok: true, checkpoint, signedNote: text, otherSignatures: opened.unknown };
}

// ---------------------------------------------------------------------------------------------------
// B.3.9 Witness cosignatures (tlog-cosignature, Ed25519 cosignature/v1, type 0x04).

/** timestamped_signature.timestamp must not exceed 2^63 − 1; gongshi also needs a safe integer. */
function requireTimestamp(timestamp: number): void {
  if (!Number.isSafeInteger(timestamp) || timestamp < 0) throw new DecodeError('timestamp', 'not a non-negative safe integer (POSIX seconds)');
}

/** B.3.9 The signed message: "cosignature/v1\n" ‖ "time <decimal>\n" ‖ the whole checkpoint body. */
export function cosignatureMessage(checkpointText: string | Uint8Array, timestamp: number): Uint8Array {
  requireTimestamp(timestamp);
  const header = utf8Encoder.encode(`cosignature/v1\ntime ${timestamp}\n`);
  const body = typeof checkpointText === 'string' ? utf8Encoder.encode(checkpointText) : checkpointText;
  const out = new Uint8Array(header.length + body.length);
  out.set(header, 0);
  out.set(body, header.length);
  return out;
}

function u64Bytes(n: number): Uint8Array {
  const out = new Uint8Array(8);
  new DataView(out.buffer).setBigUint64(0, BigInt(n));
  return out;
}

/** Reads the 8-byte big-endian timestamp; undefined if above 2^63 − 1 or not a safe integer. */
function readTimestamp(sig: Uint8Array): number | undefined {
  const t = new DataView(sig.buffer, sig.byteOffset, 8).getBigUint64(0);
  return t <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(t) : undefined;
}

/** B.3.9 A type-0x04 signer for one timestamp: signature bytes = u64(timestamp) ‖ Ed25519 signature. */
export function cosignatureSigner(key: SignerKey, timestamp: number): NoteSigner {
  if (key.sigType !== SIG_TYPE_COSIGNATURE_V1) throw new DecodeError('skey', 'not a cosignature/v1 (type 0x04) key');
  requireTimestamp(timestamp);
  return {
    name: key.name,
    keyId: key.keyId,
    sign: (text) => {
      const message = cosignatureMessage(text, timestamp);
      const sig = ed25519.sign(message, key.seed);
      const out = new Uint8Array(8 + sig.length);
      out.set(u64Bytes(timestamp), 0);
      out.set(sig, 8);
      return out;
    },
  };
}

/** B.3.9 A type-0x04 verifier: 72 bytes, timestamp first, Ed25519 (strict) over the cosignature message. */
export function cosignatureVerifier(key: VerifierKey): NoteVerifier {
  if (key.sigType !== SIG_TYPE_COSIGNATURE_V1) throw new DecodeError('vkey', 'not a cosignature/v1 (type 0x04) key');
  return {
    name: key.name,
    keyId: key.keyId,
    verify: (text, sig) => {
      if (sig.length !== 72) return false;
      const timestamp = readTimestamp(sig);
      if (timestamp === undefined) return false;
      return ed25519VerifyStrict(sig.subarray(8), cosignatureMessage(text, timestamp), key.publicKey);
    },
  };
}

/** The timestamp of a cosignature/v1 signature (bytes after the key ID), or undefined if it has none. */
export function cosignatureTimestamp(signature: Uint8Array): number | undefined {
  return signature.length === 72 ? readTimestamp(signature) : undefined;
}

/** B.3.9 Adds a witness cosignature, made at `timestamp` (POSIX seconds), to a signed checkpoint. */
export function cosignCheckpoint(signedNote: Uint8Array | string, witnessKey: SignerKey, timestamp: number): string {
  decodeCheckpoint(parseNote(signedNote).text);
  return addSignatures(signedNote, [cosignatureSigner(witnessKey, timestamp)]);
}

export type CosignatureVerdict =
  | { readonly ok: true; readonly timestamp: number }
  | { readonly ok: false; readonly reason: 'no-cosignature' | 'invalid-signature' };

/**
 * B.3.9 Verifies the cosignature of one witness on a signed checkpoint (the log's own signature is
 * checked separately by verifyCheckpoint). Throws on malformed input.
 */
export function verifyCosignature(signedNote: Uint8Array | string, witnessKey: VerifierKey): CosignatureVerdict {
  const opened = openNote(signedNote, [cosignatureVerifier(witnessKey)]);
  if (!opened.ok) return { ok: false, reason: opened.reason === 'invalid-signature' ? 'invalid-signature' : 'no-cosignature' };
  decodeCheckpoint(opened.text);
  const timestamp = cosignatureTimestamp(opened.verified[0].signature);
  if (timestamp === undefined) throw new Error('bug: a verified cosignature has no timestamp');
  return { ok: true, timestamp };
}

// ---------------------------------------------------------------------------------------------------
// B.3.10 Comparing two checkpoints of one log.

/** RFC 9162 §2.1.4.2 consistency check, supplied by the Merkle module (merkle.ts). */
export type ConsistencyProofVerifier = (
  oldSize: number,
  newSize: number,
  oldRoot: Uint8Array,
  newRoot: Uint8Array,
  proof: readonly Uint8Array[],
) => boolean;

export type CheckpointComparison =
  | { readonly verdict: 'consistent' }
  | {
      readonly verdict: 'equivocation';
      readonly kind: 'same-size-different-root' | 'no-valid-consistency-proof';
      /** Both signed checkpoints, as received (older first when the sizes differ). */
      readonly evidence: readonly [string, string];
      /** The proof that failed, for 'no-valid-consistency-proof'. */
      readonly proof?: readonly Uint8Array[];
    };

/**
 * B.3.10 Given two verified checkpoints of the same origin: the same size with different roots is
 * equivocation; different sizes need a consistency proof from the smaller to the larger, and without
 * a valid one the pair is reported as equivocation with both signed checkpoints as evidence.
 */
export function compareCheckpoints(
  a: VerifiedCheckpoint,
  b: VerifiedCheckpoint,
  consistencyProofVerifier?: ConsistencyProofVerifier,
  proof: readonly Uint8Array[] = [],
): CheckpointComparison {
  if (a.checkpoint.origin !== b.checkpoint.origin) throw new DecodeError('origin', 'the checkpoints are of different logs');
  if (a.checkpoint.size === b.checkpoint.size) {
    if (bytesEqual(a.checkpoint.rootHash, b.checkpoint.rootHash)) return { verdict: 'consistent' };
    return { verdict: 'equivocation', kind: 'same-size-different-root', evidence: [a.signedNote, b.signedNote] };
  }
  const [older, newer] = a.checkpoint.size < b.checkpoint.size ? [a, b] : [b, a];
  if (consistencyProofVerifier === undefined) throw new Error('compareCheckpoints: the sizes differ, a consistency proof verifier is needed');
  const ok = consistencyProofVerifier(older.checkpoint.size, newer.checkpoint.size, older.checkpoint.rootHash, newer.checkpoint.rootHash, proof);
  if (ok) return { verdict: 'consistent' };
  return { verdict: 'equivocation', kind: 'no-valid-consistency-proof', evidence: [older.signedNote, newer.signedNote], proof };
}

/**
 * B.3.10 the §B.2 consistency check in the shape `compareCheckpoints` takes. A malformed proof from
 * the log (wrong hash length, sizes out of order) is no proof: false, never a throw.
 */
export const merkleConsistency: ConsistencyProofVerifier = (oldSize, newSize, oldRoot, newRoot, proof) => {
  try {
    return verifyConsistency({ oldSize, newSize, path: proof }, oldRoot, newRoot);
  } catch (e) {
    if (e instanceof MerkleInputError) return false;
    throw e;
  }
};
