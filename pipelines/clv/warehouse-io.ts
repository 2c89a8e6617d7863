// Between the warehouse and the fits: the split table the summary model reads, and reading the summary back.
import type { Warehouse } from '../db/warehouse.ts';
import { quoteIdentifier } from '../db/sql-text.ts';
import type { SourceReference } from '../runner/project.ts';
import type { CalibrationData } from './fit.ts';
import type { ClvSettings } from './settings.ts';
import type { ClvSchemeConfig } from '../config/segmentation.ts';
import { UNIT_DAYS, type TimeUnit } from './types.ts';

/** The tables models read as {{ source('clv', …) }}: the splits (written before the build) and the fits (after the summary). */
export const CLV_SOURCES: readonly SourceReference[] = Object.freeze([
  { source: 'clv', table: 'parameters' },
  { source: 'clv', table: 'settings' },
  { source: 'clv', table: 'tiers' },
  { source: 'clv', table: 'fitted_models' },
  { source: 'clv', table: 'fitted_histories' },
  // kept across runs (a run table): the CLV tiers of each earlier run's latest month
  { source: 'clv', table: 'tier_snapshots' },
]);

export const SUMMARY_MODEL = 'int_customers_clv_summarized';

export interface ClvSplit {
  readonly split: string;
  readonly timeUnit: TimeUnit;
  /** Null: holdoutMonths before the last purchase day. */
  readonly calibrationEndDate: string | null;
  readonly holdoutMonths: number;
  /** Null: the last purchase day. */
  readonly holdoutEndDate: string | null;
}

export async function writeClvParameters(warehouse: Warehouse, splits: readonly ClvSplit[]): Promise<void> {
  await warehouse.exec(`create or replace table clv_parameters (
    split varchar not null,
    time_unit varchar not null,
    unit_days double not null,
    calibration_end_date date,
    holdout_months integer not null,
    holdout_end_date date
  )`);
  for (const s of splits) {
    await warehouse.exec('insert into clv_parameters values ($1, $2, $3, $4::date, $5, $6::date)', [
      s.split, s.timeUnit, UNIT_DAYS[s.timeUnit], s.calibrationEndDate, s.holdoutMonths, s.holdoutEndDate,
    ]);
  }
}

export interface SplitFacts {
  readonly calibrationEndDate: string;
  readonly holdoutEndDate: string;
  readonly holdoutLengthUnits: number;
  readonly customers: number;
}

/**
 * The summary of one split, compressed in SQL: one row per distinct (frequency, recency, T) with its count. With
 * maxFitCustomers, also `sample`: the same from a fixed share of customers picked by their hash key (the
 * parameters of four- and three-parameter models are pinned down long before a million customers).
 */
export async function readCalibrationData(warehouse: Warehouse, split: string, maxFitCustomers?: number, summaryRelation = SUMMARY_MODEL): Promise<CalibrationData & { facts: SplitFacts | null; sample: CalibrationData | null }> {
  const summary = quoteIdentifier(summaryRelation);
  const [facts] = await warehouse.rows<SplitFacts>(
    `select any_value(calibration_end_date)::varchar as "calibrationEndDate", any_value(holdout_end_date)::varchar as "holdoutEndDate",
            any_value(holdout_length_units) as "holdoutLengthUnits", count(*)::double as customers
     from ${summary} where split = $1 having count(*) > 0`, [split]);
  if (!facts || !maxFitCustomers || facts.customers <= maxFitCustomers) {
    return { ...(await readData(warehouse, summary, split, 'true', true)), facts: facts ?? null, sample: null };
  }
  const perMille = Math.max(1, Math.floor((1000 * maxFitCustomers) / facts.customers));
  // every history is predicted; only the sample's spend is fitted
  const all = await readData(warehouse, summary, split, 'true', false);
  return { ...all, facts, sample: await readData(warehouse, summary, split, `customer_key % 1000 < ${perMille}`, true) };
}

async function readData(warehouse: Warehouse, summary: string, split: string, filter: string, withSpend: boolean): Promise<CalibrationData> {
  // read column-wise: hundreds of thousands of histories, all doubles, no per-row object conversion
  const [x = [], tx = [], T = [], count = []] = await readDoubleColumns(warehouse,
    `select frequency::double, recency_units, t_units, count(*)::double
     from ${summary} where split = $1 and ${filter} group by all order by all`, split);
  const rows = Array.from(x, (value, i) => ({ x: value, tx: tx[i] as number, T: T[i] as number, count: count[i] as number }));
  if (!withSpend) return { rows, spend: [] };
  const [spendX = [], m = []] = await readDoubleColumns(warehouse,
    `select frequency::double, monetary_cny
     from ${summary} where split = $1 and frequency > 0 and monetary_cny > 0 and ${filter} order by customer_key`, split);
  return { rows, spend: Array.from(spendX, (value, i) => ({ x: value, m: m[i] as number })) };
}

async function readDoubleColumns(warehouse: Warehouse, sql: string, split: string): Promise<number[][]> {
  const reader = await warehouse.connection.runAndReadAll(sql, [split]);
  return reader.getColumnsJS() as number[][];
}

/**
 * models/clv.yml and the segmentation config's CLV scheme as data for the CLV marts: one settings row, and the CLV
 * tiers as cumulative customer shares.
 */
export async function writeClvSettings(warehouse: Warehouse, settings: Readonly<ClvSettings>, scheme: Readonly<ClvSchemeConfig>): Promise<void> {
  await warehouse.exec(`
    create or replace table clv_settings (
      horizon_months integer not null,
      monthly_discount_rate double not null,
      at_risk_top_share double not null,
      at_risk_p_alive_below double not null,
      at_risk_p_alive_drop double not null,
      churn_high_below double not null,
      churn_medium_below double not null
    );
    create or replace table clv_tiers (
      clv_tier varchar not null,
      clv_tier_zh varchar not null,
      clv_tier_rank integer not null,
      share_from double not null,
      share_to double not null
    );`);
  await warehouse.exec('insert into clv_settings values ($1, $2, $3, $4, $5, $6, $7)', [
    settings.horizon_months, settings.monthly_discount_rate, scheme.at_risk_high_value.top_share, scheme.at_risk_high_value.p_alive_below,
    scheme.at_risk_high_value.p_alive_drop, settings.churn_risk.high_below, settings.churn_risk.medium_below,
  ]);
  let from = 0;
  for (const [index, tier] of scheme.tiers.entries()) {
    // the last tier ends at exactly 1 whatever the rounding of the shares
    const to = index === scheme.tiers.length - 1 ? 1 : from + tier.share;
    await warehouse.exec('insert into clv_tiers values ($1, $2, $3, $4, $5)', [tier.name, tier.label_zh, index + 1, from, to]);
    from = to;
  }
}
