/** Which terminal this browser is: set once at setup. The sales themselves live in IndexedDB, not here. */
export interface TillConfig {
  terminalId: string;
  storeId: string;
  apiKey: string;
  currency: string;
}

const KEY = 'tillstream.terminal';

export function loadConfig(): TillConfig | null {
  const raw = localStorage.getItem(KEY);
  return raw ? (JSON.parse(raw) as TillConfig) : null;
}

export function saveConfig(config: TillConfig): void {
  localStorage.setItem(KEY, JSON.stringify(config));
}
