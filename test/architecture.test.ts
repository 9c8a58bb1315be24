/**
 * The house rules that the import graph must keep (README.md, "Imports point one way"):
 * client → verifier → bulletin-board → crypto, server may use all but client; each folder is entered
 * only through its index.ts; crypto/ is pure (no I/O, no clock, no DOM, no Math.random).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '..');
const FOLDERS = ['crypto', 'bulletin-board', 'verifier', 'server', 'client'] as const;
type Folder = (typeof FOLDERS)[number];
const MAY_IMPORT: Record<Folder, Folder[]> = {
  crypto: [],
  'bulletin-board': ['crypto'],
  verifier: ['bulletin-board', 'crypto'],
  server: ['verifier', 'bulletin-board', 'crypto'],
  client: ['verifier', 'bulletin-board', 'crypto'],
};
/** Second doors: a Node-only part of a folder, kept out of the browser bundle, and who may use it. */
const SIDE_DOORS: Record<string, Folder[]> = { 'bulletin-board/store/index.ts': ['server'] };
const CRYPTO_PACKAGES = [/^@noble\/curves\//, /^@noble\/hashes\//, /^bigint-crypto-utils$/];

function sources(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (name === 'node_modules' || name === 'dist') continue;
    if (statSync(p).isDirectory()) out.push(...sources(p));
    else if (/\.(ts|js|svelte)$/.test(name)) out.push(p);
  }
  return out;
}

function imports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const specs: string[] = [];
  for (const m of text.matchAll(/(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|^\s*import\s+['"]([^'"]+)['"]/gm)) {
    specs.push(m[1] ?? m[2] ?? m[3]);
  }
  return specs;
}

const files = FOLDERS.flatMap((f) => sources(join(ROOT, f)).map((file) => ({ folder: f, file })));

describe('architecture', () => {
  it('finds the sources it checks', () => {
    expect(files.filter((f) => f.folder === 'crypto').length).toBeGreaterThan(15);
  });

  it('keeps imports pointing one way, each folder entered through its index.ts', () => {
    const problems: string[] = [];
    for (const { folder, file } of files) {
      for (const spec of imports(file)) {
        if (!spec.startsWith('.')) continue;
        const target = resolve(dirname(file), spec);
        const targetFolder = relative(ROOT, target).split('/')[0] as Folder;
        if (targetFolder === folder || !FOLDERS.includes(targetFolder)) continue;
        const where = `${relative(ROOT, file)} imports ${spec}`;
        const door = relative(ROOT, target);
        if (!MAY_IMPORT[folder].includes(targetFolder)) problems.push(`${where}: ${folder} may not use ${targetFolder}`);
        else if (SIDE_DOORS[door]) {
          if (!SIDE_DOORS[door].includes(folder)) problems.push(`${where}: only ${SIDE_DOORS[door].join(', ')} may use ${door}`);
        } else if (door !== `${targetFolder}/index.ts`) problems.push(`${where}: go through ${targetFolder}/index.ts`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('keeps crypto/ pure: only noble and bigint-crypto-utils, no I/O, clock, DOM or Math.random', () => {
    const problems: string[] = [];
    for (const { folder, file } of files) {
      if (folder !== 'crypto') continue;
      const where = relative(ROOT, file);
      for (const spec of imports(file)) {
        if (!spec.startsWith('.') && !CRYPTO_PACKAGES.some((re) => re.test(spec))) problems.push(`${where} imports ${spec}`);
      }
      const code = readFileSync(file, 'utf8').replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, '');
      // Globals that mean I/O, time or ambient randomness; property accesses (check.require) do not count.
      const banned: [string, RegExp][] = [
        ['Math.random', /\bMath\.random\b/],
        ['require()', /(?<![.\w])require\(\s*['"]/],
        ...['Date', 'performance', 'process', 'console', 'fetch', 'document', 'window', 'setTimeout'].map(
          (name): [string, RegExp] => [name, new RegExp(`(?<![.\\w])${name}\\b`)],
        ),
      ];
      for (const [name, re] of banned) if (re.test(code)) problems.push(`${where} uses ${name}`);
    }
    expect(problems).toEqual([]);
  });

  it('opens SQLite only in the board store and the server store, out of the browser-safe front door', () => {
    // Type-only imports (`import type`) load nothing; only value imports open SQLite.
    const valueImport = (file: string) => /^\s*import\s+(?!type\s)[^'"]*from\s*['"]better-sqlite3['"]/m.test(readFileSync(file, 'utf8'));
    const users = files.filter(({ file }) => valueImport(file)).map(({ file }) => relative(ROOT, file));
    expect(users).toEqual(['bulletin-board/store/sqlite-storage.ts', 'server/store/backup.ts', 'server/store/server-database.ts']);
    const front = files.filter(({ file }) => relative(ROOT, file).startsWith('bulletin-board/') && !relative(ROOT, file).startsWith('bulletin-board/store/'));
    const leaks = front.filter(({ file }) => imports(file).some((spec) => spec.includes('store/'))).map(({ file }) => relative(ROOT, file));
    expect(leaks).toEqual([]);
  });

  it('builds points from untrusted bytes only in crypto/encoding.ts and the ristretto255 codec', () => {
    // crypto/edwards-fold.ts hands the MSM's own sums (of points that went through the decoder) back
    // to noble as a point: coordinates it computed, never bytes from outside.
    const allowed = ['crypto/encoding.ts', 'crypto/ristretto-codec.ts', 'crypto/ristretto-bigint.ts', 'crypto/ristretto-wasm.ts', 'crypto/edwards-fold.ts'];
    const offenders = files
      .filter(({ file }) => !allowed.includes(relative(ROOT, file)))
      // Point constructors are methods (RistrettoPoint.fromBytes, .fromHex, .fromAffine) and, from raw
      // coordinates, new ed25519.Point(…) as the codec does; crypto's own fromHex (hex to bytes) is fine.
      .filter(({ file }) => /\.(fromBytes|fromHex|fromAffine)\s*\(|new\s+ed25519\.Point\s*\(/.test(readFileSync(file, 'utf8').replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, '')))
      .map(({ file }) => relative(ROOT, file));
    expect(offenders).toEqual([]);
  });
});
