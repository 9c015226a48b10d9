import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { Registry } from 'prom-client';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { backupSqliteTogether, createLogger, manualClock } from '@tillstream/kernel';
import { createBackups, type BackupOptions } from './backups.js';

const START = '2026-12-03T02:00:00.000Z';

describe('backups: one at a time, the newest kept, what failed counted', () => {
  let dir: string;
  let backupDir: string;
  let sources: Array<{ name: string; file: string }>;
  const clock = manualClock(START);
  const logger = createLogger({ name: 'test', level: 'silent' });

  beforeEach(() => {
    clock.set(START);
    dir = mkdtempSync(join(tmpdir(), 'tillstream-backups-'));
    backupDir = join(dir, 'backups');
    sources = ['pos', 'erp'].map((name) => {
      const file = join(dir, `${name}.sqlite`);
      const db = new Database(file);
      db.pragma('journal_mode = WAL');
      db.exec(`CREATE TABLE t (n INTEGER); INSERT INTO t VALUES (1)`);
      db.close();
      return { name, file };
    });
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const backups = (overrides: Partial<BackupOptions> = {}) =>
    createBackups({
      backupDir,
      backup: (target) => backupSqliteTogether(sources, target),
      keep: 2,
      clock,
      logger,
      ...overrides,
    });

  it('keeps the newest `keep`, removes what an interrupted one left, and leaves other files alone', async () => {
    const service = backups();
    mkdirSync(backupDir);
    mkdirSync(join(backupDir, '2026-12-01T02-00-00-000Z.partial'));
    writeFileSync(join(backupDir, 'README.txt'), 'copied off nightly');
    const taken = [];
    for (let run = 0; run < 3; run += 1) {
      taken.push(await service.take());
      clock.advance(60_000);
    }
    expect(taken.map((backup) => backup.id)).toEqual([
      '2026-12-03T02-00-00-000Z',
      '2026-12-03T02-01-00-000Z',
      '2026-12-03T02-02-00-000Z',
    ]);
    expect(taken[0]!.files.map((file) => file.file)).toEqual(['erp.sqlite', 'pos.sqlite']);
    expect(readdirSync(backupDir).sort()).toEqual([
      '2026-12-03T02-01-00-000Z',
      '2026-12-03T02-02-00-000Z',
      'README.txt',
    ]);
    const listed = await service.list();
    expect(listed.map((backup) => backup.takenAt)).toEqual([
      '2026-12-03T02:02:00.000Z',
      '2026-12-03T02:01:00.000Z',
    ]);
    const { durationMs: _duration, ...newest } = taken[2]!;
    expect(listed[0]).toEqual(newest);
  });

  it('keeps every backup with keep 0', async () => {
    const service = backups({ keep: 0 });
    for (let run = 0; run < 4; run += 1) {
      await service.take();
      clock.advance(1_000);
    }
    expect(await service.list()).toHaveLength(4);
  });

  it('refuses a second backup while one is written, and takes one again afterwards', async () => {
    const service = backups();
    const first = service.take();
    await expect(service.take()).rejects.toMatchObject({ code: 'backup_in_progress', kind: 'conflict' });
    await first;
    clock.advance(1_000);
    await expect(service.take()).resolves.toMatchObject({ id: '2026-12-03T02-00-01-000Z' });
  });

  it('counts a failed backup, answers it as unavailable, and says when the last good one was taken', async () => {
    let failing = true;
    const service = backups({
      backup: async (target) => {
        if (failing) throw new Error('ENOSPC: no space left on device');
        return backupSqliteTogether(sources, target);
      },
    });
    const registry = new Registry();
    service.registerMetrics(registry);
    const metric = async (name: string) => (await registry.getSingleMetric(name)!.get()).values[0]!.value;

    await expect(service.take()).rejects.toMatchObject({
      code: 'backup_failed',
      kind: 'unavailable',
      message: expect.stringContaining('ENOSPC'),
    });
    expect(await metric('tillstream_backup_failures')).toBe(1);
    expect(await metric('tillstream_backup_last_success_timestamp_seconds')).toBe(0);
    expect(await service.list()).toEqual([]);

    failing = false;
    clock.advance(5_000);
    await service.take();
    expect(await metric('tillstream_backup_last_success_timestamp_seconds')).toBe(
      Date.parse('2026-12-03T02:00:05.000Z') / 1000,
    );
  });
});
