import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ContextHarness } from '../src/testing/index.js';
import { probeHarness } from './probe.js';

/**
 * A body over the limit is answered 413 while the client may still be sending it. Closing the connection
 * at once would reset it under the client, which then often loses the answer (the reset discards what it
 * had not read yet): the client must get its problem document, every time.
 */
describe('a body over the size limit', () => {
  let harness: ContextHarness;
  let baseUrl: string;
  beforeAll(async () => {
    harness = await probeHarness(async (app) => {
      app.post('/echo', { config: { scope: 'public' } }, async (request) => ({ got: request.body }));
    });
    await harness.app.listen({ port: 0, host: '127.0.0.1' });
    baseUrl = `http://127.0.0.1:${(harness.app.server.address() as { port: number }).port}`;
  });
  afterAll(async () => harness?.close());

  it('reaches the client as a 413 problem document, and the connection still serves the next request', async () => {
    const huge = JSON.stringify({ padding: 'x'.repeat(4_000_000) });
    const outcomes = new Map<string, number>();
    for (let attempt = 0; attempt < 25; attempt += 1) {
      const outcome = await fetch(`${baseUrl}/probe/v1/echo`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: huge,
      }).then(
        async (response) =>
          `${response.status} ${((await response.json()) as { code?: string }).code}` +
          // The rest of the body is read and dropped rather than the connection reset under the client.
          (response.headers.get('connection') === 'close' ? ' (connection closed)' : ''),
        (error: unknown) => `failed: ${String((error as Error).cause ?? error)}`,
      );
      outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
    }
    expect(Object.fromEntries(outcomes)).toEqual({ '413 body_too_large': 25 });
    const small = await fetch(`${baseUrl}/probe/v1/echo`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"a":1}',
    });
    expect(await small.json()).toEqual({ got: { a: 1 } });
  });
});
