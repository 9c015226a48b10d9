import type { EventNotes } from './notes.js';

const SALE_ID = '0195f3a2-7c1e-7b3a-9d2e-4f6a8b0c1d2e';
const SALE_EVENT_ID = '0195f3a2-7d40-7c11-8a5e-2b9f0c4d6e71';

/** Notes of ERP's pricing events: definitions, promotion usage and price mismatches. */
export const PRICING_NOTES: Record<string, EventNotes> = {
  'erp.price_list.changed@1': {
    subject: 'price-list/{priceListId}',
    partitionKey: 'price-list/{priceListId}',
    sequence: '{version}',
    sequenceMeaning:
      'The price list version, equal to `data.version`: one more per change, deletion included. A PUT that ' +
      'changes nothing publishes nothing.',
    partitionMeaning: 'The subject (the default).',
    example: {
      id: '0195f3a1-2c00-7a10-8b20-3c4d5e6f7a81',
      time: '2026-03-02T09:05:00.000Z',
      data: {
        priceListId: 'members-eur',
        version: 2,
        change: 'updated',
        priceList: {
          id: 'members-eur',
          version: 2,
          name: 'Members',
          currency: 'EUR',
          priority: 10,
          enabled: true,
          customerGroups: ['members'],
          prices: [
            { sku: 'TEE-001', amount: 1799, minQuantity: 1 },
            { sku: 'TEE-001', amount: 1599, minQuantity: 3 },
          ],
        },
      },
    },
  },
  'erp.promotion.changed@1': {
    subject: 'promotion/{promotionId}',
    partitionKey: 'promotion/{promotionId}',
    sequence: '{version}',
    sequenceMeaning:
      'The promotion version, equal to `data.version`: one more per change, deletion included.',
    partitionMeaning: 'The subject (the default).',
    example: {
      id: '0195f3a1-2d00-7b11-8c21-4d5e6f7a8b92',
      time: '2026-03-02T09:06:00.000Z',
      data: {
        promotionId: 'socks-3-for-2',
        version: 1,
        change: 'created',
        promotion: {
          id: 'socks-3-for-2',
          version: 1,
          name: 'Socks: 3 for 2',
          priority: 5,
          stacking: 'stackable',
          enabled: true,
          target: { categories: ['socks'] },
          effect: { type: 'buy_x_get_y', buyQuantity: 2, getQuantity: 1, basisPoints: 10000 },
        },
      },
    },
  },
  'erp.promotion.changed@2': {
    subject: 'promotion/{promotionId}',
    partitionKey: 'promotion/{promotionId}',
    sequence: '{version}',
    sequenceMeaning:
      'The promotion version, equal to `data.version`: one more per change, deletion included. A change v1 ' +
      'can state is published in both versions under the same subject and sequence.',
    partitionMeaning: 'The subject (the default).',
    example: {
      id: '0195f3a1-2d40-7b11-8c21-4d5e6f7a8b93',
      time: '2026-03-02T09:07:00.000Z',
      data: {
        promotionId: 'free-delivery',
        version: 1,
        change: 'created',
        promotion: {
          id: 'free-delivery',
          version: 1,
          name: 'Free delivery with FREESHIP',
          priority: 0,
          stacking: 'stackable',
          enabled: true,
          channels: ['web'],
          couponCodes: ['FREESHIP'],
          limits: { totalUses: 500 },
          effect: { type: 'free_shipping', methodIds: ['standard'] },
        },
      },
    },
  },
  'erp.tax_rate.changed@1': {
    subject: 'tax-rate/{taxRateId}',
    partitionKey: 'tax-rate/{taxRateId}',
    sequence: '{version}',
    sequenceMeaning: 'The tax rate version, equal to `data.version`: one more per change, deletion included.',
    partitionMeaning: 'The subject (the default).',
    example: {
      id: '0195f3a1-2e00-7c12-8d22-5e6f7a8b9ca3',
      time: '2026-03-02T09:00:30.000Z',
      data: {
        taxRateId: 'nl-standard',
        version: 1,
        change: 'created',
        taxRate: {
          id: 'nl-standard',
          version: 1,
          name: 'NL VAT 21 %',
          taxCategory: 'standard',
          locationId: null,
          ratePpm: 210000,
          inclusive: true,
        },
      },
    },
  },
  'erp.shipping_method.changed@1': {
    subject: 'shipping-method/{shippingMethodId}',
    partitionKey: 'shipping-method/{shippingMethodId}',
    sequence: '{version}',
    sequenceMeaning:
      'The shipping method version, equal to `data.version`: one more per change, deletion included.',
    partitionMeaning: 'The subject (the default).',
    example: {
      id: '0195f3a1-2e80-7c12-8d22-5e6f7a8b9cb4',
      time: '2026-03-02T09:02:00.000Z',
      data: {
        shippingMethodId: 'standard',
        version: 1,
        change: 'created',
        shippingMethod: {
          id: 'standard',
          version: 1,
          name: 'Standard delivery, 2–3 working days',
          enabled: true,
          channels: ['web'],
          countries: ['BE', 'NL'],
          rates: [{ currency: 'EUR', amount: 495, freeFrom: 5000 }],
          taxCategory: 'standard',
        },
      },
    },
  },
  'erp.product_pricing.changed@1': {
    subject: 'product-pricing/{sku}',
    partitionKey: 'product-pricing/{sku}',
    sequence: '{version}',
    sequenceMeaning: 'The version of the product’s pricing attributes, equal to `data.version`.',
    partitionMeaning: 'The subject (the default).',
    example: {
      id: '0195f3a1-2f00-7d13-8e23-6f7a8b9cadb4',
      time: '2026-03-02T09:01:00.000Z',
      data: { sku: 'SOCK-003', version: 1, taxCategory: 'standard', categories: ['socks'] },
    },
  },
  'erp.promotion_usage.changed@1': {
    subject: 'promotion-usage/{promotionId}',
    partitionKey: 'promotion-usage/{promotionId}',
    sequence: '{version}',
    sequenceMeaning:
      'The usage version of this promotion, equal to `data.version`: one more per use taken or given back.',
    partitionMeaning: 'The subject (the default).',
    example: {
      id: '0195f3a2-8000-7e14-8f24-7a8b9cadbec5',
      time: '2026-03-02T10:20:00.512Z',
      data: {
        promotionId: 'first-100',
        version: 37,
        change: 'redeemed',
        redemptionId: '0195f3a2-7fff-7000-8000-000000000042',
        customerId: null,
        used: 37,
        limit: 100,
      },
    },
  },
  'erp.price.mismatch_detected@1': {
    subject: 'price-mismatch/{mismatchId}',
    partitionKey: '{storeId}',
    sequence: '1',
    sequenceMeaning: 'Always 1: each mismatch is its own subject.',
    partitionMeaning: 'The store, like the sales it is about.',
    example: {
      id: '0195f3a2-7e10-7f15-8a25-8b9cadbecfd6',
      time: '2026-03-02T10:15:02.420Z',
      causationid: SALE_EVENT_ID,
      data: {
        mismatchId: '0195f3a2-7e10-7f15-8a25-8b9cadbecfd7',
        saleId: SALE_ID,
        storeId: 'store-amsterdam',
        terminalId: 'till-1',
        occurredAt: '2026-03-02T10:15:00.000Z',
        currency: 'EUR',
        reason: 'price_differs',
        saleSnapshotVersion: 41,
        referenceSnapshotVersion: 41,
        expectedTotal: 5297,
        actualTotal: 4997,
        lines: [
          {
            lineNo: 1,
            sku: 'TEE-001',
            quantity: 2,
            expectedUnitPrice: 1999,
            actualUnitPrice: 1849,
            expectedLineTotal: 3998,
            actualLineTotal: 3698,
          },
        ],
        promotionIds: [],
      },
    },
  },
};
