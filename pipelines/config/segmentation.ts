import { z } from 'zod';
import { readYamlFile } from './yaml-file.ts';
import { ConfigError, parseConfig } from './zod-errors.ts';

/**
 * models/segmentation.yml: the tiering rules analysts edit. The values reach SQL as data (config_* tables),
 * never pasted into SQL text, so a rule change never needs a SQL edit. models/segmentation.schema.json is
 * generated from this schema (`writeSegmentationJsonSchema`) so editors complete and check the file.
 */
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'write a date as YYYY-MM-DD').refine((s) => !Number.isNaN(Date.parse(s)), 'not a real date');
const label = z.string().min(1);

/** What every scheme shares: a switch, its own name in English and Chinese. */
const schemeBase = {
  enabled: z.boolean().default(true).describe('false: the scheme is not evaluated and not shown'),
  label_en: label.describe('name of the scheme in English'),
  label_zh: label.describe('name of the scheme in Chinese'),
};

/** Downgrades wait for N consecutive month ends below the current tier; upgrades take effect at once. */
const downgradeAfter = z.number().int().min(1).max(6).default(1)
  .describe('a lower tier takes effect after this many consecutive month ends below the current one (1 = at once)');

const segmentLabel = { name: label.describe('segment name (English label; the key in marts)'), label_zh: label.describe('segment label in Chinese') };

const valueTierSchema = z.strictObject({
  ...segmentLabel,
  min_revenue_cny: z.number().min(0).optional().describe('minimum trailing revenue, CNY (measure: revenue)'),
  min_orders: z.number().int().min(0).optional().describe('minimum trailing completed orders (measure: orders)'),
  min_quantity: z.number().min(0).optional().describe('minimum trailing quantity (measure: quantity)'),
});

const scoreRange = z.tuple([z.number().int().min(1), z.number().int().min(1)]);

const rfmSegmentSchema = z.strictObject({
  ...segmentLabel,
  recency: scoreRange,
  frequency: scoreRange,
  monetary: scoreRange,
});

const abcClassSchema = z.strictObject({
  ...segmentLabel,
  up_to_share: z.number().gt(0).max(1).describe('pareto: the class holds customers until this cumulative share of revenue; percentile: this share of customers'),
});

const scoreTierSchema = z.strictObject({
  ...segmentLabel,
  min_score: z.number().min(0).max(100),
});

const clvTierSchema = z.strictObject({
  ...segmentLabel,
  share: z.number().gt(0).max(1).describe('share of customers in this tier, ranked by predicted CLV (the shares add up to 1)'),
});

const share = z.number().min(0).max(1);

const weight = z.number().min(0);
const lifecycleStage = z.strictObject(segmentLabel);

export const LIFECYCLE_STAGES = ['prospect', 'new', 'active', 'loyal', 'won_back', 'at_risk', 'churned'] as const;

export const segmentationSchema = z.strictObject({
  $schema: z.string().optional(),
  version: z.literal(1),
  as_of_date: z.union([z.literal('latest'), isoDate]).default('latest'),
  value_tiers: z.strictObject({
    ...schemeBase,
    label_en: label.default('Member level'),
    label_zh: label.default('会员等级'),
    measure: z.enum(['revenue', 'orders', 'quantity']).default('revenue').describe('what the thresholds apply to, over the trailing window'),
    window_months: z.number().int().min(1).max(60).default(12),
    downgrade_after_months: downgradeAfter,
    tiers: z.array(valueTierSchema).min(2).max(10),
  }),
  abc: z.strictObject({
    ...schemeBase,
    label_en: label.default('ABC class'),
    label_zh: label.default('ABC 分类'),
    method: z.enum(['pareto', 'percentile']).default('pareto').describe('pareto: by cumulative share of trailing revenue; percentile: by rank'),
    downgrade_after_months: downgradeAfter,
    classes: z.array(abcClassSchema).min(2).max(10),
  }),
  score: z.strictObject({
    ...schemeBase,
    label_en: label.default('Customer score'),
    label_zh: label.default('客户评分'),
    weights: z.strictObject({
      recency: weight.default(0),
      frequency: weight.default(0),
      monetary: weight.default(0),
      tenure: weight.default(0),
      satisfaction: weight.default(0),
      referrals: weight.default(0),
      tickets: weight.default(0),
    }).describe('relative weights of the normalised indicators (they need not add up to 100)'),
    downgrade_after_months: downgradeAfter,
    tiers: z.array(scoreTierSchema).min(2).max(10),
  }),
  rfm: z.strictObject({
    ...schemeBase,
    label_en: label.default('RFM segment'),
    label_zh: label.default('RFM 分群'),
    bins: z.number().int().min(2).max(10).default(5),
    method: z.enum(['quantile', 'rank']).default('quantile')
      .describe('quantile: breakpoints as the R rfm package computes them (5 bins); rank: equal-size bins by rank (any bins)'),
    downgrade_after_months: downgradeAfter,
    other_segment: z.strictObject(segmentLabel).default({ name: 'Others', label_zh: '其他' }),
    segments: z.array(rfmSegmentSchema).min(1).max(250),
  }),
  lifecycle: z.strictObject({
    ...schemeBase,
    label_en: label.default('Lifecycle stage'),
    label_zh: label.default('生命周期'),
    new_days: z.number().int().min(1).default(90).describe('new: first purchase within this many days'),
    loyal_min_orders: z.number().int().min(2).default(4).describe('loyal: at least this many orders in the value_tiers window'),
    at_risk_days: z.number().int().min(1).default(180).describe('at risk: no purchase for longer than this'),
    at_risk_gap_multiple: z.number().gt(0).default(2).describe('…or for longer than this multiple of the customer\'s own average gap between orders'),
    at_risk_gap_min_days: z.number().int().min(0).default(30).describe('…but never before this many days without a purchase'),
    churn_days: z.number().int().min(1).default(365).describe('churned: no purchase for longer than this'),
    stages: z.strictObject(Object.fromEntries(LIFECYCLE_STAGES.map((stage) => [stage, lifecycleStage])) as Record<(typeof LIFECYCLE_STAGES)[number], typeof lifecycleStage>),
  }),
  clv: z.strictObject({
    ...schemeBase,
    label_en: label.default('CLV tier'),
    label_zh: label.default('价值潜力分层'),
    tiers: z.array(clvTierSchema).min(2).max(10).describe('top first; customers ranked by predicted CLV over models/clv.yml horizon_months'),
    at_risk_high_value: z.strictObject({
      top_share: share.gt(0).describe('"high value": CLV in this top share of customers'),
      p_alive_below: share.describe('at risk when P(alive) is below this …'),
      p_alive_drop: share.describe('… or fell by at least this much over the last month'),
    }),
  }).default({
    enabled: true,
    label_en: 'CLV tier',
    label_zh: '价值潜力分层',
    tiers: [
      { name: 'Top', label_zh: '顶级价值', share: 0.05 },
      { name: 'High', label_zh: '高价值', share: 0.15 },
      { name: 'Medium', label_zh: '中等价值', share: 0.3 },
      { name: 'Low', label_zh: '低价值', share: 0.5 },
    ],
    at_risk_high_value: { top_share: 0.2, p_alive_below: 0.5, p_alive_drop: 0.1 },
  }).describe('CLV tiers from the fitted BG/NBD + Gamma-Gamma models (evaluated at the latest data, not monthly)'),
  needs: z.strictObject({
    enabled: z.boolean().default(true),
    price_sensitive_min_share: z.number().min(0).max(1).default(0.5).describe('price sensitive: at least this share of orders discounted'),
    service_intensive_min_tickets_per_order: z.number().min(0).default(0.5),
    satisfaction_low_below: z.number().min(1).max(5).default(3).describe('satisfaction band low: average score (1–5) below this'),
    satisfaction_high_from: z.number().min(1).max(5).default(4.5),
    strategic_account_types: z.array(z.string().min(1)).default(['strategic', 'partner']),
  }),
});

export type SegmentationConfig = z.output<typeof segmentationSchema>;
export type RfmSegmentRule = z.output<typeof rfmSegmentSchema>;
export type ClvSchemeConfig = SegmentationConfig['clv'];
export type SchemeKey = 'value' | 'abc' | 'score' | 'rfm' | 'lifecycle';

/** Scheme codes stored in the history tables (small integers keep the long history lean). */
export const SCHEME_CODES: Readonly<Record<SchemeKey, number>> = Object.freeze({ value: 1, abc: 2, score: 3, rfm: 4, lifecycle: 5 });
/** CLV tiers come from the CLV fit at the latest data, so they have no monthly history; their code follows the others. */
export const CLV_SCHEME_CODE = 6;

export function loadSegmentationConfig(file: string): Readonly<SegmentationConfig> {
  return checkSegmentation(parseConfig(segmentationSchema, readYamlFile(file), file), file);
}

const MEASURE_KEYS = { revenue: 'min_revenue_cny', orders: 'min_orders', quantity: 'min_quantity' } as const;

/** The threshold a value tier sets on the configured measure. */
export function tierMinimum(tier: z.output<typeof valueTierSchema>, measure: keyof typeof MEASURE_KEYS): number {
  return tier[MEASURE_KEYS[measure]] ?? Number.NaN;
}

function checkFalling(problems: string[], path: string, items: readonly { name: string }[], value: (i: number) => number, what: string, rising = false): void {
  items.forEach((item, i) => {
    if (items.findIndex((t) => t.name === item.name) !== i) problems.push(`${path}.${i}.name: ${item.name} is listed twice`);
    if (i === 0) return;
    const ok = rising ? value(i) > value(i - 1) : value(i) < value(i - 1);
    if (!ok) problems.push(`${path}.${i}.${what}: ${rising ? 'list them with rising values' : 'list tiers from the top down with falling values'} (${item.name} ${value(i)} after ${items[i - 1]!.name} ${value(i - 1)})`);
  });
}

/** Checks what the schema alone cannot: tier order, score ranges within the bins, rules that can never match. */
export function checkSegmentation(config: Readonly<SegmentationConfig>, file: string): Readonly<SegmentationConfig> {
  const problems: string[] = [];
  const { tiers, measure } = config.value_tiers;
  const key = MEASURE_KEYS[measure];
  tiers.forEach((tier, i) => {
    if (tier[key] === undefined) problems.push(`value_tiers.tiers.${i}.${key}: required when value_tiers.measure is ${measure} (allowed measures: ${Object.keys(MEASURE_KEYS).join(', ')})`);
  });
  if (problems.length === 0) {
    checkFalling(problems, 'value_tiers.tiers', tiers, (i) => tierMinimum(tiers[i]!, measure), key);
    const last = tiers[tiers.length - 1]!;
    if (tierMinimum(last, measure) !== 0) problems.push(`value_tiers.tiers.${tiers.length - 1}.${key}: the last tier must start at 0 so every buyer has a tier (got ${tierMinimum(last, measure)})`);
  }

  const classes = config.abc.classes;
  checkFalling(problems, 'abc.classes', classes, (i) => classes[i]!.up_to_share, 'up_to_share', true);
  if (classes[classes.length - 1]!.up_to_share !== 1) problems.push(`abc.classes.${classes.length - 1}.up_to_share: the last class must reach 1 so every customer has a class`);

  const scoreTiers = config.score.tiers;
  checkFalling(problems, 'score.tiers', scoreTiers, (i) => scoreTiers[i]!.min_score, 'min_score');
  if (scoreTiers[scoreTiers.length - 1]!.min_score !== 0) problems.push(`score.tiers.${scoreTiers.length - 1}.min_score: the last tier must start at 0`);
  const clvShares = config.clv.tiers.reduce((sum, tier) => sum + tier.share, 0);
  if (Math.abs(clvShares - 1) > 1e-9) problems.push(`clv.tiers: the shares add up to ${Number(clvShares.toFixed(6))}, not 1`);
  config.clv.tiers.forEach((tier, i) => {
    if (config.clv.tiers.findIndex((t) => t.name === tier.name) !== i) problems.push(`clv.tiers.${i}.name: ${tier.name} is listed twice`);
  });
  if (Object.values(config.score.weights).every((w) => w === 0)) problems.push('score.weights: give at least one of recency, frequency, monetary, tenure, satisfaction, referrals, tickets a weight above 0');

  const lifecycle = config.lifecycle;
  if (lifecycle.churn_days <= lifecycle.at_risk_days) problems.push(`lifecycle.churn_days: must be above lifecycle.at_risk_days (${lifecycle.at_risk_days})`);

  const { bins, segments } = config.rfm;
  if (config.rfm.method === 'quantile' && bins !== 5) problems.push(`rfm.bins: method quantile scores in the R rfm package's 5 bins (got ${bins}); use method: rank for other bin counts`);
  segments.forEach((segment, i) => {
    for (const score of ['recency', 'frequency', 'monetary'] as const) {
      const [low, high] = segment[score];
      if (low > high || high > bins) problems.push(`rfm.segments.${i}.${score}: [${low}, ${high}] must be a range within 1..${bins}`);
    }
    if (segments.findIndex((s) => s.name === segment.name) !== i) problems.push(`rfm.segments.${i}.name: ${segment.name} is listed twice`);
  });
  if (problems.length === 0) {
    for (const name of unreachableRfmSegments(segments, bins)) {
      problems.push(`rfm.segments: ${name} can never be assigned — every score it covers is taken by a rule listed before it (first matching rule wins)`);
    }
  }
  if (problems.length > 0) throw new ConfigError(file, problems);
  return config;
}

/** Segments that no (R, F, M) score combination reaches when the first matching rule wins. */
export function unreachableRfmSegments(segments: readonly RfmSegmentRule[], bins: number): string[] {
  const reached = new Set<string>();
  for (let r = 1; r <= bins; r++) {
    for (let f = 1; f <= bins; f++) {
      for (let m = 1; m <= bins; m++) {
        const first = firstMatchingRfmSegment(segments, r, f, m);
        if (first) reached.add(first.name);
      }
    }
  }
  return segments.filter((s) => !reached.has(s.name)).map((s) => s.name);
}

export function firstMatchingRfmSegment<T extends RfmSegmentRule>(segments: readonly T[], r: number, f: number, m: number): T | undefined {
  const within = (score: number, [low, high]: readonly [number, number]) => score >= low && score <= high;
  return segments.find((s) => within(r, s.recency) && within(f, s.frequency) && within(m, s.monetary));
}

/** The JSON Schema editors use (yaml-language-server), generated from the zod schema. */
export function segmentationJsonSchema(): object {
  return z.toJSONSchema(segmentationSchema, { io: 'input', target: 'draft-7' });
}
