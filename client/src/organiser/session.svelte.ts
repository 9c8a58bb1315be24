/**
 * Who is signed in as the organiser (GET /api/session), kept for the tab so that moving between the
 * console's pages does not ask the server each time. This device remembers (no secret: the session
 * cookie is HttpOnly) that she signed in, so that a visitor who never did is shown the sign-in at
 * once instead of asking the server and getting a 401.
 */
import { ApiError, del, get, post, put } from '../lib/api.ts';

interface Session {
  checked: boolean;
  name: string | null;
}

export const session = $state<Session>({ checked: false, name: null });

const HINT = 'gongshi.organiser';

function remember(signedIn: boolean): void {
  try {
    if (signedIn) localStorage.setItem(HINT, '1');
    else localStorage.removeItem(HINT);
  } catch {
    // storage off: the console asks the server each time
  }
}

function maybeSignedIn(): boolean {
  try {
    return localStorage.getItem(HINT) !== null;
  } catch {
    return true;
  }
}

/** Asks the server once per tab (or again with `fresh`). */
export async function checkSession(fresh = false): Promise<void> {
  if (session.checked && !fresh) return;
  if (!maybeSignedIn()) {
    session.name = null;
    session.checked = true;
    return;
  }
  try {
    const r = await get<{ organiser: { name: string } }>('/api/session');
    session.name = r.organiser.name;
  } catch (e) {
    if (!(e instanceof ApiError) || e.code !== 'UNAUTHENTICATED') throw e;
    session.name = null;
    remember(false);
  }
  session.checked = true;
}

/** Signs in; throws ApiError (BAD_LOGIN for a wrong name or password). */
export async function signIn(name: string, password: string): Promise<void> {
  const r = await post<{ organiser: { name: string } }>('/api/session', { name, password });
  session.name = r.organiser.name;
  session.checked = true;
  remember(true);
}

/** The setup page signed her in. */
export function signedIn(name: string): void {
  session.name = name;
  session.checked = true;
  remember(true);
}

export async function signOut(): Promise<void> {
  await del('/api/session');
  session.name = null;
  remember(false);
}

/** Ends every session of hers on every device, this one too (DELETE /api/sessions). */
export async function signOutEverywhere(): Promise<void> {
  await del('/api/sessions');
  session.name = null;
  remember(false);
}

/**
 * Changes her password (PUT /api/session/password); her other devices are signed out, this one stays.
 * Throws ApiError (WRONG_PASSWORD for a wrong current password).
 */
export async function changePassword(current: string, password: string): Promise<void> {
  await put('/api/session/password', { current, password });
}

/** The server said the session is over (UNAUTHENTICATED): show the sign-in again. */
export function sessionEnded(): void {
  session.name = null;
  remember(false);
}

/** For a failed call: if the session is over, the console shows the sign-in; returns the error to show. */
export function whenFailed(e: unknown): unknown {
  if (e instanceof ApiError && e.code === 'UNAUTHENTICATED') sessionEnded();
  return e;
}
