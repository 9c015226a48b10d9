import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CLI, onStopAll, spawnNode, stopChild, waitFor200, type Child } from './processes.js';
import { freePort } from '@tillstream/kernel/testing';
import { errorLinesOf, type Deployment } from './support.js';

export interface EmbeddedDeployment extends Deployment {
  child: Child;
  /** The platform's data directory (removed by `stop`). */
  dataDir: string;
  /** Spawn to first /healthz 200, ms. */
  healthzMs: number;
}

/** `tillstream start` on a fresh data dir; with `demo`, resolves only once the demo chain is seeded. */
export async function startEmbedded(options: {
  adminKey: string;
  demo: boolean;
  cpuProfDir?: string;
}): Promise<EmbeddedDeployment> {
  const dataDir = await mkdtemp(join(tmpdir(), 'tillstream-bench-'));
  // Also on Ctrl-C or a crash of the bench, which reach only stopAll.
  const removeDataDir = () => rm(dataDir, { recursive: true, force: true });
  const unregister = onStopAll(removeDataDir);
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const profiling = options.cpuProfDir ? ['--cpu-prof', '--cpu-prof-dir', options.cpuProfDir] : [];
  const child = spawnNode(
    'tillstream start',
    [
      ...profiling,
      CLI,
      'start',
      '--port',
      String(port),
      '--data-dir',
      dataDir,
      ...(options.demo ? ['--demo'] : []),
    ],
    { TILLSTREAM_ADMIN_KEY: options.adminKey, TILLSTREAM_LOG_LEVEL: 'info' },
  );
  const stop = async () => {
    unregister();
    await stopChild(child);
    await removeDataDir();
  };
  // Watch for the line before polling: /healthz answers while the demo is still being seeded.
  const listening = child.waitForLine(/tillstream listening/, 120_000);
  listening.catch(() => undefined);
  try {
    const healthzMs = await waitFor200(`${url}/healthz`, child);
    await listening;
    return {
      engine: 'embedded',
      urls: { erp: url, pos: url, commerce: url, hub: url, analytics: url },
      services: [{ name: 'tillstream', url, pid: child.pid }],
      errorLines: () => errorLinesOf(child.output()),
      adminKey: options.adminKey,
      child,
      dataDir,
      healthzMs,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
