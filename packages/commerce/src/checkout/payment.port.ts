import { unprocessable } from '@tillstream/kernel';

export interface PaymentRequest {
  /** Unique per checkout attempt: a provider must not charge the same attempt twice. */
  attemptId: string;
  amount: number;
  currency: string;
  email: string;
  /** Provider-specific options from the checkout body (the test provider's `outcome`). */
  options: Record<string, unknown>;
}

export type PaymentResult =
  { status: 'approved'; reference: string } | { status: 'declined'; reason: string } | { status: 'timeout' };

export interface RefundRequest {
  /** Unique per refund: a provider must not pay the same refund out twice, however often it is asked. */
  refundId: string;
  /** The reference the provider gave the payment when it approved it. */
  paymentReference: string;
  amount: number;
  currency: string;
}

export type RefundResult = { status: 'refunded'; reference: string } | { status: 'failed'; reason: string };

/** A payment provider; `timeout` means no answer in time, so nothing may be assumed charged. */
export interface PaymentProvider {
  authorize(request: PaymentRequest): Promise<PaymentResult>;
  /** Pays (part of) an approved payment back; idempotent by `refundId`. */
  refund(request: RefundRequest): Promise<RefundResult>;
}

const MAX_TEST_DELAY_MS = 30_000;

/**
 * The built-in `test` provider: approves unless the request asks for `outcome: "decline"` or `"timeout"`,
 * so tests can drive every path of checkout without a real provider. `delayMs` makes it answer late (a slow
 * provider: the checkout's hold may expire meanwhile). Refunds always succeed.
 */
export const testPaymentProvider: PaymentProvider = {
  async authorize(request) {
    const delayMs = Number(request.options.delayMs ?? 0);
    if (delayMs > 0)
      await new Promise((resolve) => setTimeout(resolve, Math.min(delayMs, MAX_TEST_DELAY_MS)));
    if (request.options.outcome === 'decline') return { status: 'declined', reason: 'test_decline' };
    if (request.options.outcome === 'timeout') return { status: 'timeout' };
    return { status: 'approved', reference: `test-${request.attemptId}` };
  },
  async refund(request) {
    return { status: 'refunded', reference: `test-refund-${request.refundId}` };
  },
};

export function paymentProviderFor(
  providers: Readonly<Record<string, PaymentProvider>>,
  method: string,
): PaymentProvider {
  const provider = Object.hasOwn(providers, method) ? providers[method] : undefined;
  if (!provider) throw unprocessable('unknown_payment_method', `No payment provider for ${method}`);
  return provider;
}
