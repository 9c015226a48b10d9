export type View = 'sell' | 'returns' | 'gift-cards' | 'collections' | 'shift' | 'quarantine';

const VIEWS: Array<{ view: View; label: string; key: string }> = [
  { view: 'sell', label: 'Sell', key: 's' },
  { view: 'returns', label: 'Returns', key: 'r' },
  { view: 'gift-cards', label: 'Gift cards', key: 'g' },
  { view: 'collections', label: 'Collections', key: 'c' },
  { view: 'shift', label: 'Shift & Z-report', key: 'z' },
  { view: 'quarantine', label: 'Quarantine', key: 'q' },
];

/**
 * The till's screens; each has an access key (Alt+S, Alt+R, Alt+G, Alt+C, Alt+Z, Alt+Q in Chromium) for the
 * keyboard.
 */
export function Nav(props: { view: View; onChange: (view: View) => void; quarantined: number }) {
  return (
    <nav class="nav" aria-label="Till screens">
      {VIEWS.map(({ view, label, key }) => (
        <button
          key={view}
          data-testid={`nav-${view}`}
          aria-current={props.view === view ? 'page' : undefined}
          accessKey={key}
          aria-keyshortcuts={`Alt+${key.toUpperCase()}`}
          title={`${label} (Alt+${key.toUpperCase()})`}
          onClick={() => props.onChange(view)}
        >
          {label}
          {view === 'quarantine' && props.quarantined > 0 ? (
            <span class="badge" aria-label={`${props.quarantined} refused`}>
              {props.quarantined}
            </span>
          ) : null}
        </button>
      ))}
    </nav>
  );
}
