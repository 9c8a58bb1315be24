/**
 * A Web Worker that runs the whole verifier (spec §V) on a record from the server or from a file, so
 * that the page stays responsive; ballot proofs go on to a pool of proof workers (proof-pool.ts).
 */
import { UnreadableRecord, reportText, verifyRecord, type VerifyReport } from '../../../verifier/index.ts';
import { createProofPool, poolSize } from './proof-pool.ts';

/** Where the record is, and the poll fingerprint the observer holds (32 bytes), if any, for V42. */
export type VerifyRequest = ({ readonly url: string } | { readonly file: Blob }) & { readonly fingerprint?: Uint8Array };

export type VerifyMessage =
  | { readonly kind: 'progress'; readonly entries: number; readonly ballots: number; readonly bytes: number }
  | { readonly kind: 'done'; readonly report: VerifyReport; readonly text: string }
  /** the record cannot be read at all (not a record, another version, truncated) */
  | { readonly kind: 'unreadable'; readonly message: string }
  /** the server did not send the record (status 0: unreachable) */
  | { readonly kind: 'unreachable'; readonly status: number }
  | { readonly kind: 'failed'; readonly message: string };

const post = (m: VerifyMessage) => self.postMessage(m);

/** The bytes of a stream, chunk by chunk. */
async function* chunks(stream: ReadableStream<Uint8Array>): AsyncIterable<Uint8Array> {
  const reader = stream.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return;
    yield value;
  }
}

async function open(request: VerifyRequest): Promise<ReadableStream<Uint8Array> | null> {
  if ('file' in request) return request.file.stream();
  let response: Response;
  try {
    response = await fetch(request.url, { credentials: 'same-origin' });
  } catch {
    post({ kind: 'unreachable', status: 0 });
    return null;
  }
  if (!response.ok || response.body === null) {
    post({ kind: 'unreachable', status: response.status });
    return null;
  }
  return response.body;
}

self.onmessage = async (event: MessageEvent<VerifyRequest>) => {
  const stream = await open(event.data);
  if (stream === null) return;
  const proofs = createProofPool(poolSize(navigator.hardwareConcurrency));
  let last = 0;
  try {
    const report = await verifyRecord(chunks(stream), {
      proofs,
      fingerprint: event.data.fingerprint,
      onProgress: (p) => {
        const now = Date.now();
        if (now - last < 100) return;
        last = now;
        post({ kind: 'progress', entries: p.entries, ballots: p.ballots, bytes: p.bytes });
      },
    });
    post({ kind: 'done', report, text: reportText(report) });
  } catch (e) {
    if (e instanceof UnreadableRecord) post({ kind: 'unreadable', message: e.message });
    else post({ kind: 'failed', message: e instanceof Error ? e.message : String(e) });
  } finally {
    proofs.close();
  }
};
