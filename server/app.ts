/**
 * createApp(config): the HTTP server. For now it serves the built client and a health check;
 * the poll API, the board and socket.io arrive with the server issue.
 */
import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import express from 'express';

export interface AppConfig {
  /** Folder of the built client (vite build output). */
  readonly clientDir: string;
}

export interface App {
  readonly http: Server;
  close(): Promise<void>;
}

export function createApp(config: AppConfig): App {
  const app = express();
  app.disable('x-powered-by');
  app.use((_req, res, next) => {
    res.set({
      'Content-Security-Policy': "default-src 'self'; script-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'",
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'no-referrer',
      'X-Frame-Options': 'DENY',
    });
    next();
  });
  app.get('/api/health', (_req, res) => {
    res.json({ ok: true });
  });
  app.use('/api', (_req, res) => {
    res.status(404).json({ error: 'NOT_FOUND', message: 'no such endpoint' });
  });
  app.use(express.static(config.clientDir, { index: 'index.html' }));
  // The client routes in the browser: every other path gets the app's page.
  app.get('/{*splat}', (_req, res) => {
    const page = join(config.clientDir, 'index.html');
    if (existsSync(page)) res.sendFile(page);
    else res.status(503).type('text').send('The client is not built yet: run `npm run build`.');
  });
  const http = createServer(app);
  return {
    http,
    close: () =>
      new Promise<void>((resolve, reject) => {
        http.close((err) => (err ? reject(err) : resolve()));
        http.closeAllConnections();
      }),
  };
}
