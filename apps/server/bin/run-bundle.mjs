// Runs the CLI's CommonJS bundle with V8's code cache. Compiling the bundle and the functions a start calls
// is a fifth of a start's CPU, and a scale-out platform starts five processes at once on the same cores;
// Node 20's module loaders keep no cache (module.enableCompileCache came in Node 22), so this one does it
// the way V8 offers: compile the script with the cache a previous process made from the same bundle, and
// make one when there was none or V8 refused it (another Node, other V8 flags).
import { readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { Script, constants } from 'node:vm';

/** Long enough for a server to have started, so the cache holds the code start-up compiled, not only the top. */
const CACHE_AFTER_MS = 2_000;

/**
 * The cache is named for the bundle it was made from (its size and modification time) and for the Node that
 * made it: V8 checks only a cache's length, version and flags before trusting it, so a process still running
 * an older bundle must never write where the new one reads.
 */
export function codeCachePath(bundlePath) {
  const { size, mtimeMs } = statSync(bundlePath);
  return `${bundlePath}.${Math.trunc(mtimeMs)}-${size}-node${process.versions.node}.v8-cache`;
}

/**
 * Runs `bundlePath` as a CommonJS module of its own folder and answers what happened to the cache: `used`,
 * `made` (there was none: one is written `cacheAfterMs` later), `refused` (V8 rejected it: rewritten) or
 * `bypassed`: under `node --enable-source-maps`, which maps stack traces only for modules Node loads itself.
 */
export function runBundle(bundlePath, { cacheAfterMs = CACHE_AFTER_MS } = {}) {
  if (process.sourceMapsEnabled) {
    createRequire(import.meta.url)(bundlePath);
    return 'bypassed';
  }
  const cachePath = codeCachePath(bundlePath);
  const source = readFileSync(bundlePath, 'utf8');
  let cachedData;
  try {
    cachedData = readFileSync(cachePath);
  } catch {
    // none yet: this process makes it
  }
  // The same wrapper Node's CommonJS loader uses, on the first line so that line numbers stay the bundle's.
  const script = new Script(`(function (exports, require, module, __filename, __dirname) { ${source}\n})`, {
    filename: bundlePath,
    cachedData,
    importModuleDynamically: constants.USE_MAIN_CONTEXT_DEFAULT_LOADER,
  });
  const outcome = cachedData === undefined ? 'made' : script.cachedDataRejected ? 'refused' : 'used';
  if (outcome !== 'used') setTimeout(() => writeCodeCache(script, cachePath), cacheAfterMs).unref();
  const module = { exports: {}, filename: bundlePath, id: '.', loaded: false };
  script
    .runInThisContext()
    .call(module.exports, module.exports, createRequire(bundlePath), module, bundlePath, dirname(bundlePath));
  return outcome;
}

/** Written beside and renamed into place: processes that start together each write a whole cache, last wins. */
function writeCodeCache(script, cachePath) {
  const temporary = `${cachePath}.${process.pid}.tmp`;
  try {
    writeFileSync(temporary, script.createCachedData());
    renameSync(temporary, cachePath);
  } catch {
    // A read-only install starts without the cache, as it would without this loader.
    rmSync(temporary, { force: true });
  }
}
