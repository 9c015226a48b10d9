// Bundles the server (every workspace package, and the npm dependencies every start loads) into one script,
// so the CLI starts without a TypeScript loader (faster start-up and some 35 MB less resident memory) and
// without resolving and reading hundreds of small files (typebox alone is 680: a third of a start's CPU).
// It is CommonJS, not an ES module, so that bin/run-bundle.mjs can hand V8 the code it compiled last time:
// Node 20 has no compile cache for ES modules.
import { existsSync, readFileSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const distDir = join(root, 'apps/server/dist');
export const bundlePath = join(distDir, 'cli.cjs');
const entry = join(root, 'apps/server/src/cli.ts');
const sourceDirs = [join(root, 'packages'), join(root, 'apps/server/src')];

/** Newest modification time of any TypeScript source or package manifest the bundle is made from. */
function newestSourceMtime() {
  let newest = 0;
  for (const dir of sourceDirs) {
    for (const name of readdirSync(dir, { recursive: true })) {
      const file = String(name);
      if (file.includes('node_modules') || !(file.endsWith('.ts') || file.endsWith('package.json'))) continue;
      newest = Math.max(newest, statSync(join(dir, file)).mtimeMs);
    }
  }
  return newest;
}

/**
 * Plain JavaScript that every start loads. The other dependencies stay external: better-sqlite3 is a native
 * addon, pino starts transports from its own files, @fastify/static and @fastify/swagger-ui serve files from
 * their folders, and pg and the NATS client load on demand with the scale-out engine's chunk.
 */
const BUNDLED_DEPENDENCIES = new Set([
  'fastify',
  '@fastify/fast-json-stringify-compiler',
  '@fastify/type-provider-typebox',
  'ajv',
  'ajv-formats',
  'prom-client',
  'typebox',
  'uuid',
]);

export function bundleIsFresh() {
  try {
    return statSync(bundlePath).mtimeMs >= newestSourceMtime();
  } catch {
    return false;
  }
}

export async function buildBundle() {
  // Loaded only to build: every start imports this file to check the bundle, and esbuild took 40 ms of it.
  const { build } = await import('esbuild');
  const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  const external = [
    ...Object.keys(manifest.dependencies ?? {}).filter((name) => !BUNDLED_DEPENDENCIES.has(name)),
    ...Object.keys(manifest.devDependencies ?? {}),
    ...builtinModules,
    ...builtinModules.map((name) => `node:${name}`),
  ].flatMap((name) => [name, `${name}/*`]);
  // Built beside and renamed into place, so a process starting meanwhile never loads half a build (and the
  // code caches made from the old one go with it). The scale-out engine is imported on demand, so its
  // PostgreSQL and NATS drivers are required only when it starts.
  const temporary = `${distDir}.${process.pid}.tmp`;
  await build({
    entryPoints: [entry],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    outdir: temporary,
    outExtension: { '.js': '.cjs' },
    external,
    // Beside the bundle, not inline: a module's source text stays in the heap for as long as it runs, and an
    // inline map more than tripled it (5 MB of an idle platform's 150). `node --enable-source-maps` reads it.
    sourcemap: 'linked',
    // For the same reason, no comments or indentation: they made the text 40 % longer, and a comment's
    // "−" or "…" stored all of it as two-byte characters (7 MB where 2.5 MB now do). Lines stay short enough
    // to print when an uncaught error shows its line.
    minifyWhitespace: true,
    lineLimit: 160,
    logLevel: 'warning',
    // The sources are ES modules: what they ask of import.meta, a script answers from its own file.
    define: { 'import.meta.url': '__bundleFileUrl', 'import.meta.dirname': '__dirname' },
    banner: { js: "const __bundleFileUrl = require('node:url').pathToFileURL(__filename).href;" },
  });
  const retired = `${distDir}.${process.pid}.old`;
  if (existsSync(distDir)) renameSync(distDir, retired);
  renameSync(temporary, distDir);
  rmSync(retired, { recursive: true, force: true });
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await buildBundle();
  console.log(`built ${bundlePath}`);
}
