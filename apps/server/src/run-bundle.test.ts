import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

const execFileAsync = promisify(execFile);
const RUN_BUNDLE = resolve(import.meta.dirname, '../bin/run-bundle.mjs');

/** A bundle that shows what CommonJS gave it, and stays alive long enough for its cache to be written. */
const bundleSource = (marker: string) => `
const { sep } = require('node:path');
module.exports.marker = ${JSON.stringify(marker)};
console.log(JSON.stringify({ marker: module.exports.marker, filename: __filename, dirname: __dirname, sep }));
setTimeout(() => {}, 300);
`;

describe('running the CLI bundle with a code cache (bin/run-bundle.mjs)', () => {
  let dir: string;
  let bundle: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'tillstream-run-bundle-'));
    bundle = join(dir, 'cli.cjs');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  /** Runs the bundle in a process of its own; answers what it printed and what became of the cache. */
  async function run(nodeFlags: string[] = []) {
    const script = `import { runBundle } from ${JSON.stringify(RUN_BUNDLE)};
      console.log(runBundle(${JSON.stringify(bundle)}, { cacheAfterMs: 0 }));`;
    const { stdout } = await execFileAsync(process.execPath, [
      ...nodeFlags,
      '--input-type=module',
      '-e',
      script,
    ]);
    const [printed, outcome] = stdout.trim().split('\n');
    return { printed: JSON.parse(printed!) as Record<string, string>, outcome };
  }
  const caches = () => readdirSync(dir).filter((name) => name.endsWith('.v8-cache'));

  it('runs the bundle as a CommonJS module of its folder, makes a cache, then starts from it', async () => {
    writeFileSync(bundle, bundleSource('first'));
    const first = await run();
    expect(first.printed).toEqual({ marker: 'first', filename: bundle, dirname: dir, sep: '/' });
    expect(first.outcome).toBe('made');
    expect(caches()).toHaveLength(1);
    expect(readdirSync(dir).filter((name) => name.endsWith('.tmp'))).toEqual([]);

    const second = await run();
    expect(second.printed.marker).toBe('first');
    expect(second.outcome).toBe('used');
  });

  it('never reads a cache made from another build of the bundle', async () => {
    writeFileSync(bundle, bundleSource('old'));
    await run();
    // A rebuild, here of the same length, so that only the name tells V8's length check and the old cache apart.
    writeFileSync(bundle, bundleSource('new'));
    const rebuilt = await run();
    expect(rebuilt.printed.marker).toBe('new');
    expect(rebuilt.outcome).toBe('made');
  });

  it('rewrites a cache V8 refuses, and runs the bundle all the same', async () => {
    writeFileSync(bundle, bundleSource('refused'));
    await run();
    writeFileSync(join(dir, caches()[0]!), 'not a code cache at all');
    const refused = await run();
    expect(refused.printed.marker).toBe('refused');
    expect(refused.outcome).toBe('refused');
    expect((await run()).outcome).toBe('used');
  });

  it('leaves the bundle to Node under --enable-source-maps, so that stack traces map to the sources', async () => {
    writeFileSync(bundle, bundleSource('mapped'));
    const mapped = await run(['--enable-source-maps']);
    expect(mapped.printed.marker).toBe('mapped');
    expect(mapped.outcome).toBe('bypassed');
    expect(caches()).toEqual([]);
  });
});
