import { setMaxListeners } from 'node:events';
import { Wakeup, type Clock, type Db, type IdGenerator, type Logger, type Outbox } from '@tillstream/kernel';
import type { DeliveryPolicy } from './delivery.decide.js';
import { claimDeliveries, type ClaimedDelivery } from './delivery.store.js';
import { createCompleter, type Completed } from './delivery.complete.js';
import type { Sender } from './delivery.sender.js';
import { signedHeaders } from './signing.js';
import { signingSecrets } from './subscription.decide.js';

export interface DeliveryWorkerOptions {
  db: Db;
  outbox: Outbox;
  clock: Clock;
  ids: IdGenerator;
  logger: Logger;
  sender: Sender;
  policy: DeliveryPolicy;
  /** Attempts in flight at once, across all endpoints. */
  concurrency: number;
  attemptTimeoutMs: number;
  /** Longest sleep when idle: retries come due and other instances enqueue without waking this one. */
  pollIntervalMs: number;
  random?: () => number;
}

export interface DeliveryWorker {
  /** Something was enqueued (perhaps not yet committed): look soon. */
  wake(): void;
  /** Stops claiming, lets attempts in flight finish for a short grace, gives the rest back. */
  stop(): Promise<void>;
}

/**
 * The part of the room that endpoints whose last attempt failed may hold at once: a dead endpoint holds its
 * slot for a whole attempt timeout, and the rest stays for the healthy ones.
 */
const FAILING_SHARE = 0.5;
/** After a wake finds nothing (an enqueue not yet committed), look again after this, doubling to the poll interval. */
const FIRST_RECHECK_MS = 5;
/** A lease outlives the attempt's timeout by this much, to cover writing its outcome. */
const LEASE_MARGIN_MS = 30_000;
const STOP_GRACE_MS = 5_000;
/**
 * Writing an outcome is tried this often before the attempt is left to its lease: it is then tried again
 * once the lease expires, a duplicate that receivers absorb by webhook-id.
 */
const MAX_WRITE_FAILURES = 3;

/**
 * The webhook sender loop. Each cycle writes the attempts that came back since the last one and claims as
 * many due deliveries as there is room for, in one transaction on SQLite (one fsync for the lot), then
 * starts the new attempts; the attempts run in parallel while the next cycle waits for answers. Writing an
 * outcome frees its key's next delivery, which a later cycle claims. Every hub instance runs one worker;
 * they share the work through leases.
 */
export function startDeliveryWorker(options: DeliveryWorkerOptions): DeliveryWorker {
  const { db, clock, logger } = options;
  const completer = createCompleter({ ...options, random: options.random ?? Math.random });
  const wakeup = new Wakeup();
  const aborter = new AbortController();
  // Every attempt in flight listens for the stop; the default limit of 10 would warn past 10 attempts.
  setMaxListeners(0, aborter.signal);
  const done: Completed[] = [];
  let inFlight = 0;
  /** Of `inFlight`, attempts to endpoints whose last attempt had failed when they were claimed. */
  let failingInFlight = 0;
  const failingCap = Math.max(1, Math.ceil(options.concurrency * FAILING_SHARE));
  const failingIn = (items: readonly Completed[]) =>
    items.filter((item) => item.delivery.endpointFailing).length;
  let stopping = false;
  let hinted = false;

  function attempt(delivery: ClaimedDelivery, token: string): void {
    inFlight += 1;
    if (delivery.endpointFailing) failingInFlight += 1;
    const started = clock.now();
    const headers = {
      'content-type': 'application/cloudevents+json; charset=utf-8',
      'user-agent': 'Tillstream-Webhooks/1',
      ...signedHeaders(
        signingSecrets(delivery, started.toISOString()),
        delivery.eventId,
        Math.floor(started.getTime() / 1000),
        delivery.body,
      ),
    };
    void options.sender
      .send({ url: delivery.url, headers, body: delivery.body }, aborter.signal)
      .then((send) => {
        const finishedAt = clock.now();
        done.push({
          delivery,
          token,
          attemptedAt: started.toISOString(),
          finishedAt,
          send,
          writeFailures: 0,
        });
        wakeup.wake();
      });
  }

  /**
   * Settles a written batch: attempts whose outcome could not be written stay in flight and are written
   * again with the next cycle, a few times, before they are left to their lease.
   */
  function settle(batch: readonly Completed[], failed: readonly Completed[], error: unknown): void {
    const again = failed.filter((item) => ++item.writeFailures < MAX_WRITE_FAILURES);
    done.unshift(...again);
    inFlight -= batch.length - again.length;
    failingInFlight -= failingIn(batch) - failingIn(again);
    if (failed.length > 0)
      logger.warn(
        { err: error, attempts: failed.length, given: failed.length - again.length },
        'writing webhook attempts failed',
      );
  }

  /** Writes what came back and claims what fits; returns how many were claimed. */
  async function cycle(claiming: boolean): Promise<number> {
    const batch = done.splice(0);
    const room = claiming ? options.concurrency - inFlight + batch.length : 0;
    const now = clock.now();
    const claim = {
      token: options.ids.next(),
      limit: room,
      // What this batch finished is still counted in flight until it is settled, as for `room`.
      failingLimit: claiming ? Math.max(0, failingCap - failingInFlight + failingIn(batch)) : 0,
      now: now.toISOString(),
      leaseUntil: new Date(now.getTime() + options.attemptTimeoutMs + LEASE_MARGIN_MS).toISOString(),
    };
    let claimed: ClaimedDelivery[] = [];
    if (db.dialect === 'sqlite') {
      let written: { failed: Completed[]; error?: unknown } = { failed: [] };
      try {
        claimed = await db.transaction(async (tx) => {
          written = await completer.completeAll(tx, batch);
          return room > 0 ? claimDeliveries(tx, claim) : [];
        });
      } catch (error) {
        settle(batch, batch, error);
        throw error;
      }
      settle(batch, written.failed, written.error);
    } else {
      const written = await completer.completeEach(batch);
      settle(batch, written.failed, written.error);
      if (written.error !== undefined) throw written.error;
      if (room > 0) claimed = await db.transaction((tx) => claimDeliveries(tx, claim));
    }
    for (const delivery of claimed) attempt(delivery, claim.token);
    return claimed.length;
  }

  async function run(): Promise<void> {
    let recheckMs = FIRST_RECHECK_MS;
    while (!stopping) {
      let claimed = 0;
      try {
        claimed = await cycle(true);
      } catch (error) {
        logger.warn({ err: error }, 'webhook delivery cycle failed');
        await wakeup.wait(options.pollIntervalMs);
        continue;
      }
      if (done.length > 0) continue;
      if (claimed > 0 || inFlight > 0) {
        recheckMs = FIRST_RECHECK_MS;
        await wakeup.wait(options.pollIntervalMs);
        continue;
      }
      recheckMs = hinted ? FIRST_RECHECK_MS : Math.min(recheckMs * 2, options.pollIntervalMs);
      hinted = false;
      await wakeup.wait(recheckMs);
    }
  }

  const running = run();
  return {
    wake() {
      hinted = true;
      wakeup.wake();
    },
    async stop() {
      stopping = true;
      wakeup.wake();
      await running;
      const deadline = Date.now() + Math.min(STOP_GRACE_MS, options.attemptTimeoutMs);
      const writeOutcomes = () => cycle(false).catch(() => undefined);
      while (inFlight > 0 && Date.now() < deadline) {
        await wakeup.wait(deadline - Date.now());
        await writeOutcomes();
      }
      aborter.abort();
      while (inFlight > 0) {
        await wakeup.wait(100);
        await writeOutcomes();
      }
      options.sender.close();
    },
  };
}
