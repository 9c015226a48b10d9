import { describe, expect, it } from 'vitest';
import { authorizePoster, decideSale, saleFingerprint, type SaleCommand } from './sale.decide.js';

const command: SaleCommand = {
  id: '0190f0e0-0000-7000-8000-000000000001',
  storeId: 'S1',
  terminalId: 'T1',
  occurredAt: '2026-11-01T10:00:00Z',
  currency: 'EUR',
  lines: [
    { sku: 'A', quantity: 2, unitPrice: 250 },
    { sku: 'B', quantity: 1, unitPrice: 100 },
  ],
  payments: [
    { method: 'cash', amount: 400 },
    { method: 'card', amount: 200 },
  ],
};

describe('decideSale', () => {
  it('numbers lines, computes line totals and the total', () => {
    expect(decideSale(command)).toMatchObject({
      total: 600,
      occurredAt: '2026-11-01T10:00:00.000Z',
      lines: [
        { lineNo: 1, lineTotal: 500 },
        { lineNo: 2, lineTotal: 100 },
      ],
    });
  });

  it('keeps cash tendered and card references, and refuses cash tendered below what it pays', () => {
    const payments = [
      { method: 'cash', amount: 400, tendered: 500 },
      { method: 'gift_card', amount: 200, reference: 'GC-1' },
    ];
    expect(decideSale({ ...command, payments }).payments).toEqual(payments);
    expect(() =>
      decideSale({ ...command, payments: [{ method: 'cash', amount: 600, tendered: 500 }] }),
    ).toThrowError(expect.objectContaining({ code: 'tender_below_amount' }));
  });

  it('refuses payments that do not add up to the total', () => {
    expect(() => decideSale({ ...command, payments: [{ method: 'cash', amount: 599 }] })).toThrowError(
      expect.objectContaining({ code: 'payment_mismatch' }),
    );
  });
});

describe('saleFingerprint', () => {
  it('is the same for the same sale written differently, and differs for any change', () => {
    const same = { ...command, occurredAt: '2026-11-01T11:00:00+01:00' };
    expect(saleFingerprint(same)).toBe(saleFingerprint(command));
    expect(saleFingerprint({ ...command, lines: [command.lines[0]!] })).not.toBe(saleFingerprint(command));
    expect(saleFingerprint({ ...command, terminalId: 'T2' })).not.toBe(saleFingerprint(command));
  });
});

describe('authorizePoster', () => {
  it('lets an unbound key post for any terminal, and a terminal key only for itself', () => {
    expect(() => authorizePoster({ terminalId: null, storeId: null }, command)).not.toThrow();
    expect(() => authorizePoster({ terminalId: 'T1', storeId: 'S1' }, command)).not.toThrow();
    expect(() => authorizePoster({ terminalId: 'T9', storeId: 'S1' }, command)).toThrowError(
      expect.objectContaining({ code: 'terminal_mismatch' }),
    );
  });
});
