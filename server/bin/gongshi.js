#!/usr/bin/env node
// The `gongshi` command: installs the dependencies on a fresh clone (as `npm start` does), registers
// the TypeScript loader, then hands over to server/cli/main.ts.
await import('./ensure-installed.js');
const { register } = await import('tsx/esm/api');

register();
const { main } = await import('../cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
