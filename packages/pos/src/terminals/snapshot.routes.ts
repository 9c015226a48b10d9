import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyPluginAsync } from 'fastify';
import { PricingSnapshot, PricingSnapshotDelta, PricingSnapshotDeltaQuery } from '@tillstream/contracts';
import { gone, unavailable, type Clock } from '@tillstream/kernel';
import { Type } from 'typebox';
import type { ErpLookup } from '../directory/directory.js';
import { tillHasSnapshot } from './if-none-match.js';
import { keptSnapshot } from './snapshot.decide.js';

/** Deltas kept, one per version terminals hold: a chain's tills are on one of the last few versions. */
const DELTA_CACHE_SIZE = 16;

/**
 * What a terminal downloads to price offline: ERP's pricing snapshot, whole or what changed since a version.
 * Terminals poll every few seconds each; one read from ERP per `reuseMs` (a second by default) serves them all.
 */
export function snapshotRoutes(deps: { erp: ErpLookup; clock: Clock; reuseMs: number }): FastifyPluginAsync {
  const { erp, clock, reuseMs } = deps;
  /** The newest snapshot POS was given, the base of its next delta read. */
  let held: PricingSnapshot | null = null;
  let reading: { at: number; snapshot: Promise<PricingSnapshot | null> } | null = null;
  const deltas = new Map<number, { at: number; read: ReturnType<ErpLookup['pricingSnapshotDelta']> }>();
  return async (plugin) => {
    const app = plugin.withTypeProvider<TypeBoxTypeProvider>();

    app.get(
      '/pricing/snapshot',
      {
        config: { scope: 'pos:read' },
        schema: {
          tags: ['pos'],
          summary:
            "ERP's current pricing snapshot, for terminals that price offline (ETag is the version; 304 to an " +
            'If-None-Match naming this version or a newer one)',
          response: { 200: PricingSnapshot, 304: Type.Null() },
        },
      },
      async (request, reply) => {
        const now = clock.now().getTime();
        if (!reading || now - reading.at > reuseMs) {
          // ERP sends only what changed since the version held, and never an older one is kept. Tills polling
          // while ERP answers share this one read; a failed one is not kept, so the next poll asks again.
          const asking = {
            at: now,
            snapshot: erp.pricingSnapshot(held).then((read) => (held = keptSnapshot(held, read))),
          };
          asking.snapshot.catch(() => {
            if (reading === asking) reading = null;
          });
          reading = asking;
        }
        const snapshot = await reading.snapshot;
        if (!snapshot) throw unavailable('pricing_snapshot_unavailable', 'ERP served no pricing snapshot');
        const etag = `"${snapshot.version}"`;
        reply.header('etag', etag).header('cache-control', 'private, no-cache');
        // A till that another POS instance already gave a newer version keeps it: 304, not this older body.
        if (tillHasSnapshot(request.headers['if-none-match'], snapshot.version)) {
          return reply.code(304).send(null);
        }
        return snapshot;
      },
    );

    app.get(
      '/pricing/snapshot/delta',
      {
        config: { scope: 'pos:read' },
        schema: {
          tags: ['pos'],
          summary: "What changed in ERP's pricing snapshot since the version a terminal holds",
          description:
            'Applied to version `since` (`applySnapshotDelta` in @tillstream/pricing) the delta gives the current ' +
            'version: a price change costs a till its own bytes, not the whole catalog. 204 when nothing newer ' +
            'than `since` exists; 410 `snapshot_version_gone` when ERP no longer keeps `since`: fetch ' +
            'GET /pos/v1/pricing/snapshot instead.',
          querystring: PricingSnapshotDeltaQuery,
          response: { 200: PricingSnapshotDelta, 204: Type.Null() },
        },
      },
      async (request, reply) => {
        const { since } = request.query;
        const now = clock.now().getTime();
        let entry = deltas.get(since);
        if (entry === undefined || now - entry.at > reuseMs) {
          // The promise is shared: tills polling at once while ERP answers make one request between them.
          const asking = { at: now, read: erp.pricingSnapshotDelta(since) };
          asking.read.catch(() => deltas.get(since) === asking && deltas.delete(since));
          deltas.delete(since);
          if (deltas.size >= DELTA_CACHE_SIZE) deltas.delete(deltas.keys().next().value!);
          deltas.set(since, asking);
          entry = asking;
        }
        const read = await entry.read;
        reply.header('cache-control', 'private, no-cache');
        if (read === 'unchanged') return reply.code(204).send(null);
        if (read === 'gone') {
          throw gone(
            'snapshot_version_gone',
            `Pricing snapshot ${since} is no longer kept; fetch the whole one`,
          );
        }
        return read;
      },
    );
  };
}
