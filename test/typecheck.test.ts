/** `npm run typecheck` (tsc and svelte-check) must be clean: run as a test so that CI's one line counts it. */
import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const ROOT = resolve(import.meta.dirname, '..');

async function exitOf(cmd: string, args: string[]): Promise<{ code: number; output: string }> {
  try {
    const { stdout, stderr } = await run(cmd, args, { cwd: ROOT, maxBuffer: 16 << 20 });
    return { code: 0, output: stdout + stderr };
  } catch (e) {
    const err = e as { code?: number; stdout?: string; stderr?: string };
    return { code: err.code ?? 1, output: `${err.stdout ?? ''}${err.stderr ?? ''}` };
  }
}

describe('typecheck', () => {
  it('tsc finds no type errors', async () => {
    const { code, output } = await exitOf('node', ['node_modules/typescript/bin/tsc', '--noEmit', '-p', '.']);
    expect(output).toBe('');
    expect(code).toBe(0);
  });

  it('svelte-check finds no errors and no warnings', async () => {
    const { code, output } = await exitOf('node', ['node_modules/svelte-check/bin/svelte-check', '--tsconfig', './tsconfig.json', '--fail-on-warnings', '--output', 'machine']);
    expect(output).toMatch(/COMPLETED .* 0 ERRORS 0 WARNINGS/);
    expect(code).toBe(0);
  });
});
