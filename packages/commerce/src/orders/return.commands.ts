import { ReturnReceivedV1, type ReturnReceivedV1Data } from '@tillstream/contracts';
import {
  conflict,
  fingerprintOf,
  isDomainError,
  keepOrigin,
  notFound,
  unprocessable,
  type Clock,
  type Db,
  type IdGenerator,
  type Outbox,
} from '@tillstream/kernel';
import type { ErpPort } from '../erp.port.js';
import { orderStore } from './order.store.js';
import type { Refunds } from './refund.commands.js';
import type { Refund } from './refund.store.js';
import { decideReturn, type ReturnLine } from './return.decide.js';

export interface ReturnRequest {
  id?: string;
  locationId?: string;
  lines: ReturnLine[];
}

export interface OrderReturn {
  id: string;
  orderId: string;
  locationId: string | null;
  lines: ReturnLine[];
  refundAmount: number;
  receivedAt: string;
  refund: Pick<Refund, 'id' | 'amount' | 'status' | 'reference'> | null;
}

interface Row {
  id: string;
  order_id: string;
  location_id: string | null;
  lines: string;
  refund_amount: number | string;
  request_hash: string;
  received_at: string;
}

const fingerprint = (request: ReturnRequest) =>
  fingerprintOf([request.locationId ?? null, request.lines.map((l) => [l.sku, l.quantity, l.disposition])]);

/**
 * Returns of shipped online orders: checked against what shipped and came back already (under the order's
 * lock, so two returns cannot both take the last units), recorded with `commerce.return.received` for ERP to
 * book the stock, then refunded through the payment provider. A repeated return id answers the stored return
 * and finishes its refund if the provider failed the first time; that failure (503 `refund_failed`) names the
 * `returnId` (generated when the request had none) and `refundId`, so the caller can repeat it.
 */
export function createReturns(deps: {
  db: Db;
  outbox: Outbox;
  clock: Clock;
  ids: IdGenerator;
  refunds: Refunds;
  erp: Pick<ErpPort, 'locationExists'>;
}) {
  const { db } = deps;
  const refundIdOf = (returnId: string) => `return-${returnId}`;

  const record = (orderId: string, request: ReturnRequest, id: string, hash: string) =>
    db.transaction(async (tx) => {
      await orderStore.lock(tx, orderId);
      const order = await orderStore.find(tx, orderId);
      if (!order) throw notFound('order_not_found', `No order ${orderId}`);
      const rows = await tx.query<Row>('SELECT * FROM order_returns WHERE order_id = $1', [orderId]);
      const existing = rows.find((row) => row.id === id);
      if (existing) {
        if (existing.request_hash !== hash)
          throw conflict('id_conflict', `Return ${id} of order ${orderId} exists with other content`);
        return { order, row: existing };
      }
      const before = rows.flatMap((row) => JSON.parse(row.lines) as ReturnLine[]);
      const { refundAmount: share, lines: priced } = decideReturn(order, before, request.lines);
      // What a goodwill refund already paid back is not paid twice.
      const refundAmount = Math.min(share, order.total - order.refunded);
      const receivedAt = deps.clock.now().toISOString();
      const row: Row = {
        id,
        order_id: orderId,
        location_id: request.locationId ?? null,
        lines: JSON.stringify(request.lines),
        refund_amount: refundAmount,
        request_hash: hash,
        received_at: receivedAt,
      };
      await tx.execute(
        `INSERT INTO order_returns (id, order_id, location_id, lines, refund_amount, request_hash, received_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7)`,
        [
          row.id,
          row.order_id,
          row.location_id,
          row.lines,
          row.refund_amount,
          row.request_hash,
          row.received_at,
        ],
      );
      const data: ReturnReceivedV1Data = {
        returnId: id,
        orderId,
        locationId: row.location_id,
        lines: priced,
        refund: { currency: order.currency, amount: refundAmount },
        receivedAt,
      };
      await deps.outbox.append(tx, [
        { contract: ReturnReceivedV1, subject: `order/${orderId}/return/${id}`, sequence: 1, data },
      ]);
      return { order, row, created: true };
    });

  return {
    async receive(
      orderId: string,
      request: ReturnRequest,
    ): Promise<{ created: boolean; value: OrderReturn }> {
      const inRequest = keepOrigin();
      // ERP would refuse to book units at a location it does not know (the event would dead-letter), so the
      // shopper is never refunded for a return no stock can come back from.
      if (request.locationId !== undefined && !(await deps.erp.locationExists(request.locationId)))
        throw unprocessable('unknown_location', `No location ${request.locationId}`, {
          locations: [request.locationId],
        });
      const id = request.id ?? deps.ids.next();
      const recorded = await inRequest(() => record(orderId, request, id, fingerprint(request)));
      const share = Number(recorded.row.refund_amount);
      // At most the share worked out with the return: a refund that went through since takes its part.
      const refund =
        share > 0
          ? (
              await inRequest(() =>
                deps.refunds.refundUpTo(recorded.order, {
                  id: refundIdOf(id),
                  amount: share,
                  // The units' share of what their lines paid: goods only.
                  shipping: 0,
                  reason: 'return',
                  returnId: id,
                }),
              ).catch((error: unknown) => {
                // The return is booked, its refund is not: name both so the caller can repeat this return
                // under its id (the same body with `id: returnId`), which retries the same refund only.
                if (isDomainError(error))
                  Object.assign(error.extensions, { returnId: id, refundId: refundIdOf(id) });
                throw error;
              })
            ).refund
          : null;
      return {
        created: 'created' in recorded,
        value: {
          id,
          orderId,
          locationId: recorded.row.location_id,
          lines: JSON.parse(recorded.row.lines) as ReturnLine[],
          refundAmount: refund?.amount ?? 0,
          receivedAt: recorded.row.received_at,
          refund: refund && {
            id: refund.id,
            amount: refund.amount,
            status: refund.status,
            reference: refund.reference,
          },
        },
      };
    },

    /** Units returned so far per SKU. */
    async returnedOf(orderId: string): Promise<Map<string, number>> {
      const rows = await db.query<{ lines: string }>('SELECT lines FROM order_returns WHERE order_id = $1', [
        orderId,
      ]);
      const totals = new Map<string, number>();
      for (const line of rows.flatMap((row) => JSON.parse(row.lines) as ReturnLine[]))
        totals.set(line.sku, (totals.get(line.sku) ?? 0) + line.quantity);
      return totals;
    },
  };
}

export type Returns = ReturnType<typeof createReturns>;
