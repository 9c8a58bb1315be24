/**
 * What the trustee console keeps in this tab's sessionStorage, per poll: the link's token (read once
 * from the #fragment, which is then dropped from the address bar), the ceremony secrets, and the exact
 * bytes of every ceremony message this tab posted, so that a reload of the same tab goes on where it
 * was and still knows which messages on the board are hers. Nothing here is ever sent to the server
 * except the token, as the link intends (Authorization: Bearer), and the messages it posts.
 */
import { fromHex, toHex } from '../../../crypto/index.ts';
import type { PostedMessage } from '../../../verifier/index.ts';
import { forgetHash, route } from '../lib/router.svelte.ts';
import type { SavedSecrets } from './saved-secrets.ts';

const key = (poll: string, what: string) => `gongshi.trustee.${poll}.${what}`;

function read(name: string): string | null {
  try {
    return sessionStorage.getItem(name);
  } catch {
    return null;
  }
}

function write(name: string, value: string): void {
  try {
    sessionStorage.setItem(name, value);
  } catch {
    // storage is off: the tab still works until it is reloaded
  }
}

/** The token of the trustee's link: from the address's #fragment (then forgotten there), else kept from earlier in this tab. */
export function linkToken(poll: string): string | null {
  let fromLink = route.hash.replace(/^#/, '').trim();
  try {
    fromLink = decodeURIComponent(fromLink);
  } catch {
    // not percent-encoded text: take it as it is (the server will say if it is not a token)
  }
  if (fromLink !== '') {
    write(key(poll, 'token'), fromLink);
    forgetHash();
    return fromLink;
  }
  return read(key(poll, 'token'));
}

/** Trustee `index`'s secrets kept in this tab (one tab might have opened two trustees' links). */
export function loadSecrets(poll: string, index: number): SavedSecrets | null {
  const text = read(key(poll, `${index}.secrets`));
  if (text === null) return null;
  try {
    return JSON.parse(text) as SavedSecrets;
  } catch {
    return null;
  }
}

export function storeSecrets(poll: string, saved: SavedSecrets): void {
  write(key(poll, `${saved.index}.secrets`), JSON.stringify(saved));
}

/** Step 5's "review done", said once per run (the server records it off the board). */
export function reviewSaid(poll: string, index: number, run: number): boolean {
  return read(key(poll, `${index}.review`)) === String(run);
}

export function rememberReview(poll: string, index: number, run: number): void {
  write(key(poll, `${index}.review`), String(run));
}

/** Every ceremony message this tab posted for trustee `index`, in order, all runs ([] if none or unreadable). */
export function loadPosted(poll: string, index: number): PostedMessage[] {
  const text = read(key(poll, `${index}.posted`));
  if (text === null) return [];
  try {
    return (JSON.parse(text) as { message: string; taken: boolean }[]).map((p) => ({ bytes: fromHex(p.message, 'message'), taken: p.taken === true }));
  } catch {
    return [];
  }
}

export function storePosted(poll: string, index: number, posted: readonly PostedMessage[]): void {
  write(key(poll, `${index}.posted`), JSON.stringify(posted.map((p) => ({ message: toHex(p.bytes), taken: p.taken }))));
}
