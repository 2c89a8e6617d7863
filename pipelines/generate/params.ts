import type { CustomerType } from './catalog.ts';

/**
 * The knobs of the story the sample data tells, in one place so that calibration does not mean hunting
 * through the simulation code. Rates are per day; money is CNY.
 *
 * Calibrated so that the defaults (5,000 customers, 36 months) give about 12 completed orders per buying
 * customer (about 52k orders, so 1M customers make about 10M orders, the benchmark size) and trailing-12-month revenue from a few hundred CNY to millions, i.e. every
 * tier of the 100k / 30k / 5k ladder has members; test/generate.test.ts checks these properties.
 */
export const MODEL = {
  /** Share of customers that form the existing base, all created in the first month of the window. */
  baseShare: 0.2,
  /** Acquisition after the first month grows linearly: the last day's intake is (1 + growth) x the first's. */
  acquisitionGrowth: 0.6,
  b2bShare: 0.3,
  /** The rest are prospects that never buy (though sales still follows up with them). */
  buyerShare: 0.8,
  /** Days from creation to the first purchase (exponential means); the existing base orders soon. */
  firstPurchaseDelayDays: { base: 12, B2B: 40, B2C: 14 } satisfies Record<'base' | CustomerType, number>,
  /** BG/NBD purchase rate: lambda ~ Gamma(shape, scale) while the customer is alive. */
  purchaseRate: {
    B2B: { shape: 1.1, scale: 1 / 29 },
    B2C: { shape: 1.1, scale: 1 / 22 },
  } satisfies Record<CustomerType, { shape: number; scale: number }>,
  /** BG/NBD drop-out: after each purchase the customer becomes inactive with probability p ~ Beta(a, b). */
  dropout: { a: 1.3, b: 20 },
  /** A dropped-out customer is occasionally won back after a long gap. */
  winBack: { probability: 0.18, minGapDays: 180, meanExtraGapDays: 220, maxTimes: 2 },
  /**
   * Gamma-Gamma spend: each customer's rate nu ~ Gamma(q, 1/gamma) and each order ~ Gamma(p, 1/nu), so the
   * mean order value is p * gamma / (q - 1): about 35k for B2B and 900 for B2C.
   */
  spend: {
    B2B: { p: 3, q: 3.5, gamma: 29_000, minimum: 500 },
    B2C: { p: 3, q: 3.5, gamma: 750, minimum: 20 },
  } satisfies Record<CustomerType, { p: number; q: number; gamma: number; minimum: number }>,
  /** Share of customers who mostly buy on discount, and how often each kind of customer gets one. */
  priceSensitiveShare: { B2B: 0.2, B2C: 0.3 } satisfies Record<CustomerType, number>,
  discountChance: { priceSensitive: 0.5, other: 0.06 },
  orderStatus: { cancelled: 0.033, refunded: 0.022 },
  /** Follow-ups per year: prospects are worked hard for a while, big accounts get more attention. */
  activitiesPerYear: { prospect: 4, B2B: 4, B2C: 2, strategicFactor: 2 },
  /** How long after a prospect's creation, or a buyer's last order, sales keeps following up. */
  followUpDays: { prospect: 200, afterLastOrder: 150 },
  surveyResponderShare: 0.3,
  /** Chance that an order leads to a service ticket. */
  ticketChance: { hardwareOrService: 0.18, other: 0.06, refunded: 0.7 },
} as const;
