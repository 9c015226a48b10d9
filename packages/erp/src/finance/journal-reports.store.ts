import { asNumber } from '@tillstream/kernel';
import { ACCOUNTS, type AccountCode } from './accounts.js';
import type { ChannelSalesAndCosts } from './gross-margin.js';
import type { TaxBase } from './journal.decide.js';
import {
  periodConditions,
  taxBaseOf,
  type BaseRow,
  type PeriodFilter,
  type Reader,
} from './journal.store.js';

/** Revenue without tax and the tax on it, in minor units. */
export interface Figures {
  net: number;
  tax: number;
}

/** Goods and tax at one rate in one currency over a period: of sales, or of returns (negative). */
export interface TaxBaseTotals extends TaxBase {
  currency: string;
  returns: boolean;
}

/**
 * The journal's period reports, read from its lines: debits and credits per account (the trial balance), revenue
 * and tax per rate (the tax summary), net sales and cost of sales per channel (the gross margin).
 */
export function createJournalReports() {
  return {
    /**
     * The goods and their tax per currency and rate over a period, sales (store sales, online orders) and
     * returns (store returns, online refunds) apart, as the entries' bases booked them; and per currency the
     * revenue and tax the accounts hold over the same entries. One statement, so both are one snapshot.
     * The revenue includes what online orders paid into customer deposits (2400): their goods, delivery and
     * tax are reported when paid, the tax point, and recognising them as revenue when they ship moves amounts
     * from 2400 to 4000 and 4050, and the delivery's to 4070, which leaves the sum as it was.
     */
    async taxByRate(
      reader: Reader,
      filter: PeriodFilter,
    ): Promise<{ bases: TaxBaseTotals[]; journal: Array<{ currency: string } & Figures> }> {
      const { where, params } = periodConditions(filter, 7);
      const rows = await reader.query<BaseRow & { currency: string; source: string; returns: unknown }>(
        `WITH entries AS (
           SELECT e.entry_no, e.currency,
             CASE WHEN e.kind IN ('return', 'online_refund') THEN 1 ELSE 0 END AS returns
           FROM journal_entries e ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''})
         SELECT p.currency, 'base' AS source, b.rate_ppm, p.returns, SUM(b.net) AS net, SUM(b.tax) AS tax
         FROM entries p JOIN journal_tax_bases b ON b.entry_no = p.entry_no
         GROUP BY p.currency, b.rate_ppm, p.returns
         UNION ALL
         SELECT p.currency, 'journal' AS source, NULL AS rate_ppm, 0 AS returns,
           SUM(CASE WHEN l.account IN ($1, $2, $3, $5, $6) THEN l.credit - l.debit ELSE 0 END) AS net,
           SUM(CASE WHEN l.account = $4 THEN l.credit - l.debit ELSE 0 END) AS tax
         FROM entries p JOIN journal_lines l ON l.entry_no = p.entry_no
         GROUP BY p.currency`,
        [
          ACCOUNTS.sales.code,
          ACCOUNTS.discounts.code,
          ACCOUNTS.returns.code,
          ACCOUNTS.salesTax.code,
          ACCOUNTS.customerDeposits.code,
          ACCOUNTS.shippingIncome.code,
          ...params,
        ],
      );
      return {
        bases: rows
          .filter((row) => row.source === 'base')
          .map((row) => ({
            currency: row.currency,
            returns: asNumber(row.returns) === 1,
            ...taxBaseOf(row),
          })),
        journal: rows
          .filter((row) => row.source === 'journal')
          .map((row) => ({ currency: row.currency, net: asNumber(row.net), tax: asNumber(row.tax) })),
      };
    },

    /**
     * Net sales (4000, 4050, 4100: credits less debits) and cost of sales (5000: debits less credits) per
     * currency and channel over a period, from the lines themselves.
     */
    async salesAndCosts(reader: Reader, filter: PeriodFilter): Promise<ChannelSalesAndCosts[]> {
      const { where, params } = periodConditions(filter, 5);
      const rows = await reader.query<{
        currency: string;
        channel: string;
        net_sales: unknown;
        cost_of_sales: unknown;
      }>(
        `SELECT e.currency, e.channel,
           SUM(CASE WHEN l.account = $4 THEN 0 ELSE l.credit - l.debit END) AS net_sales,
           SUM(CASE WHEN l.account = $4 THEN l.debit - l.credit ELSE 0 END) AS cost_of_sales
         FROM journal_entries e JOIN journal_lines l ON l.entry_no = e.entry_no
         WHERE l.account IN ($1, $2, $3, $4) ${where.map((condition) => `AND ${condition}`).join(' ')}
         GROUP BY e.currency, e.channel`,
        [
          ACCOUNTS.sales.code,
          ACCOUNTS.discounts.code,
          ACCOUNTS.returns.code,
          ACCOUNTS.costOfSales.code,
          ...params,
        ],
      );
      return rows.map((row) => ({
        currency: row.currency,
        channel: row.channel,
        netSales: asNumber(row.net_sales),
        costOfSales: asNumber(row.cost_of_sales),
      }));
    },

    /**
     * Debits and credits per currency and account over a period, from the lines themselves; of one account
     * only when `account` is given (a report reconciling one account aggregates no other).
     */
    async totals(
      reader: Reader,
      filter: PeriodFilter,
      account?: AccountCode,
    ): Promise<{ currency: string; account: AccountCode; debit: number; credit: number }[]> {
      const { where, params } = periodConditions(filter, 1);
      if (account !== undefined) where.push(`l.account = $${params.push(account)}`);
      const rows = await reader.query<{
        currency: string;
        account: AccountCode;
        debit: unknown;
        credit: unknown;
      }>(
        `SELECT e.currency, l.account, SUM(l.debit) AS debit, SUM(l.credit) AS credit
         FROM journal_entries e JOIN journal_lines l ON l.entry_no = e.entry_no
         ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''}
         GROUP BY e.currency, l.account ORDER BY e.currency, l.account`,
        params,
      );
      return rows.map((row) => ({
        currency: row.currency,
        account: row.account,
        debit: asNumber(row.debit),
        credit: asNumber(row.credit),
      }));
    },
  };
}

export type JournalReports = ReturnType<typeof createJournalReports>;
