import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { connect } from '@nats-io/transport-node';
import { jetstreamManager } from '@nats-io/jetstream';
import { describe, expect, it, vi } from 'vitest';
import { createLogger } from '@tillstream/kernel';
import { WalSync } from '../../packages/kernel/src/db/wal-sync.js';
import { loadConfig } from '../../apps/server/src/config.js';
import { buildPlatform, CONTEXTS, type Platform } from '../../apps/server/src/platform.js';
import { embeddedEngine } from '../../apps/server/src/embedded-engine.js';
import { scaleOutEngine } from '../../apps/server/src/scale-out-engine.js';
import type { NatsEventLog } from '@tillstream/kernel/scale-out';
import { scaleOutConfigured, scaleOutUrls } from '../support/engines.js';
import { deleteStreams, dropDatabase } from '../support/template-database.js';

describe('readiness (embedded, in process)', () => {
  /** A platform on a fresh data dir; `beforeStart` may break it before its consumers start. */
  async function withPlatform(
    run: (platform: Platform) => Promise<void>,
    beforeStart?: (platform: Platform) => Promise<void>,
  ) {
    const dataDir = mkdtempSync(join(tmpdir(), 'tillstream-readyz-'));
    const config = loadConfig({}, { dataDir, logLevel: 'silent' });
    const logger = createLogger({ name: 'readyz-test', level: 'silent' });
    const platform = await buildPlatform({
      config,
      engine: embeddedEngine(config, logger),
      logger,
      contexts: CONTEXTS,
    });
    try {
      await beforeStart?.(platform);
      await platform.start();
      await run(platform);
    } finally {
      await platform.stop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  }
  const readyz = async (platform: Platform) => {
    const response = await platform.app.inject({ method: 'GET', url: '/readyz' });
    return { status: response.statusCode, type: response.headers['content-type'], body: response.json() };
  };

  it('answers 503 naming the database that refuses writes after a failed fsync, the auth one included', async () => {
    await withPlatform(async (platform) => {
      expect((await readyz(platform)).status).toBe(200);
      // The disk fails under the auth database alone.
      const fsync = WalSync.prototype.sync;
      const sync = vi.spyOn(WalSync.prototype, 'sync').mockImplementation(function (this: WalSync) {
        const file = (this as unknown as { walFile: string }).walFile;
        return file.endsWith('auth.sqlite-wal') ? Promise.reject(new Error('EIO')) : fsync.call(this);
      });
      try {
        await expect(platform.apiKeys.create({ name: 'after-eio', scopes: ['admin'] })).rejects.toThrow();
      } finally {
        sync.mockRestore();
      }
      const answer = await readyz(platform);
      expect(answer.status).toBe(503);
      expect(answer.type).toContain('application/problem+json');
      expect(answer.body).toMatchObject({
        code: 'service_unavailable',
        problems: [{ check: 'database', database: 'auth' }],
      });
    });
  });

  it('answers 503 naming a consumer whose worker stopped', async () => {
    await withPlatform(
      async (platform) => {
        const until = Date.now() + 5_000;
        while ((await readyz(platform)).status === 200 && Date.now() < until)
          await new Promise((done) => setTimeout(done, 10));
        const answer = await readyz(platform);
        expect(answer.status).toBe(503);
        expect(answer.body.code).toBe('service_unavailable');
        expect(answer.body.problems).toContainEqual(
          expect.objectContaining({ check: 'consumer', consumer: 'hub.event-index' }),
        );
      },
      // The hub's consumer cannot read its checkpoint, so its workers stop as they start.
      async (platform) => {
        await platform.dbs.get('hub')!.transaction((tx) => tx.exec('DROP TABLE consumer_checkpoints'));
      },
    );
  });
});

describe.skipIf(!scaleOutConfigured)('readiness (scale-out, in process)', () => {
  /** A hub service (as `tillstream serve hub` runs it) on a database and stream prefix of its own. */
  async function withHubService(run: (platform: Platform, streamPrefix: string) => Promise<void>) {
    const database = `tillstream_readyz_${randomBytes(6).toString('hex')}`;
    const streamPrefix = `TR${randomBytes(4).toString('hex').toUpperCase()}`;
    const admin = new pg.Client({ connectionString: scaleOutUrls.pg });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${database}`);
    const pgUrl = new URL(scaleOutUrls.pg);
    pgUrl.pathname = `/${database}`;
    const config = loadConfig(
      {},
      {
        logLevel: 'silent',
        pgUrl: pgUrl.toString(),
        natsUrl: scaleOutUrls.nats,
        natsStreamPrefix: streamPrefix,
      },
    );
    const logger = createLogger({ name: 'readyz-test', level: 'silent' });
    const platform = await buildPlatform({
      config,
      engine: scaleOutEngine(config, logger),
      logger,
      contexts: ['hub'],
    });
    try {
      await platform.start();
      await run(platform, streamPrefix);
    } finally {
      await platform.stop();
      await admin.end();
      await dropDatabase(database);
      await deleteStreams(streamPrefix);
    }
  }
  const readyz = async (platform: Platform) => {
    const response = await platform.app.inject({ method: 'GET', url: '/readyz' });
    return { status: response.statusCode, type: response.headers['content-type'], body: response.json() };
  };
  const problemsOnceUnready = async (platform: Platform) => {
    const until = Date.now() + 10_000;
    while ((await readyz(platform)).status === 200 && Date.now() < until)
      await new Promise((done) => setTimeout(done, 25));
    const answer = await readyz(platform);
    expect(answer.status).toBe(503);
    expect(answer.type).toContain('application/problem+json');
    expect(answer.body.code).toBe('service_unavailable');
    return answer.body.problems as Array<Record<string, string>>;
  };

  it('answers 503 naming a consumer that cannot pull once the stream it reads is gone', async () => {
    await withHubService(async (platform, streamPrefix) => {
      expect((await readyz(platform)).status).toBe(200);
      const nats = await connect({ servers: scaleOutUrls.nats });
      await (await jetstreamManager(nats)).streams.delete(`${streamPrefix}_ERP`);
      await nats.close();
      expect(await problemsOnceUnready(platform)).toContainEqual(
        expect.objectContaining({ check: 'consumer', consumer: 'hub.event-index', source: 'erp' }),
      );
    });
  }, 60_000);

  it('answers 503 naming the bus once the NATS connection is closed', async () => {
    await withHubService(async (platform) => {
      expect((await readyz(platform)).status).toBe(200);
      await (platform.eventLog as NatsEventLog).connection.close();
      expect(await problemsOnceUnready(platform)).toContainEqual(
        expect.objectContaining({ check: 'bus', detail: expect.stringContaining('closed') }),
      );
    });
  }, 60_000);
});
