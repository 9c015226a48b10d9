#!/usr/bin/env node
// Runs a TypeScript entry file (benchmarks, scripts) with tsx's loader: node run-ts.mjs path/to/file.ts [args]
import { register } from 'tsx/esm/api';
import { pathToFileURL } from 'node:url';
import { resolve } from 'node:path';

register();
const [entry] = process.argv.splice(2, 1);
if (!entry) {
  console.error('usage: run-ts.mjs <file.ts> [args]');
  process.exit(2);
}
await import(pathToFileURL(resolve(entry)).href);
