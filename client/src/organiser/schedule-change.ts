/**
 * What the organiser may do with a published poll's schedule, by the rules its manifest fixed (spec
 * B.4.6.6 closing early, B.4.6.7 extensions). The console only offers what the board would accept;
 * the board's rules decide, and every verifier checks them again.
 */
import type { CloseEarly } from './draft-form.ts';
import { fromLocalTime } from './draft-form.ts';

export interface ScheduleFacts {
  /** the manifest's closing time (0: by hand) */
  readonly scheduled: number;
  /** the closing time in force: the manifest's, or the last extension's */
  readonly closesAt: number;
  readonly closeEarly: CloseEarly;
  /** ms the closing time may move past `scheduled`, in all */
  readonly maxExtension: number;
  readonly status: string;
  readonly listed: number;
  /** listed voters who have cast at least one ballot */
  readonly voted: number;
  readonly now: number;
}

export type CloseVerdict =
  /** `early`: before the closing time in force, as the manifest allows */
  | { readonly ok: true; readonly early: boolean }
  /** the manifest allows no early closing: the poll closes by itself at `at` */
  | { readonly ok: false; readonly why: 'never'; readonly at: number }
  /** it may close early once every listed voter has voted; `waiting` have not */
  | { readonly ok: false; readonly why: 'waiting'; readonly at: number; readonly waiting: number };

/** B.4.6.6 whether the open poll may be closed now. */
export function closeVerdict(s: ScheduleFacts): CloseVerdict {
  if (s.closesAt === 0 || s.now >= s.closesAt) return { ok: true, early: false };
  if (s.closeEarly === 'any-time') return { ok: true, early: true };
  if (s.closeEarly === 'all-voted') {
    const waiting = Math.max(0, s.listed - s.voted);
    return waiting === 0 ? { ok: true, early: true } : { ok: false, why: 'waiting', at: s.closesAt, waiting };
  }
  return { ok: false, why: 'never', at: s.closesAt };
}

/** B.4.6.7 the range a new closing time may take now, or null when no extension can be made. */
export function extensionRoom(s: ScheduleFacts): { readonly after: number; readonly upTo: number } | null {
  if (s.scheduled === 0 || s.maxExtension === 0) return null;
  if (!['setup', 'ceremony', 'ready', 'open'].includes(s.status) || s.now >= s.closesAt) return null;
  const upTo = s.scheduled + s.maxExtension;
  return upTo > s.closesAt ? { after: s.closesAt, upTo } : null;
}

/** A datetime-local value as the new closing time within `room`, or why it cannot be. */
export function newClosingTime(value: string, room: { readonly after: number; readonly upTo: number }): { ok: true; at: number } | { ok: false; why: 'empty' | 'notLater' | 'tooLate' } {
  const at = fromLocalTime(value);
  if (value === '' || Number.isNaN(at)) return { ok: false, why: 'empty' };
  if (at <= room.after) return { ok: false, why: 'notLater' };
  if (at > room.upTo) return { ok: false, why: 'tooLate' };
  return { ok: true, at };
}
