/** One config for the client build (Vite) and the tests (Vitest). */
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  root: 'client',
  plugins: [svelte({ configFile: false })],
  // Web Workers (booth, trustee, verifier) are ES modules: the server's CSP allows only same-site scripts.
  worker: { format: 'es' },
  build: { outDir: '../dist/client', emptyOutDir: true, target: 'es2022', chunkSizeWarningLimit: 2000 },
  test: {
    root: '.',
    include: ['test/**/*.test.ts'],
    environment: 'node',
    testTimeout: 120_000,
    hookTimeout: 120_000,
    globalSetup: ['test/browser/build-client.ts'],
    reporters: ['default', './test/summary-reporter.ts'],
  },
});
