import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { format as prettierFormat, resolveConfig as prettierConfig } from 'prettier';
import { ROOT } from './common.js';
import { renderEventsMd } from './events-md.js';
import { renderErrorsMd } from './errors-md.js';
import { renderAsyncApi } from './asyncapi.js';
import { PUBLISHED_PATH, publishedSnapshot, schemaFiles } from './schemas.js';
import { exampleEnvelope, type DocsNotes } from './notes.js';

export interface GeneratedFile {
  /** Relative to the repository root. */
  path: string;
  content: string;
}

async function formatJson(root: string, path: string, value: unknown): Promise<string> {
  const options = (await prettierConfig(join(root, path))) ?? {};
  return prettierFormat(JSON.stringify(value), { ...options, filepath: join(root, path) });
}

/**
 * Every generated file: the catalogues, the AsyncAPI document, a JSON Schema per event type and version,
 * and the published-schema snapshot (which depends on the one on disk: it only ever grows).
 */
export async function generateDocs(notes: DocsNotes, root = ROOT): Promise<GeneratedFile[]> {
  const published = await readFile(join(root, PUBLISHED_PATH), 'utf8').then(
    (text) => JSON.parse(text) as Record<string, unknown>,
    () => ({}),
  );
  const json = [
    { path: 'docs/asyncapi.json', value: renderAsyncApi((contract) => exampleEnvelope(notes, contract)) },
    ...schemaFiles(),
    { path: PUBLISHED_PATH, value: publishedSnapshot(published) },
  ];
  return [
    { path: 'docs/events.md', content: renderEventsMd(notes) },
    { path: 'docs/errors.md', content: renderErrorsMd() },
    ...(await Promise.all(
      json.map(async (file) => ({ path: file.path, content: await formatJson(root, file.path, file.value) })),
    )),
  ];
}

/** The generated files whose copy under `root` is missing or differs. */
export async function staleDocs(notes: DocsNotes, root = ROOT): Promise<string[]> {
  const stale: string[] = [];
  for (const file of await generateDocs(notes, root)) {
    const current = await readFile(join(root, file.path), 'utf8').catch(() => null);
    if (current !== file.content) stale.push(file.path);
  }
  return stale;
}

export async function writeDocs(notes: DocsNotes, root = ROOT): Promise<string[]> {
  const files = await generateDocs(notes, root);
  for (const file of files) {
    await mkdir(dirname(join(root, file.path)), { recursive: true });
    await writeFile(join(root, file.path), file.content);
  }
  return files.map((file) => file.path);
}
