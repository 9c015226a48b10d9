import { describe, expect, it } from 'vitest';
import {
  checkRedeemable,
  checkRefundable,
  decideIssue,
  expiryAfterIssue,
  expiryAfterRefund,
  hasLapsed,
  holdExpiresAt,
  isExpiredHold,
  issueFingerprint,
  planOfflineDebit,
  settleWithRedemption,
  withCreditNumbers,
  type Account,
  type IssueCommand,
  type Redemption,
} from './stored-value.decide.js';

const card = (balance: number, extra: Partial<Account> = {}): Account => ({
  number: 'GC-1',
  kind: 'gift_card',
  currency: 'EUR',
  balance,
  version: 1,
  issuedAt: '2026-11-01T09:00:00.000Z',
  updatedAt: '2026-11-01T09:00:00.000Z',
  expiresAt: null,
  storeId: 'S1',
  ...extra,
});
const EXPIRY = '2027-11-01T00:00:00.000Z';
/** `issue`'s fingerprint as issues stored before cash rounding have it. */
const UNROUNDED_FINGERPRINT = '796e94c9fa578d7f66311481ea11903f0d751249834ce6891ff7844731fec1d5';

const issue: IssueCommand = {
  id: '0190f0e0-0000-7000-8000-000000000001',
  number: 'GC-1',
  kind: 'gift_card',
  amount: 5000,
  currency: 'EUR',
  storeId: 'S1',
  terminalId: 'T1',
  occurredAt: '2026-11-01T10:00:00+01:00',
  payments: [
    { method: 'cash', amount: 3000, tendered: 5000 },
    { method: 'card', amount: 2000 },
  ],
};

describe('decideIssue', () => {
  it('loads a new card or tops up one of the same kind and currency, paid in full', () => {
    expect(decideIssue(null, issue)).toMatchObject({
      status: 'completed',
      amount: 5000,
      occurredAt: '2026-11-01T09:00:00.000Z',
      payments: issue.payments,
    });
    expect(decideIssue(card(700), issue).amount).toBe(5000);
  });

  it.each([
    [
      'payments short of the amount',
      null,
      { payments: [{ method: 'cash', amount: 4999 }] },
      'payment_mismatch',
    ],
    [
      'paid with another card',
      null,
      { payments: [{ method: 'gift_card', amount: 5000, reference: 'GC-2' }] },
      'stored_value_tender_not_allowed',
    ],
    [
      'cash tendered below what it pays',
      null,
      { payments: [{ method: 'cash', amount: 5000, tendered: 10 }] },
      'tender_below_amount',
    ],
    [
      'a store credit number sold as a gift card',
      card(0, { kind: 'store_credit' }),
      {},
      'stored_value_kind_mismatch',
    ],
    ['a card in another currency', card(0, { currency: 'USD' }), {}, 'stored_value_currency_mismatch'],
    [
      'a top-up of a card past its expiry',
      card(100, { expiresAt: '2026-11-01T09:00:00.000Z' }),
      {},
      'stored_value_expired',
    ],
    ['an expiry before the sale', null, { expiresAt: '2026-11-01T09:00:00Z' }, 'invalid_expiry'],
  ] as const)('refuses %s', (_name, existing, change, code) => {
    expect(() => decideIssue(existing, { ...issue, ...change } as IssueCommand)).toThrowError(
      expect.objectContaining({ code }),
    );
  });

  describe('with cash rounding', () => {
    const DUTCH = { increment: 5, former: [3] };
    const inCash = (cash: number, cashRounding?: number): IssueCommand => ({
      ...issue,
      amount: 1234,
      payments: [{ method: 'cash', amount: cash, tendered: 2000 }],
      ...(cashRounding === undefined ? {} : { cashRounding }),
    });

    it('loads the card with the amount while the cash paid is rounded as the store rounds', () => {
      expect(decideIssue(null, inCash(1235, 1), DUTCH)).toMatchObject({
        amount: 1234,
        payments: [{ method: 'cash', amount: 1235, tendered: 2000 }],
        cashRounding: 1,
        cashRoundingRule: { increment: 5, current: true },
      });
      // A card pays 2.34 to the cent; the 10.01 it leaves in cash is paid 10.00.
      const split: IssueCommand = {
        ...inCash(1000),
        amount: 1235,
        payments: [
          { method: 'card', amount: 234 },
          { method: 'cash', amount: 1000 },
        ],
        cashRounding: -1,
      };
      expect(decideIssue(null, split, DUTCH).cashRounding).toBe(-1);
      // A till that had not learned the store changed its rule from 3 cents.
      expect(decideIssue(null, inCash(1233, -1), DUTCH)).toMatchObject({
        cashRounding: -1,
        cashRoundingRule: { increment: 3, current: false },
      });
    });

    it.each([
      ['a rounding the store does not give', inCash(1230, -4), DUTCH, 'cash_rounding_mismatch'],
      ['any rounding where the store does not round', inCash(1235, 1), undefined, 'cash_rounding_mismatch'],
      [
        'a rounding without cash',
        { ...inCash(0, 1), payments: [{ method: 'card', amount: 1235 }] },
        DUTCH,
        'cash_rounding_without_cash',
      ],
      ['payments off the rounding', inCash(1234, 1), DUTCH, 'payment_mismatch'],
      ['rounded cash without stating it', inCash(1235), DUTCH, 'payment_mismatch'],
    ] as const)('refuses %s', (_name, command, rule, code) => {
      expect(() => decideIssue(null, command as IssueCommand, rule)).toThrowError(
        expect.objectContaining({ code }),
      );
    });

    it('takes exact cash unrounded, and fingerprints a rounding only when there is one', () => {
      const exact = decideIssue(null, inCash(1234), DUTCH);
      expect(exact).not.toHaveProperty('cashRounding');
      expect(exact).not.toHaveProperty('cashRoundingRule');
      expect(decideIssue(null, inCash(1234, 0), DUTCH)).toEqual(exact);
      expect(issueFingerprint(inCash(1234, 0))).toBe(issueFingerprint(inCash(1234)));
      expect(issueFingerprint(inCash(1235, 1))).not.toBe(issueFingerprint(inCash(1235)));
      // Pinned: the fingerprint of an issue stored before rounding must not change.
      expect(issueFingerprint(issue)).toBe(UNROUNDED_FINGERPRINT);
    });
  });

  it('fingerprints the same issue written differently alike, and any change differently', () => {
    expect(issueFingerprint({ ...issue, occurredAt: '2026-11-01T09:00:00Z' })).toBe(issueFingerprint(issue));
    expect(issueFingerprint({ ...issue, amount: 5001 })).not.toBe(issueFingerprint(issue));
    expect(issueFingerprint({ ...issue, expiresAt: EXPIRY })).not.toBe(issueFingerprint(issue));
    expect(issueFingerprint({ ...issue, expiresAt: '2027-11-01T01:00:00+01:00' })).toBe(
      issueFingerprint({ ...issue, expiresAt: EXPIRY }),
    );
  });

  it('gives a new card the expiry sold with it; a top-up only moves it later, and never gives one', () => {
    const later = '2028-01-01T00:00:00.000Z';
    expect(expiryAfterIssue(null, issue)).toBeNull();
    expect(expiryAfterIssue(null, { ...issue, expiresAt: '2027-11-01T01:00:00+01:00' })).toBe(EXPIRY);
    expect(expiryAfterIssue(card(10, { expiresAt: EXPIRY }), { ...issue, expiresAt: later })).toBe(later);
    expect(expiryAfterIssue(card(10, { expiresAt: later }), { ...issue, expiresAt: EXPIRY })).toBe(later);
    expect(expiryAfterIssue(card(10, { expiresAt: EXPIRY }), issue)).toBe(EXPIRY);
    expect(expiryAfterIssue(card(10), { ...issue, expiresAt: EXPIRY })).toBeNull();
  });

  it('keeps store credit from a return valid for the days set, counted again from each later refund', () => {
    const returnedAt = '2026-11-01T10:00:00.000Z';
    const credit = (extra: Partial<Account> = {}) => card(10, { kind: 'store_credit', ...extra });
    expect(expiryAfterRefund(null, 'store_credit', returnedAt, 365)).toBe(
      EXPIRY.replace('00:00:00', '10:00:00'),
    );
    // A later refund moves it later; an earlier one (a till syncing late) never shortens it.
    expect(
      expiryAfterRefund(credit({ expiresAt: EXPIRY }), 'store_credit', '2027-01-01T00:00:00.000Z', 365),
    ).toBe('2028-01-01T00:00:00.000Z');
    expect(
      expiryAfterRefund(credit({ expiresAt: EXPIRY }), 'store_credit', '2026-01-01T00:00:00.000Z', 30),
    ).toBe(EXPIRY);
    // Credit that never expired keeps not expiring; without a validity nothing expires.
    expect(expiryAfterRefund(credit(), 'store_credit', returnedAt, 365)).toBeNull();
    expect(expiryAfterRefund(null, 'store_credit', returnedAt, 0)).toBeNull();
    expect(expiryAfterRefund(credit({ expiresAt: EXPIRY }), 'store_credit', returnedAt, 0)).toBe(EXPIRY);
  });

  it('leaves a gift card the expiry it was sold with when a return refunds onto it', () => {
    expect(
      expiryAfterRefund(card(10, { expiresAt: EXPIRY }), 'gift_card', '2027-06-01T00:00:00.000Z', 365),
    ).toBe(EXPIRY);
    expect(expiryAfterRefund(card(10), 'gift_card', '2027-06-01T00:00:00.000Z', 365)).toBeNull();
  });
});

describe('card expiry', () => {
  it('lapses a card with value left once its expiry has come, not before, and not an empty one', () => {
    const expiring = card(700, { expiresAt: EXPIRY });
    expect(hasLapsed(expiring, new Date('2027-10-31T23:59:59.999Z'))).toBe(false);
    expect(hasLapsed(expiring, new Date(EXPIRY))).toBe(true);
    expect(hasLapsed(card(0, { expiresAt: EXPIRY }), new Date('2028-01-01T00:00:00Z'))).toBe(false);
    expect(hasLapsed(card(700), new Date('2099-01-01T00:00:00Z'))).toBe(false);
  });
});

describe('checkRedeemable', () => {
  const NOW = new Date('2026-11-01T10:00:00.000Z');
  const command = { id: 'r', number: 'GC-1', amount: 1000, currency: 'EUR', storeId: 'S1', terminalId: 'T1' };
  it.each([
    ['an unknown card', null, 'stored_value_not_found'],
    ['a card in another currency', card(5000, { currency: 'USD' }), 'stored_value_currency_mismatch'],
    ['a balance below the amount', card(999), 'insufficient_balance'],
    ['a card past its expiry', card(5000, { expiresAt: '2026-11-01T09:59:59.000Z' }), 'stored_value_expired'],
  ] as const)('refuses %s', (_name, account, code) => {
    expect(() => checkRedeemable(account, command, NOW)).toThrowError(expect.objectContaining({ code }));
  });

  it('passes a balance that covers it exactly, on a card not yet expired', () => {
    expect(checkRedeemable(card(1000), command, NOW).balance).toBe(1000);
    expect(checkRedeemable(card(1000, { expiresAt: EXPIRY }), command, NOW).balance).toBe(1000);
  });
});

describe('planOfflineDebit', () => {
  it.each([
    ['covered in full', card(1000), 600, { covered: 600, shortfall: 0, reason: null }],
    ['covered exactly', card(600), 600, { covered: 600, shortfall: 0, reason: null }],
    [
      'more than is left: down to zero, the rest short',
      card(250),
      600,
      { covered: 250, shortfall: 350, reason: 'insufficient_balance' },
    ],
    ['an empty card', card(0), 600, { covered: 0, shortfall: 600, reason: 'insufficient_balance' }],
    ['an unknown card', null, 600, { covered: 0, shortfall: 600, reason: 'unknown_number' }],
    [
      'a card in another currency',
      card(5000, { currency: 'USD' }),
      600,
      { covered: 0, shortfall: 600, reason: 'currency_mismatch' },
    ],
  ] as const)('%s', (_name, account, amount, plan) => {
    expect(planOfflineDebit(account, amount, 'EUR')).toEqual(plan);
  });
});

describe('settleWithRedemption', () => {
  const held: Redemption = {
    id: 'R1',
    number: 'GC-1',
    amount: 500,
    currency: 'EUR',
    storeId: 'S1',
    terminalId: 'T1',
    status: 'held',
    saleId: null,
    expiresAt: '2026-11-01T10:15:00.000Z',
  };
  const tender = { method: 'gift_card', amount: 500, reference: 'GC-1', redemptionId: 'R1' };

  it.each([
    ['a held redemption is claimed', held, 'claim'],
    ['one this sale claimed already stays claimed', { ...held, status: 'claimed', saleId: 'S' }, 'claimed'],
    ['a cancelled one is debited again, as offline', { ...held, status: 'cancelled' }, 'debit'],
    ['an expired one is debited again, as offline', { ...held, status: 'expired' }, 'debit'],
    ['an unknown one is debited, as offline', null, 'debit'],
  ] as const)('%s', (_name, redemption, how) => {
    expect(settleWithRedemption(redemption as Redemption | null, tender, 'S')).toBe(how);
  });

  it.each([
    ['for another amount', { ...held, amount: 400 }],
    ['for another card', { ...held, number: 'GC-2' }],
    ['used by another sale', { ...held, status: 'claimed', saleId: 'OTHER' }],
  ] as const)('refuses a redemption %s', (_name, redemption) => {
    expect(() => settleWithRedemption(redemption as Redemption, tender, 'S')).toThrowError(
      expect.objectContaining({ code: 'stored_value_redemption_mismatch' }),
    );
  });
});

describe('withCreditNumbers', () => {
  it('numbers store credit refunded without a number after the return, and leaves the rest alone', () => {
    const refunds = [
      { method: 'store_credit', amount: 100 },
      { method: 'cash', amount: 50 },
      { method: 'store_credit', amount: 20, reference: 'SC-OLD' },
    ];
    expect(withCreditNumbers({ id: 'X', refunds }).refunds.map((tender) => tender.reference)).toEqual([
      'SC-X',
      undefined,
      'SC-OLD',
    ]);
    const two = withCreditNumbers({ id: 'X', refunds: [refunds[0]!, refunds[0]!] });
    expect(two.refunds.map((tender) => tender.reference)).toEqual(['SC-X-1', 'SC-X-2']);
  });
});

describe('checkRefundable', () => {
  const target = (kind: 'gift_card' | 'store_credit') => ({ number: 'GC-1', kind, currency: 'EUR' });
  it.each([
    ['tops up a gift card that was sold', card(100), 'gift_card', null],
    ['refuses a gift card number nobody sold', null, 'gift_card', 'gift_card_not_issued'],
    ['opens store credit on first use', null, 'store_credit', null],
    [
      'refuses a card in another currency',
      card(100, { currency: 'USD' }),
      'gift_card',
      'stored_value_currency_mismatch',
    ],
    [
      'refuses a card past its expiry',
      card(100, { expiresAt: '2026-11-01T10:00:00.000Z' }),
      'gift_card',
      'stored_value_expired',
    ],
  ] as const)('%s', (_name, account, kind, code) => {
    const check = () => checkRefundable(account, target(kind), '2026-11-01T10:00:00Z');
    if (code === null) expect(check).not.toThrow();
    else expect(check).toThrowError(expect.objectContaining({ code }));
  });

  it('says a refund to a gift card names no card, rather than naming one "undefined"', () => {
    const unnamed = { ...target('gift_card'), number: undefined as unknown as string };
    expect(() => checkRefundable(null, unnamed, '2026-11-01T10:00:00Z')).toThrowError(
      expect.objectContaining({
        code: 'gift_card_not_issued',
        message: expect.not.stringContaining('undefined'),
      }),
    );
  });
});

describe('hold expiry', () => {
  const hold = (status: Redemption['status']): Redemption => ({
    id: 'R1',
    number: 'GC-1',
    amount: 500,
    currency: 'EUR',
    storeId: 'S1',
    terminalId: 'T1',
    status,
    saleId: status === 'claimed' ? 'S' : null,
    expiresAt: holdExpiresAt(new Date('2026-11-01T10:00:00.000Z'), 900),
  });

  it('expires a hold its seconds after it was placed', () => {
    expect(hold('held').expiresAt).toBe('2026-11-01T10:15:00.000Z');
  });

  it.each([
    ['held, before its expiry', 'held', '2026-11-01T10:14:59.999Z', false],
    ['held, at its expiry', 'held', '2026-11-01T10:15:00.000Z', true],
    ['claimed by a sale, long after', 'claimed', '2026-11-02T10:00:00.000Z', false],
    ['cancelled by the till, long after', 'cancelled', '2026-11-02T10:00:00.000Z', false],
    ['expired already', 'expired', '2026-11-02T10:00:00.000Z', false],
  ] as const)('a hold %s is due: %s', (_name, status, now, due) => {
    expect(isExpiredHold(hold(status), new Date(now))).toBe(due);
  });
});
