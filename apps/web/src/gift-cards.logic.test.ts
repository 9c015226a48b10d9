import { describe, expect, it } from 'vitest';
import { StoredValueNumber } from '@tillstream/contracts';
import { TerminalError } from '@tillstream/pos-client/browser';
import {
  CARD_NUMBER,
  checkGiftCardSale,
  EMPTY_FORM,
  expiryInstant,
  giftCardFailure,
  soldSummary,
  type GiftCardForm,
  type PendingIssue,
} from './gift-cards.logic.js';

const now = new Date(2026, 5, 15, 12, 0);
const unrounded = (due: number) => due;
// A store rounding cash to 5 cents, as `terminal.cashDue` answers for it.
const toFiveCents = (due: number) => Math.round(due / 5) * 5;
const form = (patch: Partial<GiftCardForm>): GiftCardForm => ({ ...EMPTY_FORM, ...patch });

const issue = (patch: Partial<PendingIssue> = {}): PendingIssue => ({
  id: 'i-1',
  number: 'GC-1',
  kind: 'gift_card',
  amount: 2500,
  currency: 'EUR',
  storeId: 'S1',
  terminalId: 'T1',
  occurredAt: '2026-06-15T10:00:00.000Z',
  payments: [{ method: 'cash', amount: 2500, tendered: 3000 }],
  shiftId: 'sh-1',
  receiptNo: 'T1-1-4',
  ...patch,
});

describe('checking a gift card sale', () => {
  it('builds a cash sale with what was handed over, and the exact amount when nothing was typed', () => {
    const given = checkGiftCardSale(
      form({ number: ' GC-1 ', amount: '25', cashGiven: '30,00' }),
      unrounded,
      now,
    );
    expect(given).toEqual({
      sale: { number: 'GC-1', amount: 2500, tenders: [{ method: 'cash', tendered: 3000 }] },
      amount: 2500,
      cashDue: 2500,
      problem: null,
    });
    const exact = checkGiftCardSale(form({ number: 'GC-1', amount: '25' }), unrounded, now);
    expect(exact.sale?.tenders).toEqual([{ method: 'cash', tendered: 2500 }]);
  });

  it('pays by card for the amount, without cash given', () => {
    const checked = checkGiftCardSale(
      form({ number: 'GC-1', amount: '12.34', payment: 'card', cashGiven: 'ignored' }),
      toFiveCents,
      now,
    );
    expect(checked.sale).toEqual({ number: 'GC-1', amount: 1234, tenders: [{ method: 'card' }] });
  });

  it('asks for the cash rounded where the store rounds it, and takes exact coins for the amount too', () => {
    const rounded = checkGiftCardSale(form({ number: 'GC-1', amount: '12.34' }), toFiveCents, now);
    expect(rounded).toMatchObject({ amount: 1234, cashDue: 1235 });
    expect(rounded.sale?.tenders).toEqual([{ method: 'cash', tendered: 1235 }]);
    const coins = checkGiftCardSale(
      form({ number: 'GC-1', amount: '12.34', cashGiven: '12.34' }),
      toFiveCents,
      now,
    );
    expect(coins.problem).toBeNull();
    const short = checkGiftCardSale(
      form({ number: 'GC-1', amount: '12.34', cashGiven: '12.33' }),
      toFiveCents,
      now,
    );
    expect(short).toMatchObject({ sale: null, problem: 'The cash given is less than is due' });
  });

  it.each([
    ['no number', { amount: '25' }, 'Scan or type the card number'],
    ['a number the server would refuse', { number: 'GC 1', amount: '25' }, 'A card number is letters'],
    ['no amount', { number: 'GC-1' }, 'Type the amount to load'],
    ['a zero amount', { number: 'GC-1', amount: '0' }, 'Type the amount to load'],
    ['an amount that is none', { number: 'GC-1', amount: '12.345' }, 'Type the amount to load'],
    ['cash given that is no amount', { number: 'GC-1', amount: '25', cashGiven: 'lots' }, 'not an amount'],
    ['an expiry that is no date', { number: 'GC-1', amount: '25', expiresOn: '2026-02-30' }, 'not a date'],
    ['an expiry already past', { number: 'GC-1', amount: '25', expiresOn: '2026-06-14' }, 'has passed'],
  ] as const)('refuses %s', (_case, patch, problem) => {
    const checked = checkGiftCardSale(form(patch), unrounded, now);
    expect(checked.sale).toBeNull();
    expect(checked.problem).toContain(problem);
  });

  it('sends an expiry as the end of the printed day, and none when no date is given', () => {
    const checked = checkGiftCardSale(
      form({ number: 'GC-1', amount: '25', payment: 'card', expiresOn: '2027-12-31' }),
      unrounded,
      now,
    );
    expect(checked.sale?.expiresAt).toBe(new Date(2028, 0, 1).toISOString());
    // Valid all of today: it runs until midnight.
    expect(expiryInstant('2026-06-15')).toBe(new Date(2026, 5, 16).toISOString());
    expect(checkGiftCardSale(form({ number: 'GC-1', amount: '25' }), unrounded, now).sale).not.toHaveProperty(
      'expiresAt',
    );
  });
});

describe('a failed gift card sale', () => {
  it('offers to resend the very issue when the SDK says its answer was lost', () => {
    const pending = issue();
    const lost = Object.assign(new TerminalError('stored_value_offline', 'needs the server'), {
      issue: pending,
    });
    expect(giftCardFailure(lost)).toEqual({
      message: 'needs the server',
      code: 'stored_value_offline',
      retry: pending,
    });
  });

  it("shows a refusal with the server's own code and nothing to resend", () => {
    const expired = new TerminalError(
      'stored_value_refused',
      'GC-1 expired at 2026-01-01T00:00:00.000Z',
      'stored_value_expired',
    );
    expect(giftCardFailure(expired)).toMatchObject({ code: 'stored_value_expired', retry: null });
    const refused = new TerminalError('stored_value_refused', 'GC-1 refused (403)');
    expect(giftCardFailure(refused)).toMatchObject({ code: 'stored_value_refused', retry: null });
    expect(giftCardFailure(new Error('disk full'))).toEqual({
      message: 'Not sold: disk full',
      code: null,
      retry: null,
    });
  });
});

describe('the slip of a sold gift card', () => {
  it('shows the loaded amount, the cash paid with its rounding, the change and the receipt', () => {
    const sold = issue({
      amount: 1234,
      payments: [{ method: 'cash', amount: 1235, tendered: 2000 }],
      cashRounding: 1,
    });
    expect(soldSummary({ issue: sold, change: 765 })).toEqual({
      number: 'GC-1',
      amount: 1234,
      cashPaid: 1235,
      cashRounding: 1,
      change: 765,
      receiptNo: 'T1-1-4',
    });
    const byCard = issue({ payments: [{ method: 'card', amount: 2500 }] });
    expect(soldSummary({ issue: byCard, change: 0 })).toMatchObject({ cashPaid: null, cashRounding: 0 });
  });
});

describe('CARD_NUMBER', () => {
  it('takes exactly the card numbers the server takes', () => {
    // The schema as JSON Schema says it: its pattern and its length limit.
    const { pattern, maxLength } = StoredValueNumber as unknown as { pattern: string; maxLength: number };
    const server = new RegExp(pattern);
    const samples = [
      'GC-1',
      'a',
      '9.x_y',
      '-GC',
      '.GC',
      'GC 1',
      'GC/1',
      'é1',
      '',
      'A'.repeat(64),
      'A'.repeat(65),
    ];
    for (const sample of samples)
      expect(CARD_NUMBER.test(sample), sample).toBe(server.test(sample) && sample.length <= maxLength);
  });
});
