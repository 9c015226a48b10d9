import { useEffect, useState } from 'preact/hooks';
import type { TerminalStatus } from '@tillstream/pos-client/browser';
import { CollectionsScreen } from './collections.js';
import { loadConfig, saveConfig, type TillConfig } from './config.js';
import { openSession, type Session } from './session.js';
import { Setup } from './setup.js';
import { Nav, type View } from './nav.js';
import { OpenShift, StatusBar } from './parts.js';
import { QuarantineScreen } from './quarantine.js';
import { GiftCards } from './gift-cards.js';
import { Returns } from './returns.js';
import { ShiftScreen } from './shift.js';
import { Till } from './till.js';

/** Why a screen asks for a shift first: what it takes is numbered on the shift's receipts. */
const SHIFT_NOTES: Partial<Record<View, string>> = {
  returns: 'Returns are taken in a shift: open one first.',
  'gift-cards': 'Gift cards are sold in a shift: open one first.',
};

/**
 * Setup once, then: open a shift, sell, take returns, sell gift cards, hand over collections, close the shift.
 * The status bar is always on screen.
 */
export function App() {
  const [config, setConfig] = useState<TillConfig | null>(loadConfig);
  const [session, setSession] = useState<Session | null>(null);
  const [status, setStatus] = useState<TerminalStatus | null>(null);
  const [browserOnline, setBrowserOnline] = useState(navigator.onLine);
  const [view, setView] = useState<View>('sell');
  const [newKey, setNewKey] = useState(false);

  useEffect(() => {
    if (!config) return;
    let unsubscribe = () => {};
    let opened: Session | null = null;
    let replaced = false;
    void openSession(config).then((session) => {
      // A new key came before this session opened: the newer one takes over.
      if (replaced) return void session.terminal.close();
      opened = session;
      setSession(session);
      unsubscribe = session.terminal.subscribe(setStatus);
    });
    return () => {
      replaced = true;
      unsubscribe();
      void opened?.terminal.close();
      setSession(null);
    };
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

  if (!config || newKey)
    return (
      <Setup
        {...(config ? { initial: config } : {})}
        onSave={(next) => {
          saveConfig(next);
          setNewKey(false);
          setConfig(next);
        }}
      />
    );
  const online = browserOnline && status?.online !== false;
  const screen = () => {
    if (!session || !status) return <main class="loading">Opening the till…</main>;
    const { terminal } = session;
    if (view === 'shift')
      return <ShiftScreen session={session} status={status} onOpenShift={() => setView('sell')} />;
    if (view === 'quarantine') return <QuarantineScreen session={session} status={status} />;
    // Handing over a paid order moves no cash: no shift needed.
    if (view === 'collections') return <CollectionsScreen session={session} online={online} />;
    if (!status.shift)
      return <OpenShift terminal={terminal} currency={config.currency} note={SHIFT_NOTES[view]} />;
    if (view === 'returns') return <Returns session={session} status={status} online={online} />;
    if (view === 'gift-cards') return <GiftCards terminal={terminal} status={status} online={online} />;
    return <Till terminal={terminal} status={status} onCloseShift={() => setView('shift')} />;
  };
  return (
    <div class="shell">
      <StatusBar config={config} status={status} online={online} onNewKey={() => setNewKey(true)} />
      <Nav view={view} onChange={setView} quarantined={status?.quarantined ?? 0} />
      {screen()}
    </div>
  );
}
