import { readFileSync } from 'node:fs';
import { SourceMap, type SourceMapPayload } from 'node:module';
import { fileURLToPath } from 'node:url';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { ROOT } from './processes.js';

/** Line and column are zero-based, as V8 reports them. */
interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
  columnNumber: number;
}

interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  /** Monotonic clock, µs. */
  startTime: number;
  /** Microseconds before each sample since the one before (the first: since startTime). */
  timeDeltas: number[];
}

export interface HotSpot {
  name: string;
  /** Share of the non-idle samples, %. */
  selfPercent: number;
}

export interface ProfileSummary {
  file: string;
  functions: HotSpot[];
  modules: HotSpot[];
}

/**
 * The source file a sample in the CLI's bundle (`apps/server/dist/cli.cjs`) came from, read from the bundle's
 * source map, so that time is charged to the file that was bundled rather than to the bundle.
 */
const bundleMaps = new Map<string, SourceMap | null>();
function sourceInBundle(frame: CallFrame): string | null {
  if (!frame.url.includes('/dist/')) return null;
  const path = frame.url.startsWith('file:') ? fileURLToPath(frame.url) : frame.url;
  let map = bundleMaps.get(path);
  if (map === undefined) {
    try {
      map = new SourceMap(JSON.parse(readFileSync(`${path}.map`, 'utf8')) as SourceMapPayload);
    } catch {
      // Rebuilt since the run, or no map: attribute to the bundle itself.
      map = null;
    }
    bundleMaps.set(path, map);
  }
  const entry = map?.findEntry(frame.lineNumber, frame.columnNumber) as
    { originalSource?: string } | undefined;
  return entry?.originalSource ?? null;
}

/** `node_modules/fastify/lib/x.js` → `fastify`, `packages/pos/src/...` → `@tillstream/pos`, natives by name. */
function moduleOf(frame: CallFrame): string {
  const { url } = frame;
  if (!url) return '(native/V8)';
  const path = sourceInBundle(frame) ?? url;
  const dependency = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(path);
  if (dependency) return dependency[1]!;
  const own = /(?:^|\/)(packages|apps)\/([^/]+)\//.exec(path);
  if (own) return own[1] === 'packages' ? `@tillstream/${own[2]}` : `apps/${own[2]}`;
  if (path.startsWith('node:')) return 'node core';
  return path.replace(`file://${ROOT}/`, '');
}

function tally(counts: Map<string, number>, total: number, top: number): HotSpot[] {
  return [...counts.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([name, count]) => ({ name, selfPercent: Number(((100 * count) / total).toFixed(1)) }));
}

/** A stretch of a run on the monotonic clock, in microseconds: `process.hrtime.bigint() / 1000n` in any process. */
export interface ProfileWindow {
  fromUs: number;
  toUs: number;
}

/** Now on the clock V8 stamps profile samples with (both are the system's monotonic clock). */
export const monotonicUs = () => Number(process.hrtime.bigint() / 1000n);

/**
 * Self time by function and by module from the largest `.cpuprofile` in `dir` (the main thread's; the
 * loader's worker thread writes a small one beside it). Idle samples are left out; with a window, so are
 * samples outside it (a bench's set-up, say).
 */
export async function summarizeProfile(
  dir: string,
  top = 15,
  window?: ProfileWindow,
): Promise<ProfileSummary | null> {
  const files = (await readdir(dir)).filter((file) => file.endsWith('.cpuprofile'));
  if (files.length === 0) return null;
  const sized = await Promise.all(
    files.map(async (file) => ({ file, size: (await stat(join(dir, file))).size })),
  );
  const largest = sized.sort((a, b) => b.size - a.size)[0]!.file;
  const profile = JSON.parse(await readFile(join(dir, largest), 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parentOf = new Map<number, ProfileNode>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parentOf.set(child, node);
  const functions = new Map<string, number>();
  const modules = new Map<string, number>();
  let total = 0;
  let at = profile.startTime;
  profile.samples.forEach((id, index) => {
    at += profile.timeDeltas[index] ?? 0;
    if (window && (at < window.fromUs || at > window.toUs)) return;
    const frame = byId.get(id)?.callFrame;
    if (!frame || frame.functionName === '(idle)') return;
    total += 1;
    // An anonymous function (a callback) is named by the function that called it; the file is the source
    // file, also inside the CLI's bundle.
    const source = sourceInBundle(frame) ?? frame.url;
    const file = source.split('/').pop() ?? '';
    const caller = parentOf.get(id)?.callFrame.functionName;
    const name = frame.functionName || `(anonymous, called by ${caller || 'anonymous'})`;
    const module = moduleOf(frame);
    const label = `${name}${file ? ` ${module} ${file}` : ''}`;
    functions.set(label, (functions.get(label) ?? 0) + 1);
    modules.set(module, (modules.get(module) ?? 0) + 1);
  });
  return {
    file: join(dir, largest),
    functions: tally(functions, total, top),
    modules: tally(modules, total, top),
  };
}

/** Prints a summary: self time by module, then the top functions. */
export function printProfile(title: string, summary: ProfileSummary): void {
  console.log(`\nCPU profile of ${title} (${summary.file}), self time by module:`);
  for (const spot of summary.modules.slice(0, 12))
    console.log(`  ${String(spot.selfPercent).padStart(5)}%  ${spot.name}`);
  console.log('  top functions:');
  for (const spot of summary.functions.slice(0, 15))
    console.log(`  ${String(spot.selfPercent).padStart(5)}%  ${spot.name}`);
}
