import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // A fork reused from file to file imports the packages once instead of once per file: on two cores the
    // suite fell from 807 s to 617 s (import 95 s → 12 s). No test keeps state at module level that another
    // file reads (the checkpointer and validator caches are keyed by file and schema).
    isolate: false,
    globalSetup: ['test/support/reap-servers.ts', 'test/support/template-database.ts'],
    // Every request's work is followed, in the tests (setup) and the platforms they start (env), so that an
    // event written after an await without the request's origin fails the test (kernel events/origin.ts).
    setupFiles: ['test/support/follow-origins.ts'],
    env: { TILLSTREAM_CHECK_REQUEST_ORIGINS: 'true' },
    projects: [
      {
        // Unit and integration files run in the test process itself (and in PostgreSQL and NATS, under names
        // of their own), so two at a time keep both cores busy.
        extends: true,
        test: {
          name: 'units',
          include: [
            'packages/*/src/**/*.test.ts',
            'packages/*/test/**/*.test.ts',
            'apps/*/src/**/*.test.ts',
            'apps/*/test/**/*.test.ts',
            'test/*.test.ts',
          ],
          maxWorkers: 2,
          sequence: { groupOrder: 0 },
        },
      },
      {
        // An end-to-end file's platform runs in processes of its own. One file at a time left a quarter of the two
        // cores idle (vmstat over eight files: 26 % idle, 8 % two at a time): starts wait on PostgreSQL and NATS,
        // tests on polls and clocks. Two at a time, in runs alternating with one at a time on 2026-12-07: the
        // whole suite 630 / 659 s against 695 / 746 s. (On 2026-12-02, when a platform cost a third more CPU to
        // start, two at a time gained 22 s of 617 and a file's CLI calls overran their timeout.) The tests wait
        // with `eventually` and generous timeouts; the tightest, route-sweep's 5 s for any one answer, held in
        // every run. After the units.
        extends: true,
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          maxWorkers: 2,
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
