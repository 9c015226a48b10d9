/**
 * Creating API keys belongs to the platform (the key store lives in its own database), so POS gets this port
 * from the composition root: a terminal's key carries `pos:read` and `pos:write`, bound to that terminal and
 * store, so it can ring up sales only as itself and can never change prices or stock.
 */
export interface TerminalKeys {
  issue(terminal: {
    terminalId: string;
    storeId: string;
    name: string;
  }): Promise<{ keyId: string; secret: string }>;
  revoke(keyId: string): Promise<void>;
}
