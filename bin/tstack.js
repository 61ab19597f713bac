#!/usr/bin/env node
// The `tstack` command; the TypeScript sources are compiled to dist/ by `npm ci` (prepare).
import { main } from '../dist/cli/main.js';

main(process.argv.slice(2)).then(
  (code) => { process.exitCode = code; },
  (error) => { console.error(`tstack: ${error?.message ?? error}`); process.exitCode = 1; },
);
