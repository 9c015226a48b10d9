import { useState } from 'preact/hooks';
import type { TillConfig } from './config.js';

/**
 * First start on a device: which terminal it is, at which store, with the key POST /pos/v1/terminals issued.
 * With `initial`, the same terminal is given its new key (the server refused the old one): its queue is kept.
 */
export function Setup(props: { onSave: (config: TillConfig) => void; initial?: TillConfig }) {
  const { initial } = props;
  const [terminalId, setTerminalId] = useState(initial?.terminalId ?? '');
  const [storeId, setStoreId] = useState(initial?.storeId ?? '');
  const [apiKey, setApiKey] = useState('');
  const [currency, setCurrency] = useState(initial?.currency ?? 'EUR');
  const ready = terminalId && storeId && apiKey && /^[A-Z]{3}$/.test(currency);
  return (
    <main class="setup">
      <form
        class="card"
        onSubmit={(event) => {
          event.preventDefault();
          if (ready)
            props.onSave({
              terminalId: terminalId.trim(),
              storeId: storeId.trim(),
              apiKey: apiKey.trim(),
              currency,
            });
        }}
      >
        <h1>{initial ? 'Give this till its new key' : 'Set up this till'}</h1>
        <p class="hint">
          Register the terminal first (POST /pos/v1/terminals, or ask your admin) and enter what it gave you.
        </p>
        <label>
          Terminal id
          <input
            data-testid="setup-terminal"
            value={terminalId}
            onInput={(e) => setTerminalId(e.currentTarget.value)}
          />
        </label>
        <label>
          Store id
          <input
            data-testid="setup-store"
            value={storeId}
            onInput={(e) => setStoreId(e.currentTarget.value)}
          />
        </label>
        <label>
          Terminal API key
          <input
            data-testid="setup-key"
            type="password"
            value={apiKey}
            onInput={(e) => setApiKey(e.currentTarget.value)}
          />
        </label>
        <label>
          Currency
          <input
            value={currency}
            maxLength={3}
            onInput={(e) => setCurrency(e.currentTarget.value.toUpperCase())}
          />
        </label>
        <button data-testid="setup-save" class="primary" disabled={!ready}>
          Start selling
        </button>
      </form>
    </main>
  );
}
