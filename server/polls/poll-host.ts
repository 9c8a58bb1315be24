/**
 * One poll on the server: its draft until it is published, then its board. Every write goes
 * through the board's rules (spec §B.4); the server adds only what it may: step and key entries
 * that close ceremony steps, open and close on schedule or by hand, the tally and the result it
 * recomputes from the board. It never holds a trustee's or a voter's secret.
 */
import { randomBytes } from 'node:crypto';
import type { Database } from 'better-sqlite3';
import type { Logger } from 'pino';
import { ballotTracker, bytesEqual, decodeTrusteeMessage, decryptTally, DecodeError, type Point, type RandomSource } from '../../crypto/index.ts';
import {
  Board,
  ceremonyKey,
  computeTally,
  decodeEntry,
  encodeCeremony,
  encodeCredentials,
  encodeRevoke,
  encodeKey,
  encodeManifest,
  encodeExtend,
  encodeResult,
  encodeStep,
  encodeTally,
  signReceipt,
  signerKeyFromSeed,
  encodeVerifierKey,
  verifierKeyOf,
  totalBound,
  type Appended,
  type BallotChecker,
  type DecodedEntry,
  type EntryTypeName,
  type ListedCredential,
  type Phase,
  type NoteSigner,
  type SignerKey,
} from '../../bulletin-board/index.ts';
import { SqliteStorage } from '../../bulletin-board/store/index.ts';
import { ApiError } from '../api/errors.ts';
import { boardTablePrefix } from '../store/server-database.ts';
import { stepProgress } from './ceremony-relay.ts';
import { nativeNoteSigner } from './native-signer.ts';
import { draftManifest, type Draft } from './draft.ts';
import { createHash } from 'node:crypto';
import { trusteeFingerprint, type ReceiptView } from '../../verifier/index.ts';

export type PollStatus = 'draft' | Exclude<Phase, 'empty'>;

/**
 * The statuses in which a poll is finished for residents, and may be hidden from the front page: from
 * the close on (B.4.6.6), the board takes no ballot, so no resident needs the list to reach the booth;
 * the trustees reach the tally through their own links, and everyone else through the poll's address.
 */
export const FINISHED: readonly PollStatus[] = ['closed', 'tallied', 'done'];

/** B.4.2 the status an accepted entry of each type moves the poll to (other types keep it). */
const STATUS_AFTER: Partial<Record<EntryTypeName, PollStatus>> = { manifest: 'setup', ceremony: 'ceremony', key: 'ready', open: 'open', close: 'closed', tally: 'tallied', result: 'done' };

/** What a poll tells the live feed. */
export interface PollEvents {
  entry(poll: PollHost, appended: Appended & { entry: DecodedEntry }): void;
  checkpoint(poll: PollHost, size: number, note: string): void;
  turnout(poll: PollHost, turnout: Turnout): void;
  phase(poll: PollHost, status: PollStatus): void;
}

export interface Turnout {
  /** ballots accepted, revotes included */
  readonly ballots: number;
  /** credentials that have cast at least one ballot */
  readonly voters: number;
  readonly audits: number;
  /** credentials listed */
  readonly listed: number;
}

/** A cast receipt as the API returns it (spec §B.3.11). */
export type { ReceiptView };

export interface PollContext {
  readonly db: Database;
  readonly clock: () => number;
  readonly rng: RandomSource;
  readonly log: Logger;
  readonly events: PollEvents;
  /** checks ballots' proofs on worker threads; without it, on the main thread */
  readonly ballotChecker?: BallotChecker;
}

const sha256 = (b: Uint8Array | string): Buffer => createHash('sha256').update(b).digest();
const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

interface PollRow {
  id: string;
  organiser: number;
  draft: string;
  published: number;
  log_seed: Buffer;
  created: number;
  /** 1: the organiser took this finished poll off the front page (layout 2) */
  hidden: number;
}

export class PollHost {
  readonly hex: string;
  readonly id: Uint8Array;
  readonly organiser: number;
  readonly created: number;
  private draftValue: Draft;
  private originValue: string;
  private boardValue: Board | null = null;
  private logKeyValue: SignerKey;
  private readonly signer: NoteSigner;
  /** control actions (steps, key, open, close, tally, result) run one at a time */
  private control: Promise<unknown> = Promise.resolve();
  private timers: NodeJS.Timeout[] = [];
  private lastCheckpointSize = 0;
  private turnoutChanged = false;
  private lastStatus: PollStatus;
  private hiddenValue: boolean;
  /** the draft was deleted: nothing more is written for it */
  private deleted = false;

  private constructor(
    private readonly ctx: PollContext,
    row: PollRow,
    logSeed: Uint8Array,
  ) {
    this.hex = row.id;
    this.id = new Uint8Array(Buffer.from(row.id, 'hex'));
    this.organiser = row.organiser;
    this.created = row.created;
    const stored = JSON.parse(row.draft) as { origin: string; draft: Draft };
    this.draftValue = stored.draft;
    this.originValue = stored.origin;
    this.logKeyValue = signerKeyFromSeed(this.originValue, logSeed);
    this.signer = nativeNoteSigner(this.logKeyValue);
    this.lastStatus = 'draft';
    this.hiddenValue = row.hidden === 1;
  }

  /** Creates a draft poll. `host` names the server in the poll's origin (`<host>/poll/<hex>`). */
  static create(ctx: PollContext, organiser: number, draft: Draft, host: string): PollHost {
    const id = new Uint8Array(randomBytes(16));
    const idHex = hex(id);
    const origin = `${host}/poll/${idHex}`;
    const seed = new Uint8Array(randomBytes(32));
    draftManifest(draft, id, origin, encodeVerifierKey(verifierKeyOf(signerKeyFromSeed(origin, seed)))); // refuses a draft the manifest rules refuse
    const now = ctx.clock();
    const row: PollRow = { id: idHex, organiser, draft: JSON.stringify({ origin, draft }), published: 0, log_seed: Buffer.from(seed), created: now, hidden: 0 };
    ctx.db.prepare('INSERT INTO polls (id, organiser, draft, published, log_seed, created, updated) VALUES (?, ?, ?, 0, ?, ?, ?)').run(row.id, organiser, row.draft, row.log_seed, now, now);
    return new PollHost(ctx, row, seed);
  }

  /** Loads a stored poll; a published poll's board is opened and re-verified (§B.5.2). */
  static async load(ctx: PollContext, row: PollRow): Promise<PollHost> {
    const host = new PollHost(ctx, row, new Uint8Array(row.log_seed));
    if (row.published) await host.openBoard();
    return host;
  }

  get draft(): Draft {
    return this.draftValue;
  }

  get origin(): string {
    return this.originValue;
  }

  get board(): Board | null {
    return this.boardValue;
  }

  get logKey(): SignerKey {
    return this.logKeyValue;
  }

  /** Whether the organiser took this finished poll off the front page. */
  get hidden(): boolean {
    return this.hiddenValue;
  }

  status(): PollStatus {
    const phase = this.boardValue?.state.phase;
    return phase === undefined || phase === 'empty' ? 'draft' : phase;
  }

  /** The board, or WRONG_STATE while the poll is a draft. */
  requireBoard(): Board {
    if (this.boardValue === null) throw new ApiError('WRONG_STATE', 'the poll is still a draft: it has no board yet');
    return this.boardValue;
  }

  turnout(): Turnout {
    const state = this.boardValue?.state;
    if (!state) return { ballots: 0, voters: 0, audits: 0, listed: 0 };
    let voters = 0;
    for (const c of state.credentials.values()) if (c.ballots > 0) voters += 1;
    return { ballots: state.ballots, voters, audits: state.audits, listed: state.credentials.size };
  }

  // ---------------------------------------------------------------------------------------------
  // Organiser

  updateDraft(draft: Draft): void {
    if (this.status() !== 'draft') throw new ApiError('WRONG_STATE', 'the poll is published: its manifest can no longer change');
    // A registrar of her own gives her key through her link: a draft that does not name one keeps it.
    if (draft.registrar === undefined && this.draftValue.registrar !== undefined) draft = { ...draft, registrar: this.draftValue.registrar };
    draftManifest(draft, this.id, this.originValue, this.logKeyText);
    this.ctx.db.transaction(() => {
      this.ctx.db.prepare('UPDATE polls SET draft = ?, updated = ? WHERE id = ?').run(JSON.stringify({ origin: this.originValue, draft }), this.ctx.clock(), this.hex);
      this.ctx.db.prepare('DELETE FROM invites WHERE poll = ? AND trustee > ?').run(this.hex, draft.trustees.n); // no link for a trustee who is gone
    })();
    this.draftValue = draft;
  }

  /**
   * Deletes a draft and everything that exists for it alone: its trustee and registrar links, and any
   * ceremony, witness or cosignature rows (none are made before publication; deleted all the same).
   * Refuses with POLL_PUBLISHED once publication has begun (the board exists): a record is never
   * deleted. Runs after any control action in flight, so a publish under way is never cut short.
   */
  async deleteDraft(): Promise<void> {
    await this.serially(async () => {
      if (this.boardValue !== null) throw new ApiError('POLL_PUBLISHED', 'the poll is published: its record is kept for good and cannot be deleted (hide it from the front page once it is finished)');
      if (this.deleted) throw new ApiError('NOT_FOUND', 'there is no poll with this id');
      this.ctx.db.transaction(() => {
        for (const table of ['invites', 'ceremony_done', 'witness_keys', 'cosignatures']) this.ctx.db.prepare(`DELETE FROM ${table} WHERE poll = ?`).run(this.hex);
        this.ctx.db.prepare('DELETE FROM polls WHERE id = ? AND published = 0').run(this.hex);
      })();
      this.deleted = true;
    });
  }

  /** Hides the poll from the front page, or shows it again. Hiding needs a finished poll (FINISHED), else POLL_NOT_FINISHED. */
  setHidden(hidden: boolean): void {
    if (hidden && !FINISHED.includes(this.status())) throw new ApiError('POLL_NOT_FINISHED', `only a finished poll (closed, counted or with its result) can be hidden, and this one is ${this.status()}`);
    // `updated` stays: it marks changes of the poll itself, which `gongshi restore` will not roll back unasked.
    this.ctx.db.prepare('UPDATE polls SET hidden = ? WHERE id = ?').run(hidden ? 1 : 0, this.hex);
    this.hiddenValue = hidden;
  }

  /** New secret links for every trustee; earlier links stop working. Returns index → token. */
  invite(): { trustee: number; name: string; token: string }[] {
    if (['tallied', 'done'].includes(this.status())) throw new ApiError('WRONG_STATE', 'the poll is counted: trustees have nothing left to do');
    const tokens = this.draftValue.trustees.names.map((name, i) => ({ trustee: i + 1, name, token: randomBytes(32).toString('base64url') }));
    this.ctx.db.transaction(() => {
      this.ctx.db.prepare('DELETE FROM invites WHERE poll = ? AND trustee > 0').run(this.hex); // 0 is the registrar's link
      const put = this.ctx.db.prepare('INSERT INTO invites (poll, trustee, token_hash) VALUES (?, ?, ?)');
      for (const t of tokens) put.run(this.hex, t.trustee, sha256(t.token));
    })();
    return tokens;
  }

  /** A new secret link for a registrar of her own (invite row 0); an earlier one stops working. */
  inviteRegistrar(): string {
    if (this.status() !== 'draft') throw new ApiError('WRONG_STATE', 'the poll is published: its registrar is fixed in the manifest');
    const token = randomBytes(32).toString('base64url');
    this.ctx.db.transaction(() => {
      this.ctx.db.prepare('DELETE FROM invites WHERE poll = ? AND trustee = 0').run(this.hex);
      this.ctx.db.prepare('INSERT INTO invites (poll, trustee, token_hash) VALUES (?, 0, ?)').run(this.hex, sha256(token));
    })();
    return token;
  }

  /** Whether a secret link is this poll's registrar link; BAD_REGISTRAR_TOKEN otherwise. */
  requireRegistrar(token: string): void {
    const row = this.ctx.db.prepare('SELECT trustee FROM invites WHERE poll = ? AND token_hash = ? AND trustee = 0').get(this.hex, sha256(token));
    if (row === undefined) throw new ApiError('BAD_REGISTRAR_TOKEN', 'this registrar link is not valid for this poll (it may have been replaced)');
  }

  /** The registrar of her own names her key (before publication only). */
  setRegistrar(name: string, key: string): void {
    if (this.status() !== 'draft') throw new ApiError('WRONG_STATE', 'the poll is published: its registrar is fixed in the manifest');
    this.updateDraft({ ...this.draftValue, registrar: { name, key, isOrganiser: false } });
  }

  /** The log's verifier key string, as the manifest names it. */
  get logKeyText(): string {
    return encodeVerifierKey(verifierKeyOf(this.logKeyValue));
  }

  /** The trustee index a secret link stands for; BAD_TRUSTEE_TOKEN otherwise. */
  trusteeOf(token: string): number {
    const row = this.ctx.db.prepare('SELECT trustee FROM invites WHERE poll = ? AND token_hash = ? AND trustee > 0').get(this.hex, sha256(token)) as { trustee: number } | undefined;
    if (row === undefined) throw new ApiError('BAD_TRUSTEE_TOKEN', 'this trustee link is not valid for this poll (it may have been replaced)');
    return row.trustee;
  }

  /** Puts the manifest on a new board and starts the first ceremony run. */
  async publish(): Promise<void> {
    if (this.status() !== 'draft') throw new ApiError('WRONG_STATE', 'the poll is already published');
    const manifest = draftManifest(this.draftValue, this.id, this.originValue, this.logKeyText, true);
    return this.serially(async () => {
      if (this.deleted) throw new ApiError('NOT_FOUND', 'there is no poll with this id'); // deleted while this waited its turn
      // Marked first: a crash before the manifest is written leaves an empty board, still a draft.
      this.ctx.db.prepare('UPDATE polls SET published = 1, updated = ? WHERE id = ?').run(this.ctx.clock(), this.hex);
      if (this.boardValue === null) await this.openBoard();
      await this.append('manifest', encodeManifest(manifest));
      await this.append('ceremony', encodeCeremony(1));
    });
  }

  /**
   * One credentials entry, signed by the registrar (B.1.6.1): all of `list` is listed, or none of it
   * (at most CREDENTIAL_LIMITS.perEntry). The rules check the signature against the manifest.
   */
  async uploadCredentials(list: readonly ListedCredential[], signature: Uint8Array): Promise<{ height: number; listed: number }> {
    this.requireBoard();
    const appended = await this.append('credentials', encodeCredentials(list, signature));
    await this.serially(() => this.openIfDue()); // the opening time may have passed while no one was listed
    return { height: appended.height, listed: this.boardValue!.state.credentials.size };
  }

  /**
   * One revoke entry, signed by the registrar (B.1.6.10): every credential of `keys` is revoked, or
   * none (a credential that has cast cannot be, B.4.6.8). The rules check the signature.
   */
  async revokeCredentials(keys: readonly Point[], signature: Uint8Array): Promise<{ height: number; listed: number }> {
    this.requireBoard();
    const appended = await this.append('revoke', encodeRevoke(keys, signature));
    return { height: appended.height, listed: this.boardValue!.state.credentials.size };
  }

  /** Starts a new ceremony run (the last one failed or stalled). */
  async restartCeremony(): Promise<number> {
    const board = this.requireBoard();
    return this.serially(async () => {
      const run = (board.state.ceremony?.run ?? 0) + 1;
      await this.append('ceremony', encodeCeremony(run));
      return run;
    });
  }

  /** The organiser's deadline: closes the open ceremony step now, whoever has not spoken. */
  async advanceCeremony(): Promise<void> {
    const board = this.requireBoard();
    await this.serially(async () => {
      const c = board.state.ceremony;
      if (c === null || board.state.phase !== 'ceremony') throw new ApiError('WRONG_PHASE', 'no ceremony is running');
      await this.closeStep();
    });
  }

  async open(): Promise<void> {
    this.requireBoard();
    await this.serially(() => this.append('open', new Uint8Array(0)));
  }

  async close(): Promise<void> {
    this.requireBoard();
    await this.serially(() => this.append('close', new Uint8Array(0)));
  }

  /** B.4.6.7 moves the closing time later, as the manifest allows, and re-arms the closing timer. */
  async extend(closesAt: number): Promise<void> {
    this.requireBoard();
    await this.serially(() => this.append('extend', encodeExtend(closesAt)));
    this.schedule();
  }

  /** The closing time in force: the manifest's, or the last extension's (B.4.6.7); 0 = by hand. */
  closesAt(): number {
    return this.boardValue?.state.manifest ? this.boardValue.state.closesAt : this.draftValue.closesAt;
  }

  /** Appends the encrypted tally the server recomputes from the board (§B.4.7.1). */
  async tally(): Promise<void> {
    const board = this.requireBoard();
    await this.serially(async () => {
      if (board.state.phase !== 'closed') throw new ApiError('WRONG_PHASE', `the tally comes after the close, and the poll is ${board.state.phase}`);
      await this.append('tally', encodeTally(computeTally(board.state)));
    });
  }

  // ---------------------------------------------------------------------------------------------
  // Trustees

  /** A trustee's signed message: ceremony messages become `trustee` entries, decryption shares `decryption` entries. */
  async postTrusteeMessage(index: number, bytes: Uint8Array): Promise<Appended> {
    this.requireBoard();
    let kind: string;
    let sender: number;
    try {
      const m = decodeTrusteeMessage(bytes);
      kind = m.kind;
      sender = m.index;
    } catch (e) {
      if (e instanceof DecodeError) throw new ApiError('MALFORMED', `the trustee message: ${e.message}`, { field: `message.${e.field}` });
      throw e;
    }
    if (sender !== index) throw new ApiError('NOT_YOUR_INDEX', `this link is for trustee ${index}; the message is signed as trustee ${sender}`);
    const appended = await this.append(kind === 'decryption' ? 'decryption' : 'trustee', bytes);
    // Move on when this message completed a step or the decryption; never fail the trustee's post for it.
    void this.serially(() => (kind === 'decryption' ? this.resultIfReady() : this.stepIfComplete())).catch((e) => this.ctx.log.warn({ poll: this.hex, err: String(e) }, 'could not move the poll on'));
    return appended;
  }

  /** Step 5: the trustee has reviewed her shares and made every complaint she had. */
  async reviewDone(index: number): Promise<void> {
    const board = this.requireBoard();
    const c = board.state.ceremony;
    if (c === null || board.state.phase !== 'ceremony' || c.step !== 5) throw new ApiError('WRONG_PHASE', 'the review step (5) is not open');
    this.ctx.db.prepare('INSERT OR IGNORE INTO ceremony_done (poll, run, step, trustee) VALUES (?, ?, 5, ?)').run(this.hex, c.run, index);
    await this.serially(() => this.stepIfComplete());
  }

  /** Where the ceremony stands: run, open step, who is expected and who has spoken. */
  async ceremonyProgress(): Promise<{ run: number; step: number; expected: number[]; spoken: number[]; fingerprints: (string | null)[] }> {
    const board = this.requireBoard();
    const c = board.state.ceremony;
    const run = c?.run ?? 0;
    const progress = await stepProgress(board.state, this.reviewed(run));
    // Each trustee's key fingerprint in this run, for the organiser to compare with what the trustees read aloud.
    const fingerprints = c
      ? Array.from({ length: c.params.n }, (_, k) => {
          const identity = c.record.identities.find((m) => m.index === k + 1);
          return identity ? trusteeFingerprint(identity.signingKey) : null;
        })
      : [];
    return { run, ...progress, fingerprints };
  }

  private reviewed(run: number): Set<number> {
    const rows = this.ctx.db.prepare('SELECT trustee FROM ceremony_done WHERE poll = ? AND run = ? AND step = 5').all(this.hex, run) as { trustee: number }[];
    return new Set(rows.map((r) => r.trustee));
  }

  private async stepIfComplete(): Promise<void> {
    const board = this.boardValue!;
    if (board.state.phase !== 'ceremony' || board.state.ceremony === null) return;
    const p = await stepProgress(board.state, this.reviewed(board.state.ceremony.run));
    if (p.expected.length > 0 && p.spoken.length === p.expected.length) await this.closeStep();
  }

  /** Appends the next step entry, or after step 6 the key entry (and opens the poll if it is due). */
  private async closeStep(): Promise<void> {
    const board = this.boardValue!;
    const c = board.state.ceremony!;
    if (c.step < 6) {
      await this.append('step', encodeStep(c.run, c.step + 1));
      return;
    }
    const key = await ceremonyKey(board.state);
    if ('ok' in key) throw new ApiError(key.code, `the ceremony gave no key: ${key.reason}`);
    await this.append('key', encodeKey(key.key));
    await this.openIfDue();
  }

  private async resultIfReady(): Promise<void> {
    const state = this.boardValue!.state;
    const e = state.election;
    if (state.phase !== 'tallied' || e === null || state.tally === null || state.decryptions.size < e.t) return;
    const decrypted = decryptTally({
      fingerprint: e.fingerprint,
      t: e.t,
      ciphertexts: state.tally.ciphertexts,
      verificationKeys: e.verificationKeys,
      signingKeys: e.signingKeys,
      messages: [...state.decryptions.values()],
      bound: totalBound(state),
      rng: this.ctx.rng,
    });
    if (decrypted.result === null) throw new Error(`bug: the board's valid decryption shares do not decrypt: ${decrypted.failure}`);
    await this.append('result', encodeResult(decrypted.result));
  }

  // ---------------------------------------------------------------------------------------------
  // Schedule

  /** Sets timers for the manifest's opening and closing times (the server clock is the board's). */
  schedule(): void {
    this.unschedule();
    const { opensAt } = this.draftValue;
    const closesAt = this.closesAt();
    const at = (time: number, act: () => Promise<void>) => {
      if (time === 0) return;
      const wait = Math.max(0, time - this.ctx.clock());
      // setTimeout holds at most 2^31−1 ms; a later time is re-armed when that fires.
      const timer = setTimeout(() => (wait > 0x7fffffff ? this.schedule() : void act().catch((e) => this.ctx.log.warn({ poll: this.hex, err: String(e) }, 'scheduled step failed'))), Math.min(wait + 5, 0x7fffffff));
      timer.unref();
      this.timers.push(timer);
    };
    at(opensAt, () => this.serially(() => this.openIfDue()));
    at(closesAt, () => this.serially(() => this.closeIfDue()));
  }

  unschedule(): void {
    for (const t of this.timers) clearTimeout(t);
    this.timers = [];
  }

  private async openIfDue(): Promise<void> {
    const board = this.boardValue;
    const { opensAt } = this.draftValue;
    const closesAt = this.closesAt();
    if (board === null || board.state.phase !== 'ready' || opensAt === 0 || this.ctx.clock() < opensAt || (closesAt !== 0 && this.ctx.clock() > closesAt)) return;
    if (board.state.credentials.size === 0) return;
    await this.append('open', new Uint8Array(0));
  }

  private async closeIfDue(): Promise<void> {
    const board = this.boardValue;
    const closesAt = this.closesAt();
    if (board === null || board.state.phase !== 'open' || closesAt === 0 || this.ctx.clock() < closesAt) return;
    await this.append('close', new Uint8Array(0));
  }

  // ---------------------------------------------------------------------------------------------
  // Voters

  /**
   * Casts a ballot (or posts an audit): the rules judge it, the board appends it durably, and the
   * answer is the signed receipt. The same bytes again give the same receipt and write nothing.
   */
  async cast(type: 'ballot' | 'audit', payload: Uint8Array, ballotBytes: Uint8Array): Promise<ReceiptView> {
    const board = this.requireBoard();
    const tracker = ballotTracker(ballotBytes); // §Q.7 a hash of the bytes: defined for any bytes
    const again = this.sameEntry(type, payload, tracker);
    if (again !== null) return this.receipt(again);
    const r = await board.submit(type, payload);
    if (!r.ok) {
      // Two identical casts in one group: the second is refused as a duplicate, and is the same cast.
      const same = r.code === 'DUPLICATE_TRACKER' ? this.sameEntry(type, payload, tracker) : null;
      if (same !== null) return this.receipt(same);
      throw new ApiError(r.code, r.reason, { height: r.height, ...(r.field === undefined ? {} : { field: r.field }) });
    }
    // Built from the append itself: the entry and the checkpoint written with it are not read back.
    if (r.tracker === null) throw new Error(`bug: a ${type} was appended without a tracker`);
    return this.receiptOf(type, r.height, r.hash, r.tracker, { size: r.checkpointSize, note: r.checkpoint });
  }

  /** The height of an entry of this type with exactly this payload and tracker, or null. */
  private sameEntry(type: EntryTypeName, payload: Uint8Array, tracker: Uint8Array): number | null {
    const board = this.boardValue!;
    const height = board.findTracker(tracker);
    if (height === null) return null;
    const [stored] = board.entries(height, height + 1);
    const entry = decodeEntry(stored.bytes);
    return entry.type === type && bytesEqual(entry.payload, payload) ? height : null;
  }

  /** The receipt of the ballot or audit at `height`, with the checkpoint written with it (§B.3.11). */
  receipt(height: number): ReceiptView {
    const board = this.requireBoard();
    const [stored] = board.entries(height, height + 1);
    if (stored === undefined || stored.tracker === null) throw new ApiError('NOT_FOUND', `no ballot or audit at height ${height}`);
    const checkpoint = board.checkpointCovering(height);
    if (checkpoint === null) throw new Error(`bug: no checkpoint covers height ${height}`);
    return this.receiptOf(decodeEntry(stored.bytes).type === 'audit' ? 'audit' : 'ballot', height, stored.hash, stored.tracker, checkpoint);
  }

  /** B.3.11 the receipt of the ballot or audit at `height`, with `checkpoint` (the one written with it) and the inclusion proof in its tree. */
  private receiptOf(type: 'ballot' | 'audit', height: number, entryHash: Uint8Array, tracker: Uint8Array, checkpoint: { readonly size: number; readonly note: string }): ReceiptView {
    const receipt = signReceipt({ origin: this.originValue, type, height, entryHash, tracker }, this.logKeyValue, this.signer);
    return {
      poll: this.hex,
      type,
      height,
      tracker: hex(tracker),
      entryHash: hex(entryHash),
      receipt,
      checkpoint: checkpoint.note,
      size: checkpoint.size,
      path: this.requireBoard().inclusionProof(height, checkpoint.size).path.map(hex),
    };
  }

  // ---------------------------------------------------------------------------------------------
  // Board plumbing

  private async openBoard(): Promise<void> {
    const storage = new SqliteStorage({ database: this.ctx.db, prefix: boardTablePrefix(this.hex) });
    const board = await Board.open({
      storage,
      logKey: this.logKeyValue,
      // Checkpoints signed by Node's Ed25519 as receipts are (the same bytes as noble's, in a tenth of the time).
      logSigner: this.signer,
      clock: this.ctx.clock,
      rng: this.ctx.rng,
      ballotChecker: this.ctx.ballotChecker,
      // B.5.4 a stored snapshot that did not fit was discarded and the board replayed in full: worth a look
      onWarning: (message) => this.ctx.log.warn({ poll: this.hex }, message),
    });
    this.boardValue = board;
    this.lastCheckpointSize = board.size;
    this.lastStatus = this.status();
    board.onAppend((e) => this.appended(e));
    this.schedule();
  }

  private appended(e: Appended & { entry: DecodedEntry }): void {
    const { events } = this.ctx;
    events.entry(this, e);
    // The status this entry moved the poll to, right after the entry itself (§B.4.2).
    const status = STATUS_AFTER[e.type];
    if (status !== undefined && status !== this.lastStatus) {
      this.lastStatus = status;
      events.phase(this, status);
    }
    if (e.type === 'ballot' || e.type === 'audit' || e.type === 'credentials') this.turnoutChanged = true;
    // onAppend runs for each entry of a group after its commit; the group's checkpoint comes after its last entry.
    const board = this.boardValue!;
    const size = e.height + 1;
    if (size === board.size && size > this.lastCheckpointSize) {
      this.lastCheckpointSize = size;
      events.checkpoint(this, size, e.checkpoint);
      if (this.turnoutChanged) {
        this.turnoutChanged = false;
        events.turnout(this, this.turnout());
      }
    }
  }

  private async append(type: EntryTypeName, payload: Uint8Array): Promise<Appended> {
    const r = await this.boardValue!.submit(type, payload);
    if (!r.ok) throw new ApiError(r.code, r.reason, { height: r.height, ...(r.field === undefined ? {} : { field: r.field }) });
    return r;
  }

  /** Runs control actions one after another, so that two never race for the same next entry. */
  private serially<T>(act: () => Promise<T>): Promise<T> {
    const run = this.control.then(act, act);
    this.control = run.catch(() => undefined);
    return run;
  }

  /** Waits for queued appends, stops timers, closes the board's statements (the database stays open). */
  async shutdown(): Promise<void> {
    this.unschedule();
    await this.control;
    await this.boardValue?.settled();
  }
}

export type { PollRow };
