/** JSON views of polls, entries and results: what the API and the live feed send. Never hashed or signed. */
import { encodePoint } from '../../crypto/index.ts';
import { decodeEntry, encodeVerifierKey, verifierKeyOf, type DecodedEntry, type StoredEntry } from '../../bulletin-board/index.ts';
import type { PollHost } from '../polls/poll-host.ts';

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
const b64 = (b: Uint8Array): string => Buffer.from(b).toString('base64');

/** A poll in a list: identity, texts, schedule, status, turnout. */
export function pollSummary(poll: PollHost) {
  const d = poll.draft;
  return {
    id: poll.hex,
    origin: poll.origin,
    status: poll.status(),
    languages: d.languages,
    title: d.title,
    opensAt: d.opensAt,
    /** the closing time in force: the manifest's, or the last extension's (spec B.4.6.7) */
    closesAt: poll.closesAt(),
    /** the extend entries on the board: where, when, and the closing time each set */
    extensions: poll.board?.state.extensions ?? [],
    /** the poll closed before the closing time in force, as its manifest allowed (B.4.6.6) */
    closedEarly: poll.board?.state.closedEarly ?? false,
    /** every credentials and revoke entry: where, when, how many added or revoked, and whether voting was open (B.4.6.1, B.4.6.8) */
    roll: poll.board?.state.roll ?? [],
    created: poll.created,
    entries: poll.board?.size ?? 0,
    turnout: poll.turnout(),
  };
}

/** Everything a voter's or observer's client needs to start: the manifest, the keys, the latest checkpoint. */
export function pollDetail(poll: PollHost) {
  const board = poll.board;
  const e = board?.state.election ?? null;
  const first = board && board.size > 0 ? [...board.entries(0, 1)][0] : null;
  return {
    ...pollSummary(poll),
    draft: poll.draft,
    manifest: first ? b64(decodeEntry(first.bytes).payload) : null,
    logKey: encodeVerifierKey(verifierKeyOf(poll.logKey)),
    election: e && { run: e.run, fingerprint: hex(e.fingerprint), jointKey: hex(encodePoint(e.jointKey)), t: e.t },
    checkpoint: board?.latestCheckpoint() ?? null,
  };
}

/** One stored entry: its header, hashes and bytes (base64). */
export function entryView(stored: StoredEntry) {
  const raw = decodeEntry(stored.bytes);
  return {
    height: stored.height,
    type: raw.type,
    time: raw.time,
    hash: hex(stored.hash),
    tracker: stored.tracker === null ? null : hex(stored.tracker),
    bytes: b64(stored.bytes),
  };
}

/** A new entry for the live feed: the header and what it says, without the bytes (fetch them by height). */
export function liveEntryView(poll: PollHost, e: { height: number; hash: Uint8Array; tracker: Uint8Array | null; entry: DecodedEntry }) {
  const c = e.entry.content;
  const detail =
    c.type === 'trustee' ? { trustee: c.message.index, kind: c.message.kind }
    : c.type === 'decryption' ? { trustee: c.message.index }
    : c.type === 'step' ? { run: c.run, step: c.step }
    : c.type === 'ceremony' ? { run: c.run }
    : c.type === 'credentials' ? { credentials: c.credentials.length }
    : {};
  return { poll: poll.hex, height: e.height, type: e.entry.type, time: e.entry.time, hash: hex(e.hash), tracker: e.tracker === null ? null : hex(e.tracker), ...detail };
}

/** The result per question in every language: totals per option and blank, and how many were counted. */
export function resultView(poll: PollHost) {
  const board = poll.board;
  const state = board?.state;
  if (!state || state.result === null || state.shapes === null || state.manifest === null) return { poll: poll.hex, status: poll.status(), result: null };
  let at = 0;
  const questions = state.manifest.questions.map((q, i) => {
    const shape = state.shapes![i];
    const options = q.options.map((text, k) => ({ text, total: state.result![at + k] }));
    const blank = shape.blank ? state.result![at + q.options.length] : null;
    at += shape.slotMax.length;
    return { kind: q.question.kind, prompt: q.prompt, options, blank };
  });
  return {
    poll: poll.hex,
    status: poll.status(),
    result: { counted: state.tally?.counted ?? 0, weight: state.tally?.weight ?? 0, ballots: state.ballots, audits: state.audits, totals: state.result, questions },
  };
}
