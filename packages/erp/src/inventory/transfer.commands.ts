import { TransferReceivedV1, TransferShippedV1 } from '@tillstream/contracts';
import {
  conflict,
  invalid,
  notFound,
  unprocessable,
  type Clock,
  type Db,
  type Outbox,
  type Tx,
} from '@tillstream/kernel';
import type { CatalogStore } from '../catalog/catalog.store.js';
import type { BackorderAllocator } from './backorder.allocate.js';
import {
  decideReceipt,
  decideShip,
  newTransfer,
  type ReceiptCommand,
  type Transfer,
  type TransferCommand,
} from './transfer.decide.js';
import { receiptFingerprint, receiptTime } from './receipt.decide.js';
import { claimDocumentId } from './receipt.store.js';
import type { TransferFilter, TransferStore } from './transfer.store.js';
import type { StockStore } from './stock.store.js';
import { assertStocked } from './stocked.js';

export type TransferView = Omit<Transfer, 'requestHash'>;

const toView = ({ requestHash: _hash, ...view }: Transfer): TransferView => view;

/** Transfer use cases, one transaction each; balance rows are locked before the transfer row. */
export function createTransferCommands(deps: {
  db: Db;
  clock: Clock;
  outbox: Outbox;
  catalog: CatalogStore;
  stock: StockStore;
  transfers: TransferStore;
  allocator: BackorderAllocator;
}) {
  const { db, clock, catalog, stock, transfers } = deps;

  async function lockTransfer(tx: Tx, id: string, skus: readonly string[]): Promise<Transfer> {
    const peek = await transfers.find(tx, id);
    if (!peek) throw notFound('transfer_not_found', `No transfer ${id}`);
    const all = [...new Set([...peek.lines.map((line) => line.sku), ...skus])];
    const keys = all.flatMap((sku) =>
      [peek.sourceId, peek.destinationId].map((locationId) => ({ sku, locationId })),
    );
    await stock.lock(tx, keys, keys);
    return (await transfers.find(tx, id, true))!;
  }

  return {
    async create(command: TransferCommand): Promise<{ created: boolean; transfer: TransferView }> {
      return db.transaction(async (tx) => {
        const transfer = newTransfer(command, clock.now().toISOString());
        for (const locationId of [command.sourceId, command.destinationId]) {
          if (!(await catalog.findLocation(tx, locationId)))
            throw unprocessable('unknown_location', `No location ${locationId}`, { locations: [locationId] });
        }
        await assertStocked(
          tx,
          catalog,
          command.lines.map((line) => line.sku),
        );
        if (!(await transfers.insert(tx, transfer))) {
          const existing = (await transfers.find(tx, command.id))!;
          if (existing.requestHash !== transfer.requestHash)
            throw conflict('id_conflict', `Transfer ${command.id} exists with other content`);
          return { created: false, transfer: toView(existing) };
        }
        return { created: true, transfer: toView(transfer) };
      });
    },
    async find(id: string): Promise<TransferView> {
      const transfer = await transfers.find(db, id);
      if (!transfer) throw notFound('transfer_not_found', `No transfer ${id}`);
      return toView(transfer);
    },
    /** A page in id order; `after` must name a transfer (400 `invalid_cursor` otherwise). */
    async list(filter: TransferFilter): Promise<{ transfers: TransferView[]; next: string | null }> {
      if (filter.after !== '' && !(await transfers.find(db, filter.after)))
        throw invalid('invalid_cursor', `No transfer ${filter.after} to page after`);
      const rows = await transfers.page(db, filter);
      const page = rows.slice(0, filter.limit).map(toView);
      return { transfers: page, next: rows.length > filter.limit ? page.at(-1)!.id : null };
    },
    /** Ships a draft (repeatable: a shipped transfer answers as it is). Refused if the source lacks stock. */
    async ship(id: string): Promise<TransferView> {
      return db.transaction(async (tx) => {
        const now = clock.now().toISOString();
        const transfer = await lockTransfer(tx, id, []);
        const plan = decideShip(transfer, now);
        if (!plan) return toView(transfer);
        const short: Array<{ sku: string; requested: number; available: number }> = [];
        for (const movement of plan.movements) {
          // Held units stay put: a shipment may take only what is available at the source.
          const guard = movement.kind === 'transfer_out' ? { minAvailable: 0 } : {};
          if (!(await stock.apply(tx, movement, guard))) {
            const balance = [...(await stock.lock(tx, [movement])).values()][0]!;
            short.push({
              sku: movement.sku,
              requested: -movement.change.onHand,
              available: balance.onHand - balance.reserved,
            });
          }
        }
        if (short.length > 0)
          throw conflict('insufficient_stock', `Source ${transfer.sourceId} lacks stock to ship`, {
            lines: short,
          });
        await transfers.save(tx, plan.transfer);
        await deps.outbox.append(tx, [
          {
            contract: TransferShippedV1,
            subject: `transfer/${id}`,
            sequence: plan.transfer.version,
            data: {
              transferId: id,
              version: plan.transfer.version,
              sourceId: transfer.sourceId,
              destinationId: transfer.destinationId,
              lines: transfer.lines.map((line) => ({ sku: line.sku, quantity: line.quantity })),
              occurredAt: now,
            },
          },
        ]);
        return toView(plan.transfer);
      });
    },
    /** Records one receipt (idempotent by receipt id); partial receipts accumulate until the transfer closes. */
    async receive(
      id: string,
      command: Omit<ReceiptCommand, 'occurredAt'> & { occurredAt?: string },
    ): Promise<{ created: boolean; transfer: TransferView }> {
      return db.transaction(async (tx) => {
        const now = clock.now().toISOString();
        const receipt = { ...command, occurredAt: receiptTime(command.occurredAt, clock.now()) };
        const hash = receiptFingerprint(command);
        if (
          !(await claimDocumentId(tx, 'transfer_receipts', { id: receipt.id, documentId: id, hash, at: now }))
        ) {
          const transfer = await transfers.find(tx, id);
          return { created: false, transfer: toView(transfer!) };
        }
        await assertStocked(
          tx,
          catalog,
          receipt.lines.map((line) => line.sku),
        );
        const transfer = await lockTransfer(
          tx,
          id,
          receipt.lines.map((line) => line.sku),
        );
        const plan = decideReceipt(transfer, receipt);
        for (const movement of plan.movements) await stock.apply(tx, movement);
        await transfers.save(tx, plan.transfer);
        await deps.allocator.allocate(
          tx,
          receipt.lines.map((line) => ({ sku: line.sku, locationId: transfer.destinationId })),
          now,
        );
        await deps.outbox.append(tx, [
          {
            contract: TransferReceivedV1,
            subject: `transfer/${id}`,
            sequence: plan.transfer.version,
            data: {
              transferId: id,
              receiptId: receipt.id,
              version: plan.transfer.version,
              destinationId: transfer.destinationId,
              status: plan.transfer.status as 'partially_received' | 'received',
              lines: receipt.lines,
              discrepancies: plan.transfer.discrepancies,
              occurredAt: receipt.occurredAt,
            },
          },
        ]);
        return { created: true, transfer: toView(plan.transfer) };
      });
    },
  };
}

export type TransferCommands = ReturnType<typeof createTransferCommands>;
