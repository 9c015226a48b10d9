import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createContextHarness,
  foreignEvent,
  harnessDialects,
  type ContextHarness,
  uniqueName,
} from '@tillstream/kernel/testing';
import { createAnalytics } from '../src/index.js';
import { pgUrl, saleEvent } from './analytics-rig.js';

type Row = { period: string; net: number; transactions: number };

/** Local days and hours, read from the quarter-hour sums of a real database. */
describe.each(harnessDialects(pgUrl))('analytics reports in a time zone on %s', (dialect) => {
  let analytics: ContextHarness;
  const rowsOf = async (query: string) => {
    const response = await analytics.api('GET', `/sales?${query}`);
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    return (response.body.rows as Row[]).map(({ period, net, transactions }) => ({
      period,
      net,
      transactions,
    }));
  };

  beforeAll(async () => {
    analytics = await createContextHarness((deps) => createAnalytics(deps), {
      dialect,
      pgUrl,
      name: 'analytics',
    });
  });
  afterAll(async () => analytics?.close());

  it('New York’s days split where its clocks say, 23 hours long the day they spring forward', async () => {
    const store = uniqueName('NY');
    await analytics.deliverAll('pos', [
      saleEvent(store, '2026-03-08T04:30:00Z', [['TEE', 1, 100]]), // 7 March, 23:30 EST
      saleEvent(store, '2026-03-08T05:10:00Z', [['TEE', 1, 200]]), // 8 March, 00:10 EST
      saleEvent(store, '2026-03-08T20:59:00-04:00', [['TEE', 1, 400]]), // 8 March, the till closes
      saleEvent(store, '2026-03-09T03:50:00Z', [['TEE', 1, 800]]), // 8 March, 23:50 EDT
      saleEvent(store, '2026-03-09T04:10:00Z', [['TEE', 1, 1600]]), // 9 March, 00:10 EDT
    ]);
    const local = `from=2026-03-07&to=2026-03-10&locationId=${store}&timeZone=America/New_York`;
    expect(await rowsOf(local)).toEqual([
      { period: '2026-03-07T00:00:00-05:00', net: 100, transactions: 1 },
      { period: '2026-03-08T00:00:00-05:00', net: 1400, transactions: 3 },
      { period: '2026-03-09T00:00:00-04:00', net: 1600, transactions: 1 },
    ]);
    // Without a zone, UTC days as before: the evening's sales fall into the next one.
    expect(await rowsOf(`from=2026-03-07&to=2026-03-10&locationId=${store}`)).toEqual([
      { period: '2026-03-08T00:00:00Z', net: 300, transactions: 2 },
      { period: '2026-03-09T00:00:00Z', net: 2800, transactions: 3 },
    ]);
    const page = await analytics.api('GET', `/sales?${local}&limit=2`);
    expect(page.body.timeZone).toBe('America/New_York');
    const rest = await rowsOf(`${local}&limit=2&after=${page.body.next}`);
    expect(rest.map((row) => row.period)).toEqual(['2026-03-09T00:00:00-04:00']);
  });

  it('a report of one store counts in the zone its ERP location keeps, unless it names one', async () => {
    const store = uniqueName('AMS');
    const location = (version: number, timeZone?: string) =>
      foreignEvent('erp', 'erp.location.upserted', `location/${store}`, version, {
        locationId: store,
        name: 'Dam Square',
        kind: 'store',
        ...(timeZone ? { timeZone } : {}),
        version,
      });
    await analytics.deliverAll('erp', [location(2, 'Europe/Amsterdam')]);
    // Version 1 arrives late: the newer zone stays.
    await analytics.deliverAll('erp', [location(1, 'America/New_York')]);
    await analytics.deliverAll('pos', [
      saleEvent(store, '2026-06-01T22:30:00Z', [['TEE', 1, 100]]), // 2 June, 00:30 in Amsterdam
      saleEvent(store, '2026-06-02T21:30:00Z', [['TEE', 1, 200]]), // 2 June, 23:30 in Amsterdam
    ]);
    const storeDays = await analytics.api('GET', `/sales?from=2026-06-01&to=2026-06-04&locationId=${store}`);
    expect(storeDays.body.timeZone).toBe('Europe/Amsterdam');
    expect(await rowsOf(`from=2026-06-01&to=2026-06-04&locationId=${store}`)).toEqual([
      { period: '2026-06-02T00:00:00+02:00', net: 300, transactions: 2 },
    ]);
    expect(await rowsOf(`from=2026-06-01&to=2026-06-04&locationId=${store}&timeZone=UTC`)).toEqual([
      { period: '2026-06-01T00:00:00Z', net: 100, transactions: 1 },
      { period: '2026-06-02T00:00:00Z', net: 200, transactions: 1 },
    ]);
    const top = await analytics.api(
      'GET',
      `/products/top?from=2026-06-02&to=2026-06-03&currency=EUR&locationId=${store}`,
    );
    expect(top.body).toMatchObject({ timeZone: 'Europe/Amsterdam', products: [{ sku: 'TEE', units: 2 }] });
    // A report of every store has no one store's zone.
    const chain = await analytics.api('GET', '/promotions?from=2026-06-01&to=2026-06-02');
    expect(chain.body.timeZone).toBe('UTC');

    // The location names no zone any more: UTC again.
    await analytics.deliverAll('erp', [location(3)]);
    expect(
      (await analytics.api('GET', `/sales?from=2026-06-01&to=2026-06-04&locationId=${store}`)).body.timeZone,
    ).toBe('UTC');
  });

  it('the hour clocks go back over comes twice, each with its own offset', async () => {
    const store = uniqueName('NY');
    await analytics.deliverAll('pos', [
      saleEvent(store, '2026-11-01T01:30:00-04:00', [['TEE', 1, 100]]),
      saleEvent(store, '2026-11-01T01:30:00-05:00', [['TEE', 1, 200]]),
    ]);
    const query = `from=2026-11-01&to=2026-11-02&granularity=hour&locationId=${store}&timeZone=America/New_York`;
    expect(await rowsOf(query)).toEqual([
      { period: '2026-11-01T01:00:00-04:00', net: 100, transactions: 1 },
      { period: '2026-11-01T01:00:00-05:00', net: 200, transactions: 1 },
    ]);
  });

  it('India’s days and hours start on the half hour, in every report', async () => {
    const store = uniqueName('IN');
    const sku = uniqueName('KURTA');
    const promotionId = uniqueName('diwali');
    const promoted = saleEvent(store, '2026-03-09T18:40:00Z', [[sku, 2, 1000, 200]]); // 10 March, 00:10 IST
    (promoted.data as { lines: Array<Record<string, unknown>> }).lines[0]!.promotions = [
      { promotionId, amount: 200 },
    ];
    await analytics.deliverAll('pos', [
      saleEvent(store, '2026-03-09T18:20:00Z', [[sku, 1, 1000]]), // 9 March, 23:50 IST
      promoted,
    ]);
    const days = `from=2026-03-09&to=2026-03-11&locationId=${store}&timeZone=Asia/Kolkata`;
    expect(await rowsOf(days)).toEqual([
      { period: '2026-03-09T00:00:00+05:30', net: 1000, transactions: 1 },
      { period: '2026-03-10T00:00:00+05:30', net: 1800, transactions: 1 },
    ]);
    expect(await rowsOf(`${days}&granularity=hour`)).toEqual([
      { period: '2026-03-09T23:00:00+05:30', net: 1000, transactions: 1 },
      { period: '2026-03-10T00:00:00+05:30', net: 1800, transactions: 1 },
    ]);
    // In UTC both are in the 18:00 hour.
    const utc = `from=2026-03-09T18:00:00Z&to=2026-03-09T19:00:00Z&granularity=hour&locationId=${store}`;
    expect(await rowsOf(utc)).toEqual([{ period: '2026-03-09T18:00:00Z', net: 2800, transactions: 2 }]);

    const tenth = `from=2026-03-10&to=2026-03-11&timeZone=Asia/Kolkata&locationId=${store}`;
    const top = await analytics.api('GET', `/products/top?${tenth}&currency=EUR`);
    expect(top.body.products).toEqual([{ sku, units: 2, net: 1800, returnedUnits: 0, returns: 0 }]);
    const ninth = await analytics.api(
      'GET',
      `/products/top?from=2026-03-09&to=2026-03-10&timeZone=Asia/Kolkata&locationId=${store}&currency=EUR`,
    );
    expect(ninth.body.products).toEqual([{ sku, units: 1, net: 1000, returnedUnits: 0, returns: 0 }]);
    const promotions = await analytics.api('GET', `/promotions?${tenth}`);
    expect(promotions.body.promotions).toEqual([
      { promotionId, currency: 'EUR', uses: 1, units: 2, discount: 200 },
    ]);
  });

  it.each([
    ['/sales', 'an unknown zone', 'timeZone=Europe/Atlantis', 'unknown_time_zone'],
    ['/sales', 'a fixed offset', 'timeZone=%2B05:30', 'unknown_time_zone'],
    ['/sales', 'an empty zone', 'timeZone=', 'validation_failed'],
    ['/sales', 'two zones', 'timeZone=UTC&timeZone=Asia/Kolkata', 'validation_failed'],
    ['/sales', 'a date that does not exist', 'timeZone=UTC&from=2026-02-30', 'validation_failed'],
    ['/products/top', 'an unknown zone', 'timeZone=Asia/Mumbai&currency=EUR', 'unknown_time_zone'],
    ['/promotions', 'an unknown zone', 'timeZone=Nowhere', 'unknown_time_zone'],
  ])('%s answers %s with problem+json', async (path, _name, query, code) => {
    const response = await analytics.api('GET', `${path}?from=2026-05-01&to=2026-05-02&${query}`);
    expect([response.status, response.body.code]).toEqual([400, code]);
  });

  it('refuses a period in which the zone kept local mean time: its days are not whole quarter hours', async () => {
    const response = await analytics.api(
      'GET',
      '/sales?from=1960-01-01&to=1960-01-02&timeZone=Africa/Monrovia',
    );
    expect([response.status, response.body.code]).toEqual([400, 'unsupported_time_zone']);
  });
});
