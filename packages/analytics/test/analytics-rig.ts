import { foreignEvent, uniqueName } from '@tillstream/kernel/testing';

export const pgUrl = process.env.TILLSTREAM_TEST_PG_URL;

/** A store sale as POS publishes it: lines of `[sku, quantity, unitPrice, discount?]`, paid by card. */
export const saleEvent = (
  storeId: string,
  occurredAt: string,
  lines: Array<[string, number, number, number?]>,
) => {
  const saleId = uniqueName('sale');
  const saleLines = lines.map(([sku, quantity, unitPrice, discount = 0], index) => ({
    lineNo: index + 1,
    sku,
    quantity,
    unitPrice,
    ...(discount > 0 ? { discount } : {}),
    lineTotal: quantity * unitPrice - discount,
  }));
  const total = saleLines.reduce((sum, line) => sum + line.lineTotal, 0);
  return foreignEvent('pos', 'pos.sale.completed', `sale/${saleId}`, 1, {
    saleId,
    storeId,
    terminalId: 't1',
    occurredAt,
    currency: 'EUR',
    lines: saleLines,
    payments: [{ method: 'card', amount: total }],
    total,
  });
};
