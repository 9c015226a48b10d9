import { describe, expect, it } from 'vitest';
import { DomainError } from '@tillstream/kernel';
import { assertReleasable, type SaleRecord } from './promotion.decide.js';

describe("giving back a sale's coupon uses at POS", () => {
  it.each([
    ['no sale of that id', null, null],
    ['the sale stored', 'stored', 'redemption_sale_recorded'],
    ['the sale quarantined (to be fixed and sent again)', 'quarantined', 'redemption_sale_recorded'],
  ] as const)('POS holds %s: %s', (_label, record: SaleRecord, code) => {
    let refused: string | null = null;
    try {
      assertReleasable('s1', record);
    } catch (error) {
      refused = error instanceof DomainError ? `${error.kind}:${error.code}` : String(error);
    }
    expect(refused).toBe(code === null ? null : `conflict:${code}`);
  });
});
