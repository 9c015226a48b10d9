import { mkdirSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

/** Makes `path` if it is missing; says whether it is there now, or its parent is missing. */
function makeOne(path: string): 'there' | 'no parent' {
  try {
    mkdirSync(path);
    return 'there';
  } catch (error) {
    const { code } = error as NodeJS.ErrnoException;
    if (code === 'EEXIST' && statSync(path).isDirectory()) return 'there';
    if (code === 'ENOENT') return 'no parent';
    throw error;
  }
}

/**
 * `mkdir -p`, which fails where Node's own recursive mkdir loops for ever: a file system that answers ENOENT
 * for a directory it will never make (under /proc or /sys) sends Node back to the parent, which exists, and
 * round again. Here a second ENOENT, once the parents are there, is the answer. A directory made meanwhile by
 * another process is fine; a file in the way is EEXIST.
 */
export function makeDirectory(path: string): void {
  const absolute = resolve(path);
  if (makeOne(absolute) === 'there') return;
  const parent = dirname(absolute);
  if (parent !== absolute) makeDirectory(parent);
  if (makeOne(absolute) === 'no parent') mkdirSync(absolute);
}
