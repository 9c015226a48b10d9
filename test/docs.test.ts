import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ERROR_CATALOG, type ErrorEntry } from '@tillstream/contracts';
import { KIND_STATUS, type ErrorKind } from '@tillstream/kernel';
import { GENERATE_COMMAND, ROOT, staleDocs, statusOf } from '../scripts/gen-docs.js';
import { ConfigSchema, envName } from '../apps/server/src/config.js';

/** One place in the source that answers with an error code, and the HTTP status it answers with there. */
interface CodeUse {
  where: string;
  code: string;
  status: number;
}

/** The DomainError helpers (`invalid`, `notFound`, ...) and their kinds, read from the kernel so new ones count. */
const HELPER_KINDS = new Map(
  [
    ...readFileSync(join(ROOT, 'packages/kernel/src/errors.ts'), 'utf8').matchAll(
      /export const (\w+) = \([^)]*\)\s*=>\s*new DomainError\(\s*'(\w+)'/g,
    ),
  ].map((match) => [match[1]!, match[2] as ErrorKind]),
);

/** The ways the source names a code: the DomainError helpers, problem(request, status, code) and status maps. */
const PATTERNS: Array<{ pattern: RegExp; status: (match: RegExpMatchArray) => number }> = [
  {
    pattern: new RegExp(String.raw`\b(${[...HELPER_KINDS.keys()].join('|')})\(\s*'([a-z][a-z0-9_]*)'`, 'g'),
    status: (match) => KIND_STATUS[HELPER_KINDS.get(match[1]!)!],
  },
  {
    pattern: /\bnew DomainError\(\s*'([a-z_]+)'\s*,\s*'([a-z][a-z0-9_]*)'/g,
    status: (match) => KIND_STATUS[match[1] as ErrorKind],
  },
  {
    pattern: /\bproblem\(\s*request\s*,\s*(\d{3})\s*,\s*'([a-z][a-z0-9_]*)'/g,
    status: (match) => Number(match[1]),
  },
  { pattern: /\bstatus:\s*(\d{3})\s*,\s*code:\s*'([a-z][a-z0-9_]*)'/g, status: (match) => Number(match[1]) },
];

function sourceFiles(): string[] {
  const files: string[] = [];
  for (const group of ['packages', 'apps']) {
    for (const unit of readdirSync(join(ROOT, group))) {
      const src = join(ROOT, group, unit, 'src');
      let entries: string[];
      try {
        entries = readdirSync(src, { recursive: true, encoding: 'utf8' });
      } catch {
        continue;
      }
      for (const entry of entries) {
        if (entry.endsWith('.ts') && !entry.endsWith('.test.ts')) files.push(join(src, entry));
      }
    }
  }
  return files;
}

function codeUses(): CodeUse[] {
  const uses: CodeUse[] = [];
  for (const file of sourceFiles()) {
    const text = readFileSync(file, 'utf8');
    for (const { pattern, status } of PATTERNS) {
      for (const match of text.matchAll(pattern)) {
        const line = text.slice(0, match.index).split('\n').length;
        uses.push({ where: `${relative(ROOT, file)}:${line}`, code: match[2]!, status: status(match) });
      }
    }
  }
  return uses;
}

const catalog = ERROR_CATALOG as Record<string, ErrorEntry>;

describe('generated docs', () => {
  it('docs/events.md, docs/errors.md and docs/asyncapi.json match what the generator makes', async () => {
    const stale = await staleDocs();
    expect(stale, `stale docs; regenerate with: ${GENERATE_COMMAND}`).toEqual([]);
  });
});

describe('error catalogue', () => {
  const uses = codeUses();

  it('finds the codes the source answers with', () => {
    // Guards the patterns: if the helpers are renamed, this fails instead of the checks passing on nothing.
    expect([...HELPER_KINDS.keys()]).toEqual(expect.arrayContaining(['invalid', 'notFound', 'conflict']));
    expect(uses.length).toBeGreaterThan(20);
    expect(uses.map((use) => use.code)).toContain('id_conflict');
  });

  it('lists every code the source answers with', () => {
    const missing = uses.filter((use) => !(use.code in catalog)).map((use) => `${use.code} (${use.where})`);
    expect(missing, 'add these codes to ERROR_CATALOG in packages/contracts/src/errors.ts').toEqual([]);
  });

  it('documents the HTTP status each code is answered with', () => {
    const wrong = uses
      .filter((use) => use.code in catalog && statusOf(catalog[use.code]!) !== use.status)
      .map(
        (use) =>
          `${use.code}: answered ${use.status}, documented ${statusOf(catalog[use.code]!)} (${use.where})`,
      );
    expect(wrong, 'the kind in ERROR_CATALOG and the thrown kind or status must agree').toEqual([]);
  });
});

describe('configuration reference', () => {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');

  it("has a row in the README's table for every setting, under its environment variable", () => {
    const missing = Object.keys(ConfigSchema.properties).filter(
      (key) => !readme.includes(`| \`${key}\` | \`${envName(key)}\` |`),
    );
    expect(missing).toEqual([]);
  });
});
