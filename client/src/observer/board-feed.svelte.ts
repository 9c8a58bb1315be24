/**
 * The board explorer's entries, newest first: the latest page at once, older pages on request
 * (GET /api/polls/:poll/entries?from&limit), and new entries as the live feed announces them; a gap
 * in the feed (a missed event, a reconnection) is filled from the API, so the list has no hole.
 */
import { get } from '../lib/api.ts';
import type { LiveEntry } from '../lib/live.ts';

/** An entry as listed; `bytes` (base64) only when it came from the API, live entries fetch theirs on demand. */
export interface ListedEntry {
  readonly height: number;
  readonly type: string;
  readonly time: number;
  readonly hash: string;
  readonly tracker: string | null;
  readonly bytes?: string;
}

interface EntriesPage {
  readonly size: number;
  readonly from: number;
  readonly entries: ListedEntry[];
}

export const PAGE = 50;

export class BoardFeed {
  /** loaded entries, highest height first; they are exactly the heights low … high − 1 */
  entries = $state<ListedEntry[]>([]);
  /** the board's size as last heard */
  size = $state(0);
  /** the lowest height loaded (0: everything older is loaded) */
  low = $state(0);
  loading = $state(false);
  private high = 0;
  private catching: Promise<void> | null = null;

  constructor(private readonly poll: string) {}

  /** Starts at the board's end: the newest page. Throws ApiError. */
  async start(size: number): Promise<void> {
    this.size = size;
    this.low = size;
    this.high = size;
    await this.older();
    await this.catchUp();
  }

  /** Loads the page just older than what is shown. Throws ApiError. */
  async older(): Promise<void> {
    if (this.low === 0 || this.loading) return;
    this.loading = true;
    try {
      const from = Math.max(0, this.low - PAGE);
      const page = await get<EntriesPage>(`/api/polls/${this.poll}/entries?from=${from}&limit=${this.low - from}`);
      this.size = Math.max(this.size, page.size);
      this.entries = [...this.entries, ...page.entries.slice().reverse()];
      this.low = from;
    } finally {
      this.loading = false;
    }
  }

  /** A live entry: shown at once when it is the next one, else the missing ones are fetched first. */
  arrived(e: LiveEntry): void {
    this.size = Math.max(this.size, e.height + 1);
    if (e.height < this.high) return;
    if (e.height === this.high && this.catching === null) {
      this.entries = [{ height: e.height, type: e.type, time: e.time, hash: e.hash, tracker: e.tracker }, ...this.entries];
      this.high += 1;
      return;
    }
    void this.catchUp();
  }

  /** Fetches every entry from the highest shown up to the board's size (one fetch at a time). */
  private catchUp(): Promise<void> {
    // `await` always yields first, so `catching` is set before the finally clears it.
    this.catching ??= (async () => {
      try {
        await this.fetchNewer();
      } finally {
        this.catching = null;
      }
      if (this.high < this.size) await this.catchUp(); // announced while the last page was on its way
    })();
    return this.catching;
  }

  private async fetchNewer(): Promise<void> {
    try {
      while (this.high < this.size) {
        const page = await get<EntriesPage>(`/api/polls/${this.poll}/entries?from=${this.high}&limit=200`);
        this.size = Math.max(this.size, page.size);
        if (page.entries.length === 0) break;
        this.entries = [...page.entries.slice().reverse(), ...this.entries];
        this.high += page.entries.length;
      }
    } catch {
      // the next live entry tries again
    }
  }
}
