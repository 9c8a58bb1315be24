/**
 * A worker thread's code as one self-contained ES module: bundled from its TypeScript sources with
 * esbuild (once per process and entry) and started from a data: URL. A worker that registered the
 * TypeScript loader itself carried the loader's own hooks thread and compiled every module again —
 * about 50 MB per worker, against 20 MB bundled — which made most of a verifier's memory.
 */
import { buildSync } from 'esbuild';
import { fileURLToPath } from 'node:url';

const bundles = new Map<string, URL>();

/** The data: URL of `entry` (a .ts file) bundled with everything it imports; only node: modules stay imports. */
export function bundledWorkerUrl(entry: URL): URL {
  const path = fileURLToPath(entry);
  let url = bundles.get(path);
  if (url === undefined) {
    const out = buildSync({ entryPoints: [path], bundle: true, platform: 'node', format: 'esm', target: 'node20', write: false, logLevel: 'silent' });
    url = new URL(`data:text/javascript;base64,${Buffer.from(out.outputFiles[0].contents).toString('base64')}`);
    bundles.set(path, url);
  }
  return url;
}
