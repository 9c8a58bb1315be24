/**
 * The organiser's account: a one-time setup token, a scrypt password hash, and sessions. Only hashes
 * of tokens and session ids are stored, so a copy of the database lets nobody in.
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

const sha256 = (s: string): Buffer => createHash('sha256').update(s).digest();
const token = (): string => randomBytes(32).toString('base64url');

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

export class Accounts {
  constructor(
    private readonly db: Database,
    private readonly clock: () => number,
  ) {}

  /**
   * On start: if no organiser has a password yet, creates the account if needed and returns a fresh
   * one-time setup token (earlier ones stop working). Null once the organiser has set a password.
   */
  setupToken(): string | null {
    const row = this.db.prepare('SELECT id, password_hash FROM organisers ORDER BY id LIMIT 1').get() as { id: number; password_hash: string | null } | undefined;
    if (row?.password_hash) return null;
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
}

/** A real hash of a random password, so that an unknown name costs as much as a wrong password. */
const DUMMY_HASH = `scrypt$${SCRYPT.N}$${SCRYPT.r}$${SCRYPT.p}$${randomBytes(16).toString('base64')}$${randomBytes(32).toString('base64')}`;
