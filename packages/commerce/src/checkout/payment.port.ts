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

/** A payment provider; `timeout` means no answer in time, so nothing may be assumed charged. */
export interface PaymentProvider {
  authorize(request: PaymentRequest): Promise<PaymentResult>;
}

/**
 * The built-in `test` provider: approves unless the request asks for `outcome: "decline"` or `"timeout"`,
 * so tests can drive every path of checkout without a real provider.
 */
export const testPaymentProvider: PaymentProvider = {
  async authorize(request) {
    if (request.options.outcome === 'decline') return { status: 'declined', reason: 'test_decline' };
    if (request.options.outcome === 'timeout') return { status: 'timeout' };
    return { status: 'approved', reference: `test-${request.attemptId}` };
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
