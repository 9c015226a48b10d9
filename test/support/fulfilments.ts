import { eventually, type TestPlatform } from './platform.js';
import { ok } from './pricing.js';

/** A fulfilment as ERP's `GET /erp/v1/fulfillments` lists it. */
export type Fulfilment = Record<string, any> & { id: string };

/**
 * The order's fulfilments once ERP has allocated `count` of them (the placement reaches ERP through
 * commerce's events, so not at once).
 */
export async function fulfilmentsOf(
  platform: TestPlatform,
  orderId: string,
  count = 1,
): Promise<[Fulfilment, ...Fulfilment[]]> {
  return eventually(
    async () => {
      const { status, body } = await platform.request('GET', `/erp/v1/fulfillments?orderId=${orderId}`);
      return status === 200 && body.fulfillments?.length === count
        ? (body.fulfillments as [Fulfilment, ...Fulfilment[]])
        : null;
    },
    30_000,
    `ERP allocates order ${orderId} in ${count} fulfilment(s)`,
  );
}

/** Ships the order's one fulfilment once ERP allocated it; answers it as it was allocated. */
export async function shipOnlyFulfilment(platform: TestPlatform, orderId: string): Promise<Fulfilment> {
  const [fulfilment] = await fulfilmentsOf(platform, orderId);
  ok(await platform.request('POST', `/erp/v1/fulfillments/${fulfilment.id}/ship`), 'ship');
  return fulfilment;
}
