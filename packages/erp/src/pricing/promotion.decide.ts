import type { Promotion, PromotionBody } from '@tillstream/contracts';
import { checkWindow, validationFailed } from './definition.decide.js';

/** Amount effects and spend thresholds are money, so they need the currency they are in. */
function needsCurrency(body: PromotionBody): boolean {
  const effect = body.effect;
  return (
    body.minSubtotal !== undefined ||
    effect.type === 'amount_off_units' ||
    effect.type === 'amount_off_order' ||
    effect.type === 'bundle_price'
  );
}

function checkTimeZone(timeZone: string): void {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
  } catch {
    throw validationFailed('/schedule/timeZone', `is not a known time zone: ${timeZone}`);
  }
}

/** 24:00 ends a day, so only `to` may say it: a `from` of 24:00 would start at the next day's 00:00. */
function checkSlots(schedule: NonNullable<PromotionBody['schedule']>): void {
  schedule.slots.forEach((slot, index) => {
    if (slot.from === '24:00')
      throw validationFailed(
        `/schedule/slots/${index}/from`,
        'must be before 24:00 (only `to` may be 24:00)',
      );
  });
}

const namesNothing = (lines: { skus?: unknown; categories?: unknown } | undefined) =>
  lines !== undefined && lines.skus === undefined && lines.categories === undefined;

/**
 * A promotion as stored: coupon codes upper-cased (they compare case-insensitively), `enabled` filled in.
 * Refuses what the schema cannot: an empty window, an unknown zone, a slot starting at 24:00, a target or a get
 * target naming nothing (leave it out instead), money without a currency, a bundle that lists a SKU twice.
 */
export function normalizePromotion(id: string, body: PromotionBody): Omit<Promotion, 'version'> {
  checkWindow(body);
  if (body.schedule) {
    checkTimeZone(body.schedule.timeZone);
    checkSlots(body.schedule);
  }
  if (namesNothing(body.target))
    throw validationFailed('/target', 'must name skus or categories; leave it out to target every line');
  if (needsCurrency(body) && body.currency === undefined)
    throw validationFailed('/currency', 'is required for amounts and spend thresholds');
  const effect = body.effect;
  if (effect.type === 'buy_x_get_y' && namesNothing(effect.getTarget))
    throw validationFailed(
      '/effect/getTarget',
      'must name skus or categories; leave it out to give from the lines bought',
    );
  if (effect.type === 'bundle_price') {
    const skus = effect.items.map((item) => item.sku);
    if (new Set(skus).size !== skus.length) throw validationFailed('/effect/items', 'lists a SKU twice');
  }
  const couponCodes = body.couponCodes?.map((code) => code.toUpperCase());
  if (couponCodes && new Set(couponCodes).size !== couponCodes.length)
    throw validationFailed('/couponCodes', 'lists a code twice (codes ignore case)');
  return { ...body, id, enabled: body.enabled ?? true, ...(couponCodes ? { couponCodes } : {}) };
}
