import type { ContextModule } from '../src/context.js';
import { createContextHarness, type ContextHarness } from '../src/testing/index.js';

/** The HTTP kit on a context of nothing but these routes (mounted at /probe/v1), on SQLite. */
export function probeHarness(
  routes: ContextModule['routes'],
  http?: Parameters<typeof createContextHarness>[1]['http'],
): Promise<ContextHarness> {
  return createContextHarness(() => ({ name: 'probe', migrations: [], consumers: [], routes }), {
    dialect: 'sqlite',
    name: 'probe',
    http,
  });
}
