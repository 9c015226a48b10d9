import type { ErrorEntry } from './entry.js';

/** Errors of terminals, shifts, receipts, returns, tenders, stored value and the sync quarantine. */
export const POS_ERRORS = {
  terminal_not_found: {
    kind: 'not_found',
    title: 'Unknown terminal',
    description: 'No terminal is registered under this id.',
  },
  terminal_already_registered: {
    kind: 'conflict',
    title: 'Terminal already has a key',
    description:
      'The terminal is registered with an active key; rotate it with POST /pos/v1/terminals/{id}/keys instead.',
  },
  terminal_keys_unavailable: {
    kind: 'unavailable',
    title: 'Terminal keys cannot be issued here',
    description: 'This POS instance was started without access to API key creation.',
  },
  collection_not_found: {
    kind: 'not_found',
    title: 'Unknown collection',
    description:
      'POS has heard of no click-and-collect fulfilment with this id at a store this key may see (ERP tells it ' +
      'by events, moments after allocating an order).',
  },
  collection_cancelled: {
    kind: 'conflict',
    title: 'Collection cancelled',
    description:
      'The order was cancelled before its goods left: do not hand them over. `orderId` names the order, ' +
      '`collectionStatus` says whether its goods still wait to go back on the shelf (`cancelled`) or are there ' +
      '(`restocked`).',
  },
  collection_collected: {
    kind: 'conflict',
    title: 'Collection handed over',
    description: 'The collection was handed over to its shopper already; there is nothing left to put aside.',
  },
  collection_not_cancelled: {
    kind: 'conflict',
    title: 'Collection not cancelled',
    description: 'Only the goods of a cancelled order go back on the shelf; this collection’s order stands.',
  },
  shift_not_found: { kind: 'not_found', title: 'Unknown shift', description: 'No shift has this id.' },
  shift_seq_taken: {
    kind: 'conflict',
    title: 'Shift number used',
    description: 'Another shift of this terminal has this sequence number.',
  },
  shift_already_closed: {
    kind: 'conflict',
    title: 'Shift closed with another count',
    description: 'The shift was closed already with a different close (id or counted cash).',
  },
  shift_terminal_mismatch: {
    kind: 'conflict',
    title: 'Shift of another terminal',
    description: 'The transaction names a shift that belongs to another terminal or store.',
  },
  shift_currency_mismatch: {
    kind: 'unprocessable',
    title: 'Shift in another currency',
    description:
      'The sale, return or gift card sale is in another currency than the shift it names; a shift counts ' +
      "one currency, so its Z-report and cash count would mix amounts. `currency` is the shift's.",
  },
  receipt_number_taken: {
    kind: 'conflict',
    title: 'Receipt number used',
    description: 'Another sale or return of this terminal carries this receipt number.',
  },
  return_not_found: { kind: 'not_found', title: 'Unknown return', description: 'No return has this id.' },
  original_sale_not_found: {
    kind: 'unprocessable',
    title: 'Original sale unknown',
    description: 'The return names a receipt (`originalSaleId`) that POS has not recorded.',
  },
  return_line_mismatch: {
    kind: 'unprocessable',
    title: 'Return line does not match the receipt',
    description:
      'A line of a return with a receipt names no line of the original sale, another SKU or another currency; ' +
      '`lines` lists them.',
  },
  return_exceeds_sold: {
    kind: 'conflict',
    title: 'More returned than sold',
    description:
      'A line returns more units than the original line sold minus those already returned; `lines` lists ' +
      '`sold`, `returned` and `requested`.',
  },
  tender_below_amount: {
    kind: 'unprocessable',
    title: 'Cash tendered below the amount',
    description:
      'A payment names `tendered` cash smaller than the `amount` it pays; `payment` is its number.',
  },
  refund_mismatch: {
    kind: 'unprocessable',
    title: 'Refunds do not cover the return',
    description:
      'The sum of refunds must equal the return total (plus its `cashRounding`, when it states one).',
  },
  refund_exceeds_collected: {
    kind: 'unprocessable',
    title: 'Refunds exceed what the sale collected',
    description:
      'The sale was paid with a gift card or store credit that held less than it spent (its shortfall was ' +
      'written off for review), and a return refunds at most what was collected: its value less its share of ' +
      'that shortfall (`uncollected`). `refundable` is what its refunds may add up to (plus cash rounding); ' +
      'GET /pos/v1/sales/{id}/returnable says it beforehand.',
  },
  cash_rounding_mismatch: {
    kind: 'unprocessable',
    title: 'Cash rounding is not what the store rounds',
    description:
      "A sale, return or gift card sale states a `cashRounding` that is not what the store's increment (ERP location " +
      '`cashRoundingIncrement`) gives for the cash due (what the other tenders leave of the total), nor what an ' +
      'increment the store had before gives. A store that does not round takes none. `expected` is the ' +
      "rounding at the store's increment (`increment`, null: none) for `cashDue`.",
  },
  cash_rounding_without_cash: {
    kind: 'unprocessable',
    title: 'Cash rounding without cash',
    description:
      'Only cash is rounded: a sale, return or gift card sale that states a `cashRounding` must pay or refund ' +
      'some cash.',
  },
  return_policy_violation: {
    kind: 'unprocessable',
    title: 'Return refused by policy',
    description:
      'A return without a receipt exceeds the store policy (amount or refund method); `policy` describes it.',
  },
  stored_value_not_found: {
    kind: 'not_found',
    title: 'Unknown gift card or store credit',
    description: 'No gift card or store credit has this number.',
  },
  insufficient_balance: {
    kind: 'conflict',
    title: 'Balance too low',
    description:
      'The gift card or store credit holds less than the redemption asks for; `balance` is what it holds now.',
  },
  stored_value_currency_mismatch: {
    kind: 'unprocessable',
    title: 'Gift card in another currency',
    description: 'The gift card or store credit holds value in another currency (`currency`).',
  },
  gift_card_not_issued: {
    kind: 'unprocessable',
    title: 'Refund to a gift card never sold',
    description:
      'A return refunds to a `gift_card` number no card was sold under. A refund tops up an issued card only; ' +
      'refund to `store_credit` instead (opened on first use) or to a card sold through ' +
      'POST /pos/v1/stored-value/issues.',
  },
  stored_value_expired: {
    kind: 'unprocessable',
    title: 'Gift card expired',
    description:
      'The gift card or store credit expired at `expiresAt`: its value lapsed (or lapses at the next sweep), so it ' +
      'can no longer be spent, topped up or refunded to. Refund to `store_credit` or a new card instead.',
  },
  invalid_expiry: {
    kind: 'unprocessable',
    title: 'Expiry before the sale',
    description: "A gift card's `expiresAt` must come after the issue's `occurredAt`.",
  },
  stored_value_kind_mismatch: {
    kind: 'conflict',
    title: 'Number used by another kind',
    description: 'The number belongs to a gift card and is used as store credit, or the other way round.',
  },
  stored_value_reference_required: {
    kind: 'unprocessable',
    title: 'Gift card number missing',
    description:
      'A `gift_card` or `store_credit` payment must name its number in `reference`; `payment` is its position.',
  },
  stored_value_tender_not_allowed: {
    kind: 'unprocessable',
    title: 'Gift card paid with stored value',
    description: 'A gift card or store credit cannot be bought with a gift card or store credit.',
  },
  coupon_redemption_not_found: {
    kind: 'not_found',
    title: 'No coupon redemption of this till',
    description:
      'The till this key acts as redeemed no coupons online for this sale id: another till did, or none did ' +
      "through POS (answered alike, so a till learns nothing of other tills' sales). Only that till, or a " +
      "back-office key (`pos:manage`, not a terminal's own), may give the uses back.",
  },
  stored_value_redemption_not_found: {
    kind: 'not_found',
    title: 'Unknown gift card redemption',
    description: 'No gift card or store credit redemption has this id.',
  },
  stored_value_redemption_mismatch: {
    kind: 'unprocessable',
    title: 'Payment does not match its redemption',
    description:
      'A payment names a `redemptionId` held for another number or amount, or already used by another sale.',
  },
  stored_value_redemption_claimed: {
    kind: 'conflict',
    title: 'Redemption used by a sale',
    description: 'The redemption paid for a sale and cannot be cancelled; return the goods instead.',
  },
  tax_mismatch: {
    kind: 'unprocessable',
    title: 'Tax does not match its rate',
    description:
      "A line's added tax is not its total × rate, or its included tax not its total × rate / (1 + rate), " +
      "rounded half up (the pricing engine's rule); `lines` lists the expected amounts. A line states one of " +
      'the two, never both.',
  },
  quarantine_entry_not_found: {
    kind: 'not_found',
    title: 'Unknown quarantined transaction',
    description: 'No quarantined transaction of this terminal has this id.',
  },
  pricing_snapshot_unavailable: {
    kind: 'unavailable',
    title: 'Pricing snapshot unavailable',
    description: 'ERP did not serve a pricing snapshot; terminals keep pricing with the one they have.',
  },
  catalog_revision_unknown: {
    kind: 'gone',
    title: 'Catalog revision unknown',
    description:
      'The catalog revision asked from is newer than any POS has (its database was restored or replaced); ' +
      'download the whole catalog (GET /pos/v1/catalog) and ask for changes from its `revision`.',
  },
} as const satisfies Record<string, ErrorEntry>;
