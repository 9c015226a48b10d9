import type { Clock } from '../clock.js';
import type { Db } from '../db/port.js';
import type { Logger } from '../logger.js';

/**
 * On the scale-out engine an outbox row has done its work once the relay published it: the context's stream
 * holds the event from then on, and nothing reads a row behind the relay's checkpoint again (the relay's
 * per-subject look-ups only reach past its batch). Without pruning, POS's outbox would grow by a whole
 * envelope per sale for ever. Rows are kept a while after relaying all the same, for inspection and for
 * re-publishing by hand should a stream be lost. The embedded engine's outbox is its event log and is never
 * pruned.
 */
export interface RelayedRowPruning {
  /** Deletes what is due now, in chunks; resolves to the number of rows deleted. */
  prune(): Promise<number>;
  stop(): Promise<void>;
}

/** Rows deleted per transaction: short transactions hold back neither the relay's snapshot nor vacuum. */
const CHUNK = 5_000;
/** The first pass waits past start-up, then one an hour: rows become due by the hour. */
const FIRST_PASS_AFTER_MS = 60_000;
const PASS_EVERY_MS = 3_600_000;

/**
 * Rows the relay passed ((tx_id, position) at or behind its checkpoint, the order it relays in) and written
 * before $1, oldest first. The newest row stays whatever its age: the outbox head (a metric) is its position.
 */
const DELETE_DUE = `
  DELETE FROM outbox WHERE position IN (
    SELECT o.position FROM outbox o, outbox_relay r
    WHERE r.id = 1
      AND (o.tx_id, o.position) <= (r.last_tx_id, r.last_position)
      AND o.written_at < $1
      AND o.position < (SELECT MAX(position) FROM outbox)
    ORDER BY o.tx_id, o.position
    LIMIT ${CHUNK})`;

export function startRelayedRowPruning(options: {
  context: string;
  db: Db;
  logger: Logger;
  clock: Clock;
  /** Hours a relayed row is kept; 0 keeps every row. */
  retainHours: number;
}): RelayedRowPruning {
  const { context, db, logger, clock } = options;
  // Of several instances of the context one prunes at a time; the others skip their pass.
  const lock = `tillstream_outbox_prune_${context}`;
  let stopped = false;
  let running: Promise<number> | null = null;

  async function pass(): Promise<number> {
    if (options.retainHours === 0) return 0;
    const before = new Date(clock.now().getTime() - options.retainHours * 3_600_000).toISOString();
    let deleted = 0;
    while (!stopped) {
      const chunk = await db.transaction(async (tx) => {
        const [row] = await tx.query<{ took: boolean }>(
          'SELECT pg_try_advisory_xact_lock(hashtext($1)) AS took',
          [lock],
        );
        return row?.took ? tx.execute(DELETE_DUE, [before]) : 0;
      });
      deleted += chunk;
      if (chunk < CHUNK) break;
    }
    if (deleted > 0) logger.info({ context, deleted, before }, 'pruned relayed outbox rows');
    return deleted;
  }

  function prune(): Promise<number> {
    running ??= pass().finally(() => (running = null));
    return running;
  }

  const safely = () =>
    void prune().catch((error: unknown) => logger.warn({ err: error, context }, 'outbox pruning failed'));
  let timer: NodeJS.Timeout = setTimeout(() => {
    safely();
    timer = setInterval(safely, PASS_EVERY_MS);
    timer.unref();
  }, FIRST_PASS_AFTER_MS);
  timer.unref();

  return {
    prune,
    async stop() {
      stopped = true;
      clearTimeout(timer);
      clearInterval(timer);
      await running?.catch(() => undefined);
    },
  };
}
