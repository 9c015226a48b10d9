import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ContextHarness } from '../src/testing/index.js';
import { probeHarness } from './probe.js';

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

  it('treats an invalid API key on a public route as no key', async () => {
    const first = await post('/probe/v1/carts', 'order-3', 'tsk_not-a-real-key');
    const second = await post('/probe/v1/carts', 'order-3', 'tsk_not-a-real-key');
    expect([first.statusCode, second.statusCode]).toEqual([201, 201]);
    expect(second.json().id).not.toBe(first.json().id);
  });
});
