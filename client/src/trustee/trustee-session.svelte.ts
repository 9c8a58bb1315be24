/**
 * The trustee console's state: who the link is for, the board as her browser replayed it, and her
 * turn in the ceremony. It follows the board live (board:entry) and, when the board opens a step
 * for her, does her part at once (steps 1–5) or waits for her key file (step 6). Three trustees in
 * three browsers can so run the whole ceremony without anyone clicking at the same moment.
 * After every read of the board, the worker compares her messages on it with the ones this tab
 * posted (verifier checkOwnMessages); a discrepancy is an alarm, and from then on this tab posts
 * nothing more in the ceremony.
 */
import { bytesEqual } from '../../../crypto/index.ts';
import { compareFingerprint, type Discrepancy, type FingerprintComparison, type GateCheckpoint, type PostedMessage } from '../../../verifier/index.ts';
import { ApiError, fromBase64, get, post, toBase64 } from '../lib/api.ts';
import { watchPoll } from '../lib/live.ts';
import { linkToken, loadPosted, loadSecrets, rememberReview, reviewSaid, storePosted, storeSecrets } from './tab-storage.ts';
import { TrusteeWorker } from './trustee-worker.ts';
import type { BoardSummary, DecryptOutcome, KeyCheck } from './worker-protocol.ts';

/** Where the page is: no link, a link the server refuses, a draft not yet published, or following the board. */
export type Stage = 'starting' | 'no-link' | 'bad-link' | 'draft' | 'board';

/** Her part in the ceremony right now. */
export type Turn = 'idle' | 'working' | 'key-file' | 'lost' | 'left-out' | 'alarm';

interface Who {
  readonly trustee: number;
  readonly name: string;
  readonly status: string;
  /** the draft's (or manifest's) languages and title: the server's word, shown only until the board is replayed */
  readonly languages: readonly string[];
  readonly title: readonly string[];
}

/** GET /api/polls/:poll/checkpoint, the parts the gate reads (the server's word: each note is checked). */
interface LatestCheckpoint {
  readonly checkpoint: string | null;
  readonly cosignatures: readonly { readonly witness: string; readonly size: number; readonly cosigned: string }[];
}

interface EntriesPage {
  readonly size: number;
  readonly entries: readonly { readonly bytes: string }[];
}

const DRAFT_POLL_MS = 4000;
/** A slow look at the board besides the live feed, in case a socket event was missed. */
const BACKSTOP_MS = 10_000;

export class TrusteeSession {
  stage = $state<Stage>('starting');
  me = $state<{ index: number; name: string } | null>(null);
  /** the poll's title as the server names it, for the page before publication (after it, the board's) */
  named = $state<{ languages: readonly string[]; title: readonly string[] } | null>(null);
  board = $state<BoardSummary | null>(null);
  /** progress of the first replay of the board (0 … 1), null when not loading */
  loading = $state<number | null>(null);
  turn = $state<Turn>('idle');
  /** the step her browser is posting for, while turn is 'working' */
  workingStep = $state(0);
  error = $state<unknown>(null);
  /** the ceremony run in which this tab has said "review done" (step 5), 0 if none */
  reviewedRun = $state(0);
  /** what the board holds, or lacks, under her index that this tab did not do; null while it agrees */
  alarm = $state<readonly Discrepancy[] | null>(null);
  /** the poll fingerprint she typed (from the notice); '' when none */
  held = $state('');

  private readonly worker = new TrusteeWorker();
  private token: string | null = null;
  private syncing = false;
  private again = false;
  private stopped = false;
  private timers: ReturnType<typeof setInterval>[] = [];
  private unwatch: (() => void) | null = null;
  /** every ceremony message this tab posted, as sent (kept in the tab's sessionStorage) */
  private posted: PostedMessage[] = [];

  constructor(readonly poll: string) {}

  /** Reads the link and starts following the poll; returns the function that stops everything. */
  start(): () => void {
    this.token = linkToken(this.poll);
    if (this.token === null) this.stage = 'no-link';
    else void this.whoAmI();
    return () => this.stop();
  }

  private stop(): void {
    this.stopped = true;
    for (const t of this.timers) clearInterval(t);
    this.unwatch?.();
    this.worker.stop();
  }

  private get auth() {
    return { token: this.token ?? '' };
  }

  private async whoAmI(): Promise<void> {
    try {
      const who = await get<Who>(`/api/polls/${this.poll}/trustee`, this.auth);
      this.me = { index: who.trustee, name: who.name };
      this.named = { languages: who.languages ?? [], title: who.title ?? [] };
      this.error = null;
      if (who.status === 'draft') {
        if (this.stage !== 'draft') {
          this.stage = 'draft';
          this.timers.push(setInterval(() => void this.whoAmI(), DRAFT_POLL_MS));
        }
        return;
      }
      for (const t of this.timers) clearInterval(t);
      this.timers = [];
      if (this.stage !== 'board') await this.follow();
    } catch (e) {
      if (e instanceof ApiError && (e.code === 'BAD_TRUSTEE_TOKEN' || e.code === 'NOT_FOUND')) {
        this.stage = 'bad-link';
        for (const t of this.timers) clearInterval(t);
        this.timers = [];
      } else this.error = e;
    }
  }

  private async follow(): Promise<void> {
    this.stage = 'board';
    this.posted = loadPosted(this.poll, this.me!.index);
    await this.worker.ask({ op: 'restore', saved: loadSecrets(this.poll, this.me!.index) });
    if (this.stopped) return;
    this.unwatch = watchPoll(this.poll, { 'board:entry': () => void this.sync() });
    this.timers.push(setInterval(() => void this.sync(), BACKSTOP_MS));
    await this.sync();
  }

  /** After an error: asks the server again who the link is for, or reads the board again. */
  retry(): void {
    if (this.stage === 'board') void this.sync();
    else void this.whoAmI();
  }

  /** Reads the board's new entries, replays them, and does her part if a step is hers. Calls made meanwhile run once more after. */
  async sync(): Promise<void> {
    if (this.syncing) {
      this.again = true;
      return;
    }
    this.syncing = true;
    try {
      do {
        this.again = false;
        await this.pull();
        await this.checkMine();
        if (this.alarm === null) await this.act();
      } while (this.again && !this.stopped);
      this.error = null;
    } catch (e) {
      if (!this.stopped) this.error = e;
    } finally {
      this.syncing = false;
    }
  }

  private async pull(): Promise<void> {
    const first = this.board === null;
    for (;;) {
      const from = this.board?.height ?? 0;
      const page = await get<EntriesPage>(`/api/polls/${this.poll}/entries?from=${from}&limit=200`);
      if (page.entries.length === 0) break;
      const count = page.entries.length;
      if (first) this.loading = from / page.size;
      const progress = first ? (f: number) => (this.loading = (from + f * count) / page.size) : undefined;
      try {
        this.board = await this.worker.ask({ op: 'apply', entries: page.entries.map((e) => fromBase64(e.bytes)) }, progress);
      } catch (e) {
        this.board = null; // the worker starts over from the first entry
        throw e;
      }
      if (this.board.height >= page.size) break;
    }
    this.loading = null;
  }

  /** Her messages on the board against the ones this tab posted; a discrepancy raises the alarm for good. */
  private async checkMine(): Promise<void> {
    if (this.board === null || this.me === null) return;
    const verdict = await this.worker.ask({ op: 'check-mine', index: this.me.index, posted: this.posted });
    if (!verdict.ok) this.raise(verdict.discrepancies);
  }

  private raise(discrepancies: readonly Discrepancy[]): void {
    this.alarm = discrepancies;
    this.turn = 'alarm';
  }

  private async act(): Promise<void> {
    const b = this.board;
    const me = this.me;
    if (b === null || me === null || b.phase !== 'ceremony') {
      this.turn = 'idle';
      return;
    }
    if (reviewSaid(this.poll, me.index, b.run)) this.reviewedRun = b.run;
    const action = await this.worker.ask({ op: 'act', index: me.index, posted: this.posted });
    if (action.kind === 'alarm') {
      this.raise(action.discrepancies);
      return;
    }
    if (action.kind === 'none' || action.kind === 'lost' || action.kind === 'left-out') {
      this.turn = action.kind === 'none' ? 'idle' : action.kind;
      return;
    }
    // Kept before the secrets and before sending: a message that reaches the board is always known as hers.
    if (action.kind === 'post') this.remember(action.messages);
    storeSecrets(this.poll, action.saved);
    if (action.kind === 'key-file') {
      this.turn = 'key-file';
      return;
    }
    if (action.step === 5 && action.messages.length === 0 && reviewSaid(this.poll, me.index, b.run)) {
      this.turn = 'idle';
      return;
    }
    this.turn = 'working';
    this.workingStep = action.step;
    try {
      for (const m of action.messages) await this.postCeremonyMessage(m);
      if (action.reviewDone) {
        await post(`/api/polls/${this.poll}/trustee/review-done`, undefined, this.auth);
        rememberReview(this.poll, me.index, b.run);
        this.reviewedRun = b.run;
      }
    } finally {
      this.turn = 'idle';
    }
    this.again = true; // read her own entry back before deciding anything else
  }

  private async postMessage(bytes: Uint8Array): Promise<void> {
    await post(`/api/polls/${this.poll}/trustee/messages`, { message: toBase64(bytes) }, this.auth);
  }

  /** Adds ceremony messages about to be sent to what this tab posted (once each), and keeps the list. */
  private remember(messages: readonly Uint8Array[]): void {
    for (const bytes of messages) if (!this.posted.some((p) => bytesEqual(p.bytes, bytes))) this.posted.push({ bytes, taken: false });
    storePosted(this.poll, this.me!.index, this.posted);
  }

  /** Posts a ceremony message kept by remember(); once the server answers 201, it has taken it onto the board. */
  private async postCeremonyMessage(bytes: Uint8Array): Promise<void> {
    this.remember([bytes]);
    await this.postMessage(bytes);
    this.posted = this.posted.map((p) => (bytesEqual(p.bytes, bytes) ? { bytes: p.bytes, taken: true } : p));
    storePosted(this.poll, this.me!.index, this.posted);
  }

  /** Step 6: her key file, encrypted with her passphrase (scrypt in the worker; `progress` 0 … 1). */
  makeKeyFile(passphrase: string, progress: (fraction: number) => void): Promise<Uint8Array> {
    return this.worker.ask({ op: 'make-key-file', passphrase }, progress);
  }

  /** Step 6, after she has saved her key file: signs the ceremony's outcome and posts it. */
  async sign(): Promise<void> {
    const bytes = await this.worker.ask({ op: 'sign', index: this.me!.index, posted: this.posted });
    await this.postCeremonyMessage(bytes);
    this.turn = 'idle';
    await this.sync();
  }

  /** "Check my key": opens the file and compares it with the board. */
  checkKey(file: Uint8Array, passphrase: string, progress: (fraction: number) => void): Promise<KeyCheck> {
    return this.worker.ask({ op: 'check-key', file, passphrase, index: this.me!.index }, progress);
  }

  /** B.1.5.1 the fingerprint she typed against the manifest her browser replayed; null when she typed none. */
  get fingerprintCheck(): FingerprintComparison | null {
    const bytes = this.board?.manifestBytes ?? null;
    if (bytes === null || this.held.trim() === '') return null;
    return compareFingerprint(this.held, bytes);
  }

  /**
   * Opens the file and asks the worker to decrypt: it checks the fingerprint she holds, the key, and
   * the gate of §B.8 item 4 on the board it replayed and the checkpoints read now. Only a 'decrypted'
   * outcome posts anything (her decryption shares). `compared` is the checkpoint the trustees compared
   * aloud (k = 0), given with `file` null to use the key the worker opened for that comparison.
   */
  async decrypt(key: { file: Uint8Array; passphrase: string } | null, compared: GateCheckpoint | null, progress?: (fraction: number) => void): Promise<DecryptOutcome> {
    await this.sync();
    const notes = await this.checkpointNotes();
    const outcome = await this.worker.ask({ op: 'decrypt', key, index: this.me!.index, notes, held: this.held, compared }, progress);
    if (outcome.kind === 'decrypted') {
      await this.postMessage(outcome.message);
      await this.sync();
    }
    return outcome;
  }

  /**
   * The signed checkpoints the server offers: the latest, each witness's cosigned note, and the board's
   * checkpoint at every size the cosignatures name and at the height her browser replayed (so that a
   * newer latest one does not leave her without a checkpoint of her own replay).
   */
  private async checkpointNotes(): Promise<string[]> {
    const latest = await get<LatestCheckpoint>(`/api/polls/${this.poll}/checkpoint`);
    const notes: string[] = [];
    if (latest.checkpoint !== null) notes.push(latest.checkpoint);
    for (const c of latest.cosignatures) notes.push(c.cosigned);
    const sizes = new Set(latest.cosignatures.map((c) => c.size));
    if (this.board !== null && this.board.height > 0) sizes.add(this.board.height);
    for (const size of sizes) {
      try {
        notes.push((await get<{ checkpoint: string }>(`/api/polls/${this.poll}/checkpoints/${size}`)).checkpoint);
      } catch (e) {
        if (!(e instanceof ApiError && e.code === 'NOT_FOUND')) throw e; // no checkpoint of that size: the gate decides without it
      }
    }
    return notes;
  }
}
