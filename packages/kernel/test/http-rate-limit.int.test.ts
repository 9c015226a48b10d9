import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ContextHarness } from '../src/testing/index.js';
import { probeHarness } from './probe.js';

/**
 * Public routes are limited per client address: a burst up to the minute's allowance, then 429 with a
 * problem document and Retry-After until tokens refill (the token-bucket arithmetic: rate-limit.test.ts).
 * Reads and writes count apart; keyed requests, routes that opt out and routes that need a key are not counted.
 */
describe('rate limits of public routes', () => {
  let harness: ContextHarness;
  let writes = 0;
  const request = (
    method: 'GET' | 'POST',
    url: string,
    options: { from?: string; key?: string; forwardedFor?: string } = {},
  ) =>
    harness.app.inject({
      method,
      url: `/probe/v1${url}`,
      remoteAddress: options.from ?? '198.51.100.1',
      headers: {
        ...(method === 'POST' ? { 'content-type': 'application/json' } : {}),
        ...(options.key ? { authorization: `Bearer ${options.key}` } : {}),
        ...(options.forwardedFor ? { 'x-forwarded-for': options.forwardedFor } : {}),
      },
      ...(method === 'POST' ? { payload: '{}' } : {}),
    });

  beforeAll(async () => {
    harness = await probeHarness(
      async (app) => {
        const open = { scope: 'public' } as const;
        app.get('/items', { config: open }, async () => ({ ok: true }));
        app.get('/other-items', { config: open }, async () => ({ ok: true }));
        app.post('/carts', { config: open }, async (_request, reply) => {
          writes += 1;
          return reply.code(201).send({ ok: true });
        });
        app.get('/health', { config: { ...open, rateLimit: false } }, async () => ({ ok: true }));
        app.get('/keyed', { config: { scope: 'erp:read' } }, async () => ({ ok: true }));
      },
      {
        publicRateLimits: { readsPerMinute: 5, writesPerMinute: 3 },
        trustProxy: ['10.0.0.0/8'],
      },
    );
  });
  afterAll(async () => harness?.close());

  it('lets a burst through with what is left in its headers, then answers 429 with a problem document', async () => {
    const from = '198.51.100.10';
    const remaining: string[] = [];
    for (let count = 0; count < 5; count += 1) {
      const answer = await request('GET', count % 2 ? '/items' : '/other-items', { from });
      expect(answer.statusCode).toBe(200);
      expect(answer.headers['ratelimit-policy']).toBe('"public-reads";q=5;w=60');
      remaining.push(String(answer.headers.ratelimit));
    }
    // What is left, and the seconds until the bucket is full again (a token every 12 s).
    expect(remaining).toEqual([
      '"public-reads";r=4;t=12',
      '"public-reads";r=3;t=24',
      '"public-reads";r=2;t=36',
      '"public-reads";r=1;t=48',
      '"public-reads";r=0;t=60',
    ]);
    const refused = await request('GET', '/items', { from });
    expect(refused.statusCode).toBe(429);
    expect(refused.headers['content-type']).toContain('application/problem+json');
    // A token every 12 s, less what refilled while the burst was sent.
    const retryAfter = Number(refused.headers['retry-after']);
    expect(retryAfter).toBeGreaterThanOrEqual(11);
    expect(retryAfter).toBeLessThanOrEqual(12);
    expect(refused.json()).toMatchObject({
      status: 429,
      code: 'rate_limited',
      retryAfterSeconds: retryAfter,
    });
    // HEAD counts as a read and is refused alike.
    expect(
      (await harness.app.inject({ method: 'HEAD', url: '/probe/v1/items', remoteAddress: from })).statusCode,
    ).toBe(429);
  });

  it('counts each address apart, IPv6 by its /64', async () => {
    for (let count = 0; count < 5; count += 1)
      expect((await request('GET', '/items', { from: '2001:db8:1:2::a' })).statusCode).toBe(200);
    expect((await request('GET', '/items', { from: '2001:db8:1:2:ffff::b' })).statusCode).toBe(429);
    expect((await request('GET', '/items', { from: '2001:db8:1:3::a' })).statusCode).toBe(200);
    expect((await request('GET', '/items', { from: '198.51.100.11' })).statusCode).toBe(200);
  });

  it('counts writes apart from reads', async () => {
    const from = '198.51.100.20';
    for (let count = 0; count < 5; count += 1) await request('GET', '/items', { from });
    expect((await request('GET', '/items', { from })).statusCode).toBe(429);
    const before = writes;
    for (let count = 0; count < 3; count += 1)
      expect((await request('POST', '/carts', { from })).statusCode).toBe(201);
    const refused = await request('POST', '/carts', { from });
    expect(refused.statusCode).toBe(429);
    expect(refused.json()).toMatchObject({ code: 'rate_limited' });
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(15);
    expect(writes - before).toBe(3);
  });

  it('does not count requests with a valid API key; an invalid key is counted like none', async () => {
    const from = '198.51.100.30';
    for (let count = 0; count < 5; count += 1)
      expect((await request('GET', '/items', { from, key: 'not-a-key' })).statusCode).toBe(200);
    expect((await request('GET', '/items', { from, key: 'not-a-key' })).statusCode).toBe(429);
    const { secret } = await harness.apiKeys.create({ name: 'storefront', scopes: ['commerce:storefront'] });
    for (let count = 0; count < 10; count += 1) {
      const keyed = await request('GET', '/items', { from, key: secret });
      expect(keyed.statusCode).toBe(200);
      expect(keyed.headers.ratelimit).toBeUndefined();
    }
    // The storefront's scope opens no route of its own.
    expect((await request('GET', '/keyed', { from, key: secret })).statusCode).toBe(403);
  });

  it('leaves routes that opt out, and routes that need a key, uncounted', async () => {
    const from = '198.51.100.40';
    for (let count = 0; count < 20; count += 1) {
      expect((await request('GET', '/health', { from })).statusCode).toBe(200);
      expect((await request('GET', '/keyed', { from, key: harness.adminKey })).statusCode).toBe(200);
    }
    const health = await request('GET', '/health', { from });
    expect(health.headers.ratelimit).toBeUndefined();
    expect((await request('GET', '/items', { from })).headers.ratelimit).toMatch(/^"public-reads";r=4;/);
  });

  it("counts by X-Forwarded-For's client only behind a trusted proxy", async () => {
    const proxy = '10.1.2.3';
    for (let count = 0; count < 5; count += 1)
      await request('GET', '/items', { from: proxy, forwardedFor: '198.51.100.50' });
    expect((await request('GET', '/items', { from: proxy, forwardedFor: '198.51.100.50' })).statusCode).toBe(
      429,
    );
    expect((await request('GET', '/items', { from: proxy, forwardedFor: '198.51.100.51' })).statusCode).toBe(
      200,
    );
    // Not from a trusted proxy: the header is the client's own claim, and the connection's address counts.
    const spoofer = '198.51.100.60';
    for (let count = 0; count < 5; count += 1)
      await request('GET', '/items', { from: spoofer, forwardedFor: `203.0.113.${count}` });
    expect((await request('GET', '/items', { from: spoofer, forwardedFor: '203.0.113.99' })).statusCode).toBe(
      429,
    );
  });
});
