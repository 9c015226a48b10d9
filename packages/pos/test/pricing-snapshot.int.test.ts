import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PricingSnapshot, PricingSnapshotDelta } from '@tillstream/contracts';
import { applySnapshotDelta, diffSnapshots } from '@tillstream/pricing';
import { unavailable } from '@tillstream/kernel';
import { harnessDialects, type ContextHarness } from '@tillstream/kernel/testing';
import type { ErpLookup } from '../src/index.js';
import { noErp, pgUrl, posApi, startPos } from './pos-rig.js';

/** Past POS's one second between reads from ERP, so the next terminal poll asks ERP again. */
const PAST_REUSE_MS = 1_001;

const snapshotOf = (version: number): PricingSnapshot => ({
  version,
  createdAt: '2026-11-01T08:00:00.000Z',
  products: [
    { sku: 'A', price: { amount: 100 * version, currency: 'EUR' }, taxCategory: 'std', categories: [] },
  ],
  priceLists: [],
  promotions: [],
  taxRates: [],
});

/**
 * ERP behind a load balancer, as POS's lookup sees it: each read is answered by the next scripted instance, so a
 * lagging one can send an older version (or none) after a newer one was served. `asked` is the version each read
 * was conditional on.
 */
function scriptedErp(answers: Array<PricingSnapshot | 'unchanged' | null>) {
  const asked: Array<number | undefined> = [];
  const erp: ErpLookup = {
    ...noErp,
    async pricingSnapshot(held) {
      asked.push(held?.version);
      return answers.shift() ?? 'unchanged';
    },
  };
  return { erp, asked };
}

describe.each(harnessDialects(pgUrl))('POS serves terminals the newest pricing snapshot on %s', (dialect) => {
  let pos: ContextHarness;
  const { erp, asked } = scriptedErp([snapshotOf(5), snapshotOf(3), null, 'unchanged', snapshotOf(6)]);
  const call = posApi(() => pos);
  const poll = async () => {
    pos.clock.advance(PAST_REUSE_MS);
    const answer = await call('GET', '/pricing/snapshot');
    expect(answer.status).toBe(200);
    return (answer.body as PricingSnapshot).version;
  };

  beforeAll(async () => {
    pos = await startPos(dialect, { erp });
  });
  afterAll(async () => pos?.close());

  it('keeps the newer version when a lagging ERP instance answers an older one or none, and moves on to a newer', async () => {
    expect(await poll()).toBe(5);
    // A lagging instance sends v3, another has none yet, a third answers 304 for v5: tills keep v5.
    expect(await poll()).toBe(5);
    expect(await poll()).toBe(5);
    expect(await poll()).toBe(5);
    expect(await poll()).toBe(6);
    // Every read after the first was conditional on the newest version held, never on the older one sent.
    expect(asked).toEqual([undefined, 5, 5, 5, 5]);
  });
});

describe.each(harnessDialects(pgUrl))('tills polling at once on %s', (dialect) => {
  let pos: ContextHarness;
  let calls = 0;
  let failNext = true;
  // The first read stays open until the test has sent every request: a fixed short delay let a loaded
  // machine finish it before the last request arrived, which then (rightly) asked ERP again.
  let openFirstRead!: () => void;
  const firstReadOpen = new Promise<void>((open) => (openFirstRead = open));
  const erp: ErpLookup = {
    ...noErp,
    async pricingSnapshot() {
      calls += 1;
      if (failNext) await firstReadOpen;
      else await new Promise((answered) => setTimeout(answered, 20));
      if (failNext) {
        failNext = false;
        // As the real port answers a silent ERP.
        throw unavailable('service_unavailable', 'ERP did not answer in time');
      }
      return snapshotOf(9);
    },
  };
  const call = posApi(() => pos);

  beforeAll(async () => {
    pos = await startPos(dialect, { erp });
  });
  afterAll(async () => pos?.close());

  it('share one read from ERP, and a failed read is asked again at the next poll', async () => {
    const asking = Promise.all([1, 2, 3].map(() => call('GET', '/pricing/snapshot')));
    await new Promise((waited) => setTimeout(waited, 250));
    openFirstRead();
    const failed = await asking;
    expect(failed.map((answer) => answer.status)).toEqual([503, 503, 503]);
    expect(calls).toBe(1);
    const polls = await Promise.all([1, 2, 3].map(() => call('GET', '/pricing/snapshot')));
    expect(polls.map((answer) => (answer.body as PricingSnapshot).version)).toEqual([9, 9, 9]);
    expect(calls).toBe(2);
  });
});

describe.each(harnessDialects(pgUrl))(
  'POS answers a till that already has its snapshot, or a newer one, with 304 on %s',
  (dialect) => {
    let pos: ContextHarness;
    const { erp } = scriptedErp([snapshotOf(5)]);
    /** A till's poll with its own If-None-Match (or none), as the terminal client sends it. */
    const poll = async (ifNoneMatch?: string) => {
      const response = await pos.app.inject({
        method: 'GET',
        url: '/pos/v1/pricing/snapshot',
        headers: {
          authorization: `Bearer ${pos.adminKey}`,
          ...(ifNoneMatch === undefined ? {} : { 'if-none-match': ifNoneMatch }),
        },
      });
      return {
        status: response.statusCode,
        etag: response.headers.etag,
        version: response.statusCode === 200 ? (response.json() as PricingSnapshot).version : null,
      };
    };

    beforeAll(async () => {
      pos = await startPos(dialect, { erp });
    });
    afterAll(async () => pos?.close());

    it.each([
      ['no If-None-Match', undefined, 200],
      ['an older version', '"4"', 200],
      ['an older version, weakened by a proxy', 'W/"4"', 200],
      ['the version POS holds', '"5"', 304],
      ['the version POS holds, weakened by a proxy', 'W/"5"', 304],
      ['a newer version another POS instance served', '"6"', 304],
      ['a list naming a newer version', '"3", "6"', 304],
      ['any representation', '*', 304],
      ['the catalog ETag, not a version', '"c1-5"', 200],
    ] as const)('a till sending %s (%s) gets %i', async (_label, ifNoneMatch, status) => {
      const answer = await poll(ifNoneMatch);
      expect(answer).toMatchObject({ status, etag: '"5"', version: status === 200 ? 5 : null });
    });

    it("answers the catalog's own ETag, weakened by a proxy or in a list, with 304, and another with the body", async () => {
      const read = (ifNoneMatch?: string) =>
        pos.app.inject({
          method: 'GET',
          url: '/pos/v1/catalog',
          headers: {
            authorization: `Bearer ${pos.adminKey}`,
            ...(ifNoneMatch === undefined ? {} : { 'if-none-match': ifNoneMatch }),
          },
        });
      const first = await read();
      expect(first.statusCode).toBe(200);
      const etag = first.headers.etag as string;
      expect(etag).toMatch(/^"c\d+-\d+"$/);
      expect((await read(etag)).statusCode).toBe(304);
      expect((await read(`W/${etag}`)).statusCode).toBe(304);
      expect((await read(`"5", ${etag}`)).statusCode).toBe(304);
      expect((await read('"c999-1"')).statusCode).toBe(200);
    });
  },
);

describe.each(harnessDialects(pgUrl))(
  'POS hands terminals what changed since their version on %s',
  (dialect) => {
    let pos: ContextHarness;
    const delta = diffSnapshots(snapshotOf(5), snapshotOf(6));
    const reads: Array<PricingSnapshotDelta | 'unchanged' | 'gone'> = [delta, 'unchanged', 'gone'];
    const asked: number[] = [];
    const erp: ErpLookup = {
      ...noErp,
      async pricingSnapshotDelta(since) {
        asked.push(since);
        return reads.shift() ?? 'unchanged';
      },
    };
    const call = posApi(() => pos);

    beforeAll(async () => {
      pos = await startPos(dialect, { erp });
    });
    afterAll(async () => pos?.close());

    it("passes ERP's delta on, asking ERP once a second per version held however many tills poll", async () => {
      const polls = await Promise.all([1, 2, 3].map(() => call('GET', '/pricing/snapshot/delta?since=5')));
      expect(polls.map((answer) => answer.status)).toEqual([200, 200, 200]);
      expect(applySnapshotDelta(snapshotOf(5), polls[0]!.body as PricingSnapshotDelta)).toEqual(
        snapshotOf(6),
      );
      expect(asked).toEqual([5]);

      pos.clock.advance(PAST_REUSE_MS);
      expect(await call('GET', '/pricing/snapshot/delta?since=5')).toMatchObject({ status: 204, body: null });
      const gone = await call('GET', '/pricing/snapshot/delta?since=4');
      expect(gone).toMatchObject({ status: 410, body: { code: 'snapshot_version_gone' } });
      expect(asked).toEqual([5, 5, 4]);
    });

    it.each(['0', '-1', 'abc', '1.5', '99999999999'])(
      'refuses since=%s with 400 and asks ERP nothing',
      async (since) => {
        const before = asked.length;
        const answer = await call('GET', `/pricing/snapshot/delta?since=${since}`);
        expect(answer).toMatchObject({ status: 400, body: { code: 'validation_failed' } });
        expect(asked.length).toBe(before);
      },
    );
  },
);
