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

  it('keeps the promotions behind a discount, which must add up to it, and tells sales apart by them', () => {
    const promoted = (amounts: number[]): SaleCommand => ({
      ...command,
      lines: [
        {
          sku: 'A',
          quantity: 2,
          unitPrice: 250,
          discount: 100,
          promotions: amounts.map((amount, index) => ({ promotionId: `P${index + 1}`, amount })),
        },
        { sku: 'B', quantity: 1, unitPrice: 100 },
      ],
      payments: [{ method: 'card', amount: 500 }],
    });
    expect(decideSale(promoted([60, 40])).lines[0]).toMatchObject({
      discount: 100,
      promotions: [
        { promotionId: 'P1', amount: 60 },
        { promotionId: 'P2', amount: 40 },
      ],
    });
    expect(decideSale(promoted([])).lines[0]).not.toHaveProperty('promotions');
    expect(() => decideSale(promoted([60, 30]))).toThrowError(
      expect.objectContaining({
        code: 'promotion_amounts_mismatch',
        extensions: { lines: [{ lineNo: 1, discount: 100, promotions: 90 }] },
      }),
    );
    expect(saleFingerprint(promoted([60, 40]))).not.toBe(saleFingerprint(promoted([40, 60])));
    expect(saleFingerprint(promoted([]))).toBe(
      saleFingerprint({
        ...promoted([]),
        lines: [
          { sku: 'A', quantity: 2, unitPrice: 250, discount: 100 },
          { sku: 'B', quantity: 1, unitPrice: 100 },
        ],
      }),
    );
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

describe('decideSale with added tax (a tax-exclusive store)', () => {
  const taxed = (
    taxes: Array<{ ratePpm: number; amount: number } | undefined>,
    paid: number,
  ): SaleCommand => ({
    ...command,
    lines: [
      { sku: 'A', quantity: 3, unitPrice: 333, discount: 100, tax: taxes[0] },
      { sku: 'B', quantity: 1, unitPrice: 105, tax: taxes[1] },
    ],
    payments: [{ method: 'card', amount: paid }],
  });

  it("adds each line's tax to the total: net + tax, rounded half up per line", () => {
    // 899 × 21 % = 188.79 → 189; 105 × 9 % = 9.45 → 9 (half up: 9.5 would be 10)
    const sale = decideSale(
      taxed(
        [
          { ratePpm: 210_000, amount: 189 },
          { ratePpm: 90_000, amount: 9 },
        ],
        899 + 105 + 189 + 9,
      ),
    );
    expect(sale).toMatchObject({ tax: 198, total: 1202 });
    expect(sale.lines.map((line) => line.tax)).toEqual([
      { ratePpm: 210_000, amount: 189 },
      { ratePpm: 90_000, amount: 9 },
    ]);
  });

  it('rounds a half cent up, as the pricing engine does', () => {
    const half: SaleCommand = {
      ...command,
      lines: [{ sku: 'A', quantity: 1, unitPrice: 50, tax: { ratePpm: 90_000, amount: 5 } }],
      payments: [{ method: 'cash', amount: 55 }],
    };
    expect(decideSale(half).total).toBe(55);
  });

  it.each([
    [
      'a tax that is not net × rate',
      [{ ratePpm: 210_000, amount: 188 }, undefined],
      899 + 105 + 188,
      'tax_mismatch',
    ],
    [
      'payments that leave the tax out',
      [{ ratePpm: 210_000, amount: 189 }, undefined],
      899 + 105,
      'payment_mismatch',
    ],
  ] as const)('refuses %s', (_name, taxes, paid, code) => {
    expect(() => decideSale(taxed([...taxes], paid))).toThrowError(expect.objectContaining({ code }));
  });

  it('has no tax field when no line adds tax', () => {
    expect(decideSale(command)).not.toHaveProperty('tax');
  });
});

describe('decideSale with tax included in the price', () => {
  // 1210 at 21 % holds 1210 × 0.21 / 1.21 = 210; 1000 at 9 % holds 82.57 → 83 (half up, as the engine rounds)
  const inclusive = (includedTaxes: Array<{ ratePpm: number; amount: number } | undefined>): SaleCommand => ({
    ...command,
    lines: [
      { sku: 'A', quantity: 1, unitPrice: 1210, includedTax: includedTaxes[0] },
      { sku: 'B', quantity: 2, unitPrice: 500, includedTax: includedTaxes[1] },
    ].map(({ includedTax, ...line }) => (includedTax ? { ...line, includedTax } : line)),
    payments: [{ method: 'card', amount: 2210 }],
  });

  it('keeps the tax each line holds, and adds nothing to the total', () => {
    const sale = decideSale(
      inclusive([
        { ratePpm: 210_000, amount: 210 },
        { ratePpm: 90_000, amount: 83 },
      ]),
    );
    expect(sale).toMatchObject({ total: 2210 });
    expect(sale).not.toHaveProperty('tax');
    expect(sale.lines.map((line) => line.includedTax)).toEqual([
      { ratePpm: 210_000, amount: 210 },
      { ratePpm: 90_000, amount: 83 },
    ]);
  });

  it('refuses an included tax that is not total × rate / (1 + rate), listing the expected amount', () => {
    expect(() => decideSale(inclusive([{ ratePpm: 210_000, amount: 254 }, undefined]))).toThrowError(
      expect.objectContaining({
        code: 'tax_mismatch',
        extensions: { lines: [{ lineNo: 1, expected: 210, actual: 254 }] },
      }),
    );
  });

  it('refuses a line that both adds tax and includes it', () => {
    const both: SaleCommand = {
      ...command,
      lines: [
        {
          sku: 'A',
          quantity: 1,
          unitPrice: 1210,
          tax: { ratePpm: 210_000, amount: 254 },
          includedTax: { ratePpm: 210_000, amount: 210 },
        },
      ],
      payments: [{ method: 'card', amount: 1464 }],
    };
    expect(() => decideSale(both)).toThrowError(expect.objectContaining({ code: 'tax_mismatch' }));
  });

  it('fingerprints the included tax: a retry stating another is not the same sale', () => {
    const stated = inclusive([{ ratePpm: 210_000, amount: 210 }, undefined]);
    expect(saleFingerprint(stated)).not.toBe(saleFingerprint(inclusive([undefined, undefined])));
    expect(saleFingerprint(stated)).not.toBe(
      saleFingerprint(inclusive([undefined, { ratePpm: 210_000, amount: 210 }])),
    );
  });
});

describe('decideSale with gift cards and store credit', () => {
  it('needs the card number on such a payment', () => {
    expect(() => decideSale({ ...command, payments: [{ method: 'gift_card', amount: 600 }] })).toThrowError(
      expect.objectContaining({ code: 'stored_value_reference_required' }),
    );
  });

  it('refuses one online hold paying for two payments', () => {
    const hold = {
      method: 'gift_card',
      amount: 300,
      reference: 'GC-1',
      redemptionId: '0190f0e0-0000-7000-8000-0000000000aa',
    };
    expect(() => decideSale({ ...command, payments: [hold, hold] })).toThrowError(
      expect.objectContaining({ code: 'stored_value_redemption_mismatch' }),
    );
  });

  it('keeps the online hold and the offline card flag on the payments', () => {
    const payments = [
      {
        method: 'gift_card',
        amount: 200,
        reference: 'GC-1',
        redemptionId: '0190f0e0-0000-7000-8000-0000000000aa',
      },
      { method: 'card', amount: 400, offline: true },
    ];
    expect(decideSale({ ...command, payments }).payments).toEqual(payments);
  });
});

describe('saleFingerprint', () => {
  it('is the same for the same sale written differently, and differs for any change', () => {
    const same = { ...command, occurredAt: '2026-11-01T11:00:00+01:00' };
    expect(saleFingerprint(same)).toBe(saleFingerprint(command));
    expect(saleFingerprint({ ...command, lines: [command.lines[0]!] })).not.toBe(saleFingerprint(command));
    expect(saleFingerprint({ ...command, terminalId: 'T2' })).not.toBe(saleFingerprint(command));
    const taxedLine = { ...command.lines[0]!, tax: { ratePpm: 210_000, amount: 105 } };
    expect(saleFingerprint({ ...command, lines: [taxedLine, command.lines[1]!] })).not.toBe(
      saleFingerprint(command),
    );
    const offline = [{ ...command.payments[0]! }, { ...command.payments[1]!, offline: true }];
    expect(saleFingerprint({ ...command, payments: offline })).not.toBe(saleFingerprint(command));
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
