/**
 * One-time account links: an invitation to become an organiser of this server, and a link that lets
 * an organiser set a new password (made by `gongshi admin reset-password` on the server machine).
 * Tokens are 256-bit and stored only as hashes; a link works once, for SETUP_TOKEN_MS (7 days).
 */
import type { Database } from 'better-sqlite3';
import { SETUP_TOKEN_MS, hashPassword, sha256, token, type Organiser } from './accounts.ts';

export type AccountLinkKind = 'invite' | 'reset';

/** What a working link is for: an invitation, or a new password for the organiser named. */
export type AccountLinkUse = { readonly kind: 'invite' } | { readonly kind: 'reset'; readonly name: string };

/** Why a link was refused; nothing was written. */
export type AccountLinkRefusal = 'BAD_LINK' | 'NAME_TAKEN';

interface LinkRow {
  kind: AccountLinkKind;
  organiser: number | null;
  expires: number;
}

export class AccountLinks {
  constructor(
    private readonly db: Database,
    private readonly clock: () => number,
  ) {}

  /** A new invitation; `by` is the organiser who made it, null for the command line. Returns the token. */
  invite(by: Organiser | null): string {
    return this.make('invite', null, by);
  }

  /**
   * A new link to set `organiser`'s password; her password and sessions stay as they are until it is
   * used, so a link nobody uses locks nobody out. Returns the token.
   */
  reset(organiser: Organiser, by: Organiser | null): string {
    return this.make('reset', organiser.id, by);
  }

  private make(kind: AccountLinkKind, organiser: number | null, by: Organiser | null): string {
    const t = token();
    const now = this.clock();
    this.db.transaction(() => {
      this.db.prepare('DELETE FROM account_links WHERE expires < ?').run(now);
      this.db
        .prepare('INSERT INTO account_links (token_hash, kind, organiser, expires, created_by, created) VALUES (?, ?, ?, ?, ?, ?)')
        .run(sha256(t), kind, organiser, now + SETUP_TOKEN_MS, by?.id ?? null, now);
    })();
    return t;
  }

  private find(linkToken: string): LinkRow | null {
    const row = this.db.prepare('SELECT kind, organiser, expires FROM account_links WHERE token_hash = ?').get(sha256(linkToken)) as LinkRow | undefined;
    return row === undefined || row.expires < this.clock() ? null : row;
  }

  /** What the link is for, if it works now (known, not used, not expired); uses nothing. */
  check(linkToken: string): AccountLinkUse | null {
    const row = this.find(linkToken);
    if (row === null) return null;
    if (row.kind === 'invite') return { kind: 'invite' };
    const who = this.db.prepare('SELECT name FROM organisers WHERE id = ? AND password_hash IS NOT NULL').get(row.organiser) as { name: string } | undefined;
    return who === undefined ? null : { kind: 'reset', name: who.name };
  }

  /**
   * Uses an invitation once: makes the organiser `name` with `password`. Refuses, writing nothing and
   * keeping the link, if the name is taken; refuses a link that is not a working invitation.
   */
  async acceptInvite(linkToken: string, name: string, password: string): Promise<Organiser | AccountLinkRefusal> {
    const hash = await hashPassword(password);
    return this.db.transaction((): Organiser | AccountLinkRefusal => {
      const row = this.find(linkToken);
      if (row === null || row.kind !== 'invite') return 'BAD_LINK';
      if (this.db.prepare('SELECT 1 FROM organisers WHERE name = ?').get(name) !== undefined) return 'NAME_TAKEN';
      const id = Number(this.db.prepare('INSERT INTO organisers (name, password_hash, created) VALUES (?, ?, ?)').run(name, hash, this.clock()).lastInsertRowid);
      this.db.prepare('DELETE FROM account_links WHERE token_hash = ?').run(sha256(linkToken));
      return { id, name };
    })();
  }

  /**
   * Uses a reset link once: sets the organiser's new password, ends every session of hers and spends
   * every reset link made for her. Refuses a link that is not a working reset link, writing nothing.
   */
  async completeReset(linkToken: string, password: string): Promise<Organiser | 'BAD_LINK'> {
    const hash = await hashPassword(password);
    return this.db.transaction((): Organiser | 'BAD_LINK' => {
      const row = this.find(linkToken);
      if (row === null || row.kind !== 'reset') return 'BAD_LINK';
      const who = this.db.prepare('SELECT id, name FROM organisers WHERE id = ? AND password_hash IS NOT NULL').get(row.organiser) as Organiser | undefined;
      if (who === undefined) return 'BAD_LINK';
      this.db.prepare('UPDATE organisers SET password_hash = ? WHERE id = ?').run(hash, who.id);
      this.db.prepare('DELETE FROM sessions WHERE organiser = ?').run(who.id);
      this.db.prepare("DELETE FROM account_links WHERE kind = 'reset' AND organiser = ?").run(who.id);
      return who;
    })();
  }
}

/** The page a link opens: /join for an invitation, /reset-password for a new password; the token after #. */
export function accountLinkUrl(base: string, kind: AccountLinkKind, linkToken: string): string {
  return `${base.replace(/\/$/, '')}/${kind === 'invite' ? 'join' : 'reset-password'}#${linkToken}`;
}
