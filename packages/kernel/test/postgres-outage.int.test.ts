import { afterAll, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import type { Db } from '../src/db/port.js';
import { openPostgres } from '../src/db/postgres.js';
import { isDatabaseUnavailable } from '../src/db/unavailable.js';
import { startTcpProxy, targetOf, throughProxy, type TcpProxy } from '../src/testing/tcp-proxy.js';
import { dropSchemas, pgUrl, runId } from './scale-out.support.js';

/**
 * PostgreSQL going away under a running adapter (a restart, a failover, a cut network), through a TCP hop
 * the test cuts: every kind of call fails as `database_unavailable`, never as an unexplained error, and the
 * same adapter works again once the database is back, without being reopened.
 */
describe.skipIf(!pgUrl)('postgres adapter while the database is unreachable', { timeout: 30_000 }, () => {
  const schema = `t_outage_${runId()}`;
  const logged: Array<{ level: number; msg: string }> = [];
  const logger = pino({ level: 'warn' }, { write: (line: string) => logged.push(JSON.parse(line)) });
  let proxy: TcpProxy;
  let db: Db;

  afterAll(async () => {
    await db?.close();
    await proxy?.close();
    await dropSchemas(schema);
  });

  /** What each kind of call gives while the database is cut: the error, or `answered` if it worked. */
  async function outcomes(): Promise<Record<string, unknown>> {
    const settle = (work: Promise<unknown>) =>
      work.then(
        () => 'answered',
        (error: unknown) => error,
      );
    return {
      transaction: await settle(
        db.transaction((tx) => tx.execute('INSERT INTO notes (body) VALUES ($1)', ['x'])),
      ),
      query: await settle(db.query('SELECT count(*) FROM notes')),
      snapshot: await settle(db.snapshot((reader) => reader.query('SELECT count(*) FROM notes'))),
    };
  }

  it('fails every call as database_unavailable while cut, logs the outage once, and recovers by itself', async () => {
    proxy = await startTcpProxy(targetOf(pgUrl!, 5432));
    db = await openPostgres({ url: throughProxy(pgUrl!, proxy), context: schema, poolSize: 3, logger });
    await db.transaction((tx) => tx.exec('CREATE TABLE notes (id SERIAL PRIMARY KEY, body TEXT NOT NULL)'));
    await db.transaction((tx) => tx.execute('INSERT INTO notes (body) VALUES ($1)', ['before']));

    proxy.cut();
    // Twice: the first round meets the pool's connections as they drop, the second finds none to be had.
    for (const round of [1, 2]) {
      for (const [call, outcome] of Object.entries(await outcomes())) {
        expect(isDatabaseUnavailable(outcome), `${call}, round ${round}: ${String(outcome)}`).toBe(true);
        expect(outcome).toMatchObject({
          status: 503,
          code: 'database_unavailable',
          extensions: { retryAfterSeconds: expect.any(Number) },
        });
      }
    }
    expect(logged.filter((entry) => entry.msg === 'database unavailable')).toHaveLength(1);

    proxy.restore();
    expect(await outcomes()).toEqual({ transaction: 'answered', query: 'answered', snapshot: 'answered' });
    expect(logged.filter((entry) => entry.msg === 'database available again')).toHaveLength(1);
    // What the failed transactions tried to write is not there; what committed before is.
    const rows = await db.query<{ body: string }>('SELECT body FROM notes ORDER BY id');
    expect(rows.map((row) => row.body)).toEqual(['before', 'x']);
  });

  it('fails a transaction whose connection drops mid-statement as database_unavailable, and the process lives on', async () => {
    // A checked-out client whose connection drops emits 'error': unheard, that ends the process (Vitest
    // reports it as an uncaught exception, which fails the run).
    const running = db.transaction((tx) => tx.query('SELECT pg_sleep(2)'));
    const snapshot = db.snapshot((reader) => reader.query('SELECT pg_sleep(2)'));
    await new Promise((resolve) => setTimeout(resolve, 300));
    proxy.cut();
    const [transactionOutcome, snapshotOutcome] = await Promise.allSettled([running, snapshot]);
    for (const outcome of [transactionOutcome, snapshotOutcome]) {
      expect(outcome.status).toBe('rejected');
      expect(isDatabaseUnavailable((outcome as PromiseRejectedResult).reason)).toBe(true);
    }
    proxy.restore();
    expect(await outcomes()).toEqual({ transaction: 'answered', query: 'answered', snapshot: 'answered' });
  });

  it('fails a transaction that found every pooled client in use as busy, not as an outage', async () => {
    const busySchema = `${schema}_busy`;
    const busyLog: Array<{ msg: string; context?: string }> = [];
    const busyLogger = pino({ level: 'warn' }, { write: (line: string) => busyLog.push(JSON.parse(line)) });
    const single = await openPostgres({
      url: pgUrl!,
      context: busySchema,
      poolSize: 1,
      connectTimeoutMs: 300,
      logger: busyLogger,
    });
    try {
      let finish!: () => void;
      const holding = single.transaction(() => new Promise<void>((resolve) => (finish = resolve)));
      const waited = await Promise.allSettled([
        single.query('SELECT 1'),
        single.transaction((tx) => tx.query('SELECT 1')),
      ]);
      for (const outcome of waited) {
        expect(outcome.status).toBe('rejected');
        const error = (outcome as PromiseRejectedResult).reason as unknown;
        expect(isDatabaseUnavailable(error) && error.reason).toBe('busy');
        expect(error).toMatchObject({ status: 503, code: 'database_unavailable' });
      }
      expect(busyLog.map((entry) => entry.msg)).toEqual(['database connections all in use']);
      finish();
      await holding;
      expect(await single.query<{ one: number }>('SELECT 1 AS one')).toEqual([{ one: 1 }]);
      expect(busyLog.some((entry) => entry.msg === 'database available again')).toBe(false);
    } finally {
      await single.close();
      await dropSchemas(busySchema);
    }
  });
});
