import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLogger, manualClock } from '@tillstream/kernel';
import { harnessDialects } from '@tillstream/kernel/testing';
import { startReceiver, type Receiver } from '../../../test/support/webhook-receiver.js';
import { createDeliveryLogPruner } from '../src/webhooks/delivery-log.pruner.js';
import { pgUrl, startHubRig, until, type HubRig } from './hub-rig.js';

const HOUR_MS = 3_600_000;

describe.each(harnessDialects(pgUrl))('the webhook delivery log past its retention (%s)', (dialect) => {
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

  const deliveries = async (webhookId: string) =>
    (await rig.api('GET', `/hub/v1/webhooks/${webhookId}/deliveries?limit=500`)).body.deliveries as Array<{
      status: string;
      attempts: number;
      eventId: string;
    }>;
  /** A pruner whose clock stands `hours` after the hub's. */
  const prunerAfter = (hours: number, retentionHours: number) =>
    createDeliveryLogPruner({
      db: rig.hub.db,
      clock: manualClock(new Date(rig.hub.clock.now().getTime() + hours * HOUR_MS)),
      logger: createLogger({ name: 'pruner-test', level: 'silent' }),
      retentionHours,
    });

  it('deletes finished deliveries with their attempts once past the retention, and keeps open ones', async () => {
    const created = await rig.api('POST', '/hub/v1/webhooks', {
      url: receiver.url,
      events: ['erp.stock.changed'],
    });
    receiver.secrets = [created.body.secret];
    const webhookId = created.body.id as string;
    receiver.answer = (request) => (request.event.partitionkey === 'stock/failing' ? 500 : 204);
    for (const key of ['stock/A', 'stock/B', 'stock/C']) await rig.publish('erp.stock.changed', key);
    const failing = await rig.publish('erp.stock.changed', 'stock/failing');
    await until(async () => {
      const log = await deliveries(webhookId);
      return (
        log.filter((delivery) => delivery.status === 'delivered').length === 3 &&
        log.some((delivery) => delivery.status === 'pending' && delivery.attempts >= 1)
      );
    }, 'three delivered and one failing');

    // Within the retention nothing goes; with 0, nothing ever does.
    expect(await prunerAfter(719, 720).prune()).toBe(0);
    expect(await prunerAfter(10_000, 0).prune()).toBe(0);
    expect(await deliveries(webhookId)).toHaveLength(4);

    expect(await prunerAfter(721, 720).prune()).toBe(3);
    const left = await deliveries(webhookId);
    expect(left.map((delivery) => [delivery.eventId, delivery.status])).toEqual([[failing, 'pending']]);
    const [attempts] = await rig.hub.db.query<{ count: number | string }>(
      'SELECT COUNT(*) AS count FROM webhook_attempts',
    );
    expect(Number(attempts!.count)).toBe(left[0]!.attempts);
  });
});
