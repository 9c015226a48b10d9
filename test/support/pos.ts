import { v7 as uuidv7 } from 'uuid';
import type { TestPlatform } from './platform.js';
import { uniqueName } from '@tillstream/kernel/testing';

/** Registers a terminal at a store through the admin API and returns its own key. */
export async function registerTerminal(platform: TestPlatform, storeId: string) {
  const terminalId = uniqueName('till');
  const response = await platform.request('POST', '/pos/v1/terminals', {
    terminalId,
    storeId,
    name: terminalId,
  });
  if (response.status !== 201)
    throw new Error(`register terminal: ${response.status} ${JSON.stringify(response.body)}`);
  return { terminalId, apiKey: response.body.apiKey.secret as string };
}

/** Where the POS API answers: the only process (embedded) or the POS service (scale-out). */
export const posUrl = (platform: TestPlatform) => platform.processes.get('pos')![0]!.baseUrl;

/** Every sale the server has recorded for a terminal. */
export async function serverSales(platform: TestPlatform, terminalId: string): Promise<any[]> {
  const response = await platform.request('GET', `/pos/v1/sales?terminalId=${terminalId}&limit=1000`);
  if (response.status !== 200) throw new Error(`sales: ${response.status} ${JSON.stringify(response.body)}`);
  return response.body.sales;
}

/** A gift card sold (or topped up) at a till and paid by card, as POST /pos/v1/stored-value/issues takes it. */
export function issueGiftCard(
  platform: TestPlatform,
  card: {
    storeId: string;
    terminalId: string;
    number: string;
    amount: number;
    id?: string;
    shiftId?: string;
    expiresAt?: string;
  },
) {
  const { id = uuidv7(), amount, ...rest } = card;
  return platform.request('POST', '/pos/v1/stored-value/issues', {
    ...rest,
    id,
    kind: 'gift_card',
    amount,
    currency: 'EUR',
    occurredAt: new Date().toISOString(),
    payments: [{ method: 'card', amount }],
  });
}
