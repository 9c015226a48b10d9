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
    // A fork reused from file to file imports the packages once instead of once per file: on two cores the
    // suite fell from 807 s to 617 s (import 95 s → 12 s). No test keeps state at module level that another
    // file reads (the checkpointer and validator caches are keyed by file and schema). Two workers gained
    // little more (595 s) but oversubscribe two cores: an end-to-end file's CLI calls then overran their
    // timeout, so vitest's default number of workers (cores - 1) stays. Starting a file's scale-out platform in
    // the background while its embedded half ran did no better: eight e2e files took 101 / 100 s against
    // 84 / 94 s run plainly (alternating runs, 2026-12-02). The e2e files keep two cores busy as they are.
    isolate: false,
    globalSetup: ['test/support/reap-servers.ts'],
    // Every request's work is followed, in the tests (setup) and the platforms they start (env), so that an
    // event written after an await without the request's origin fails the test (kernel events/origin.ts).
    setupFiles: ['test/support/follow-origins.ts'],
    env: { TILLSTREAM_CHECK_REQUEST_ORIGINS: 'true' },
  },
});
