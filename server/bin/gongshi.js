#!/usr/bin/env node
// The `gongshi` command: registers the TypeScript loader, then hands over to server/cli/main.ts.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
