import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: [
      'packages/*/src/**/*.test.ts',
      'packages/*/test/**/*.test.ts',
      'apps/*/src/**/*.test.ts',
      'apps/*/test/**/*.test.ts',
      'test/**/*.test.ts',
    ],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Most of the suite's time is end-to-end files waiting on child platforms, so two workers keep both
    // cores busy where vitest's default (cores - 1) leaves one of two idle; and a fork reused from file to
    // file imports the packages once instead of once per file. No test keeps state at module level that
    // another file reads (the checkpointer and validator caches are keyed by file and schema). On this
    // 2-core machine: 807 s by default, 665 s with two workers, 595 s with both (`npm test`, both engines).
    maxWorkers: Math.max(2, availableParallelism() - 1),
    isolate: false,
    globalSetup: ['test/support/reap-servers.ts'],
  },
});
