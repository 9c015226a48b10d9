import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { percentile, round } from './support.js';

export interface Environment {
  loadAverage: number[];
  /** Share of the last 10 s in which some task waited for a CPU (Linux PSI), %; null where not available. */
  cpuPressurePercent: number | null;
  /** The same for I/O. */
  ioPressurePercent: number | null;
  /**
   * One-row SQLite commits per second with WAL and synchronous=FULL, the embedded engine's setting: every commit
   * waits for an fsync, so this is what the disk allows the platform right now.
   */
  fsyncCommitsPerSec: number;
  fsyncCommitP99Ms: number;
}

async function pressure(resource: 'cpu' | 'io'): Promise<number | null> {
  const text = await readFile(`/proc/pressure/${resource}`, 'utf8').catch(() => '');
  const match = /^some avg10=([\d.]+)/m.exec(text);
  return match ? Number(match[1]) : null;
}

/** What else is going on on this machine: other work skews every figure, and this says how much. */
export async function probeEnvironment(commits = 300): Promise<Environment> {
  const dir = await mkdtemp(join(tmpdir(), 'tillstream-bench-probe-'));
  const db = new Database(join(dir, 'probe.sqlite'));
  const latencies: number[] = [];
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.exec('CREATE TABLE probe (id INTEGER PRIMARY KEY, body TEXT)');
    const insert = db.prepare('INSERT INTO probe (body) VALUES (?)');
    const body = 'x'.repeat(400);
    for (let index = 0; index < commits; index += 1) {
      const started = performance.now();
      db.exec('BEGIN IMMEDIATE');
      insert.run(body);
      db.exec('COMMIT');
      latencies.push(performance.now() - started);
    }
  } finally {
    db.close();
    await rm(dir, { recursive: true, force: true });
  }
  const totalMs = latencies.reduce((sum, ms) => sum + ms, 0);
  return {
    loadAverage: loadavg().map((load) => round(load, 2)),
    cpuPressurePercent: await pressure('cpu'),
    ioPressurePercent: await pressure('io'),
    fsyncCommitsPerSec: round((1000 * commits) / totalMs, 0),
    fsyncCommitP99Ms: round(percentile(latencies, 99), 2),
  };
}

export const describeEnvironment = (environment: Environment) =>
  `load average ${environment.loadAverage.join(' ')}, CPU pressure ${environment.cpuPressurePercent ?? 'n/a'} %, ` +
  `I/O pressure ${environment.ioPressurePercent ?? 'n/a'} %, ` +
  `fsync'd SQLite commits ${environment.fsyncCommitsPerSec}/s (p99 ${environment.fsyncCommitP99Ms} ms)`;
