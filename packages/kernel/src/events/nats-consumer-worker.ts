import type { Consumer, ConsumerMessages, JsMsg } from '@nats-io/jetstream';
import type { CloudEvent } from '@tillstream/contracts';
import type { Logger } from '../logger.js';
import type { ConsumerSpec, RetryPolicy } from './port.js';
import { retryDelayMs } from './port.js';
import { applyEvents, deadLetter, type LogItem } from './apply.js';
import { Wakeup } from './wakeup.js';

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
 * behind it keep moving. Instances of the same consumer in several processes share the durable and the work.
 */
export function startNatsWorker(options: NatsWorkerOptions): NatsWorker {
  const { spec, source, logger, retry } = options;
  const log = { consumer: spec.name, source };
  const pause = new Wakeup();
  let stopped = false;
  let pull: ConsumerMessages | null = null;
  let failing: string | undefined;
  let stoppedOn: string | undefined;

  async function applyOne({ msg, item }: Received): Promise<void> {
    try {
      await applyEvents(spec, source, [item], options.now());
      msg.ack();
      return;
    } catch (error) {
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
    if (received.length > 1) {
      try {
        await applyEvents(
          spec,
          source,
          received.map((entry) => entry.item),
          options.now(),
        );
        for (const entry of received) entry.msg.ack();
        return;
      } catch (error) {
        logger.debug({ ...log, err: error }, 'batch failed; applying its events one by one');
      }
    }
    for (const entry of received) await applyOne(entry);
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
    const inProgress = setInterval(() => {
      for (const msg of [...applying, ...queue]) msg.working();
    }, options.ackWaitMs / 2);
    try {
      while (!ended || queue.length > 0) {
        if (queue.length === 0) {
          await arrived.wait(PULL_EXPIRES_MS);
          continue;
        }
        applying = queue.splice(0, options.batchSize);
        await applyBatch(applying);
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

  async function run(): Promise<void> {
    let consumer = options.consumer;
    let failures = 0;
    while (!stopped) {
      try {
        pull = await consumer.fetch({ max_messages: options.batchSize, expires: PULL_EXPIRES_MS });
        if (stopped) pull.stop();
        await drain(pull);
        failures = 0;
        failing = undefined;
      } catch (error) {
        failures += 1;
        failing = String(error);
        logger.warn({ ...log, err: error }, 'pull failed');
        await pause.wait(Math.min(MAX_PULL_FAILURE_BACKOFF_MS, 250 * 2 ** failures));
        if (stopped) break;
        consumer = await options.reconnect().catch(() => consumer);
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
      pull?.stop();
      pause.wake();
    },
    done,
  };
}
