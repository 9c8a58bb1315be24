/** A small strict parser for `--name value` and `--flag` options: unknown options are errors. */
import { resolve } from 'node:path';

export class UsageError extends Error {
  override name = 'UsageError';
}

/** Parses argv against the known options; `flags` take no value. Throws UsageError. */
export function parseOptions(argv: readonly string[], values: readonly string[], flags: readonly string[]): Map<string, string | true> {
  const out = new Map<string, string | true>();
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const name = a.startsWith('--') ? a.slice(2) : '';
    if (flags.includes(name)) out.set(name, true);
    else if (values.includes(name)) {
      const v = argv[++i];
      if (v === undefined || v.startsWith('--')) throw new UsageError(`--${name} needs a value`);
      out.set(name, v);
    } else throw new UsageError(`unknown option "${a}"`);
  }
  return out;
}

/** An integer option within [min, max], or the default. Throws UsageError. */
export function intOption(opts: Map<string, string | true>, name: string, fallback: number, min: number, max: number): number {
  const v = opts.get(name);
  if (v === undefined) return fallback;
  const n = Number(v);
  if (!Number.isInteger(n) || n < min || n > max) throw new UsageError(`--${name} must be an integer from ${min} to ${max}`);
  return n;
}

export interface ParsedCommand {
  readonly options: Map<string, string | true>;
  /** values of repeatable options, in order */
  readonly lists: Map<string, string[]>;
  readonly positional: string[];
}

/**
 * Parses argv with positional arguments (at most `positional`) and repeatable `--name value` options
 * (`lists`) besides the single `values` and `flags`. Throws UsageError.
 */
export function parseCommand(
  argv: readonly string[],
  spec: { readonly values?: readonly string[]; readonly flags?: readonly string[]; readonly lists?: readonly string[]; readonly positional?: number },
): ParsedCommand {
  const options = new Map<string, string | true>();
  const lists = new Map<string, string[]>();
  const positional: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (!a.startsWith('--')) {
      if (positional.length >= (spec.positional ?? 0)) throw new UsageError(`unexpected argument "${a}"`);
      positional.push(a);
      continue;
    }
    const name = a.slice(2);
    if (spec.flags?.includes(name)) options.set(name, true);
    else if (spec.values?.includes(name) || spec.lists?.includes(name)) {
      const v = argv[++i];
      if (v === undefined || v.startsWith('--')) throw new UsageError(`--${name} needs a value`);
      if (spec.lists?.includes(name)) lists.set(name, [...(lists.get(name) ?? []), v]);
      else options.set(name, v);
    } else throw new UsageError(`unknown option "${a}"`);
  }
  return { options, lists, positional };
}

/** An environment variable, where an empty one counts as unset. */
export function env(name: string): string | undefined {
  return process.env[name] === '' ? undefined : process.env[name];
}

/** The server's data folder: --data, else $GONGSHI_DATA, else ./data; absolute. */
export function dataDirOption(opts: Map<string, string | true>): string {
  return resolve((opts.get('data') as string | undefined) ?? env('GONGSHI_DATA') ?? 'data');
}
