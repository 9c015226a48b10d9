import type { Db, Outbox, Tx } from '@tillstream/kernel';
import { decideAttempt, type DeliveryPolicy, type EndpointSignal } from './delivery.decide.js';
import { recordAttempt, releaseDelivery, type ClaimedDelivery } from './delivery.store.js';
import type { SendResult } from './delivery.sender.js';
import { decideDisable } from './subscription.decide.js';
import { subscriptionStore } from './subscription.store.js';

/** One attempt that came back (or was cancelled), waiting to be written. */
export interface Completed {
  delivery: ClaimedDelivery;
  token: string;
  attemptedAt: string;
  /** When the answer (or the failure) came; the next attempt is scheduled from here. */
  finishedAt: Date;
  send: SendResult;
  /** Times writing it failed; the worker tries again a few times before leaving it to the lease. */
  writeFailures: number;
}

/** PostgreSQL completions run as small transactions side by side; this many at once. */
const PG_PARALLEL_COMPLETIONS = 4;

/**
 * Writes finished attempts: the attempt log, the delivery's next state, the endpoint's health and, when the
 * endpoint must be disabled, the subscription and its `hub.webhook.disabled` event in the same transaction.
 * On SQLite a whole batch commits at once (one fsync for many attempts); on PostgreSQL each attempt commits
 * alone, so a transaction never holds the locks of several keys that an enqueue might be waiting on.
 */
export type Completer = ReturnType<typeof createCompleter>;

export function createCompleter(deps: {
  db: Db;
  outbox: Outbox;
  policy: DeliveryPolicy;
  random: () => number;
}) {
  async function endpointLearns(
    tx: Tx,
    id: string,
    signal: EndpointSignal,
    now: string,
    lastStatus: number | null,
    markedHealthy: Set<string>,
  ) {
    if (signal.kind === 'healthy') {
      // Once per subscription and transaction is enough until it fails again.
      if (!markedHealthy.has(id)) await subscriptionStore.markHealthy(tx, id);
      markedHealthy.add(id);
      return;
    }
    if (signal.kind === 'throttled') return;
    markedHealthy.delete(id);
    await subscriptionStore.markFailing(tx, id, now);
    const subscription = await subscriptionStore.findForUpdate(tx, id);
    if (!subscription || subscription.status !== 'active') return;
    const failedTooLong =
      signal.kind === 'failing' &&
      subscription.failingSince !== null &&
      subscription.failingSince <= signal.disableIfFailingSince;
    if (signal.kind !== 'gone' && !failedTooLong) return;
    const change = decideDisable(subscription, signal.kind === 'gone' ? 'gone' : 'failing', now, lastStatus);
    await subscriptionStore.save(tx, change.state);
    await deps.outbox.append(tx, change.events);
  }

  async function completeOne(tx: Tx, item: Completed, markedHealthy = new Set<string>()): Promise<void> {
    const { delivery, token, send } = item;
    if ('cancelled' in send) return releaseDelivery(tx, delivery.seq, token);
    const decision = decideAttempt(delivery, send.result, item.finishedAt, deps.policy, deps.random);
    const response = send.result.kind === 'response' ? send.result : null;
    const recorded = await recordAttempt(tx, { ...delivery, token }, decision, {
      attemptedAt: item.attemptedAt,
      durationMs: send.durationMs,
      outcome: decision.outcome,
      statusCode: response?.status ?? null,
      error: send.result.kind === 'error' ? send.result.message : null,
      responseBody: send.responseBody,
    });
    if (recorded)
      await endpointLearns(
        tx,
        delivery.subscriptionId,
        decision.endpoint,
        item.attemptedAt,
        response?.status ?? null,
        markedHealthy,
      );
  }

  return {
    /**
     * Writes attempts in the caller's transaction, in order (SQLite batches many, and a claim, in one). Each
     * runs in a savepoint, so one that fails is undone alone and returned, and the others still commit.
     */
    async completeAll(
      tx: Tx,
      batch: readonly Completed[],
    ): Promise<{ failed: Completed[]; error?: unknown }> {
      const markedHealthy = new Set<string>();
      const failed: Completed[] = [];
      let firstError: unknown;
      for (const item of batch) {
        await tx.exec('SAVEPOINT webhook_attempt');
        try {
          await completeOne(tx, item, markedHealthy);
          await tx.exec('RELEASE webhook_attempt');
        } catch (error) {
          await tx.exec('ROLLBACK TO webhook_attempt');
          await tx.exec('RELEASE webhook_attempt');
          markedHealthy.clear();
          firstError ??= error;
          failed.push(item);
        }
      }
      return { failed, error: firstError };
    },
    /**
     * Writes each attempt in a transaction of its own, a few side by side (PostgreSQL). Returns the ones
     * whose transaction failed, with the first error.
     */
    async completeEach(batch: readonly Completed[]): Promise<{ failed: Completed[]; error?: unknown }> {
      const queue = [...batch];
      const failed: Completed[] = [];
      let firstError: unknown;
      const lane = async () => {
        for (let item = queue.shift(); item; item = queue.shift()) {
          const next = item;
          await deps.db
            .transaction((tx) => completeOne(tx, next))
            .catch((error: unknown) => {
              firstError ??= error;
              failed.push(next);
            });
        }
      };
      await Promise.all(Array.from({ length: PG_PARALLEL_COMPLETIONS }, lane));
      return { failed, error: firstError };
    },
  };
}
