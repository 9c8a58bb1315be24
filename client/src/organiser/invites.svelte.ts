/**
 * The trustees' secret links made in this tab (POST /api/polls/:poll/invites answers them once; the
 * server keeps only hashes). The links stay in memory only; that links were made is remembered on
 * this device (no secret in it) so that the console does not ask her to make them again.
 */
export interface Invite {
  readonly trustee: number;
  readonly name: string;
  readonly link: string;
}

const links = $state<Record<string, Invite[]>>({});
const STORE = 'gongshi.invited.';

export function invitesOf(poll: string): Invite[] | null {
  return links[poll] ?? null;
}

export function keepInvites(poll: string, invites: Invite[]): void {
  links[poll] = invites;
  try {
    localStorage.setItem(STORE + poll, String(Date.now()));
  } catch {
    // storage off: the console may suggest making links again, which is harmless
  }
}

/** When links were last made for `poll` on this device (ms), or null. */
export function invitedAt(poll: string): number | null {
  if (links[poll]) return Date.now();
  try {
    const v = localStorage.getItem(STORE + poll);
    return v === null ? null : Number(v);
  } catch {
    return null;
  }
}
