import type { PricingSnapshot } from '@tillstream/contracts';

export interface HoldRequest {
  id: string;
  channel: string;
  lines: Array<{ sku: string; quantity: number }>;
  expiresInSeconds: number;
}

/** Lines ERP could not hold, as its `insufficient_stock` problem names them. */
export type ShortLine = Record<string, unknown> & { sku: string };

export type HoldResult = { held: true; expiresAt: string } | { held: false; lines: ShortLine[] };

/**
 * Commerce's synchronous view of ERP (in-process on the embedded engine, HTTP with a timeout on scale-out).
 * Every method throws a 503 `service_unavailable` DomainError when ERP does not answer: checkout fails closed.
 */
export interface ErpPort {
  /** The current pricing snapshot; `null` when ERP has none yet. */
  pricingSnapshot(): Promise<PricingSnapshot | null>;
  /** All-or-nothing hold with an expiry (POST /erp/v1/reservations). */
  hold(request: HoldRequest): Promise<HoldResult>;
  commit(reservationId: string): Promise<void>;
  release(reservationId: string): Promise<void>;
}
