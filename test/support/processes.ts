import { spawn, type ChildProcess } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const CLI = resolve(import.meta.dirname, '../../apps/server/bin/tillstream.mjs');

export interface ServerProcess {
  readonly port: number;
  readonly baseUrl: string;
  child: ChildProcess;
  output: () => string;
}

/** Spawns the CLI and resolves once /healthz answers 200; the child's output is kept for failure messages. */
export async function spawnServer(
  args: string[],
  env: Record<string, string>,
  port: number,
): Promise<ServerProcess> {
  const child = spawn(process.execPath, [CLI, ...args], {
    env: {
      ...process.env,
      ...env,
      TILLSTREAM_PORT: String(port),
      TILLSTREAM_LOG_LEVEL: env.TILLSTREAM_LOG_LEVEL ?? 'warn',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  recordForReaping(child);
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output = (output + chunk.toString()).slice(-20_000)));
  child.stderr!.on('data', (chunk: Buffer) => (output = (output + chunk.toString()).slice(-20_000)));
  const baseUrl = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}:\n${output}`);
    try {
      const response = await fetch(`${baseUrl}/readyz`);
      if (response.status === 200) return { port, baseUrl, child, output: () => output };
    } catch {
      // not listening yet
    }
    await new Promise((done) => setTimeout(done, 50));
  }
  child.kill('SIGKILL');
  throw new Error(`server did not become ready:\n${output}`);
}

/** Leaves the child's pid where the global teardown (reap-servers.ts) finds it should the test not stop it. */
function recordForReaping(child: ChildProcess): void {
  const dir = process.env.TILLSTREAM_TEST_PID_DIR;
  if (!dir || child.pid === undefined) return;
  const file = join(dir, String(child.pid));
  writeFileSync(file, '');
  child.once('exit', () => rmSync(file, { force: true }));
}

export async function waitForExit(child: ChildProcess, timeoutMs = 15_000): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
  return new Promise((done) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
    }, timeoutMs);
    child.once('exit', (code) => {
      clearTimeout(timer);
      done(code);
    });
  });
}
