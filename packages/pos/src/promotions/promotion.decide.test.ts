import { describe, expect, it } from 'vitest';
import { DomainError } from '@tillstream/kernel';
import {
  assertMayRelease,
  assertRedeemingOwn,
  assertReleasable,
  type SaleRecord,
} from './promotion.decide.js';

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

describe("who may give back a sale's coupon uses", () => {
  const t1 = { storeId: 'S1', terminalId: 'T1' };
  const t2 = { storeId: 'S1', terminalId: 'T2' };
  const t9 = { storeId: 'S2', terminalId: 'T9' };
  const till = (own: { storeId: string; terminalId: string }) => ({ ...own, manager: false });
  const unboundWriter = { storeId: null, terminalId: null, manager: false };
  const backOffice = { storeId: null, terminalId: null, manager: true };
  const storeManager = { storeId: 'S1', terminalId: null, manager: true };
  const tillWithManage = { ...t2, manager: true };

  it.each([
    ['the till it was redeemed for', till(t1), t1, t1, true],
    ['another till of the same store', till(t2), t2, t1, false],
    ['a till of another store', till(t9), t9, t1, false],
    ["a till's key that also has pos:manage, for another till", tillWithManage, t2, t1, false],
    ['the till, for a redemption POS has no owner of', till(t1), t1, null, false],
    ['an unbound pos:write key acting as the till', unboundWriter, t1, t1, true],
    ['an unbound pos:write key acting as another till', unboundWriter, t2, t1, false],
    ['the back office, for any till', backOffice, t2, t1, true],
    ['the back office, for a redemption POS has no owner of', backOffice, t2, null, true],
    ["the store's manager, for a till of the store", storeManager, t2, t1, true],
    ["another store's manager", { ...storeManager, storeId: 'S2' }, t9, t1, false],
    ["the store's manager, for a redemption POS has no owner of", storeManager, t2, null, false],
  ] as const)('%s: allowed %s', (_label, key, acting, owner, allowed) => {
    let refused: string | null = null;
    try {
      assertMayRelease('s1', key, acting, owner);
    } catch (error) {
      refused = error instanceof DomainError ? `${error.kind}:${error.code}` : String(error);
    }
    expect(refused).toBe(allowed ? null : 'not_found:coupon_redemption_not_found');
  });

  it('refuses redeeming under a sale id another till claimed first, and lets the till that did redeem again', () => {
    expect(() => assertRedeemingOwn('s1', t1, t1)).not.toThrow();
    expect(() => assertRedeemingOwn('s1', t2, t1)).toThrow(
      expect.objectContaining({ kind: 'conflict', code: 'id_conflict' }),
    );
  });
});
