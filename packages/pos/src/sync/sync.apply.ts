import type { Static } from 'typebox';
import {
  isDomainError,
  keepOrigin,
  type Clock,
  type Db,
  type KeptOrigin,
  type Logger,
  type Tx,
} from '@tillstream/kernel';
import type { Directory } from '../directory/directory.js';
import type { ReturnCommands } from '../returns/return.commands.js';
import type { ReturnCommand } from '../returns/return.decide.js';
import type { ReturnStore } from '../returns/return.store.js';
import type { SaleCommands } from '../sales/sale.commands.js';
import type { Poster, SaleCommand } from '../sales/sale.decide.js';
import type { SaleStore } from '../sales/sale.store.js';
import type { ShiftCommands } from '../shifts/shift.commands.js';
import type { ShiftCloseCommand, ShiftOpenCommand } from '../shifts/shift.decide.js';
import { readAhead, type BatchReferences, type BatchScope } from './batch.scope.js';
import type { QuarantineStore } from './quarantine.store.js';
import type { SyncResult } from './sync.schemas.js';
import { checkTransaction, type TransactionCheck } from './transaction.validate.js';

type Result = Static<typeof SyncResult>;
type Incoming = { type: string; id: string } & Record<string, unknown>;
type Checked = { transaction: Incoming; check: TransactionCheck };

export interface SyncDeps {
  db: Db;
  sales: SaleCommands;
  returns: ReturnCommands;
  shifts: ShiftCommands;
  saleStore: SaleStore;
  returnStore: ReturnStore;
  directory: Directory;
  quarantine: QuarantineStore;
  clock: Clock;
  logger: Logger;
}

/**
 * PostgreSQL keeps the ids of at most 64 subtransactions (savepoints that wrote) per transaction in shared
 * memory; past that every other session's snapshot checks spill to pg_subtrans and slow down. So there a batch
 * commits in chunks that stay below it. SQLite has no such limit: one transaction per batch.
 */
const POSTGRES_SAVEPOINTS_PER_TRANSACTION = 50;

/**
 * Refusals that another transaction's arrival lifts: a return whose sale is still on its way (a later batch, or
 * another till's). They are answered `retryable`, so the terminal sends them again; quarantined, they would stay
 * refused after the sale lands, and batches may come in any order.
 */
const AWAITING_ANOTHER = new Set(['original_sale_not_found']);

const refusal = (detail: string, syncCode: string) => Object.assign(new Error(detail), { syncCode });

/** A transaction of a chunk applied without savepoints was refused: the chunk is run again with them. */
class RefusedInChunk extends Error {
  constructor(transactionId: string, options: ErrorOptions) {
    super(`transaction ${transactionId} was refused; applying its chunk again with savepoints`, options);
  }
}

/** The ids, stores and SKUs the batch's well-formed sales and returns refer to, for the read-ahead. */
function referencesOf(batch: readonly Checked[]): BatchReferences {
  const references: BatchReferences = { saleIds: [], returnIds: [], storeIds: [], skus: [] };
  for (const { transaction, check } of batch) {
    if (!check.ok || (check.type !== 'sale' && check.type !== 'return')) continue;
    (check.type === 'sale' ? references.saleIds : references.returnIds).push(transaction.id);
    const document = transaction as unknown as { storeId: string; lines: Array<{ sku: string }> };
    references.storeIds.push(document.storeId);
    for (const line of document.lines) references.skus.push(line.sku);
  }
  return references;
}

/**
 * Applies a terminal's batch in one database transaction (chunks of it on PostgreSQL), in the batch's order,
 * with one commit (one fsync on the embedded engine) for the whole batch. A chunk runs first as it is; if any
 * of its transactions is refused, it is rolled back and run again with each transaction in a savepoint of its
 * own, so that a refused one rolls back alone while the others commit together. What the batch needs to read
 * is read ahead in bulk. Replays answer `duplicate`; a refusal that will not change on a resend is quarantined
 * (stored with its reason, in the same transaction) and answered `rejected` for good; one that may change (a
 * dependency was down) is `retryable`. Results are decided inside the transaction, so a retried transaction
 * (PostgreSQL serialization failure, or a chunk run again with savepoints) answers afresh.
 */
export function createSyncApplier(deps: SyncDeps) {
  const { db, quarantine, clock, logger } = deps;
  const chunkSize =
    db.dialect === 'postgres' ? POSTGRES_SAVEPOINTS_PER_TRANSACTION : Number.POSITIVE_INFINITY;

  /** Checks the transaction's terminal, then hands its body to its command, in the batch's transaction. */
  async function dispatch(
    terminalId: string,
    { transaction, check }: Checked,
    poster: Poster,
    batch: BatchScope,
  ): Promise<{ created: boolean; late: boolean }> {
    if (!check.ok) throw refusal(check.detail, check.code);
    if (transaction.terminalId !== terminalId)
      throw refusal(`The transaction is of terminal ${String(transaction.terminalId)}`, 'terminal_mismatch');
    const { type: _type, ...body } = transaction;
    switch (check.type) {
      case 'sale':
        return deps.sales.record(body as unknown as SaleCommand, poster, batch);
      case 'return':
        return deps.returns.record(body as unknown as ReturnCommand, poster, batch);
      case 'shift_open': {
        const opened = await deps.shifts.open(body as unknown as ShiftOpenCommand, poster, batch.tx);
        return { ...opened, late: false };
      }
      case 'shift_close': {
        const closed = await deps.shifts.close(body as unknown as ShiftCloseCommand, poster, batch.tx);
        return { ...closed, late: false };
      }
    }
  }

  /**
   * Applies one transaction of a batch. Isolated, it runs in a savepoint of its own: a refusal rolls back this
   * one alone and is answered (and quarantined when final). Not isolated, a refusal abandons the whole chunk.
   */
  async function applyIn(
    batch: BatchScope,
    terminalId: string,
    checked: Checked,
    poster: Poster,
    quarantined: ReadonlySet<string>,
    isolated: boolean,
  ): Promise<Result> {
    const { tx } = batch;
    const base = { id: String(checked.transaction.id), type: String(checked.transaction.type) };
    try {
      const apply = () => dispatch(terminalId, checked, poster, batch);
      const { created, late } = isolated ? await tx.savepoint(apply) : await apply();
      // Only the body that went through leaves the quarantine: another one under its id (an `id_conflict`)
      // stays there when the original is sent again and answered `duplicate`.
      if (quarantined.has(base.id)) await quarantine.release(tx, terminalId, base.id, checked.transaction);
      return { ...base, status: created ? 'accepted' : 'duplicate', ...(late ? { late } : {}) };
    } catch (error) {
      if (!isolated) throw new RefusedInChunk(base.id, { cause: error });
      return refused(tx, terminalId, checked.transaction, base, error);
    }
  }

  async function refused(
    tx: Tx,
    terminalId: string,
    transaction: Incoming,
    base: { id: string; type: string },
    error: unknown,
  ): Promise<Result> {
    const syncCode = (error as { syncCode?: string }).syncCode;
    if (!syncCode && !isDomainError(error)) {
      logger.error({ err: error, terminalId, transactionId: base.id }, 'sync transaction failed');
      return {
        ...base,
        status: 'rejected',
        code: 'internal_error',
        detail: 'Unexpected error; retry later',
        retryable: true,
      };
    }
    const code = syncCode ?? (error as { code: string }).code;
    const detail = (error as Error).message;
    if ((isDomainError(error) && error.kind === 'unavailable') || AWAITING_ANOTHER.has(code))
      return { ...base, status: 'rejected', code, detail, retryable: true };
    await quarantine.put(
      tx,
      { terminalId, ...base, payload: transaction, code, detail },
      clock.now().toISOString(),
    );
    return { ...base, status: 'rejected', code, detail, retryable: false, quarantined: true };
  }

  /** `quarantined`: the ids of the batch that were quarantined before, released when they go through now. */
  async function applyBatch(
    terminalId: string,
    transactions: readonly Incoming[],
    poster: Poster,
    quarantined: ReadonlySet<string>,
    inRequest: KeptOrigin,
  ): Promise<Result[]> {
    const checked = transactions.map((transaction) => ({
      transaction,
      check: checkTransaction(transaction),
    }));
    const lookups = await readAhead(
      { sales: deps.saleStore, returns: deps.returnStore, directory: deps.directory },
      referencesOf(checked),
    );
    const results: Result[] = [];
    for (let at = 0; at < checked.length; at += chunkSize) {
      const chunk = checked.slice(at, at + chunkSize);
      const inChunk = (isolated: boolean) =>
        inRequest(() =>
          db.transaction(async (tx) => {
            const batch: BatchScope = { tx, ...lookups };
            const answers: Result[] = [];
            for (const item of chunk)
              answers.push(await applyIn(batch, terminalId, item, poster, quarantined, isolated));
            return answers;
          }),
        );
      // First without a savepoint per transaction: a savepoint copies every page its transaction changes and
      // releasing it was the largest single cost of a batch. Should one be refused, the chunk is rolled back
      // whole and run again with savepoints, so that the refused one rolls back alone.
      const answers = await inChunk(false).catch((error: unknown) => {
        if (error instanceof RefusedInChunk) return inChunk(true);
        throw error;
      });
      results.push(...answers);
    }
    return results;
  }

  return {
    /** Applies one transaction again (a quarantined one being retried), as a batch of its own. */
    async applyOne(terminalId: string, transaction: Incoming, poster: Poster): Promise<Result> {
      const [result] = await applyBatch(
        terminalId,
        [transaction],
        poster,
        new Set([transaction.id]),
        keepOrigin(),
      );
      return result!;
    },
    async apply(terminalId: string, transactions: readonly Incoming[], poster: Poster): Promise<Result[]> {
      const inRequest = keepOrigin();
      return applyBatch(terminalId, transactions, poster, await quarantine.ids(terminalId), inRequest);
    },
  };
}

export type SyncApplier = ReturnType<typeof createSyncApplier>;
