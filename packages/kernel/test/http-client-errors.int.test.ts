import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ERROR_CATALOG } from '@tillstream/contracts';
import type { ContextHarness } from '../src/testing/index.js';
import { probeHarness } from './probe.js';

/** Sends raw bytes and reads the answer until the server closes the connection. */
function exchange(port: number, bytes: string): Promise<{ status: number; headers: string; body: any }> {
  return new Promise((done, fail) => {
    const socket = connect(port, '127.0.0.1', () => socket.end(bytes));
    let answer = '';
    socket.on('data', (chunk: Buffer) => (answer += chunk.toString()));
    socket.on('error', fail);
    socket.on('close', () => {
      const [head = '', body = ''] = answer.split('\r\n\r\n');
      done({ status: Number(head.split(' ')[1]), headers: head.toLowerCase(), body: JSON.parse(body) });
    });
  });
}

/**
 * Requests Node's HTTP parser refuses never reach Fastify; they still get a problem document whose code is in
 * the error catalogue, with the status the catalogue gives it and a trace id.
 */
describe('requests the HTTP parser refuses', () => {
  let harness: ContextHarness;
  let port: number;
  beforeAll(async () => {
    harness = await probeHarness(async (app) => {
      app.get('/ping', { config: { scope: 'public' } }, async () => ({ ok: true }));
    });
    await harness.app.listen({ port: 0, host: '127.0.0.1' });
    port = (harness.app.server.address() as { port: number }).port;
  });
  afterAll(async () => harness?.close());

  it.each([
    {
      name: 'a 100 kB URL',
      bytes: `GET /probe/v1/${'A'.repeat(100_000)} HTTP/1.1\r\nHost: x\r\n\r\n`,
      status: 414,
      code: 'uri_too_long',
    },
    {
      name: 'a 100 kB header',
      bytes: `GET /probe/v1/ping HTTP/1.1\r\nHost: x\r\nX-Big: ${'B'.repeat(100_000)}\r\n\r\n`,
      status: 431,
      code: 'request_headers_too_large',
    },
    { name: 'bytes that are not HTTP', bytes: 'NOT HTTP AT ALL\r\n\r\n', status: 400, code: 'bad_request' },
    {
      name: 'an HTTP/1.1 request without a Host header',
      bytes: 'GET /probe/v1/ping HTTP/1.1\r\nConnection: close\r\n\r\n',
      status: 400,
      code: 'bad_request',
    },
  ])('answers $name with $status $code', async ({ bytes, status, code }) => {
    const answer = await exchange(port, bytes);
    expect(answer.status).toBe(status);
    expect(answer.headers).toContain('content-type: application/problem+json');
    expect(answer.body).toMatchObject({ status, code, type: `urn:tillstream:problem:${code}` });
    const entry = (ERROR_CATALOG as Record<string, { title: string; status?: number }>)[code];
    expect(entry).toBeDefined();
    expect(answer.body.title).toBe(entry!.title);
    expect(answer.body.traceId).toMatch(/^[\da-f]{32}$/);
    expect(answer.headers).toContain(`x-trace-id: ${answer.body.traceId}`);
    expect((await harness.app.inject({ method: 'GET', url: '/probe/v1/ping' })).statusCode).toBe(200);
  });
});

/**
 * A client that sends part of a body and then nothing held its connection for good: Fastify turns Node's own
 * request timeout off. With `requestTimeoutMs` it is answered 408 with a problem document and cut off.
 */
describe('a request that does not arrive in time', () => {
  let harness: ContextHarness;
  let port: number;
  beforeAll(async () => {
    harness = await probeHarness(
      async (app) => {
        app.post('/echo', { config: { scope: 'public' } }, async (request) => ({ got: request.body }));
      },
      { requestTimeoutMs: 1_000 },
    );
    await harness.app.listen({ port: 0, host: '127.0.0.1' });
    port = (harness.app.server.address() as { port: number }).port;
  });
  afterAll(async () => harness?.close());

  it('is answered 408 request_timeout and its connection closed, within seconds', async () => {
    const startedAt = Date.now();
    const answer = await new Promise<{ status: number; headers: string; body: any }>((done, fail) => {
      const socket = connect(port, '127.0.0.1', () =>
        socket.write(
          'POST /probe/v1/echo HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"a":',
        ),
      );
      let text = '';
      socket.on('data', (chunk: Buffer) => (text += chunk.toString()));
      socket.on('error', fail);
      socket.on('close', () => {
        const [head = '', body = ''] = text.split('\r\n\r\n');
        done({
          status: Number(head.split(' ')[1]),
          headers: head.toLowerCase(),
          body: body ? JSON.parse(body) : null,
        });
      });
    });
    expect(answer.status).toBe(408);
    expect(answer.headers).toContain('content-type: application/problem+json');
    expect(answer.body).toMatchObject({ status: 408, code: 'request_timeout', title: 'Request timeout' });
    expect(Date.now() - startedAt).toBeLessThan(10_000);
    // A request sent whole is not held to anything else.
    const whole = await fetch(`http://127.0.0.1:${port}/probe/v1/echo`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"a":1}',
    });
    expect(await whole.json()).toEqual({ got: { a: 1 } });
  });
});
