/** createApp on a real socket (127.0.0.1, port 0): health, the client page, security headers, JSON 404s. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type Running } from '../server/support.ts';

let running: Running;
let base: string;

beforeAll(async () => {
  const clientDir = mkdtempSync(join(tmpdir(), 'gongshi-client-'));
  writeFileSync(join(clientDir, 'index.html'), '<!doctype html><title>gongshi test page</title>');
  running = await startServer({ clientDir });
  base = running.base;
});

afterAll(() => running.close());

describe('server', () => {
  it('answers the health check', async () => {
    const res = await fetch(`${base}/api/health`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true });
  });

  it('serves the client page at / and at deep links, with a strict CSP and no framing', async () => {
    for (const path of ['/', '/polls/some-poll']) {
      const res = await fetch(`${base}${path}`);
      expect(res.status).toBe(200);
      expect(await res.text()).toContain('gongshi test page');
      expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
      expect(res.headers.get('x-frame-options')).toBe('DENY');
      expect(res.headers.get('x-powered-by')).toBeNull();
    }
  });

  it('answers an unknown API path with a JSON error code, not the page', async () => {
    const res = await fetch(`${base}/api/nothing-here`);
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ error: 'NOT_FOUND', message: 'no such endpoint' });
  });
});
