import type { EventContract } from './envelope.js';
import { SaleCompletedV1 } from './events/pos.events.js';
import { ReturnCompletedV1 } from './events/pos-returns.events.js';
import { ShiftClosedV1 } from './events/pos-shifts.events.js';
import {
  CollectionHandedOverV1,
  CollectionPreparedV1,
  CollectionPutBackV1,
} from './events/pos-collections.events.js';
import {
  StoredValueExceptionRaisedV1,
  StoredValueExpiredV1,
  StoredValueIssuedV1,
  StoredValueRedeemedV1,
  StoredValueRedemptionCancelledV1,
} from './events/pos-stored-value.events.js';
import {
  ChannelUpdatedV1,
  LocationUpsertedV1,
  ProductUpsertedV1,
  StockChangedV1,
  StockExceptionRaisedV1,
} from './events/erp.events.js';
import {
  SalesTaxBookedV1,
  SupplierBillRecordedV1,
  SupplierPaymentRecordedV1,
} from './events/finance.events.js';
import {
  BackorderAllocatedV1,
  ReservationCommittedV1,
  ReservationExpiredV1,
  ReservationHeldV1,
  ReservationReleasedV1,
  TransferReceivedV1,
  TransferRescheduledV1,
  TransferShippedV1,
} from './events/inventory.events.js';
import {
  PurchaseOrderCancelledV1,
  PurchaseOrderInvoicedV1,
  PurchaseOrderReceivedV1,
  PurchaseOrderSubmittedV1,
} from './events/purchasing.events.js';
import {
  PriceListChangedV1,
  PriceMismatchDetectedV1,
  ProductPricingChangedV1,
  PromotionChangedV1,
  PromotionChangedV2,
  PromotionUsageChangedV1,
  ShippingMethodChangedV1,
  TaxRateChangedV1,
} from './events/pricing.events.js';
import { WebhookDisabledV1 } from './events/hub.events.js';
import { OrderPlacedV1, OrderRefundedV1, ReturnReceivedV1 } from './events/commerce.events.js';
import {
  FulfillmentBackorderedV1,
  FulfillmentCancelledV1,
  FulfillmentCreatedV1,
  FulfillmentDeliveredV1,
  FulfillmentReadyForPickupV1,
  FulfillmentShippedV1,
} from './events/fulfillment.events.js';

/** Every published event type and version: the source of docs/events.md and of schema checks in tests. */
export const EVENT_CATALOG: readonly EventContract[] = [
  SaleCompletedV1,
  StockChangedV1,
  ProductUpsertedV1,
  LocationUpsertedV1,
  StockExceptionRaisedV1,
  ChannelUpdatedV1,
  PriceListChangedV1,
  PromotionChangedV1,
  PromotionChangedV2,
  TaxRateChangedV1,
  ShippingMethodChangedV1,
  ProductPricingChangedV1,
  PromotionUsageChangedV1,
  PriceMismatchDetectedV1,
  SalesTaxBookedV1,
  ReservationHeldV1,
  ReservationCommittedV1,
  ReservationReleasedV1,
  ReservationExpiredV1,
  BackorderAllocatedV1,
  TransferShippedV1,
  TransferRescheduledV1,
  TransferReceivedV1,
  PurchaseOrderSubmittedV1,
  PurchaseOrderReceivedV1,
  PurchaseOrderCancelledV1,
  PurchaseOrderInvoicedV1,
  SupplierPaymentRecordedV1,
  SupplierBillRecordedV1,
  ReturnCompletedV1,
  ShiftClosedV1,
  CollectionPreparedV1,
  CollectionHandedOverV1,
  CollectionPutBackV1,
  StoredValueIssuedV1,
  StoredValueRedeemedV1,
  StoredValueRedemptionCancelledV1,
  StoredValueExceptionRaisedV1,
  StoredValueExpiredV1,
  WebhookDisabledV1,
  OrderPlacedV1,
  FulfillmentCreatedV1,
  FulfillmentReadyForPickupV1,
  FulfillmentShippedV1,
  FulfillmentDeliveredV1,
  FulfillmentCancelledV1,
  FulfillmentBackorderedV1,
  OrderRefundedV1,
  ReturnReceivedV1,
];

export function findEventContract(type: string, version = 1): EventContract | undefined {
  return EVENT_CATALOG.find((contract) => contract.type === type && contract.version === version);
}
