/**
 * Where a board keeps its entries, its Merkle nodes and its signed checkpoints, behind one small
 * interface: memory here, SQLite in bulletin-board/store/. Spec §B.5.
 */
import { toHex as hex } from '../../crypto/index.ts';
import { MemoryNodeStore, type NodeStore } from '../log/merkle.ts';

export interface StoredEntry {
  readonly height: number;
  readonly hash: Uint8Array;
  readonly bytes: Uint8Array;
  /** the tracker of a ballot or audit (§Q.7), else null */
  readonly tracker: Uint8Array | null;
}

export interface StoredCheckpoint {
  readonly size: number;
  /** the signed note (§B.3.7), with any witness cosignatures added later */
  readonly note: string;
}

/**
 * B.5.1 the storage of one board. `transaction` runs its function atomically and durably: when it
 * returns, everything the function wrote survives a crash; when it throws, nothing of it is kept.
 */
export interface BoardStorage {
  /** the Merkle tree's nodes (§B.2.9); written only inside `transaction` */
  readonly nodes: NodeStore;
  /** the number of entries stored (one more than the highest height) */
  size(): number;
  /** B.5.2 what opening checks against the replay: row counts and extremes of heights and node positions */
  census(): StorageCensus;
  /** entries [from, to) in height order */
  entries(from: number, to: number): Iterable<StoredEntry>;
  /** B.5.2 the stored Merkle node hashes at positions [from, to) (B.2.9) that exist, in position order: one scan */
  nodeHashes(from: number, to: number): { readonly position: number; readonly hash: Uint8Array }[];
  /** the entry at a height, or null */
  entry(height: number): StoredEntry | null;
  /** the height of the ballot or audit entry with this tracker, or null */
  findTracker(tracker: Uint8Array): number | null;
  /** up to `limit` trackers of ballot or audit entries from `low` to `high` (inclusive, byte order), in byte order */
  trackersBetween(low: Uint8Array, high: Uint8Array, limit: number): Uint8Array[];
  /** the newest stored checkpoint, or null before the first */
  latestCheckpoint(): StoredCheckpoint | null;
  /** the checkpoint of a given size, or null */
  checkpoint(size: number): StoredCheckpoint | null;
  /** B.5.4 the latest snapshot of the voting ledger (opaque bytes), or null */
  latestSnapshot(): Uint8Array | null;
  /** the smallest stored checkpoint whose tree includes the entry at `height`, or null */
  checkpointCovering(height: number): StoredCheckpoint | null;
  transaction(write: (w: StorageWriter) => void): void;
  close(): void;
}

export interface StorageCensus {
  readonly entryRows: number;
  /** the lowest stored height, or null when there is none */
  readonly lowestHeight: number | null;
  readonly nodeRows: number;
  /** the highest stored node position (B.2.9), or null */
  readonly highestNode: number | null;
  /** the number of entries that carry a tracker */
  readonly trackers: number;
}

export interface StorageWriter {
  putEntry(entry: StoredEntry): void;
  putCheckpoint(checkpoint: StoredCheckpoint): void;
  /** B.5.4 replaces the snapshot (only the latest is kept); null removes it */
  putSnapshot(snapshot: Uint8Array | null): void;
}

/** B.5.1 a BoardStorage in memory, for the demo poll and tests. Not durable. */
export class MemoryStorage implements BoardStorage {
  readonly nodes = new MemoryNodeStore();
  private readonly list: StoredEntry[] = [];
  private readonly trackers = new Map<string, number>();
  private readonly checkpoints = new Map<number, StoredCheckpoint>();
  private latest: StoredCheckpoint | null = null;
  private snapshot: Uint8Array | null = null;

  size(): number {
    return this.list.length;
  }

  *entries(from: number, to: number): Iterable<StoredEntry> {
    for (let h = from; h < Math.min(to, this.list.length); h++) yield this.list[h];
  }

  entry(height: number): StoredEntry | null {
    return this.list[height] ?? null;
  }

  nodeHashes(from: number, to: number): { position: number; hash: Uint8Array }[] {
    const out: { position: number; hash: Uint8Array }[] = [];
    for (let p = from; p < Math.min(to, this.nodes.length); p++) out.push({ position: p, hash: this.nodes.at(p)! });
    return out;
  }

  census(): StorageCensus {
    const n = this.nodes.length;
    return { entryRows: this.list.length, lowestHeight: this.list.length ? 0 : null, nodeRows: n, highestNode: n ? n - 1 : null, trackers: this.trackers.size };
  }

  findTracker(tracker: Uint8Array): number | null {
    return this.trackers.get(hex(tracker)) ?? null;
  }

  trackersBetween(low: Uint8Array, high: Uint8Array, limit: number): Uint8Array[] {
    // Lower-case hex of equal length sorts as the bytes do.
    const [from, to] = [hex(low), hex(high)];
    const found = [...this.trackers.keys()].filter((t) => t >= from && t <= to).sort();
    return found.slice(0, limit).map((t) => this.list[this.trackers.get(t)!].tracker!);
  }

  latestCheckpoint(): StoredCheckpoint | null {
    return this.latest;
  }

  latestSnapshot(): Uint8Array | null {
    return this.snapshot;
  }

  checkpoint(size: number): StoredCheckpoint | null {
    return this.checkpoints.get(size) ?? null;
  }

  checkpointCovering(height: number): StoredCheckpoint | null {
    let best: StoredCheckpoint | null = null;
    for (const c of this.checkpoints.values()) if (c.size > height && (best === null || c.size < best.size)) best = c;
    return best;
  }

  transaction(write: (w: StorageWriter) => void): void {
    // Memory is not durable; atomicity is all that is asked of it, and a throw here is a bug anyway.
    write({
      putEntry: (e) => {
        if (e.height !== this.list.length) throw new Error(`bug: entry ${e.height} stored out of order`);
        this.list.push(e);
        if (e.tracker) this.trackers.set(hex(e.tracker), e.height);
      },
      putCheckpoint: (c) => {
        this.checkpoints.set(c.size, c);
        this.latest = c;
      },
      putSnapshot: (s) => {
        this.snapshot = s === null ? null : s.slice();
      },
    });
  }

  close(): void {}
}
