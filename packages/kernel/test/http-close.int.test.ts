import { connect, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { ContextHarness } from '../src/testing/index.js';
import { probeHarness } from './probe.js';

/** Shutdown drains requests in flight, but nothing may hold it open past that. */
describe('HTTP shutdown', () => {
  let harness: ContextHarness | undefined;
  afterEach(async () => harness?.close());

  async function listening(): Promise<{ port: number; harness: ContextHarness }> {
    harness = await probeHarness(async (app) => {
      app.get('/slow', { config: { scope: 'public' } }, async () => {
        await new Promise((resolve) => setTimeout(resolve, 300));
        return { ok: true };
      });
    });
    await harness.app.listen({ port: 0, host: '127.0.0.1' });
    return { port: (harness.app.server.address() as { port: number }).port, harness };
  }

  function open(port: number): Promise<Socket> {
    return new Promise((resolve, reject) => {
      const socket = connect(port, '127.0.0.1', () => resolve(socket));
      socket.on('error', reject);
    });
  }

  const within = (promise: Promise<unknown>, ms: number) =>
    Promise.race([
      promise.then(() => 'closed'),
      new Promise((resolve) => setTimeout(() => resolve('still open'), ms)),
    ]);

  it('closes at once despite a connection on which the client never sent a request', async () => {
    const { port, harness } = await listening();
    const silent = await open(port);
    silent.on('error', () => undefined);
    await new Promise((resolve) => setTimeout(resolve, 50));
    await expect(within(harness.app.close(), 2000)).resolves.toBe('closed');
    silent.destroy();
  });

  it('still answers a request in flight before it closes', async () => {
    const { port, harness } = await listening();
    const answer = fetch(`http://127.0.0.1:${port}/probe/v1/slow`);
    await new Promise((resolve) => setTimeout(resolve, 100));
    const closing = harness.app.close();
    const response = await answer;
    expect(response.status).toBe(200);
    expect(response.headers.get('connection')).toBe('close');
    expect(await response.json()).toEqual({ ok: true });
    await expect(within(closing, 2000)).resolves.toBe('closed');
  });
});
