/** Every poll of the server, drafts and published, loaded from the server database at start. */
import { ApiError } from '../api/errors.ts';
import type { Draft, DraftRegistrar } from './draft.ts';
import { copiedDraft, manifestDraft } from './draft-copy.ts';
import { PollHost, type PollContext, type PollRow } from './poll-host.ts';

export class Polls {
  private readonly byId = new Map<string, PollHost>();

  private constructor(private readonly ctx: PollContext) {}

  /** Loads every stored poll; each published board is replayed and checked (§B.5.2) before serving. */
  static async load(ctx: PollContext): Promise<Polls> {
    const polls = new Polls(ctx);
    const rows = ctx.db.prepare('SELECT id, organiser, draft, published, log_seed, created, hidden FROM polls ORDER BY created, id').all() as PollRow[];
    for (const row of rows) {
      const started = Date.now();
      polls.byId.set(row.id, await PollHost.load(ctx, row));
      if (row.published) ctx.log.info({ poll: row.id, entries: polls.byId.get(row.id)!.board?.size ?? 0, ms: Date.now() - started }, 'board opened and verified');
    }
    return polls;
  }

  create(organiser: number, draft: Draft, host: string): PollHost {
    const poll = PollHost.create(this.ctx, organiser, draft, host);
    this.byId.set(poll.hex, poll);
    return poll;
  }

  /**
   * A new draft copied from `source` (draft-copy.ts): from its manifest on the board once published,
   * else from its draft. `registrar` is the new poll's own, or null; the source's key is refused.
   */
  copy(organiser: number, source: PollHost, registrar: DraftRegistrar | null, host: string): PollHost {
    const manifest = source.board?.state.manifest ?? null;
    const from = manifest === null ? source.draft : manifestDraft(manifest);
    const sourceKey = manifest === null ? source.draft.registrar?.key : Buffer.from(manifest.registrar.key).toString('hex');
    if (registrar !== null && registrar.key === sourceKey) throw new ApiError('BAD_REQUEST', 'body.registrar.key: this is the key of the poll copied from: a new poll needs a registrar key of its own', { field: 'body.registrar.key' });
    return this.create(organiser, copiedDraft(from, this.ctx.clock(), registrar), host);
  }

  /** Deletes a draft (PollHost.deleteDraft) and forgets it. */
  async delete(poll: PollHost): Promise<void> {
    await poll.deleteDraft();
    this.byId.delete(poll.hex);
  }

  /** The poll, or NOT_FOUND. */
  get(hex: string): PollHost {
    const poll = this.byId.get(hex);
    if (poll === undefined) throw new ApiError('NOT_FOUND', 'there is no poll with this id');
    return poll;
  }

  all(): PollHost[] {
    return [...this.byId.values()];
  }

  async shutdown(): Promise<void> {
    await Promise.all(this.all().map((p) => p.shutdown()));
  }
}
