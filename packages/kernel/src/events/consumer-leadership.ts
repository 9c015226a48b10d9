import type { Db, DbSession, Tx } from '../db/port.js';
import type { Logger } from '../logger.js';
import { Wakeup } from './wakeup.js';

export interface LeadershipOptions {
  /** The consumer's own database, shared by every instance of the consuming service. */
  db: Db;
  /** Names the lock: stream prefix and consumer name, so two platforms on one database do not share it. */
  key: string;
  /** How often a standby tries to take the lock, and how often the leader checks its session is alive. */
  retryMs: number;
  logger: Logger;
}

/**
 * Which instance of an exclusive consumer pulls: the one whose dedicated PostgreSQL session holds the advisory
 * lock. The lock goes with the session, so a leader that dies or loses its connection frees it for a standby.
 */
export interface ConsumerLeadership {
  /** Whether this process holds the lock now. */
  readonly leading: boolean;
  /** Counts the times this process took the lock: a new term starts with the previous leader's leftovers. */
  readonly term: number;
  /** Resolves true once this process leads, or false once stopped. */
  whenLeading(): Promise<boolean>;
  /** Asks the lock's session whether it is still there: it holds the lock while it is. A failure deposes. */
  confirm(): Promise<boolean>;
  /**
   * Whether this process's lock session still holds the lock, asked on `tx` (another connection) just before
   * it commits. A leader that froze (a long pause, a stopped VM) past its session's timeout may wake with a
   * batch in hand while a standby already leads; the question fences that batch out.
   */
  holdsLock(tx: Tx): Promise<boolean>;
  /** Called when this process stops leading while it runs: stop pulling at once. */
  onDeposed(listener: () => void): void;
  /** Why taking or keeping the lock keeps failing (the database does not answer), if it does. */
  failure(): string | undefined;
  /** Stops trying and releases the lock; call it once the workers that pulled have stopped. */
  stop(): Promise<void>;
}

/** Two-key advisory locks are a key space of their own, apart from the one-key locks other code takes. */
const LOCK_SQL = 'SELECT pg_try_advisory_lock(hashtext($1), hashtext($2)) AS won';
const LOCK_NAMESPACE = 'tillstream.consumer-leader';
/** The same lock as pg_locks shows it (a two-key advisory lock: classid, objid, objsubid 2) for a backend. */
const HELD_SQL = `
  SELECT EXISTS (SELECT 1 FROM pg_locks
                 WHERE locktype = 'advisory' AND granted AND pid = $1 AND objsubid = 2
                   AND classid = hashtext($2)::oid AND objid = hashtext($3)::oid) AS held`;
/**
 * How many missed checks PostgreSQL waits before it ends a leader's session on its own (PostgreSQL 14+):
 * a leader whose host vanished holds the lock that long, not until TCP gives up on it (hours by default).
 */
const IDLE_CHECKS_BEFORE_RELEASE = 5;

function withTimeout<T>(promise: Promise<T>, timeoutMs: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

export function startConsumerLeadership(options: LeadershipOptions): ConsumerLeadership {
  const { db, key, retryMs, logger } = options;
  const log = { lock: key };
  const openSession = db.openSession?.bind(db);
  if (!openSession) throw new Error(`exclusive consumers need PostgreSQL; ${db.context} is on ${db.dialect}`);
  const pause = new Wakeup();
  const deposedListeners: Array<() => void> = [];
  let waiters: Array<(leading: boolean) => void> = [];
  let session: DbSession | null = null;
  let leading = false;
  let term = 0;
  let stopped = false;
  let failure: string | undefined;
  let check: { session: DbSession; answer: Promise<unknown> } | null = null;
  const backendPids = new WeakMap<DbSession, number>();

  /**
   * Whether the lock's session still answers, asked once for every caller at the time: the leader's own round
   * and each worker's confirm before a pull would otherwise overlap on one connection, which pg only queues
   * (and pg 9 refuses), so a check would also wait behind the others and time out sooner.
   */
  function sessionAnswers(current: DbSession): Promise<unknown> {
    if (check?.session !== current) {
      const answer: Promise<unknown> = withTimeout(current.query('SELECT 1'), retryMs).finally(() => {
        if (check?.answer === answer) check = null;
      });
      check = { session: current, answer };
    }
    return check.answer;
  }

  function settleWaiters(outcome: boolean): void {
    for (const resolve of waiters.splice(0)) resolve(outcome);
  }

  /** Drops the session (which frees the lock if PostgreSQL still holds it) and tells the workers. */
  function depose(reason: string): void {
    const lost = session;
    session = null;
    if (lost) void lost.close();
    if (!leading) return;
    leading = false;
    logger.warn({ ...log, reason }, 'consumer leadership lost; standing by');
    for (const listener of deposedListeners) listener();
    pause.wake();
  }

  async function open(): Promise<DbSession> {
    const opened = await openSession!();
    opened.onEnd(() => {
      if (session === opened) depose('lock session ended');
    });
    await opened
      .query("SELECT set_config('idle_session_timeout', $1, false)", [
        `${retryMs * IDLE_CHECKS_BEFORE_RELEASE}ms`,
      ])
      .catch(() => logger.debug(log, 'idle_session_timeout unsupported (PostgreSQL before 14)'));
    const [backend] = await opened.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
    backendPids.set(opened, Number(backend!.pid));
    return opened;
  }

  /** A standby tries to take the lock; the leader checks its session still answers. */
  async function round(): Promise<void> {
    try {
      session ??= await open();
      const current = session;
      if (leading) {
        await sessionAnswers(current);
      } else {
        const [row] = await withTimeout(
          current.query<{ won: boolean }>(LOCK_SQL, [LOCK_NAMESPACE, key]),
          retryMs,
        );
        if (row?.won && session === current && !stopped) {
          leading = true;
          term += 1;
          logger.info({ ...log, term }, 'consumer leadership taken');
          settleWaiters(true);
        }
      }
      failure = undefined;
    } catch (error) {
      failure = String(error);
      logger.warn({ ...log, err: error }, 'consumer leadership check failed');
      depose(failure);
    }
  }

  const running = (async () => {
    while (!stopped) {
      await round();
      if (!stopped) await pause.wait(retryMs);
    }
  })();

  return {
    get leading() {
      return leading;
    },
    get term() {
      return term;
    },
    whenLeading() {
      if (leading) return Promise.resolve(true);
      if (stopped) return Promise.resolve(false);
      return new Promise((resolve) => waiters.push(resolve));
    },
    async confirm() {
      const current = session;
      if (!leading || !current) return false;
      try {
        await sessionAnswers(current);
        return leading && session === current;
      } catch (error) {
        depose(String(error));
        return false;
      }
    },
    async holdsLock(tx) {
      const current = session;
      const pid = current ? backendPids.get(current) : undefined;
      if (!leading || pid === undefined) return false;
      const [row] = await tx.query<{ held: boolean }>(HELD_SQL, [pid, LOCK_NAMESPACE, key]);
      return row?.held === true;
    },
    onDeposed(listener) {
      deposedListeners.push(listener);
    },
    failure: () => failure,
    async stop() {
      stopped = true;
      pause.wake();
      await running;
      leading = false;
      settleWaiters(false);
      waiters = [];
      const held = session;
      session = null;
      // Ending the session releases the lock: a standby takes over at its next try.
      await held?.close();
    },
  };
}
