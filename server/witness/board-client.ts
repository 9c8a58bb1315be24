/**
 * The three requests a witness makes of a poll's board (docs: the public API): its latest signed
 * checkpoint with the log key, a consistency proof between two sizes, and the post of a cosignature.
 * Every failure, from a refused connection to an answer of the wrong shape, is a BoardError.
 */
import { BoardError } from './errors.ts';

/** How long one request may take before the witness gives up on it. */
export const REQUEST_TIMEOUT_MS = 15_000;
/** Answers larger than this are refused: a checkpoint note is at most 1 MiB (§B.3.1). */
const MAX_ANSWER_BYTES = 2 << 20;

export interface LatestCheckpoint {
  /** the signed checkpoint note, or null while the board is empty */
  readonly checkpoint: string | null;
  /** the log's verifier key (vkey string) as the board states it */
  readonly logKey: string;
}

function reason(e: unknown): string {
  const cause = (e as { cause?: { code?: string; message?: string } }).cause;
  if ((e as Error).name === 'TimeoutError') return `no answer in ${REQUEST_TIMEOUT_MS / 1000} s`;
  return cause?.code ?? cause?.message ?? (e as Error).message;
}

/** One request; the JSON of a 2xx answer. Throws BoardError. */
async function request(url: string, init: RequestInit = {}): Promise<Record<string, unknown>> {
  let res: Response;
  let text: string;
  try {
    res = await fetch(url, { ...init, redirect: 'error', signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
    if (Number(res.headers.get('content-length') ?? 0) > MAX_ANSWER_BYTES) throw new BoardError(`${url}: the answer is too large`);
    text = await res.text();
  } catch (e) {
    if (e instanceof BoardError) throw e;
    throw new BoardError(`cannot reach ${url}: ${reason(e)}`);
  }
  if (text.length > MAX_ANSWER_BYTES) throw new BoardError(`${url}: the answer is too large`);
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  if (!res.ok) {
    const said = typeof body === 'object' && body !== null && 'error' in body ? ` ${String((body as { error: unknown }).error)}: ${String((body as { message?: unknown }).message)}` : '';
    throw new BoardError(`${url}: HTTP ${res.status}${said}`);
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new BoardError(`${url}: the answer is not a JSON object`);
  return body as Record<string, unknown>;
}

/** GET …/checkpoint. Throws BoardError. */
export async function fetchLatestCheckpoint(api: string): Promise<LatestCheckpoint> {
  const url = `${api}/checkpoint`;
  const body = await request(url);
  if (body.checkpoint !== null && typeof body.checkpoint !== 'string') throw new BoardError(`${url}: "checkpoint" is not a string`);
  if (typeof body.logKey !== 'string') throw new BoardError(`${url}: "logKey" is not a string`);
  return { checkpoint: body.checkpoint, logKey: body.logKey };
}

/** GET …/proofs/consistency?from&to: the proof's hashes as the board wrote them (hex strings). Throws BoardError. */
export async function fetchConsistencyPath(api: string, from: number, to: number): Promise<string[]> {
  const url = `${api}/proofs/consistency?from=${from}&to=${to}`;
  const body = await request(url);
  if (body.from !== from || body.to !== to) throw new BoardError(`${url}: the answer is for other sizes`);
  if (!Array.isArray(body.path) || !body.path.every((h) => typeof h === 'string')) throw new BoardError(`${url}: "path" is not a list of strings`);
  return body.path as string[];
}

/**
 * POST …/cosignatures `{ witness, cosigned }` with no Origin header (the board accepts writes without
 * one from non-browsers). Resolves once the board has accepted or already holds a newer one. Throws BoardError.
 */
export async function postCosignature(api: string, witness: string, cosigned: string): Promise<void> {
  await request(`${api}/cosignatures`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ witness, cosigned }) });
}

/**
 * GET …/proofs/inclusion?height=0&size=S: the manifest entry's bytes (from …/entries/0) and the path
 * that includes it in the tree of size S. Throws BoardError.
 */
export async function fetchManifestEntry(api: string, size: number): Promise<{ bytes: Uint8Array; path: Uint8Array[] }> {
  const entry = await request(`${api}/entries/0`);
  if (typeof entry.bytes !== 'string') throw new BoardError(`${api}/entries/0: "bytes" is not a string`);
  const url = `${api}/proofs/inclusion?height=0&size=${size}`;
  const proof = await request(url);
  if (proof.height !== 0 || proof.size !== size) throw new BoardError(`${url}: the answer is for another entry or size`);
  if (!Array.isArray(proof.path) || !proof.path.every((h) => typeof h === 'string' && /^[0-9a-f]{64}$/.test(h))) throw new BoardError(`${url}: "path" is not a list of hashes`);
  return { bytes: new Uint8Array(Buffer.from(entry.bytes, 'base64')), path: (proof.path as string[]).map((h) => new Uint8Array(Buffer.from(h, 'hex'))) };
}
