/**
 * Support for the verifier's mutation suite (mutations.test.ts): a small whole poll, its record taken
 * apart into entries and fields (spec §B.1, §Q.6, §Q.9.1, §T.2), and the tools to change one field,
 * re-sign what a signature covers, re-chain the entries after it and sign a fresh checkpoint over the
 * result with the log's key, so that only the deeper check can catch the change.
 */
import {
  G,
  L,
  Writer,
  ballotBinding,
  decodeBallot,
  decodePoint,
  decodeTrusteeMessage,
  encodePoint,
  mulSecret,
  randomScalar,
  seededRandom,
  sign,
  toHex,
  type AnswerShape,
  type FieldSpan,
  type KeyPair,
  type Question,
  type SchnorrProof,
} from '../../crypto/index.ts';
import {
  EntryType,
  applyEntry,
  createState,
  decodeManifest,
  encodeExtend,
  encodeRecordItem,
  revocationMessage,
  genesisHash,
  hashEntry,
  hashLeaf,
  manifestShapes,
  merkleTreeHash,
  parseRecord,
  recordHeader,
  signCheckpoint,
  type EntryTypeName,
  type Phase,
  type SignerKey,
  credentialListMessage,
  hashManifest,
} from '../../bulletin-board/index.ts';
import { audit, cast, count, listVoters, must, runCeremony, signedRevocation, startPoll, testRegistrarSeed } from '../board/poll-support.ts';
import { ed25519 } from '@noble/curves/ed25519.js';

// ------------------------------------------------------------------------------------------------
// The poll
// ------------------------------------------------------------------------------------------------

/**
 * Two questions that between them have every ballot layout of §Q.6 but the upper half of a bits
 * proof: slots with two-branch range proofs, a blank slot, a two-branch sum proof, and a slot whose
 * range [0, 31] is proved by five bits (§P4). Small on purpose: every field is mutated one at a time.
 */
export const QUESTIONS: Question[] = [
  { kind: 'multiple', options: 2, min: 1, max: 2, blank: true },
  { kind: 'score', options: 1, maxScore: 31 },
];

/** What an entry of the base record is, for tables and expectations. */
export interface EntryInfo {
  readonly type: EntryTypeName;
  /** 'manifest', 'identity 1', 'step 3', 'ballot v0', 'revote v2', 'decryption 2', … */
  readonly label: string;
  /** the group its payload fields are tabled under: the entry type, or the trustee message kind */
  readonly group: string;
  /** the phase the rules are in before this entry (§B.4.2) */
  readonly phase: Phase;
  readonly time: number;
  /** trustee index of a trustee or decryption message */
  readonly trustee?: number;
  /** voter (listing order) of a ballot or audit */
  readonly voter?: number;
}

export interface Base {
  readonly entries: readonly Uint8Array[];
  readonly info: readonly EntryInfo[];
  /** the record's log key line (§B.3.3) and the signing key behind it */
  readonly logKey: string;
  readonly signer: SignerKey;
  readonly origin: string;
  /** the record's own signed checkpoint: what an observer who looked at the finished board saved */
  readonly checkpoint: string;
  readonly shapes: readonly AnswerShape[];
  /** credential key pairs, in listing order */
  readonly voters: readonly KeyPair[];
  /** trustee signing key pairs, by index − 1 */
  readonly trustees: readonly KeyPair[];
  /** n of the ceremony */
  readonly n: number;
  /** the registrar's secret seed and the manifest hash her credential lists are signed for (B.1.6.1) */
  readonly registrarSeed: Uint8Array;
  readonly manifestHash: Uint8Array;
}

/** B.1.6.1 signs a credentials payload's list again, in place, with the registrar's key for the base poll. */
export function resignCredentials(payload: Uint8Array, base: Base): void {
  const list = payload.subarray(0, payload.length - 64);
  payload.set(ed25519.sign(credentialListMessage(base.manifestHash, list), base.registrarSeed), payload.length - 64);
}

/** B.1.6.10 signs a revoke payload's keys again, in place, with the registrar's key for the base poll. */
export function resignRevocation(payload: Uint8Array, base: Base): void {
  const keys = payload.subarray(0, payload.length - 64);
  payload.set(ed25519.sign(revocationMessage(base.manifestHash, keys), base.registrarSeed), payload.length - 64);
}

/** The base poll's closing time: a day after the stepping clock starts; the poll closes early. */
export const BASE_CLOSES = Date.UTC(2026, 10, 22, 9);

/**
 * The poll: 2 trustees (t = 2), 3 voters of weights 1, 2, 1. After the opening, a second list (labelled
 * "credentials late") adds voters 3 and 4 (weight 1), and the registrar revokes voter 4, who never
 * votes. Voter 1 audits a ballot and then casts one; voter 2 casts twice (the second counts); voter 3
 * casts last. Both trustees decrypt. No share is bad, so there is
 * no complaint entry (complaints appear only after a bad share). The schedule: the manifest closes the
 * poll at BASE_CLOSES, allows closing early (the close comes long before) and an extension of 1 ms,
 * which the extend entry right after the opening uses: every other closing time it could name is
 * refused (BAD_EXTENSION), so a change to it cannot go unnoticed.
 */
export async function buildBase(): Promise<Base> {
  const poll = await startPoll({
    seed: 'gongshi mutations',
    manifest: {
      questions: QUESTIONS.map((question) => ({ question, prompt: [], options: [] })),
      trustees: { t: 2, n: 2, names: ['Ann', 'Bo'] },
      description: ['Every field of this poll is changed once', '此投票的每个字段都会被改动一次'],
      closesAt: BASE_CLOSES,
      closeEarly: 'any-time',
      maxExtension: 1,
    },
  });
  await listVoters(poll, 3, (i) => (i === 1 ? 2 : 1));
  await runCeremony(poll);
  await must(poll.board, 'open', new Uint8Array(0));
  await must(poll.board, 'extend', encodeExtend(BASE_CLOSES + 1));
  await listVoters(poll, 2); // voters 3 and 4, while the poll is open
  await must(poll.board, 'revoke', signedRevocation(poll.board, [poll.voters[4].credential.publicKey]));
  await cast(poll, 0, [{ values: [1, 0] }, { values: [17] }]);
  await audit(poll, 1, [{ blank: true }, { values: [3] }]);
  await cast(poll, 1, [{ values: [1, 1] }, { values: [31] }]);
  await cast(poll, 2, [{ values: [0, 1] }, { values: [0] }]);
  await cast(poll, 2, [{ blank: true }, { values: [5] }]);
  await cast(poll, 3, [{ values: [0, 1] }, { values: [9] }]);
  await count(poll, [1, 2]);

  const record = parseRecord(concat([...poll.board.exportRecord()]));
  const voters = poll.voters.map((v) => v.credential);
  const names = Object.keys(EntryType) as EntryTypeName[];
  const kinds = ['identity', 'commit', 'reveal', 'shares', 'complaint', 'finish', 'decryption'];
  const state = createState();
  const info: EntryInfo[] = [];
  const seen = new Set<string>();
  for (const bytes of record.entries) {
    // Read from the bytes (B.1.2, §T.2, §Q.6): type, time, and who wrote it.
    const type = names.find((k) => EntryType[k] === bytes[0])!;
    const payload = bytes.subarray(HEADER);
    const entry = { type, phase: state.phase, time: readU64(bytes, AT.time) };
    if (type === 'trustee' || type === 'decryption') {
      const kind = kinds[payload[0] - 1];
      const trustee = messageIndex(payload);
      info.push({ ...entry, label: `${kind} ${trustee}`, group: kind, trustee });
    } else if (type === 'ballot' || type === 'audit') {
      const credential = toHex(payload.subarray(type === 'audit' ? 4 + 33 : 33, type === 'audit' ? 4 + 65 : 65));
      const voter = voters.findIndex((v) => toHex(encodePoint(v.publicKey)) === credential);
      const label = type === 'ballot' && seen.has(`ballot v${voter}`) ? `revote v${voter}` : `${type} v${voter}`;
      seen.add(`${type} v${voter}`);
      info.push({ ...entry, label, group: type, voter });
    } else if (type === 'step') {
      info.push({ ...entry, label: `step ${payload[4]}`, group: 'step' });
    } else {
      info.push({ ...entry, label: type === 'credentials' && seen.has('credentials') ? 'credentials late' : type, group: type });
      seen.add(type);
    }
    const verdict = await applyEntry(state, bytes);
    if (!verdict.ok) throw new Error(`bug: the base record is refused at ${state.height}: ${verdict.code} ${verdict.reason}`);
  }
  const manifest = decodeManifest(record.entries[0].subarray(50));
  return {
    entries: record.entries,
    info,
    logKey: record.logKey,
    signer: poll.logKey,
    origin: manifest.origin,
    checkpoint: record.checkpoints[record.checkpoints.length - 1],
    shapes: manifestShapes(manifest),
    voters,
    trustees: poll.trustees.map((t) => t.signing),
    n: manifest.trustees.n,
    registrarSeed: testRegistrarSeed(manifest.pollId),
    manifestHash: hashManifest(record.entries[0].subarray(50)),
  };
}

export function concat(chunks: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(chunks.reduce((s, c) => s + c.length, 0));
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

/** The height of the entry labelled `label` in `labels`; throws when there is none. */
export function heightOf(labels: readonly string[], label: string): number {
  const h = labels.indexOf(label);
  if (h < 0) throw new Error(`bug: no entry labelled ${label}`);
  return h;
}

// ------------------------------------------------------------------------------------------------
// Records: chain, checkpoint, file
// ------------------------------------------------------------------------------------------------

export const HEADER = 50;
const AT = { type: 0, version: 1, height: 2, prev: 10, time: 42 } as const;

export function readU64(bytes: Uint8Array, at: number): number {
  return Number(new DataView(bytes.buffer, bytes.byteOffset + at, 8).getBigUint64(0));
}

function writeU64(bytes: Uint8Array, at: number, value: bigint): void {
  new DataView(bytes.buffer, bytes.byteOffset + at, 8).setBigUint64(0, value);
}

/**
 * B.1.3 rewrites the height and prev of entries `from` … `to` (inclusive) so that they chain: height =
 * position, prev = hash of the entry before, or the genesis hash of its poll id for a manifest at 0.
 */
export function rechain(entries: readonly Uint8Array[], from: number, to = entries.length - 1): Uint8Array[] {
  const out = entries.slice();
  for (let i = from; i <= to && i < out.length; i++) {
    if (out[i].length < HEADER) continue; // no header to rewrite
    const e = out[i].slice();
    writeU64(e, AT.height, BigInt(i));
    if (i > 0) e.set(hashEntry(out[i - 1]), AT.prev);
    else if (e[0] === EntryType.manifest && e.length >= HEADER + 17) e.set(genesisHash(e.subarray(HEADER + 1, HEADER + 17)), AT.prev);
    out[i] = e;
  }
  return out;
}

/** B.6 a record file of `entries` with a fresh checkpoint over all of them, signed with the log's key. */
export function recordChunks(base: Base, entries: readonly Uint8Array[]): Uint8Array[] {
  const rootHash = merkleTreeHash(entries.map((e) => hashLeaf(hashEntry(e))));
  const note = signCheckpoint({ origin: base.origin, size: entries.length, rootHash, extensions: [] }, base.signer);
  return [
    recordHeader(),
    encodeRecordItem({ kind: 'logKey', key: base.logKey }),
    ...entries.map((bytes) => encodeRecordItem({ kind: 'entry', bytes })),
    encodeRecordItem({ kind: 'checkpoint', note }),
    encodeRecordItem({ kind: 'end', entries: entries.length }),
  ];
}

// ------------------------------------------------------------------------------------------------
// Fields
// ------------------------------------------------------------------------------------------------

/**
 * What a field holds, which says what a canonical value of it is: integers (u64 at most 2^53 − 1,
 * G.2.2), frame lengths, points (§G.2.1; point0 where the identity is allowed), scalars (< ℓ),
 * opaque bytes (hashes, nonces, AEAD ciphertexts) and UTF-8 texts.
 */
export type Kind = 'u8' | 'u32' | 'u64' | 'length' | 'point' | 'point0' | 'scalar' | 'bytes' | 'text';

export interface Field {
  readonly name: string;
  /** from the start of the entry */
  readonly offset: number;
  readonly length: number;
  readonly kind: Kind;
}

/** B.1.2 the header's fields. */
export const HEADER_FIELDS: readonly Field[] = [
  { name: 'type', offset: AT.type, length: 1, kind: 'u8' },
  { name: 'version', offset: AT.version, length: 1, kind: 'u8' },
  { name: 'height', offset: AT.height, length: 8, kind: 'u64' },
  { name: 'prev', offset: AT.prev, length: 32, kind: 'bytes' },
  { name: 'time', offset: AT.time, length: 8, kind: 'u64' },
];

/** Walks a layout, recording each field's place and kind. */
class Walk {
  at = 0;
  readonly fields: Field[] = [];
  constructor(
    private readonly bytes: Uint8Array,
    private readonly base: number,
  ) {}
  take(name: string, length: number, kind: Kind): Uint8Array {
    if (this.at + length > this.bytes.length) throw new Error(`bug: ${name} runs past the end`);
    this.fields.push({ name, offset: this.base + this.at, length, kind });
    this.at += length;
    return this.bytes.subarray(this.at - length, this.at);
  }
  u8(name: string): number {
    return this.take(name, 1, 'u8')[0];
  }
  u32(name: string, kind: Kind = 'u32'): number {
    const b = this.take(name, 4, kind);
    return new DataView(b.buffer, b.byteOffset, 4).getUint32(0);
  }
  u64(name: string): number {
    return readU64(this.take(name, 8, 'u64'), 0);
  }
  text(name: string): void {
    const n = this.u32(`${name}.length`, 'length');
    if (n > 0) this.take(name, n, 'text');
  }
  spans(trace: readonly FieldSpan[], prefix: string, offset: number): void {
    for (const s of trace) {
      this.fields.push({ name: prefix + s.field, offset: this.base + offset + s.offset, length: s.length, kind: kindOf(s.field, s.length) });
      this.at = Math.max(this.at, offset + s.offset + s.length);
    }
  }
}

/** The kind of a field that crypto's tracing decoders name (§Q.6, §T.2). */
function kindOf(name: string, length: number): Kind {
  if (length === 1) return 'u8';
  if (length === 4) return 'u32';
  if (length === 8) return 'u64';
  if (length === 32) {
    if (/(^|\.)(T|T1|T2|M)$|\.(A|B)\[\d+\]$/.test(name)) return 'point0';
    if (/(^|\.)(alpha|beta|credential|signingKey|encryptionKey|E)$|^commitments\[\d+\]$/.test(name)) return 'point';
    if (/(^|\.)(z|c\[\d+\]|z\[\d+\])$/.test(name)) return 'scalar';
  }
  return 'bytes';
}

/** B.1.4 the manifest's fields, in order. */
function manifestFields(w: Walk): void {
  w.u8('version');
  w.take('pollId', 16, 'bytes');
  w.text('origin');
  const languages = w.u8('languages');
  const tags: string[] = [];
  for (let i = 0; i < languages; i++) {
    const n = w.u32(`languages[${i}].length`, 'length');
    tags.push(new TextDecoder().decode(w.take(`languages[${i}]`, n, 'text')));
  }
  const text = (name: string) => tags.forEach((tag) => w.text(`${name}.${tag}`));
  text('title');
  text('description');
  const questions = w.u32('questions');
  for (let q = 0; q < questions; q++) {
    const f = `questions[${q}]`;
    const kind = w.u8(`${f}.kind`);
    let options: number;
    switch (kind) {
      case 1:
        options = w.u32(`${f}.options`);
        break;
      case 2:
        options = w.u32(`${f}.options`);
        w.u32(`${f}.min`);
        w.u32(`${f}.max`);
        break;
      case 3:
        options = 3;
        break;
      case 4:
        options = w.u32(`${f}.options`);
        w.u32(`${f}.maxScore`);
        break;
      case 5:
        options = w.u32(`${f}.options`);
        w.u32(`${f}.points`);
        break;
      case 6:
        options = w.u32(`${f}.projects`);
        for (let i = 0; i < options; i++) w.u32(`${f}.costs[${i}]`);
        w.u32(`${f}.budget`);
        break;
      default:
        throw new Error(`bug: question kind ${kind}`);
    }
    w.u8(`${f}.blank`);
    text(`${f}.prompt`);
    for (let i = 0; i < options; i++) text(`${f}.options[${i}]`);
  }
  w.u32('trustees.t');
  const n = w.u32('trustees.n');
  for (let i = 0; i < n; i++) w.text(`trustees.names[${i}]`);
  w.u64('opensAt');
  w.u64('closesAt');
  w.u32('maxBallots');
  w.text('logKey');
  w.u8('registrar.role');
  w.text('registrar.name');
  w.take('registrar.key', 32, 'bytes');
  const witnesses = w.u8('witnesses');
  for (let i = 0; i < witnesses; i++) w.text(`witnesses[${i}]`);
  w.u8('witnesses.k');
  w.u32('privacyFloor');
  w.u8('closeEarly');
  w.u64('maxExtension');
}

/** The payload fields of the entry at height h of the base record, with offsets from the entry's start. */
export function payloadFields(base: Base, h: number): Field[] {
  const bytes = base.entries[h];
  const payload = bytes.subarray(HEADER);
  const w = new Walk(payload, HEADER);
  const type = base.info[h].type;
  switch (type) {
    case 'manifest':
      manifestFields(w);
      break;
    case 'credentials': {
      const n = w.u32('count');
      for (let i = 0; i < n; i++) {
        w.take(`credentials[${i}].key`, 32, 'point');
        w.u32(`credentials[${i}].weight`);
      }
      w.take('signature', 64, 'bytes');
      break;
    }
    case 'revoke': {
      const n = w.u32('count');
      for (let i = 0; i < n; i++) w.take(`keys[${i}]`, 32, 'point');
      w.take('signature', 64, 'bytes');
      break;
    }
    case 'ceremony':
      w.u32('run');
      break;
    case 'step':
      w.u32('run');
      w.u8('step');
      break;
    case 'key': {
      w.u32('run');
      w.take('fingerprint', 32, 'bytes');
      w.take('transcript', 32, 'bytes');
      w.take('jointKey', 32, 'point');
      const q = w.u32('verificationKeys');
      for (let i = 0; i < q; i++) {
        w.u32(`verificationKeys[${i}].index`);
        w.take(`verificationKeys[${i}].key`, 32, 'point');
      }
      break;
    }
    case 'open':
    case 'close':
      break; // empty: the only change is a byte where there should be none
    case 'extend':
      w.u64('closesAt');
      break;
    case 'trustee':
    case 'decryption': {
      const trace: FieldSpan[] = [];
      decodeTrusteeMessage(payload, trace);
      w.spans(trace, '', 0);
      break;
    }
    case 'ballot': {
      const trace: FieldSpan[] = [];
      decodeBallot(payload, base.shapes, trace);
      w.spans(trace, '', 0);
      break;
    }
    case 'audit': {
      const length = w.u32('ballot.length', 'length');
      const trace: FieldSpan[] = [];
      decodeBallot(payload.subarray(4, 4 + length), base.shapes, trace);
      w.spans(trace, 'ballot.', 4);
      w.at = 4 + length;
      // Q.9.1 u8 version ‖ u32 questions ‖ per question: u32 slots ‖ per slot: u32 value ‖ scalar r
      w.u8('opening.version');
      const questions = w.u32('opening.questions');
      for (let q = 0; q < questions; q++) {
        const slots = w.u32(`opening[${q}].slots`);
        for (let i = 0; i < slots; i++) {
          w.u32(`opening[${q}][${i}].value`);
          w.take(`opening[${q}][${i}].r`, 32, 'scalar');
        }
      }
      break;
    }
    case 'tally': {
      w.u32('counted');
      w.u64('weight');
      const m = w.u32('ciphertexts');
      for (let i = 0; i < m; i++) {
        w.take(`ciphertexts[${i}].alpha`, 32, 'point0');
        w.take(`ciphertexts[${i}].beta`, 32, 'point0');
      }
      break;
    }
    case 'result': {
      const m = w.u32('totals');
      for (let i = 0; i < m; i++) w.u64(`totals[${i}]`);
      break;
    }
  }
  if (HEADER + w.at !== bytes.length) throw new Error(`bug: the ${type} walk stops at ${HEADER + w.at} of ${bytes.length} bytes`);
  return w.fields;
}

// ------------------------------------------------------------------------------------------------
// Values
// ------------------------------------------------------------------------------------------------

const MAX_U64 = 2 ** 53 - 1;

export function readNumber(b: Uint8Array): number {
  if (b.length === 1) return b[0];
  if (b.length === 4) return new DataView(b.buffer, b.byteOffset, 4).getUint32(0);
  const n = new DataView(b.buffer, b.byteOffset, 8).getBigUint64(0);
  return n > BigInt(MAX_U64) ? Infinity : Number(n);
}

export function numberBytes(value: number, length: number): Uint8Array {
  const w = new Writer();
  if (length === 1) w.u8(value);
  else if (length === 4) w.u32(value);
  else w.u64(value);
  return w.finish();
}

function scalarOf(b: Uint8Array): bigint {
  let x = 0n;
  for (let i = b.length - 1; i >= 0; i--) x = (x << 8n) | BigInt(b[i]);
  return x;
}

function scalarBytes(s: bigint): Uint8Array {
  const out = new Uint8Array(32);
  for (let i = 0; i < 32; i++) out[i] = Number((s >> BigInt(8 * i)) & 0xffn);
  return out;
}

/**
 * Whether `b` is a canonical encoding of a `kind` (§G.2): a point decodes (the identity only for
 * point0), a scalar is below ℓ, a u64 at most 2^53 − 1. Integers, lengths and bytes are always
 * canonical as encodings; whether their value makes sense is the rules' business.
 */
export function canonical(kind: Kind, b: Uint8Array): boolean {
  switch (kind) {
    case 'point':
    case 'point0':
      try {
        decodePoint(b, 'field', kind === 'point0');
        return true;
      } catch {
        return false;
      }
    case 'scalar':
      return scalarOf(b) < L;
    case 'u64':
      return readNumber(b) !== Infinity;
    default:
      return true;
  }
}

/** A seeded position in [0, n). */
export function seeded(n: number, ...what: (string | number)[]): number {
  const b = seededRandom(`gongshi mutations/${what.join('/')}`)(4);
  return new DataView(b.buffer, b.byteOffset, 4).getUint32(0) % n;
}

/** The field's bytes with one bit flipped (bit 0 = the most significant bit of the first byte). */
export function flipBit(b: Uint8Array, bit: number): Uint8Array {
  const out = b.slice();
  out[bit >> 3] ^= 0x80 >> (bit & 7);
  return out;
}

/** A fresh key pair, seeded. */
export function freshKeyPair(...what: (string | number)[]): KeyPair {
  const secret = randomScalar(seededRandom(`gongshi mutations/key/${what.join('/')}`));
  return { secret, publicKey: mulSecret(G, secret) };
}

/** Another valid scalar: s + 1 mod ℓ. */
export function nextScalar(b: Uint8Array): Uint8Array {
  return scalarBytes((scalarOf(b) + 1n) % L);
}

/** A text with the case of its first ASCII letter changed: another valid text of the same length. */
export function otherText(b: Uint8Array): Uint8Array | null {
  const out = b.slice();
  const i = out.findIndex((c) => (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a));
  if (i < 0) return null;
  out[i] ^= 0x20;
  return out;
}

/** Whether a manifest payload decodes (B.1.4): the one oracle for texts and the manifest's rules. */
export function manifestDecodes(payload: Uint8Array): boolean {
  try {
    decodeManifest(payload);
    return true;
  } catch {
    return false;
  }
}

// ------------------------------------------------------------------------------------------------
// Signatures
// ------------------------------------------------------------------------------------------------

const BODY = (payload: Uint8Array) => payload.subarray(0, payload.length - 64);

function signatureBytes(s: SchnorrProof): Uint8Array {
  return new Writer().point(s.T).scalar(s.z).finish();
}

/**
 * §Q.5.4 re-signs a ballot's bytes in place with the credential it names (found among `keys` by its
 * encoding), over the body as it now is, under the fingerprint it now names. Returns false when no
 * key of `keys` is the ballot's credential (then the signature is left as it was).
 */
export function resignBallot(ballot: Uint8Array, keys: readonly KeyPair[], rng: string): boolean {
  if (ballot.length < 65 + 64) return false;
  const named = toHex(ballot.subarray(33, 65));
  const key = keys.find((k) => toHex(encodePoint(k.publicKey)) === named);
  if (key === undefined) return false;
  const body = BODY(ballot);
  const signature = sign(key.secret, key.publicKey, body, { fingerprint: body.slice(1, 33), binding: ballotBinding(key.publicKey, []) }, seededRandom(rng));
  ballot.set(signatureBytes(signature), ballot.length - 64);
  return true;
}

/**
 * §T.1.4 re-signs a trustee message in place with `key`, over the body as it now is, in the context
 * of the fingerprint, kind and index the message now names.
 */
export function resignMessage(message: Uint8Array, key: KeyPair, rng: string): void {
  const body = BODY(message);
  const index = new DataView(body.buffer, body.byteOffset + 34, 4).getUint32(0);
  const binding = new Writer().u32(body[0]).u32(index).finish();
  const signature = sign(key.secret, key.publicKey, body, { fingerprint: body.slice(2, 34), binding }, seededRandom(rng));
  message.set(signatureBytes(signature), message.length - 64);
}

/** The index a trustee message names. */
export function messageIndex(message: Uint8Array): number {
  return new DataView(message.buffer, message.byteOffset + 34, 4).getUint32(0);
}
