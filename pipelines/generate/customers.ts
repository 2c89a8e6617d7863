import type { Calendar } from './calendar.ts';
import type { AccountType, Channel, CustomerType, Industry, Region, Source } from './catalog.ts';
import { PRODUCT_CATEGORIES } from './catalog.ts';
import { ALL_SALES_REPS, SALES_REPS, companyName, personName } from './names.ts';
import { MODEL } from './params.ts';
import { Rng, Stream, Weighted } from './rng.ts';

/** Everything fixed for one generation run. */
export interface World {
  readonly seed: number;
  readonly customers: number;
  readonly calendar: Calendar;
}

/**
 * The part of a customer that other customers may need to know: a referred customer looks up whether a
 * candidate referrer had already bought. It comes from its own random stream so it can be recomputed for
 * any index cheaply and identically, without keeping a million customers in memory.
 */
export interface CustomerHeader {
  readonly index: number;
  readonly type: CustomerType;
  /** Day number in the window; non-decreasing in the index, so customer ids follow creation order. */
  readonly createdDay: number;
  /** False for prospects that never buy. */
  readonly isBuyer: boolean;
  /** Day of the first order; may lie beyond the window (has not bought yet). */
  readonly firstPurchaseDay: number;
  /** BG/NBD lambda: purchases per day while alive. */
  readonly purchaseRate: number;
  /** BG/NBD p: chance of dropping out after each purchase. */
  readonly dropout: number;
  /** Gamma-Gamma: order value ~ Gamma(spendShape, 1 / spendRate). */
  readonly spendShape: number;
  readonly spendRate: number;
}

export interface Customer extends CustomerHeader {
  readonly id: string;
  readonly name: string;
  readonly region: Region;
  readonly channel: Channel;
  /** Empty for many B2C customers. */
  readonly industry: Industry | '';
  readonly source: Source;
  readonly accountType: AccountType;
  readonly owner: string;
  readonly email: string;
  readonly phone: string;
  readonly priceSensitive: boolean;
  /** Per-customer taste over PRODUCT_CATEGORIES. */
  readonly categoryWeights: readonly number[];
  readonly categoryWeightTotal: number;
  /** Index of the customer who referred this one, or -1. */
  readonly referrerIndex: number;
}

export function customerId(index: number): string {
  return 'C' + String(index + 1).padStart(7, '0');
}

/**
 * Creation day of customer `index`: the inverse of the acquisition curve at (index + 0.5) / n. The first
 * baseShare of customers land in the first month (the existing base), the rest spread over the window with
 * mildly growing intake. Deterministic and monotone, so ids grow with creation date as in a real CRM.
 */
export function createdDayFor(index: number, world: World): number {
  const { calendar } = world;
  const u = (index + 0.5) / world.customers;
  const base = MODEL.baseShare;
  if (u < base) return Math.floor((u / base) * calendar.firstMonthDays);
  const v = (u - base) / (1 - base);
  const g = MODEL.acquisitionGrowth;
  const d = calendar.days;
  // solve x + g x^2 / (2d) = v d (1 + g/2) for x: the CDF of the linearly growing intake
  const x = (d * (Math.sqrt(1 + 2 * g * v * (1 + g / 2)) - 1)) / g;
  return Math.min(d - 1, Math.floor(x));
}

export function customerHeader(world: World, index: number): CustomerHeader {
  const rng = Rng.child(world.seed, index, Stream.header);
  const createdDay = createdDayFor(index, world);
  const type: CustomerType = rng.chance(MODEL.b2bShare) ? 'B2B' : 'B2C';
  const isBuyer = rng.chance(MODEL.buyerShare);
  const isBase = index < MODEL.baseShare * world.customers;
  const delay = rng.exponential(isBase ? MODEL.firstPurchaseDelayDays.base : MODEL.firstPurchaseDelayDays[type]);
  const rate = MODEL.purchaseRate[type];
  const purchaseRate = rng.gamma(rate.shape, rate.scale);
  const dropout = rng.beta(MODEL.dropout.a, MODEL.dropout.b);
  const spend = MODEL.spend[type];
  const spendRate = rng.gamma(spend.q, 1 / spend.gamma);
  return {
    index,
    type,
    createdDay,
    isBuyer,
    firstPurchaseDay: createdDay + Math.floor(delay),
    purchaseRate,
    dropout,
    spendShape: spend.p,
    spendRate,
  };
}

const REGION_WEIGHTS = new Weighted<Region>([
  ['华东', 32], ['华南', 20], ['华北', 17], ['华中', 11], ['西南', 10], ['西北', 5], ['东北', 5],
]);
const CHANNEL_WEIGHTS: Readonly<Record<CustomerType, Weighted<Channel>>> = {
  B2B: new Weighted<Channel>([['direct', 45], ['distributor', 25], ['partner', 20], ['online', 10]]),
  B2C: new Weighted<Channel>([['online', 60], ['distributor', 20], ['direct', 10], ['partner', 10]]),
};
const INDUSTRY_WEIGHTS: Readonly<Record<CustomerType, Weighted<Industry | ''>>> = {
  B2B: new Weighted<Industry | ''>([
    ['制造业', 25], ['零售', 15], ['互联网', 15], ['金融', 10], ['医疗', 10], ['教育', 8], ['物流', 10], ['餐饮', 7],
  ]),
  // for a consumer the industry is where they work, and often unknown
  B2C: new Weighted<Industry | ''>([
    ['', 55], ['制造业', 8], ['零售', 8], ['互联网', 8], ['金融', 5], ['医疗', 5], ['教育', 6], ['物流', 2], ['餐饮', 3],
  ]),
};
const SOURCE_WEIGHTS: Readonly<Record<CustomerType, Weighted<Source>>> = {
  B2B: new Weighted<Source>([
    ['referral', 20], ['web', 15], ['exhibition', 20], ['cold_call', 20], ['advertising', 10], ['partner', 15],
  ]),
  B2C: new Weighted<Source>([
    ['referral', 18], ['web', 35], ['exhibition', 5], ['cold_call', 7], ['advertising', 28], ['partner', 7],
  ]),
};
/** Taste over PRODUCT_CATEGORIES (软件订阅, 硬件设备, 实施服务, 培训, 耗材, 增值服务). */
const CATEGORY_BASE: Readonly<Record<CustomerType, readonly number[]>> = {
  B2B: [30, 25, 20, 10, 5, 10],
  B2C: [20, 25, 3, 7, 30, 15],
};
const MOBILE_PREFIXES = ['130', '131', '132', '135', '136', '137', '138', '139', '150', '151', '152', '155', '157',
  '158', '159', '166', '177', '180', '181', '186', '187', '188', '189', '199'] as const;
/** Expected yearly spend above which a B2B customer is often managed as a strategic account. */
const STRATEGIC_YEARLY_VALUE = 600_000;

/** The full customer: header plus the descriptive attributes, from the customer's own 'profile' stream. */
export function buildCustomer(world: World, header: CustomerHeader, rng: Rng): Customer {
  const { type } = header;
  const region = REGION_WEIGHTS.sample(rng);
  const channel = CHANNEL_WEIGHTS[type].sample(rng);
  const industry = INDUSTRY_WEIGHTS[type].sample(rng);
  const source = SOURCE_WEIGHTS[type].sample(rng);

  const yearlyValue = header.purchaseRate * 365 * (header.spendShape / header.spendRate);
  let accountType: AccountType = 'standard';
  if (type === 'B2B' && rng.chance(yearlyValue > STRATEGIC_YEARLY_VALUE ? 0.7 : 0.01)) accountType = 'strategic';
  else if (rng.chance(channel === 'partner' ? 0.5 : 0.03)) accountType = 'partner';

  const owner = rng.chance(0.92) ? rng.pick(SALES_REPS[region]) : rng.pick(ALL_SALES_REPS);
  const contact = personName(rng);
  let name: string;
  let email: string;
  if (type === 'B2B') {
    const company = companyName(rng, region, industry === '' ? '制造业' : industry, accountType === 'strategic');
    name = company.name;
    email = `${contact.handle}@${company.brand}${rng.int(1, 1000)}.example.com`;
  } else {
    name = contact.name;
    email = `${contact.handle}${rng.chance(0.5) ? rng.int(1, 100) : ''}@example.com`;
  }
  const phone = rng.pick(MOBILE_PREFIXES) + String(rng.int(0, 100_000_000)).padStart(8, '0');

  const priceSensitive = rng.chance(MODEL.priceSensitiveShare[type]);
  const base = CATEGORY_BASE[type];
  const categoryWeights: number[] = [];
  let categoryWeightTotal = 0;
  for (let k = 0; k < PRODUCT_CATEGORIES.length; k++) {
    // Gamma(1) noise: a Dirichlet-like personal taste around the segment's mix
    const w = (base[k] as number) * rng.gamma(1, 1);
    categoryWeights.push(w);
    categoryWeightTotal += w;
  }

  const referrerIndex = source === 'referral' ? findReferrer(world, header, rng) : -1;

  // spelled out rather than spread: one object shape for every customer keeps the hot path monomorphic
  return {
    index: header.index,
    type,
    createdDay: header.createdDay,
    isBuyer: header.isBuyer,
    firstPurchaseDay: header.firstPurchaseDay,
    purchaseRate: header.purchaseRate,
    dropout: header.dropout,
    spendShape: header.spendShape,
    spendRate: header.spendRate,
    id: customerId(header.index),
    name,
    region,
    channel,
    industry,
    source,
    accountType,
    owner,
    email,
    phone,
    priceSensitive,
    categoryWeights,
    categoryWeightTotal,
    referrerIndex,
  };
}

/**
 * A referrer is an earlier customer who had already made a purchase by the referred customer's creation
 * day. Candidates are drawn at random and checked through their (recomputable) headers; when none is found
 * in a few tries, e.g. in the first weeks of history, the customer keeps source=referral without a row.
 */
function findReferrer(world: World, header: CustomerHeader, rng: Rng): number {
  if (header.index === 0) return -1;
  for (let attempt = 0; attempt < 12; attempt++) {
    const candidate = customerHeader(world, rng.int(0, header.index));
    if (candidate.isBuyer && candidate.firstPurchaseDay < header.createdDay) return candidate.index;
  }
  return -1;
}
