import { type Clock, type Db, type Tx } from '@tillstream/kernel';
import type { Issue } from './stored-value.decide.js';

type Reader = Pick<Tx, 'query' | 'dialect'> | Pick<Db, 'query' | 'dialect'>;

/** Value sold or given onto cards, stored whole by id with the request's hash so a retry replays the result. */
export function createIssueStore(deps: { clock: Clock }) {
  return {
    async findIssue(reader: Reader, id: string): Promise<{ issue: Issue; requestHash: string } | null> {
      const [row] = await reader.query<{ result: string; request_hash: string }>(
        'SELECT result, request_hash FROM stored_value_issues WHERE id = $1',
        [id],
      );
      return row ? { issue: JSON.parse(row.result) as Issue, requestHash: row.request_hash } : null;
    },
    async insertIssue(tx: Tx, issue: Issue, requestHash: string): Promise<boolean> {
      const inserted = await tx.execute(
        `INSERT INTO stored_value_issues (id, number, store_id, terminal_id, shift_id, request_hash, result, received_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT DO NOTHING`,
        [
          issue.id,
          issue.number,
          issue.storeId,
          issue.terminalId,
          issue.shiftId ?? null,
          requestHash,
          JSON.stringify(issue),
          deps.clock.now().toISOString(),
        ],
      );
      return inserted === 1;
    },
  };
}
