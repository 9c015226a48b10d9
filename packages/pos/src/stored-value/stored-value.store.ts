import type { Clock, Outbox } from '@tillstream/kernel';
import { createAccountStore } from './account.store.js';
import { createExceptionStore } from './exception.store.js';
import { createIssueStore } from './issue.store.js';
import { createRedemptionStore } from './redemption.store.js';

/**
 * What gift card and store credit commands and routes read and write, one store per responsibility: accounts
 * with their ledger, redemptions (holds and what became of them), issues, and shortfall exceptions. Every write
 * takes the caller's transaction.
 */
export function createStoredValueStore(deps: { outbox: Outbox; clock: Clock }) {
  return {
    ...createAccountStore(deps),
    ...createRedemptionStore(deps),
    ...createIssueStore(deps),
    ...createExceptionStore(deps),
  };
}

export type StoredValueStore = ReturnType<typeof createStoredValueStore>;
