import { readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { Gauge, type Registry } from 'prom-client';
import { Type, type Static } from 'typebox';
import {
  conflict,
  DomainError,
  unavailable,
  type BackedUpFile,
  type Clock,
  type HttpApp,
  type Logger,
} from '@tillstream/kernel';

const BackedUp = Type.Object({
  database: Type.String({
    description: 'The context whose database it is (`pos`, `erp`, …, `auth` for API keys)',
  }),
  file: Type.String({ description: 'Its file name in the backup directory, as in the data dir' }),
  bytes: Type.Integer(),
});

const BackupView = Type.Object({
  id: Type.String({ description: 'The backup directory’s name: when it was taken, in UTC' }),
  directory: Type.String({ description: 'Where it is on the server’s disk: a data dir to start from' }),
  takenAt: Type.String({ description: 'When it was taken: every database is copied as of one instant then' }),
  durationMs: Type.Optional(
    Type.Integer({ description: 'How long the copy took; on the answer to the POST' }),
  ),
  files: Type.Array(BackedUp),
});
type BackupView = Static<typeof BackupView>;

const BackupList = Type.Object({ backups: Type.Array(BackupView) });

/** `2026-12-03T20:41:07.123Z` → `2026-12-03T20-41-07-123Z`: sorts as it reads, and is a file name everywhere. */
const backupId = (at: Date) => at.toISOString().replace(/[:.]/g, '-');
const takenAtOf = (id: string) =>
  id.replace(/^(\d{4}-\d{2}-\d{2}T\d{2})-(\d{2})-(\d{2})-(\d{3})Z$/, '$1:$2:$3.$4Z');
const BACKUP_ID = /^\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}-\d{3}Z$/;
const PARTIAL = /^\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}-\d{3}Z\.partial$/;

const byFile = (a: { file: string }, b: { file: string }) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0);

export interface BackupOptions {
  backupDir: string;
  /** Copies every database as of one instant into the directory (the engine's backupSqliteTogether). */
  backup: (targetDir: string) => Promise<BackedUpFile[]>;
  /** Complete backups kept after each new one, newest first; 0: all. */
  keep: number;
  clock: Clock;
  logger: Logger;
}

/**
 * Online backups of the embedded engine: every database copied as of one instant while the platform serves
 * (see backupSqliteTogether), into `<backupDir>/<id>`, one at a time; after each, only the newest `keep` are
 * left, and what an interrupted one left half-written goes too. Shipping the copies off the machine is the
 * operator's part; starting the platform with `--data-dir <backupDir>/<id>` restores one.
 */
export function createBackups(options: BackupOptions) {
  let running = false;
  let lastSuccessAt: Date | null = null;
  let failures = 0;

  async function list(): Promise<BackupView[]> {
    const names = await readdir(options.backupDir).catch(() => [] as string[]);
    const backups: BackupView[] = [];
    for (const id of names
      .filter((name) => BACKUP_ID.test(name))
      .sort()
      .reverse()) {
      const directory = join(options.backupDir, id);
      const files = [];
      for (const file of (await readdir(directory)).filter((name) => name.endsWith('.sqlite'))) {
        const { size } = await stat(join(directory, file));
        files.push({ database: file.slice(0, -'.sqlite'.length), file, bytes: size });
      }
      backups.push({ id, directory, takenAt: takenAtOf(id), files: files.sort(byFile) });
    }
    return backups;
  }

  /** Leaves the newest `keep` complete backups, and no half-written one (none is being written now). */
  async function prune(): Promise<void> {
    const names = await readdir(options.backupDir).catch(() => [] as string[]);
    const complete = names
      .filter((name) => BACKUP_ID.test(name))
      .sort()
      .reverse();
    const doomed = [
      ...(options.keep > 0 ? complete.slice(options.keep) : []),
      ...names.filter((name) => PARTIAL.test(name)),
    ];
    for (const name of doomed) await rm(join(options.backupDir, name), { recursive: true, force: true });
    if (doomed.length > 0) options.logger.info({ removed: doomed }, 'old backups removed');
  }

  async function take(): Promise<BackupView & { durationMs: number }> {
    if (running)
      throw conflict('backup_in_progress', 'Another backup is being written; ask again when it is done');
    running = true;
    const started = options.clock.now();
    const id = backupId(started);
    const directory = join(options.backupDir, id);
    try {
      const files = await options.backup(directory).catch((error: unknown) => {
        failures += 1;
        options.logger.error({ err: error, directory }, 'backup failed');
        throw unavailable('backup_failed', `The backup could not be written: ${(error as Error).message}`);
      });
      lastSuccessAt = started;
      const durationMs = Math.max(0, options.clock.now().getTime() - started.getTime());
      options.logger.info({ directory, durationMs }, 'backup written');
      // A backup is not undone because an old one could not be removed: the next run tries again.
      await prune().catch((error: unknown) => options.logger.warn({ err: error }, 'pruning backups failed'));
      return {
        id,
        directory,
        takenAt: started.toISOString(),
        durationMs,
        files: files.map(({ name, file, bytes }) => ({ database: name, file, bytes })).sort(byFile),
      };
    } finally {
      running = false;
    }
  }

  /**
   * When the newest backup was taken: by this process, or else the newest complete one on disk, so that a
   * restart neither resets the alerting metric to "never" nor puts the next scheduled backup off.
   */
  async function lastTakenAt(): Promise<Date | null> {
    if (lastSuccessAt) return lastSuccessAt;
    const newest = (await readdir(options.backupDir).catch(() => [] as string[]))
      .filter((name) => BACKUP_ID.test(name))
      .sort()
      .at(-1);
    // A backup taken meanwhile is newer than what was on disk.
    if (newest && !lastSuccessAt) lastSuccessAt = new Date(takenAtOf(newest));
    return lastSuccessAt;
  }

  /** What an alert on backups needs: when the last one succeeded, and how many failed since start. */
  function registerMetrics(registry: Registry): void {
    new Gauge({
      name: 'tillstream_backup_last_success_timestamp_seconds',
      help:
        'When the newest backup was taken (Unix seconds): by this process, else the newest complete one found ' +
        'in the backup directory at start; 0 when there is none',
      registers: [registry],
      collect() {
        this.set(lastSuccessAt ? lastSuccessAt.getTime() / 1000 : 0);
      },
    });
    new Gauge({
      name: 'tillstream_backup_failures',
      help: 'Backups that could not be written since the process started',
      registers: [registry],
      collect() {
        this.set(failures);
      },
    });
  }

  return { take, list, lastTakenAt, registerMetrics };
}

export type Backups = ReturnType<typeof createBackups>;

/**
 * How long until the next scheduled backup: an interval after the newest one, so that a platform restarted
 * more often than its interval (a daily deploy, a daily backup) still backs up; at once when there is none,
 * or it is overdue.
 */
export function nextBackupInMs(lastTakenAt: Date | null, now: Date, intervalMs: number): number {
  if (!lastTakenAt) return 0;
  return Math.min(intervalMs, Math.max(0, lastTakenAt.getTime() + intervalMs - now.getTime()));
}

/**
 * Takes a backup every `intervalMinutes`, counted from the newest one (see nextBackupInMs). A failed one is
 * logged and counted, and tried again an interval later; a manual one (`POST /ops/v1/backups`) moves the next
 * scheduled one on, as it is a backup as good as any.
 */
export function scheduleBackups(
  backups: Backups,
  options: { intervalMinutes: number; clock: Clock; logger: Logger },
) {
  const intervalMs = options.intervalMinutes * 60_000;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | null = null;
  let stopped = false;

  const planNext = (delayMs: number) => {
    if (stopped) return;
    timer = setTimeout(() => {
      running = run().finally(() => (running = null));
    }, delayMs);
    timer.unref();
  };
  const run = async () => {
    const due = nextBackupInMs(await backups.lastTakenAt(), options.clock.now(), intervalMs);
    if (due > 0) return planNext(due);
    await backups.take().catch((error: unknown) => {
      // Another backup being written (a manual one) is a backup: the next is due an interval after it.
      if (!(error instanceof DomainError && error.code === 'backup_in_progress'))
        options.logger.warn({ err: error }, 'scheduled backup failed');
    });
    planNext(intervalMs);
  };

  return {
    start() {
      planNext(0);
    },
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}

export function registerBackupRoutes(app: HttpApp, backups: Backups): void {
  const tags = ['ops'];

  app.post(
    '/ops/v1/backups',
    {
      config: { scope: 'admin' },
      schema: {
        tags,
        summary: 'Back every database up as of one instant, while the platform serves (embedded engine)',
        description:
          'Copies each context’s SQLite database (and the API keys’) into a new directory under the backup ' +
          'directory (`TILLSTREAM_BACKUP_DIR`, by default `backups` in the data dir), all as they were at one ' +
          'instant: no consumer’s copy is ahead of the log it reads, so nothing is lost or applied twice once ' +
          'restored. Sales keep being taken meanwhile. Restore by starting the platform with `--data-dir` set ' +
          'to the directory. Afterwards only the newest `TILLSTREAM_BACKUP_KEEP` backups are left. One backup ' +
          'at a time (409 `backup_in_progress`, a scheduled one included); a failed write is 503 ' +
          '`backup_failed` and leaves no directory behind. The scale-out engine has no such route: back ' +
          'PostgreSQL up with its own tools.',
        response: { 201: BackupView },
      },
    },
    async (_request, reply) => reply.code(201).send(await backups.take()),
  );

  app.get(
    '/ops/v1/backups',
    {
      config: { scope: 'admin' },
      schema: {
        tags,
        summary: 'The complete backups in the backup directory, newest first',
        response: { 200: BackupList },
      },
    },
    async () => ({ backups: await backups.list() }),
  );
}
