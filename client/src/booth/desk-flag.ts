/**
 * Desk mode (docs/client.md "Voting desk"): a shared device at the management office, set up by the
 * organiser, on which one resident after another votes. The flag lives in this browser's
 * localStorage, names the poll of the desk and says nothing to the server. On a desk the booth keeps
 * no receipt, no code and no fingerprint in any storage, offers to print the receipt instead, and
 * starts over empty after each voter. Pure functions over a Storage, so that they can be tested.
 */

/** The localStorage key of the flag. */
export const DESK_KEY = 'gongshi.desk';

/** After this long without a touch or a key on the final screen, a desk starts over for the next voter. */
export const DESK_IDLE_MS = 3 * 60_000;

export interface DeskFlag {
  /** the poll (32 hex digits) whose booth is the desk's start screen */
  readonly poll: string;
  /** when the organiser turned desk mode on (ms since 1970) */
  readonly since: number;
}

/** Reads the flag's text; null when absent or not a well-formed flag (a malformed flag is no desk). */
export function parseDeskFlag(text: string | null): DeskFlag | null {
  if (text === null) return null;
  try {
    const v = JSON.parse(text) as Partial<DeskFlag> | null;
    if (typeof v !== 'object' || v === null) return null;
    if (typeof v.poll !== 'string' || !/^[0-9a-f]{32}$/.test(v.poll)) return null;
    if (typeof v.since !== 'number' || !Number.isFinite(v.since)) return null;
    return { poll: v.poll, since: v.since };
  } catch {
    return null;
  }
}

/** The flag's text for `poll`; throws on a poll id that is not 32 hex digits. */
export function deskFlagText(poll: string, since: number): string {
  if (!/^[0-9a-f]{32}$/.test(poll)) throw new Error(`poll: not a poll id: ${JSON.stringify(poll)}`);
  return JSON.stringify({ poll, since });
}

/** The desk flag kept in `storage`, or null (also when storage cannot be read). */
export function readDeskFlag(storage: Pick<Storage, 'getItem'>): DeskFlag | null {
  try {
    return parseDeskFlag(storage.getItem(DESK_KEY));
  } catch {
    return null;
  }
}

/** The storage keys that hold what a voter leaves behind in the booth: receipts (localStorage), her code and fingerprint (sessionStorage). */
export function isVoterTrace(key: string): boolean {
  return key.startsWith('gongshi.receipts.') || key.startsWith('gongshi.code.') || key.startsWith('gongshi.fingerprint.');
}

/** Removes every voter trace from `storage`; returns how many keys it removed. */
export function clearVoterTraces(storage: Storage): number {
  const keys: string[] = [];
  for (let i = 0; i < storage.length; i++) {
    const key = storage.key(i);
    if (key !== null && isVoterTrace(key)) keys.push(key);
  }
  for (const key of keys) storage.removeItem(key);
  return keys.length;
}

/** Whether this browser is a desk (its localStorage holds a flag); false where storage is off. */
export function deviceIsDesk(): boolean {
  try {
    return readDeskFlag(globalThis.localStorage) !== null;
  } catch {
    return false;
  }
}
