#!/usr/bin/env node
// Runs before `npm start`, `npm test` and every `npx gongshi` command: on a fresh clone (no
// node_modules, or one older than the lockfile) it runs `npm ci` first, so that the commands work from nothing.
import { spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));
const marker = `${root}node_modules/.package-lock.json`;
const lock = `${root}package-lock.json`;
const fresh = existsSync(marker) && statSync(marker).mtimeMs >= statSync(lock).mtimeMs;
if (!fresh) {
  process.stderr.write('gongshi: installing dependencies (npm ci; better-sqlite3 compiles, about two minutes)…\n');
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const r = spawnSync(npm, ['ci'], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) {
    process.stderr.write('gongshi: npm ci failed; see the messages above.\n');
    process.exit(r.status ?? 1);
  }
}
