import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { Type } from 'typebox';
import {
  conflict,
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
  takenAt: Type.String({ description: 'The instant every database was copied as of' }),
  durationMs: Type.Optional(
    Type.Integer({ description: 'How long the copy took; on the answer to the POST' }),
  ),
  files: Type.Array(BackedUp),
});

const BackupList = Type.Object({ backups: Type.Array(BackupView) });

/** `2026-12-03T20:41:07.123Z` → `2026-12-03T20-41-07-123Z`: sorts as it reads, and is a file name everywhere. */
const backupId = (at: Date) => at.toISOString().replace(/[:.]/g, '-');
const takenAtOf = (id: string) =>
  id.replace(/^(\d{4}-\d{2}-\d{2}T\d{2})-(\d{2})-(\d{2})-(\d{3})Z$/, '$1:$2:$3.$4Z');
const BACKUP_ID = /^\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}-\d{3}Z$/;

/**
 * Online backups of the embedded engine: every database copied as of one instant while the platform serves
 * (see backupSqliteTogether), into `<backupDir>/<id>`. Shipping the copies off the machine is the operator's
 * part; starting the platform with `--data-dir <backupDir>/<id>` restores one.
 */
export function registerBackups(
  app: HttpApp,
  deps: {
    backupDir: string;
    backup: (targetDir: string) => Promise<BackedUpFile[]>;
    clock: Clock;
    logger: Logger;
  },
): void {
  let running = false;
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
          'to the directory. One backup at a time (409 `backup_in_progress`); a failed write is 503 ' +
          '`backup_failed` and leaves no directory behind. The scale-out engine has no such route: back ' +
          'PostgreSQL up with its own tools.',
        response: { 201: BackupView },
      },
    },
    async (_request, reply) => {
      if (running)
        throw conflict('backup_in_progress', 'Another backup is being written; ask again when it is done');
      running = true;
      const started = deps.clock.now();
      const id = backupId(started);
      const directory = join(deps.backupDir, id);
      try {
        const files = await deps.backup(directory).catch((error: unknown) => {
          deps.logger.error({ err: error, directory }, 'backup failed');
          throw unavailable('backup_failed', `The backup could not be written: ${(error as Error).message}`);
        });
        const durationMs = Math.max(0, deps.clock.now().getTime() - started.getTime());
        deps.logger.info({ directory, durationMs }, 'backup written');
        return reply.code(201).send({
          id,
          directory,
          takenAt: started.toISOString(),
          durationMs,
          files: files
            .map(({ name, file, bytes }) => ({ database: name, file, bytes }))
            .sort((a, b) => a.file.localeCompare(b.file)),
        });
      } finally {
        running = false;
      }
    },
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
    async () => {
      const names = await readdir(deps.backupDir).catch(() => [] as string[]);
      const backups = [];
      for (const id of names
        .filter((name) => BACKUP_ID.test(name))
        .sort()
        .reverse()) {
        const directory = join(deps.backupDir, id);
        const files = [];
        for (const file of (await readdir(directory)).filter((name) => name.endsWith('.sqlite')).sort()) {
          const { size } = await stat(join(directory, file));
          files.push({ database: file.slice(0, -'.sqlite'.length), file, bytes: size });
        }
        backups.push({ id, directory, takenAt: takenAtOf(id), files });
      }
      return { backups };
    },
  );
}
