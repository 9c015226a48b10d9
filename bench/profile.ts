import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { ROOT } from './processes.js';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
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

/** `node_modules/fastify/lib/x.js` → `fastify`, `packages/pos/src/...` → `@tillstream/pos`, natives by name. */
function moduleOf(url: string): string {
  if (!url) return '(native/V8)';
  const dependency = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (dependency) return dependency[1]!;
  const own = /\/(packages|apps)\/([^/]+)\//.exec(url);
  if (own) return own[1] === 'packages' ? `@tillstream/${own[2]}` : `apps/${own[2]}`;
  if (url.startsWith('node:')) return 'node core';
  return url.replace(`file://${ROOT}/`, '');
}

function tally(counts: Map<string, number>, total: number, top: number): HotSpot[] {
  return [...counts.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([name, count]) => ({ name, selfPercent: Number(((100 * count) / total).toFixed(1)) }));
}

/**
 * Self time by function and by module from the largest `.cpuprofile` in `dir` (the main thread's; the
 * loader's worker thread writes a small one beside it). Idle samples are left out.
 */
export async function summarizeProfile(dir: string, top = 15): Promise<ProfileSummary | null> {
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
  for (const id of profile.samples) {
    const frame = byId.get(id)?.callFrame;
    if (!frame || frame.functionName === '(idle)') continue;
    total += 1;
    // tsx runs transpiled code, so line numbers mean little: the file and, for an anonymous function (a
    // callback), the function that called it say where the time went.
    const file = frame.url.split('/').pop() ?? '';
    const caller = parentOf.get(id)?.callFrame.functionName;
    const name = frame.functionName || `(anonymous, called by ${caller || 'anonymous'})`;
    const label = `${name}${file ? ` ${moduleOf(frame.url)} ${file}` : ''}`;
    functions.set(label, (functions.get(label) ?? 0) + 1);
    const module = moduleOf(frame.url);
    modules.set(module, (modules.get(module) ?? 0) + 1);
  }
  return {
    file: join(dir, largest),
    functions: tally(functions, total, top),
    modules: tally(modules, total, top),
  };
}
