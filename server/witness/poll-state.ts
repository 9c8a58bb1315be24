/**
 * What a witness remembers of one poll, in `<state folder>/<poll hex>.json` (spec §B.3.9–B.3.10): the
 * log key pinned at first contact, the last checkpoint it verified, the size of its last cosignature
 * the board accepted, and the equivocation it saw, if any. Read strictly: every note it holds must
 * verify with the pinned key again. Written atomically (a temporary file, fsync, rename).
 */
import { closeSync, fsyncSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { SIG_TYPE_ED25519, parseVerifierKey, verifyCheckpoint, type VerifierKey } from '../../bulletin-board/index.ts';
import { DecodeError } from '../../crypto/index.ts';
import { WitnessStateError } from './errors.ts';
import { EQUIVOCATION_KINDS, type EquivocationKind, type EquivocationRecord } from './evidence.ts';
import { originNamesPoll } from './poll-url.ts';

export const STATE_VERSION = 1;

export interface PollState {
  /** the poll id, 32 lower-case hex digits */
  readonly poll: string;
  /** the log's verifier key (vkey string), pinned at first contact */
  readonly logKey: string;
  /** the last signed checkpoint the witness verified, as received; null before the first */
  readonly checkpoint: string | null;
  /** the size of the last checkpoint whose cosignature the board accepted; 0 before the first */
  readonly posted: number;
  /** set once, never cleared: the witness cosigns nothing more for this poll */
  readonly equivocation: EquivocationRecord | null;
}

export function pollStateFile(dir: string, poll: string): string {
  return join(dir, `${poll}.json`);
}

/** The log key of a poll: Ed25519 (type 0x01), named by an origin that ends in `/poll/<hex>`. Throws DecodeError. */
export function pollLogKey(vkey: string, poll: string): VerifierKey {
  const key = parseVerifierKey(vkey);
  if (key.sigType !== SIG_TYPE_ED25519) throw new DecodeError('logKey', 'not an Ed25519 (type 0x01) key');
  if (!originNamesPoll(key.name, poll)) throw new DecodeError('logKey', `its name ${key.name} does not end in /poll/${poll}`);
  return key;
}

function requireSignedBy(note: unknown, key: VerifierKey, field: string): string {
  if (typeof note !== 'string') throw new DecodeError(field, 'not a string');
  if (!verifyCheckpoint(note, key).ok) throw new DecodeError(field, 'does not verify with the pinned log key');
  return note;
}

function decodeEquivocation(x: unknown, key: VerifierKey): EquivocationRecord {
  if (typeof x !== 'object' || x === null) throw new DecodeError('equivocation', 'not an object');
  const r = x as Record<string, unknown>;
  if (!EQUIVOCATION_KINDS.includes(r.kind as EquivocationKind)) throw new DecodeError('equivocation.kind', 'unknown kind');
  if (typeof r.detectedAt !== 'string') throw new DecodeError('equivocation.detectedAt', 'not a string');
  if (!Array.isArray(r.proof) || !r.proof.every((h) => typeof h === 'string')) throw new DecodeError('equivocation.proof', 'not a list of strings');
  return {
    kind: r.kind as EquivocationKind,
    detectedAt: r.detectedAt,
    saved: requireSignedBy(r.saved, key, 'equivocation.saved'),
    received: requireSignedBy(r.received, key, 'equivocation.received'),
    proof: r.proof as string[],
  };
}

/** Decodes a state file's JSON for `poll`, checking every note again. Throws DecodeError naming the field. */
export function decodePollState(json: unknown, poll: string): PollState {
  if (typeof json !== 'object' || json === null) throw new DecodeError('state', 'not an object');
  const s = json as Record<string, unknown>;
  if (s.version !== STATE_VERSION) throw new DecodeError('version', `expected ${STATE_VERSION}`);
  if (s.poll !== poll) throw new DecodeError('poll', `expected ${poll}`);
  if (typeof s.logKey !== 'string') throw new DecodeError('logKey', 'not a string');
  const key = pollLogKey(s.logKey, poll);
  const checkpoint = s.checkpoint === null ? null : requireSignedBy(s.checkpoint, key, 'checkpoint');
  if (!Number.isSafeInteger(s.posted) || (s.posted as number) < 0) throw new DecodeError('posted', 'not a non-negative integer');
  const equivocation = s.equivocation === null ? null : decodeEquivocation(s.equivocation, key);
  return { poll, logKey: s.logKey, checkpoint, posted: s.posted as number, equivocation };
}

/** The saved state of `poll`, or null if the witness never followed it. Throws WitnessStateError. */
export function readPollState(dir: string, poll: string): PollState | null {
  const file = pollStateFile(dir, poll);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new WitnessStateError(`cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  try {
    return decodePollState(JSON.parse(text), poll);
  } catch (e) {
    if (e instanceof SyntaxError || e instanceof DecodeError) throw new WitnessStateError(`the witness state ${file} is damaged: ${e.message}`);
    throw e;
  }
}

/** Saves the state of a poll, replacing the old file only once the new one is on disk. Throws WitnessStateError. */
export function writePollState(dir: string, state: PollState): void {
  const file = pollStateFile(dir, state.poll);
  const temporary = `${file}.${process.pid}.tmp`;
  const text = `${JSON.stringify({ version: STATE_VERSION, ...state }, null, 2)}\n`;
  try {
    const fd = openSync(temporary, 'w', 0o600);
    try {
      writeSync(fd, text);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temporary, file);
  } catch (e) {
    throw new WitnessStateError(`cannot write ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
}
