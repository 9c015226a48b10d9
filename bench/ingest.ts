import { postLoad, type LoadResult } from './load.js';
import { procMemory } from './memory.js';
import {
  apiOk,
  BENCH_STORE,
  randomLines,
  saleBody,
  topUpStock,
  waitDrained,
  type CatalogItem,
  type Deployment,
  type PipelineState,
} from './support.js';

export interface IngestResult {
  load: LoadResult;
  sent: number;
  /** Sales the client saw 201 for. */
  created: number;
  /** Sales of this run found in the hub's event index once the pipeline drained. */
  stored: number;
  /** 201 seen but no event stored: a lost sale. */
  missing: number;
  /** Stored, but the client never saw the answer: sent in the last moment, in flight when the run stopped. */
  storedWithoutAnswer: number;
  /** More than one pos.sale.completed for one sale id: a sale counted twice. */
  duplicates: number;
  drain: { drained: boolean; ms: number; state: PipelineState };
  /**
   * Sales taken in and fully applied downstream (ERP, storefront, hub) per second: stored over the run plus
   * its drain. Below the ingest rate when consumers are the bottleneck.
   */
  appliedPerSec: number;
  /** Peak resident set of each process (VmHWM) after the run and its drain, MB. */
  peakMb: Record<string, number>;
  /** The first answer that was not a 201, for the report. */
  firstFailure: string | null;
}

/** Pages the hub's event index for pos.sale.completed and counts events per sale id. */
async function storedSaleCounts(deployment: Deployment): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  let after = '0';
  for (;;) {
    const page = (await apiOk(
      deployment.urls.hub,
      deployment.adminKey,
      'GET',
      `/hub/v1/events?type=pos.sale.completed&limit=1000&after=${after}`,
    )) as { events: Array<{ data: { saleId: string } }>; next: string };
    for (const event of page.events) counts.set(event.data.saleId, (counts.get(event.data.saleId) ?? 0) + 1);
    if (page.events.length === 0 || page.next === after) return counts;
    after = page.next;
  }
}

/** Closed-loop sale ingest at `connections` concurrency, then an exact check of what was stored. */
export async function measureIngest(
  deployment: Deployment,
  catalog: readonly CatalogItem[],
  options: { connections: number; durationS: number; warmupS: number },
): Promise<IngestResult> {
  const load = {
    url: deployment.urls.pos,
    path: '/pos/v1/sales',
    connections: options.connections,
    okStatus: 201,
    headers: { authorization: `Bearer ${deployment.adminKey}` },
  };
  // Enough stock for any run: the sales come out of stock on hand, as a store's do (see topUpStock).
  await topUpStock(
    deployment,
    catalog.map((item) => item.sku),
    BENCH_STORE,
    1_000_000,
  );
  await waitDrained(deployment, 60_000);
  if (options.warmupS > 0) {
    await postLoad({
      ...load,
      durationS: options.warmupS,
      makeBody: () => saleBody(randomLines(catalog)).json,
    });
    await waitDrained(deployment, 60_000);
  }

  const sentIds = new Set<string>();
  const createdIds = new Set<string>();
  let firstFailure: string | null = null;
  const result = await postLoad({
    ...load,
    durationS: options.durationS,
    makeBody: () => {
      const sale = saleBody(randomLines(catalog));
      sentIds.add(sale.id);
      return sale.json;
    },
    onResponse: (status, body) => {
      if (status === 201) createdIds.add((JSON.parse(body) as { id: string }).id);
      else firstFailure ??= `${status} ${body.slice(0, 300)}`;
    },
  });

  const drain = await waitDrained(deployment, 120_000);
  const peakMb: Record<string, number> = {};
  for (const service of deployment.services) peakMb[service.name] = (await procMemory(service.pid)).hwmMb;

  const counts = await storedSaleCounts(deployment);
  let stored = 0;
  let duplicates = 0;
  let storedWithoutAnswer = 0;
  for (const id of sentIds) {
    const count = counts.get(id) ?? 0;
    if (count === 0) continue;
    stored += 1;
    if (count > 1) duplicates += 1;
    if (!createdIds.has(id)) storedWithoutAnswer += 1;
  }
  let missing = 0;
  for (const id of createdIds) if (!counts.has(id)) missing += 1;

  return {
    load: result,
    sent: sentIds.size,
    created: createdIds.size,
    stored,
    missing,
    storedWithoutAnswer,
    duplicates,
    drain,
    appliedPerSec: stored / (result.durationS + drain.ms / 1000),
    peakMb,
    firstFailure,
  };
}
