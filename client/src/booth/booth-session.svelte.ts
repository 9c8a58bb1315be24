/**
 * The state of one visit to the booth and its steps (spec §Q.5–§Q.9): the voter's code, her answers,
 * the sealed ballot (encrypted, proved and signed in a worker), then either an audit (the ballot is
 * opened, posted, never counted, and her answers sealed afresh) or the cast and its receipt.
 * A failed cast keeps the sealed ballot: she retries without answering again.
 * Two stops (§B.1.5.1, §B.3.11 step 2): a poll fingerprint she holds that is not the board's stops the
 * booth before anything is sealed; a receipt signed for another entry type than she posted (her audit
 * as a cast ballot, or her cast ballot as an audit) is an alarm, and the booth seals nothing more.
 * Her code is kept in the tab (kept-code.ts): the booth follows the poll's phase live and checks it by
 * itself when the poll opens. Another sheet's code arriving mid-ballot waits for her word, then starts
 * over: one visit, one code; whatever the last visit still had in flight is dropped when it lands.
 * On a voting desk (desk-flag.ts) nothing of hers is kept in any storage, and `nextVoter` starts over
 * empty after each voter.
 */
import { checkOpening, decodeBallot, fromHex, toHex, trackerText, type BallotOpening } from '../../../crypto/index.ts';
import { encodeAudit, pollFingerprint, type ReceiptEntryType, type ReceiptStatement, type VerifierKey } from '../../../bulletin-board/index.ts';
import { classifyReceipt, compareFingerprint, type FingerprintComparison, type ReceiptAlarm, type ReceiptView } from '../../../verifier/index.ts';
import { get, post, toBase64 } from '../lib/api.ts';
import { watchPoll } from '../lib/live.ts';
import { t } from '../lib/i18n.svelte.ts';
import { choiceFromSlots, choiceProblem, emptyChoice, toAnswer, type Choice } from './answers.ts';
import { makeBallot, type MadeBallot } from './ballot-maker.ts';
import { jointKeyOf, loadPoll, type PollInfo } from './poll-info.ts';
import { KeyNotOnBoard, checkElectionOnBoard } from './election-on-board.ts';
import { heldFingerprint, keepFingerprint } from './held-fingerprint.ts';
import { keepCode, keptCode } from './kept-code.ts';
import type { ReceiptParts } from './receipt-file.ts';
import { saveReceipt, type SavedReceipt } from './receipt-store.ts';
import { deviceIsDesk } from './desk-flag.ts';
import { checkLinkOf } from './check-link.ts';
import { tidyCode, type CredentialStatus, type SheetLink } from './voter-code.ts';

export type Step = 'loading' | 'unavailable' | 'wrong-poll' | 'code' | 'ready' | 'question' | 'review' | 'encrypting' | 'tracker' | 'audit' | 'casting' | 'cast';

export interface AuditOutcome {
  readonly tracker: Uint8Array;
  /** the choices the opening reveals, one per question */
  readonly choices: Choice[];
  /** the opening re-encrypts to the ballot, checked on this device (§Q.9.2) */
  readonly opens: boolean;
  /** the board's receipt for the audit, once posted, and whether it verified as an audit */
  receipt: ReceiptView | null;
  receiptOk: boolean | null;
  /** the log signed her audit as a cast ballot: the alarm's evidence; null otherwise */
  alarm: WrongType | null;
  error: unknown;
  posting: boolean;
}

/** A receipt as this device verified it: what the log signed, the size of the signed checkpoint that includes it, and its parts. */
export interface VerifiedReceipt {
  readonly statement: ReceiptStatement;
  readonly size: number;
  readonly parts: ReceiptParts;
}

/** B.3.11 step 2: the log signed, for her tracker, another entry type than she posted. The signed note is the evidence. */
export interface WrongType {
  readonly asked: ReceiptEntryType;
  /** what the log signed */
  readonly statement: ReceiptStatement;
  /** the receipt's checkpoint and inclusion proof also check out (the note alone is evidence even when not) */
  readonly anchored: boolean;
  /** the receipt, checkpoint and proof exactly as the board sent them */
  readonly parts: ReceiptParts;
}

export interface CastOutcome {
  /** the tracker this device computed for the ballot it sent; set once the board accepted it */
  tracker: Uint8Array | null;
  /** the board's receipt, verified on this device against the poll's log key and `tracker`; null when it does not verify */
  receipt: VerifiedReceipt | null;
  /** the log signed her cast ballot as an audit: the alarm's evidence; null otherwise */
  alarm: WrongType | null;
  /** the board's answer exactly as it came: evidence when its receipt does not verify */
  sent: unknown;
  saved: boolean;
  error: unknown;
  /** when the board accepted it, by this device's clock (ms since 1970); 0 until then. The desk prints it */
  at: number;
}

/** The steps where she has answers that are not cast yet: another code waits for her word there. */
const ANSWERING: readonly Step[] = ['question', 'review', 'encrypting', 'tracker', 'audit', 'casting'];

/** A slow look at the poll's phase besides the live feed, while the booth waits for the opening. */
const WAITING_POLL_MS = 15_000;

export class BoothSession {
  step = $state<Step>('loading');
  /** the code to check when the code step opens (from her sheet's link, or kept in this tab); '' for none */
  pending = $state('');
  /** each new code starts a new visit; work of an earlier visit that lands later is dropped */
  visit = $state(0);
  /** another sheet's code arrived while she had answers: it waits for her word */
  incoming = $state.raw<SheetLink | null>(null);
  info = $state.raw<PollInfo | null>(null);
  loadError = $state<unknown>(null);
  code = '';
  status = $state.raw<CredentialStatus | null>(null);
  choices = $state<Choice[]>([]);
  question = $state(0);
  fromReview = $state(false);
  made = $state.raw<MadeBallot | null>(null);
  progress = $state<number | null>(null);
  encryptError = $state<unknown>(null);
  audit = $state<AuditOutcome | null>(null);
  cast = $state<CastOutcome | null>(null);
  /** ballots cast in this visit, on top of those the server counted when her code was checked */
  castHere = $state(0);
  /** B.1.5.1 the poll fingerprint of the manifest replayed from the board; null until the replay passed */
  boardFingerprint = $state.raw<Uint8Array | null>(null);
  /** the poll fingerprint she holds, as she gave it (link, typed, pasted); '' when none */
  held = $state('');
  /** the board recorded an entry of this booth as another type: it seals nothing more in this tab */
  stopped = $state(false);
  /** this device is a voting desk (desk-flag.ts): no receipt or code is kept, and it starts over after each voter */
  readonly desk: boolean = deviceIsDesk();

  /** `linked` is what her sheet's link carried (code and fingerprint, '' when none); else what this tab kept. */
  constructor(
    readonly poll: string,
    linked: SheetLink = { code: '', fingerprint: '' },
  ) {
    if (linked.fingerprint !== '') keepFingerprint(poll, linked.fingerprint);
    this.held = linked.fingerprint || heldFingerprint(poll);
    if (linked.code !== '') keepCode(poll, linked.code);
    this.pending = linked.code || keptCode(poll);
  }

  /**
   * Follows the poll's phase (live, and slowly by asking, in case an event was missed) while the booth
   * waits for the opening; when it changes, the booth loads again and goes on with the kept code.
   * Returns the function that stops following.
   */
  follow(): () => void {
    const stop = watchPoll(this.poll, { 'poll:phase': (e) => this.phaseChanged(e.status) });
    const timer = setInterval(() => {
      if (this.step !== 'unavailable') return;
      get<{ status: string }>(`/api/polls/${this.poll}`).then(
        (d) => this.phaseChanged(d.status),
        () => {}, // offline for now: the next look, or the live feed, will tell
      );
    }, WAITING_POLL_MS);
    return () => {
      stop();
      clearInterval(timer);
    };
  }

  private phaseChanged(status: string): void {
    // Only a waiting booth reloads: mid-ballot, a closing is answered by the cast itself.
    if (this.step === 'unavailable' && status !== this.info?.status) void this.load();
  }

  /**
   * A sheet's link arrived in this tab (its fragment changed). Without answers at stake the booth starts
   * over with its code at once; with answers, it waits for her word (`switchCode` or `keepCurrentCode`).
   */
  arrive(link: SheetLink): void {
    const same = (a: string, b: string) => a !== '' && (tidyCode(a) ?? a) === (tidyCode(b) ?? b);
    // Her own sheet again (or the code the code step is checking): nothing changes.
    if (same(link.code, this.code) || (this.step === 'code' && same(link.code, this.pending))) return;
    if (ANSWERING.includes(this.step)) this.incoming = link;
    else this.startOver(link);
  }

  /** She chose the new code: start over with it. */
  switchCode(): void {
    if (this.incoming !== null) this.startOver(this.incoming);
  }

  /** She goes on with the code she is using: the other is forgotten. */
  keepCurrentCode(): void {
    this.incoming = null;
  }

  /** A new visit with this code: nothing of the last code's answers, sealed ballot or status is kept. */
  private startOver(link: SheetLink): void {
    this.visit++;
    this.incoming = null;
    keepCode(this.poll, link.code);
    if (link.fingerprint !== '') {
      keepFingerprint(this.poll, link.fingerprint);
      this.held = link.fingerprint;
    }
    this.pending = link.code;
    this.code = '';
    this.status = null;
    this.castHere = 0;
    this.made = null;
    this.pendingAudit = null;
    this.progress = null;
    this.encryptError = null;
    this.audit = null;
    this.cast = null;
    this.question = 0;
    this.fromReview = false;
    this.choices = this.info?.manifest.questions.map((q) => emptyChoice(q.question)) ?? [];
    // Waiting for the opening (or still loading), the new code is kept for then.
    if (this.boardFingerprint !== null) this.step = this.wrongPoll ? 'wrong-poll' : 'code';
  }

  /**
   * On a desk, after a voter: back to an empty code step with nothing of hers in memory or storage
   * (her code, the fingerprint she gave, her answers, sealed ballot, audit and receipt). A stop
   * (`stopped`) stays: the alarm concerns the board, not the voter.
   */
  nextVoter(): void {
    this.held = '';
    keepFingerprint(this.poll, '');
    this.startOver({ code: '', fingerprint: '' });
  }

  /** The code was refused (a typo, or not on the list): it is not kept for a reload. */
  forgetCode(): void {
    this.pending = '';
    keepCode(this.poll, '');
  }

  /** B.1.5.1 the fingerprint she holds against the board's; null when she holds none or the board was not replayed. */
  get fingerprintCheck(): FingerprintComparison | null {
    const info = this.info;
    if (info === null || this.boardFingerprint === null || this.held.trim() === '') return null;
    return compareFingerprint(this.held, info.manifestBytes);
  }

  /** Whether she holds a fingerprint and it is not this board's: the booth stops before sealing. */
  get wrongPoll(): boolean {
    const check = this.fingerprintCheck;
    return check !== null && !check.ok && check.reason === 'different';
  }

  /**
   * She typed or pasted the fingerprint from her sheet ('' for none). Kept in this tab when readable;
   * one that is not this board's stops the booth here. Returns the comparison (null for none).
   */
  holdFingerprint(text: string): FingerprintComparison | null {
    this.held = text.trim();
    const check = this.fingerprintCheck;
    keepFingerprint(this.poll, check === null || (!check.ok && check.reason === 'unreadable') ? '' : this.held);
    if (this.wrongPoll) this.step = 'wrong-poll';
    return check;
  }

  /** After a stop on a fingerprint she typed wrongly: forget it and go back to the code. */
  retypeFingerprint(): void {
    this.held = '';
    keepFingerprint(this.poll, '');
    this.step = 'code';
  }

  async load(): Promise<void> {
    this.loadError = null;
    this.step = 'loading';
    try {
      const info = await loadPoll(this.poll);
      // Encrypt only under the key the trustees made on the board, never under the server's word alone.
      if (info.status === 'open' && info.election !== null) {
        try {
          await checkElectionOnBoard(this.poll, { manifestBytes: info.manifestBytes, ...info.election });
        } catch (e) {
          if (e instanceof KeyNotOnBoard) throw new Error(t('booth.keyNotOnBoard'));
          throw e;
        }
      }
      this.info = info;
      this.choices = info.manifest.questions.map((q) => emptyChoice(q.question));
      if (info.status === 'open' && info.election !== null) {
        // The replay passed: info.manifestBytes hash to the manifest of the board's entry 0.
        this.boardFingerprint = pollFingerprint(info.manifestBytes);
        this.step = this.wrongPoll ? 'wrong-poll' : 'code';
      } else this.step = 'unavailable';
    } catch (e) {
      this.loadError = e;
    }
  }

  /** The server knows her code (checked during `visit`): on to the ready step, and the code is kept in this tab. */
  accept(code: string, status: CredentialStatus, visit: number): void {
    if (visit !== this.visit) return;
    keepCode(this.poll, code);
    this.pending = code;
    this.code = code;
    this.status = status;
    this.castHere = 0;
    this.step = 'ready';
  }

  /** Ballots she may still cast with this code. */
  get ballotsLeft(): number {
    return this.status === null ? 0 : this.status.maxBallots - this.status.ballots - this.castHere;
  }

  start(): void {
    this.question = 0;
    this.fromReview = false;
    this.step = 'question';
  }

  next(): void {
    const count = this.choices.length;
    if (this.fromReview || this.question + 1 >= count) {
      this.fromReview = false;
      this.step = 'review';
    } else this.question++;
  }

  back(): void {
    if (this.question > 0) this.question--;
  }

  change(index: number): void {
    this.question = index;
    this.fromReview = true;
    this.step = 'question';
  }

  /** The first question whose answer is not complete, or −1. */
  firstIncomplete(): number {
    const info = this.info;
    if (info === null) return -1;
    return this.choices.findIndex((c, i) => choiceProblem(info.manifest.questions[i].question, c) !== null);
  }

  /** Whether the booth may seal or post: no stop, and the fingerprint she holds (if any) is the board's. */
  private mayGoOn(): boolean {
    if (this.stopped) return false;
    if (this.wrongPoll) {
      this.step = 'wrong-poll';
      return false;
    }
    return true;
  }

  /** Seals her answers into a fresh ballot (new randomness every time) in the worker. */
  async encrypt(): Promise<void> {
    const info = this.info;
    if (info === null || info.election === null || !this.mayGoOn()) return;
    const incomplete = this.firstIncomplete();
    if (incomplete >= 0) return this.change(incomplete);
    this.made = null;
    this.encryptError = null;
    this.step = 'encrypting';
    const visit = this.visit;
    try {
      const made = await makeBallot(
        { poll: this.poll, code: this.code, shape: info.ballotShape, jointKey: info.election.jointKey, fingerprint: info.election.fingerprint, answers: $state.snapshot(this.choices).map(toAnswer) },
        (p) => visit === this.visit && (this.progress = p),
      );
      if (visit !== this.visit) return;
      this.made = made;
      this.audit = null;
      this.cast = null;
      this.step = 'tracker';
    } catch (e) {
      if (visit === this.visit) this.encryptError = e;
    }
  }

  /** Opens the sealed ballot (§Q.9): checks the opening here, then posts it; the ballot is spent and never cast. */
  async auditBallot(): Promise<void> {
    const info = this.info;
    const made = this.made;
    if (info === null || made === null || !this.mayGoOn()) return;
    // From here on this ballot must never be cast: its secrets are out.
    this.made = null;
    const opens = opensTo(info, made.bytes, made.opening);
    this.audit = {
      tracker: made.tracker,
      choices: info.manifest.questions.map((q, i) => choiceFromSlots(q.question, made.opening.values[i])),
      opens,
      receipt: null,
      receiptOk: null,
      alarm: null,
      error: null,
      posting: false,
    };
    this.step = 'audit';
    await this.postAudit(made);
  }

  private pendingAudit: MadeBallot | null = null;

  /** Posts (or re-posts, after an error) the audit; the same bytes again are not a second audit. */
  async postAudit(made: MadeBallot | null = this.pendingAudit): Promise<void> {
    const info = this.info;
    const audit = this.audit;
    if (info === null || audit === null || made === null) return;
    this.pendingAudit = made;
    audit.posting = true;
    audit.error = null;
    try {
      const view = await post<ReceiptView>(`/api/polls/${this.poll}/audits`, { audit: toBase64(encodeAudit(made.bytes, made.opening)) });
      audit.receipt = view;
      const read = readReceipt(view, info.logKey, made.tracker, 'audit');
      audit.receiptOk = read?.check.kind === 'ok';
      audit.alarm = wrongType(read, 'audit');
      // Her opened ballot is held as a cast vote: casting from here would meet the revote limit, or worse.
      if (audit.alarm !== null) this.stopped = true;
      this.pendingAudit = null;
    } catch (e) {
      audit.error = e;
    } finally {
      audit.posting = false;
    }
  }

  /**
   * Casts the sealed ballot; on an error the ballot stays sealed for a retry. Once the board accepts
   * it (201) it is cast, whatever its receipt says: only a receipt that verifies is kept, made of what
   * this device checked (its own tracker, the signed height, this poll), never of the server's word.
   */
  async castBallot(): Promise<void> {
    const info = this.info;
    const made = this.made;
    if (info === null || made === null || !this.mayGoOn()) return;
    this.cast = { tracker: null, receipt: null, alarm: null, sent: null, saved: false, error: null, at: 0 };
    this.step = 'casting';
    const visit = this.visit;
    let sent: unknown;
    try {
      sent = await post<unknown>(`/api/polls/${this.poll}/ballots`, { ballot: toBase64(made.bytes) });
    } catch (e) {
      if (visit === this.visit) this.cast = { tracker: null, receipt: null, alarm: null, sent: null, saved: false, error: e, at: 0 };
      return;
    }
    const read = readReceipt(sent, info.logKey, made.tracker, 'ballot');
    const receipt: VerifiedReceipt | null = read?.check.kind === 'ok' ? { statement: read.check.statement, size: read.check.checkpoint.size, parts: read.parts } : null;
    const alarm = wrongType(read, 'ballot');
    if (alarm !== null) this.stopped = true;
    // Cast under the last code: its receipt is kept below, but this visit (another code now) shows nothing of it.
    const here = visit === this.visit;
    if (here) {
      this.castHere++;
      this.made = null;
    }
    let saved = false;
    if (receipt !== null) {
      const { statement, size, parts } = receipt;
      const record: SavedReceipt = {
        poll: this.poll,
        type: statement.type,
        height: statement.height,
        tracker: toHex(made.tracker),
        entryHash: toHex(statement.entryHash),
        receipt: parts.receipt,
        checkpoint: parts.checkpoint,
        size,
        path: parts.path.map(toHex),
        title: [...info.manifest.title],
        languages: [...info.manifest.languages],
        savedAt: Date.now(),
      };
      saved = saveReceipt(record);
    }
    if (!here) return;
    this.cast = { tracker: made.tracker, receipt, alarm, sent, saved, error: null, at: Date.now() };
    this.step = 'cast';
  }

  /** The check link of a tracker: `<origin>/poll/<id>/check?tracker=<tracker text>`. */
  checkLink(tracker: Uint8Array): string {
    return checkLinkOf(location.origin, this.poll, trackerText(tracker));
  }
}

/**
 * B.3.11 on this device: the server's answer to a cast or an audit carries a receipt the poll's log
 * signed for this tracker and this type, with a signed checkpoint and a proof that includes it; read by
 * classifyReceipt. Null when the answer is malformed (the board's answer is not trusted to be well formed either).
 */
function readReceipt(sent: unknown, logKey: VerifierKey, tracker: Uint8Array, type: ReceiptEntryType): { parts: ReceiptParts; check: ReceiptAlarm } | null {
  const view = sent as Partial<Record<keyof ReceiptView, unknown>> | null;
  if (typeof view !== 'object' || view === null) return null;
  const { receipt, checkpoint, path } = view;
  if (typeof receipt !== 'string' || typeof checkpoint !== 'string' || !Array.isArray(path)) return null;
  if (!path.every((p) => typeof p === 'string' && /^[0-9a-f]{64}$/.test(p))) return null;
  const parts: ReceiptParts = { receipt, checkpoint, path: path.map((p: string) => fromHex(p, 'path')) };
  return { parts, check: classifyReceipt(parts, logKey, tracker, type) };
}

/** The alarm's evidence when the log signed another type than `asked`. */
function wrongType(read: { parts: ReceiptParts; check: ReceiptAlarm } | null, asked: ReceiptEntryType): WrongType | null {
  if (read === null || read.check.kind !== 'wrong-type') return null;
  return { asked, statement: read.check.statement, anchored: read.check.checkpoint !== null, parts: read.parts };
}

/** §Q.9.2 on this device: the ballot's bytes decode and the opening re-encrypts to every slot. */
function opensTo(info: PollInfo, bytes: Uint8Array, opening: BallotOpening): boolean {
  try {
    return checkOpening(decodeBallot(bytes, info.shapes), opening, info.shapes, jointKeyOf(info));
  } catch {
    return false;
  }
}
