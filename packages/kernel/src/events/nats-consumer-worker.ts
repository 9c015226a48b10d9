import type { Consumer, ConsumerMessages, JsMsg } from '@nats-io/jetstream';
import type { CloudEvent } from '@tillstream/contracts';
import type { Tx } from '../db/port.js';
import type { Logger } from '../logger.js';
import type { ConsumerSpec, RetryPolicy } from './port.js';
import { retryDelayMs } from './port.js';
import { applyEvents, deadLetter, wants, type LogItem } from './apply.js';
import { Wakeup } from './wakeup.js';
import type { ConsumerLeadership } from './consumer-leadership.js';
import { DATABASE_WAIT_CEILING_MS, isDatabaseUnavailable } from '../db/unavailable.js';

export interface NatsWorkerOptions {
  spec: ConsumerSpec;
  source: string;
  consumer: Consumer;
  /** Re-creates the durable consumer after a pull failed (it may have been deleted). */
  reconnect(): Promise<Consumer>;
  retry: RetryPolicy;
  /** Messages per pull, and the most applied in one transaction. */
  batchSize: number;
  ackWaitMs: number;
  logger: Logger;
  now(): string;
  /** Exclusive consumers: pull only while this process leads. */
  leadership?: ConsumerLeadership;
}

export interface NatsWorker {
  /** Ends the current pull; the messages already received are still applied and acknowledged. */
  stop(): void;
  /**
   * What keeps it from applying events: `stopped`, the loop ended on an error (only a restart helps);
   * `failing`, its last pull failed (the stream or consumer is gone, JetStream does not answer) and it retries.
   */
  health(): { stopped?: string; failing?: string };
  readonly done: Promise<void>;
}

/** How long one pull waits on the server for messages; a stop ends it early. */
const PULL_EXPIRES_MS = 5_000;
const MAX_PULL_FAILURE_BACKOFF_MS = 30_000;
/** Beyond the ack wait, for JetStream's timer to have queued the expired messages for redelivery. */
const REDELIVERY_MARGIN_MS = 1_000;

/** Thrown inside an exclusive consumer's transaction once this process no longer leads: nothing commits. */
class LeadershipLost extends Error {}

interface Received {
  msg: JsMsg;
  item: LogItem;
}

function parseEvent(msg: JsMsg): CloudEvent | null {
  try {
    const event = msg.json<CloudEvent>();
    return typeof event?.id === 'string' && typeof event.type === 'string' ? event : null;
  } catch {
    return null;
  }
}

/**
 * Pulls one (consumer, source) pair from its durable JetStream consumer and applies the events in the
 * consumer's database through `applyEvents`, acknowledging each message only after its transaction
 * committed; the inbox makes redeliveries harmless. Messages that arrived together are applied in one
 * transaction; if that fails they are applied one by one, and a failing event is handed back with a delayed
 * nak (backoff with jitter), or parked in the dead-letter store once it used its attempts, so the events
 * behind it keep moving. Instances of the same consumer in several processes share the durable and the work;
 * of an exclusive one, only the leader pulls (see `takeTheLead`).
 */
export function startNatsWorker(options: NatsWorkerOptions): NatsWorker {
  const { spec, source, logger, retry } = options;
  const log = { consumer: spec.name, source };
  const pause = new Wakeup();
  let stopped = false;
  let onStop!: () => void;
  const stopping = new Promise<false>((resolve) => (onStop = () => resolve(false)));
  let pull: ConsumerMessages | null = null;
  let failing: string | undefined;
  let stoppedOn: string | undefined;
  const { leadership } = options;
  /** The leadership term this worker has taken over for; messages of an older term are not applied. */
  let ledTerm = 0;
  const deposed = () => leadership !== undefined && (!leadership.leading || leadership.term !== ledTerm);
  // Stops the pull in progress at once: nothing more arrives, and what is queued stays unapplied (drain).
  leadership?.onDeposed(() => pull?.stop());

  /**
   * An exclusive consumer's fence, the last thing in each transaction: this worker must not be deposed (see
   * `deposed`), and the lock must still be held by this process's session, as PostgreSQL itself says. A leader that froze past its
   * session's timeout and woke with a batch in hand then commits none of it: the messages go unacknowledged,
   * and the new leader, which waited out their ack wait, applies them in order.
   */
  const fence =
    leadership &&
    (async (tx: Tx) => {
      if (deposed() || !(await leadership.holdsLock(tx)))
        throw new LeadershipLost('this process no longer leads the consumer');
    });

  /** Leaves the messages to the next leader; asking the lock's session deposes this one if it is gone. */
  function lostLead(error: LeadershipLost): void {
    logger.warn({ ...log, reason: error.message }, 'batch rolled back: leadership lost');
    void leadership?.confirm();
  }

  async function applyOne({ msg, item }: Received): Promise<void> {
    try {
      await applyEvents(spec, source, [item], options.now(), fence);
      msg.ack();
      return;
    } catch (error) {
      if (error instanceof LeadershipLost) return lostLead(error);
      // Not this event's failure: it must not spend an attempt, let alone be parked. Its batch waits.
      if (isDatabaseUnavailable(error)) throw error;
      const attempts = msg.info.deliveryCount;
      if (attempts < retry.maxAttempts) {
        logger.warn({ ...log, err: error, eventId: item.event.id, attempt: attempts }, 'event failed');
        msg.nak(Math.max(1, retryDelayMs(retry, attempts)));
        return;
      }
      try {
        await deadLetter(spec, source, item, error, attempts, options.now());
        logger.error({ ...log, err: error, eventId: item.event.id, attempts }, 'event dead-lettered');
        msg.ack();
      } catch (parkError) {
        logger.error({ ...log, err: parkError, eventId: item.event.id }, 'dead-lettering failed');
        msg.nak(Math.max(1, retryDelayMs(retry, attempts)));
      }
    }
  }

  async function applyBatch(messages: readonly JsMsg[]): Promise<void> {
    const received: Received[] = [];
    for (const msg of messages) {
      const event = parseEvent(msg);
      if (event) {
        received.push({ msg, item: { event, position: msg.seq } });
      } else {
        // Only the relay publishes here, so this is a foreign message: drop it loudly rather than loop on it.
        logger.error({ ...log, streamSequence: msg.seq }, 'message is not a CloudEvent; terminated');
        msg.term();
      }
    }
    // None of these is of the consumer's types (analytics reads only ERP's booked tax, say): acknowledged
    // without a transaction. JetStream keeps the consumer's position; a checkpoint row would only be written.
    if (!received.some((entry) => wants(spec, entry.item.event))) {
      for (const entry of received) entry.msg.ack();
      return;
    }
    if (received.length > 1) {
      try {
        await applyEvents(
          spec,
          source,
          received.map((entry) => entry.item),
          options.now(),
          fence,
        );
        for (const entry of received) entry.msg.ack();
        return;
      } catch (error) {
        if (error instanceof LeadershipLost) return lostLead(error);
        if (isDatabaseUnavailable(error)) throw error;
        logger.debug({ ...log, err: error }, 'batch failed; applying its events one by one');
      }
    }
    for (const entry of received) {
      // A deposed leader starts no transaction: the next leader applies these once they come back to it.
      if (deposed()) return;
      await applyOne(entry);
    }
  }

  /**
   * Applies a batch, keeping it while the database is unavailable and trying again after a wait, for as long
   * as that lasts: messages handed back would go to this pull's inbox until it expires and then wait out their
   * ack wait, and every redelivery would count as an attempt. `drain` tells JetStream they are being worked
   * on meanwhile. What applied before the database went away is skipped by the inbox the next time round.
   */
  async function applyOnceTheDatabaseAnswers(messages: readonly JsMsg[]): Promise<void> {
    for (let waits = 1; ; waits += 1) {
      try {
        await applyBatch(messages);
        if (waits > 1) failing = undefined;
        return;
      } catch (error) {
        if (!isDatabaseUnavailable(error) || stopped || deposed()) throw error;
        failing = String(error);
        if (waits === 1) logger.warn({ ...log, err: error }, 'database unavailable; the batch waits');
        await pause.wait(Math.min(DATABASE_WAIT_CEILING_MS, 250 * 2 ** waits));
      }
    }
  }

  /** Applies what one pull brings, in arrival order, batching whatever queued up meanwhile. */
  async function drain(messages: ConsumerMessages): Promise<void> {
    const queue: JsMsg[] = [];
    let applying: JsMsg[] = [];
    const arrived = new Wakeup();
    let ended = false;
    let pullError: unknown;
    const reading = (async () => {
      try {
        for await (const msg of messages) {
          queue.push(msg);
          arrived.wake();
        }
      } catch (error) {
        pullError = error;
      } finally {
        ended = true;
        arrived.wake();
      }
    })();
    // Keeps queued and in-progress messages from being redelivered elsewhere while a slow handler runs.
    // A deposed leader stops: its unacknowledged messages must expire for the next leader to get them back.
    const inProgress = setInterval(() => {
      if (!deposed()) for (const msg of [...applying, ...queue]) msg.working();
    }, options.ackWaitMs / 2);
    try {
      // A deposed leader applies nothing more of what it received; the batch in progress commits only if the
      // fence finds the lock still held (a stop releases it only after the workers finished).
      while ((!ended || queue.length > 0) && !deposed()) {
        if (queue.length === 0) {
          await arrived.wait(PULL_EXPIRES_MS);
          continue;
        }
        applying = queue.splice(0, options.batchSize);
        await applyOnceTheDatabaseAnswers(applying);
        applying = [];
      }
      await reading;
      if (pullError) throw pullError;
    } finally {
      clearInterval(inProgress);
      // After a failure mid-pull, what is still queued goes back to the server once its ack wait passes.
      messages.stop();
    }
  }

  /**
   * An exclusive consumer pulls only while it leads, and checks its lock's session before each pull. A new
   * leader may find messages its predecessor received and never acknowledged (it died mid-batch): JetStream
   * hands them out again only after their ack wait, and until then would hand the messages behind them to
   * the new leader first. So it waits out one ack wait first; redeliveries then come before new messages,
   * in stream order. Returns whether to pull now; otherwise the caller asks again.
   */
  async function takeTheLead(consumer: Consumer): Promise<boolean> {
    // Raced with the stop only while standing by: a race per pull would pile reactions onto `stopping`.
    if (!leadership!.leading && !(await Promise.race([leadership!.whenLeading(), stopping]))) return false;
    const term = leadership!.term;
    if (term !== ledTerm) {
      const { num_ack_pending: unacknowledged } = await consumer.info();
      if (unacknowledged > 0) {
        logger.info(
          { ...log, unacknowledged },
          'leading; waiting for the previous leader’s messages to expire',
        );
        await pause.wait(options.ackWaitMs + REDELIVERY_MARGIN_MS);
      }
      if (leadership!.leading && leadership!.term === term) ledTerm = term;
      return false;
    }
    return leadership!.confirm();
  }

  async function run(): Promise<void> {
    let consumer = options.consumer;
    let failures = 0;
    while (!stopped) {
      try {
        if (leadership && !(await takeTheLead(consumer))) continue;
        pull = await consumer.fetch({ max_messages: options.batchSize, expires: PULL_EXPIRES_MS });
        if (stopped) pull.stop();
        await drain(pull);
        failures = 0;
        failing = undefined;
      } catch (error) {
        failures += 1;
        failing = String(error);
        const databaseDown = isDatabaseUnavailable(error);
        logger.warn(
          { ...log, err: error },
          databaseDown ? 'database unavailable; events handed back' : 'pull failed',
        );
        const ceiling = databaseDown ? DATABASE_WAIT_CEILING_MS : MAX_PULL_FAILURE_BACKOFF_MS;
        await pause.wait(Math.min(ceiling, 250 * 2 ** failures));
        if (stopped) break;
        // The bus was fine: its consumer needs no re-creating.
        if (!databaseDown) consumer = await options.reconnect().catch(() => consumer);
      } finally {
        pull = null;
      }
    }
  }

  const done = run().catch((error: unknown) => {
    stoppedOn = String(error);
    logger.fatal({ ...log, err: error }, 'consumer stopped');
  });
  return {
    health: () => ({
      ...(stoppedOn === undefined ? {} : { stopped: stoppedOn }),
      ...(failing === undefined || stoppedOn !== undefined ? {} : { failing }),
    }),
    stop() {
      stopped = true;
      onStop();
      pull?.stop();
      pause.wake();
    },
    done,
  };
}
