import type { ShiftReport } from './api.js';
import { money, signedMoney } from './money.js';
import { label } from './returns.parts.js';
import { overShortWord, reportChecks } from './z-report.logic.js';

const Line = (props: { name: string; value: string; testId?: string; strong?: boolean }) => (
  <div class={`zline${props.strong ? ' strong' : ''}`}>
    <span>{props.name}</span>
    <span data-testid={props.testId}>{props.value}</span>
  </div>
);

/** The Z-report as a till prints it: a narrow slip, every figure from the server, the checks at the foot. */
export function ZReportSlip(props: { shift: ShiftReport }) {
  const { shift } = props;
  const { report } = shift;
  const show = (amount: number | null) => (amount === null ? '—' : money(amount, shift.currency));
  const closed = shift.status === 'closed';
  return (
    <article
      class="zreport"
      data-testid="z-report"
      data-status={shift.status}
      aria-label={`${closed ? 'Z' : 'X'}-report of shift ${shift.seq}`}
    >
      <header>
        <strong>{closed ? 'Z-REPORT' : 'X-REPORT (shift still open)'}</strong>
        <div>
          Till {shift.terminalId} · store {shift.storeId}
        </div>
        <div>
          Shift {shift.seq}
          {shift.revision > 1 ? ` · revision ${shift.revision}` : ''}
        </div>
        <div>Opened {shift.openedAt ? new Date(shift.openedAt).toLocaleString() : '—'}</div>
        {closed ? <div>Closed {new Date(shift.closedAt!).toLocaleString()}</div> : null}
        <div>
          Receipts {report.receipts.first ?? '—'} … {report.receipts.last ?? '—'}
        </div>
      </header>
      <h3>Sales ({report.sales.count})</h3>
      <Line name="Gross" value={show(report.sales.gross)} testId="z-sales-gross" />
      <Line name="Discounts" value={`−${show(report.sales.discounts)}`} testId="z-sales-discounts" />
      <Line name="Net sales" value={show(report.sales.net)} testId="z-sales-net" />
      {report.sales.tax ? (
        <Line name="Tax added" value={show(report.sales.tax)} testId="z-sales-tax" />
      ) : null}
      <h3>Returns ({report.returns.count})</h3>
      <Line name="Refunded" value={`−${show(report.returns.total)}`} testId="z-returns-total" />
      {report.returns.uncollected ? (
        <Line
          name="Of which not refunded (a gift card of the sale came up short)"
          value={`+${show(report.returns.uncollected)}`}
          testId="z-returns-uncollected"
        />
      ) : null}
      {report.cashRounding ? (
        <>
          <h3>Cash rounding</h3>
          <Line
            name="On sales"
            value={signedMoney(report.cashRounding.sales, shift.currency)}
            testId="z-rounding-sales"
          />
          <Line
            name="On refunds"
            value={signedMoney(-report.cashRounding.returns, shift.currency)}
            testId="z-rounding-returns"
          />
          <Line
            name="Rounding, net"
            value={signedMoney(report.cashRounding.net, shift.currency)}
            testId="z-rounding-net"
          />
          {report.cashRounding.formerRule ? (
            <p class="small">
              {report.cashRounding.formerRule.count} rounded by the store’s earlier rule (a till that had not
              learned the change).
            </p>
          ) : null}
        </>
      ) : null}
      <Line name="NET" value={show(report.net)} testId="z-net" strong />
      {report.taxes ? (
        <>
          <h3>Tax by rate, less returns</h3>
          {report.taxes.rates.map((rate) => (
            <Line
              key={`${rate.ratePpm}-${rate.included}`}
              name={`${rate.ratePpm / 10_000} % ${rate.included ? 'incl.' : 'added'} on ${show(rate.net)}`}
              value={show(rate.tax)}
              testId={`z-tax-${rate.ratePpm}-${rate.included ? 'included' : 'added'}`}
            />
          ))}
          {report.taxes.unstated !== 0 ? (
            <Line name="No rate stated" value={show(report.taxes.unstated)} testId="z-tax-unstated" />
          ) : null}
        </>
      ) : null}
      <h3>Tenders</h3>
      <table>
        <thead>
          <tr>
            <th scope="col">Method</th>
            <th scope="col">Taken</th>
            <th scope="col">Refunded</th>
            <th scope="col">Net</th>
          </tr>
        </thead>
        <tbody>
          {report.tenders.map((tender) => (
            <tr key={tender.method} data-testid={`z-tender-${tender.method}`}>
              <th scope="row">{label(tender.method)}</th>
              <td>{show(tender.sales)}</td>
              <td>{show(tender.refunds)}</td>
              <td data-testid="z-tender-net">{show(tender.net)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {report.offlineCard && report.offlineCard.count > 0 ? (
        <>
          <Line
            name={`Cards taken offline (${report.offlineCard.count})`}
            value={show(report.offlineCard.amount)}
            testId="z-offline-card"
          />
          {report.offlineCard.late ? (
            <Line
              name={`… synced after 24 h, likely declined (${report.offlineCard.late.count})`}
              value={show(report.offlineCard.late.amount)}
              testId="z-offline-card-late"
            />
          ) : null}
        </>
      ) : null}
      <h3>Cash drawer</h3>
      <Line name="Opening float" value={show(report.cash.openingFloat)} testId="z-cash-float" />
      <Line name="+ Cash taken" value={show(report.cash.sales)} testId="z-cash-sales" />
      <Line name="− Cash refunded" value={show(report.cash.refunds)} testId="z-cash-refunds" />
      <Line name="Expected" value={show(report.cash.expected)} testId="z-cash-expected" strong />
      <Line name="Counted" value={show(report.cash.counted)} testId="z-cash-counted" />
      {report.cash.overShort !== null ? (
        <Line
          name={`Over/short (${overShortWord(report.cash.overShort)})`}
          value={show(report.cash.overShort)}
          testId="z-over-short"
          strong
        />
      ) : null}
      {report.lateTransactions > 0 ? (
        <p class="small">{report.lateTransactions} arrived after the close and are counted here.</p>
      ) : null}
      <footer>
        <ul class="checks" aria-label="Checks">
          {reportChecks(report).map((check) => (
            <li key={check.label} class={check.holds ? 'ok' : 'error'} data-testid="z-check">
              {check.holds ? '✓' : '✗'} {check.label}
            </li>
          ))}
        </ul>
      </footer>
    </article>
  );
}
