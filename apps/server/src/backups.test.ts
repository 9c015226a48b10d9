import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { Registry } from 'prom-client';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { backupSqliteTogether, conflict, createLogger, manualClock, systemClock } from '@tillstream/kernel';
import {
  createBackups,
  nextBackupInMs,
  scheduleBackups,
  type BackupOptions,
  type Backups,
} from './backups.js';

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

  // Node's own recursive mkdir never returns there: the backup would hang, and refuse every later one as
  // still in progress.
  it.runIf(process.platform === 'linux')(
    'fails a backup to a directory the file system will not make (/proc), and takes the next',
    async () => {
      const service = backups({ backupDir: '/proc/tillstream-backups' });
      for (let attempt = 0; attempt < 2; attempt += 1)
        await expect(service.take()).rejects.toMatchObject({
          code: 'backup_failed',
          message: expect.stringContaining("mkdir '/proc/tillstream-backups'"),
        });
    },
  );

  it('remembers across a restart when the newest backup on disk was taken', async () => {
    await backups().take();
    clock.advance(3_600_000);
    await backups().take();
    mkdirSync(join(backupDir, '2026-12-03T09-00-00-000Z.partial'));

    const restarted = backups();
    const registry = new Registry();
    restarted.registerMetrics(registry);
    expect(await restarted.lastTakenAt()).toEqual(new Date('2026-12-03T03:00:00.000Z'));
    const [value] = (
      await registry.getSingleMetric('tillstream_backup_last_success_timestamp_seconds')!.get()
    ).values;
    expect(value!.value).toBe(Date.parse('2026-12-03T03:00:00.000Z') / 1000);
    expect(await backups({ backupDir: join(dir, 'none-yet') }).lastTakenAt()).toBeNull();
  });
});

describe('the backup schedule counts from the newest backup, not from the start', () => {
  const HOUR = 3_600_000;
  const logger = createLogger({ name: 'test', level: 'silent' });
  afterEach(() => vi.useRealTimers());

  it('is due an interval after the newest backup, at once without one or when overdue', () => {
    const now = new Date(START);
    expect(nextBackupInMs(null, now, HOUR)).toBe(0);
    expect(nextBackupInMs(new Date(Date.parse(START) - 20 * 60_000), now, HOUR)).toBe(40 * 60_000);
    expect(nextBackupInMs(new Date(Date.parse(START) - 3 * HOUR), now, HOUR)).toBe(0);
    // A backup dated ahead of the clock (the clock was set back) waits one interval, not until then.
    expect(nextBackupInMs(new Date(Date.parse(START) + 5 * HOUR), now, HOUR)).toBe(HOUR);
  });

  /** A backup service that records when it was asked, its newest backup as given, failing while told to. */
  const recorder = (newest: string | null) => {
    const taken: string[] = [];
    let last = newest === null ? null : new Date(newest);
    let failing: Error | null = null;
    const service: Pick<Backups, 'lastTakenAt' | 'take'> = {
      lastTakenAt: async () => last,
      take: async () => {
        if (failing) throw failing;
        last = systemClock.now();
        taken.push(last.toISOString());
        return { id: '', directory: '', takenAt: last.toISOString(), durationMs: 0, files: [] };
      },
    };
    return { service, taken, fail: (error: Error | null) => (failing = error) };
  };

  it('backs up a restarted platform an hour after its last backup, then hourly, a manual one moving it on', async () => {
    vi.useFakeTimers({ now: Date.parse(START) });
    const { service, taken } = recorder('2026-12-03T01:40:00.000Z');
    const schedule = scheduleBackups(service as Backups, { intervalMinutes: 60, clock: systemClock, logger });
    schedule.start();
    await vi.advanceTimersByTimeAsync(39 * 60_000);
    expect(taken).toEqual([]);
    await vi.advanceTimersByTimeAsync(2 * 60_000);
    expect(taken).toEqual(['2026-12-03T02:40:00.000Z']);
    await vi.advanceTimersByTimeAsync(30 * 60_000);
    await service.take(); // by hand, at 03:11
    await vi.advanceTimersByTimeAsync(HOUR);
    expect(taken).toEqual([
      '2026-12-03T02:40:00.000Z',
      '2026-12-03T03:11:00.000Z',
      '2026-12-03T04:11:00.000Z',
    ]);
    await schedule.stop();
    await vi.advanceTimersByTimeAsync(3 * HOUR);
    expect(taken).toHaveLength(3);
  });

  it('backs up at once when there is no backup yet, and tries a failed one again an interval later', async () => {
    vi.useFakeTimers({ now: Date.parse(START) });
    const { service, taken, fail } = recorder(null);
    fail(new Error('ENOSPC: no space left on device'));
    const schedule = scheduleBackups(service as Backups, { intervalMinutes: 60, clock: systemClock, logger });
    schedule.start();
    await vi.advanceTimersByTimeAsync(1);
    fail(conflict('backup_in_progress', 'a manual one'));
    await vi.advanceTimersByTimeAsync(HOUR);
    expect(taken).toEqual([]);
    fail(null);
    await vi.advanceTimersByTimeAsync(HOUR);
    expect(taken).toEqual(['2026-12-03T04:00:00.000Z']);
    await schedule.stop();
  });
});
