/**
 * The server's API (docs/api.md) from the browser: JSON in and out, errors as ApiError with the
 * server's code, translated for people by errorText(). Same-origin only, so the browser sends the
 * Origin header the server requires on writes and the organiser's cookie.
 */
import { t } from './i18n.svelte.ts';
import type { MessageKey } from '../i18n/index.ts';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly field?: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export interface CallOptions {
  /** a trustee's secret token (sent as Authorization: Bearer) */
  readonly token?: string;
  readonly signal?: AbortSignal;
}

/** Calls the API; resolves with the JSON body of a 2xx answer, throws ApiError otherwise (status 0: unreachable). */
export async function api<T = any>(method: string, path: string, body?: unknown, options: CallOptions = {}): Promise<T> {
  const headers: Record<string, string> = {};
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  let res: Response;
  try {
    res = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), credentials: 'same-origin', signal: options.signal });
  } catch (e) {
    if ((e as Error).name === 'AbortError') throw e;
    throw new ApiError(0, 'UNREACHABLE', 'the server cannot be reached');
  }
  const text = await res.text();
  let parsed: any = null;
  try {
    parsed = text === '' ? null : JSON.parse(text);
  } catch {
    parsed = null;
  }
  if (!res.ok) throw new ApiError(res.status, parsed?.error ?? 'INTERNAL', parsed?.message ?? `HTTP ${res.status}`, parsed?.field);
  return parsed as T;
}

export const get = <T = any>(path: string, options?: CallOptions) => api<T>('GET', path, undefined, options);
export const post = <T = any>(path: string, body?: unknown, options?: CallOptions) => api<T>('POST', path, body ?? {}, options);
export const put = <T = any>(path: string, body?: unknown, options?: CallOptions) => api<T>('PUT', path, body ?? {}, options);
export const del = <T = any>(path: string, options?: CallOptions) => api<T>('DELETE', path, undefined, options);

/** Any error as one sentence in the page language (the server's own message only as a last resort). */
export function errorText(e: unknown): string {
  if (e instanceof ApiError) {
    if (e.status === 0) return t('common.unreachable');
    const key = `errors.${e.code}` as MessageKey;
    const text = t(key, { field: e.field ?? e.message });
    return text.startsWith('⟦') ? t('common.error', { message: e.message }) : text;
  }
  return t('common.error', { message: e instanceof Error ? e.message : String(e) });
}

/** Bytes as base64 and back (the API carries entries, ballots and messages this way). */
export function toBase64(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}

export function fromBase64(text: string): Uint8Array {
  const s = atob(text);
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}
