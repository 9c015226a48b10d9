import { afterEach, describe, expect, it } from 'vitest';
import { applyEvents, kernelMigrations, runMigrations } from '@tillstream/kernel';
import {
  foreignEvent,
  harnessDialects,
  openEmptyDatabase,
  type EmptyDatabase,
} from '@tillstream/kernel/testing';
import { analyticsMigrations } from '../src/analytics.migrations.js';
import { createReportStore } from '../src/sales/report.store.js';
import { reportBuckets, reportWindow } from '../src/sales/report-period.decide.js';
import { salesConsumer } from '../src/sales/sales.consumer.js';
import { createSalesStore } from '../src/sales/sales.store.js';
import { timeZoneNamed, UTC } from '../src/sales/time-zone.decide.js';
import { pgUrl, saleEvent } from './analytics-rig.js';

const CONSUMER = 'analytics.sales';

describe.each(harnessDialects(pgUrl))('analytics migrations on a %s database kept per hour', (dialect) => {
  let database: EmptyDatabase;
  afterEach(async () => database.drop());

  it('keep the sums counted per hour, and an event counted then is not counted again', async () => {
    database = await openEmptyDatabase(dialect, 'analytics', pgUrl);
    const { db } = database;
    await runMigrations(db, kernelMigrations);
    await runMigrations(
      db,
      analyticsMigrations.filter((migration) => migration.id < '003'),
    );
    // What the consumer of before wrote for a sale at 18:20 UTC, in one transaction with its inbox row.
    const counted = saleEvent('S1', '2026-03-09T18:20:00Z', [['KURTA', 2, 1000, 200]]);
    await db.transaction(async (tx) => {
      await tx.execute('INSERT INTO inbox (consumer, event_id, processed_at) VALUES ($1, $2, $3)', [
        CONSUMER,
        counted.id,
        '2026-03-09T18:20:01Z',
      ]);
      await tx.execute(
        `INSERT INTO sales_by_hour (hour, channel, location_id, currency, gross, discounts, net, tax, returns,
           transactions, units, returned_units, refunds)
         VALUES ('2026-03-09T18', 'pos', 'S1', 'EUR', 2000, 200, 1800, 0, 0, 1, 2, 0, 0)`,
      );
      await tx.execute(
        `INSERT INTO product_sales_by_hour (hour, channel, location_id, currency, sku, units, net, returned_units,
           returns) VALUES ('2026-03-09T18', 'pos', 'S1', 'EUR', 'KURTA', 2, 1800, 0, 0)`,
      );
      await tx.execute(
        `INSERT INTO promotion_usage_by_hour (hour, channel, location_id, currency, promotion_id, uses, units,
           discount) VALUES ('2026-03-09T18', 'pos', 'S1', 'EUR', 'diwali', 1, 2, 200)`,
      );
    });

    expect(await runMigrations(db, analyticsMigrations)).toEqual([
      '003_sales_by_quarter_hour',
      '004_returns_tax',
      '005_store_time_zones',
      '006_online_order_taxes',
      '007_sales_tax_by_rate',
      '008_online_order_shipping',
      '009_online_order_location',
      '010_online_order_delivery',
    ]);

    // The same event delivered again adds nothing; a new one at 18:40 adds to its own quarter hour.
    const consumer = salesConsumer({ db, store: createSalesStore() });
    const later = saleEvent('S1', '2026-03-09T18:40:00Z', [['KURTA', 1, 1000]]);
    const items = [counted, later].map((event, index) => ({ event, position: index + 1 }));
    expect(await applyEvents(consumer, 'pos', items, '2026-03-09T18:41:00Z')).toBe(1);

    const reports = createReportStore(db);
    const sales = (buckets: ReturnType<typeof reportBuckets>) =>
      reports
        .sales({ buckets, after: null, limit: 10 })
        .then((rows) => rows.map(({ key, figures }) => [key[0], figures.net, figures.transactions]));
    expect(await sales(reportBuckets('2026-03-09T18:00:00Z', '2026-03-09T19:00:00Z', 'hour', UTC))).toEqual([
      ['2026-03-09T18:00', 2800, 2],
    ]);
    // Sums of before count whole in the quarter hour their hour starts with: here 9 March in India
    // (23:30), though the sale was rung up at 23:50. Sums counted since are exact: 00:10 on 10 March.
    const kolkata = timeZoneNamed('Asia/Kolkata');
    expect(await sales(reportBuckets('2026-03-09', '2026-03-11', 'day', kolkata))).toEqual([
      ['2026-03-08T18:30', 1800, 1],
      ['2026-03-09T18:30', 1000, 1],
    ]);
    const window = reportWindow('2026-03-09', '2026-03-10', UTC);
    expect(await reports.topProducts({ ...window, currency: 'EUR', by: 'units', limit: 10 })).toEqual([
      { sku: 'KURTA', units: 3, net: 2800, returnedUnits: 0, returns: 0 },
    ]);
    expect(await reports.promotionUsage({ ...window, limit: 10 })).toEqual([
      { promotionId: 'diwali', currency: 'EUR', uses: 1, units: 2, discount: 200 },
    ]);
  });
});

describe.each(harnessDialects(pgUrl))('analytics migration 007 on a %s database', (dialect) => {
  let database: EmptyDatabase;
  afterEach(async () => database.drop());

  it('keeps the tax counted before, under rate null, and splits what comes after by rate', async () => {
    database = await openEmptyDatabase(dialect, 'analytics', pgUrl);
    const { db } = database;
    await runMigrations(db, kernelMigrations);
    await runMigrations(
      db,
      analyticsMigrations.filter((migration) => migration.id < '007'),
    );
    // What the consumer of before kept: a store's quarter hour with tax and returned tax, an online order.
    await db.transaction(async (tx) => {
      await tx.execute(
        `INSERT INTO sales_by_quarter_hour (quarter_hour, channel, location_id, currency, gross, discounts, net, tax,
           returns, returns_tax, transactions, units, returned_units, refunds)
         VALUES ('2026-03-09T18:15', 'pos', 'S1', 'EUR', 2420, 0, 2420, 420, 1210, 210, 1, 2, 1, 1),
                ('2026-03-09T18:30', 'web', '', 'EUR', 1210, 0, 1210, 210, 0, 0, 1, 1, 0, 0)`,
      );
      await tx.execute(
        `INSERT INTO online_order_channels (order_id, channel, total, tax, added_tax)
         VALUES ('o-before', 'web', 1210, 210, 0)`,
      );
    });

    expect(await runMigrations(db, analyticsMigrations)).toEqual([
      '007_sales_tax_by_rate',
      '008_online_order_shipping',
      '009_online_order_location',
      '010_online_order_delivery',
    ]);

    const consumer = salesConsumer({ db, store: createSalesStore() });
    // A refund of the order of before: its rates were never kept, so its tax is under rate null.
    const refund = foreignEvent('commerce', 'commerce.order.refunded', 'order/o-before/refund/f1', 1, {
      orderId: 'o-before',
      refundId: 'f1',
      currency: 'EUR',
      amount: 1210,
      refunded: 1210,
      reason: 'cancelled',
      returnId: null,
      payment: { method: 'test', reference: 'p1' },
      refundedAt: '2026-03-09T18:40:00Z',
    });
    expect(
      await applyEvents(consumer, 'commerce', [{ event: refund, position: 1 }], '2026-03-09T19:00:00Z'),
    ).toBe(1);
    // A sale in the store's bucket of before, booked by ERP with its rate: beside the tax of before.
    const sale = saleEvent('S1', '2026-03-09T18:20:00Z', [['TEE', 1, 1210]]);
    const { saleId } = sale.data as { saleId: string };
    const booked = foreignEvent('erp', 'erp.sales_tax.booked', `sales-tax/sale/${saleId}`, 1, {
      kind: 'sale',
      documentId: saleId,
      storeId: 'S1',
      occurredAt: '2026-03-09T18:20:00Z',
      currency: 'EUR',
      included: 210,
      added: 0,
      total: 210,
      rates: [{ ratePpm: 210_000, charged: 'included', net: 1000, tax: 210 }],
    });
    await applyEvents(consumer, 'pos', [{ event: sale, position: 1 }], '2026-03-09T19:00:00Z');
    await applyEvents(consumer, 'erp', [{ event: booked, position: 1 }], '2026-03-09T19:00:00Z');

    const rows = await createReportStore(db).sales({
      buckets: reportBuckets('2026-03-09', '2026-03-10', 'day', UTC),
      after: null,
      limit: 10,
    });
    const none = { net: 0, tax: 0, returnsNet: 0, returnsTax: 0 };
    expect(
      rows.map(({ key, figures, taxByRate }) => [key[1], figures.tax, figures.returnsTax, taxByRate]),
    ).toEqual([
      [
        'pos',
        630,
        210,
        [
          { ...none, ratePpm: 210_000, net: 1000, tax: 210 },
          { ...none, ratePpm: null, tax: 420, returnsTax: 210 },
        ],
      ],
      ['web', 210, 210, [{ ...none, ratePpm: null, tax: 210, returnsNet: 1000, returnsTax: 210 }]],
    ]);
  });
});

describe.each(harnessDialects(pgUrl))('analytics migration 010 on a %s database', (dialect) => {
  let database: EmptyDatabase;
  afterEach(async () => database.drop());

  it('leaves an order remembered before with its delivery unknown: its refunds keep the blend', async () => {
    database = await openEmptyDatabase(dialect, 'analytics', pgUrl);
    const { db } = database;
    await runMigrations(db, kernelMigrations);
    await runMigrations(
      db,
      analyticsMigrations.filter((migration) => migration.id < '010'),
    );
    // What the consumer of before kept of a 9 % book at 5.45 with 6.05 delivery at 21 %: the rates merged.
    await db.transaction((tx) =>
      tx.execute(
        `INSERT INTO online_order_channels (order_id, channel, total, tax, added_tax, shipping, tax_rates)
         VALUES ('o-before', 'web', 1150, 150, 0, 605, $1)`,
        [
          JSON.stringify([
            { ratePpm: 90_000, net: 500, tax: 45 },
            { ratePpm: 210_000, net: 500, tax: 105 },
          ]),
        ],
      ),
    );

    expect(await runMigrations(db, analyticsMigrations)).toEqual(['010_online_order_delivery']);

    const store = createSalesStore();
    expect(await db.transaction((tx) => store.orderTaken(tx, 'o-before'))).toMatchObject({
      total: 1150,
      shipping: 605,
      delivery: undefined,
    });
    // A refund of the delivery alone, as commerce says it now: the order's rates of before cannot tell the
    // delivery from the goods, so it is split over both in proportion, as before the upgrade.
    const refund = foreignEvent('commerce', 'commerce.order.refunded', 'order/o-before/refund/f1', 1, {
      orderId: 'o-before',
      refundId: 'f1',
      currency: 'EUR',
      amount: 605,
      shipping: 605,
      refunded: 605,
      shippingRefunded: 605,
      reason: 'cancelled',
      returnId: null,
      payment: { method: 'test', reference: 'p1' },
      refundedAt: '2026-03-09T18:40:00Z',
    });
    const consumer = salesConsumer({ db, store });
    await applyEvents(consumer, 'commerce', [{ event: refund, position: 1 }], '2026-03-09T19:00:00Z');
    const rows = await createReportStore(db).sales({
      buckets: reportBuckets('2026-03-09', '2026-03-10', 'day', UTC),
      after: null,
      limit: 10,
    });
    const none = { net: 0, tax: 0, returnsNet: 0, returnsTax: 0 };
    expect(rows.map(({ figures, taxByRate }) => [figures.returnsTax, taxByRate])).toEqual([
      [
        79,
        [
          { ...none, ratePpm: 90_000, returnsNet: 263, returnsTax: 24 },
          { ...none, ratePpm: 210_000, returnsNet: 263, returnsTax: 55 },
        ],
      ],
    ]);
  });
});
