import type { BoundValue, BoundValues, Warehouse } from '../db/warehouse.ts';
import type { SourceReference } from '../runner/project.ts';
import { CLV_SCHEME_CODE, LIFECYCLE_STAGES, SCHEME_CODES, tierMinimum, type SegmentationConfig } from './segmentation.ts';

/** The config tables models may read as {{ source('config', …) }}. */
export const CONFIG_SOURCES: readonly SourceReference[] = Object.freeze([
  { source: 'config', table: 'parameters' },
  { source: 'config', table: 'value_tiers' },
  { source: 'config', table: 'rfm_segments' },
  { source: 'config', table: 'segments' },
  { source: 'config', table: 'strategic_account_types' },
  { source: 'config', table: 'dashboard' },
]);

/** Lifecycle stage codes in the history: 0 = prospect (no purchase yet), then by the order listed. */
export const LIFECYCLE_CODES: Readonly<Record<(typeof LIFECYCLE_STAGES)[number], number>> = Object.freeze(
  Object.fromEntries(LIFECYCLE_STAGES.map((stage, i) => [stage, i])) as Record<(typeof LIFECYCLE_STAGES)[number], number>,
);

interface SegmentRow {
  readonly scheme: keyof typeof SCHEME_CODES | 'clv';
  readonly rank: number;
  readonly name: string;
  readonly label_zh: string;
  readonly min_value: number | null;
  readonly stage?: string;
}

/** Every segment of every scheme, with its rank (1 = top / first rule) as stored in the history. */
export function segmentRows(config: Readonly<SegmentationConfig>): SegmentRow[] {
  const { value_tiers: value, abc, score, rfm, lifecycle, clv } = config;
  return [
    ...value.tiers.map((t, i) => ({ scheme: 'value' as const, rank: i + 1, name: t.name, label_zh: t.label_zh, min_value: tierMinimum(t, value.measure) })),
    ...abc.classes.map((c, i) => ({ scheme: 'abc' as const, rank: i + 1, name: c.name, label_zh: c.label_zh, min_value: c.up_to_share })),
    ...score.tiers.map((t, i) => ({ scheme: 'score' as const, rank: i + 1, name: t.name, label_zh: t.label_zh, min_value: t.min_score })),
    ...rfm.segments.map((s, i) => ({ scheme: 'rfm' as const, rank: i + 1, name: s.name, label_zh: s.label_zh, min_value: null })),
    { scheme: 'rfm' as const, rank: rfm.segments.length + 1, name: rfm.other_segment.name, label_zh: rfm.other_segment.label_zh, min_value: null },
    ...LIFECYCLE_STAGES.map((stage) => ({ scheme: 'lifecycle' as const, rank: LIFECYCLE_CODES[stage], name: lifecycle.stages[stage].name, label_zh: lifecycle.stages[stage].label_zh, min_value: null, stage })),
    ...clv.tiers.map((t, i) => ({ scheme: 'clv' as const, rank: i + 1, name: t.name, label_zh: t.label_zh, min_value: t.share })),
  ];
}

/** config_parameters' columns: name → [DuckDB column type, value]. */
function parameterColumns(config: Readonly<SegmentationConfig>): Record<string, [string, string | number | boolean | null]> {
  const { value_tiers: value, abc, score, rfm, lifecycle, needs } = config;
  return {
    as_of_date: ['date', config.as_of_date === 'latest' ? null : config.as_of_date],
    value_tier_window_months: ['integer not null', value.window_months],
    value_tier_measure: ['varchar not null', value.measure],
    value_downgrade_after_months: ['integer not null', value.downgrade_after_months],
    abc_method: ['varchar not null', abc.method],
    abc_downgrade_after_months: ['integer not null', abc.downgrade_after_months],
    score_weight_recency: ['double not null', score.weights.recency],
    score_weight_frequency: ['double not null', score.weights.frequency],
    score_weight_monetary: ['double not null', score.weights.monetary],
    score_weight_tenure: ['double not null', score.weights.tenure],
    score_weight_satisfaction: ['double not null', score.weights.satisfaction],
    score_weight_referrals: ['double not null', score.weights.referrals],
    score_weight_tickets: ['double not null', score.weights.tickets],
    score_downgrade_after_months: ['integer not null', score.downgrade_after_months],
    rfm_bins: ['integer not null', rfm.bins],
    rfm_method: ['varchar not null', rfm.method],
    rfm_downgrade_after_months: ['integer not null', rfm.downgrade_after_months],
    rfm_other_segment: ['varchar not null', rfm.other_segment.name],
    rfm_other_segment_zh: ['varchar not null', rfm.other_segment.label_zh],
    lifecycle_new_days: ['integer not null', lifecycle.new_days],
    lifecycle_loyal_min_orders: ['integer not null', lifecycle.loyal_min_orders],
    lifecycle_at_risk_days: ['integer not null', lifecycle.at_risk_days],
    lifecycle_at_risk_gap_multiple: ['double not null', lifecycle.at_risk_gap_multiple],
    lifecycle_at_risk_gap_min_days: ['integer not null', lifecycle.at_risk_gap_min_days],
    lifecycle_churn_days: ['integer not null', lifecycle.churn_days],
    needs_enabled: ['boolean not null', needs.enabled],
    needs_price_sensitive_min_share: ['double not null', needs.price_sensitive_min_share],
    needs_service_intensive_min_tickets_per_order: ['double not null', needs.service_intensive_min_tickets_per_order],
    needs_satisfaction_low_below: ['double not null', needs.satisfaction_low_below],
    needs_satisfaction_high_from: ['double not null', needs.satisfaction_high_from],
  };
}

/** How many tiers a scheme's minimums are bound for (the config allows no more). */
const MAX_TIERS = 10;

/**
 * The config values models bind as parameters instead of reading config_parameters: a bound value is a constant
 * to DuckDB, a joined column is copied onto every row (at a million customers × 36 months, the per-month settings
 * join cost several seconds). The same values as the config tables, plus each tier's minimum by position and the
 * counts and sums the scoring needs. Dates are left out (models read as_of_date from config_parameters).
 */
export function boundParameters(config: Readonly<SegmentationConfig>): BoundValues {
  const bound: Record<string, BoundValue> = {};
  for (const [name, [type, value]] of Object.entries(parameterColumns(config))) {
    const base = type.split(' ')[0];
    if (base === 'double' || base === 'integer' || base === 'varchar' || base === 'boolean') bound[name] = { type: base, value };
  }
  const minimums = (scheme: 'value' | 'score') => segmentRows(config).filter((row) => row.scheme === scheme).map((row) => row.min_value);
  for (const scheme of ['value', 'score'] as const) {
    const values = minimums(scheme);
    bound[`${scheme}_tiers`] = { type: 'integer', value: values.length };
    for (let position = 1; position <= MAX_TIERS; position++) bound[`${scheme}_minimum_${position}`] = { type: 'double', value: values[position - 1] ?? null };
  }
  const weights = config.score.weights;
  bound['score_weight_total'] = { type: 'double', value: weights.recency + weights.frequency + weights.monetary + weights.tenure + weights.satisfaction + weights.referrals + weights.tickets };
  return Object.freeze(bound);
}

/**
 * Writes the segmentation config into config_* tables with bound parameters, so rule values reach SQL as data.
 * Replaced on every build: the config file is the only place these values live.
 */
export async function writeConfigTables(warehouse: Warehouse, config: Readonly<SegmentationConfig>): Promise<void> {
  const { value_tiers: value, abc, score, rfm, lifecycle, needs } = config;
  const parameters = parameterColumns(config);
  const names = Object.keys(parameters);
  await warehouse.exec(`
    create or replace table config_parameters (${names.map((n) => `${n} ${parameters[n]![0]}`).join(', ')});
    create or replace table config_value_tiers (
      tier varchar not null,
      tier_rank integer not null,
      min_revenue_cny double,
      minimum_value double not null,
      label_en varchar not null,
      label_zh varchar not null
    );
    create or replace table config_rfm_segments (
      segment varchar not null,
      segment_zh varchar not null,
      rule_order integer not null,
      recency_score_min integer not null,
      recency_score_max integer not null,
      frequency_score_min integer not null,
      frequency_score_max integer not null,
      monetary_score_min integer not null,
      monetary_score_max integer not null
    );
    create or replace table config_segments (
      scheme_code utinyint not null,
      scheme varchar not null,
      scheme_enabled boolean not null,
      scheme_label_en varchar not null,
      scheme_label_zh varchar not null,
      segment_rank utinyint not null,
      segment varchar not null,
      segment_zh varchar not null,
      min_value double,
      lifecycle_stage varchar
    );
    create or replace table config_strategic_account_types (account_type varchar not null);`);
  await warehouse.exec(`insert into config_parameters values (${names.map((n, i) => `$${i + 1}::${parameters[n]![0].split(' ')[0]}`).join(', ')})`,
    names.map((n) => parameters[n]![1] as string | number | boolean | null));
  for (const [index, tier] of value.tiers.entries()) {
    await warehouse.exec('insert into config_value_tiers values ($1, $2, $3, $4, $5, $6)', [
      tier.name, index + 1, tier.min_revenue_cny ?? null, tierMinimum(tier, value.measure), tier.name, tier.label_zh]);
  }
  for (const [index, segment] of rfm.segments.entries()) {
    await warehouse.exec('insert into config_rfm_segments values ($1, $2, $3, $4, $5, $6, $7, $8, $9)', [
      segment.name, segment.label_zh, index + 1,
      segment.recency[0], segment.recency[1], segment.frequency[0], segment.frequency[1], segment.monetary[0], segment.monetary[1],
    ]);
  }
  const schemes = { value, abc, score, rfm, lifecycle, clv: config.clv };
  const codes = { ...SCHEME_CODES, clv: CLV_SCHEME_CODE };
  for (const row of segmentRows(config)) {
    const scheme = schemes[row.scheme];
    await warehouse.exec('insert into config_segments values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)', [
      codes[row.scheme], row.scheme, scheme.enabled, scheme.label_en, scheme.label_zh,
      row.rank, row.name, row.label_zh, row.min_value, row.stage ?? null]);
  }
  for (const accountType of needs.strategic_account_types) {
    await warehouse.exec('insert into config_strategic_account_types values ($1)', [accountType]);
  }
}
