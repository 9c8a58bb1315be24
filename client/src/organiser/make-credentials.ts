/** Runs credentials.worker.ts: resolves with a code and a public key per voter, reporting progress (0..1). */
export function makeCredentials(poll: string, count: number, progress: (done: number) => void): Promise<{ codes: string[]; keys: string[] }> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./credentials.worker.ts', import.meta.url), { type: 'module' });
    worker.onmessage = (event: MessageEvent<{ progress?: number; codes?: string[]; keys?: string[] }>) => {
      const m = event.data;
      if (m.progress !== undefined) progress(m.progress);
      else {
        worker.terminate();
        resolve({ codes: m.codes!, keys: m.keys! });
      }
    };
    worker.onerror = (e) => {
      worker.terminate();
      reject(new Error(e.message || 'the credential worker failed'));
    };
    worker.postMessage({ poll, count });
  });
}
