/**
 * The organisers' accounts: a one-time setup token for the first, scrypt password hashes, sessions,
 * password changes. Every organiser of a server manages every poll (a server is one committee).
 * Only hashes of tokens and session ids are stored, so a copy of the database lets nobody in.
 * Invitations and password-reset links are in account-links.ts.
 */
import { randomBytes, scrypt as scryptCallback, timingSafeEqual, createHash } from 'node:crypto';
import { promisify } from 'node:util';
import type { Database } from 'better-sqlite3';

const scrypt = promisify(scryptCallback) as (password: string, salt: Buffer, keylen: number, options: { N: number; r: number; p: number; maxmem: number }) => Promise<Buffer>;

/** scrypt cost: N = 2^15, r = 8, p = 1 (OWASP's minimum for scrypt), 32 MiB per hash. */
const SCRYPT = { N: 1 << 15, r: 8, p: 1, maxmem: 64 << 20 };
export const SESSION_MS = 12 * 3600_000;
export const SETUP_TOKEN_MS = 7 * 24 * 3600_000;
export const PASSWORD_LIMITS = { min: 10, max: 200 } as const;

/** The only form in which tokens and session ids are stored. */
export const sha256 = (s: string): Buffer => createHash('sha256').update(s).digest();
/** A fresh 256-bit secret, base64url (43 characters). */
export const token = (): string => randomBytes(32).toString('base64url');

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const hash = await scrypt(password, salt, 32, SCRYPT);
  return `scrypt$${SCRYPT.N}$${SCRYPT.r}$${SCRYPT.p}$${salt.toString('base64')}$${hash.toString('base64')}`;
}

export async function checkPassword(password: string, stored: string): Promise<boolean> {
  const [kind, N, r, p, salt, hash] = stored.split('$');
  if (kind !== 'scrypt') throw new Error('bug: unknown password hash kind');
  const expected = Buffer.from(hash, 'base64');
  const got = await scrypt(password, Buffer.from(salt, 'base64'), expected.length, { N: Number(N), r: Number(r), p: Number(p), maxmem: SCRYPT.maxmem });
  return timingSafeEqual(got, expected);
}

export interface Organiser {
  readonly id: number;
  readonly name: string;
}

/** An organiser as the list of organisers shows her. */
export interface OrganiserListed {
  readonly name: string;
  /** when her account was made (ms since 1970) */
  readonly created: number;
}

export class Accounts {
  constructor(
    private readonly db: Database,
    private readonly clock: () => number,
  ) {}

  /**
   * On start: if no organiser has a password yet, creates the account if needed and returns a fresh
   * one-time setup token (earlier ones stop working). Null once an organiser has set a password.
   */
  setupToken(): string | null {
    if (this.db.prepare('SELECT 1 FROM organisers WHERE password_hash IS NOT NULL LIMIT 1').get() !== undefined) return null;
    const row = this.db.prepare('SELECT id FROM organisers ORDER BY id LIMIT 1').get() as { id: number } | undefined;
    const t = token();
    this.db.transaction(() => {
      const id = row?.id ?? Number(this.db.prepare("INSERT INTO organisers (name, created) VALUES ('organiser', ?)").run(this.clock()).lastInsertRowid);
      this.db.prepare('DELETE FROM setup_tokens').run();
      this.db.prepare('INSERT INTO setup_tokens (token_hash, organiser, expires) VALUES (?, ?, ?)').run(sha256(t), id, this.clock() + SETUP_TOKEN_MS);
    })();
    return t;
  }

  /** Whether the setup token would work now (known, not spent, not expired); uses nothing. */
  setupTokenWorks(setupToken: string): boolean {
    const row = this.db.prepare('SELECT expires FROM setup_tokens WHERE token_hash = ?').get(sha256(setupToken)) as { expires: number } | undefined;
    return row !== undefined && row.expires >= this.clock();
  }

  /** Uses the setup token once: sets the name and password. Null if the token is unknown or spent. */
  async completeSetup(setupToken: string, name: string, password: string): Promise<Organiser | null> {
    const hash = await hashPassword(password);
    return this.db.transaction(() => {
      const row = this.db.prepare('SELECT organiser, expires FROM setup_tokens WHERE token_hash = ?').get(sha256(setupToken)) as { organiser: number; expires: number } | undefined;
      if (row === undefined || row.expires < this.clock()) return null;
      this.db.prepare('DELETE FROM setup_tokens').run();
      this.db.prepare('UPDATE organisers SET name = ?, password_hash = ? WHERE id = ?').run(name, hash, row.organiser);
      return { id: row.organiser, name };
    })();
  }

  /** The organiser with this name and password, or null (the same time is spent either way). */
  async login(name: string, password: string): Promise<Organiser | null> {
    const row = this.db.prepare('SELECT id, name, password_hash FROM organisers WHERE name = ?').get(name) as { id: number; name: string; password_hash: string | null } | undefined;
    const stored = row?.password_hash ?? DUMMY_HASH;
    const ok = await checkPassword(password, stored);
    return ok && row?.password_hash ? { id: row.id, name: row.name } : null;
  }

  /** A new session for the organiser; returns the id for the cookie (stored only as a hash). */
  startSession(organiser: Organiser): string {
    const id = token();
    const now = this.clock();
    this.db.prepare('DELETE FROM sessions WHERE expires < ?').run(now);
    this.db.prepare('INSERT INTO sessions (id_hash, organiser, expires) VALUES (?, ?, ?)').run(sha256(id), organiser.id, now + SESSION_MS);
    return id;
  }

  session(id: string): Organiser | null {
    const row = this.db.prepare('SELECT o.id, o.name, s.expires FROM sessions s JOIN organisers o ON o.id = s.organiser WHERE s.id_hash = ?').get(sha256(id)) as
      | { id: number; name: string; expires: number }
      | undefined;
    if (row === undefined || row.expires < this.clock()) return null;
    return { id: row.id, name: row.name };
  }

  endSession(id: string): void {
    this.db.prepare('DELETE FROM sessions WHERE id_hash = ?').run(sha256(id));
  }

  /** Ends every session of the organiser, on every device; returns how many there were. */
  endAllSessions(organiser: Organiser): number {
    return this.db.prepare('DELETE FROM sessions WHERE organiser = ?').run(organiser.id).changes;
  }

  /** The organisers who can sign in (have a password), oldest first. */
  list(): OrganiserListed[] {
    return this.db.prepare('SELECT name, created FROM organisers WHERE password_hash IS NOT NULL ORDER BY created, id').all() as OrganiserListed[];
  }

  /** The names of every organiser by id, for showing who made each poll. */
  names(): Map<number, string> {
    const rows = this.db.prepare('SELECT id, name FROM organisers').all() as { id: number; name: string }[];
    return new Map(rows.map((r) => [r.id, r.name]));
  }

  /** The organiser with this name who can sign in (has a password), or null. */
  byName(name: string): Organiser | null {
    const row = this.db.prepare('SELECT id, name FROM organisers WHERE name = ? AND password_hash IS NOT NULL').get(name) as Organiser | undefined;
    return row ?? null;
  }

  /**
   * Sets a new password if `current` is her password now, and ends every other session of hers (the
   * one `keepSession` names stays). Returns false, writing nothing, if `current` is wrong, or if her
   * password changed meanwhile.
   */
  async changePassword(organiser: Organiser, current: string, next: string, keepSession: string): Promise<boolean> {
    const row = this.db.prepare('SELECT password_hash FROM organisers WHERE id = ?').get(organiser.id) as { password_hash: string | null } | undefined;
    if (!row?.password_hash || !(await checkPassword(current, row.password_hash))) return false;
    const hash = await hashPassword(next);
    return this.db.transaction(() => {
      // Compare and set: a change that happened while this one hashed wins, and this one is refused.
      const set = this.db.prepare('UPDATE organisers SET password_hash = ? WHERE id = ? AND password_hash = ?').run(hash, organiser.id, row.password_hash);
      if (set.changes === 0) return false;
      this.db.prepare('DELETE FROM sessions WHERE organiser = ? AND id_hash != ?').run(organiser.id, sha256(keepSession));
      return true;
    })();
  }
}

/** A real hash of a random password, so that an unknown name costs as much as a wrong password. */
const DUMMY_HASH = `scrypt$${SCRYPT.N}$${SCRYPT.r}$${SCRYPT.p}$${randomBytes(16).toString('base64')}$${randomBytes(32).toString('base64')}`;
