import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '../..');

/** Debian's chromium (scripts/install-chromium.sh); TILLSTREAM_CHROMIUM points elsewhere. */
export const CHROMIUM = process.env.TILLSTREAM_CHROMIUM ?? '/usr/bin/chromium';
export const chromiumAvailable = existsSync(CHROMIUM);

/** Flags for a headless chromium that talks to nothing but the page under test. */
export const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** What the app bundle is built from: the app itself, the SDK and the pricing engine it bundles. */
const SOURCES = [
  'apps/web/index.html',
  'apps/web/src',
  'apps/web/public',
  'apps/web/vite.config.ts',
  'apps/web/sw.plugin.ts',
  'packages/pos-client/src',
  'packages/pricing/src',
];

const newest = (path: string): number => {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(0, ...readdirSync(path).map((name) => newest(join(path, name))));
};

const sleep = (ms: number) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

/**
 * Builds apps/web (under a second), so the platform serves the current app at /pos/app/. Browser test files run
 * at the same time: one builds under a lock and the others, finding the bundle newer than its sources, leave it
 * alone; rebuilding it (it empties dist/) under a test that is loading the app would break that test.
 */
export function buildWebApp(): void {
  const dist = resolve(ROOT, 'apps/web/dist/index.html');
  const lock = join(
    tmpdir(),
    `tillstream-web-build-${createHash('sha256').update(ROOT).digest('hex').slice(0, 12)}`,
  );
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      // Held by another test file building now; a lock left by a killed run is stale after two minutes.
      const heldSince = statSync(lock, { throwIfNoEntry: false })?.mtimeMs ?? Date.now();
      if (Date.now() - heldSince > 120_000) rmSync(lock, { recursive: true, force: true });
      else sleep(100);
    }
  }
  try {
    const built = existsSync(dist) ? statSync(dist).mtimeMs : 0;
    if (built > Math.max(...SOURCES.map((source) => newest(resolve(ROOT, source))))) return;
    execFileSync(
      process.execPath,
      [resolve(ROOT, 'node_modules/vite/bin/vite.js'), 'build', 'apps/web', '--logLevel', 'warn'],
      { cwd: ROOT, stdio: 'inherit' },
    );
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}
