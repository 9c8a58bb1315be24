/**
 * `gongshi verify RECORD`: the observer's command. Verifies a record file (or a gongshi server's record
 * at a URL) with every check of §V, on every core; a summary for people, or one JSON object.
 * Exit codes: 0 valid, 1 invalid, 2 unreadable input or usage error.
 */
import { createReadStream, readFileSync, statSync } from 'node:fs';
import { parsePollFingerprint } from '../../bulletin-board/index.ts';
import { UnreadableRecord, reportText, verifyRecord } from '../../verifier/index.ts';
import { UsageError, intOption, parseCommand } from './args.ts';
import { createProofWorkers } from './proof-workers.ts';

const USAGE = 'usage: gongshi verify RECORD [--fingerprint F] [--json] [--checkpoint FILE]... [--workers N]';

/** The record's bytes as a stream, and its size when known. Throws UnreadableRecord. */
async function open(source: string): Promise<{ chunks: AsyncIterable<Uint8Array>; size: number | null }> {
  if (/^https?:\/\//.test(source)) {
    let response: Response;
    try {
      response = await fetch(source);
    } catch (e) {
      throw new UnreadableRecord(`cannot fetch ${source}: ${(e as Error).message}`);
    }
    if (!response.ok || response.body === null) throw new UnreadableRecord(`cannot fetch ${source}: HTTP ${response.status}`);
    const length = Number(response.headers.get('content-length'));
    return { chunks: response.body as unknown as AsyncIterable<Uint8Array>, size: Number.isFinite(length) && length > 0 ? length : null };
  }
  let size: number;
  try {
    const st = statSync(source);
    if (!st.isFile()) throw new Error('not a file');
    size = st.size;
  } catch (e) {
    throw new UnreadableRecord(`cannot read ${source}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  return { chunks: createReadStream(source, { highWaterMark: 1 << 20 }), size };
}

/** A progress line on a terminal: bytes read, entries and ballots so far. */
function progressLine(size: number | null): (p: { entries: number; ballots: number; bytes: number }) => void {
  if (!process.stderr.isTTY) return () => {};
  let last = 0;
  return ({ entries, ballots, bytes }) => {
    const now = Date.now();
    if (now - last < 100) return;
    last = now;
    const pct = size ? ` ${Math.min(100, Math.floor((bytes / size) * 100))}%` : '';
    process.stderr.write(`\rverifying…${pct}  ${entries} entries, ${ballots} ballots   `);
  };
}

export async function verify(argv: readonly string[]): Promise<number> {
  let source: string;
  let json: boolean;
  let checkpoints: string[];
  let workers: number;
  let fingerprint: Uint8Array | undefined;
  try {
    const cmd = parseCommand(argv, { flags: ['json'], lists: ['checkpoint'], values: ['workers', 'fingerprint'], positional: 1 });
    if (cmd.positional.length !== 1) throw new UsageError('name one record file or URL');
    source = cmd.positional[0];
    json = cmd.options.has('json');
    workers = intOption(cmd.options, 'workers', 0, 0, 64);
    const held = cmd.options.get('fingerprint');
    if (held !== undefined) {
      // V42 the fingerprint from the poll's notice or a code sheet: 52 base32 symbols (groups allowed) or 64 hex digits.
      fingerprint = parsePollFingerprint(String(held)) ?? undefined;
      if (fingerprint === undefined) throw new UsageError('--fingerprint: not a poll fingerprint (52 base32 symbols, as on the notice, or 64 hex digits)');
    }
    checkpoints = (cmd.lists.get('checkpoint') ?? []).map((file) => {
      try {
        return readFileSync(file, 'utf8');
      } catch (e) {
        throw new UsageError(`cannot read checkpoint ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
      }
    });
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(`gongshi verify: ${e.message}\n${USAGE}\n`);
      return 2;
    }
    throw e;
  }
  const proofs = workers === 1 ? undefined : createProofWorkers(workers || undefined);
  try {
    const { chunks, size } = await open(source);
    const report = await verifyRecord(chunks, { checkpoints, fingerprint, proofs, parallel: workers > 2 ? 3 * workers : undefined, onProgress: json ? undefined : progressLine(size) });
    if (process.stderr.isTTY && !json) process.stderr.write('\n');
    process.stdout.write(json ? `${JSON.stringify(report)}\n` : reportText(report));
    return report.valid ? 0 : 1;
  } catch (e) {
    if (e instanceof UnreadableRecord) {
      if (process.stderr.isTTY && !json) process.stderr.write('\n');
      process.stderr.write(`gongshi verify: ${e.message}\n`);
      return 2;
    }
    throw e;
  } finally {
    await proofs?.close();
  }
}
