import { eventually, type TestPlatform } from './platform.js';

/** A journal entry as `GET /erp/v1/finance/journal` lists it. */
export interface JournalEntryView {
  entryNo: number;
  kind: string;
  sourceId: string;
  locationId: string | null;
  lines: Array<{ account: string; debit: number; credit: number }>;
}

/** An entry's lines as `{ account: signed amount }`, debits positive. */
export const signed = (entry: Pick<JournalEntryView, 'lines'>) =>
  Object.fromEntries(entry.lines.map((line) => [line.account, line.debit - line.credit]));

/** The first entry of a source document, once ERP's finance consumer has posted it. */
export async function journalEntryOf(platform: TestPlatform, sourceId: string): Promise<JournalEntryView> {
  let found: JournalEntryView | undefined;
  await eventually(
    async () => {
      const { body } = await platform.request(
        'GET',
        `/erp/v1/finance/journal?sourceId=${encodeURIComponent(sourceId)}`,
      );
      found = body.entries?.[0];
      return found !== undefined;
    },
    20_000,
    () =>
      `the journal has an entry for ${sourceId}; ERP wrote:\n${platform.processes.get('erp')![0]!.output()}`,
  );
  return found!;
}
