/**
 * The receipt check, run in the browser (spec §B.3.10, §B.3.11, §Q.9): the log signed her receipt;
 * the board's entry at that height is her ballot or audit; the latest signed checkpoint includes it
 * (inclusion proof); the board only grew since her receipt (consistency proof); which of the witnesses
 * the manifest names cosigned a checkpoint that includes it (others are ignored, §B.3.9); for a ballot,
 * whether a later ballot of the same voter code replaced it; for an audit, its opening re-checked here.
 * Nothing is taken on the server's word: it supplies proofs, and this device checks them with the log
 * key the manifest names; the manifest is entry 0 of the signed board, and its fingerprint is compared
 * with the one she holds (§B.1.5.1).
 * Only the first groups of a tracker may be given (§Q.7.3): the server names the ballots that start
 * so, and the device checks its answer (`checkTrackerStart`) before checking the one ballot in full.
 * Each check is a line with its state; `watch` keeps the consistency line current as the board grows.
 * Lines speak of "the receipt" only when she gave one; for a tracker or a link, of what the board signed.
 */
import { bytesEqual, checkOpening, formatTracker, fromHex, toHex, ballotTracker } from '../../../crypto/index.ts';
import {
  HEADER_BYTES,
  compareCheckpoints,
  formatPollFingerprint,
  pollFingerprint,
  decodeEntry,
  decodeReceiptText,
  parseNote,
  decodePayload,
  hashLeaf,
  merkleConsistency,
  openReceipt,
  verifyCheckpoint,
  verifyInclusion,
  type ReceiptStatement,
  type VerifiedCheckpoint,
} from '../../../bulletin-board/index.ts';
import { checkTrackerStart, compareFingerprint, countWitnesses, verifyReceipt, type TrackerStartVerdict, type WitnessCount } from '../../../verifier/index.ts';
import { ApiError, fromBase64, get } from '../lib/api.ts';
import type { MessageKey } from '../i18n/index.ts';
import { choiceFromSlots, type Choice } from './answers.ts';
import type { CheckRequest } from './check-input.ts';
import { jointKeyOf, loadPoll, type PollInfo } from './poll-info.ts';

export type LineState = 'working' | 'pass' | 'fail' | 'warn' | 'info' | 'unchecked';

/** One check: its state and its sentence (a message key and values; numbers and `time` are formatted when shown). */
export interface CheckLine {
  readonly id: string;
  readonly state: LineState;
  readonly key: MessageKey;
  readonly vars?: Record<string, string | number>;
}

/** The board's entry the receipt names. */
export interface FoundEntry {
  readonly height: number;
  readonly time: number;
  readonly type: 'ballot' | 'audit';
  readonly tracker: Uint8Array;
}

/** The words of a line when she gave no receipt: the board's signed statement for the tracker, not "your receipt". */
const TRACKER_WORDS: Partial<Record<MessageKey, MessageKey>> = {
  'booth.check.badSignature': 'booth.check.badSignatureTracker',
  'booth.check.otherTracker': 'booth.check.otherTrackerTracker',
  'booth.check.signature': 'booth.check.signatureTracker',
  'booth.check.receiptProof': 'booth.check.proofTracker',
  'booth.check.badReceiptProof': 'booth.check.badProofTracker',
  'booth.check.consistent': 'booth.check.consistentTracker',
  'booth.check.inconsistent': 'booth.check.inconsistentTracker',
  'booth.check.shrunk': 'booth.check.shrunkTracker',
  'booth.check.rolledBack': 'booth.check.rolledBackTracker',
  'booth.check.entryGone': 'booth.check.entryGoneTracker',
  'booth.check.entryDiffers': 'booth.check.entryDiffersTracker',
};

/** The start of a tracker as people read it: groups of four. */
const groups = (start: string) => start.replace(/(.{4})(?!$)/g, '$1 ');

/** How far after a ballot the check looks for a later ballot of the same voter code (entries). */
const REVOTE_SCAN_LIMIT = 2000;

const hex = toHex;

export class ReceiptChecker {
  lines = $state<CheckLine[]>([]);
  poll = $state<PollInfo | null>(null);
  entry = $state<FoundEntry | null>(null);
  /** an audit's re-checked choices, one per question */
  audit = $state<Choice[] | null>(null);
  running = $state(false);
  /** the latest checkpoint size checked against her receipt's */
  latestSize = $state(0);
  /** the receipt she gave is not signed by the poll's log: it says nothing about the board */
  unsignedInput = $state(false);
  /** the poll fingerprint of the manifest checked, as people read it (§B.1.5.1) */
  fingerprint = $state<string | null>(null);
  /** the manifest's witnesses that cosigned a checkpoint including the entry; null until counted */
  witnesses = $state<WitnessCount | null>(null);

  private receiptCheckpoint: VerifiedCheckpoint | null = null;
  /** she gave a receipt: lines may speak of it */
  private receiptGiven = true;
  private queue: Promise<void> = Promise.resolve();
  private stopped = false;

  /** Whether any line failed: evidence the voter should keep. */
  get failed(): boolean {
    return this.lines.some((l) => l.state === 'fail');
  }

  /** Adds or updates a line. A failed line stays: evidence is never replaced by a later answer. */
  private set(given: CheckLine): void {
    const words = this.receiptGiven ? undefined : TRACKER_WORDS[given.key];
    const line = words === undefined ? given : { ...given, key: words };
    const at = this.lines.findIndex((l) => l.id === line.id);
    if (at < 0) this.lines.push(line);
    else if (this.lines[at].state !== 'fail') this.lines[at] = line;
  }

  /** Stops live updates (the page is leaving). */
  stop(): void {
    this.stopped = true;
  }

  /** Runs every check for the request; safe to call once per checker. */
  async run(req: CheckRequest): Promise<void> {
    this.running = true;
    this.receiptGiven = req.receipt !== null;
    try {
      await this.checkAll(req);
    } catch (e) {
      this.set({ id: 'network', state: 'unchecked', key: e instanceof ApiError && e.status === 0 ? 'booth.check.unreachable' : 'booth.check.stopped', vars: { reason: e instanceof Error ? e.message : String(e) } });
    } finally {
      this.running = false;
    }
  }

  private async checkAll(req: CheckRequest): Promise<void> {
    // 1. The poll: named by the receipt or the link, else found by asking each poll for the tracker (or its start).
    let poll = req.poll;
    let tracker = req.tracker;
    let started: TrackerStartVerdict | null = null;
    if (poll === null && req.tracker !== null) {
      this.set({ id: 'poll', state: 'working', key: 'booth.check.searching' });
      poll = await findPollOfTracker(hex(req.tracker));
      if (poll === null) return this.set({ id: 'poll', state: 'fail', key: 'booth.check.notFoundAnywhere' });
    }
    if (poll === null && req.start !== undefined) {
      this.set({ id: 'poll', state: 'working', key: 'booth.check.searching' });
      const found = await findPollOfStart(req.start);
      if (found === null) return this.set({ id: 'poll', state: 'fail', key: 'booth.check.startNotFoundAnywhere', vars: { prefix: groups(req.start) } });
      ({ poll, verdict: started } = found);
    }
    if (poll === null) return this.set({ id: 'poll', state: 'fail', key: 'booth.check.noPoll' });
    let info: PollInfo;
    try {
      info = await loadPoll(poll);
    } catch (e) {
      if (e instanceof ApiError && e.code === 'NOT_FOUND') return this.set({ id: 'poll', state: 'fail', key: 'booth.check.noSuchPoll' });
      throw e;
    }
    this.poll = info;
    this.lines = this.lines.filter((l) => l.id !== 'poll');

    // 1b. The fingerprint she holds is this manifest's (B.1.5.1); otherwise this is not the poll she was told about, and nothing more is checked.
    if (!this.checkFingerprint(info, req.fingerprint)) return;

    // 1c. Only the start of the tracker: the server names the ballots that start so; this device checks its answer (Q.7.3).
    if (tracker === null && req.receipt === null && req.start !== undefined) {
      started ??= checkTrackerStart(req.start, await get<unknown>(`/api/polls/${poll}/trackers?prefix=${req.start}`));
      tracker = this.startFound(req.start, started);
      if (tracker === null) return;
    }

    // 2. Her own receipt note is opened first: only a note the log signed promises anything (B.3.11).
    let held: ReceiptStatement | null = null;
    if (req.receipt !== null) {
      held = this.openSigned(req.receipt.note, info);
      if (held === null) {
        this.unsignedInput = true;
        return;
      }
    }

    // 3. The checkpoint and proof it came with: from her file, else the server's copy for the tracker.
    let parts = req.receipt?.parts ?? null;
    if (parts === null) {
      const wanted = held?.tracker ?? tracker;
      if (wanted === null) return this.set({ id: 'signature', state: 'fail', key: 'booth.check.badReceipt' });
      let view: { receipt: string; checkpoint: string; path: string[] };
      try {
        view = await get(`/api/polls/${poll}/receipts/${hex(wanted)}`);
      } catch (e) {
        if (e instanceof ApiError && e.code === 'NOT_FOUND') {
          // With her signed receipt in hand, a missing entry is evidence; a typed tracker may be a typo.
          return this.set({ id: 'found', state: 'fail', key: held !== null ? 'booth.check.receiptMissing' : 'booth.check.notFound' });
        }
        throw e;
      }
      const path = safe(() => view.path.map((p) => fromHex(p, 'path')));
      if (path === null) return this.set({ id: 'receiptProof', state: 'fail', key: 'booth.check.badReceiptProof' });
      parts = { receipt: req.receipt?.note ?? view.receipt, checkpoint: view.checkpoint, path };
    }
    const { receipt: note, checkpoint, path } = parts;

    // 4. The log signed the receipt (B.3.11), for the tracker she asked about.
    const statement = held ?? this.openSigned(note, info);
    if (statement === null) return;
    if (tracker !== null && !bytesEqual(tracker, statement.tracker)) return this.set({ id: 'signature', state: 'fail', key: 'booth.check.otherTracker' });
    this.set({ id: 'signature', state: 'pass', key: 'booth.check.signature', vars: { height: statement.height } });

    // 5. Its own proof: the checkpoint it came with is signed and includes the entry (V17, V14).
    const own = safe(() => verifyReceipt({ receipt: note, checkpoint, path }, info.logKey, statement.tracker));
    if (own === null || !own.ok) return this.set({ id: 'receiptProof', state: 'fail', key: 'booth.check.badReceiptProof' });
    this.set({ id: 'receiptProof', state: 'pass', key: 'booth.check.receiptProof', vars: { size: own.checkpoint.size } });
    const receiptCheckpoint = verifyCheckpoint(checkpoint, info.logKey);
    if (!receiptCheckpoint.ok) throw new Error('bug: a checkpoint verifyReceipt accepted does not verify');
    this.receiptCheckpoint = receiptCheckpoint;

    // 6. The latest signed checkpoint, before the entry is asked for: a board that no longer reaches
    //    her height, or is smaller than when it signed her receipt, dropped entries (B.3.10, B.3.11).
    const latest = await get<{ checkpoint: string; cosignatures?: { witness: string; size: number; cosigned: string }[] }>(`/api/polls/${poll}/checkpoint`);
    const latestCheckpoint = safe(() => verifyCheckpoint(latest.checkpoint, info.logKey));
    if (latestCheckpoint === null || !latestCheckpoint.ok) return this.set({ id: 'included', state: 'fail', key: 'booth.check.badCheckpoint' });
    const size = latestCheckpoint.checkpoint.size;
    if (size <= statement.height) return this.set({ id: 'included', state: 'fail', key: 'booth.check.rolledBack', vars: { size, height: statement.height } });
    if (size < receiptCheckpoint.checkpoint.size) return this.set({ id: 'consistency', state: 'fail', key: 'booth.check.shrunk', vars: { from: receiptCheckpoint.checkpoint.size, to: size } });

    // 6b. The manifest (its log key, its witnesses, its fingerprint) is entry 0 of that signed board.
    if (!(await this.checkManifestOnBoard(info, latestCheckpoint))) return;

    // 7. The board's entry at that height is hers: same entry hash, same tracker.
    const entry = await this.checkEntry(info, statement);
    if (entry === null) return;

    // 8.–9. The latest checkpoint includes the entry, and extends her receipt's checkpoint. A board
    //       that will not prove either, for a size it signed, fails it.
    const inclusion = await proofPath(`/api/polls/${poll}/proofs/inclusion?height=${statement.height}&size=${size}`);
    const leaf = hashLeaf(statement.entryHash);
    const included = inclusion !== null && safe(() => verifyInclusion(leaf, { index: statement.height, size, path: inclusion }, latestCheckpoint.checkpoint.rootHash)) === true;
    this.set(included ? { id: 'included', state: 'pass', key: 'booth.check.included', vars: { size } } : { id: 'included', state: 'fail', key: 'booth.check.notIncluded', vars: { size } });
    await this.checkConsistency(info, latestCheckpoint);

    // 10. Witnesses: only the manifest's, each counted once when its cosigned checkpoint includes the entry and the latest extends it.
    await this.checkWitnesses(info, statement, latestCheckpoint, latest.cosignatures ?? []);

    // 11. A ballot: is it still her latest? An audit: its opening was re-checked with the entry.
    if (entry.type === 'ballot') await this.checkLatestBallot(info, entry, size);
  }

  /** The one tracker the start she gave finds, with its line; null (and a line saying why) otherwise. */
  private startFound(start: string, verdict: TrackerStartVerdict): Uint8Array | null {
    const prefix = groups(start);
    switch (verdict.kind) {
      case 'one':
        this.set({ id: 'start', state: 'info', key: 'booth.check.startFound', vars: { prefix, groups: Math.ceil(start.length / 4) } });
        return verdict.tracker;
      case 'none':
        this.set({ id: 'found', state: 'fail', key: 'booth.check.startNotFound', vars: { prefix } });
        return null;
      case 'several':
        this.set({ id: 'start', state: 'fail', key: 'booth.check.startSeveral', vars: { prefix } });
        return null;
      case 'alarm':
        this.set(
          verdict.tracker === null
            ? { id: 'start', state: 'fail', key: 'booth.check.startBadAnswer', vars: { prefix } }
            : { id: 'start', state: 'fail', key: 'booth.check.startAlarm', vars: { prefix, tracker: formatTracker(verdict.tracker) } },
        );
        return null;
    }
  }

  /** Her receipt's statement when the poll's log signed the note; otherwise a failed line (and null). */
  private openSigned(note: string, info: PollInfo): ReceiptStatement | null {
    const opened = safe(() => openReceipt(note, info.logKey));
    if (opened !== null && opened.ok) return opened.receipt;
    this.set({ id: 'signature', state: 'fail', key: trackerOfNote(note) === null ? 'booth.check.badReceipt' : 'booth.check.badSignature' });
    return null;
  }

  private async checkEntry(info: PollInfo, statement: ReceiptStatement): Promise<FoundEntry | null> {
    let raw: { bytes: string };
    try {
      raw = await get(`/api/polls/${info.id}/entries/${statement.height}`);
    } catch (e) {
      // The log signed that this height holds her entry: a board without it dropped it (B.3.11).
      if (e instanceof ApiError && e.code === 'NOT_FOUND') {
        this.set({ id: 'entry', state: 'fail', key: 'booth.check.entryGone', vars: { height: statement.height } });
        return null;
      }
      throw e;
    }
    const decoded = safe(() => decodeEntry(fromBase64(raw.bytes)));
    if (decoded === null || !bytesEqual(decoded.hash, statement.entryHash) || (decoded.type !== 'ballot' && decoded.type !== 'audit')) {
      this.set({ id: 'entry', state: 'fail', key: 'booth.check.entryDiffers', vars: { height: statement.height } });
      return null;
    }
    let ballotBytes = decoded.payload;
    let audit: Extract<ReturnType<typeof decodePayload>, { type: 'audit' }> | null = null;
    if (decoded.type === 'audit') {
      const payload = safe(() => decodePayload('audit', decoded.payload, { shapes: info.shapes }));
      if (payload === null || payload.type !== 'audit') {
        this.set({ id: 'entry', state: 'fail', key: 'booth.check.entryDiffers', vars: { height: statement.height } });
        return null;
      }
      audit = payload;
      ballotBytes = payload.ballotBytes;
    }
    if (!bytesEqual(ballotTracker(ballotBytes), statement.tracker)) {
      this.set({ id: 'entry', state: 'fail', key: 'booth.check.entryDiffers', vars: { height: statement.height } });
      return null;
    }
    const found: FoundEntry = { height: statement.height, time: decoded.time, type: decoded.type, tracker: statement.tracker };
    this.entry = found;
    this.set({ id: 'entry', state: 'pass', key: decoded.type === 'ballot' ? 'booth.check.entryBallot' : 'booth.check.entryAudit', vars: { height: statement.height, time: decoded.time } });
    if (audit !== null) {
      // §Q.9.2 re-encrypt every revealed value with its revealed randomness: it must give the published ballot.
      const { ballot, opening } = audit;
      const opens = info.election !== null && bytesEqual(ballot.fingerprint, fromHex(info.election.fingerprint, 'fingerprint')) && checkOpening(ballot, opening, info.shapes, jointKeyOf(info));
      if (opens) this.audit = info.manifest.questions.map((q, i) => choiceFromSlots(q.question, opening.values[i]));
      this.set(opens ? { id: 'opening', state: 'pass', key: 'booth.check.opening' } : { id: 'opening', state: 'fail', key: 'booth.check.badOpening' });
    }
    return found;
  }

  private async checkConsistency(info: PollInfo, latest: VerifiedCheckpoint): Promise<void> {
    const mine = this.receiptCheckpoint;
    if (mine === null) return;
    const from = mine.checkpoint.size;
    const to = latest.checkpoint.size;
    if (to < from) return this.set({ id: 'consistency', state: 'fail', key: 'booth.check.shrunk', vars: { from, to } });
    const proof = to === from ? [] : await proofPath(`/api/polls/${info.id}/proofs/consistency?from=${from}&to=${to}`);
    const verdict = proof === null ? null : safe(() => compareCheckpoints(mine, latest, merkleConsistency, proof));
    this.latestSize = to;
    this.set(verdict?.verdict === 'consistent' ? { id: 'consistency', state: 'pass', key: 'booth.check.consistent', vars: { from, to } } : { id: 'consistency', state: 'fail', key: 'booth.check.inconsistent', vars: { from, to } });
  }

  /** B.1.5.1 compares the fingerprint she holds, if any, with the manifest's; false (and a failed line) when they differ. */
  private checkFingerprint(info: PollInfo, held: string | undefined): boolean {
    this.fingerprint = formatPollFingerprint(pollFingerprint(info.manifestBytes));
    if (held === undefined || held.trim() === '') {
      this.set({ id: 'fingerprint', state: 'info', key: 'booth.check.fingerprintCompare', vars: { fingerprint: this.fingerprint } });
      return true;
    }
    const verdict = compareFingerprint(held, info.manifestBytes);
    if (verdict.ok) {
      this.set({ id: 'fingerprint', state: 'pass', key: 'booth.check.fingerprintMatches', vars: { fingerprint: verdict.fingerprint } });
      return true;
    }
    this.set(
      verdict.reason === 'unreadable'
        ? { id: 'fingerprint', state: 'fail', key: 'booth.check.fingerprintUnreadable' }
        : { id: 'fingerprint', state: 'fail', key: 'booth.check.fingerprintDiffers', vars: { held: verdict.held, board: verdict.board } },
    );
    return false;
  }

  /** B.1.4 entry 0 of the signed board is the manifest this page read (same bytes, included in `latest`); false (and a failed line) otherwise. */
  private async checkManifestOnBoard(info: PollInfo, latest: VerifiedCheckpoint): Promise<boolean> {
    const first = await get<{ bytes: string }>(`/api/polls/${info.id}/entries/0`);
    const entry = safe(() => decodeEntry(fromBase64(first.bytes)));
    const path = entry === null ? null : await proofPath(`/api/polls/${info.id}/proofs/inclusion?height=0&size=${latest.checkpoint.size}`);
    const ok =
      entry !== null &&
      entry.type === 'manifest' &&
      bytesEqual(entry.payload, info.manifestBytes) &&
      path !== null &&
      safe(() => verifyInclusion(hashLeaf(entry.hash), { index: 0, size: latest.checkpoint.size, path }, latest.checkpoint.rootHash)) === true;
    this.set(ok ? { id: 'manifest', state: 'pass', key: 'booth.check.manifestOnBoard' } : { id: 'manifest', state: 'fail', key: 'booth.check.manifestNotOnBoard' });
    return ok;
  }

  /**
   * B.3.9, V40 the manifest's witnesses that cosigned a checkpoint including the entry, which the latest
   * extends. The server's word on who cosigned (its `witnesses` list and each row's `witness`) is not
   * used: only the signature lines on the log's notes, and the manifest's witness keys and k. A
   * cosigned checkpoint of the log that the latest does not extend is a fork.
   */
  private async checkWitnesses(info: PollInfo, statement: ReceiptStatement, latest: VerifiedCheckpoint, cosignatures: readonly { cosigned: string }[]): Promise<void> {
    const { keys, k } = info.manifest.witnesses;
    const signed: string[] = [];
    const covering: string[] = [];
    for (const [i, c] of cosignatures.entries()) {
      const logSigned = safe(() => verifyCheckpoint(c.cosigned, info.logKey));
      if (logSigned === null || !logSigned.ok) continue; // not signed by the log: it vouches for nothing
      const size = logSigned.checkpoint.size;
      const to = latest.checkpoint.size;
      const proof = size > to ? null : size === to ? [] : await proofPath(`/api/polls/${info.id}/proofs/consistency?from=${size}&to=${to}`);
      if (proof === null || safe(() => compareCheckpoints(logSigned, latest, merkleConsistency, proof))?.verdict !== 'consistent') {
        this.set({ id: `fork${i}`, state: 'fail', key: 'booth.check.cosignedFork', vars: { size } });
        continue;
      }
      signed.push(c.cosigned);
      if (size > statement.height) covering.push(c.cosigned);
    }
    const all = countWitnesses(signed, keys, k);
    const count = countWitnesses(covering, keys, k);
    this.witnesses = count;
    for (const name of all.invalid) this.set({ id: `bad:${name}`, state: 'fail', key: 'booth.check.badWitness', vars: { witness: name } });
    if (k === 0) this.set({ id: 'witnesses', state: 'warn', key: 'booth.check.noWitnessRequired' });
    else if (count.enough) this.set({ id: 'witnesses', state: 'pass', key: 'booth.check.witnessesEnough', vars: { count: count.counted.length, listed: count.listed, k } });
    else this.set({ id: 'witnesses', state: 'fail', key: 'booth.check.witnessesTooFew', vars: { count: count.counted.length, listed: count.listed, k } });
    if (all.ignored > 0) this.set({ id: 'ignored', state: 'info', key: 'booth.check.witnessesIgnored', vars: { count: all.ignored } });
  }

  /** Looks for a later ballot with the same credential (bytes 33..65 of a ballot: after the version and fingerprint, §Q.6). */
  private async checkLatestBallot(info: PollInfo, entry: FoundEntry, size: number): Promise<void> {
    if (size - entry.height > REVOTE_SCAN_LIMIT) return;
    const own = await get(`/api/polls/${info.id}/entries/${entry.height}`);
    const credential = (bytes: Uint8Array) => bytes.subarray(HEADER_BYTES + 33, HEADER_BYTES + 65);
    const mine = credential(fromBase64(own.bytes));
    let later: number | null = null;
    for (let from = entry.height + 1; from < size; ) {
      const page = await get(`/api/polls/${info.id}/entries?from=${from}&limit=200`);
      if (page.entries.length === 0) break;
      for (const e of page.entries) if (e.height < size && e.type === 'ballot' && bytesEqual(credential(fromBase64(e.bytes)), mine)) later = e.height;
      from += page.entries.length;
    }
    const open = info.status === 'open';
    if (later === null) this.set({ id: 'latestBallot', state: 'info', key: open ? 'booth.check.latestBallotOpen' : 'booth.check.latestBallot' });
    else this.set({ id: 'latestBallot', state: 'info', key: 'booth.check.replaced', vars: { height: later } });
  }

  /** A new signed checkpoint from the live feed: check it and that it extends her receipt's (in order, one at a time). */
  onCheckpoint(note: string): void {
    this.queue = this.queue.then(async () => {
      const info = this.poll;
      if (this.stopped || info === null || this.receiptCheckpoint === null) return;
      const verified = safe(() => verifyCheckpoint(note, info.logKey));
      if (verified === null || !verified.ok) return this.set({ id: 'consistency', state: 'fail', key: 'booth.check.badCheckpoint' });
      if (verified.checkpoint.size <= this.latestSize) return;
      try {
        await this.checkConsistency(info, verified);
      } catch (e) {
        this.set({ id: 'consistency', state: 'unchecked', key: 'booth.check.unreachable', vars: { reason: e instanceof Error ? e.message : String(e) } });
      }
    });
  }
}

/** A receipt note's tracker, when the note reads (its signature is checked after). */
function trackerOfNote(note: string): Uint8Array | null {
  return safe(() => decodeReceiptText(parseNote(note).text).tracker);
}

/**
 * A proof path the server gives for a size its log signed; null when it refuses (a 4xx answer) or
 * sends a malformed path: a proof it will not give is a failed proof. Other errors (no network) throw.
 */
async function proofPath(url: string): Promise<Uint8Array[] | null> {
  try {
    const answer = await get<{ path: string[] }>(url);
    return safe(() => answer.path.map((p) => fromHex(p, 'path')));
  } catch (e) {
    if (e instanceof ApiError && e.status >= 400 && e.status < 500) return null;
    throw e;
  }
}

/** Runs a check that may throw on malformed input; null then (a malformed proof is a failed proof). */
function safe<T>(f: () => T): T | null {
  try {
    return f();
  } catch {
    return null;
  }
}

/** Polls whose boards may hold a ballot or an audit, newest first. */
async function castPolls(): Promise<string[]> {
  const { polls } = await get<{ polls: { id: string; status: string; turnout: { ballots: number; audits: number } }[] }>('/api/polls');
  return [...polls].reverse().filter((p) => p.status !== 'draft' && p.turnout.ballots + p.turnout.audits > 0).map((p) => p.id);
}

/**
 * The first poll, newest first, whose server names a tracker for this start, with the device's verdict on
 * that answer (an alarm stops the search: it is evidence about that poll); null when no poll does.
 */
async function findPollOfStart(start: string): Promise<{ poll: string; verdict: TrackerStartVerdict } | null> {
  for (const poll of await castPolls()) {
    let answer: unknown;
    try {
      answer = await get<unknown>(`/api/polls/${poll}/trackers?prefix=${start}`);
    } catch (e) {
      if (e instanceof ApiError && (e.code === 'NOT_FOUND' || e.code === 'WRONG_STATE')) continue;
      throw e;
    }
    const verdict = checkTrackerStart(start, answer);
    if (verdict.kind !== 'none') return { poll, verdict };
  }
  return null;
}

/** The poll whose board holds this tracker, newest poll first; null when none does. */
async function findPollOfTracker(tracker: string): Promise<string | null> {
  for (const poll of await castPolls()) {
    try {
      await get(`/api/polls/${poll}/receipts/${tracker}`);
      return poll;
    } catch (e) {
      if (!(e instanceof ApiError && (e.code === 'NOT_FOUND' || e.code === 'WRONG_STATE'))) throw e;
    }
  }
  return null;
}
