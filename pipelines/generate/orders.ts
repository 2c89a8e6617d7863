import type { Calendar } from './calendar.ts';
import { PRODUCT_CATEGORIES, type CustomerType, type OrderStatus, type ProductCategory } from './catalog.ts';
import type { Customer } from './customers.ts';
import { MODEL } from './params.ts';
import { sampleIndex, type Rng } from './rng.ts';

export interface Order {
  readonly day: number;
  readonly category: ProductCategory;
  readonly quantity: number;
  /** Amount paid after discount, in fen (CNY cents) so that sums stay exact. */
  readonly amountCents: number;
  readonly discountCents: number;
  readonly status: OrderStatus;
}

/**
 * Typical unit price per category (软件订阅, 硬件设备, 实施服务, 培训, 耗材, 增值服务), used only to turn an order's
 * value into a believable quantity (seats, devices, person-days, trainees, boxes, add-ons).
 */
const UNIT_PRICE: Readonly<Record<CustomerType, readonly number[]>> = {
  B2B: [2_400, 12_000, 2_500, 1_800, 300, 5_000],
  B2C: [300, 1_500, 400, 500, 60, 200],
};
const MAX_ORDER_CNY = 5_000_000;

/**
 * The purchase process (BG/NBD): while alive, purchases arrive as a Poisson process with the customer's
 * rate, modulated by seasonality (thinning against the calendar's peak); after each purchase the customer
 * drops out with probability p. A dropped-out customer may be won back after a long gap. Order values
 * follow Gamma-Gamma. Orders come out in date order.
 */
export function simulateOrders(customer: Customer, calendar: Calendar, rng: Rng): Order[] {
  const orders: Order[] = [];
  if (!customer.isBuyer || customer.firstPurchaseDay >= calendar.days) return orders;
  const { seasonality, maxSeasonality, days } = calendar;
  const peakRate = customer.purchaseRate * maxSeasonality;

  // the first order opens the relationship and is always completed (referrals rely on it)
  let t = customer.firstPurchaseDay;
  orders.push(makeOrder(customer, t, rng, true));
  let winBacks = 0;
  for (;;) {
    if (rng.chance(customer.dropout)) {
      const { probability, minGapDays, meanExtraGapDays, maxTimes } = MODEL.winBack;
      if (winBacks >= maxTimes || !rng.chance(probability)) break;
      winBacks++;
      t += minGapDays + rng.exponential(meanExtraGapDays);
      if (t >= days) break;
      orders.push(makeOrder(customer, Math.floor(t), rng, true));
      continue;
    }
    // next seasonal purchase: candidates at the peak rate, kept in proportion to that day's demand
    let day: number;
    do {
      t += rng.exponential(1 / peakRate);
      day = Math.floor(t);
    } while (day < days && rng.float() * maxSeasonality >= (seasonality[day] as number));
    if (day >= days) break;
    orders.push(makeOrder(customer, day, rng, false));
  }
  return orders;
}

function makeOrder(customer: Customer, day: number, rng: Rng, forceCompleted: boolean): Order {
  const k = sampleIndex(rng, customer.categoryWeights, customer.categoryWeightTotal);
  const spend = MODEL.spend[customer.type];
  const value = Math.min(MAX_ORDER_CNY, Math.max(spend.minimum, rng.gamma(customer.spendShape, 1 / customer.spendRate)));
  const grossCents = Math.round(value) * 100; // list prices are whole yuan
  const unit = (UNIT_PRICE[customer.type][k] as number) * (0.7 + 0.6 * rng.float());
  const quantity = Math.max(1, Math.round(value / unit));

  let discountCents = 0;
  const discountChance = customer.priceSensitive ? MODEL.discountChance.priceSensitive : MODEL.discountChance.other;
  if (rng.chance(discountChance)) {
    const rate = Math.round(3 + 22 * Math.pow(rng.float(), 1.5)) / 100; // 3 % .. 25 %, mostly small
    discountCents = Math.round(grossCents * rate);
  }

  let status: OrderStatus = 'completed';
  const u = rng.float();
  if (!forceCompleted) {
    if (u < MODEL.orderStatus.cancelled) status = 'cancelled';
    else if (u < MODEL.orderStatus.cancelled + MODEL.orderStatus.refunded) status = 'refunded';
  }
  return { day, category: PRODUCT_CATEGORIES[k] as ProductCategory, quantity, amountCents: grossCents - discountCents, discountCents, status };
}
