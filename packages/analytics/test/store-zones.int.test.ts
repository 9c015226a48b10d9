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

type Row = { period: string; timeZone?: string; locationId: string | null; net: number };

/** `timeZone=store`: one report of a chain across zones, each store's days its own. */
describe.each(harnessDialects(pgUrl))('analytics reports in each store’s own zone on %s', (dialect) => {
  let analytics: ContextHarness;
  const newYork = uniqueName('NYC');
  const amsterdam = uniqueName('AMS');
  const unzoned = uniqueName('LAB');
  const sku = uniqueName('TEE');

  const located = (locationId: string, timeZone?: string) =>
    foreignEvent('erp', 'erp.location.upserted', `location/${locationId}`, 1, {
      locationId,
      name: locationId,
      kind: 'store',
      ...(timeZone ? { timeZone } : {}),
      version: 1,
    });

  const sales = async (query: string) => {
    const response = await analytics.api('GET', `/sales?${query}`);
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    return response.body as { timeZone: string; rows: Row[]; next: string | null };
  };
  const brief = (rows: Row[]) =>
    rows.map(({ period, timeZone, locationId, net }) => ({ period, timeZone, locationId, net }));

  beforeAll(async () => {
    analytics = await createContextHarness((deps) => createAnalytics(deps), {
      dialect,
      pgUrl,
      name: 'analytics',
    });
    await analytics.deliverAll('erp', [
      located(newYork, 'America/New_York'),
      located(amsterdam, 'Europe/Amsterdam'),
      located(unzoned),
    ]);
    await analytics.deliverAll('pos', [
      saleEvent(newYork, '2027-01-15T03:30:00Z', [[sku, 1, 100]]), // 14 January, 22:30 in New York
      saleEvent(newYork, '2027-01-15T06:00:00Z', [[sku, 1, 200]]), // 15 January, 01:00 in New York
      saleEvent(amsterdam, '2027-01-14T23:30:00Z', [[sku, 1, 400]]), // 15 January, 00:30 in Amsterdam
      saleEvent(unzoned, '2027-01-14T23:30:00Z', [[sku, 1, 800]]), // 14 January in UTC
    ]);
  });
  afterAll(async () => analytics?.close());

  const days = 'from=2027-01-14&to=2027-01-16&timeZone=store';
  const expected = () => [
    // In order of the instant each day starts.
    { period: '2027-01-14T00:00:00Z', timeZone: 'UTC', locationId: unzoned, net: 800 },
    { period: '2027-01-14T00:00:00-05:00', timeZone: 'America/New_York', locationId: newYork, net: 100 },
    { period: '2027-01-15T00:00:00+01:00', timeZone: 'Europe/Amsterdam', locationId: amsterdam, net: 400 },
    { period: '2027-01-15T00:00:00-05:00', timeZone: 'America/New_York', locationId: newYork, net: 200 },
  ];

  it('counts every store in the days of its own zone, each row saying which', async () => {
    const report = await sales(days);
    expect(report.timeZone).toBe('store');
    expect(brief(report.rows)).toEqual(expected());
    // The same sales in UTC's days: Amsterdam's and the unzoned store's on the 14th, New York's on the 15th.
    const utc = await sales('from=2027-01-14&to=2027-01-16');
    expect(utc.rows.map((row) => [row.period, row.locationId, row.net])).toEqual(
      expect.arrayContaining([
        ['2027-01-14T00:00:00Z', amsterdam, 400],
        ['2027-01-15T00:00:00Z', newYork, 300],
      ]),
    );
    expect(utc.rows[0]).not.toHaveProperty('timeZone');
  });

  it('pages through the zones in one order, one row a page', async () => {
    const seen: Row[] = [];
    let after: string | null = null;
    do {
      const page = await sales(`${days}&limit=1${after ? `&after=${after}` : ''}`);
      seen.push(...page.rows);
      after = page.next;
    } while (after);
    expect(brief(seen)).toEqual(expected());
  });

  it('reads a store’s own hours and a store of one zone alone', async () => {
    const hours = await sales(
      'from=2027-01-14T23:00:00Z&to=2027-01-15T07:00:00Z&granularity=hour&timeZone=store',
    );
    expect(brief(hours.rows)).toEqual([
      // Two hours starting at one instant: in key order, store by store.
      { period: '2027-01-15T00:00:00+01:00', timeZone: 'Europe/Amsterdam', locationId: amsterdam, net: 400 },
      { period: '2027-01-14T23:00:00Z', timeZone: 'UTC', locationId: unzoned, net: 800 },
      { period: '2027-01-14T22:00:00-05:00', timeZone: 'America/New_York', locationId: newYork, net: 100 },
      { period: '2027-01-15T01:00:00-05:00', timeZone: 'America/New_York', locationId: newYork, net: 200 },
    ]);
    const one = await sales(`${days}&locationId=${newYork}`);
    expect(brief(one.rows)).toEqual(expected().filter((row) => row.locationId === newYork));
  });

  it('adds up each store’s own day for the best sellers and the promotions', async () => {
    // 15 January: Amsterdam's sale at 00:30 and New York's at 01:00 local; the unzoned store sold on the 14th.
    const top = await analytics.api(
      'GET',
      `/products/top?from=2027-01-15&to=2027-01-16&timeZone=store&currency=EUR`,
    );
    expect(top.status).toBe(200);
    expect(top.body).toMatchObject({ timeZone: 'store', products: [{ sku, units: 2, net: 600 }] });
    const promotions = await analytics.api('GET', '/promotions?from=2027-01-15&to=2027-01-16&timeZone=store');
    expect([promotions.status, promotions.body.timeZone]).toEqual([200, 'store']);
  });
});
