// A worker thread that checks ballot proofs for `gongshi verify`: registers the TypeScript loader in
// this thread (loader hooks are per thread), then runs proof-worker-main.ts.
import { register } from 'tsx/esm/api';

register();
await import('./proof-worker-main.ts');
