#!/usr/bin/env node
// Runs the bundled CLI, rebuilding it first when a source file is newer (a fresh clone builds on install).
// TILLSTREAM_FROM_SOURCE=1 runs the TypeScript sources through tsx instead, e.g. under a debugger.

if (process.env.TILLSTREAM_FROM_SOURCE === '1') {
  const { register } = await import('tsx/esm/api');
  register();
  await import('../src/cli.ts');
} else {
  const { bundleIsFresh, buildBundle, bundlePath } = await import('./build.mjs');
  if (!bundleIsFresh()) await buildBundle();
  const { runBundle } = await import('./run-bundle.mjs');
  runBundle(bundlePath);
}
