import { TransferReceivedV1, TransferRescheduledV1, TransferShippedV1 } from '@tillstream/contracts';
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
  isOverdue,
  newTransfer,
  transferFingerprint,
  type ReceiptCommand,
  type Transfer,
  type TransferCommand,
} from './transfer.decide.js';
import { receiptFingerprint, receiptTime } from './receipt.decide.js';
import { claimDocumentId } from './receipt.store.js';
import type { TransferFilter, TransferStore } from './transfer.store.js';
import type { StockStore } from './stock.store.js';
import { assertStocked } from './stocked.js';

export type TransferView = Omit<Transfer, 'requestHash'> & { overdue: boolean };

/** The list's filters as asked; `overdue` is read against the ERP clock when the list is. */
export type TransferListQuery = Omit<TransferFilter, 'overdue'> & { overdue?: boolean };

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
  const toView = (transfer: Transfer, now = clock.now().toISOString()): TransferView => {
    const { requestHash: _hash, ...view } = transfer;
    return { ...view, overdue: isOverdue(transfer, now) };
  };

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
        // A retry replays before anything is checked again: its expected date may have passed since.
        const replay = (existing: Transfer) => {
          if (existing.requestHash !== transferFingerprint(command))
            throw conflict('id_conflict', `Transfer ${command.id} exists with other content`);
          return { created: false, transfer: toView(existing) };
        };
        const existing = await transfers.find(tx, command.id);
        if (existing) return replay(existing);
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
        if (!(await transfers.insert(tx, transfer))) return replay((await transfers.find(tx, command.id))!);
        return { created: true, transfer: toView(transfer) };
      });
    },
    async find(id: string): Promise<TransferView> {
      const transfer = await transfers.find(db, id);
      if (!transfer) throw notFound('transfer_not_found', `No transfer ${id}`);
      return toView(transfer);
    },
    /** A page in id order; `after` must name a transfer (400 `invalid_cursor` otherwise). */
    async list(query: TransferListQuery): Promise<{ transfers: TransferView[]; next: string | null }> {
      const { overdue, ...filter } = query;
      if (filter.after !== '' && !(await transfers.find(db, filter.after)))
        throw invalid('invalid_cursor', `No transfer ${filter.after} to page after`);
      const now = clock.now().toISOString();
      const rows = await transfers.page(db, {
        ...filter,
        ...(overdue === undefined ? {} : { overdue: { is: overdue, at: now } }),
      });
      const page = rows.slice(0, filter.limit).map((row) => toView(row, now));
      return { transfers: page, next: rows.length > filter.limit ? page.at(-1)!.id : null };
    },
    /**
     * Ships a draft, or changes a shipped one's expected arrival (repeatable: a transfer already as asked
     * answers as it is). Refused if the source lacks stock.
     */
    async ship(id: string, command: { expectedAt?: string } = {}): Promise<TransferView> {
      return db.transaction(async (tx) => {
        const now = clock.now().toISOString();
        const transfer = await lockTransfer(tx, id, []);
        const plan = decideShip(transfer, now, command.expectedAt);
        if (!plan) return toView(transfer, now);
        if (plan.kind === 'reschedule') {
          await transfers.save(tx, plan.transfer);
          await deps.outbox.append(tx, [
            {
              contract: TransferRescheduledV1,
              subject: `transfer/${id}`,
              sequence: plan.transfer.version,
              data: {
                transferId: id,
                version: plan.transfer.version,
                sourceId: transfer.sourceId,
                destinationId: transfer.destinationId,
                expectedAt: plan.expectedAt,
                previousExpectedAt: plan.previousExpectedAt,
                occurredAt: now,
              },
            },
          ]);
          return toView(plan.transfer, now);
        }
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
              ...(plan.transfer.expectedAt === null ? {} : { expectedAt: plan.transfer.expectedAt }),
              occurredAt: now,
            },
          },
        ]);
        return toView(plan.transfer, now);
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
