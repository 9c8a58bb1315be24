/**
 * The verifier's mutation suite (issue: verifier). From the record of a small whole poll (2 trustees,
 * 3 voters, an audit, a revote: mutation-support.ts), every field of every entry is changed, one at a
 * time: each header field of every entry, and each payload field of every entry, except that the
 * fields of the ballot layout (§Q.6) are spread round-robin over the five entries that carry a ballot
 * (four cast, one audited), each changed once. A field gets one bit flipped at a seeded
 * position and, where that gave no valid value, another valid value as well. Whatever a signature
 * covers is re-signed (with the voter's credential, the trustee's signing key, the registrar's key for a
 * credential list), the chain is re-hashed
 * after the change and a fresh checkpoint is signed with the log's key, so that neither a signature nor
 * the checkpoint (V15) catches the change and the deeper check has to. Then every entry is dropped (with
 * and without re-chaining), duplicated, and swapped with the next (keeping each position's time).
 *
 * Expectations are tables keyed by entry type (or trustee message kind) and field, from the spec (§B.1,
 * §B.4.3–B.4.7, §T.6, §Q.8, §Q.9, the check map of §V.3): a change must fail the named check at the
 * named entry, as the first failure of the report. One rule comes before the tables: a value that is
 * not a canonical encoding (a point that does not decode, a scalar ≥ ℓ, a u64 above 2^53 − 1) is V4
 * at the entry itself. A change that leaves the content consistent (a history rewrite: a superseded
 * ballot dropped, two ballots swapped) can only be caught against a checkpoint the observer saved
 * earlier: those records are verified whole with the genuine record's checkpoint saved, and fail V14.
 *
 * Each other mutated record is verified on its own, cut right after the entry where the first failure
 * is expected: the replay is sequential, so nothing after it can change it (controls: every cut of the
 * genuine record verifies; cross-checks: one mutation per table verified whole fails the same way).
 * Records are verified on worker threads, one per core (mutation-pool.ts).
 */
import { availableParallelism } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALLOWED, EntryType, MANIFEST_VERSION, type EntryTypeName } from '../../bulletin-board/index.ts';
import { encodePoint, toHex, type KeyPair } from '../../crypto/index.ts';
import type { CheckId } from '../../verifier/index.ts';
import { createPool, type Outcome, type Pool } from './mutation-pool.ts';
import {
  HEADER,
  HEADER_FIELDS,
  buildBase,
  canonical,
  flipBit,
  freshKeyPair,
  heightOf,
  manifestDecodes,
  messageIndex,
  nextScalar,
  numberBytes,
  otherText,
  payloadFields,
  readNumber,
  readU64,
  rechain,
  recordChunks,
  resignBallot,
  resignCredentials,
  resignRevocation,
  resignMessage,
  seeded,
  type Base,
  type EntryInfo,
  type Field,
} from './mutation-support.ts';

// ------------------------------------------------------------------------------------------------
// Expectations
// ------------------------------------------------------------------------------------------------

/** Where the first failure is: the mutated entry ('self'), another entry by label, or null: the record stays consistent (V14 only). */
type At = 'self' | string | null | ((field: string, info: EntryInfo, base: Base) => string);

interface Rule {
  /** the entry type, or the trustee message kind, whose payload holds the field */
  readonly group: string;
  readonly field: RegExp;
  /** only for the "other valid value" change named so (otherwise: any change) */
  readonly other?: string;
  readonly check: CheckId;
  readonly at?: At;
  readonly why: string;
  /** only for the fields this says (otherwise: every field the pattern matches) */
  readonly when?: (field: string, info: EntryInfo) => boolean;
  /** for an integer: whether the new value is one the decoder takes (if not: V4 at the entry) */
  readonly takes?: (value: number, info: EntryInfo, base: Base) => boolean;
  /** for an integer the decoder refuses: another value to try, that it takes */
  readonly instead?: (old: number, base: Base) => number;
}

const inRange = (lo: number, hi: number) => (v: number) => v >= lo && v <= hi;
const index = (name: string, what: string) => Number(new RegExp(`${what}\\[(\\d+)\\]`).exec(name)![1]);
/** The first ballot or audit of voter i. */
const firstUse = (i: number, base: Base) => base.info.find((e) => e.voter === i)!.label;
/** The voter a credentials entry's field names: the first list holds voters 0–2, the late one 3 and 4. */
const listedVoter = (field: string, info: EntryInfo) => (info.label === 'credentials late' ? 3 : 0) + index(field, 'credentials');
/** Voter 4 is revoked before she could vote. */
const REVOKED_VOTER = 4;

/** §B.1.6, §Q.6, §Q.9.1, §T.2: what each payload field's change fails. */
const RULES: Rule[] = [
  // credentials (B.1.6.1, B.4.6.1)
  { group: 'credentials', field: /^count$/, check: 'V4', why: 'the count no longer matches the list' },
  { group: 'credentials', field: /^signature$/, check: 'V39', why: 'not the registrar’s signature of this list for this poll' },
  { group: 'credentials', field: /\.key$/, check: 'V21', when: (f, e) => listedVoter(f, e) !== REVOKED_VOTER, at: (f, e, b) => firstUse(listedVoter(f, e), b), why: 'the voter’s first ballot is signed by an unlisted credential' },
  { group: 'credentials', field: /\.key$/, check: 'V21', at: 'revoke', why: 'the registrar revokes a credential that is not listed (UNKNOWN_CREDENTIAL)' },
  { group: 'credentials', field: /\.weight$/, check: 'V26', when: (f, e) => listedVoter(f, e) !== REVOKED_VOTER, at: 'tally', takes: inRange(1, 1000), instead: (w) => w + 1, why: 'the tally weighs the voter’s ballot with its listed weight' },
  { group: 'credentials', field: /\.weight$/, check: 'V14', at: null, takes: inRange(1, 1000), instead: (w) => w + 1, why: 'the weight of a credential revoked before it voted counts nowhere: a history rewrite' },
  // revoke (B.1.6.10, B.4.6.8): the base revokes voter 4, listed late, who never votes
  { group: 'revoke', field: /^count$/, check: 'V4', why: 'the count no longer matches the keys' },
  { group: 'revoke', field: /^signature$/, check: 'V39', why: 'not the registrar’s signature of this revocation for this poll' },
  { group: 'revoke', field: /^keys\[\d+\]$/, other: 'a voter who votes later', check: 'V44', at: (_, __, b) => firstUse(0, b), why: 'voter 0 is revoked, so her ballot is refused (REVOKED_CREDENTIAL)' },
  { group: 'revoke', field: /^keys\[\d+\]$/, check: 'V21', why: 'a credential that is not listed (UNKNOWN_CREDENTIAL)' },
  // ceremony and step (B.1.6.2–3, B.4.5.1–2)
  { group: 'ceremony', field: /^run$/, check: 'V8', why: 'a run that is not the previous + 1' },
  { group: 'step', field: /^run$/, check: 'V8', why: 'a step for another run' },
  { group: 'step', field: /^step$/, check: 'V8', takes: inRange(2, 6), instead: (s) => (s === 6 ? 5 : s + 1), why: 'not the next step' },
  // every trustee message (§T.2): kind, version, h, index, signature
  ...['identity', 'commit', 'reveal', 'shares', 'finish'].flatMap((group): Rule[] => [
    { group, field: /^kind$/, check: 'V4', why: 'another kind: the layout does not fit, or a decryption message in a trustee entry' },
    { group, field: /^version$/, check: 'V1', why: 'another message version' },
    { group, field: /^fingerprint$/, check: 'V9', why: 'h_C of another ceremony (T.6.0)' },
    { group, field: /^index$/, check: 'V9', takes: inRange(1, 64), instead: (_, b) => b.n + 1, why: 'not a trustee of this ceremony (T.6.0)' },
    { group, field: /^signature\./, check: 'V9', why: 'bad signature (T.1.4)' },
  ]),
  { group: 'identity', field: /^signingKey$/, check: 'V9', why: 'bad signature: the message is signed by the key it replaced' },
  {
    group: 'identity',
    field: /^signingKey$/,
    other: 'another key, signed with it',
    check: 'V9',
    at: (_, e) => `commit ${e.trustee}`,
    why: 'the identity is accepted; her commit, signed with her real key, is not',
  },
  { group: 'identity', field: /^encryption/, check: 'V9', why: 'the proof of knowledge of the encryption key (T.2.1) fails' },
  { group: 'commit', field: /^hash$/, check: 'V9', at: (_, e) => `reveal ${e.trustee}`, why: 'her reveal does not match the committed hash (T.3.4)' },
  { group: 'reveal', field: /^commitments$/, check: 'V4', why: 'the count no longer matches the layout' },
  { group: 'reveal', field: /^(commitments|proofs)\[/, check: 'V9', why: 'the reveal no longer matches the commit, nor its proofs of knowledge (T.3.3)' },
  { group: 'shares', field: /^shares$/, check: 'V4', why: 'the count no longer matches the layout' },
  {
    group: 'shares',
    field: /\.to$/,
    check: 'V9',
    takes: (to, e) => to >= 1 && to <= 64 && to !== e.trustee,
    instead: (_, b) => b.n + 1,
    why: 'shares go to another set of trustees (T.6.1)',
  },
  { group: 'shares', field: /\.(E|proof\.T|proof\.z)$/, check: 'V9', why: 'the proof of knowledge of the ephemeral key fails (T.4)' },
  {
    group: 'shares',
    field: /\.(nonce|ciphertext)$/,
    check: 'V9',
    at: 'finish 1',
    why: 'nobody but the recipient can check a share, but the transcript covers it (T.6.3): the finish messages sign another transcript',
  },
  { group: 'finish', field: /^(transcript|keyProof\.)/, check: 'V9', why: 'another transcript, or the proof of the key share fails (T.6.4)' },
  // key (B.1.6.4, B.4.5.4): KEY_MISMATCH, V2 when the fingerprint differs, V11 otherwise
  { group: 'key', field: /^fingerprint$/, check: 'V2', why: 'not the election fingerprint the rules recompute' },
  { group: 'key', field: /^verificationKeys$/, check: 'V4', why: 'the count no longer matches the layout' },
  { group: 'key', field: /^(run|transcript|jointKey|verificationKeys\[)/, check: 'V11', why: 'not what the ceremony produced' },
  // open and close (B.1.6.8)
  { group: 'open', field: /^payload$/, check: 'V4', why: 'an empty payload: any byte is refused' },
  { group: 'close', field: /^payload$/, check: 'V4', why: 'an empty payload: any byte is refused' },
  // extend (B.1.6.9, B.4.6.7): the base extends by the whole 1 ms the manifest allows
  { group: 'extend', field: /^closesAt$/, check: 'V43', instead: (v) => v + 1, why: 'not later than the closing time in force, or past closesAt + maxExtension (BAD_EXTENSION)' },
  // ballot (§Q.6, B.4.6.3–4); the audit's ballot is the same layout, prefixed "ballot."
  ...['ballot', 'audit'].flatMap((group): Rule[] => {
    const p = group === 'audit' ? 'ballot\\.' : '';
    const r = (s: string) => new RegExp(`^${p}${s}`);
    return [
      { group, field: r('version$'), check: 'V1', why: 'another ballot version' },
      { group, field: r('fingerprint$'), check: 'V18', why: 'another election’s fingerprint (WRONG_ELECTION)' },
      { group, field: r('credential$'), check: 'V21', why: 'an unlisted credential (UNKNOWN_CREDENTIAL)' },
      { group, field: r('credential$'), other: 'another voter’s credential, signed by her', check: 'V19', why: 'the proofs are bound to the credential (Q.5.1)' },
      { group, field: r('(questions|answers\\[\\d+\\]\\.slots)$'), check: 'V4', why: 'the shape fixes the count' },
      { group, field: r('answers\\[\\d+\\]\\.(slots|slotProofs)\\['), check: 'V19', why: 'the slot’s range proof fails' },
      { group, field: r('answers\\[\\d+\\]\\.sumProof\\.'), check: 'V20', why: 'the question’s sum proof fails' },
      { group, field: r('signature\\.'), check: 'V21', why: 'the credential’s signature fails' },
    ];
  }),
  { group: 'audit', field: /^ballot\.length$/, check: 'V4', why: 'the frame no longer holds the ballot' },
  { group: 'audit', field: /^opening\.version$/, check: 'V1', why: 'another opening version' },
  { group: 'audit', field: /^opening(\.questions|\[\d+\]\.slots)$/, check: 'V4', why: 'the shape fixes the count' },
  { group: 'audit', field: /^opening\[\d+\]\[\d+\]\.(value|r)$/, check: 'V33', why: 'the slot does not re-encrypt to the opening (BAD_OPENING)' },
  // tally (B.1.6.6, B.4.7.1)
  { group: 'tally', field: /^ciphertexts$/, check: 'V4', why: 'the shape fixes the count' },
  { group: 'tally', field: /^(counted|weight|ciphertexts\[)/, check: 'V26', instead: (v) => v + 1, why: 'not the tally of the board (TALLY_MISMATCH)' },
  // decryption (T.8.1, B.4.7.2)
  { group: 'decryption', field: /^kind$/, check: 'V4', why: 'not a decryption message' },
  { group: 'decryption', field: /^version$/, check: 'V1', why: 'another message version' },
  { group: 'decryption', field: /^shares$/, check: 'V4', why: 'the count no longer matches the layout' },
  { group: 'decryption', field: /^index$/, check: 'V27', takes: inRange(1, 64), instead: (_, b) => b.n + 1, why: 'not a qualified trustee' },
  { group: 'decryption', field: /^(fingerprint|shares\[|signature\.)/, check: 'V27', why: 'the shares do not verify (T.8.2)' },
  // result (B.1.6.7, B.4.7.3)
  { group: 'result', field: /^totals$/, check: 'V4', why: 'the shape fixes the count' },
  { group: 'result', field: /^totals\[/, check: 'V29', instead: (v) => v + 1, why: 'not what the shares decrypt the tally to' },
];

/** B.1.4: any change to the manifest that still decodes changes h_M, hence every h_C (§B.1.5, §T.1.3). */
const MANIFEST: Record<'version' | 'decodes' | 'refused', { check: CheckId; at: string; why: string }> = {
  version: { check: 'V1', at: 'manifest', why: 'another manifest version' },
  decodes: { check: 'V39', at: 'credentials', why: 'h_M changes: the registrar signed the first credential list for the poll with the original manifest hash' },
  refused: { check: 'V4', at: 'manifest', why: 'the manifest no longer decodes (B.1.4)' },
};

/** §B.4.4 step 1 and §B.4.2: a header's type changed to `code`. */
function typeChange(info: EntryInfo, payload: Uint8Array, code: number): { check: CheckId; why: string } {
  const name = (Object.keys(EntryType) as EntryTypeName[]).find((k) => EntryType[k] === code);
  if (name === undefined) return { check: 'V1', why: `unknown entry type ${code}` };
  if (!ALLOWED[info.phase].includes(name)) return { check: 'V16', why: `a ${name} entry is not allowed in phase ${info.phase}` };
  if ((name === 'ballot' && payload[0] !== 1) || (name === 'manifest' && payload[0] !== MANIFEST_VERSION)) return { check: 'V1', why: `read as a ${name}, the payload's version byte is not 1` };
  return { check: 'V4', why: `the payload does not decode as a ${name}` };
}

/** Entry removed, re-chained: the first failure, by the label of the entry that fails. null: V14 only. */
const DROP: [RegExp, CheckId, string | null | ((m: RegExpExecArray) => string), string][] = [
  [/^manifest$/, 'V16', 'credentials', 'the first entry is not a manifest'],
  [/^credentials$/, 'V16', 'open', 'the poll opens with no credential (NO_CREDENTIALS)'],
  [/^ceremony$/, 'V16', 'identity 1', 'a trustee message before any ceremony'],
  [/^identity (\d)$/, 'V9', (m) => `commit ${m[1]}`, 'her commit: she has no identity'],
  [/^step 2$/, 'V16', 'commit 1', 'a commit while step 1 is open'],
  [/^commit (\d)$/, 'V9', (m) => `reveal ${m[1]}`, 'her reveal: no commit before it'],
  [/^step 3$/, 'V16', 'reveal 1', 'a reveal while step 2 is open'],
  [/^reveal (\d)$/, 'V9', (m) => `shares ${m[1]}`, 'her shares: no accepted reveal'],
  [/^step 4$/, 'V16', 'shares 1', 'shares while step 3 is open'],
  [/^shares \d$/, 'V9', 'finish 1', 'the dealer is not qualified; 1 of t = 2: the ceremony fails'],
  [/^step 5$/, 'V8', 'step 6', 'step 6 cannot follow step 4'],
  [/^step 6$/, 'V16', 'finish 1', 'a finish while step 5 is open'],
  [/^finish \d$/, 'V10', 'key', 'a qualified trustee has not signed the outcome'],
  [/^key$/, 'V16', 'open', 'the poll opens during the ceremony'],
  [/^open$/, 'V16', 'ballot v0', 'a ballot before the poll opens (the extension is allowed while ready)'],
  [/^extend$/, 'V14', null, 'without the extension every entry still comes before the closing time'],
  [/^(ballot v0|ballot v1|revote v2|ballot v3)$/, 'V26', 'tally', 'the tally counts a ballot that is gone'],
  [/^credentials late$/, 'V21', 'revoke', 'the revocation names a credential that is not listed (UNKNOWN_CREDENTIAL)'],
  [/^revoke$/, 'V14', null, 'without the revocation, voter 4 is listed and never votes: the content stays consistent'],
  [/^ballot v2$/, 'V14', null, 'superseded by the revote: the content stays consistent'],
  [/^audit v1$/, 'V14', null, 'an audit is never counted: the content stays consistent'],
  [/^close$/, 'V16', 'tally', 'a tally while the poll is open'],
  [/^tally$/, 'V16', 'decryption 1', 'decryption shares before the tally'],
  [/^decryption \d$/, 'V28', 'result', 'one decryption message; t = 2'],
  [/^result$/, 'V14', null, 'a board that stops before its result is a valid earlier board'],
];

/** Entry copied right after itself: the copy fails. */
const DUPLICATE: [RegExp, CheckId, string][] = [
  [/^(manifest|key|open|close|tally|result)$/, 'V16', 'its type is not allowed in the phase it made'],
  [/^credentials( late)?$/, 'V21', 'every credential listed twice (DUPLICATE_CREDENTIAL)'],
  [/^revoke$/, 'V44', 'the credential is revoked already (REVOKED_CREDENTIAL)'],
  [/^extend$/, 'V43', 'the same closing time again is not later than the one in force (BAD_EXTENSION)'],
  [/^(ceremony|step \d)$/, 'V8', 'not the next run or step'],
  [/^(identity|commit|reveal|shares|finish) \d$/, 'V9', 'a second message of this kind from the trustee (T.6.0)'],
  [/^(ballot|revote|audit) v\d$/, 'V23', 'the tracker is on the board already (DUPLICATE_TRACKER)'],
  [/^decryption \d$/, 'V27', 'the trustee has posted her shares already'],
];

/** Entry swapped with the next one, re-chained: keyed by the first. null: V14 only. */
const SWAP: Record<string, [CheckId, string | null, string]> = {
  manifest: ['V16', 'credentials', 'the first entry is not a manifest'],
  credentials: ['V14', null, 'credentials may be listed during the ceremony'],
  ceremony: ['V16', 'identity 1', 'a trustee message before any ceremony'],
  'identity 1': ['V14', null, 'T.6 takes messages by trustee index: the order within a step does not matter'],
  'identity 2': ['V16', 'identity 2', 'an identity while step 2 is open'],
  'step 2': ['V16', 'commit 1', 'a commit while step 1 is open'],
  'commit 1': ['V14', null, 'the order within a step does not matter'],
  'commit 2': ['V16', 'commit 2', 'a commit while step 3 is open'],
  'step 3': ['V16', 'reveal 1', 'a reveal while step 2 is open'],
  'reveal 1': ['V14', null, 'the order within a step does not matter'],
  'reveal 2': ['V16', 'reveal 2', 'a reveal while step 4 is open'],
  'step 4': ['V16', 'shares 1', 'shares while step 3 is open'],
  'shares 1': ['V14', null, 'the order within a step does not matter'],
  'shares 2': ['V16', 'shares 2', 'shares while step 5 is open'],
  'step 5': ['V8', 'step 6', 'step 6 cannot follow step 4'],
  'step 6': ['V16', 'finish 1', 'a finish while step 5 is open'],
  'finish 1': ['V14', null, 'the order of the finishes does not matter'],
  'finish 2': ['V10', 'key', 'the key entry before the second finish'],
  key: ['V16', 'open', 'the poll opens during the ceremony'],
  open: ['V14', null, 'extended while ready, then opened: allowed'],
  extend: ['V14', null, 'the late list, then the extension: allowed'],
  'credentials late': ['V21', 'revoke', 'the revocation before the list names a credential not listed yet (UNKNOWN_CREDENTIAL)'],
  revoke: ['V14', null, 'a ballot of another voter, then the revocation: allowed'],
  'ballot v0': ['V14', null, 'ballots of different voters in another order: the same tally'],
  'audit v1': ['V14', null, 'her audit after her ballot: allowed'],
  'ballot v1': ['V14', null, 'ballots of different voters in another order: the same tally'],
  'ballot v2': ['V26', 'tally', 'the revote is now her first ballot, the other counts'],
  'revote v2': ['V14', null, 'ballots of different voters in another order: the same tally'],
  'ballot v3': ['V16', 'ballot v3', 'a ballot after the close'],
  close: ['V16', 'tally', 'a tally while the poll is open'],
  tally: ['V16', 'decryption 1', 'decryption shares before the tally'],
  'decryption 1': ['V14', null, 'any t decryption messages give the same result'],
  'decryption 2': ['V28', 'result', 'the result before the second decryption message'],
};

// ------------------------------------------------------------------------------------------------
// Mutations
// ------------------------------------------------------------------------------------------------

interface Expected {
  readonly check: CheckId;
  /** height of the failing entry in the mutated record; null for the record as a whole (V14) */
  readonly at: number | null;
  readonly why: string;
}

interface Mutation {
  /** the table: an entry type or trustee message kind, 'header', 'drop', 'drop unchained', 'duplicate', 'swap' */
  readonly group: string;
  /** the entry changed, by label */
  readonly target: string;
  readonly field: string;
  readonly change: string;
  readonly expected: Expected;
  /** the mutated entries, re-chained, up to `upTo` (inclusive) */
  readonly entries: (upTo: number) => Uint8Array[];
  readonly length: number;
}

const describeKind: Record<string, string> = { point: 'point', point0: 'point', scalar: 'scalar', u64: 'u64' };

/** The entry at h with `value` at `field`, its signatures redone where they cover the field. */
function withField(base: Base, h: number, field: Field, value: Uint8Array, extraKeys: readonly KeyPair[], rng: string): Uint8Array {
  const info = base.info[h];
  const entry = base.entries[h].slice();
  entry.set(value, field.offset);
  const payload = entry.subarray(HEADER);
  const signed = !/(^|\.)signature\./.test(field.name);
  // B.1.6.1 the registrar signs the list: re-signed, so that the deeper check has to catch the change.
  if (info.group === 'credentials' && field.name !== 'signature') resignCredentials(payload, base);
  // B.1.6.10 the registrar signs the revocation: re-signed likewise.
  if (info.group === 'revoke' && field.name !== 'signature') resignRevocation(payload, base);
  if (info.group === 'ballot' && signed) resignBallot(payload, [...base.voters, ...extraKeys], rng);
  if (info.group === 'audit' && signed && field.name.startsWith('ballot.') && field.name !== 'ballot.length') {
    const length = new DataView(payload.buffer, payload.byteOffset, 4).getUint32(0);
    resignBallot(payload.subarray(4, 4 + length), [...base.voters, ...extraKeys], rng);
  }
  if ((info.type === 'trustee' || info.type === 'decryption') && signed) {
    const author = base.trustees[info.trustee! - 1];
    let key: KeyPair | undefined;
    if (payload[0] === 1) {
      // an identity is signed with the signing key it publishes
      const published = toHex(payload.subarray(38, 70));
      key = [...base.trustees, ...extraKeys].find((k) => toHex(encodePoint(k.publicKey)) === published);
    } else key = base.trustees[messageIndex(payload) - 1];
    resignMessage(payload, key ?? author, rng);
  }
  return entry;
}

function resolveAt(at: At | undefined, field: string, info: EntryInfo, base: Base, h: number): number | null {
  if (at === null) return null;
  if (at === undefined || at === 'self') return h;
  return heightOf(
    base.info.map((e) => e.label),
    typeof at === 'function' ? at(field, info, base) : at,
  );
}

/** One payload field of the entry at h: a bit flipped, and another valid value where that was not one. */
function fieldMutations(base: Base, h: number, field: Field): Mutation[] {
  const info = base.info[h];
  const old = base.entries[h].subarray(field.offset, field.offset + field.length);
  const out: Mutation[] = [];
  const add = (value: Uint8Array, change: string, other?: string, extraKeys: KeyPair[] = []) => {
    const entry = withField(base, h, field, value, extraKeys, `${info.label}/${field.name}/${change}`);
    let expected: Expected;
    if (info.group === 'manifest') {
      const m = field.name === 'version' ? MANIFEST.version : manifestDecodes(entry.subarray(HEADER)) ? MANIFEST.decodes : MANIFEST.refused;
      expected = { check: m.check, at: heightOf(base.info.map((e) => e.label), m.at), why: m.why };
    } else if (!canonical(field.kind, value)) {
      expected = { check: 'V4', at: h, why: `not a canonical ${describeKind[field.kind]}` };
    } else {
      const rules = RULES.filter((r) => r.group === info.group && r.field.test(field.name) && (r.when?.(field.name, info) ?? true));
      const rule = rules.find((r) => r.other === other) ?? rules.find((r) => r.other === undefined);
      if (rule === undefined) throw new Error(`bug: no rule for ${info.group} ${field.name}`);
      if (rule.takes && !rule.takes(readNumber(value), info, base)) expected = { check: 'V4', at: h, why: 'a value the decoder refuses' };
      else expected = { check: rule.check, at: resolveAt(rule.at, field.name, info, base, h), why: rule.why };
    }
    const entries = base.entries.map((e, i) => (i === h ? entry : e));
    const from = info.group === 'manifest' ? 0 : h + 1;
    out.push({ group: info.group, target: info.label, field: field.name, change, expected, entries: (upTo) => rechain(entries, from, upTo), length: entries.length });
  };

  const bit = seeded(field.length * 8, info.label, field.name);
  add(flipBit(old, bit), `bit ${bit} flipped`);
  const flipped = out[0].expected;
  if (flipped.check === 'V4') {
    // The flip gave no valid value: try another valid one.
    const alt = otherValue(base, h, field, old);
    if (alt !== null) add(alt, 'another valid value');
  }
  // Changes that need a key to go deeper than a signature.
  if (/(^|\.)credential$/.test(field.name)) {
    const next = base.voters[(info.voter! + 1) % base.voters.length];
    add(encodePoint(next.publicKey), 'another voter’s credential, signed by her', 'another voter’s credential, signed by her');
  }
  if (info.group === 'revoke' && /^keys\[/.test(field.name)) add(encodePoint(base.voters[0].publicKey), 'a voter who votes later', 'a voter who votes later');
  if (info.group === 'identity' && field.name === 'signingKey') {
    const key = freshKeyPair(info.label);
    add(encodePoint(key.publicKey), 'another key, signed with it', 'another key, signed with it', [key]);
  }
  return out;
}

/** Another valid value of a field, or null when it has none (counts fixed by the layout, versions, kinds). */
function otherValue(base: Base, h: number, field: Field, old: Uint8Array): Uint8Array | null {
  const info = base.info[h];
  switch (field.kind) {
    case 'point':
    case 'point0':
      return encodePoint(freshKeyPair(info.label, field.name).publicKey);
    case 'scalar':
      return nextScalar(old);
    case 'text':
      return otherText(old);
    case 'u8':
    case 'u32':
    case 'u64': {
      const v = readNumber(old);
      if (info.group === 'manifest') {
        // the first nearby value that keeps the manifest valid
        for (const c of [v + 1, v - 1, 1, 2, 0]) {
          if (c < 0 || c === v || c > (field.length === 1 ? 255 : field.length === 4 ? 0xffffffff : 2 ** 53 - 1)) continue;
          const payload = base.entries[h].slice(HEADER);
          payload.set(numberBytes(c, field.length), field.offset - HEADER);
          if (manifestDecodes(payload)) return numberBytes(c, field.length);
        }
        return null;
      }
      const rule = RULES.find((r) => r.group === info.group && r.field.test(field.name) && r.other === undefined);
      return rule?.instead ? numberBytes(rule.instead(v, base), field.length) : null;
    }
    default:
      return null;
  }
}

/** Every header field of the entry at h (B.1.2). */
function headerMutations(base: Base, h: number): Mutation[] {
  const info = base.info[h];
  const out: Mutation[] = [];
  const last = base.entries.length - 1;
  const add = (field: string, change: string, value: Uint8Array, offset: number, expected: Expected) => {
    const entry = base.entries[h].slice();
    entry.set(value, offset);
    const entries = base.entries.map((e, i) => (i === h ? entry : e));
    out.push({ group: 'header', target: info.label, field, change, expected, entries: (upTo) => rechain(entries, h + 1, upTo), length: entries.length });
  };
  const [type, version, height, prev, time] = HEADER_FIELDS;
  const at = (f: Field) => base.entries[h].subarray(f.offset, f.offset + f.length);

  let bit = seeded(8, info.label, 'type');
  const code = flipBit(at(type), bit);
  add('type', `bit ${bit} flipped (${code[0]})`, code, type.offset, { ...typeChange(info, base.entries[h].subarray(HEADER), code[0]), at: h });

  bit = seeded(8, info.label, 'version');
  add('version', `bit ${bit} flipped`, flipBit(at(version), bit), version.offset, { check: 'V1', at: h, why: 'another entry version' });

  bit = seeded(64, info.label, 'height');
  const flippedHeight = flipBit(at(height), bit);
  if (canonical('u64', flippedHeight)) add('height', `bit ${bit} flipped`, flippedHeight, height.offset, { check: 'V13', at: h, why: 'not the next height' });
  else {
    add('height', `bit ${bit} flipped`, flippedHeight, height.offset, { check: 'V4', at: h, why: 'a u64 above 2^53 − 1' });
    add('height', 'the next height', numberBytes(h + 1, 8), height.offset, { check: 'V13', at: h, why: 'not the next height' });
  }

  bit = seeded(256, info.label, 'prev');
  add('prev', `bit ${bit} flipped`, flipBit(at(prev), bit), prev.offset, { check: 'V13', at: h, why: h === 0 ? 'not the genesis hash of the poll id' : 'not the hash of the entry before' });

  // B.1.2: times never decrease. A time between its neighbours' is the board's claim and nobody's to
  // check (witness cosignatures bound it, §B.3.9), so the changes are: before the previous entry,
  // after the next one, and a u64 the decoder refuses.
  const t = readU64(base.entries[h], time.offset);
  if (h > 0) add('time', 'before the previous entry’s', numberBytes(base.info[h - 1].time - 1, 8), time.offset, { check: 'V13', at: h, why: 'earlier than the previous entry (BAD_TIME)' });
  if (h < last) add('time', 'after the next entry’s', numberBytes(base.info[h + 1].time + 1, 8), time.offset, { check: 'V13', at: h + 1, why: 'the next entry is now earlier than this one (BAD_TIME)' });
  bit = seeded(11, info.label, 'time');
  add('time', `bit ${bit} flipped`, flipBit(at(time), bit), time.offset, { check: 'V4', at: h, why: `a u64 above 2^53 − 1 (was ${t})` });
  return out;
}

/** Drop, duplicate and swap, by the order of base entries they leave. */
function orderMutations(base: Base): Mutation[] {
  const labels = base.info.map((e) => e.label);
  const out: Mutation[] = [];
  const n = base.entries.length;
  const add = (group: string, target: string, order: number[], from: number, chained: boolean, check: CheckId, at: string | number | null, why: string) => {
    // A swap keeps each position's time, as a log rewriting its history would: times never decrease.
    const entries = order.map((i, k) => (group === 'swap' && i !== k ? withTime(base.entries[i], base.info[k].time) : base.entries[i]));
    const names = order.map((i, k) => (k > 0 && order[k - 1] === i ? `${labels[i]} (copy)` : labels[i]));
    const height = at === null ? null : typeof at === 'number' ? at : heightOf(names, at);
    out.push({
      group,
      target,
      field: '(entry)',
      change: group,
      expected: { check, at: height, why },
      entries: (upTo) => (chained ? rechain(entries, from, upTo) : entries.slice()),
      length: entries.length,
    });
  };
  for (let h = 0; h < n; h++) {
    const label = labels[h];
    const keep = [...labels.keys()].filter((i) => i !== h);
    const drop = DROP.map(([re, check, at, why]) => ({ m: re.exec(label), check, at, why })).find((d) => d.m !== null);
    if (!drop) throw new Error(`bug: no drop rule for ${label}`);
    const dropAt = drop.at === null ? null : typeof drop.at === 'function' ? drop.at(drop.m!) : drop.at;
    add('drop', label, keep, h, true, drop.check, dropAt, drop.why);
    if (h < n - 1) add('drop unchained', label, keep, h, false, 'V13', h, 'the entry after the gap does not chain');
    const dup = DUPLICATE.find(([re]) => re.test(label));
    if (!dup) throw new Error(`bug: no duplicate rule for ${label}`);
    add('duplicate', label, [...labels.keys()].flatMap((i) => (i === h ? [i, i] : [i])), h + 1, true, dup[1], `${label} (copy)`, dup[2]);
    if (h < n - 1) {
      const [check, at, why] = SWAP[label];
      const order = [...labels.keys()];
      [order[h], order[h + 1]] = [order[h + 1], order[h]];
      add('swap', `${label} ↔ ${labels[h + 1]}`, order, h, true, check, at, why);
    }
  }
  return out;
}

function withTime(entry: Uint8Array, time: number): Uint8Array {
  const out = entry.slice();
  out.set(numberBytes(time, 8), HEADER_FIELDS[4].offset);
  return out;
}

/** Whether a field of the entry at h belongs to the ballot layout (§Q.6): a ballot's, or an audit's ballot. */
const inBallotLayout = (info: EntryInfo, field: Field) => info.type === 'ballot' || (info.type === 'audit' && field.name.startsWith('ballot.') && field.name !== 'ballot.length');

/** Every mutation of the base record. */
function allMutations(base: Base): Mutation[] {
  const out: Mutation[] = [];
  // The five entries that carry a ballot share its layout: each field of it is changed in one of them, in turn.
  const carriers = base.info.flatMap((e, h) => (e.type === 'ballot' || e.type === 'audit' ? [h] : []));
  base.info.forEach((info, h) => {
    out.push(...headerMutations(base, h));
    if (info.type === 'open' || info.type === 'close') {
      const entry = new Uint8Array([...base.entries[h], 0]);
      const entries = base.entries.map((e, i) => (i === h ? entry : e));
      out.push({
        group: info.group,
        target: info.label,
        field: 'payload',
        change: 'a byte appended',
        expected: { check: 'V4', at: h, why: 'an empty payload: any byte is refused' },
        entries: (upTo) => rechain(entries, h + 1, upTo),
        length: entries.length,
      });
      return;
    }
    let k = 0;
    for (const field of payloadFields(base, h)) {
      if (inBallotLayout(info, field) && carriers[k++ % carriers.length] !== h) continue;
      out.push(...fieldMutations(base, h, field));
    }
  });
  out.push(...orderMutations(base));
  return out;
}

// ------------------------------------------------------------------------------------------------
// The suite
// ------------------------------------------------------------------------------------------------

/** `fn` over `items`, at most `limit` at a time, results in order. */
async function mapLimited<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const lane = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]);
    }
  };
  await Promise.all(Array.from({ length: limit }, lane));
  return out;
}

interface Result {
  readonly mutation: Mutation;
  readonly outcome: Outcome;
  /** the first failure is the expected one */
  readonly ok: boolean;
}

/** The tables, in the order of a poll; then the changes of order. */
const GROUPS = [
  'header',
  'manifest',
  'credentials',
  'ceremony',
  'identity',
  'step',
  'commit',
  'reveal',
  'shares',
  'finish',
  'key',
  'open',
  'extend',
  'revoke',
  'ballot',
  'audit',
  'close',
  'tally',
  'decryption',
  'result',
  'drop',
  'drop unchained',
  'duplicate',
  'swap',
] as const;

let base: Base;
let pool: Pool;
let results: Result[] = [];
let controls: { what: string; outcome: Outcome }[] = [];
let crossChecks: { mutation: Mutation; outcome: Outcome; ok: boolean }[] = [];
let seconds = 0;

function matches(expected: Expected, outcome: Outcome): boolean {
  const first = outcome.failures[0];
  return outcome.error === undefined && !outcome.valid && first !== undefined && first.check === expected.check && first.entry === expected.at;
}

function show(r: { mutation: Mutation; outcome: Outcome }): string {
  const m = r.mutation;
  const got = r.outcome.error ?? (r.outcome.valid ? 'valid' : r.outcome.failures.slice(0, 2).map((f) => `${f.check}@${f.entry} ${f.reason}`).join(' | '));
  return `${m.group} ${m.target} ${m.field} (${m.change}): expected ${m.expected.check}@${m.expected.at} (${m.expected.why}), got ${got}`;
}

beforeAll(async () => {
  const started = performance.now();
  base = await buildBase();
  const workers = Math.max(1, Math.min(4, availableParallelism()));
  pool = createPool(workers);
  const lanes = 2 * workers;
  const mutations = allMutations(base);

  // Controls: the record as it is, and cut at every height, with fresh checkpoints, verifies.
  const cuts = base.entries.map((_, h) => h);
  controls = await mapLimited([-1, ...cuts], lanes, async (h) =>
    h < 0
      ? { what: 'the whole record, fresh checkpoint', outcome: await pool.run({ chunks: recordChunks(base, base.entries) }) }
      : { what: `cut after ${base.info[h].label}`, outcome: await pool.run({ chunks: recordChunks(base, base.entries.slice(0, h + 1)) }) },
  );

  // Each mutation, cut after the entry expected to fail; history rewrites whole, with a saved checkpoint.
  results = await mapLimited(mutations, lanes, async (mutation) => {
    const whole = mutation.expected.at === null;
    const upTo = whole ? mutation.length - 1 : mutation.expected.at!;
    const entries = mutation.entries(upTo).slice(0, upTo + 1);
    const outcome = await pool.run({ chunks: recordChunks(base, entries), checkpoints: whole ? [base.checkpoint] : undefined });
    return { mutation, outcome, ok: matches(mutation.expected, outcome) };
  });

  // Cross-checks: the first mutation of every group, verified whole: the same first failure.
  const firsts = [...new Set(mutations.map((m) => m.group))].map((g) => mutations.find((m) => m.group === g && m.expected.at !== null)!);
  crossChecks = await mapLimited(firsts, lanes, async (mutation) => {
    const outcome = await pool.run({ chunks: recordChunks(base, mutation.entries(mutation.length - 1)) });
    return { mutation, outcome, ok: matches(mutation.expected, outcome) };
  });
  seconds = (performance.now() - started) / 1000;

  const caught = results.filter((r) => !r.outcome.valid && r.outcome.error === undefined).length;
  const threw = results.filter((r) => r.outcome.error !== undefined).length;
  const lines = GROUPS.map((g) => {
    const mine = results.filter((r) => r.mutation.group === g);
    const checks = new Map<string, number>();
    for (const r of mine) checks.set(r.mutation.expected.check, (checks.get(r.mutation.expected.check) ?? 0) + 1);
    return `  ${g.padEnd(15)} ${String(mine.length).padStart(4)}  ${[...checks].map(([c, n]) => `${c} ×${n}`).join(', ')}`;
  });
  console.log(
    [
      `mutation suite: ${results.length} mutations tried; ${caught} reported as failures, ${threw} made the verifier throw; ` +
        `${results.filter((r) => r.ok).length} failed the expected check at the expected entry. ` +
        `${crossChecks.length} cross-checks on whole records, ${controls.length} controls; ${seconds.toFixed(1)} s on ${workers} workers. By table (expected checks):`,
      ...lines,
    ].join('\n'),
  );
}, 600_000);

afterAll(async () => {
  await pool?.close();
});

describe('the verifier under mutation (every field of every entry, one at a time)', () => {
  it('accepts the unmutated record, rebuilt with a fresh checkpoint, and every cut of it', () => {
    const bad = controls.filter((c) => !c.outcome.valid).map((c) => `${c.what}: ${c.outcome.error ?? JSON.stringify(c.outcome.failures)}`);
    expect(bad).toEqual([]);
    expect(controls.length).toBe(base.entries.length + 1);
  });

  it('tries every field of every entry type, and more than the floor of mutations', () => {
    const groups = new Set(results.map((r) => r.mutation.group));
    expect([...groups].sort()).toEqual([...GROUPS].sort());
    // Every payload field of every entry, the ballot layout's once among the entries that carry it;
    // every header field of every entry.
    for (const [h, info] of base.info.entries()) {
      const fields = new Set(results.filter((r) => r.mutation.target === info.label && r.mutation.group !== 'header').map((r) => r.mutation.field));
      const own = info.type === 'open' || info.type === 'close' ? [{ name: 'payload' } as Field] : payloadFields(base, h).filter((f) => !inBallotLayout(info, f));
      for (const f of own) expect(fields, `${info.label} ${f.name}`).toContain(f.name);
      const header = new Set(results.filter((r) => r.mutation.target === info.label && r.mutation.group === 'header').map((r) => r.mutation.field));
      expect([...header].sort()).toEqual(['height', 'prev', 'time', 'type', 'version']);
    }
    const layout = payloadFields(base, base.info.findIndex((e) => e.type === 'ballot')).map((f) => f.name);
    const changed = results.filter((r) => r.mutation.group === 'ballot' || (r.mutation.group === 'audit' && r.mutation.field.startsWith('ballot.') && r.mutation.field !== 'ballot.length'));
    expect([...new Set(changed.map((r) => r.mutation.field.replace(/^ballot\./, '')))].sort()).toEqual([...layout].sort());
    expect(results.length).toBeGreaterThan(800);
  });

  it('catches every mutation: the record is not valid', () => {
    const uncaught = results.filter((r) => r.outcome.valid).map(show);
    expect(uncaught).toEqual([]);
  });

  for (const group of GROUPS) {
    it(`${group}: the first failure is the expected check at the expected entry`, () => {
      const mine = results.filter((r) => r.mutation.group === group);
      expect(mine.length).toBeGreaterThan(0);
      expect(mine.filter((r) => !r.ok).map(show)).toEqual([]);
    });
  }

  it('a whole record fails where its cut does (cross-checks)', () => {
    expect(crossChecks.length).toBe(GROUPS.length);
    expect(crossChecks.filter((c) => !c.ok).map(show)).toEqual([]);
  });
});
