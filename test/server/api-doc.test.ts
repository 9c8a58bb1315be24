/**
 * docs/api.md stays complete: every route registered in server/api/*.ts has its section
 * (`#### \`METHOD /api<path>\``) and every such section names a real route; every code of the closed
 * set (server/api/errors.ts) and INTERNAL has a row in the errors table with the status the server
 * sends; every socket event the live feed emits or handles is named; and the security constants the
 * document quotes (cookie, headers, rate limits, witness limit) are the code's.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS } from '../../server/app.ts';
import { ApiError, ERROR_CODES, type ErrorCode } from '../../server/api/errors.ts';
import { MAX_WITNESSES } from '../../server/api/witness-slots.ts';
import { SECURITY_HEADERS, SESSION_COOKIE } from '../../server/api/security.ts';
import { SESSION_MS } from '../../server/store/accounts.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const API_DIR = join(ROOT, 'server/api');
const DOC = readFileSync(join(ROOT, 'docs/api.md'), 'utf8');
const LIVE_FEED = readFileSync(join(ROOT, 'server/live/live-feed.ts'), 'utf8');

const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;

interface Route {
  readonly method: string;
  readonly path: string;
  readonly where: string;
}

const lineOf = (text: string, index: number): number => text.slice(0, index).split('\n').length;

/** The string literals of `for (const <name> of [ ... ])` in `text`, or null when there is no such loop. */
function loopValues(text: string, name: string): string[] | null {
  const m = new RegExp(String.raw`for\s*\(\s*const\s+${name}\s+of\s+\[([^\]]*)\]`).exec(text);
  if (m === null) return null;
  return [...m[1].matchAll(/'([^']*)'|"([^"]*)"/g)].map((x) => x[1] ?? x[2]);
}

/** Every route of one router file, with template paths expanded over the loop that defines their variable. */
function routesOf(file: string): { routes: Route[]; problems: string[] } {
  const text = readFileSync(join(API_DIR, file), 'utf8');
  const routes: Route[] = [];
  const problems: string[] = [];
  const routers = [...text.matchAll(/\b(?:const|let)\s+(\w+)\s*=\s*(?:express\.)?Router\(\)/g)].map((m) => m[1]);
  for (const router of routers) {
    // Ways of adding routes that this test does not read: refuse them rather than miss a route.
    for (const m of text.matchAll(new RegExp(String.raw`\b${router}\.(route|all)\(|\b${router}\.use\(\s*['"\`]`, 'g')))
      problems.push(`${file}:${lineOf(text, m.index)}: ${m[0]} is not understood by this test`);
    const call = new RegExp(String.raw`\b${router}\.(${METHODS.join('|')})\(\s*`, 'g');
    for (const m of text.matchAll(call)) {
      const method = m[1].toUpperCase();
      const where = `${file}:${lineOf(text, m.index)}`;
      const rest = text.slice(m.index + m[0].length);
      const literal = /^'([^']*)'|^"([^"]*)"/.exec(rest);
      if (literal) {
        routes.push({ method, path: literal[1] ?? literal[2], where });
        continue;
      }
      const template = /^`([^`]*)`/.exec(rest);
      if (template === null) {
        problems.push(`${where}: the path of ${m[0].trim()} is not a literal`);
        continue;
      }
      let paths = [''];
      let ok = true;
      for (const part of template[1].split(/(\$\{\s*\w+\s*\})/)) {
        const variable = /^\$\{\s*(\w+)\s*\}$/.exec(part);
        if (variable === null) {
          paths = paths.map((p) => p + part);
          continue;
        }
        const values = loopValues(text, variable[1]);
        if (values === null || values.length === 0) {
          problems.push(`${where}: cannot expand \${${variable[1]}} (no for…of loop over a literal list)`);
          ok = false;
          break;
        }
        paths = paths.flatMap((p) => values.map((v) => p + v));
      }
      if (ok) for (const path of paths) routes.push({ method, path, where });
    }
  }
  return { routes, problems };
}

const routeFiles = readdirSync(API_DIR).filter((f) => f.endsWith('.ts'));
const read = routeFiles.map(routesOf);
const ROUTES = read.flatMap((r) => r.routes);
const PROBLEMS = read.flatMap((r) => r.problems);
const endpoint = (r: { method: string; path: string }) => `${r.method} /api${r.path}`;

/** The text of the `## N. <title>` section of the document. */
function section(title: string): string {
  const start = DOC.search(new RegExp(String.raw`^## \d+\. ${title}`, 'm'));
  expect(start, `docs/api.md has a section "${title}"`).toBeGreaterThanOrEqual(0);
  const next = DOC.slice(start + 1).search(/^## /m);
  return next < 0 ? DOC.slice(start) : DOC.slice(start, start + 1 + next);
}

describe('docs/api.md: routes', () => {
  it('reads every route of server/api/*.ts', () => {
    expect(PROBLEMS).toEqual([]);
    expect(routeFiles).toEqual(expect.arrayContaining(['organiser-routes.ts', 'trustee-routes.ts', 'voter-routes.ts', 'public-routes.ts']));
    expect(ROUTES.length).toBeGreaterThanOrEqual(30);
    // The loop in organiser-routes.ts registers these three through one template string.
    for (const act of ['open', 'close', 'tally']) expect(ROUTES.map(endpoint)).toContain(`POST /api/polls/:poll/${act}`);
    const seen = new Set<string>();
    for (const r of ROUTES) {
      expect(seen.has(endpoint(r)), `${endpoint(r)} is registered twice (${r.where})`).toBe(false);
      seen.add(endpoint(r));
    }
  });

  it('documents every route in its own section', () => {
    const missing = ROUTES.filter((r) => !DOC.includes(`#### \`${endpoint(r)}\``)).map((r) => `${endpoint(r)} (${r.where})`);
    expect(missing, 'routes without a "#### `METHOD /api<path>`" section in docs/api.md').toEqual([]);
  });

  it('documents no route that does not exist', () => {
    const known = new Set(ROUTES.map(endpoint));
    const documented = [...DOC.matchAll(/^#### `([A-Z]+ \/api\S*)`/gm)].map((m) => m[1]);
    expect(documented.length).toBe(ROUTES.length);
    expect(documented.filter((d) => !known.has(d))).toEqual([]);
  });
});

describe('docs/api.md: errors', () => {
  const errors = section('Errors');
  const rows = new Map<string, number[]>();
  for (const m of errors.matchAll(/^\|\s*`([A-Z_]+)`\s*\|\s*(\d{3})\s*\|/gm)) rows.set(m[1], [...(rows.get(m[1]) ?? []), Number(m[2])]);

  it('has one row with the right status for every code of the closed set, and for INTERNAL', () => {
    expect(ERROR_CODES.length).toBeGreaterThan(30);
    const wrong: string[] = [];
    for (const code of ERROR_CODES) {
      const status = new ApiError(code, '').status;
      const documented = rows.get(code);
      if (documented === undefined) wrong.push(`${code}: no row (status ${status})`);
      else if (documented.length !== 1 || documented[0] !== status) wrong.push(`${code}: documented ${documented.join(', ')}, sent ${status}`);
    }
    if (rows.get('INTERNAL')?.join() !== '500') wrong.push('INTERNAL: needs one row with 500');
    expect(wrong).toEqual([]);
  });

  it('lists no code the server cannot send', () => {
    const known = new Set<string>([...ERROR_CODES, 'INTERNAL']);
    expect([...rows.keys()].filter((c) => !known.has(c as ErrorCode))).toEqual([]);
  });
});

describe('docs/api.md: live events', () => {
  const reserved = new Set(['connect', 'connection', 'connect_error', 'disconnect', 'disconnecting', 'error', 'newListener', 'removeListener']);
  const names = new Set([...LIVE_FEED.matchAll(/\.(?:emit|on|once)\(\s*'([^']+)'/g)].map((m) => m[1]).filter((n) => !reserved.has(n)));

  it('names every event the live feed emits or handles', () => {
    expect([...names]).toEqual(expect.arrayContaining(['board:entry', 'board:checkpoint', 'poll:turnout', 'poll:phase', 'poll:watch', 'poll:unwatch']));
    const live = section('Live events');
    expect([...names].filter((n) => !live.includes(`\`${n}\``))).toEqual([]);
  });
});

describe('docs/api.md: constants it quotes', () => {
  it('quotes the session cookie as the server sets it', () => {
    expect(DOC).toContain(`${SESSION_COOKIE}=<id>; Path=/; HttpOnly; SameSite=Strict; Max-Age=${SESSION_MS / 1000}`);
  });

  it('quotes every security header', () => {
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) expect(DOC).toContain(`${name}: ${value}`);
  });

  it('quotes the default rate limits', () => {
    const label: Record<string, string> = { login: 'login', credential: 'credential check', cast: 'cast', cosign: 'cosignature' };
    const auth = section('Authentication and safety');
    for (const [bucket, limit] of Object.entries(DEFAULT_LIMITS)) {
      expect(label[bucket], `a label for the rate-limit bucket ${bucket}`).toBeDefined();
      expect(auth).toMatch(new RegExp(String.raw`^\| ${label[bucket]} \|[^\n]*\| ${limit.burst} \| ${limit.perMinute} per minute \|$`, 'm'));
    }
  });

  it('quotes the witness limit', () => {
    expect(DOC).toContain(`at most ${MAX_WITNESSES} witnesses per poll`);
    expect(DOC).toContain(`**${MAX_WITNESSES} witnesses per poll**`);
  });
});
