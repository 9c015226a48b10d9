import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ContextHarness } from '../src/testing/index.js';
import { probeHarness } from './probe.js';
import { conflict } from '../src/errors.js';

/**
 * Idempotency-Key answers are replayed only to the caller that stored them. A public POST (a storefront cart)
 * has no caller to scope by unless an API key came along: without one, the key is ignored, never shared.
 */
describe('Idempotency-Key scoped by caller', () => {
  let harness: ContextHarness;
  let created = 0;
  const post = (url: string, key: string, apiKey?: string) =>
    harness.app.inject({
      method: 'POST',
      url,
      payload: {},
      headers: { 'idempotency-key': key, ...(apiKey ? { authorization: `Bearer ${apiKey}` } : {}) },
    });

  beforeAll(async () => {
    harness = await probeHarness(async (app) => {
      const create = async (_request: unknown, reply: { code(status: number): unknown }) => {
        reply.code(201);
        created += 1;
        return { id: `cart-${created}` };
      };
      app.post('/carts', { config: { scope: 'public' } }, create);
      app.post('/orders', { config: { scope: 'erp:write' } }, create);
    });
  });
  afterAll(async () => harness?.close());

  it('never replays one anonymous caller’s answer to another', async () => {
    const shopperA = await post('/probe/v1/carts', 'order-1');
    const shopperB = await post('/probe/v1/carts', 'order-1');
    expect([shopperA.statusCode, shopperB.statusCode]).toEqual([201, 201]);
    expect(shopperB.headers['idempotent-replayed']).toBeUndefined();
    expect(shopperB.json().id).not.toBe(shopperA.json().id);
    expect(shopperB.headers['idempotency-key-ignored']).toBe('anonymous');
  });

  it('scopes a key sent with an API key, on public and keyed routes alike', async () => {
    const { secret: other } = await harness.apiKeys.create({ name: 'other', scopes: ['erp:write'] });
    for (const url of ['/probe/v1/carts', '/probe/v1/orders']) {
      const first = await post(url, `order-2${url}`, harness.adminKey);
      const replayed = await post(url, `order-2${url}`, harness.adminKey);
      const fromOther = await post(url, `order-2${url}`, other);
      expect(replayed.headers['idempotent-replayed']).toBe('true');
      expect(replayed.json().id).toBe(first.json().id);
      expect(fromOther.headers['idempotent-replayed']).toBeUndefined();
      expect(fromOther.json().id).not.toBe(first.json().id);
    }
  });

  it('replays a retry whose body has its members in another order', async () => {
    const send = (payload: object) =>
      harness.app.inject({
        method: 'POST',
        url: '/probe/v1/orders',
        payload,
        headers: { 'idempotency-key': 'order-4', authorization: `Bearer ${harness.adminKey}` },
      });
    const first = await send({ sku: 'A', quantity: 2, lines: [{ x: 1, y: 2 }] });
    const rebuilt = await send({ lines: [{ y: 2, x: 1 }], quantity: 2, sku: 'A' });
    expect([rebuilt.headers['idempotent-replayed'], rebuilt.json()]).toEqual(['true', first.json()]);
    expect((await send({ sku: 'A', quantity: 3, lines: [{ x: 1, y: 2 }] })).json().code).toBe(
      'idempotency_key_reused',
    );
  });

  it('treats an invalid API key on a public route as no key', async () => {
    const first = await post('/probe/v1/carts', 'order-3', 'tsk_not-a-real-key');
    const second = await post('/probe/v1/carts', 'order-3', 'tsk_not-a-real-key');
    expect([first.statusCode, second.statusCode]).toEqual([201, 201]);
    expect(second.json().id).not.toBe(first.json().id);
  });
});

/**
 * The handler's work commits before its answer is stored for replay. If storing fails (the database went
 * away in between), the caller still gets the answer of what was done, never a 5xx that would send it to do
 * it again, and a retry with the key is held off rather than run twice.
 */
describe('Idempotency-Key whose answer cannot be stored', () => {
  let harness: ContextHarness;
  let received = 0;
  const receive = () =>
    harness.app.inject({
      method: 'POST',
      url: '/probe/v1/receipts',
      payload: { units: 5 },
      headers: { 'idempotency-key': 'receipt-1', authorization: `Bearer ${harness.adminKey}` },
    });

  beforeAll(async () => {
    harness = await probeHarness(async (app) => {
      app.post('/receipts', { config: { scope: 'erp:write' } }, async (_request, reply) => {
        received += 1;
        return reply.code(201).send({ receipt: received });
      });
    });
  });
  afterAll(async () => harness?.close());

  it('answers what the handler did and holds off a retry until the key counts as abandoned', async () => {
    // A real failure of the store's UPDATE, as a database refusing writes would give.
    await harness.db.transaction((tx) =>
      tx.exec(`CREATE TRIGGER refuse_answers BEFORE UPDATE ON idempotency_keys
               BEGIN SELECT RAISE(FAIL, 'disk I/O error'); END`),
    );
    const first = await receive();
    expect(first.statusCode).toBe(201);
    expect(first.json()).toEqual({ receipt: 1 });

    const retried = await receive();
    expect(retried.statusCode).toBe(409);
    expect(retried.json().code).toBe('idempotency_request_in_progress');
    expect(received).toBe(1);

    await harness.db.transaction((tx) => tx.exec('DROP TRIGGER refuse_answers'));
    harness.clock.advance(61_000);
    const afterAbandoned = await receive();
    expect(afterAbandoned.statusCode).toBe(201);
    expect((await receive()).headers['idempotent-replayed']).toBe('true');
  });
});

/**
 * A refusal that says to try again (`Retry-After`) is no outcome of the request: a retry with the key runs
 * again rather than replaying it, as after a 5xx.
 */
describe('Idempotency-Key answered with Retry-After', () => {
  let harness: ContextHarness;
  let busy = true;
  let placed = 0;
  const checkout = () =>
    harness.app.inject({
      method: 'POST',
      url: '/probe/v1/checkouts',
      payload: {},
      headers: { 'idempotency-key': 'checkout-1', authorization: `Bearer ${harness.adminKey}` },
    });

  beforeAll(async () => {
    harness = await probeHarness(async (app) => {
      app.post('/checkouts', { config: { scope: 'erp:write' } }, async (_request, reply) => {
        if (busy) throw conflict('checkout_in_progress', 'Another checkout runs', { retryAfterSeconds: 2 });
        placed += 1;
        return reply.code(201).send({ order: placed });
      });
    });
  });
  afterAll(async () => harness?.close());

  it('is not stored: the retry it asks for runs, and its answer is the one replayed', async () => {
    const refused = await checkout();
    expect([refused.statusCode, refused.headers['retry-after'], refused.json().code]).toEqual([
      409,
      '2',
      'checkout_in_progress',
    ]);
    busy = false;
    const retried = await checkout();
    expect([retried.statusCode, retried.json()]).toEqual([201, { order: 1 }]);
    const replayed = await checkout();
    expect([replayed.headers['idempotent-replayed'], replayed.json()]).toEqual(['true', { order: 1 }]);
  });
});
