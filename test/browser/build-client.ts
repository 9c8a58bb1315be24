/**
 * Vitest global setup: builds the client once per change of its sources (client/, crypto/,
 * bulletin-board/, verifier/, the Vite config, the lockfile) into node_modules/.cache, and hands
 * the folder to the browser tests (inject('clientDir')). Concurrent runs each build aside and
 * rename into place, so they never serve a half-written folder.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    clientDir: string;
  }
}

const root = fileURLToPath(new URL('../../', import.meta.url));
const INPUTS = ['client', 'crypto', 'bulletin-board', 'verifier', 'vite.config.ts', 'package-lock.json'];

function files(path: string): string[] {
  if (!statSync(path).isDirectory()) return [path];
  return readdirSync(path)
    .sort()
    .flatMap((name) => files(join(path, name)));
}

function sourceHash(): string {
  const h = createHash('sha256');
  for (const input of INPUTS) for (const f of files(join(root, input))) h.update(relative(root, f)).update('\0').update(readFileSync(f)).update('\0');
  return h.digest('hex').slice(0, 16);
}

export default async function setup(project: TestProject): Promise<void> {
  const dir = join(root, 'node_modules', '.cache', 'gongshi', `client-${sourceHash()}`);
  if (!existsSync(join(dir, 'index.html'))) {
    const { build } = await import('vite');
    const aside = `${dir}.${process.pid}.tmp`;
    await build({ configFile: join(root, 'vite.config.ts'), logLevel: 'warn', build: { outDir: aside, emptyOutDir: true } });
    try {
      renameSync(aside, dir);
    } catch {
      rmSync(aside, { recursive: true, force: true }); // another run put the same build in place first
    }
  }
  project.provide('clientDir', dir);
}
