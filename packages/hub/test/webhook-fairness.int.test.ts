import { afterEach, describe, expect, it } from 'vitest';
import { harnessDialects } from '@tillstream/kernel/testing';
import { startReceiver, type Receiver } from '../../../test/support/webhook-receiver.js';
import { pgUrl, startHubRig, until, type HubRig } from './hub-rig.js';

const ATTEMPT_TIMEOUT_MS = 3_000;

/**
 * Endpoints that never answer hold a slot of the attempt pool for a whole timeout each. Once they are known to
 * fail they get only a share of it, healthy endpoints first, so they cannot keep every other webhook waiting.
 */
describe.each(harnessDialects(pgUrl))('webhook attempts to dead endpoints on %s', (dialect) => {
  let rig: HubRig | undefined;
  const receivers: Receiver[] = [];
  afterEach(async () => {
    await rig?.close();
    for (const receiver of receivers.splice(0)) await receiver.close();
  });

  it('sends to a healthy endpoint at once while failing ones fill the pool', async () => {
    rig = await startHubRig(dialect, { concurrency: 3, attemptTimeoutMs: ATTEMPT_TIMEOUT_MS });
    const hanging = await startReceiver();
    const healthy = await startReceiver();
    receivers.push(hanging, healthy);
    hanging.answer = () => ({ status: 204, delayMs: 60_000 });
    const subscribe = async (receiver: Receiver) => {
      const created = await rig!.api('POST', '/hub/v1/webhooks', { url: receiver.url, events: ['erp.*'] });
      expect(created.status).toBe(201);
      receiver.secrets.push(created.body.secret);
      return created.body.id as string;
    };
    const dead = [await subscribe(hanging), await subscribe(hanging), await subscribe(hanging)];
    // Their first attempts time out together, and mark the three failing.
    await rig.publish('erp.stock.changed', 'stock/A');
    await until(async () => {
      const failing = await Promise.all(
        dead.map(async (id) => (await rig!.api('GET', `/hub/v1/webhooks/${id}`)).body.failingSince),
      );
      return failing.every((since) => since !== null);
    }, 'the dead endpoints marked failing');
    await subscribe(healthy);

    // A new key: three heads for the dead endpoints, due with the healthy one's, which is enqueued last.
    const published = Date.now();
    await rig.publish('erp.stock.changed', 'stock/B');
    await until(() => healthy.processed.length === 1, 'the healthy endpoint served', ATTEMPT_TIMEOUT_MS * 3);
    expect(Date.now() - published).toBeLessThan(ATTEMPT_TIMEOUT_MS / 2);
  });
});
