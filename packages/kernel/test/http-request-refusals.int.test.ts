import { request as httpRequest } from 'node:http';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Type } from 'typebox';
import { ERROR_CATALOG } from '@tillstream/contracts';
import type { ContextHarness } from '../src/testing/index.js';
import { MAX_BODY_DEPTH, nestedDeeperThan } from '../src/http/json-body.js';
import { probeHarness } from './probe.js';

const nested = (depth: number, open = '[', close = ']') => open.repeat(depth) + close.repeat(depth);
const nestedObject = (depth: number) => '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);

describe('nestedDeeperThan', () => {
  it.each([
    { json: nested(3), limit: 3, deeper: false },
    { json: nested(4), limit: 3, deeper: true },
    { json: nestedObject(4), limit: 4, deeper: false },
    { json: nestedObject(5), limit: 4, deeper: true },
    { json: '[[],[],[[]]]', limit: 3, deeper: false },
    { json: '[[],[],[[[]]]]', limit: 3, deeper: true },
    { json: '{"a":[{"b":[1]}]}', limit: 3, deeper: true },
    { json: '{"note":"[[[[[[{{{{"}', limit: 1, deeper: false },
    { json: '"x"', limit: 0, deeper: false },
    { json: '[]', limit: 0, deeper: true },
  ])('$json within $limit: deeper $deeper', ({ json, limit, deeper }) => {
    expect(nestedDeeperThan(JSON.parse(json), limit)).toBe(deeper);
  });
});

interface Answer {
  status: number;
  headers: Headers;
  body: { code?: string; status?: number; title?: string; traceId?: string; allowed?: string[] } | null;
}

/**
 * Requests the HTTP kit refuses before any route runs: a body too deep for the walks that follow, one it
 * cannot read as UTF-8 JSON, an Expect it does not serve, a method a path does not take. Each gets its
 * catalogue code with the catalogue's status, never a 500, and the routes never see them.
 */
describe('requests refused before any route runs', () => {
  let harness: ContextHarness;
  let baseUrl: string;
  const seen: unknown[] = [];
  beforeAll(async () => {
    harness = await probeHarness(async (app) => {
      const body = Type.Object({ lines: Type.Array(Type.Object({ sku: Type.String() })) });
      app.post('/typed', { config: { scope: 'public' }, schema: { body } }, async (request) => {
        seen.push(request.body);
        return { ok: true };
      });
      // A route with no body schema parses its body all the same: the depth must be bounded there too.
      app.post('/untyped', { config: { scope: 'public' } }, async (request) => {
        seen.push(request.body);
        return { ok: true };
      });
      app.get('/items/:id', { config: { scope: 'public' } }, async () => ({ ok: true }));
      app.put('/items/:id', { config: { scope: 'public' } }, async () => ({ ok: true }));
    });
    await harness.app.listen({ port: 0, host: '127.0.0.1' });
    baseUrl = `http://127.0.0.1:${(harness.app.server.address() as { port: number }).port}/probe/v1`;
  });
  afterAll(async () => harness?.close());

  async function send(
    method: string,
    path: string,
    body?: string | Buffer,
    headers: Record<string, string> = {},
  ): Promise<Answer> {
    const response = await fetch(baseUrl + path, {
      method,
      headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
      body,
    });
    const text = await response.text();
    return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : null };
  }

  function expectProblem(answer: Answer, status: number, code: string) {
    expect(answer.status, JSON.stringify(answer.body)).toBe(status);
    expect(answer.headers.get('content-type')).toContain('application/problem+json');
    const entry = (ERROR_CATALOG as Record<string, { title: string; status?: number }>)[code];
    expect(entry, `${code} is in the catalogue`).toBeDefined();
    expect(answer.body).toMatchObject({ status, code, title: entry!.title });
    expect(answer.body?.traceId).toMatch(/^[\da-f]{32}$/);
  }

  it.each([
    { name: '200,000 nested arrays', body: nested(200_000) },
    { name: '100,000 nested objects', body: nestedObject(100_000) },
    { name: `one level past the limit`, body: `{"lines":${nested(MAX_BODY_DEPTH)}}` },
  ])(
    'refuses $name with 400 body_too_deep, on a route with a body schema and one without',
    async ({ body }) => {
      const before = seen.length;
      expectProblem(await send('POST', '/typed', body), 400, 'body_too_deep');
      expectProblem(
        await send('POST', '/untyped', body, { 'idempotency-key': 'deep-1' }),
        400,
        'body_too_deep',
      );
      expect(seen.length).toBe(before);
    },
  );

  it('takes a body nested to the limit', async () => {
    const answer = await send('POST', '/untyped', nested(MAX_BODY_DEPTH));
    expect(answer.status).toBe(200);
  });

  it.each<{ name: string; headers: Record<string, string>; gzip?: boolean }>([
    { name: 'a UTF-16 charset', headers: { 'content-type': 'application/json; charset=utf-16' } },
    { name: 'a Latin-1 charset', headers: { 'content-type': 'application/json;charset="ISO-8859-1"' } },
    { name: 'a gzip body', headers: { 'content-encoding': 'gzip' }, gzip: true },
    { name: 'a deflate encoding', headers: { 'content-encoding': 'deflate' } },
    { name: 'a text/plain body', headers: { 'content-type': 'text/plain' } },
  ])('refuses $name with 415 unsupported_media_type', async ({ headers, gzip }) => {
    const before = seen.length;
    const json = JSON.stringify({ lines: [{ sku: 'café' }] });
    expectProblem(
      await send('POST', '/typed', gzip ? gzipSync(json) : json, headers),
      415,
      'unsupported_media_type',
    );
    expect(seen.length).toBe(before);
  });

  it.each([
    'application/json',
    'application/json; charset=utf-8',
    'application/json; charset="UTF-8"',
    'application/json; charset=us-ascii',
  ])('reads a body sent as %s', async (contentType) => {
    const answer = await send('POST', '/typed', JSON.stringify({ lines: [{ sku: 'café' }] }), {
      'content-type': contentType,
      'content-encoding': 'identity',
    });
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    expect(seen.at(-1)).toEqual({ lines: [{ sku: 'café' }] });
  });

  it('answers an Expect it does not serve with 417 expectation_failed, and 100-continue as usual', async () => {
    const expecting = (expect: string, body: string) =>
      new Promise<Answer>((resolve, reject) => {
        const request = httpRequest(`${baseUrl}/untyped`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'content-length': String(body.length), expect },
        });
        request.on('continue', () => request.end(body));
        request.on('response', (response) => {
          let text = '';
          response.on('data', (chunk: Buffer) => (text += chunk.toString()));
          response.on('end', () =>
            resolve({
              status: response.statusCode ?? 0,
              headers: new Headers(response.headers as Record<string, string>),
              body: text ? JSON.parse(text) : null,
            }),
          );
        });
        request.on('error', reject);
        if (expect !== '100-continue') request.end(body);
      });
    const before = seen.length;
    expectProblem(await expecting('202-accepted', '{"a":1}'), 417, 'expectation_failed');
    expect(seen.length).toBe(before);
    const continued = await expecting('100-continue', '{"a":2}');
    expect(continued.status).toBe(200);
    expect(seen.at(-1)).toEqual({ a: 2 });
  });

  it('answers a method a path does not take with 405 method_not_allowed and the methods it does', async () => {
    const answer = await send('DELETE', '/items/1');
    expectProblem(answer, 405, 'method_not_allowed');
    expect(answer.headers.get('allow')).toBe('GET, HEAD, PUT');
    expect(answer.body?.allowed).toEqual(['GET', 'HEAD', 'PUT']);
    expectProblem(await send('GET', '/typed/'), 405, 'method_not_allowed');
  });

  it('still answers a path no route has with 404 route_not_found', async () => {
    expectProblem(await send('GET', '/nothing-here'), 404, 'route_not_found');
    expectProblem(await send('DELETE', '/items/1/more'), 404, 'route_not_found');
  });
});
