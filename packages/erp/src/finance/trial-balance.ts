import { ACCOUNT_LIST, isDebitNormal, type AccountCode } from './accounts.js';

export interface AccountTotals {
  currency: string;
  account: AccountCode;
  debit: number;
  credit: number;
}

/** Groups account totals by currency, balances each account on the side it grows, and checks the sums. */
export function trialBalance(totals: readonly AccountTotals[]) {
  const byCurrency = new Map<string, AccountTotals[]>();
  for (const row of totals) byCurrency.set(row.currency, [...(byCurrency.get(row.currency) ?? []), row]);
  return [...byCurrency].map(([currency, rows]) => {
    const accounts = rows.map((row) => {
      const account = ACCOUNT_LIST.find((candidate) => candidate.code === row.account) ?? {
        code: row.account,
        name: row.account,
        type: 'suspense' as const,
      };
      const balance = isDebitNormal(account.type) ? row.debit - row.credit : row.credit - row.debit;
      return { ...account, debit: row.debit, credit: row.credit, balance };
    });
    const debit = rows.reduce((sum, row) => sum + row.debit, 0);
    const credit = rows.reduce((sum, row) => sum + row.credit, 0);
    return { currency, accounts, debit, credit, balanced: debit === credit };
  });
}
