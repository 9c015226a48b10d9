import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLogger, manualClock } from '@tillstream/kernel';
import { harnessDialects } from '@tillstream/kernel/testing';
import { startReceiver, type Receiver } from '../../../test/support/webhook-receiver.js';
import { createEventLogPruner } from '../src/events/event-log.pruner.js';
import { pgUrl, startHubRig, until, type HubRig } from './hub-rig.js';

const HOUR_MS = 3_600_000;
const RETENTION_HOURS = 24;

interface Page {
  events: Array<{ id: string; partitionkey: string }>;
  next: string;
}

describe.each(harnessDialects(pgUrl))('the hub event log past its retention (%s)', (dialect) => {
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

  /** A pruner whose clock stands `hours` after the hub's (which indexed the events). */
  const prunerAfter = (hours: number, retentionHours = RETENTION_HOURS) =>
    createEventLogPruner({
      db: rig.hub.db,
      clock: manualClock(new Date(rig.hub.clock.now().getTime() + hours * HOUR_MS)),
      logger: createLogger({ name: 'pruner-test', level: 'silent' }),
      retentionHours,
    });
  /** A webhook of the receiver's for stock changes; its id. */
  const subscribeToStock = async () => {
    const created = await rig.api('POST', '/hub/v1/webhooks', {
      url: receiver.url,
      events: ['erp.stock.changed'],
    });
    receiver.secrets = [created.body.secret];
    return created.body.id as string;
  };
  const read = async (after: string) => rig.api('GET', `/hub/v1/events?after=${after}&limit=100`);
  const keys = (page: Page) => page.events.map((event) => event.partitionkey);
  const publishAll = async (keysToPublish: string[]) => {
    for (const key of keysToPublish) await rig.publish('erp.stock.changed', key);
    const all = (await read('0')).body as Page;
    expect(keys(all)).toEqual(keysToPublish);
    return all;
  };
  /** Log positions of the events as the hub numbered them. */
  const positions = async () =>
    (
      await rig.hub.db.query<{ position: number | string }>('SELECT position FROM events ORDER BY position')
    ).map((row) => Number(row.position));

  it('prunes the oldest events by when they were indexed, never the newest, and refuses cursors it passed', async () => {
    // Their CloudEvents time is a month old: what counts is when the hub indexed them (a late till's sale).
    await publishAll(['stock/A', 'stock/B', 'stock/C', 'stock/D']);
    const [first, second, third, fourth] = (await positions()) as [number, number, number, number];

    expect(await prunerAfter(RETENTION_HOURS - 1).prune()).toBe(0);
    expect(await prunerAfter(10_000, 0).prune()).toBe(0);
    expect(keys((await read('0')).body)).toHaveLength(4);

    expect(await prunerAfter(RETENTION_HOURS + 1).prune()).toBe(3);
    expect(await positions()).toEqual([fourth]);

    // From the start: the oldest event kept. From the horizon: nothing was missed.
    expect(keys((await read('0')).body)).toEqual(['stock/D']);
    expect(keys((await read(String(third))).body)).toEqual(['stock/D']);
    for (const behind of [first, second]) {
      const refused = await read(String(behind));
      expect(refused.status).toBe(410);
      expect(refused.body).toMatchObject({ code: 'cursor_expired', oldestCursor: String(third) });
    }
    const stream = await rig.hub.app.inject({
      method: 'GET',
      url: '/hub/v1/events/stream',
      headers: { authorization: `Bearer ${rig.hub.adminKey}`, 'last-event-id': String(first) },
    });
    expect(stream.statusCode).toBe(410);
    expect(stream.json()).toMatchObject({ code: 'cursor_expired', oldestCursor: String(third) });

    // New events follow the horizon; a reader at the newest kept position reads on.
    await rig.publish('erp.stock.changed', 'stock/E');
    expect(keys((await read(String(fourth))).body)).toEqual(['stock/E']);
  });

  it('keeps every event from the oldest one an open webhook delivery still has to send', async () => {
    const webhookId = await subscribeToStock();
    let failing = true;
    receiver.answer = (request) => (failing && request.event.partitionkey === 'stock/held' ? 500 : 204);
    await publishAll(['stock/A', 'stock/held', 'stock/C', 'stock/D']);
    const [, held] = (await positions()) as [number, number];
    const deliveries = async () =>
      (await rig.api('GET', `/hub/v1/webhooks/${webhookId}/deliveries?limit=100`)).body.deliveries as Array<{
        status: string;
        attempts: number;
      }>;
    await until(async () => {
      const log = await deliveries();
      return (
        log.filter((delivery) => delivery.status === 'delivered').length === 3 &&
        log.some((delivery) => delivery.status === 'pending' && delivery.attempts >= 1)
      );
    }, 'three delivered and one retrying');

    expect(await prunerAfter(RETENTION_HOURS + 1).prune()).toBe(1);
    expect((await positions())[0]).toBe(held);

    failing = false;
    rig.hub.clock.advance(60_000);
    await until(
      async () => (await deliveries()).every((delivery) => delivery.status === 'delivered'),
      'the held delivery sent',
    );
    expect(await prunerAfter(RETENTION_HOURS + 1).prune()).toBe(2);
    expect(keys((await read('0')).body)).toEqual(['stock/D']);

    // A delivery of a pruned event cannot be sent again: a resend would wait for ever at the head of its key.
    const logged = (await rig.api('GET', `/hub/v1/webhooks/${webhookId}/deliveries?limit=100`)).body
      .deliveries as Array<{ id: string; eventId: string }>;
    const kept = (await read('0')).body as Page;
    const ofPruned = logged.find((delivery) => !kept.events.some((event) => event.id === delivery.eventId))!;
    const resent = await rig.api('POST', `/hub/v1/webhooks/${webhookId}/deliveries/${ofPruned.id}/resend`);
    expect(resent.status).toBe(410);
    expect(resent.body).toMatchObject({ code: 'delivery_event_pruned' });
    expect(await deliveries()).toHaveLength(4);
    const ofKept = logged.find((delivery) => delivery.eventId === kept.events[0]!.id)!;
    expect(
      (await rig.api('POST', `/hub/v1/webhooks/${webhookId}/deliveries/${ofKept.id}/resend`)).status,
    ).toBe(202);
  });

  it('lets a webhook disabled longer than the retention hold the log no more, and gives up what it held', async () => {
    const webhookId = await subscribeToStock();
    let failing = true;
    receiver.answer = () => (failing ? 500 : 204);
    // Three changes of one key: the first is tried and fails, the other two wait behind it.
    const published = await publishAll(['stock/A', 'stock/A', 'stock/A']);
    const deliveries = async () =>
      (await rig.api('GET', `/hub/v1/webhooks/${webhookId}/deliveries?limit=100`)).body.deliveries as Array<{
        eventId: string;
        status: string;
        attempts: number;
        lastError: string | null;
      }>;
    await until(
      async () => (await deliveries()).some((delivery) => delivery.attempts >= 1),
      'the head tried and failing',
    );
    rig.hub.clock.advance(120_000);
    const disabled = await rig.api('PATCH', `/hub/v1/webhooks/${webhookId}`, { status: 'disabled' });
    expect(disabled.status).toBe(200);

    // Disabled for less than the retention: its open deliveries still hold the log.
    expect(await prunerAfter(RETENTION_HOURS - 1 / 60).prune()).toBe(0);
    // Disabled for longer: the two older events go and their deliveries are given up; the newest stays.
    expect(await prunerAfter(RETENTION_HOURS + 1).prune()).toBe(2);
    const [newest] = published.events.slice(-1);
    expect((await read('0')).body.events.map((event: { id: string }) => event.id)).toEqual([newest!.id]);
    const log = await deliveries();
    const ofNewest = log.find((delivery) => delivery.eventId === newest!.id)!;
    expect(ofNewest.status).toBe('pending');
    const givenUp = log.filter((delivery) => delivery !== ofNewest);
    expect(givenUp.map((delivery) => delivery.status)).toEqual(['failed', 'failed']);
    for (const delivery of givenUp)
      expect(delivery.lastError).toMatch(/pruned .* while the webhook was disabled/);

    // Enabled again, the endpoint gets what the log still holds, and nothing it could not be sent.
    failing = false;
    const triedBefore = receiver.requests.length;
    expect((await rig.api('PATCH', `/hub/v1/webhooks/${webhookId}`, { status: 'active' })).status).toBe(200);
    await until(
      async () =>
        (await deliveries()).find((delivery) => delivery.eventId === newest!.id)?.status === 'delivered',
      'the kept event delivered',
    );
    expect(receiver.requests.slice(triedBefore).map((request) => request.event.id)).toEqual([newest!.id]);
  });

  it('refuses a replay reaching behind what was pruned, and names where the log now starts', async () => {
    const webhookId = await subscribeToStock();
    await publishAll(['stock/A', 'stock/B']);
    // Recorded as delivered, not just received: an open delivery holds the log, and the hub records the 2xx
    // after the receiver has answered.
    await until(async () => {
      const log = (await rig.api('GET', `/hub/v1/webhooks/${webhookId}/deliveries?limit=100`)).body
        .deliveries as Array<{ status: string }>;
      return log.length === 2 && log.every((delivery) => delivery.status === 'delivered');
    }, 'both delivered');
    expect(await prunerAfter(RETENTION_HOURS + 1).prune()).toBe(1);

    const replay = (since: string) => rig.api('POST', `/hub/v1/webhooks/${webhookId}/replay`, { since });
    const refused = await replay('2026-11-01T00:00:00Z');
    expect(refused.status).toBe(422);
    expect(refused.body).toMatchObject({ code: 'replay_beyond_retention' });
    const { retainedSince } = refused.body as { retainedSince: string };
    expect(Date.parse(retainedSince)).toBeGreaterThan(Date.parse('2026-11-01T09:00:00Z'));
    expect((await replay(retainedSince)).status).toBe(202);
  });
});
