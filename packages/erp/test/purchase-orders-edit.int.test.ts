import { beforeAll, describe, expect, it } from 'vitest';
import { harnessDialects, uniqueName } from '@tillstream/kernel/testing';
import { pgUrl, purchaseOrderRig } from './purchase-orders.rig.js';

type Line = { sku: string; quantity: number; unitCost: number };

describe.each(harnessDialects(pgUrl))(
  'ERP purchase order drafts are edited on a real %s database',
  (dialect) => {
    const {
      erp: erpOf,
      call,
      ok,
      product,
      stockAt,
      order,
      receipt,
      eventsOf,
      expectLedgerTrue,
    } = purchaseOrderRig(dialect);

    /** The body of an edit: what a create of the order says, without its id. */
    const contentOf = ({ id: _id, ...content }: ReturnType<typeof order>) => content;

    it('replaces a draft, once per content, and a create retried afterwards is judged by the new content', async () => {
      const [a, b] = [await product(), await product()];
      const created = order([{ sku: a, quantity: 10, unitCost: 450 }]);
      await ok('POST', '/purchase-orders', created);
      const edit = {
        supplier: { id: 'globex' },
        locationId: 'S1',
        currency: 'EUR',
        lines: [
          { sku: b, quantity: 3, unitCost: 200 },
          { sku: a, quantity: 1, unitCost: 400 },
        ],
      };

      const edited = await call('PUT', `/purchase-orders/${created.id}`, edit);
      expect(edited).toMatchObject({
        status: 200,
        body: {
          id: created.id,
          status: 'draft',
          version: 1,
          supplier: { id: 'globex' },
          locationId: 'S1',
          expectedAt: null,
          currency: 'EUR',
          total: 1000,
          lines: [
            { sku: b, quantity: 3, unitCost: 200, received: 0 },
            { sku: a, quantity: 1, unitCost: 400, received: 0 },
          ],
          receipts: [],
        },
      });
      expect(edited.body.supplier).toEqual({ id: 'globex' });
      expect(await ok('GET', `/purchase-orders/${created.id}`)).toEqual(edited.body);
      // The same content again, at once or later, is no change.
      const again = await Promise.all(
        [1, 2, 3].map(() => call('PUT', `/purchase-orders/${created.id}`, edit)),
      );
      for (const response of again) expect(response).toEqual({ status: 200, body: edited.body });

      expect(await call('POST', '/purchase-orders', { ...edit, id: created.id })).toEqual({
        status: 200,
        body: edited.body,
      });
      expect(await call('POST', '/purchase-orders', created)).toMatchObject({
        status: 409,
        body: { code: 'id_conflict' },
      });

      // Back to what it was created as: the original create is a faithful retry again.
      const back = await ok('PUT', `/purchase-orders/${created.id}`, contentOf(created));
      expect(back).toMatchObject({ version: 2, locationId: 'W1', expectedAt: '2026-11-08T09:00:00.000Z' });
      expect((await call('POST', '/purchase-orders', created)).status).toBe(200);
      expect(await eventsOf(created.id)).toEqual([]);
    });

    it('submits the content an edit left, under the version after the edits', async () => {
      const [a, b] = [await product(), await product()];
      const created = order([{ sku: a, quantity: 10, unitCost: 450 }]);
      await ok('POST', '/purchase-orders', created);
      await ok('PUT', `/purchase-orders/${created.id}`, {
        ...contentOf(created),
        lines: [{ sku: b, quantity: 7, unitCost: 100 }],
      });
      const submitted = await ok('POST', `/purchase-orders/${created.id}/submit`);
      expect(submitted).toMatchObject({ status: 'ordered', version: 2 });
      expect(await stockAt(a, 'W1')).toBeUndefined();
      expect(await stockAt(b, 'W1')).toMatchObject({ onHand: 0, onOrder: 7 });
      const events = await eventsOf(created.id);
      expect(events.map((event) => [event.type, event.sequence])).toEqual([
        ['erp.purchase_order.submitted', 2],
      ]);
      // The event's lines are the contract's: the view's invoiced count is not part of them.
      expect(events[0]!.data).toMatchObject({
        version: 2,
        lines: [{ sku: b, quantity: 7, unitCost: 100, received: 0 }],
        total: 700,
      });
    });

    it('refuses to edit an order that is no longer a draft, even to the content it has', async () => {
      const sku = await product();
      const submitted = order([{ sku, quantity: 5, unitCost: 100 }]);
      await ok('POST', '/purchase-orders', submitted);
      await ok('POST', `/purchase-orders/${submitted.id}/submit`);
      const received = order([{ sku, quantity: 5, unitCost: 100 }]);
      await ok('POST', '/purchase-orders', received);
      await ok('POST', `/purchase-orders/${received.id}/submit`);
      await ok('POST', `/purchase-orders/${received.id}/receipts`, receipt([{ sku, quantity: 2 }]));
      const cancelled = order([{ sku, quantity: 5, unitCost: 100 }]);
      await ok('POST', '/purchase-orders', cancelled);
      await ok('POST', `/purchase-orders/${cancelled.id}/cancel`);

      for (const body of [submitted, received, cancelled]) {
        const before = await ok('GET', `/purchase-orders/${body.id}`);
        for (const content of [contentOf(body), { ...contentOf(body), expectedAt: '2026-12-24T09:00:00Z' }])
          expect(await call('PUT', `/purchase-orders/${body.id}`, content)).toMatchObject({
            status: 409,
            body: { code: 'purchase_order_state' },
          });
        expect(await ok('GET', `/purchase-orders/${body.id}`)).toEqual(before);
      }
      expect(await call('PUT', '/purchase-orders/NO-SUCH-PO', contentOf(submitted))).toMatchObject({
        status: 404,
        body: { code: 'purchase_order_not_found' },
      });
      await expectLedgerTrue();
    });

    it('lets either an edit or a submit racing it win; a submit after the edit sends the edited lines', async () => {
      const [a, b] = [await product(), await product()];
      const drafts = Array.from({ length: 8 }, () => order([{ sku: a, quantity: 4, unitCost: 100 }]));
      for (const draft of drafts) await ok('POST', '/purchase-orders', draft);
      const edit = (draft: ReturnType<typeof order>) => ({
        ...contentOf(draft),
        lines: [{ sku: b, quantity: 6, unitCost: 100 }],
      });
      const races = await Promise.all(
        drafts.map((draft) =>
          Promise.all([
            call('PUT', `/purchase-orders/${draft.id}`, edit(draft)),
            call('POST', `/purchase-orders/${draft.id}/submit`),
          ]),
        ),
      );
      let editsFirst = 0;
      for (const [index, [edited, submitted]] of races.entries()) {
        expect(submitted.status).toBe(200);
        const now = await ok('GET', `/purchase-orders/${drafts[index]!.id}`);
        if (edited.status === 200) {
          editsFirst += 1;
          expect(now).toMatchObject({ status: 'ordered', version: 2, lines: [{ sku: b, quantity: 6 }] });
        } else {
          expect(edited).toMatchObject({ status: 409, body: { code: 'purchase_order_state' } });
          expect(now).toMatchObject({ status: 'ordered', version: 1, lines: [{ sku: a, quantity: 4 }] });
        }
      }
      expect((await stockAt(a, 'W1'))?.onOrder ?? 0).toBe(4 * (drafts.length - editsFirst));
      expect((await stockAt(b, 'W1'))?.onOrder ?? 0).toBe(6 * editsFirst);
    });

    it('lets only a key with erp:write edit', async () => {
      const sku = await product();
      const draft = order([{ sku, quantity: 1, unitCost: 1 }]);
      await ok('POST', '/purchase-orders', draft);
      const reader = (await erpOf().apiKeys.create({ name: uniqueName('reader'), scopes: ['erp:read'] }))
        .secret;
      const response = await erpOf().app.inject({
        method: 'PUT',
        url: `/erp/v1/purchase-orders/${draft.id}`,
        headers: { authorization: `Bearer ${reader}` },
        payload: { ...contentOf(draft), currency: 'USD' },
      });
      expect(response.statusCode).toBe(403);
      expect(response.json()).toMatchObject({ code: 'insufficient_scope' });
      expect(await ok('GET', `/purchase-orders/${draft.id}`)).toMatchObject({ currency: 'EUR', version: 0 });
    });

    describe('refuses a bad edit with its code, never a 500, and leaves the draft as it was', () => {
      let sku: string;
      let kit: string;
      beforeAll(async () => {
        sku = await product();
        kit = uniqueName('PO-KIT');
        await ok('PUT', `/products/${kit}`, {
          name: kit,
          price: { amount: 1, currency: 'EUR' },
          kind: 'kit',
          components: [{ sku, quantity: 2 }],
        });
      });
      const line = (change: object = {}): Line => ({ sku, quantity: 2, unitCost: 100, ...change });

      it.each([
        ['an unknown SKU', () => ({ lines: [line({ sku: 'NO-SUCH-SKU' })] }), 422, 'unknown_sku'],
        ['an unknown location', () => ({ locationId: 'NOWHERE' }), 422, 'unknown_location'],
        ['a kit', () => ({ lines: [line({ sku: kit })] }), 422, 'kit_has_no_stock'],
        ['a SKU twice', () => ({ lines: [line(), line()] }), 400, 'duplicate_line'],
        [
          'an order worth too much',
          () => ({ lines: [line({ quantity: 2, unitCost: 1e12 })] }),
          400,
          'purchase_order_value_too_large',
        ],
        ['a zero quantity', () => ({ lines: [line({ quantity: 0 })] }), 400, 'validation_failed'],
        ['a quantity as a string', () => ({ lines: [line({ quantity: '2' })] }), 400, 'validation_failed'],
        ['a fractional cost', () => ({ lines: [line({ unitCost: 4.5 })] }), 400, 'validation_failed'],
        ['no lines', () => ({ lines: [] }), 400, 'validation_failed'],
        ['a lower-case currency', () => ({ currency: 'eur' }), 400, 'validation_failed'],
        [
          'a currency its products are not priced in',
          () => ({ currency: 'USD' }),
          422,
          'purchase_order_currency_mismatch',
        ],
        ['no supplier', () => ({ supplier: undefined }), 400, 'validation_failed'],
        ['an id (the path names the order)', () => ({ id: 'other' }), 400, 'validation_failed'],
        ['an unknown field', () => ({ discount: 5 }), 400, 'validation_failed'],
        ['a bad expected date', () => ({ expectedAt: 'next tuesday' }), 400, 'validation_failed'],
      ])('an edit with %s', async (_name, change, status, code) => {
        const draft = order([line({ quantity: 1 })]);
        const before = await ok('POST', '/purchase-orders', draft);
        const response = await call('PUT', `/purchase-orders/${draft.id}`, {
          ...contentOf(draft),
          ...change(),
        });
        expect(response).toMatchObject({ status, body: { code } });
        expect(await ok('GET', `/purchase-orders/${draft.id}`)).toEqual(before);
        expect((await call('POST', '/purchase-orders', draft)).status).toBe(200);
      });

      it('answers a bad body or id before looking for the order', async () => {
        expect((await call('PUT', '/purchase-orders/NO-SUCH-PO', { lines: [] })).body.code).toBe(
          'validation_failed',
        );
        expect((await call('PUT', '/purchase-orders/bad%20id', contentOf(order([line()])))).body.code).toBe(
          'validation_failed',
        );
      });
    });
  },
);
