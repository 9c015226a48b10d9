import { afterAll, describe, expect, it } from 'vitest';
import type { Db, DbSession } from '../src/db/port.js';
import { startConsumerLeadership } from '../src/events/consumer-leadership.js';
import { dropSchemas, openContextDb, pgUrl, runId, silentLogger, waitFor } from './scale-out.support.js';

/**
 * The leader's lock session is one PostgreSQL connection, asked by the leader's own round and by every worker
 * before each pull. pg runs one query per connection at a time and only queues the rest (pg 9 will refuse
 * them), so the checks must never overlap on it.
 */
describe.skipIf(!pgUrl)('consumer leadership (PostgreSQL)', () => {
  const schema = `lead_${runId()}`;
  let db: Db | undefined;

  afterAll(async () => {
    await db?.close();
    await dropSchemas(schema);
  });

  it('asks its lock session one query at a time, however many workers confirm at once', async () => {
    db = await openContextDb(schema);
    const real = db;
    let inFlight = 0;
    let mostInFlight = 0;
    const counted: Db = {
      ...real,
      async openSession() {
        const session = await real.openSession!();
        const countedSession: DbSession = {
          ...session,
          async query(sql, params) {
            inFlight += 1;
            mostInFlight = Math.max(mostInFlight, inFlight);
            try {
              // Slow enough that the leader's own rounds fall inside the workers' checks below.
              return await session.query(`SELECT pg_sleep(0.04), * FROM (${sql}) AS asked`, params);
            } finally {
              inFlight -= 1;
            }
          },
        };
        return countedSession;
      },
    };
    const leadership = startConsumerLeadership({
      db: counted,
      key: `lead-${schema}`,
      retryMs: 200,
      logger: silentLogger,
    });
    try {
      expect(await leadership.whenLeading()).toBe(true);
      for (let round = 0; round < 12; round += 1) {
        const confirmed = await Promise.all(Array.from({ length: 6 }, () => leadership.confirm()));
        expect(confirmed).toEqual(Array(6).fill(true));
      }
      expect(leadership.leading).toBe(true);
      expect(mostInFlight).toBe(1);
    } finally {
      await leadership.stop();
    }
  });

  it('tells a transaction whether its lock session still holds the lock, as a fence before commit', async () => {
    db ??= await openContextDb(schema);
    const real = db;
    const sessions: DbSession[] = [];
    let frozen = false;
    const watched: Db = {
      ...real,
      async openSession() {
        // Frozen, it takes no new session: the standby is the one to lead next.
        if (frozen) throw new Error('frozen');
        const session = await real.openSession!();
        sessions.push(session);
        return session;
      },
    };
    const key = `fence-${schema}`;
    const leader = startConsumerLeadership({ db: watched, key, retryMs: 100, logger: silentLogger });
    expect(await leader.whenLeading()).toBe(true);
    const standby = startConsumerLeadership({ db: real, key, retryMs: 100, logger: silentLogger });
    const holds = (leadership: typeof leader) => real.transaction((tx) => leadership.holdsLock(tx));
    try {
      expect([await holds(leader), await holds(standby)]).toEqual([true, false]);

      // What PostgreSQL's idle_session_timeout does to a frozen leader: its session ends, the lock with it.
      const [backend] = await sessions[0]!.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
      frozen = true;
      await real.query('SELECT pg_terminate_backend($1)', [backend!.pid]);
      const gone = async () =>
        (await real.query('SELECT 1 FROM pg_stat_activity WHERE pid = $1', [backend!.pid])).length === 0;
      await waitFor(gone);
      expect(await holds(leader)).toBe(false);
      expect(await standby.whenLeading()).toBe(true);
      expect([await holds(leader), await holds(standby)]).toEqual([false, true]);
    } finally {
      await Promise.all([leader.stop(), standby.stop()]);
    }
  });
});
