import type { Static } from 'typebox';
import { isDomainError, type Clock, type Logger } from '@tillstream/kernel';
import type { ReturnCommands } from '../returns/return.commands.js';
import type { ReturnCommand } from '../returns/return.decide.js';
import type { SaleCommands } from '../sales/sale.commands.js';
import type { Poster, SaleCommand } from '../sales/sale.decide.js';
import type { ShiftCommands } from '../shifts/shift.commands.js';
import type { ShiftCloseCommand, ShiftOpenCommand } from '../shifts/shift.decide.js';
import type { QuarantineStore } from './quarantine.store.js';
import type { SyncResult } from './sync.schemas.js';
import { checkTransaction } from './transaction.validate.js';

type Result = Static<typeof SyncResult>;
type Incoming = { type: string; id: string } & Record<string, unknown>;

export interface SyncDeps {
  sales: SaleCommands;
  returns: ReturnCommands;
  shifts: ShiftCommands;
  quarantine: QuarantineStore;
  clock: Clock;
  logger: Logger;
}

/**
 * Applies a terminal's batch one transaction at a time, each in its own database transaction, so one failure
 * never takes the others with it. Replays answer `duplicate`; a refusal that will not change on a resend is
 * quarantined (stored with its reason) and answered `rejected` for good; one that may change (a dependency was
 * down) is `retryable`.
 */
export function createSyncApplier(deps: SyncDeps) {
  const { quarantine, clock, logger } = deps;

  /** Checks the transaction against its schema and terminal, then hands its body to its command. */
  async function dispatch(
    terminalId: string,
    transaction: Incoming,
    poster: Poster,
  ): Promise<{ created: boolean; late: boolean }> {
    const check = checkTransaction(transaction);
    if (!check.ok) throw Object.assign(new Error(check.detail), { syncCode: check.code });
    if (transaction.terminalId !== terminalId)
      throw Object.assign(new Error(`The transaction is of terminal ${String(transaction.terminalId)}`), {
        syncCode: 'terminal_mismatch',
      });
    const { type: _type, ...body } = transaction;
    switch (check.type) {
      case 'sale':
        return deps.sales.record(body as unknown as SaleCommand, poster);
      case 'return':
        return deps.returns.record(body as unknown as ReturnCommand, poster);
      case 'shift_open':
        return { ...(await deps.shifts.open(body as unknown as ShiftOpenCommand)), late: false };
      case 'shift_close':
        return { ...(await deps.shifts.close(body as unknown as ShiftCloseCommand)), late: false };
    }
  }

  async function applyOne(
    terminalId: string,
    transaction: Incoming,
    poster: Poster,
    quarantined: Set<string>,
  ): Promise<Result> {
    const base = { id: String(transaction.id), type: String(transaction.type) };
    try {
      const { created, late } = await dispatch(terminalId, transaction, poster);
      if (quarantined.has(base.id)) await quarantine.release(terminalId, base.id);
      return { ...base, status: created ? 'accepted' : 'duplicate', ...(late ? { late } : {}) };
    } catch (error) {
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
      if (isDomainError(error) && error.kind === 'unavailable')
        return { ...base, status: 'rejected', code, detail, retryable: true };
      await quarantine.put(
        { terminalId, ...base, payload: transaction, code, detail },
        clock.now().toISOString(),
      );
      return { ...base, status: 'rejected', code, detail, retryable: false, quarantined: true };
    }
  }

  return {
    applyOne,
    async apply(terminalId: string, transactions: readonly Incoming[], poster: Poster): Promise<Result[]> {
      const quarantined = await quarantine.ids(terminalId);
      const results: Result[] = [];
      for (const transaction of transactions)
        results.push(await applyOne(terminalId, transaction, poster, quarantined));
      return results;
    },
  };
}

export type SyncApplier = ReturnType<typeof createSyncApplier>;
