import { Type } from 'typebox';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyPluginAsync } from 'fastify';
import { LocationId, Sku } from '@tillstream/contracts';
import type { Db } from '@tillstream/kernel';
import { SkuParams } from '../catalog/catalog.schemas.js';
import type { BackorderStore } from './backorder.store.js';
import { verifyLedger } from './ledger-check.js';

const Figures = {
  onHand: Type.Integer(),
  reserved: Type.Integer(),
  inTransit: Type.Integer(),
  damaged: Type.Integer(),
};

const LedgerReportView = Type.Object({
  ok: Type.Boolean(),
  keys: Type.Integer({ description: '(sku, location) balances checked' }),
  movements: Type.Integer(),
  mismatches: Type.Array(
    Type.Object({
      sku: Type.String(),
      locationId: Type.String(),
      balance: Type.Object({ ...Figures, version: Type.Integer() }),
      ledger: Type.Object({ ...Figures, movements: Type.Integer() }),
    }),
  ),
  holdMismatches: Type.Array(
    Type.Object({
      sku: Type.String(),
      locationId: Type.String(),
      reserved: Type.Integer(),
      held: Type.Integer(),
    }),
  ),
});

const MovementView = Type.Object({
  id: Type.String(),
  locationId: Type.String(),
  kind: Type.String(),
  ...Figures,
  occurredAt: Type.String(),
  recordedAt: Type.String(),
  reference: Type.String(),
  unitCost: Type.Optional(
    Type.Integer({ description: 'What a receipt cost per unit, where it said (ERP values stock from it)' }),
  ),
  channel: Type.Optional(
    Type.String({
      description:
        'The sales channel whose sale, return or reservation moved it: `pos` for the stores, else the online ' +
        'channel. Its cost of sales is booked under it',
    }),
  ),
});

const BackorderView = Type.Object({
  backorderId: Type.Integer(),
  reservationId: Type.String(),
  sku: Type.String(),
  locationId: Type.String(),
  quantity: Type.Integer(),
  filled: Type.Integer(),
  status: Type.String({ description: 'open, filled or cancelled' }),
});

export function ledgerRoutes(deps: { db: Db; backorders: BackorderStore }): FastifyPluginAsync {
  const { db, backorders } = deps;
  return async (plugin) => {
    const app = plugin.withTypeProvider<TypeBoxTypeProvider>();

    app.get(
      '/inventory/ledger-check',
      {
        config: { scope: 'erp:read' },
        schema: {
          tags: ['erp'],
          summary: 'Check that every balance equals the sum of its movements and reserved equals held',
          description: '`ok` is false and the mismatches are listed when an invariant is broken.',
          response: { 200: LedgerReportView },
        },
      },
      async () => verifyLedger(db),
    );

    app.get(
      '/inventory/:sku/movements',
      {
        config: { scope: 'erp:read' },
        schema: {
          tags: ['erp'],
          summary: 'The ledger of a SKU in business-time order (each row: its change to every balance)',
          params: SkuParams,
          querystring: Type.Object({
            locationId: Type.Optional(LocationId),
            limit: Type.Integer({ minimum: 1, maximum: 1000, default: 200 }),
          }),
          response: { 200: Type.Object({ movements: Type.Array(MovementView) }) },
        },
      },
      async (request) => {
        const rows = await db.query<Record<string, string | number>>(
          `SELECT * FROM stock_movements WHERE sku = $1 AND ($2 = '' OR location_id = $2)
           ORDER BY occurred_at, recorded_at, id LIMIT $3`,
          [request.params.sku, request.query.locationId ?? '', request.query.limit],
        );
        return {
          movements: rows.map((row) => ({
            id: String(row.id),
            locationId: String(row.location_id),
            kind: String(row.kind),
            onHand: Number(row.quantity),
            reserved: Number(row.reserved_delta),
            inTransit: Number(row.in_transit_delta),
            damaged: Number(row.damaged_delta),
            occurredAt: String(row.occurred_at),
            recordedAt: String(row.recorded_at),
            reference: String(row.reference),
            ...(row.unit_cost === null || row.unit_cost === undefined
              ? {}
              : { unitCost: Number(row.unit_cost) }),
            ...(row.channel === null || row.channel === undefined ? {} : { channel: String(row.channel) }),
          })),
        };
      },
    );

    app.get(
      '/backorders',
      {
        config: { scope: 'erp:read' },
        schema: {
          tags: ['erp'],
          summary: 'The backorder queues, oldest first',
          querystring: Type.Object({
            sku: Type.Optional(Sku),
            locationId: Type.Optional(LocationId),
            status: Type.Optional(
              Type.Union([Type.Literal('open'), Type.Literal('filled'), Type.Literal('cancelled')]),
            ),
            limit: Type.Integer({ minimum: 1, maximum: 1000, default: 200 }),
          }),
          response: { 200: Type.Object({ backorders: Type.Array(BackorderView) }) },
        },
      },
      async (request) => {
        const { limit, ...filter } = request.query;
        const entries = await backorders.list(db, filter, limit);
        return { backorders: entries.map(({ line: _line, ...entry }) => entry) };
      },
    );
  };
}
