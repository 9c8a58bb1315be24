/**
 * The web layer's defences: security headers with a strict CSP, the origin check on writes (CSRF),
 * rate limits, and the organiser's session cookie.
 */
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { ApiError } from './errors.ts';

export const SESSION_COOKIE = 'gongshi_session';

/**
 * No inline or third-party script, no framing, no referrer. 'wasm-unsafe-eval' lets the site's own
 * scripts compile WebAssembly (the ristretto255 codec, crypto/ristretto-wasm.ts, from bytes inside our
 * own bundle) and nothing else: no eval, no inline or foreign script. Without it the codec falls back
 * to BigInt and runs about ten times slower.
 */
export const SECURITY_HEADERS = {
  'Content-Security-Policy':
    "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data: blob:; connect-src 'self'; worker-src 'self' blob:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'",
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'X-Frame-Options': 'DENY',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'Permissions-Policy': 'camera=(self), microphone=(), geolocation=()',
} as const;

/** The headers on every answer; with HTTPS (`secure`), HSTS too. */
export function securityHeaders(secure: boolean): RequestHandler {
  return (_req, res, next) => {
    res.set(SECURITY_HEADERS);
    if (secure) res.set('Strict-Transport-Security', 'max-age=31536000');
    next();
  };
}

const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * Writes must come from one of `allowed()` origins. A browser always sends Origin on a cross-site
 * write; with `requireOrigin` (cookie-authenticated routes) a write without one is refused too.
 * A request without Origin and without Sec-Fetch-Site comes from a program, not a browser page.
 */
export function originCheck(allowed: () => ReadonlySet<string>, o: { requireOrigin: boolean }): RequestHandler {
  return (req, _res, next) => {
    if (!WRITE_METHODS.has(req.method)) return next();
    const origin = req.get('origin');
    const site = req.get('sec-fetch-site');
    if (origin !== undefined) {
      if (!allowed().has(origin)) return next(new ApiError('ORIGIN_REFUSED', `writes from ${origin} are refused`));
    } else if (site !== undefined && site !== 'same-origin' && site !== 'none') {
      return next(new ApiError('ORIGIN_REFUSED', 'cross-site writes are refused'));
    } else if (o.requireOrigin) {
      return next(new ApiError('ORIGIN_REFUSED', 'this write needs an Origin header'));
    }
    next();
  };
}

export interface RateLimit {
  /** requests allowed in a burst */
  readonly burst: number;
  /** requests per minute refilled */
  readonly perMinute: number;
}

/** The client's address: the key of the limits per address. */
const addressOf = (req: Request): string => req.ip ?? req.socket.remoteAddress ?? 'unknown';

/**
 * A token bucket per client address, kept in memory only (addresses are never written anywhere); or,
 * with `keyOf`, per what it returns (an organiser's name: guesses at one account from many addresses
 * are limited too). A request for which `keyOf` returns null passes.
 */
export function rateLimit(name: string, limit: RateLimit, clock: () => number = Date.now, keyOf: (req: Request) => string | null = addressOf): RequestHandler & { reset(): void } {
  const buckets = new Map<string, { tokens: number; at: number }>();
  const handler = ((req: Request, res: Response, next: NextFunction) => {
    const key = keyOf(req);
    if (key === null) return next();
    const now = clock();
    const b = buckets.get(key) ?? { tokens: limit.burst, at: now };
    b.tokens = Math.min(limit.burst, b.tokens + ((now - b.at) * limit.perMinute) / 60_000);
    b.at = now;
    if (b.tokens < 1) {
      buckets.set(key, b);
      const wait = Math.ceil(((1 - b.tokens) * 60_000) / limit.perMinute / 1000);
      res.set('Retry-After', String(wait));
      return next(new ApiError('RATE_LIMITED', `too many ${name} requests; try again in ${wait} s`));
    }
    b.tokens -= 1;
    buckets.set(key, b);
    if (buckets.size > 100_000) for (const [k, v] of buckets) if (now - v.at > 600_000) buckets.delete(k);
    next();
  }) as RequestHandler & { reset(): void };
  handler.reset = () => buckets.clear();
  return handler;
}

/** The session id from the Cookie header, or null. */
export function sessionCookie(req: Request): string | null {
  const header = req.get('cookie');
  if (!header) return null;
  for (const part of header.split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === SESSION_COOKIE) return v.join('=') || null;
  }
  return null;
}

export function setSessionCookie(res: Response, id: string, maxAgeMs: number, secure: boolean): void {
  res.append('Set-Cookie', `${SESSION_COOKIE}=${id}; Path=/; HttpOnly; SameSite=Strict; Max-Age=${Math.floor(maxAgeMs / 1000)}${secure ? '; Secure' : ''}`);
}

export function clearSessionCookie(res: Response, secure: boolean): void {
  res.append('Set-Cookie', `${SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0${secure ? '; Secure' : ''}`);
}
