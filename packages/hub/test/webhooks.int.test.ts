import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { foreignEvent, harnessDialects } from '@tillstream/kernel/testing';
import { startReceiver, type Receiver } from '../../../test/support/webhook-receiver.js';
import { pgUrl, startHubRig, until, type HubRig } from './hub-rig.js';

describe.each(harnessDialects(pgUrl))('webhook deliveries on a real %s database', (dialect) => {
  let rig: HubRig;
  let receiver: Receiver;

  beforeEach(async () => {
    rig = await startHubRig(dialect);
    receiver = await startReceiver();
  });
  afterEach(async () => {
    await rig?.close();
    await receiver?.close();
  });

  async function subscribe(events: string[] = ['erp.*']) {
    const created = await rig.api('POST', '/hub/v1/webhooks', { url: receiver.url, events });
    expect(created.status).toBe(201);
    receiver.secrets = [created.body.secret];
    return created.body as { id: string; secret: string };
  }
  const deliveries = async (webhookId: string) =>
    (await rig.api('GET', `/hub/v1/webhooks/${webhookId}/deliveries?limit=500`)).body.deliveries as any[];
  const keysInOrder = (key: string) =>
    receiver.processed
      .filter((request) => request.event.partitionkey === key)
      .map((request) => request.event.data.n);

  it('sends signed CloudEvents that standardwebhooks verifies, in log order per key, each once', async () => {
    await subscribe(['erp.stock.changed']);
    const ids: string[] = [];
    for (let n = 0; n < 8; n += 1) ids.push(await rig.publish('erp.stock.changed', `stock/K${n % 3}`));
    await rig.publish('pos.sale.completed', 'sale/1');
    await until(() => receiver.processed.length === 8, '8 deliveries');
    expect(receiver.requests.every((request) => request.verifiedWith !== null)).toBe(true);
    expect(receiver.requests[0]!.contentType).toMatch(/^application\/cloudevents\+json/);
    expect(new Set(receiver.processed.map((request) => request.webhookId))).toEqual(new Set(ids));
    expect(receiver.processed.every((request) => request.webhookId === request.event.id)).toBe(true);
    for (const key of ['stock/K0', 'stock/K1', 'stock/K2']) {
      const order = keysInOrder(key);
      expect(order).toEqual([...order].sort((a, b) => a - b));
    }
  });

  it('indexes and enqueues an event that arrives twice (a redelivery) once', async () => {
    const { id } = await subscribe(['erp.stock.changed']);
    const event = foreignEvent('erp', 'erp.stock.changed', 'stock/R', 1, { key: 'stock/R', n: 1 });
    await rig.hub.deliver('erp', event);
    await rig.hub.deliver('erp', event);
    const indexed = (await rig.api('GET', '/hub/v1/events?limit=1000')).body.events as Array<{ id: string }>;
    expect(indexed.filter((each) => each.id === event.id)).toHaveLength(1);
    expect(await deliveries(id)).toHaveLength(1);
  });

  it('retries a failing endpoint on its schedule and holds the key behind the failing delivery', async () => {
    const { id } = await subscribe();
    receiver.answer = (request) => (request.event.partitionkey === 'stock/A' ? 500 : 204);
    await rig.publish('erp.stock.changed', 'stock/A');
    await rig.publish('erp.stock.changed', 'stock/A');
    await rig.publish('erp.stock.changed', 'stock/B');
    const [b, secondA, firstA] = await until(async () => {
      const list = await deliveries(id);
      return list[0]?.status === 'delivered' && list[2]?.attempts === 1 ? list : null;
    }, 'B delivered, A tried');
    expect(b).toMatchObject({ status: 'delivered', attempts: 1, partitionKey: 'stock/B' });
    expect(secondA).toMatchObject({ status: 'queued', attempts: 0 });
    expect(firstA).toMatchObject({ status: 'pending', attempts: 1, lastStatus: 500 });
    expect(Date.parse(firstA.nextAttemptAt) - rig.hub.clock.now().getTime()).toBe(1_000);

    receiver.answer = () => 204;
    rig.hub.clock.advance(1_000);
    await until(() => receiver.processed.length === 3, 'A delivered after the retry');
    expect(keysInOrder('stock/A')).toEqual([1, 2]);
    const log = await until(async () => {
      const body = (await rig.api('GET', `/hub/v1/webhooks/${id}/deliveries/${firstA.id}`)).body;
      return body.log.length === 2 ? body : null;
    }, 'the second attempt recorded');
    expect(log.log.map((attempt: any) => [attempt.outcome, attempt.statusCode])).toEqual([
      ['failed', 500],
      ['delivered', 204],
    ]);
  });

  it('gives up after the schedule, and replays only what failed once the endpoint is back', async () => {
    const { id } = await subscribe();
    receiver.answer = () => 503;
    await rig.publish('erp.stock.changed', 'stock/A');
    for (const [index, step] of [1_000, 2_000].entries()) {
      // The clock moves only once the attempt is recorded, or the retry would be scheduled from the new time.
      await until(async () => (await deliveries(id))[0]?.attempts === index + 1, `attempt ${index + 1}`);
      rig.hub.clock.advance(step);
    }
    await until(async () => (await deliveries(id))[0]?.status === 'failed', 'delivery failed');
    expect(receiver.requests).toHaveLength(3);

    receiver.answer = () => 204;
    const replay = await rig.api('POST', `/hub/v1/webhooks/${id}/replay`, {
      since: '2000-01-01T00:00:00Z',
      failedOnly: true,
    });
    expect(replay).toMatchObject({ status: 202, body: { enqueued: 1 } });
    // The receiver has the request before the hub has recorded its answer: wait for the record.
    await until(async () => (await deliveries(id))[0]?.status === 'delivered', 'replayed delivery');
    expect(receiver.processed).toHaveLength(1);
    expect((await deliveries(id))[0]).toMatchObject({ origin: 'replay', status: 'delivered' });
    const again = await rig.api('POST', `/hub/v1/webhooks/${id}/replay`, {
      since: '2000-01-01T00:00:00Z',
      failedOnly: true,
    });
    expect(again.body.enqueued).toBe(0);
  });

  it('honours Retry-After on 429 without using up the schedule', async () => {
    const { id } = await subscribe();
    // Within the rig's schedule (3 s from the first attempt): a longer wait would be cut to its end.
    receiver.answer = () => ({ status: 429, headers: { 'retry-after': '2' } });
    await rig.publish('erp.stock.changed', 'stock/A');
    await until(() => receiver.requests.length === 1, 'throttled attempt');
    const [delivery] = await until(async () => {
      const list = await deliveries(id);
      return list[0]?.attempts === 1 ? list : null;
    }, 'attempt recorded');
    expect(delivery).toMatchObject({ status: 'pending', lastStatus: 429 });
    expect(Date.parse(delivery.nextAttemptAt) - rig.hub.clock.now().getTime()).toBe(2_000);
    const webhook = (await rig.api('GET', `/hub/v1/webhooks/${id}`)).body;
    expect(webhook.failingSince).toBeNull();
  });

  it('counts throttled retries from the first attempt, not from the time a delivery waited', async () => {
    const { id } = await subscribe();
    receiver.answer = () => 500;
    await rig.publish('erp.stock.changed', 'stock/A');
    await rig.publish('erp.stock.changed', 'stock/A');
    // The head fails through the whole schedule (3 s) while the second waits queued behind it.
    for (const [index, step] of [1_000, 2_500].entries()) {
      await until(async () => (await deliveries(id))[1]?.attempts === index + 1, `attempt ${index + 1}`);
      rig.hub.clock.advance(step);
    }
    receiver.answer = () => ({ status: 429, headers: { 'retry-after': '0' } });
    const promoted = async (attempts: number) =>
      until(async () => {
        const second = (await deliveries(id))[0];
        return second?.attempts === attempts ? second : null;
      }, `the second delivery tried ${attempts} times`);
    // Retry-After: 0 waits the shortest throttled delay (1 s in these tests), not nothing.
    const first = await promoted(1);
    expect(first).toMatchObject({ status: 'pending', lastStatus: 429 });
    expect(Date.parse(first.nextAttemptAt) - rig.hub.clock.now().getTime()).toBe(1_000);

    const disabled = await rig.api('PATCH', `/hub/v1/webhooks/${id}`, { status: 'disabled' });
    expect(disabled.body.status).toBe('disabled');
    rig.hub.clock.advance(3_600_000);
    await rig.api('PATCH', `/hub/v1/webhooks/${id}`, { status: 'active' });
    expect(await promoted(2)).toMatchObject({ status: 'pending', lastStatus: 429 });
    expect(receiver.requests).toHaveLength(5);
  });

  it('disables the endpoint on 410 with a hub.webhook.disabled event, and resumes when enabled', async () => {
    const { id } = await subscribe();
    receiver.answer = () => 410;
    await rig.publish('erp.stock.changed', 'stock/A');
    const disabled = await until(async () => {
      const webhook = (await rig.api('GET', `/hub/v1/webhooks/${id}`)).body;
      return webhook.status === 'disabled' ? webhook : null;
    }, 'disabled');
    expect(disabled).toMatchObject({ disabledReason: 'gone', version: 2 });
    const published = (await rig.hub.published()).filter((event) => event.type === 'hub.webhook.disabled');
    expect(published).toEqual([
      expect.objectContaining({
        subject: `webhook/${id}`,
        sequence: 2,
        data: expect.objectContaining({ webhookId: id, reason: 'gone', lastStatus: 410 }),
      }),
    ]);
    expect(
      (await rig.api('POST', `/hub/v1/webhooks/${id}/replay`, { since: '2000-01-01T00:00:00Z' })).body.code,
    ).toBe('webhook_disabled');

    receiver.answer = () => 204;
    const enabled = await rig.api('PATCH', `/hub/v1/webhooks/${id}`, { status: 'active' });
    expect(enabled.body).toMatchObject({ status: 'active', disabledReason: null, failingSince: null });
    await until(() => receiver.processed.length === 1, 'delivered after enabling');
  });

  it('disables an endpoint whose every attempt failed for days', async () => {
    const { id } = await subscribe();
    receiver.answer = () => 500;
    await rig.publish('erp.stock.changed', 'stock/A');
    await until(() => receiver.requests.length === 1, 'first failure');
    await until(async () => (await rig.api('GET', `/hub/v1/webhooks/${id}`)).body.failingSince, 'failing');
    rig.hub.clock.advance(5 * 86_400_000 + 1_000);
    await rig.publish('erp.stock.changed', 'stock/B');
    const webhook = await until(async () => {
      const current = (await rig.api('GET', `/hub/v1/webhooks/${id}`)).body;
      return current.status === 'disabled' ? current : null;
    }, 'disabled for failing');
    expect(webhook.disabledReason).toBe('failing');
  });

  it('keeps deliveries verifiable through a secret rotation', async () => {
    const { id, secret: old } = await subscribe();
    await rig.publish('erp.stock.changed', 'stock/A');
    await until(() => receiver.processed.length === 1, 'before rotation');
    const rotated = await rig.api('POST', `/hub/v1/webhooks/${id}/rotate-secret`, { graceSeconds: 60 });
    expect(rotated.status).toBe(200);
    await rig.publish('erp.stock.changed', 'stock/A');
    await until(() => receiver.processed.length === 2, 'during rotation, old secret');
    expect(receiver.processed[1]!.signatures).toHaveLength(2);
    expect(receiver.processed[1]!.verifiedWith).toBe(old);
    receiver.secrets = [rotated.body.secret];
    await rig.publish('erp.stock.changed', 'stock/A');
    await until(() => receiver.processed.length === 3, 'during rotation, new secret');
    rig.hub.clock.advance(60_001);
    await rig.publish('erp.stock.changed', 'stock/A');
    await until(() => receiver.processed.length === 4, 'after the grace period');
    expect(receiver.processed[3]!.signatures).toHaveLength(1);
    expect(receiver.requests.every((request) => request.verifiedWith !== null)).toBe(true);
  });

  it('records an answer holding a NUL byte and invalid UTF-8 as a delivered attempt', async () => {
    const raw = createServer((req, res) => {
      req.resume();
      req.on('end', () =>
        res
          .writeHead(200)
          .end(Buffer.concat([Buffer.from('ok\u0000done '), Buffer.from([0xc3, 0x28, 0xff])])),
      );
    });
    await new Promise<void>((resolve) => raw.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(raw.address() as AddressInfo).port}/hooks`;
      const { id } = (await rig.api('POST', '/hub/v1/webhooks', { url, events: ['erp.*'] })).body;
      await rig.publish('erp.stock.changed', 'stock/A');
      const [delivery] = await until(async () => {
        const list = await deliveries(id);
        return list[0]?.attempts === 1 ? list : null;
      }, 'the attempt recorded');
      expect(delivery).toMatchObject({ status: 'delivered', lastStatus: 200 });
      const log = (await rig.api('GET', `/hub/v1/webhooks/${id}/deliveries/${delivery.id}`)).body.log;
      expect(log).toEqual([
        expect.objectContaining({ outcome: 'delivered', responseBody: 'ok\uFFFDdone \uFFFD(\uFFFD' }),
      ]);
    } finally {
      raw.closeAllConnections();
      await new Promise((resolve) => raw.close(resolve));
    }
  });

  it('resends one delivery under the same webhook-id, which an idempotent receiver ignores', async () => {
    const { id } = await subscribe();
    const eventId = await rig.publish('erp.stock.changed', 'stock/A');
    const [original] = await until(async () => {
      const list = await deliveries(id);
      return list[0]?.status === 'delivered' ? list : null;
    }, 'first delivery recorded');
    expect(receiver.processed).toHaveLength(1);
    const resent = await rig.api('POST', `/hub/v1/webhooks/${id}/deliveries/${original.id}/resend`);
    expect(resent).toMatchObject({ status: 202, body: { origin: 'resend', eventId } });
    await until(() => receiver.requests.length === 2, 'resent');
    expect(receiver.requests[1]!.webhookId).toBe(eventId);
    expect(receiver.processed).toHaveLength(1);
    const missing = await rig.api('POST', `/hub/v1/webhooks/${id}/deliveries/nope/resend`);
    expect(missing.body.code).toBe('webhook_delivery_not_found');
  });

  it('keeps delivering when a webhook is deleted while one of its attempts is in flight', async () => {
    const slow = await startReceiver();
    try {
      const doomed = await rig.api('POST', '/hub/v1/webhooks', { url: slow.url, events: ['erp.*'] });
      slow.answer = () => ({ status: 204, delayMs: 300 });
      await rig.publish('erp.stock.changed', 'stock/A');
      await until(() => slow.requests.length === 1, 'the slow attempt under way');
      expect((await rig.api('DELETE', `/hub/v1/webhooks/${doomed.body.id}`)).status).toBe(204);
      const { id } = await subscribe();
      await rig.publish('erp.stock.changed', 'stock/A');
      await until(() => receiver.processed.length === 1, 'the other webhook served', 5_000);
      // The receiver counts the request before its answer reaches the hub, which records it after.
      const [delivered] = await until(async () => {
        const rows = await deliveries(id);
        return rows[0]?.status === 'delivered' ? rows : null;
      }, 'the delivery recorded');
      expect(delivered).toMatchObject({ status: 'delivered', attempts: 1 });
    } finally {
      await slow.close();
    }
  });

  it('shares the work between two instances without sending anything twice', async () => {
    await rig.secondInstance();
    await subscribe();
    receiver.answer = () => ({ status: 204, delayMs: 2 });
    for (let n = 0; n < 120; n += 1) await rig.publish('erp.stock.changed', `stock/K${n % 12}`);
    await until(() => receiver.processed.length === 120, '120 deliveries', 20_000);
    expect(receiver.requests).toHaveLength(120);
    for (let key = 0; key < 12; key += 1) {
      const order = keysInOrder(`stock/K${key}`);
      expect(order).toEqual([...order].sort((a, b) => a - b));
    }
  });
});
