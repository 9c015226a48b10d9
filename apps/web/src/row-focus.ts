import type { RefObject } from 'preact';
import { useLayoutEffect, useRef } from 'preact/hooks';

/** Where the keyboard was among a screen's table rows: which table (its test id) and which row of it. */
interface RowPlace {
  table: string;
  index: number;
}

const isLost = (active: Element | null) => active === null || active === document.body || !active.isConnected;

/**
 * Keeps the keyboard on a screen whose rows leave under it. A row acted on (handed over, put back) leaves its
 * table, and the browser drops the focus to the page: a clerk working by keyboard would have to tab from the
 * top again. Then the focus goes to the row that took its place (or the one before it, for the last row): its
 * first button that can be pressed, else the row itself. With no row left in that table, to `fallback`.
 * Tables are found by `data-testid` inside `area`; their rows need a `tabIndex` of -1 on their header cell.
 * Returns the handler for the area's `onFocusIn`.
 */
export function useRowFocusKept(
  area: RefObject<HTMLElement | null>,
  fallback: RefObject<HTMLElement | null>,
) {
  const place = useRef<RowPlace | null>(null);
  useLayoutEffect(() => {
    const last = place.current;
    if (last === null || !isLost(document.activeElement)) return;
    const rows = [...(area.current?.querySelectorAll(`[data-testid="${last.table}"] > tbody > tr`) ?? [])];
    const row = rows[Math.min(last.index, rows.length - 1)];
    const target =
      row?.querySelector<HTMLElement>('button:not([disabled])') ??
      row?.querySelector<HTMLElement>('th') ??
      fallback.current;
    if (!row) place.current = null;
    target?.focus();
  });
  return (event: FocusEvent) => {
    const row = (event.target as Element).closest('tr');
    const table = row?.closest('table')?.getAttribute('data-testid');
    place.current =
      row && table && row.parentElement?.tagName === 'TBODY'
        ? { table, index: [...row.parentElement.children].indexOf(row) }
        : null;
  };
}
