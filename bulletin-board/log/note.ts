/**
 * Signed notes: text signed by one or more keys, in the C2SP signed-note format
 * (https://c2sp.org/signed-note, v1.0.0), with the verifier-key ("vkey") and signer-key ("skey")
 * strings of Go's golang.org/x/mod/sumdb/note. Spec §B.3 (steps B.3.1–B.3.5).
 *
 * Pure and browser-safe: no I/O, no clock, no randomness (Ed25519 is deterministic).
 * Malformed input throws a DecodeError naming the field or line; a signature that does not verify is
 * a finding (`{ ok: false, … }`), never an exception.
 */
import { ed25519 } from '@noble/curves/ed25519.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { DecodeError } from '../../crypto/index.ts';

/** B.3.2 Signature type bytes used by gongshi (signed-note "Signature types"). */
export const SIG_TYPE_ED25519 = 0x01;
export const SIG_TYPE_COSIGNATURE_V1 = 0x04;

/** B.3.1 Limits. The spec asks verifiers to accept at least 16 signatures; Go's note package stops at 100. */
export const MAX_NOTE_BYTES = 1 << 20;
export const MAX_SIGNATURES = 100;

const EM_DASH_SPACE = '\u2014 ';
const utf8Encoder = new TextEncoder();
const strictUtf8Decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

// ---------------------------------------------------------------------------------------------------
// Bytes helpers: strict base64 (RFC 4648 §4), lower-case hex key IDs, UTF-8.

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const B64_VALUE = new Map([...B64].map((c, i) => [c, i]));

/** Standard base64 with padding, as every C2SP format uses. */
export function encodeBase64(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const n = (bytes[i] << 16) | ((bytes[i + 1] ?? 0) << 8) | (bytes[i + 2] ?? 0);
    const chunk = B64[(n >> 18) & 63] + B64[(n >> 12) & 63] + B64[(n >> 6) & 63] + B64[n & 63];
    const missing = 3 - Math.min(3, bytes.length - i);
    out += chunk.slice(0, 4 - missing) + '='.repeat(missing);
  }
  return out;
}

/**
 * Canonical base64 only (B.3.1): length a multiple of 4, standard alphabet, padding only at the end and
 * only as much as needed, unused bits zero, no white space. So decode(s) has exactly one encoding, s.
 */
export function decodeBase64(text: string, field: string): Uint8Array {
  if (text.length % 4 !== 0) throw new DecodeError(field, 'base64 length is not a multiple of 4');
  const pad = text.endsWith('==') ? 2 : text.endsWith('=') ? 1 : 0;
  const body = text.slice(0, text.length - pad);
  const out = new Uint8Array((text.length / 4) * 3 - pad);
  let acc = 0;
  let bits = 0;
  let o = 0;
  for (const c of body) {
    const v = B64_VALUE.get(c);
    if (v === undefined) throw new DecodeError(field, `not standard base64 (character ${JSON.stringify(c)})`);
    acc = (acc << 6) | v;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[o++] = (acc >> bits) & 0xff;
      acc &= (1 << bits) - 1;
    }
  }
  if (acc !== 0) throw new DecodeError(field, 'non-canonical base64 (unused bits are not zero)');
  return out;
}

function keyIdHex(keyId: number): string {
  return keyId.toString(16).padStart(8, '0');
}

function readU32(bytes: Uint8Array, at: number): number {
  return ((bytes[at] << 24) | (bytes[at + 1] << 16) | (bytes[at + 2] << 8) | bytes[at + 3]) >>> 0;
}

function u32Bytes(n: number): Uint8Array {
  return Uint8Array.of(n >>> 24, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff);
}

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** Decodes strict UTF-8 (no replacement characters); a byte-order mark is kept as text. */
export function decodeUtf8(bytes: Uint8Array, field: string): string {
  try {
    return strictUtf8Decoder.decode(bytes);
  } catch {
    throw new DecodeError(field, 'not valid UTF-8');
  }
}

function hasLoneSurrogate(s: string): boolean {
  return /\p{Cs}/u.test(s);
}

function hasControlOtherThanNewline(s: string): boolean {
  return /[\u0000-\u0009\u000b-\u001f]/.test(s);
}

// ---------------------------------------------------------------------------------------------------
// B.3.2 Key names and key IDs.

/**
 * A key name is non-empty and has no Unicode white space (Go's unicode.IsSpace, i.e. the Unicode
 * White_Space property) and no '+'. gongshi also refuses control characters and lone surrogates, which
 * could never appear in a valid note.
 */
export function isValidKeyName(name: string): boolean {
  return (
    name.length > 0 &&
    !name.includes('+') &&
    !/\p{White_Space}/u.test(name) &&
    !hasControlOtherThanNewline(name) &&
    !hasLoneSurrogate(name)
  );
}

function requireKeyName(name: string, field: string): void {
  if (!isValidKeyName(name)) throw new DecodeError(field, `invalid key name ${JSON.stringify(name)}`);
}

/** key ID = first 4 bytes, big-endian, of SHA-256(key name ‖ 0x0A ‖ signature type ‖ public key). */
export function computeKeyId(name: string, sigType: number, publicKey: Uint8Array): number {
  const digest = sha256(concat(utf8Encoder.encode(name), Uint8Array.of(0x0a, sigType), publicKey));
  return readU32(digest, 0);
}

// ---------------------------------------------------------------------------------------------------
// B.3.3 Verifier keys (vkey) and signer keys (skey).

export interface VerifierKey {
  readonly name: string;
  readonly keyId: number;
  readonly sigType: number;
  /** 32-byte Ed25519 public key (for both types 0x01 and 0x04). */
  readonly publicKey: Uint8Array;
}

export interface SignerKey extends VerifierKey {
  /** 32-byte Ed25519 seed (RFC 8032 private key). Secret. */
  readonly seed: Uint8Array;
}

const SUPPORTED_TYPES = new Set([SIG_TYPE_ED25519, SIG_TYPE_COSIGNATURE_V1]);

/** Splits "<name>+<8 hex>+<base64>"; the base64 part may itself contain '+', the name may not. */
function splitKeyString(text: string, field: string): { name: string; idHex: string; keyB64: string } {
  const plus = text.indexOf('+');
  if (plus < 0) throw new DecodeError(field, 'expected <name>+<key ID hex>+<base64 key>');
  const name = text.slice(0, plus);
  const idHex = text.slice(plus + 1, plus + 9);
  if (text[plus + 9] !== '+') throw new DecodeError(field, 'key ID is not 8 hex digits followed by +');
  if (!/^[0-9a-f]{8}$/.test(idHex)) throw new DecodeError(field, 'key ID is not 8 lower-case hex digits');
  requireKeyName(name, field);
  return { name, idHex, keyB64: text.slice(plus + 10) };
}

function splitTypedKey(keyB64: string, field: string): { sigType: number; material: Uint8Array } {
  const raw = decodeBase64(keyB64, field);
  if (raw.length === 0) throw new DecodeError(field, 'empty key');
  const sigType = raw[0];
  if (!SUPPORTED_TYPES.has(sigType)) throw new DecodeError(field, `unsupported signature type 0x${sigType.toString(16).padStart(2, '0')}`);
  const material = raw.slice(1);
  if (material.length !== 32) throw new DecodeError(field, `Ed25519 key must be 32 bytes, got ${material.length}`);
  return { sigType, material };
}

/** B.3.3 Parses "<name>+<hex key ID>+<base64(type ‖ public key)>" and checks the key ID. */
export function parseVerifierKey(vkey: string): VerifierKey {
  const field = 'vkey';
  const { name, idHex, keyB64 } = splitKeyString(vkey, field);
  const { sigType, material } = splitTypedKey(keyB64, field);
  const keyId = computeKeyId(name, sigType, material);
  if (keyIdHex(keyId) !== idHex) throw new DecodeError(field, 'key ID does not match the name and key');
  return { name, keyId, sigType, publicKey: material };
}

export function encodeVerifierKey(key: VerifierKey): string {
  requireKeyName(key.name, 'vkey');
  return `${key.name}+${keyIdHex(key.keyId)}+${encodeBase64(concat(Uint8Array.of(key.sigType), key.publicKey))}`;
}

/** B.3.3 Parses "PRIVATE+KEY+<name>+<hex key ID>+<base64(type ‖ seed)>"; the key ID is of the public key. */
export function parseSignerKey(skey: string): SignerKey {
  const field = 'skey';
  if (!skey.startsWith('PRIVATE+KEY+')) throw new DecodeError(field, 'must start with PRIVATE+KEY+');
  const { name, idHex, keyB64 } = splitKeyString(skey.slice('PRIVATE+KEY+'.length), field);
  const { sigType, material: seed } = splitTypedKey(keyB64, field);
  const publicKey = ed25519.getPublicKey(seed);
  const keyId = computeKeyId(name, sigType, publicKey);
  if (keyIdHex(keyId) !== idHex) throw new DecodeError(field, 'key ID does not match the name and key');
  return { name, keyId, sigType, publicKey, seed };
}

export function encodeSignerKey(key: SignerKey): string {
  requireKeyName(key.name, 'skey');
  return `PRIVATE+KEY+${key.name}+${keyIdHex(key.keyId)}+${encodeBase64(concat(Uint8Array.of(key.sigType), key.seed))}`;
}

/** Builds a signer key from a name and a 32-byte seed (the caller draws the seed; this module has no RNG). */
export function signerKeyFromSeed(name: string, seed: Uint8Array, sigType: number = SIG_TYPE_ED25519): SignerKey {
  requireKeyName(name, 'name');
  if (seed.length !== 32) throw new DecodeError('seed', 'must be 32 bytes');
  if (!SUPPORTED_TYPES.has(sigType)) throw new DecodeError('sigType', 'unsupported signature type');
  const publicKey = ed25519.getPublicKey(seed);
  return { name, keyId: computeKeyId(name, sigType, publicKey), sigType, publicKey, seed: seed.slice() };
}

export function verifierKeyOf(key: SignerKey): VerifierKey {
  return { name: key.name, keyId: key.keyId, sigType: key.sigType, publicKey: key.publicKey };
}

// ---------------------------------------------------------------------------------------------------
// B.3.4 Signers and verifiers: how a key turns note text into signature bytes (after the key ID).

export interface NoteSigner {
  readonly name: string;
  readonly keyId: number;
  /** The signature bytes over the note text, without the 4-byte key ID. */
  sign(text: Uint8Array): Uint8Array;
}

export interface NoteVerifier {
  readonly name: string;
  readonly keyId: number;
  /** Whether sig (without the key ID) is a valid signature of the note text. */
  verify(text: Uint8Array, sig: Uint8Array): boolean;
}

/**
 * Strict RFC 8032 verification (noble's zip215: false): canonical S and point encodings only, so that
 * every verifier of a gongshi board reaches the same verdict on the same bytes.
 */
export function ed25519VerifyStrict(sig: Uint8Array, message: Uint8Array, publicKey: Uint8Array): boolean {
  if (sig.length !== 64 || publicKey.length !== 32) return false;
  try {
    return ed25519.verify(sig, message, publicKey, { zip215: false });
  } catch {
    return false;
  }
}

/** B.3.4 An Ed25519 (type 0x01) note signer: RFC 8032 over the note text. */
export function ed25519NoteSigner(key: SignerKey): NoteSigner {
  if (key.sigType !== SIG_TYPE_ED25519) throw new DecodeError('skey', 'not an Ed25519 (type 0x01) key');
  return { name: key.name, keyId: key.keyId, sign: (text) => ed25519.sign(text, key.seed) };
}

/** B.3.4 An Ed25519 (type 0x01) note verifier. */
export function ed25519NoteVerifier(key: VerifierKey): NoteVerifier {
  if (key.sigType !== SIG_TYPE_ED25519) throw new DecodeError('vkey', 'not an Ed25519 (type 0x01) key');
  return { name: key.name, keyId: key.keyId, verify: (text, sig) => ed25519VerifyStrict(sig, text, key.publicKey) };
}

// ---------------------------------------------------------------------------------------------------
// B.3.1 The signed-note format.

export interface NoteSignature {
  readonly name: string;
  readonly keyId: number;
  /** The signature bytes after the 4-byte key ID. */
  readonly signature: Uint8Array;
}

export interface ParsedNote {
  /** The note text, including its final newline, not the separating blank line. */
  readonly text: string;
  readonly signatures: readonly NoteSignature[];
}

/** The bytes of a note as received: a string is taken as its UTF-8 encoding (lone surrogates refused). */
function noteBytes(note: Uint8Array | string): Uint8Array {
  if (typeof note !== 'string') return note;
  if (hasLoneSurrogate(note)) throw new DecodeError('note', 'not valid UTF-8 (lone surrogate)');
  return utf8Encoder.encode(note);
}

/** B.3.1 step 4: one line "— <key name> <base64(key ID ‖ signature)>". */
function parseSignatureLine(line: string, lineNumber: number): NoteSignature {
  const field = `signature line ${lineNumber}`;
  if (!line.startsWith(EM_DASH_SPACE)) throw new DecodeError(field, 'does not start with "— " (U+2014, space)');
  const rest = line.slice(EM_DASH_SPACE.length);
  const space = rest.indexOf(' ');
  if (space < 0) throw new DecodeError(field, 'expected "— <key name> <base64 signature>"');
  const name = rest.slice(0, space);
  const b64 = rest.slice(space + 1);
  requireKeyName(name, field);
  if (b64 === '') throw new DecodeError(field, 'empty signature');
  const raw = decodeBase64(b64, field);
  if (raw.length < 5) throw new DecodeError(field, 'signature shorter than key ID + 1 byte');
  return { name, keyId: readU32(raw, 0), signature: raw.slice(4) };
}

/**
 * B.3.1 Parses a signed note strictly. Refuses: more than MAX_NOTE_BYTES, invalid UTF-8, any control
 * character but newline (so CR, tab, NUL), no blank line before the signatures, an empty signature
 * block, a signature block not ending in newline, a malformed signature line, more than MAX_SIGNATURES
 * signatures, and two signatures with the same (key name, key ID). Checks no signature.
 */
export function parseNote(note: Uint8Array | string): ParsedNote {
  const bytes = noteBytes(note);
  if (bytes.length > MAX_NOTE_BYTES) throw new DecodeError('note', `longer than ${MAX_NOTE_BYTES} bytes`);
  const all = decodeUtf8(bytes, 'note');
  const control = all.search(/[\u0000-\u0009\u000b-\u001f]/);
  if (control >= 0) {
    const code = all.charCodeAt(control).toString(16).padStart(4, '0');
    throw new DecodeError(`note line ${all.slice(0, control).split('\n').length}`, `control character U+${code}`);
  }
  const split = all.lastIndexOf('\n\n');
  if (split < 0) throw new DecodeError('note', 'no blank line before the signatures');
  const text = all.slice(0, split + 1);
  const block = all.slice(split + 2);
  if (block === '') throw new DecodeError('signatures', 'no signature lines');
  if (!block.endsWith('\n')) throw new DecodeError('signatures', 'the last signature line does not end in newline');
  const lines = block.slice(0, -1).split('\n');
  if (lines.length > MAX_SIGNATURES) throw new DecodeError('signatures', `more than ${MAX_SIGNATURES} signatures`);
  const firstSignatureLine = text.split('\n').length + 1;
  const signatures = lines.map((line, i) => parseSignatureLine(line, firstSignatureLine + i));
  requireDistinctKeys(signatures);
  return { text, signatures };
}

function requireDistinctKeys(signatures: readonly NoteSignature[]): void {
  const seen = new Set<string>();
  for (const s of signatures) {
    const id = `${s.name}+${keyIdHex(s.keyId)}`;
    if (seen.has(id)) throw new DecodeError('signatures', `two signatures by key ${id}`);
    seen.add(id);
  }
}

/** B.3.1 The note text must end in newline and carry only UTF-8 text without control characters but newline. */
export function requireValidNoteText(text: string): void {
  if (!text.endsWith('\n')) throw new DecodeError('text', 'does not end in newline');
  if (hasControlOtherThanNewline(text)) throw new DecodeError('text', 'contains a control character other than newline');
  if (hasLoneSurrogate(text)) throw new DecodeError('text', 'not valid UTF-8 (lone surrogate)');
}

function signatureLine(s: NoteSignature): string {
  return `${EM_DASH_SPACE}${s.name} ${encodeBase64(concat(u32Bytes(s.keyId), s.signature))}\n`;
}

/** B.3.1 Writes text, blank line, signature lines; refuses anything parseNote would refuse. */
export function encodeNote(note: ParsedNote): string {
  requireValidNoteText(note.text);
  if (note.signatures.length === 0) throw new DecodeError('signatures', 'no signature lines');
  if (note.signatures.length > MAX_SIGNATURES) throw new DecodeError('signatures', `more than ${MAX_SIGNATURES} signatures`);
  for (const s of note.signatures) {
    requireKeyName(s.name, 'signatures');
    if (s.signature.length === 0) throw new DecodeError('signatures', 'empty signature');
  }
  requireDistinctKeys(note.signatures);
  return note.text + '\n' + note.signatures.map(signatureLine).join('');
}

/** B.3.4 Signs text with each signer, in order. */
export function signNote(text: string, signers: readonly NoteSigner[]): string {
  requireValidNoteText(text);
  const message = utf8Encoder.encode(text);
  const signatures = signers.map((s) => ({ name: s.name, keyId: s.keyId, signature: s.sign(message) }));
  return encodeNote({ text, signatures });
}

/** B.3.4 Appends signatures by more signers (for example witnesses) to an already signed note. */
export function addSignatures(note: Uint8Array | string, signers: readonly NoteSigner[]): string {
  const parsed = parseNote(note);
  const message = utf8Encoder.encode(parsed.text);
  const added = signers.map((s) => ({ name: s.name, keyId: s.keyId, signature: s.sign(message) }));
  return encodeNote({ text: parsed.text, signatures: [...parsed.signatures, ...added] });
}

// ---------------------------------------------------------------------------------------------------
// B.3.5 Opening a note against known keys.

export type OpenedNote =
  | {
      readonly ok: true;
      readonly text: string;
      /** Signatures by known keys, all verified. */
      readonly verified: readonly NoteSignature[];
      /** Signatures by keys not in the known list: ignored, reported. */
      readonly unknown: readonly NoteSignature[];
    }
  | { readonly ok: false; readonly reason: 'invalid-signature'; readonly key: string; readonly text: string }
  | { readonly ok: false; readonly reason: 'no-known-signature'; readonly text: string; readonly unknown: readonly NoteSignature[] };

function verifierIndex(known: readonly NoteVerifier[]): Map<string, NoteVerifier> {
  const index = new Map<string, NoteVerifier>();
  for (const v of known) {
    const id = `${v.name}+${keyIdHex(v.keyId)}`;
    if (index.has(id)) throw new Error(`known verifiers: two keys ${id}`);
    index.set(id, v);
  }
  return index;
}

/**
 * B.3.5 Parses a note (throws on malformed input) and checks it against known keys. A signature
 * matches a known key only if both key name and key ID match; others are unknown and ignored. Any
 * failing signature by a known key rejects the whole note; so does the absence of a verified one.
 */
export function openNote(note: Uint8Array | string, known: readonly NoteVerifier[]): OpenedNote {
  const parsed = parseNote(note);
  const index = verifierIndex(known);
  const message = utf8Encoder.encode(parsed.text);
  const verified: NoteSignature[] = [];
  const unknown: NoteSignature[] = [];
  for (const s of parsed.signatures) {
    const id = `${s.name}+${keyIdHex(s.keyId)}`;
    const v = index.get(id);
    if (v === undefined) unknown.push(s);
    else if (v.verify(message, s.signature)) verified.push(s);
    else return { ok: false, reason: 'invalid-signature', key: id, text: parsed.text };
  }
  if (verified.length === 0) return { ok: false, reason: 'no-known-signature', text: parsed.text, unknown };
  return { ok: true, text: parsed.text, verified, unknown };
}
