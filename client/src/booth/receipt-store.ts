/**
 * Receipts kept on this device (localStorage), a list per poll, newest last: the voter can check
 * them again later, from the booth or the check page, without keeping the file herself.
 * On a voting desk (desk-flag.ts) nothing is kept and nothing kept earlier is shown: the next voter
 * at a shared device must not see whose receipts were there.
 */
import type { ReceiptView } from '../../../verifier/index.ts';
import { deviceIsDesk } from './desk-flag.ts';

/** A cast answer of the server (ReceiptView, docs/api.md) and what the device adds to it. */
export interface SavedReceipt extends ReceiptView {
  /** the poll's title in each of its languages, and those languages */
  readonly title: readonly string[];
  readonly languages: readonly string[];
  /** when this device saved it (ms since 1970) */
  readonly savedAt: number;
}

const PREFIX = 'gongshi.receipts.';

function read(key: string): SavedReceipt[] {
  if (deviceIsDesk()) return [];
  try {
    const list = JSON.parse(localStorage.getItem(key) ?? '[]');
    return Array.isArray(list) ? list.filter((r) => typeof r?.receipt === 'string' && typeof r?.tracker === 'string') : [];
  } catch {
    return [];
  }
}

/** The receipts kept for one poll, oldest first. */
export function savedReceipts(poll: string): SavedReceipt[] {
  return read(PREFIX + poll);
}

/** Every receipt kept on this device, newest first. */
export function allSavedReceipts(): SavedReceipt[] {
  const out: SavedReceipt[] = [];
  try {
    for (let i = 0; i < localStorage.length; i++) {
      const key = localStorage.key(i);
      if (key?.startsWith(PREFIX)) out.push(...read(key));
    }
  } catch {
    // storage is off: nothing kept
  }
  return out.sort((a, b) => b.savedAt - a.savedAt);
}

/** Keeps a receipt (once per tracker). Returns false when the device would not store it (private mode, full, a voting desk). */
export function saveReceipt(r: SavedReceipt): boolean {
  if (deviceIsDesk()) return false;
  try {
    const list = read(PREFIX + r.poll).filter((x) => x.tracker !== r.tracker);
    list.push(r);
    localStorage.setItem(PREFIX + r.poll, JSON.stringify(list));
    return true;
  } catch {
    return false;
  }
}
