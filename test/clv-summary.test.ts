// The calibration summary (SQL model int_customers_clv_summarized) on a hand-made order history, and the
// historical fallback when too few customers buy again. Every expected value is worked out in the comments.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Warehouse } from '../pipelines/db/warehouse.ts';
import { readProject } from '../pipelines/pipeline/steps.ts';
import { buildModels } from '../pipelines/runner/build.ts';
import { runDataTests } from '../pipelines/runner/data-tests.ts';
import { SUMMARY_MODEL, writeClvParameters } from '../pipelines/clv/warehouse-io.ts';
import { createFittedTables, fitSplit } from '../pipelines/clv/fit-split.ts';

let warehouse: Warehouse;

// calibration ends Mon 2024-02-26, holdout to 2024-03-25 (28 days)
const ORDERS: [string, string, number, boolean][] = [
  ['A', '2024-01-01', 10, true],
  ['A', '2024-01-01', 5, true], // same day: one purchase day worth 15
  ['A', '2024-01-15', 20, true],
  ['A', '2024-02-05', 40, true],
  ['A', '2024-03-01', 7, true], // holdout
  ['A', '2024-04-01', 9, true], // after the holdout
  ['B', '2024-02-12', 100, true],
  ['C', '2024-03-10', 30, true], // first purchase in the holdout: not in the split
  ['D', '2024-01-10', 80, false], // cancelled: not a purchase
  ['D', '2024-01-20', 50, true],
];

beforeAll(async () => {
  warehouse = await Warehouse.open(':memory:');
  await warehouse.exec(`create table stg_orders (customer_key ubigint, customer_id varchar, order_date date, amount_cny double, is_revenue boolean)`);
  for (const [id, date, amount, revenue] of ORDERS) {
    await warehouse.exec('insert into stg_orders values (hash($1), $1, $2::date, $3, $4)', [id, date, amount, revenue]);
  }
  await writeClvParameters(warehouse, [
    { split: 'weeks', timeUnit: 'week', calibrationEndDate: '2024-02-26', holdoutMonths: 0, holdoutEndDate: '2024-03-25' },
    { split: 'days', timeUnit: 'day', calibrationEndDate: '2024-02-26', holdoutMonths: 0, holdoutEndDate: '2024-03-25' },
    // no calibration end: 1 month before the last purchase day (2024-04-01 → 2024-03-01), holdout to 2024-04-01
    { split: 'relative', timeUnit: 'month', calibrationEndDate: null, holdoutMonths: 1, holdoutEndDate: null },
  ]);
  await buildModels(warehouse, readProject(), [SUMMARY_MODEL]);
});

afterAll(() => warehouse.close());

// the summary is keyed by customer_key only; the ids come back from the orders
const JOIN_IDS = 'join (select distinct customer_key, customer_id from stg_orders) ids using (customer_key)';

async function summary(split: string) {
  return warehouse.rows<Record<string, unknown>>(
    `select ids.customer_id, frequency, recency_units, t_units, monetary_cny, holdout_purchase_days, holdout_length_units,
            calibration_end_date::varchar as calibration_end_date
     from ${SUMMARY_MODEL} ${JOIN_IDS} where split = $1 order by ids.customer_id`, [split]);
}

describe('calibration summary', () => {
  it('counts repeat purchase days, recency and T in weeks, and the mean repeat-day value', async () => {
    expect(await summary('weeks')).toEqual([
      // A: days Jan 1, Jan 15, Feb 5 → 2 repeats; recency 35 days = 5 weeks; T 56 days = 8 weeks; (20 + 40) / 2
      { customer_id: 'A', frequency: 2, recency_units: 5, t_units: 8, monetary_cny: 30, holdout_purchase_days: 1, holdout_length_units: 4, calibration_end_date: '2024-02-26' },
      // B: one purchase day, T 14 days = 2 weeks, no repeat value
      { customer_id: 'B', frequency: 0, recency_units: 0, t_units: 2, monetary_cny: null, holdout_purchase_days: 0, holdout_length_units: 4, calibration_end_date: '2024-02-26' },
      // D: the cancelled order does not count; first purchase Jan 20, T 37 days
      { customer_id: 'D', frequency: 0, recency_units: 0, t_units: 37 / 7, monetary_cny: null, holdout_purchase_days: 0, holdout_length_units: 4, calibration_end_date: '2024-02-26' },
    ]);
  });
  it('keeps the history as it stood one month before the calibration end', async () => {
    const rows = await warehouse.rows<Record<string, unknown>>(
      `select ids.customer_id, frequency_month_ago, recency_month_ago_units, t_month_ago_units
       from ${SUMMARY_MODEL} ${JOIN_IDS} where split = 'days' order by ids.customer_id`);
    // month ago = 2024-01-26. A: days Jan 1 and Jan 15 → 1 repeat, recency 14, T 25; B: first buys Feb 12 → none;
    // D: Jan 20 only → 0 repeats, T 6
    expect(rows).toEqual([
      { customer_id: 'A', frequency_month_ago: 1, recency_month_ago_units: 14, t_month_ago_units: 25 },
      { customer_id: 'B', frequency_month_ago: null, recency_month_ago_units: null, t_month_ago_units: null },
      { customer_id: 'D', frequency_month_ago: 0, recency_month_ago_units: 0, t_month_ago_units: 6 },
    ]);
  });
  it('measures in days with --time-unit day', async () => {
    const rows = await summary('days');
    expect(rows.map((r) => [r['customer_id'], r['recency_units'], r['t_units']])).toEqual([['A', 35, 56], ['B', 0, 14], ['D', 0, 37]]);
  });
  it('ends the calibration holdout_months before the last purchase day when no date is given', async () => {
    const rows = await summary('relative');
    // last purchase day 2024-04-01 → calibration end 2024-03-01; A's Mar 1 purchase is in calibration now;
    // C first buys on Mar 10, after it: not in the split. Months are 30.4375 days.
    expect(rows.map((r) => r['customer_id'])).toEqual(['A', 'B', 'D']);
    // (20 + 40 + 7) / 3, rounded to 6 decimals
    expect(rows[0]).toMatchObject({ frequency: 3, monetary_cny: 22.333333, holdout_purchase_days: 1, calibration_end_date: '2024-03-01' });
    expect(rows[0]?.['t_units']).toBeCloseTo(60 / 30.4375, 12);
    expect(rows[0]?.['holdout_length_units']).toBeCloseTo(31 / 30.4375, 12);
  });
  it('passes the data tests of its .yml', async () => {
    const results = await runDataTests(warehouse, readProject(), [SUMMARY_MODEL]);
    expect(results.filter((r) => r.status !== 'pass')).toEqual([]);
  });
});

describe('historical fallback', () => {
  it('writes a historical model with the reason when too few customers bought again', async () => {
    await createFittedTables(warehouse);
    const result = await fitSplit(warehouse, 'weeks', { timeUnit: 'week', horizonMonths: 12, monthlyDiscountRate: 0.01, minRepeatBuyers: 30, paretoNbd: false, clv: true });
    expect(result.fits).toBeNull();
    expect(result.warnings[0]).toMatch(/only 1 of 3 customers bought again.*falls back to historical/);
    const models = await warehouse.rows<{ model: string; warning: string }>('select model, warning from clv_fitted_models');
    expect(models).toEqual([{ model: 'historical', warning: result.warnings[0] }]);
    // A's own repeat rate: 2 repeats in 8 weeks → 0.25 a week; the 4-week holdout expects 1 purchase day
    const [a] = await warehouse.rows<{ holdout: number; p_alive: number | null }>(
      `select expected_purchases_holdout as holdout, p_alive from clv_fitted_histories where frequency = 2`);
    expect(a?.holdout).toBeCloseTo(1, 12);
    expect(a?.p_alive).toBeNull();
  });
});
