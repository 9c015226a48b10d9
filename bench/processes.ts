import { spawn, type ChildProcess } from 'node:child_process';
import { get } from 'node:http';
import { resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

export const ROOT = resolve(import.meta.dirname, '..');
export const CLI = resolve(ROOT, 'apps/server/bin/tillstream.mjs');
export const RUN_TS = resolve(ROOT, 'apps/server/bin/run-ts.mjs');

export interface Child {
  readonly name: string;
  readonly pid: number;
  readonly process: ChildProcess;
  /** The last 20 kB of stdout and stderr, for error messages. */
  output(): string;
  /** Resolves with the first stdout line matching, rejects when the child exits or the time is up. */
  waitForLine(pattern: RegExp, timeoutMs: number): Promise<string>;
  readonly exited: Promise<number | null>;
}

const children = new Set<Child>();

/**
 * Spawns `node <args>` as the leader of its own process group, so that stopping it also stops anything it
 * started, and so that nothing the bench started outlives it (see killAllNow).
 */
/**
 * A benchmark's whole load comes from one address, far past what the public routes let one address do: the
 * limits are raised out of reach rather than turned off, so that their counting is still measured (set
 * the variables to 0 to measure without it).
 */
const LOAD_FROM_ONE_ADDRESS = {
  TILLSTREAM_PUBLIC_READS_PER_MINUTE: '1000000000',
  TILLSTREAM_PUBLIC_WRITES_PER_MINUTE: '1000000000',
};

export function spawnNode(name: string, args: string[], env: Record<string, string>): Child {
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env: { ...LOAD_FROM_ONE_ADDRESS, ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  if (child.pid === undefined) throw new Error(`${name}: spawn failed`);
  let output = '';
  let partial = '';
  const lineWatchers = new Set<(line: string) => void>();
  const keep = (text: string) => (output = (output + text).slice(-20_000));
  child.stdout!.on('data', (chunk: Buffer) => {
    const text = chunk.toString();
    keep(text);
    const lines = (partial + text).split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) for (const watcher of lineWatchers) watcher(line);
  });
  child.stderr!.on('data', (chunk: Buffer) => keep(chunk.toString()));
  const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
  const handle: Child = {
    name,
    pid: child.pid,
    process: child,
    output: () => output,
    exited,
    waitForLine(pattern, timeoutMs) {
      return new Promise((done, fail) => {
        const timer = setTimeout(
          () => finish(new Error(`${name}: no line ${pattern} in ${timeoutMs} ms`)),
          timeoutMs,
        );
        const watcher = (line: string) => {
          if (pattern.test(line)) finish(null, line);
        };
        const finish = (error: Error | null, line = '') => {
          clearTimeout(timer);
          lineWatchers.delete(watcher);
          if (error) fail(error);
          else done(line);
        };
        lineWatchers.add(watcher);
        void exited.then((code) => finish(new Error(`${name} exited with ${code}:\n${output.slice(-4000)}`)));
      });
    },
  };
  children.add(handle);
  void exited.then(() => children.delete(handle));
  return handle;
}

function signalGroup(child: Child, signal: NodeJS.Signals): void {
  try {
    process.kill(-child.pid, signal);
  } catch {
    // The group is already gone.
  }
}

/** SIGTERM to the child's group (a graceful drain), SIGKILL after the grace period. */
export async function stopChild(child: Child, graceMs = 8_000): Promise<void> {
  if (child.process.exitCode !== null || child.process.signalCode !== null) return;
  signalGroup(child, 'SIGTERM');
  const timer = setTimeout(() => signalGroup(child, 'SIGKILL'), graceMs);
  await child.exited;
  clearTimeout(timer);
}

const cleanups = new Set<() => Promise<void>>();

/** Work `stopAll` must do besides stopping processes (a scratch database to drop); returns an unregister. */
export function onStopAll(cleanup: () => Promise<void>): () => void {
  cleanups.add(cleanup);
  return () => {
    cleanups.delete(cleanup);
  };
}

/** Stops every child still running, then runs the registered cleanups (also on SIGINT). */
export async function stopAll(): Promise<void> {
  await Promise.all([...children].map((child) => stopChild(child)));
  await Promise.all([...cleanups].map((cleanup) => cleanup().catch(() => undefined)));
  cleanups.clear();
}

/** Synchronous last resort for `process.on('exit')`: no time is left for a graceful drain. */
export function killAllNow(): void {
  for (const child of children) signalGroup(child, 'SIGKILL');
}

/** The status of one GET without keep-alive, or null while nothing listens. */
function statusOf(url: string): Promise<number | null> {
  return new Promise((done) => {
    const request = get(url, { agent: false }, (response) => {
      response.resume();
      done(response.statusCode ?? null);
    });
    request.on('error', () => done(null));
  });
}

/** Polls `url` every `intervalMs` until it answers 200; resolves with the milliseconds waited. */
export async function waitFor200(
  url: string,
  child: Child,
  timeoutMs = 60_000,
  intervalMs = 5,
): Promise<number> {
  const started = performance.now();
  while (performance.now() - started < timeoutMs) {
    if (child.process.exitCode !== null) {
      throw new Error(`${child.name} exited with ${child.process.exitCode}:\n${child.output().slice(-4000)}`);
    }
    if ((await statusOf(url)) === 200) return performance.now() - started;
    await sleep(intervalMs);
  }
  throw new Error(`${child.name}: ${url} not 200 within ${timeoutMs} ms:\n${child.output().slice(-4000)}`);
}
