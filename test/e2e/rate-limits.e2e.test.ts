/**
 * The public storefront routes of a started platform are limited per client address: a shopper's address
 * that creates carts past the limit gets 429 with a problem document and Retry-After, while health probes,
 * keyed callers and the back office go on.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../support/engines.js';
import { startPlatform, type TestPlatform } from '../support/platform.js';

const SHOPPER = { authorization: '' };

describe.each(ENGINES)('public rate limits (%s)', (engine) => {
  let platform: TestPlatform;

  beforeAll(async () => {
    platform = await startPlatform(engine, {
      env: { TILLSTREAM_PUBLIC_READS_PER_MINUTE: '10', TILLSTREAM_PUBLIC_WRITES_PER_MINUTE: '4' },
    });
  });
  afterAll(async () => platform?.stop());

  it('refuses a shopper address past its writes a minute, and lets keyed callers and probes on', async () => {
    for (let count = 0; count < 4; count += 1) {
      const created = await platform.request('POST', '/commerce/v1/carts', {}, SHOPPER);
      expect(created.status).toBe(201);
      expect(created.headers.get('ratelimit')).toMatch(new RegExp(`^"public-writes";r=${3 - count};t=\\d+$`));
    }
    const refused = await platform.request('POST', '/commerce/v1/carts', {}, SHOPPER);
    expect(refused.status).toBe(429);
    expect(refused.headers.get('content-type')).toContain('application/problem+json');
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(10);
    expect(refused.body).toMatchObject({ code: 'rate_limited', status: 429 });

    // A storefront's server with its key is not counted, a key that opens no route of its own; neither are
    // health probes nor keyed routes.
    const storefront = JSON.parse(
      await platform.cli(['keys', 'create', '--name', 'storefront', '--scopes', 'commerce:storefront']),
    ) as { secret: string };
    const server = { authorization: `Bearer ${storefront.secret}` };
    for (let count = 0; count < 6; count += 1) {
      const created = await platform.request('POST', '/commerce/v1/carts', {}, server);
      expect(created.status).toBe(201);
      expect(created.headers.get('ratelimit')).toBeNull();
    }
    const orders = await platform.request('GET', '/commerce/v1/orders', undefined, server);
    expect(orders.status).toBe(403);
    for (let count = 0; count < 12; count += 1) {
      expect((await platform.request('GET', '/healthz', undefined, SHOPPER)).status).toBe(200);
      expect((await platform.request('GET', '/erp/v1/locations')).status).toBe(200);
    }
  });

  it('counts reads apart from writes', async () => {
    for (let count = 0; count < 10; count += 1)
      expect((await platform.request('GET', '/commerce/v1/products', undefined, SHOPPER)).status).toBe(200);
    const refused = await platform.request('GET', '/commerce/v1/products', undefined, SHOPPER);
    expect(refused.status).toBe(429);
    expect(refused.body).toMatchObject({ code: 'rate_limited' });
  });
});
