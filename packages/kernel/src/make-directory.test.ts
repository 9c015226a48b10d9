import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { makeDirectory } from './make-directory.js';

describe('makeDirectory', () => {
  const root = mkdtempSync(join(tmpdir(), 'tillstream-mkdir-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('makes every missing directory of the path, and leaves one that is there', () => {
    const deep = join(root, 'a', 'b', 'c');
    makeDirectory(deep);
    expect(statSync(deep).isDirectory()).toBe(true);
    makeDirectory(deep);
    makeDirectory(join(root, 'a'));
    expect(statSync(deep).isDirectory()).toBe(true);
  });

  it('refuses a path through or onto a file', () => {
    const file = join(root, 'file');
    writeFileSync(file, '');
    expect(() => makeDirectory(file)).toThrow(expect.objectContaining({ code: 'EEXIST' }));
    expect(() => makeDirectory(join(file, 'below'))).toThrow(expect.objectContaining({ code: 'ENOTDIR' }));
  });

  // Node's own mkdir(…, { recursive: true }) never returns here.
  it.runIf(process.platform === 'linux')(
    'fails at once where the file system will not make it (/proc)',
    () => {
      expect(() => makeDirectory('/proc/tillstream-test/data')).toThrow(
        expect.objectContaining({ code: 'ENOENT', path: '/proc/tillstream-test' }),
      );
    },
  );
});
