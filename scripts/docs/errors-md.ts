import { ERROR_CATALOG, type ErrorEntry } from '@tillstream/contracts';
import { KIND_STATUS } from '@tillstream/kernel';
import { cell, GENERATED, json } from './common.js';

/** The documented HTTP status of a code: an explicit `status` on the entry wins, else its kind's. */
export function statusOf(entry: ErrorEntry): number {
  const explicit = (entry as { status?: unknown }).status;
  if (typeof explicit === 'number') return explicit;
  return entry.kind === 'internal' ? 500 : KIND_STATUS[entry.kind];
}

const PROBLEM_EXAMPLE = {
  errors: [
    { in: 'body', path: '/', message: 'must NOT have additional properties', property: 'colour' },
    { in: 'body', path: '/price/amount', message: 'must be integer' },
  ],
  type: 'urn:tillstream:problem:validation_failed',
  title: ERROR_CATALOG.validation_failed.title,
  status: statusOf(ERROR_CATALOG.validation_failed),
  detail: '2 problem(s) in the request',
  code: 'validation_failed',
  traceId: 'f44b6edade27694b22905c3d6872c503',
  instance: '/erp/v1/products/UMB-002',
};

/** docs/errors.md: the error catalogue, the problem document and the kind-to-status table. */
export function renderErrorsMd(): string {
  const entries = Object.entries(ERROR_CATALOG) as Array<[string, ErrorEntry]>;
  const kinds = [...Object.entries(KIND_STATUS), ['internal', 500] as const]
    .map(([kind, status]) => `| \`${kind}\` | ${status} |`)
    .join('\n');
  const rows = entries.map(
    ([code, entry]) =>
      `| \`${code}\` | ${statusOf(entry)} | \`${entry.kind}\` | ${cell(entry.title)} | ${cell(entry.description)} |`,
  );
  return [
    GENERATED(
      'ERROR_CATALOG in packages/contracts/src/errors.ts and KIND_STATUS in packages/kernel/src/errors.ts',
    ),
    '',
    '# Error catalogue',
    '',
    'Every error an API answers is an RFC 9457 problem document (`Content-Type: application/problem+json`)',
    'with a stable, snake_case `code`. Branch on `code`, never on `title` or `detail`: titles are for people',
    'and may be reworded; codes are never renamed or reused. A test fails when the source throws a code',
    'that is not listed here.',
    '',
    '## The problem document',
    '',
    '| member | meaning |',
    '| --- | --- |',
    '| `type` | `urn:tillstream:problem:<code>` |',
    '| `title` | Short, human summary of the code (the title below). |',
    '| `status` | The HTTP status, repeated. |',
    '| `detail` | What went wrong in this request, for people. |',
    '| `code` | The stable code: one of the table below. |',
    '| `traceId` | The request’s trace id, also sent as the `x-trace-id` header; from an incoming W3C `traceparent` when there is one. Quote it when reporting a problem. |',
    '| `instance` | The request path. |',
    '| others | Machine-readable details of some codes: `errors` (validation_failed), `requiredScope` (insufficient_scope), `skus` (unknown_sku), `total` and `paid` (payment_mismatch), `addresses` (webhook_url_not_allowed), `patterns` (unknown_event_type), `maxEvents` (replay_too_large), `retainedSince` (replay_beyond_retention), `oldestCursor` (cursor_expired). |',
    '',
    'Example (`PUT /erp/v1/products/UMB-002` with a float price and an unknown member):',
    '',
    '```json',
    json(PROBLEM_EXAMPLE),
    '```',
    '',
    'A 401 also carries `WWW-Authenticate: Bearer`. An unexpected error is a 500 `internal_error` whose',
    'cause is logged with the trace id and never sent to the client.',
    '',
    '## Kinds and HTTP statuses',
    '',
    'Domain code throws an error of a kind; one table maps kinds to statuses, so handlers never choose one.',
    '',
    '| kind | HTTP status |',
    '| --- | --- |',
    kinds,
    '',
    '## Codes',
    '',
    '| code | status | kind | title | description |',
    '| --- | --- | --- | --- | --- |',
    ...rows,
    '',
  ].join('\n');
}
