import { afterAll, describe, expect, it } from 'vitest';
import type { Db, DbSession } from '../src/db/port.js';
import { startConsumerLeadership } from '../src/events/consumer-leadership.js';
import { dropSchemas, openContextDb, pgUrl, runId, silentLogger } from './scale-out.support.js';

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
});
