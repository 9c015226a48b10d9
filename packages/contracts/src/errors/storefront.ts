import type { ErrorEntry } from './entry.js';

/** Errors of carts, checkout, orders, fulfilments, refunds and online returns. */
export const STOREFRONT_ERRORS = {
  cart_not_found: {
    kind: 'not_found',
    title: 'Unknown cart',
    description: 'No cart has this id.',
  },
  cart_closed: {
    kind: 'conflict',
    title: 'Cart closed',
    description: 'The cart was checked out (or is being checked out) and can no longer change.',
  },
  cart_empty: {
    kind: 'unprocessable',
    title: 'Cart empty',
    description: 'A cart needs at least one line to check out.',
  },
  shipping_required: {
    kind: 'unprocessable',
    title: 'Delivery required',
    description:
      'The chain delivers online orders and the cart has no delivery chosen: choose one (`PUT ' +
      '/commerce/v1/carts/{id}/shipping`, methods from `GET /commerce/v1/carts/{id}/shipping-options`) and ' +
      'check out again. Nothing was held or charged.',
  },
  cart_line_not_found: {
    kind: 'not_found',
    title: 'Unknown cart line',
    description: 'The cart has no line for this SKU.',
  },
  cart_too_large: {
    kind: 'unprocessable',
    title: 'Cart too large',
    description: 'A cart holds at most 100 distinct SKUs, 10 coupons and 10,000 units of one SKU.',
  },
  cart_total_changed: {
    kind: 'conflict',
    title: 'Cart total changed',
    description:
      'Checkout was sent with `expectedTotal`, and pricing changed since the shopper saw the cart (a price, a ' +
      'promotion, a delivery charge): the cart now comes to `total`. Nothing was held or charged; show the ' +
      'shopper the new total and check out again with it.',
  },
  checkout_in_progress: {
    kind: 'conflict',
    title: 'Checkout in progress',
    description:
      'Another checkout of this cart is running; retry (after `Retry-After`) to get its order, or to check ' +
      'out once the other checkout’s claim lapsed because its process died. Not stored against an ' +
      '`Idempotency-Key`: a retry with the key runs again.',
  },
  payment_declined: {
    kind: 'unprocessable',
    title: 'Payment declined',
    description: 'The payment provider declined; the stock hold was released and the cart stays open.',
  },
  payment_timeout: {
    kind: 'unavailable',
    title: 'Payment timed out',
    description:
      'The payment provider did not answer in time; the hold was released and the cart stays open. Retry ' +
      'after `Retry-After` seconds.',
  },
  unknown_payment_method: {
    kind: 'unprocessable',
    title: 'Unknown payment method',
    description: 'No payment provider is configured for this method.',
  },
  order_not_found: {
    kind: 'not_found',
    title: 'Unknown order',
    description: 'No order has this id.',
  },
  order_transition_invalid: {
    kind: 'conflict',
    title: 'Order cannot do that now',
    description: 'The order is in a status that does not allow this step (e.g. cancel after shipping).',
  },
  fulfilment_not_found: {
    kind: 'not_found',
    title: 'Unknown fulfilment',
    description: 'No fulfilment has this id.',
  },
  cart_expired: {
    kind: 'conflict',
    title: 'Cart expired',
    description:
      'The cart was left untouched longer than the cart expiry (abandoned); it can no longer change or check ' +
      'out. Start a new cart.',
  },
  shipping_address_required: {
    kind: 'unprocessable',
    title: 'Delivery address required',
    description:
      'The shipping method chosen delivers to the shopper: give its `address` (a collection method takes a ' +
      '`collector` instead). Nothing was saved.',
  },
  shipping_collector_required: {
    kind: 'unprocessable',
    title: 'Collector required',
    description:
      'The shipping method chosen is a collection (click and collect): give the `collector` who comes for the ' +
      'order (`name`, optional `phone`) and no `address`; the order goes to the collection point. Nothing was ' +
      'saved.',
  },
  shipping_choice_invalid: {
    kind: 'unprocessable',
    title: 'Delivery choice does not fit its method',
    description:
      'An `address` was given for a collection method, or a `collector` for a delivery method: give the one ' +
      'the method takes (`shipping_address_required` / `shipping_collector_required` say which). Nothing was ' +
      'saved.',
  },
  fulfilment_not_pickup: {
    kind: 'conflict',
    title: 'Not a collection',
    description:
      'Only a fulfilment of an order the shopper collects (click and collect) can be made ready for pickup or ' +
      'handed over with `collect`; a delivered order ships (`/ship`) and is delivered (`/deliver`).',
  },
  fulfilment_not_shipped: {
    kind: 'conflict',
    title: 'Fulfilment not shipped',
    description: 'Only a shipped fulfilment can be marked delivered.',
  },
  refund_exceeds_paid: {
    kind: 'unprocessable',
    title: 'Refund exceeds what was paid',
    description:
      'The refund is larger than the order total minus what was refunded already; `refundable` says how much is left.',
  },
  refund_shipping_exceeds_paid: {
    kind: 'unprocessable',
    title: 'Refund gives back more delivery than was paid',
    description:
      'The refund’s `shipping` is more than its `amount`, or more than the order’s delivery charge minus what ' +
      'earlier refunds gave back of it; `refundableShipping` says how much it may name.',
  },
  refund_failed: {
    kind: 'unavailable',
    title: 'Refund failed',
    description:
      'The payment provider did not refund; nothing was recorded as refunded. Retry the same refund (same id) ' +
      'after `Retry-After` seconds.',
  },
  return_exceeds_shipped: {
    kind: 'unprocessable',
    title: 'More returned than shipped',
    description:
      'A line returns more units than the order shipped (so far, when it is partially shipped) minus those ' +
      'already returned; `lines` lists `shipped`, `returned` and `requested`.',
  },
  return_line_not_in_order: {
    kind: 'unprocessable',
    title: 'SKU not in the order',
    description: 'A return line names a SKU the order does not contain; `skus` lists them.',
  },
  order_period_reversed: {
    kind: 'unprocessable',
    title: 'Period ends before it starts',
    description:
      'The order list’s `from` is after its `to`; `from` and `to` say what was asked. The period is [from, to): ' +
      'swap them, or leave one out for an open end.',
  },
} as const satisfies Record<string, ErrorEntry>;
