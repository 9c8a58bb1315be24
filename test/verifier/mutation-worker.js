// A worker thread for mutations.test.ts: registers the TypeScript loader in this thread (loader hooks
// are per thread), then runs mutation-worker-main.ts, which verifies the records it is sent.
import { register } from 'tsx/esm/api';

register();
await import('./mutation-worker-main.ts');
