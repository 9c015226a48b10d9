import { Type } from 'typebox';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyPluginAsync } from 'fastify';
import { invalid, type Db } from '@tillstream/kernel';
import { ACCOUNT_LIST } from './accounts.js';
import { grossMargins } from './gross-margin.js';
import { trialBalance } from './trial-balance.js';
import type { JournalReports } from './journal-reports.store.js';
import type { JournalCursor, JournalStore, PeriodFilter } from './journal.store.js';
import { taxSummary } from './tax-summary.js';
import {
  AccountView,
  GrossMarginView,
  JournalPage,
  JournalQuery,
  PeriodQuery,
  TaxSummaryView,
  TrialBalanceView,
} from './finance.schemas.js';

/** Instants as the journal stores them (UTC), so a period given with an offset compares correctly. */
function inUtc<T extends PeriodFilter>(query: T): T {
  return {
    ...query,
    ...(query.from !== undefined ? { from: new Date(query.from).toISOString() } : {}),
    ...(query.to !== undefined ? { to: new Date(query.to).toISOString() } : {}),
  };
}

/** The period a report answers for, as asked (null where the query did not narrow it). */
const asked = (period: PeriodFilter) => ({
  locationId: period.locationId ?? null,
  channel: period.channel ?? null,
  from: period.from ?? null,
  to: period.to ?? null,
});

const MAX_XID = 2n ** 64n - 1n;

/** `<transaction id>.<entry number>`, as `next` gave it; numbers beyond their columns are refused, not cast. */
function parseCursor(after: string): JournalCursor {
  const [xid = '0', entryNo = '0'] = after.split('.');
  if (BigInt(xid) > MAX_XID || Number(entryNo) > Number.MAX_SAFE_INTEGER)
    throw invalid('invalid_cursor', `${after} is not a journal cursor`);
  return { xid: BigInt(xid).toString(), entryNo: Number(entryNo) };
}

export function financeRoutes(deps: {
  db: Db;
  journal: JournalStore;
  reports: JournalReports;
}): FastifyPluginAsync {
  const { db, journal, reports } = deps;
  return async (plugin) => {
    const app = plugin.withTypeProvider<TypeBoxTypeProvider>();
    const tags = ['erp', 'finance'];

    app.get(
      '/finance/accounts',
      {
        config: { scope: 'erp:read' },
        schema: {
          tags,
          summary: 'The chart of accounts the journal posts to',
          response: { 200: Type.Object({ accounts: Type.Array(AccountView) }) },
        },
      },
      async () => ({ accounts: ACCOUNT_LIST }),
    );

    app.get(
      '/finance/journal',
      {
        config: { scope: 'erp:read' },
        schema: {
          tags,
          summary: 'Journal entries in commit order, each with its debit and credit lines',
          description:
            'One entry per source document: a store sale or return, a gift card sold, an online order or ' +
            'refund, a shift whose counted cash was over or short. Page with `after` = the last `next`: ' +
            'entries come in an order no later commit can fall behind (with several ERP instances that is ' +
            'not exactly `entryNo` order), so a reader that keeps its cursor misses none. ' +
            'Filters narrow the page; `from`/`to` are the documents’ own times, which an offline till can ' +
            'post late, so an export of a closed period reads it again by time, not only by cursor.',
          querystring: JournalQuery,
          response: { 200: JournalPage },
        },
      },
      async (request) => {
        const after = parseCursor(request.query.after);
        const entries = await journal.list(db, { ...inUtc(request.query), after });
        const last = entries[entries.length - 1]?.cursor ?? after;
        return {
          entries: entries.map(({ cursor: _cursor, ...entry }) => entry),
          next: `${last.xid}.${last.entryNo}`,
        };
      },
    );

    app.get(
      '/finance/trial-balance',
      {
        config: { scope: 'erp:read' },
        schema: {
          tags,
          summary: 'Debits, credits and balance per account and currency, for a store and period',
          description:
            'Revenue (4000 less 4050 and 4100), the tax owed (2100), the tenders taken (1xxx), the gift ' +
            'card value outstanding (2200) and what online orders paid for goods not shipped yet (2400) over ' +
            'the documents that happened in the period. Debits equal credits in every currency: `balanced` ' +
            'says so.',
          querystring: PeriodQuery,
          response: { 200: TrialBalanceView },
        },
      },
      async (request) => {
        const period = inUtc(request.query);
        return { ...asked(period), currencies: trialBalance(await reports.totals(db, period)) };
      },
    );

    app.get(
      '/finance/tax-summary',
      {
        config: { scope: 'erp:read' },
        schema: {
          tags,
          summary: 'Revenue and tax per tax rate, for a store and period: what a tax return asks',
          description:
            'Per currency and rate, the goods sold (store sales, online orders) and given back (store ' +
            'returns, online refunds) without their tax, and the tax on them, as the journal booked them. ' +
            '`journal` has the same sums from the accounts and `reconciled` says they agree. Online documents ' +
            'have no location: a store’s summary leaves them out.',
          querystring: PeriodQuery,
          response: { 200: TaxSummaryView },
        },
      },
      async (request) => {
        const period = inUtc(request.query);
        const { bases, journal: accounts } = await reports.taxByRate(db, period);
        return { ...asked(period), currencies: taxSummary(bases, accounts) };
      },
    );

    app.get(
      '/finance/gross-margin',
      {
        config: { scope: 'erp:read' },
        schema: {
          tags,
          summary: 'Net sales, cost of goods sold and gross margin per channel, for a store and period',
          description:
            'From the journal: each channel’s revenue without tax (store sales and online orders less ' +
            'discounts, returns and refunds) and the average cost of the goods it sold, less what came back. ' +
            'A sale’s cost is booked when its stock moves (a store sale, an online order’s committed hold), ' +
            'under the channel and location of that movement: online revenue has no location, its cost the ' +
            'location that shipped. Shrinkage (5100) and price variance (5200) belong to no channel and are ' +
            'left out.',
          querystring: PeriodQuery,
          response: { 200: GrossMarginView },
        },
      },
      async (request) => {
        const period = inUtc(request.query);
        return { ...asked(period), currencies: grossMargins(await reports.salesAndCosts(db, period)) };
      },
    );
  };
}
