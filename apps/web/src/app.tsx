import { useEffect, useState } from 'preact/hooks';
import type { Terminal, TerminalStatus } from '@tillstream/pos-client/browser';
import { loadConfig, saveConfig, type TillConfig } from './config.js';
import { openSession } from './session.js';
import { Setup } from './setup.js';
import { OpenShift, StatusBar } from './parts.js';
import { Till } from './till.js';

/** Setup once, then: open a shift, sell, close the shift. The status bar is always on screen. */
export function App() {
  const [config, setConfig] = useState<TillConfig | null>(loadConfig);
  const [terminal, setTerminal] = useState<Terminal | null>(null);
  const [status, setStatus] = useState<TerminalStatus | null>(null);
  const [browserOnline, setBrowserOnline] = useState(navigator.onLine);

  useEffect(() => {
    if (!config) return;
    let unsubscribe = () => {};
    void openSession(config).then((opened) => {
      setTerminal(opened);
      unsubscribe = opened.subscribe(setStatus);
    });
    return () => unsubscribe();
  }, [config]);

  useEffect(() => {
    const update = () => setBrowserOnline(navigator.onLine);
    window.addEventListener('online', update);
    window.addEventListener('offline', update);
    return () => {
      window.removeEventListener('online', update);
      window.removeEventListener('offline', update);
    };
  }, []);

  if (!config)
    return (
      <Setup
        onSave={(next) => {
          saveConfig(next);
          setConfig(next);
        }}
      />
    );
  const online = browserOnline && status?.online !== false;
  return (
    <div class="shell">
      <StatusBar config={config} status={status} online={online} />
      {!terminal || !status ? (
        <main class="loading">Opening the till…</main>
      ) : status.shift ? (
        <Till terminal={terminal} status={status} />
      ) : (
        <OpenShift terminal={terminal} currency={config.currency} />
      )}
    </div>
  );
}
