import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '..');
const CONTEXTS = ['erp', 'pos', 'commerce', 'hub', 'analytics'];
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

/** A module specifier as written; a template with substitutions keeps its literal parts, `*` for the rest. */
function specifierText(node: ts.Node | undefined): string | null {
  if (!node) return null;
  if (ts.isStringLiteralLike(node)) return node.text;
  if (ts.isTemplateExpression(node))
    return node.head.text + node.templateSpans.map((span) => `*${span.literal.text}`).join('');
  return '*';
}

/**
 * Every module a source imports, parsed by the TypeScript compiler (any quotes, `export … from`, `import type`,
 * dynamic `import()`, `require()`, `import x = require()`, `import('…').Type`), not by a regular expression.
 */
export function importsIn(text: string, fileName = 'source.ts'): string[] {
  const source = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);
  const found: string[] = [];
  const visit = (node: ts.Node) => {
    let specifier: string | null = null;
    if (ts.isImportDeclaration(node) || ts.isExportDeclaration(node))
      specifier = node.moduleSpecifier ? specifierText(node.moduleSpecifier) : null;
    else if (ts.isExternalModuleReference(node)) specifier = specifierText(node.expression);
    else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument))
      specifier = specifierText(node.argument.literal);
    else if (
      ts.isCallExpression(node) &&
      (node.expression.kind === ts.SyntaxKind.ImportKeyword ||
        (ts.isIdentifier(node.expression) && node.expression.text === 'require'))
    )
      specifier = specifierText(node.arguments[0]);
    if (specifier !== null) found.push(specifier);
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

const importsOf = (file: string) => importsIn(readFileSync(file, 'utf8'), file);

const SQL = /\b(SELECT|INSERT|UPDATE|DELETE|FROM|JOIN|CREATE|ALTER|DROP|TRUNCATE|MERGE|COPY)\b/i;

/** The text of every string and template in a source that reads as SQL (templates with `$` for substitutions). */
function sqlStringsIn(text: string): string[] {
  const source = ts.createSourceFile('source.ts', text, ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);
  const found: string[] = [];
  const visit = (node: ts.Node) => {
    let literal: string | null = null;
    if (ts.isStringLiteralLike(node)) literal = node.text;
    else if (ts.isTemplateExpression(node))
      literal = node.head.text + node.templateSpans.map((span) => ` $ ${span.literal.text}`).join('');
    if (literal !== null && SQL.test(literal)) found.push(literal);
    if (!ts.isTemplateExpression(node)) ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

/** SQL words after which a table name comes (FROM may list several, comma-separated). */
const TABLE_BEFORE = new Set(['from', 'join', 'into', 'update', 'table']);
const SKIPPED = new Set(['if', 'not', 'exists', 'only', 'lateral']);
/** Words that end a FROM list's item instead of being its alias. */
const CLAUSE = new Set(['where', 'join', 'inner', 'left', 'right', 'full', 'cross', 'on', 'group', 'order']);

/** Identifiers (quoted ones unquoted, `a.b` kept whole), commas and parentheses of a SQL text, in order. */
function sqlTokens(sql: string): string[] {
  const part = String.raw`(?:"(?:[^"]|"")+"|[A-Za-z_][\w$]*)`;
  const pattern = new RegExp(String.raw`${part}(?:\s*\.\s*${part})*|[,()]`, 'g');
  return [...sql.matchAll(pattern)].map(([token]) =>
    token.startsWith('"') || token.includes('.')
      ? token
          .split(/\s*\.\s*(?=(?:[^"]*"[^"]*")*[^"]*$)/)
          .map((piece) =>
            piece.startsWith('"') ? piece.slice(1, -1).replaceAll('""', '"') : piece.toLowerCase(),
          )
          .join('.')
      : token.toLowerCase(),
  );
}

/** The tables a SQL text reads or writes: after FROM, JOIN, INTO, UPDATE, TABLE, and each item of a FROM list. */
function tablesOfSql(sql: string): string[] {
  const tokens = sqlTokens(sql);
  const tables: string[] = [];
  for (let index = 0; index < tokens.length; index += 1) {
    if (!TABLE_BEFORE.has(tokens[index]!)) continue;
    const listing = tokens[index] === 'from';
    let at = index + 1;
    for (;;) {
      while (SKIPPED.has(tokens[at] ?? '')) at += 1;
      const table = tokens[at];
      if (!table || table === '(' || table === ',') break;
      tables.push(table.split('.').at(-1)!);
      if (!listing) break;
      at += 1;
      if (tokens[at] === 'as') at += 1;
      if (tokens[at] && !CLAUSE.has(tokens[at]!) && tokens[at] !== ',' && tokens[at] !== '(') at += 1;
      if (tokens[at] !== ',') break;
      at += 1;
    }
  }
  return tables;
}

/**
 * The tables of `candidates` a source's SQL reads or writes: bare, quoted (`"stock_balances"`),
 * schema-qualified (`erp.stock_balances`) or in a comma join (`FROM carts c, stock_balances b`), in strings
 * and templates found by the TypeScript parser.
 */
export function tablesNamedIn(text: string, candidates: readonly string[]): string[] {
  const named = new Set(sqlStringsIn(text).flatMap(tablesOfSql));
  return candidates.filter((table) => named.has(table));
}

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
    const candidates = foreign.map(({ table }) => table).filter((table) => !own.has(table));
    const offending = filesOf(context).flatMap((file) => {
      const named = new Set(tablesNamedIn(readFileSync(file, 'utf8'), candidates));
      return foreign
        .filter(({ table }) => named.has(table))
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

/** The checks this file used to make with regular expressions, kept to show what they missed. */
const oldImportsIn = (text: string) =>
  [...text.matchAll(/(?:from|import)\s*\(?\s*'([^']+)'/g)].map((match) => match[1]!);
const oldTouches = (text: string, table: string) =>
  new RegExp(`\\b(FROM|JOIN|INTO|UPDATE|TABLE)\\s+${table}\\b`, 'i').test(text);

describe('the architecture checks themselves', () => {
  it.each([
    { name: 'double quotes', source: 'import { createErp } from "@tillstream/erp";' },
    { name: 'a re-export', source: 'export { createErp } from "@tillstream/erp";' },
    { name: 'a template-literal dynamic import', source: 'const erp = await import(`@tillstream/erp`);' },
    { name: 'a computed dynamic import', source: 'const erp = await import(`@tillstream/${name}`);' },
    { name: 'require()', source: "const erp = require('@tillstream/erp');" },
    { name: 'import = require()', source: "import erp = require('@tillstream/erp');" },
    { name: 'an import type', source: 'let erp: import("@tillstream/erp").Erp;' },
  ])('sees an import written with $name, which the old regex missed', ({ source }) => {
    expect(oldImportsIn(source).filter((specifier) => specifier.startsWith('@tillstream/erp'))).toEqual([]);
    const [specifier] = importsIn(source);
    expect(specifier).toMatch(/^@tillstream\/(erp|\*)$/);
    expect(SHARED).not.toContain(specifier!.split('/')[1]);
  });

  it('ignores module names in strings and comments that import nothing', () => {
    expect(importsIn("// import from '@tillstream/erp'\nconst text = 'from @tillstream/erp';")).toEqual([]);
  });

  it.each([
    {
      name: 'a comma join',
      source: "db.query('SELECT * FROM carts c, stock_balances b WHERE c.sku = b.sku')",
    },
    { name: 'a quoted name', source: 'db.query(`SELECT on_hand FROM "stock_balances" WHERE sku = $1`)' },
    { name: 'a schema-qualified name', source: "db.query('UPDATE erp.stock_balances SET on_hand = 0')" },
    { name: 'a quoted qualified name', source: 'db.query(\'DELETE FROM "erp"."stock_balances"\')' },
    { name: 'a line break', source: 'db.query(`INSERT INTO\n  stock_balances (sku) VALUES ($1)`)' },
    {
      name: 'a comma join with AS aliases',
      source: "db.query('SELECT 1 FROM carts AS c, orders AS o, stock_balances AS b')",
    },
  ])('sees a table named in $name', ({ source }) => {
    expect(tablesNamedIn(source, ['stock_balances'])).toEqual(['stock_balances']);
  });

  it('the old regex missed the comma join and the quoted names', () => {
    expect(oldTouches('SELECT * FROM carts c, stock_balances b', 'stock_balances')).toBe(false);
    expect(oldTouches('SELECT on_hand FROM "stock_balances"', 'stock_balances')).toBe(false);
  });

  it('does not take a column, an alias or prose for a table', () => {
    const source = [
      "db.query('SELECT products, locations FROM carts WHERE events > 0')",
      "const help = 'Reads the stock_balances of ERP through its API';",
    ].join('\n');
    expect(tablesNamedIn(source, ['products', 'locations', 'events', 'stock_balances'])).toEqual([]);
  });
});
