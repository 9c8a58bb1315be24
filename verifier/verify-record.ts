/**
 * The observer's verifier: reads a record file as a stream, replays every entry through the board's
 * rules (§B.4) with ballot proofs checked in batches (possibly on other threads), keeps going after a
 * failure, then checks the record's checkpoints and the ones the observer saved. Spec §V.
 */
import { DecodeError, IDENTITY, ballotFaults, bytesEqual, decodePoint, encodePoint, toHex, type Ciphertext, type RandomSource } from '../crypto/index.ts';
import {
  EMPTY_ROOT,
  MemoryNodeStore,
  MerkleTree,
  RecordParser,
  applyDecoded,
  compareCheckpoints,
  countedSet,
  createState,
  decodeEntry,
  decodePayload,
  hashEntry,
  hashLeaf,
  merkleConsistency,
  formatPollFingerprint,
  parseVerifierKey,
  pollFingerprint,
  readEntry,
  slotCount,
  verifyCheckpoint,
  type BoardState,
  type VerifiedCheckpoint,
  type VerifierKey,
} from '../bulletin-board/index.ts';
import { inThreadProofs, type BallotProofVerifier, type ProofVerdict } from './ballot-proofs.ts';
import { CHECKS, checkOfRejection, type CheckId } from './checks.ts';
import { describeResult, type Failure, type VerifyReport } from './report.ts';
import { countWitnesses } from './witness-count.ts';

export interface VerifyOptions {
  /** signed checkpoints the observer saved earlier (V14) */
  readonly checkpoints?: readonly string[];
  /** V42 the poll fingerprint the observer holds (from the notice or a code sheet): the manifest hash must equal it */
  readonly fingerprint?: Uint8Array;
  /** where ballot proofs are checked (default: this thread) */
  readonly proofs?: BallotProofVerifier;
  /** ballots per proof job at most (default 256; a job also ends at 128 KiB of ballots, which bounds a worker's memory) */
  readonly batch?: number;
  /** proof jobs in flight at once (default 6): enough that no worker of a small pool waits for work */
  readonly parallel?: number;
  /** called after each group of entries with the entries and bytes read so far */
  readonly onProgress?: (p: { readonly entries: number; readonly ballots: number; readonly bytes: number }) => void;
  readonly rng?: RandomSource;
}

/** The record could not be read at all: not a record file, another version, truncated. */
export class UnreadableRecord extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UnreadableRecord';
  }
}

const BALLOT_TYPE = 8;
/** A proof job ends at this many bytes of ballots: what a worker decodes and holds at once stays bounded. */
const JOB_BYTES = 128 * 1024;
const AUDIT_TYPE = 9;

interface Job {
  readonly verdicts: Promise<ProofVerdict[]>;
  readonly size: number;
  applied: number;
}

/**
 * §V verifies a record read from `chunks`. Every failure is reported with its check ID, the entry's
 * height and a reason; the replay goes on after a refused entry as if it were void. Throws
 * UnreadableRecord when the file itself cannot be read (exit code 2 in the command line).
 */
export async function verifyRecord(chunks: AsyncIterable<Uint8Array> | Iterable<Uint8Array>, options: VerifyOptions = {}): Promise<VerifyReport> {
  const run = new Replay(options);
  const parser = new RecordParser();
  let bytes = 0;
  try {
    for await (const chunk of chunks) {
      bytes += chunk.length;
      for (const item of parser.push(chunk)) {
        if (item.kind === 'logKey') run.logKey(item.key);
        else if (item.kind === 'entry') await run.entry(item.bytes);
        else if (item.kind === 'checkpoint') run.checkpoints.push(item.note);
      }
      await run.progress(bytes);
    }
    parser.finish();
    await run.drain();
  } catch (e) {
    await run.drain().catch(() => undefined); // let jobs in flight end before giving up
    if (e instanceof DecodeError) throw new UnreadableRecord(`not a readable gongshi record: ${e.message}`);
    throw e;
  }
  return run.finish(options.checkpoints ?? []);
}

/** The state of one verification run. */
class Replay {
  readonly state: BoardState = createState();
  readonly failures: Failure[] = [];
  readonly checkpoints: string[] = [];
  private key: VerifierKey | null = null;
  private readonly tree = new MerkleTree(new MemoryNodeStore());
  private readonly proofs: BallotProofVerifier;
  /** entries read but not applied yet, in order; a ballot waits for the verdicts of its proof job */
  private queue: { bytes: Uint8Array; job: Job | null; index: number }[] = [];
  /** the ballots of the job being filled */
  private filling: Uint8Array[] = [];
  private fillingBytes = 0;
  private inFlight = 0;
  private manifest: Uint8Array | null = null;
  private recordLogKey: string | null = null;
  private entries = 0;

  constructor(private readonly options: VerifyOptions) {
    this.proofs = options.proofs ?? inThreadProofs;
  }

  /** The record's own copy of the log key: only compared with the manifest's (V15), never trusted. */
  logKey(text: string): void {
    this.recordLogKey = text;
  }

  /**
   * While the poll is open, ballots and audits queue in order; ballots go out to proof jobs in runs,
   * and entries are applied in order as the verdicts come back. Any other entry first lets the queue
   * empty, then is applied.
   */
  async entry(bytes: Uint8Array): Promise<void> {
    this.entries += 1;
    this.tree.append(hashLeaf(hashEntry(bytes)));
    if (this.entries === 1) this.manifest = bytes.subarray(50);
    const open = (this.state.phase === 'open' || this.queue.length > 0) && this.state.election !== null;
    if (open && (bytes[0] === BALLOT_TYPE || bytes[0] === AUDIT_TYPE)) {
      if (bytes[0] === AUDIT_TYPE) this.queue.push({ bytes, job: null, index: 0 });
      else {
        this.queue.push({ bytes, job: null, index: this.filling.length });
        this.filling.push(bytes);
        this.fillingBytes += bytes.length;
        if (this.filling.length >= (this.options.batch ?? 256) || this.fillingBytes >= JOB_BYTES) this.dispatch();
      }
      while (this.inFlight > (this.options.parallel ?? 6)) await this.settleHead();
      return;
    }
    await this.drain();
    await this.apply(bytes, null);
  }

  async progress(bytes: number): Promise<void> {
    this.options.onProgress?.({ entries: this.entries, ballots: this.state.ballots, bytes });
  }

  /** Sends the ballots being gathered out as one job, and marks their queue places with it. */
  private dispatch(): void {
    if (this.filling.length === 0) return;
    const e = this.state.election!;
    const ballots = this.filling.map((b) => b.subarray(50));
    const job: Job = { verdicts: this.proofs.verify({ manifest: this.manifest!, key: encodePoint(e.jointKey), fingerprint: e.fingerprint, ballots }), size: ballots.length, applied: 0 };
    for (let k = this.queue.length - 1, left = ballots.length; k >= 0 && left > 0; k--) {
      if (this.queue[k].bytes[0] === BALLOT_TYPE && this.queue[k].job === null) {
        this.queue[k].job = job;
        left -= 1;
      }
    }
    this.filling = [];
    this.fillingBytes = 0;
    this.inFlight += 1;
  }

  /** Applies queued entries in order up to and including the first job's last ballot. */
  private async settleHead(): Promise<void> {
    while (this.queue.length > 0) {
      const item = this.queue[0];
      if (item.bytes[0] === BALLOT_TYPE && item.job === null) this.dispatch();
      this.queue.shift();
      const job = item.job;
      if (job === null) {
        await this.apply(item.bytes, null);
        continue;
      }
      const verdicts = await job.verdicts;
      await this.apply(item.bytes, verdicts[item.index]);
      job.applied += 1;
      if (job.applied === job.size) {
        this.inFlight -= 1;
        return;
      }
    }
  }

  /** Everything queued, applied. */
  async drain(): Promise<void> {
    this.dispatch();
    while (this.queue.length > 0) await this.settleHead();
  }

  /** One entry through the rules; a ballot that a proof job found valid is not decoded again. */
  private async apply(bytes: Uint8Array, checked: ProofVerdict | null): Promise<void> {
    const state = this.state;
    const proofsChecked = checked?.ok === true;
    const read = readEntry(state, bytes, checked?.ok ? { type: 'ballot', ballot: null, facts: checked.facts } : undefined);
    const sums = 'content' in read && read.type === 'tally' ? await this.tallySums() : undefined;
    const verdict = 'content' in read ? await applyDecoded(state, read, { proofsChecked, sums, rng: this.options.rng }) : read;
    if (verdict.ok) return;
    this.fail(checkOfRejection(verdict, verdict.code === 'BAD_PROOF' ? this.faults(bytes) : []), verdict.height, `${verdict.code}: ${verdict.reason}`);
    this.skip(bytes);
  }

  /** B.4.7.1 the tally's slot sums, the counted set split into parts over the proof jobs' threads, a few parts in flight at once. */
  private async tallySums(): Promise<Ciphertext[]> {
    const set = countedSet(this.state);
    const slots = slotCount(this.state.shapes!);
    const size = 4096;
    const sums: Ciphertext[] = Array.from({ length: slots }, () => ({ alpha: IDENTITY, beta: IDENTITY }));
    const add = (part: Uint8Array[]) =>
      part.forEach((c, s) => {
        sums[s] = { alpha: sums[s].alpha.add(decodePoint(c.subarray(0, 32), 'alpha', true)), beta: sums[s].beta.add(decodePoint(c.subarray(32, 64), 'beta', true)) };
      });
    const inFlight: Promise<void>[] = [];
    for (let k = 0; k < set.slots.length; k += size) {
      if (inFlight.length >= (this.options.parallel ?? 6)) await inFlight.shift();
      inFlight.push(this.proofs.sum({ ballots: set.slots.slice(k, k + size), weights: set.weights.slice(k, k + size), slots }).then(add));
    }
    await Promise.all(inFlight);
    return sums;
  }

  /** A refused entry stays in the chain as a void link, so that one bad entry is one failure. */
  private skip(bytes: Uint8Array): void {
    const s = this.state;
    try {
      const raw = decodeEntry(bytes);
      s.height = Math.max(s.height, raw.height) + 1;
      s.time = Math.max(s.time, raw.time);
    } catch {
      s.height += 1;
    }
    s.head = hashEntry(bytes);
  }

  /** Which parts of a ballot (cast or audited) whose proofs failed are at fault (V19, V20 or V21). */
  private faults(bytes: Uint8Array) {
    const e = this.state.election!;
    const content = decodePayload(bytes[0] === AUDIT_TYPE ? 'audit' : 'ballot', bytes.subarray(50), { shapes: this.state.shapes });
    if (content.type !== 'ballot' && content.type !== 'audit') throw new Error('bug: not a ballot');
    return ballotFaults(content.ballot!, { shapes: this.state.shapes!, key: e.jointKey, fingerprint: e.fingerprint });
  }

  fail(check: CheckId, entry: number | null, reason: string, evidence?: readonly [string, string]): void {
    this.failures.push(evidence ? { check, entry, reason, evidence } : { check, entry, reason });
  }

  /** V42, V15, V40 and V14, then the report. */
  finish(saved: readonly string[]): VerifyReport {
    const fingerprint = this.manifest === null ? null : pollFingerprint(this.manifest);
    this.checkFingerprint(fingerprint);
    this.key = this.manifestLogKey();
    const final = this.checkRecordCheckpoints();
    const witnesses = this.checkCosignatures(final);
    this.checkSavedCheckpoints(saved, final);
    const state = this.state;
    const reached = new Set<CheckId>(['V1', 'V4', 'V13', 'V15']);
    if (saved.length > 0) reached.add('V14');
    if (this.options.fingerprint !== undefined) reached.add('V42');
    if (witnesses !== null && witnesses.listed.length > 0) reached.add('V40');
    if (state.credentials.size + state.revoked.size > 0) reached.add('V39');
    if (state.extensions.length > 0) reached.add('V43');
    if (state.revoked.size > 0) reached.add('V44');
    if (state.decryptions.size > 0) reached.add('V41');
    if (state.ceremony !== null) for (const c of ['V8', 'V9', 'V10', 'V11'] as const) reached.add(c);
    if (state.election !== null) reached.add('V2');
    if (state.phase !== 'empty') reached.add('V16');
    if (state.credentials.size > 0) reached.add('V21');
    if (state.ballots + state.audits > 0) for (const c of ['V18', 'V19', 'V20', 'V21', 'V23', 'V24'] as const) reached.add(c);
    if (state.audits > 0) reached.add('V33');
    if (state.tally !== null) reached.add('V26');
    if (state.decryptions.size > 0) reached.add('V27');
    if (state.result !== null) for (const c of ['V28', 'V29'] as const) reached.add(c);
    for (const f of this.failures) reached.add(f.check);
    const m = state.manifest;
    return {
      valid: this.failures.length === 0,
      failures: this.failures,
      result: state.result !== null && m !== null ? describeResult(m, state.result, state.shapes!) : null,
      poll: m === null ? null : { title: m.title[0], origin: m.origin, languages: m.languages, titles: m.title },
      phase: state.phase,
      entries: this.tree.size,
      ballots: state.ballots,
      audits: state.audits,
      listed: state.credentials.size,
      counted: state.tally?.counted ?? [...state.credentials.values()].filter((c) => c.last !== null).length,
      weight: state.tally?.weight ?? [...state.credentials.values()].reduce((sum, c) => sum + (c.last === null ? 0 : c.weight), 0),
      weighted: [...state.credentials.values()].some((c) => c.weight !== 1),
      checks: (Object.keys(CHECKS) as CheckId[]).filter((c) => reached.has(c)),
      checkpoint: final === null ? null : { size: final.checkpoint.size, root: toHex(final.checkpoint.rootHash) },
      fingerprint: fingerprint === null ? null : formatPollFingerprint(fingerprint),
      witnesses,
      warnings: this.warnings(),
    };
  }

  /** What an observer should weigh that is not a failure of the record. */
  private warnings(): string[] {
    const m = this.state.manifest;
    const out: string[] = [];
    if (m === null) return out;
    if (m.witnesses.keys.length === 0 || m.witnesses.k === 0)
      out.push('the poll requires no witness cosignature: the server could have shown different boards to different people, and this record alone cannot tell');
    if (m.registrar.isOrganiser) out.push('the organiser is also the registrar: she made every voter code and could vote in the name of a resident who did not vote (a resident can see that with "Check my code")');
    const late = this.state.roll.filter((r) => r.whileOpen).reduce((n, r) => n + r.added, 0);
    const revoked = this.state.revoked.size;
    if (late > 0 || revoked > 0)
      out.push(`the voter list changed: ${late} credential(s) were listed after voting opened and ${revoked} revoked, each in an entry the registrar signed (the board explorer shows when)`);
    if (this.options.fingerprint === undefined) out.push('no fingerprint was given (--fingerprint): compare the fingerprint above with the one on the poll’s notice');
    return out;
  }

  /** V42 the manifest is the one the observer was told about. */
  private checkFingerprint(fingerprint: Uint8Array | null): void {
    const held = this.options.fingerprint;
    if (held === undefined) return;
    if (fingerprint === null) this.fail('V42', null, 'the record has no manifest to compare with the fingerprint you hold');
    else if (!bytesEqual(fingerprint, held))
      this.fail('V42', 0, `this record's manifest has fingerprint ${formatPollFingerprint(fingerprint)}, not the ${formatPollFingerprint(held)} you hold: it is not the poll you were told about`);
  }

  /** V15 the log key is the manifest's; the record's copy of it must agree. */
  private manifestLogKey(): VerifierKey | null {
    const m = this.state.manifest;
    if (m === null) return null;
    const key = parseVerifierKey(m.logKey); // the manifest decoder has parsed it already
    if (this.recordLogKey !== m.logKey) this.fail('V15', null, 'the record names another log key than its manifest does');
    return key;
  }

  /** V40 at least k of the manifest's witnesses cosigned the final checkpoint; cosignatures of anyone else do not count. */
  private checkCosignatures(final: VerifiedCheckpoint | null): VerifyReport['witnesses'] {
    const m = this.state.manifest;
    if (m === null) return null;
    const listed = m.witnesses.keys.map((k) => parseVerifierKey(k));
    const cosigned = final === null ? [] : countWitnesses(final.signedNote, m.witnesses.keys, m.witnesses.k).counted;
    if (final !== null && cosigned.length < m.witnesses.k)
      this.fail('V40', null, `the final checkpoint has ${cosigned.length} valid cosignature${cosigned.length === 1 ? '' : 's'} of the manifest's witnesses; the manifest requires ${m.witnesses.k}`);
    return { listed: listed.map((w) => w.name), cosigned, k: m.witnesses.k };
  }

  /** V15 every checkpoint in the record verifies and signs a prefix of it; the last one all of it. */
  private checkRecordCheckpoints(): VerifiedCheckpoint | null {
    const { tree } = this;
    const origin = this.state.manifest?.origin;
    if (this.key === null || origin === undefined) {
      this.fail('V15', null, 'the record has no manifest, hence no log key');
      return null;
    }
    let final: VerifiedCheckpoint | null = null;
    this.checkpoints.forEach((note, i) => {
      const v = this.verifyNote(note, origin, `checkpoint ${i + 1} of the record`, 'V15');
      if (v === null) return;
      const c = v.checkpoint;
      if (c.size > tree.size || !bytesEqual(c.rootHash, tree.root(c.size))) this.fail('V15', null, `checkpoint ${i + 1} of the record (size ${c.size}) does not sign these entries`);
      else if (i === this.checkpoints.length - 1) {
        if (c.size !== tree.size) this.fail('V15', null, `the record's last checkpoint covers ${c.size} of its ${tree.size} entries`);
        else final = v;
      }
    });
    return final;
  }

  /** V14 the record extends every checkpoint the observer saved, or the log equivocated. */
  private checkSavedCheckpoints(saved: readonly string[], final: VerifiedCheckpoint | null): void {
    const origin = this.state.manifest?.origin;
    if (this.key === null || origin === undefined || final === null) {
      if (saved.length > 0) this.fail('V14', null, 'the record has no valid checkpoint to compare saved checkpoints with');
      return;
    }
    saved.forEach((note, i) => {
      const v = this.verifyNote(note, origin, `saved checkpoint ${i + 1}`, 'V14');
      if (v === null) return;
      if (v.checkpoint.size > final.checkpoint.size) {
        this.fail('V14', null, `saved checkpoint ${i + 1} has ${v.checkpoint.size} entries, the record only ${final.checkpoint.size}: the log was rolled back or forked`, [note, final.signedNote]);
        return;
      }
      if (v.checkpoint.size === 0) {
        if (!bytesEqual(v.checkpoint.rootHash, EMPTY_ROOT)) this.fail('V14', null, `saved checkpoint ${i + 1} has size 0 but not the empty root`, [note, final.signedNote]);
        return;
      }
      // B.3.10 a consistency proof from our own tree: it fails exactly when the saved root is not a prefix's.
      const proof = this.tree.consistencyProof(v.checkpoint.size, final.checkpoint.size).path;
      const cmp = compareCheckpoints(v, final, merkleConsistency, proof);
      if (cmp.verdict === 'equivocation') this.fail('V14', null, `saved checkpoint ${i + 1} and the record's checkpoint cannot both be true (${cmp.kind}): the log equivocated`, cmp.evidence);
    });
  }

  /** A signed checkpoint verified under the record's log key, or null with a failure. */
  private verifyNote(note: string, origin: string, what: string, check: CheckId): VerifiedCheckpoint | null {
    try {
      const v = verifyCheckpoint(note, this.key!, origin);
      if (!v.ok) {
        this.fail(check, null, `${what} does not verify under the manifest's log key: ${v.reason}`);
        return null;
      }
      return v;
    } catch (e) {
      if (!(e instanceof DecodeError)) throw e;
      this.fail(check, null, `${what} is not a signed checkpoint: ${e.message}`);
      return null;
    }
  }
}

