/**
 * The chart of accounts the journal posts to: the few accounts a retail chain's sales, returns, tenders and
 * gift cards and stock touch, numbered the way most charts number them (1xxx assets, 2xxx liabilities, 4xxx
 * revenue, 5xxx cost of sales, 6xxx expenses, 9xxx suspense). An accounting package maps these onto its own chart when it imports them.
 */
export const ACCOUNTS = {
  cash: { code: '1000', name: 'Cash in tills', type: 'asset' },
  bank: { code: '1050', name: 'Bank accounts: what suppliers are paid from', type: 'asset' },
  cardReceivable: { code: '1100', name: 'Card settlements receivable', type: 'asset' },
  providerReceivable: { code: '1150', name: 'Online payment provider receivable', type: 'asset' },
  otherTenders: { code: '1190', name: 'Other tenders receivable', type: 'asset' },
  inventory: { code: '1300', name: 'Inventory at moving average cost', type: 'asset' },
  payables: { code: '2000', name: 'Accounts payable: suppliers', type: 'liability' },
  salesTax: { code: '2100', name: 'Sales tax payable', type: 'liability' },
  storedValue: { code: '2200', name: 'Gift cards and store credit outstanding', type: 'liability' },
  goodsReceived: { code: '2300', name: 'Goods received not invoiced', type: 'liability' },
  receivedOutsideOrders: {
    code: '2310',
    name: 'Goods received outside purchase orders, to be matched',
    type: 'liability',
  },
  customerDeposits: {
    code: '2400',
    name: 'Customer deposits: online orders paid, not yet shipped',
    type: 'liability',
  },
  sales: { code: '4000', name: 'Sales, gross', type: 'revenue' },
  discounts: { code: '4050', name: 'Promotions and discounts', type: 'contra_revenue' },
  shippingIncome: { code: '4070', name: 'Shipping income', type: 'revenue' },
  returns: { code: '4100', name: 'Returns and refunds', type: 'contra_revenue' },
  breakage: { code: '4900', name: 'Breakage: expired gift card and store credit value', type: 'revenue' },
  cashRounding: { code: '4960', name: 'Cash rounding differences', type: 'revenue' },
  costOfSales: { code: '5000', name: 'Cost of goods sold', type: 'expense' },
  shrinkage: { code: '5100', name: 'Inventory shrinkage and adjustments', type: 'expense' },
  priceVariance: { code: '5200', name: 'Purchase price variance', type: 'expense' },
  occupancy: { code: '6100', name: 'Occupancy: rent and service charges', type: 'expense' },
  utilities: { code: '6200', name: 'Utilities: energy and water', type: 'expense' },
  freight: { code: '6300', name: 'Freight and carriage', type: 'expense' },
  storeOperations: {
    code: '6400',
    name: 'Store operations: cleaning, security, repairs and supplies',
    type: 'expense',
  },
  marketing: { code: '6500', name: 'Marketing and advertising', type: 'expense' },
  professionalFees: { code: '6600', name: 'Professional fees: legal, audit and advisory', type: 'expense' },
  itAndTelecoms: { code: '6700', name: 'IT, software and telecoms', type: 'expense' },
  otherOperating: { code: '6800', name: 'Other operating expenses', type: 'expense' },
  overShort: { code: '6900', name: 'Cash over and short', type: 'expense' },
  storedValueShortfall: {
    code: '6950',
    name: 'Gift card and store credit shortfalls written off',
    type: 'expense',
  },
  suspense: { code: '9990', name: 'Suspense: documents that did not balance', type: 'suspense' },
} as const;

export type AccountKey = keyof typeof ACCOUNTS;
export type AccountCode = (typeof ACCOUNTS)[AccountKey]['code'];
export type AccountType = (typeof ACCOUNTS)[AccountKey]['type'];

export const ACCOUNT_LIST = Object.values(ACCOUNTS);

/**
 * The operating expenses a supplier's bill may book (its `expenses`): the overheads a chain's accounts payable
 * mostly holds. Not 5xxx (cost of sales follows stock, price variance the receipts), nor 6900 and 6950, which
 * only the tills' shifts and gift cards post: a clerk's bill booked there would hide in their reconciliations.
 * Inbound freight billed apart from the goods is expensed (6300), not spread over the stock's cost: the
 * valuation cannot tell which units it carried.
 */
export const BILL_EXPENSE_ACCOUNTS = [
  ACCOUNTS.occupancy,
  ACCOUNTS.utilities,
  ACCOUNTS.freight,
  ACCOUNTS.storeOperations,
  ACCOUNTS.marketing,
  ACCOUNTS.professionalFees,
  ACCOUNTS.itAndTelecoms,
  ACCOUNTS.otherOperating,
] as const;

export type BillExpenseAccount = (typeof BILL_EXPENSE_ACCOUNTS)[number]['code'];

const BILL_EXPENSE_CODES: ReadonlySet<string> = new Set(BILL_EXPENSE_ACCOUNTS.map((account) => account.code));

export const isBillExpenseAccount = (code: string): code is BillExpenseAccount =>
  BILL_EXPENSE_CODES.has(code);

/** Where a store tender's money sits until it is banked or settled; gift cards and store credit spend a liability. */
export function tenderAccount(method: string): AccountCode {
  switch (method) {
    case 'cash':
      return ACCOUNTS.cash.code;
    case 'card':
      return ACCOUNTS.cardReceivable.code;
    case 'gift_card':
    case 'store_credit':
      return ACCOUNTS.storedValue.code;
    default:
      return ACCOUNTS.otherTenders.code;
  }
}

/** Debit-normal accounts grow with debits; the rest grow with credits. */
export function isDebitNormal(type: AccountType): boolean {
  return type === 'asset' || type === 'contra_revenue' || type === 'expense' || type === 'suspense';
}
