import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '..');
const CONTEXTS = ['erp', 'pos', 'commerce', 'hub'];
/** Packages a context may import: the shared kernel, the published language and pure shared engines. */
const SHARED = ['kernel', 'contracts', 'pricing'];
/** Every context database carries these kernel tables; they are not any one context's. */
const KERNEL_TABLES = new Set([
  'outbox',
  'inbox',
  'consumer_checkpoints',
  'dead_letters',
  'idempotency_keys',
  'schema_migrations',
  'outbox_relay',
]);

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return path.endsWith('.ts') ? [path] : [];
  });
}

const filesOf = (pkg: string) => sourceFiles(join(ROOT, 'packages', pkg, 'src'));
const importsOf = (file: string) =>
  [...readFileSync(file, 'utf8').matchAll(/(?:from|import)\s*\(?\s*'([^']+)'/g)].map((match) => match[1]!);

function tablesOwnedBy(context: string): string[] {
  const sql = filesOf(context)
    .filter((file) => file.includes('migrations'))
    .map((file) => readFileSync(file, 'utf8'))
    .join('\n');
  const tables = [...sql.matchAll(/CREATE TABLE (?:IF NOT EXISTS )?(\w+)/gi)].map((match) =>
    match[1]!.toLowerCase(),
  );
  // A table may be created once per dialect.
  return [...new Set(tables)].filter((table) => !KERNEL_TABLES.has(table));
}

describe('architecture', () => {
  it.each(CONTEXTS)('%s imports no other context, only shared packages', (context) => {
    const offending = filesOf(context).flatMap((file) =>
      importsOf(file)
        .filter((specifier) => {
          if (specifier.startsWith('@tillstream/')) return !SHARED.includes(specifier.split('/')[1]!);
          if (specifier.startsWith('.'))
            return !resolve(file, '..', specifier).startsWith(join(ROOT, 'packages', context, 'src'));
          return false;
        })
        .map((specifier) => `${relative(ROOT, file)} imports ${specifier}`),
    );
    expect(offending).toEqual([]);
  });

  it.each(CONTEXTS)('%s reads and writes no table another context owns', (context) => {
    const foreign = CONTEXTS.filter((other) => other !== context).flatMap((other) =>
      tablesOwnedBy(other).map((table) => ({ other, table })),
    );
    const own = new Set(tablesOwnedBy(context));
    const offending = filesOf(context).flatMap((file) => {
      const text = readFileSync(file, 'utf8');
      return foreign
        .filter(
          ({ table }) =>
            !own.has(table) && new RegExp(`\\b(FROM|JOIN|INTO|UPDATE|TABLE)\\s+${table}\\b`, 'i').test(text),
        )
        .map(({ other, table }) => `${relative(ROOT, file)} touches ${other}'s table ${table}`);
    });
    expect(offending).toEqual([]);
  });

  it('table names are unique across contexts, so the check above cannot be fooled by a shared name', () => {
    const all = CONTEXTS.flatMap((context) => tablesOwnedBy(context));
    expect(all.length).toBeGreaterThan(5);
    expect(new Set(all).size).toBe(all.length);
  });

  it('the kernel and the contracts import no context', () => {
    const offending = [...filesOf('kernel'), ...filesOf('contracts')].flatMap((file) =>
      importsOf(file)
        .filter((specifier) => CONTEXTS.some((context) => specifier === `@tillstream/${context}`))
        .map((specifier) => `${relative(ROOT, file)} imports ${specifier}`),
    );
    expect(offending).toEqual([]);
  });

  it('no module below the composition root reads process.env', () => {
    const offending = ['kernel', 'contracts', ...CONTEXTS]
      .flatMap(filesOf)
      .filter((file) => /process\.env/.test(readFileSync(file, 'utf8')));
    expect(offending.map((file) => relative(ROOT, file))).toEqual([]);
  });
});
