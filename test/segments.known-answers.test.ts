// Known answers for every segmentation scheme on small hand-made histories. Every expected value was worked out
// by hand (see the comments), not produced by the models.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { Warehouse } from '../pipelines/db/warehouse.ts';
import { buildStep, loadStep, testStep, type ProjectLocation } from '../pipelines/pipeline/steps.ts';
import { describeFailures } from '../pipelines/runner/data-tests.ts';
import { customer, order, projectWithSegmentation, tempDir, writeExports } from './helpers/fixtures.ts';

type Config = Record<string, any>;

async function buildWarehouse(exportsDir: string, project: ProjectLocation): Promise<Warehouse> {
  const warehouse = await Warehouse.open(':memory:');
  await loadStep(warehouse, exportsDir, project);
  await buildStep(warehouse, [], project);
  return warehouse;
}

/** Segment names per customer at one month end, for one scheme, from the long history. */
async function segmentsAt(warehouse: Warehouse, scheme: string, month: string): Promise<Record<string, string>> {
  const rows = await warehouse.rows<{ customer_id: string; segment: string }>(`
    select customers.customer_id, definitions.segment
    from customer_segment_history as history
    join int_evaluation_months_generated as months using (month_index)
    join segment_definitions as definitions using (scheme_code, segment_rank)
    join stg_customers as customers using (customer_key)
    where definitions.scheme = $1 and months.month_start_date = $2::date
    order by customers.customer_id`, [scheme, month]);
  return Object.fromEntries(rows.map((r) => [r.customer_id, r.segment]));
}

describe('value tiers with hysteresis (downgrade_after_months: 3, one-month window)', () => {
  // H01 buys 40,000 (Gold) in Jan 2024, nothing Feb–Apr, 40,000 again in May; H02 buys 6,000 (Silver) every month.
  const exportsDir = writeExports(join(tempDir('hysteresis'), 'exports'), {
    customers: [customer('H01'), customer('H02')],
    orders: [
      order('H01', '2024-01-10', 40000), order('H01', '2024-05-10', 40000),
      ...['01', '02', '03', '04', '05'].map((m) => order('H02', `2024-${m}-05`, 6000)),
    ],
  });
  const hysteresis = (n: number) => projectWithSegmentation((c: Config) => {
    c['value_tiers']['window_months'] = 1;
    c['value_tiers']['downgrade_after_months'] = n;
  });
  let held: Warehouse;
  let immediate: Warehouse;
  let longest: Warehouse;
  beforeAll(async () => {
    held = await buildWarehouse(exportsDir, hysteresis(3));
    immediate = await buildWarehouse(exportsDir, hysteresis(1));
    longest = await buildWarehouse(exportsDir, hysteresis(6));
  });
  afterAll(() => { held.close(); immediate.close(); longest.close(); });

  it('keeps Gold until the third consecutive month below, and upgrades at once', async () => {
    const months = ['2024-01-01', '2024-02-01', '2024-03-01', '2024-04-01', '2024-05-01'];
    const tiers = async (w: Warehouse) => Promise.all(months.map(async (m) => (await segmentsAt(w, 'value', m))['H01']));
    // raw: Gold, Regular, Regular, Regular, Gold → held: the best of the last 3 months
    expect(await tiers(held)).toEqual(['Gold', 'Gold', 'Gold', 'Regular', 'Gold']);
    expect(await tiers(immediate)).toEqual(['Gold', 'Regular', 'Regular', 'Regular', 'Gold']);
    // the longest hold the config allows: three months below are not enough
    expect(await tiers(longest)).toEqual(['Gold', 'Gold', 'Gold', 'Gold', 'Gold']);
  });

  it('records the moves in tier_migration_monthly and they add up to the tier counts', async () => {
    const moves = await held.rows(`
      select strftime(month_start_date, '%Y-%m') as month, from_segment, to_segment, customers, revenue_cny
      from tier_migration_monthly where scheme = 'value' order by month, from_segment_rank, to_segment_rank`);
    expect(moves).toEqual([
      { month: '2024-01', from_segment: 'Prospect', to_segment: 'Gold', customers: 1, revenue_cny: 40000 },
      { month: '2024-01', from_segment: 'Prospect', to_segment: 'Silver', customers: 1, revenue_cny: 6000 },
      { month: '2024-02', from_segment: 'Gold', to_segment: 'Gold', customers: 1, revenue_cny: 0 },
      { month: '2024-02', from_segment: 'Silver', to_segment: 'Silver', customers: 1, revenue_cny: 6000 },
      { month: '2024-03', from_segment: 'Gold', to_segment: 'Gold', customers: 1, revenue_cny: 0 },
      { month: '2024-03', from_segment: 'Silver', to_segment: 'Silver', customers: 1, revenue_cny: 6000 },
      { month: '2024-04', from_segment: 'Gold', to_segment: 'Regular', customers: 1, revenue_cny: 0 },
      { month: '2024-04', from_segment: 'Silver', to_segment: 'Silver', customers: 1, revenue_cny: 6000 },
      { month: '2024-05', from_segment: 'Silver', to_segment: 'Silver', customers: 1, revenue_cny: 6000 },
      { month: '2024-05', from_segment: 'Regular', to_segment: 'Gold', customers: 1, revenue_cny: 40000 },
    ]);
    const kpis = await held.rows(`
      select segment, customers, upgrade_rate, downgrade_rate, retention_rate from segment_kpis_monthly
      where scheme = 'value' and month_start_date = '2024-04-01' order by segment_rank`);
    expect(kpis).toEqual([
      { segment: 'Diamond', customers: 0, upgrade_rate: null, downgrade_rate: null, retention_rate: null },
      { segment: 'Gold', customers: 0, upgrade_rate: null, downgrade_rate: null, retention_rate: 0 }, // H01 left
      { segment: 'Silver', customers: 1, upgrade_rate: 0, downgrade_rate: 0, retention_rate: 1 },
      { segment: 'Regular', customers: 1, upgrade_rate: 0, downgrade_rate: 1, retention_rate: null },
    ]);
    expect(describeFailures(await testStep(held, []))).toEqual([]);
  });

  it('compares any earlier month end with the latest (May 2024) in segment_migration_between_months', async () => {
    const moves = await held.rows(`
      select months_back, strftime(from_month_start_date, '%Y-%m') as from_month, from_segment, to_segment, customers, revenue_cny
      from segment_migration_between_months where scheme = 'value' order by months_back, from_segment_rank, to_segment_rank`);
    // revenue is lifetime revenue in May minus then: H01 80,000 − 40,000; H02 30,000 − 6,000 a month
    expect(moves).toEqual([
      { months_back: 1, from_month: '2024-04', from_segment: 'Silver', to_segment: 'Silver', customers: 1, revenue_cny: 6000 },
      { months_back: 1, from_month: '2024-04', from_segment: 'Regular', to_segment: 'Gold', customers: 1, revenue_cny: 40000 },
      { months_back: 2, from_month: '2024-03', from_segment: 'Gold', to_segment: 'Gold', customers: 1, revenue_cny: 40000 },
      { months_back: 2, from_month: '2024-03', from_segment: 'Silver', to_segment: 'Silver', customers: 1, revenue_cny: 12000 },
      { months_back: 3, from_month: '2024-02', from_segment: 'Gold', to_segment: 'Gold', customers: 1, revenue_cny: 40000 },
      { months_back: 3, from_month: '2024-02', from_segment: 'Silver', to_segment: 'Silver', customers: 1, revenue_cny: 18000 },
      { months_back: 4, from_month: '2024-01', from_segment: 'Gold', to_segment: 'Gold', customers: 1, revenue_cny: 40000 },
      { months_back: 4, from_month: '2024-01', from_segment: 'Silver', to_segment: 'Silver', customers: 1, revenue_cny: 24000 },
    ]);
  });
});

describe('moves between quarter ends in segment_migration_between_months (one-month window, no hold)', () => {
  // Q1: 6,000 in Dec 2023 (Silver), nothing in March (Regular), 40,000 in June (Gold), nothing in August (Regular).
  // Q2: first order in March 2024 (Silver), 6,000 again in June and August (Silver). The latest month is August.
  const exportsDir = writeExports(join(tempDir('quarters'), 'exports'), {
    customers: [customer('Q1'), customer('Q2')],
    orders: [
      order('Q1', '2023-12-10', 6000), order('Q1', '2024-06-10', 40000),
      order('Q2', '2024-03-05', 6000), order('Q2', '2024-06-05', 6000), order('Q2', '2024-08-05', 6000),
    ],
  });
  let warehouse: Warehouse;
  beforeAll(async () => {
    warehouse = await buildWarehouse(exportsDir, projectWithSegmentation((c: Config) => {
      c['value_tiers']['window_months'] = 1;
      c['value_tiers']['downgrade_after_months'] = 1;
    }));
  });
  afterAll(() => warehouse.close());

  it('holds every quarter end to every later one, and every month end to the latest', async () => {
    const comparisons = await warehouse.rows(`
      select distinct strftime(from_month_start_date, '%Y-%m') as from_month, strftime(to_month_start_date, '%Y-%m') as to_month
      from segment_migration_between_months where scheme = 'value' order by to_month, from_month`);
    expect(comparisons).toEqual([
      { from_month: '2023-12', to_month: '2024-03' },
      { from_month: '2023-12', to_month: '2024-06' },
      { from_month: '2024-03', to_month: '2024-06' },
      ...['2023-12', '2024-01', '2024-02', '2024-03', '2024-04', '2024-05', '2024-06', '2024-07'].map((from) => ({ from_month: from, to_month: '2024-08' })),
    ]);
    const moves = await warehouse.rows(`
      select strftime(from_month_start_date, '%Y-%m') as from_month, strftime(to_month_start_date, '%Y-%m') as to_month,
        months_back, from_segment, to_segment, customers, revenue_cny
      from segment_migration_between_months
      where scheme = 'value' and (not is_to_latest_month or from_month_start_date = '2024-06-01')
      order by to_month, from_month, from_segment_rank, to_segment_rank`);
    // revenue is lifetime revenue at the later month end minus at the earlier one (all of it for a prospect then)
    expect(moves).toEqual([
      { from_month: '2023-12', to_month: '2024-03', months_back: 3, from_segment: 'Prospect', to_segment: 'Silver', customers: 1, revenue_cny: 6000 },
      { from_month: '2023-12', to_month: '2024-03', months_back: 3, from_segment: 'Silver', to_segment: 'Regular', customers: 1, revenue_cny: 0 },
      { from_month: '2023-12', to_month: '2024-06', months_back: 6, from_segment: 'Prospect', to_segment: 'Silver', customers: 1, revenue_cny: 12000 },
      { from_month: '2023-12', to_month: '2024-06', months_back: 6, from_segment: 'Silver', to_segment: 'Gold', customers: 1, revenue_cny: 40000 },
      { from_month: '2024-03', to_month: '2024-06', months_back: 3, from_segment: 'Silver', to_segment: 'Silver', customers: 1, revenue_cny: 6000 },
      { from_month: '2024-03', to_month: '2024-06', months_back: 3, from_segment: 'Regular', to_segment: 'Gold', customers: 1, revenue_cny: 40000 },
      { from_month: '2024-06', to_month: '2024-08', months_back: 2, from_segment: 'Gold', to_segment: 'Regular', customers: 1, revenue_cny: 0 },
      { from_month: '2024-06', to_month: '2024-08', months_back: 2, from_segment: 'Silver', to_segment: 'Silver', customers: 1, revenue_cny: 6000 },
    ]);
    expect(describeFailures(await testStep(warehouse, []))).toEqual([]);
  });
});

describe('ABC, weighted score and lifecycle at 2024-12-31', () => {
  // Five buyers with trailing-12-month revenue 50, 30, 10, 5, 5 (total 100), one order each in 2024, plus the
  // lifecycle cases below.
  const exportsDir = writeExports(join(tempDir('schemes'), 'exports'), {
    customers: ['A1', 'B1', 'C1', 'D1', 'E1', 'N1', 'L1', 'R1', 'R2', 'V1', 'X1', 'W1', 'P1'].map((id) => customer(id, { created_date: '2022-01-01' })),
    orders: [
      order('A1', '2024-12-20', 50), order('B1', '2024-12-20', 30), order('C1', '2024-12-20', 10),
      order('D1', '2024-12-20', 5), order('E1', '2024-12-20', 5),
      order('N1', '2024-12-01', 1000), // first purchase 30 days ago → new
      ...['01', '02', '03', '04', '05', '06', '07', '08', '09', '10', '11', '12'].map((m) => order('L1', `2024-${m}-15`, 100)), // → loyal
      order('R1', '2024-03-01', 100), order('R1', '2024-06-01', 100), // 213 days without a purchase > 180 → at risk
      order('R2', '2024-08-01', 100), order('R2', '2024-08-11', 100), order('R2', '2024-08-21', 100), // 132 days > 2 × 10-day gap → at risk
      order('V1', '2024-05-01', 100), order('V1', '2024-11-01', 100), // 60 days < 2 × 184 → active
      order('X1', '2023-06-01', 100), // 579 days > 365 → churned
      order('W1', '2023-01-10', 100), order('W1', '2024-11-20', 100), // back after 680 days, 41 days ago → won back
    ],
  });
  // no hysteresis here: the classes are those of December alone
  const atOnce = (c: Config) => { for (const scheme of ['value_tiers', 'abc', 'score', 'rfm']) c[scheme]['downgrade_after_months'] = 1; };
  let pareto: Warehouse;
  let percentile: Warehouse;
  beforeAll(async () => {
    pareto = await buildWarehouse(exportsDir, projectWithSegmentation((c: Config) => {
      atOnce(c);
      c['score']['weights'] = { monetary: 1 };
    }));
    percentile = await buildWarehouse(exportsDir, projectWithSegmentation((c: Config) => {
      atOnce(c);
      c['abc'] = { ...c['abc'], method: 'percentile', classes: [
        { name: 'A', label_zh: 'A', up_to_share: 0.2 }, { name: 'B', label_zh: 'B', up_to_share: 0.5 }, { name: 'C', label_zh: 'C', up_to_share: 1 }] };
    }));
  });
  afterAll(() => { pareto.close(); percentile.close(); });

  it('classes A/B/C by the share of revenue ranked above each customer (pareto)', async () => {
    const abc = await segmentsAt(pareto, 'abc', '2024-12-01');
    // 12 buyers; trailing revenue: L1 1,200, N1 1,000, R2 300, R1/V1 200, W1 100, A1 50, B1 30, C1 10, D1/E1 5, X1 0
    // (total 3,100). Share above: L1 0 → A; N1 0.387 → A; R2 0.710 → B; R1, V1 (tie) 0.806 → B; W1 0.935 → C …
    expect(abc).toMatchObject({ L1: 'A', N1: 'A', R2: 'B', R1: 'B', V1: 'B', W1: 'C', A1: 'C', X1: 'C' });
  });

  it('classes by rank percentile, ties sharing the better class', async () => {
    const abc = await segmentsAt(percentile, 'abc', '2024-12-01');
    // 12 buyers: share of customers ranked above: L1 0, N1 1/12 → A; R2 2/12, R1/V1 3/12 → A/B (0.167 < 0.2 → A; 0.25 → B)
    // W1 5/12 → B; A1 6/12 = 0.5 → C; the rest C
    expect(abc).toMatchObject({ L1: 'A', N1: 'A', R2: 'A', R1: 'B', V1: 'B', W1: 'B', A1: 'C', D1: 'C', X1: 'C' });
  });

  it('scores 0–100 against the month\'s 95th percentile (monetary weight only)', async () => {
    const rows = await pareto.rows<{ customer_id: string; customer_score: number; score_tier: string }>(`
      select customer_id, customer_score, score_tier from customer_segments_current
      where customer_id in ('L1', 'N1', 'R2', 'A1', 'X1') order by customer_id`);
    // lifetime revenue sorted: 5 5 10 30 50 100 200 200 200 300 1000 1200 (12 buyers; W1 200, X1 100)
    // type-7 95th percentile: index 1 + 11 × 0.95 = 11.45 → 1,000 + 0.45 × 200 = 1,090
    expect(rows).toEqual([
      { customer_id: 'A1', customer_score: 4.6, score_tier: 'Low' }, // 50 / 1,090
      { customer_id: 'L1', customer_score: 100, score_tier: 'Key' }, // capped at 1
      { customer_id: 'N1', customer_score: 91.7, score_tier: 'Key' }, // 1,000 / 1,090
      { customer_id: 'R2', customer_score: 27.5, score_tier: 'Maintain' }, // 300 / 1,090
      { customer_id: 'X1', customer_score: 9.2, score_tier: 'Low' }, // 100 / 1,090
    ]);
  });

  it('assigns lifecycle stages, with prospects in customer_segments_current', async () => {
    const rows = await pareto.rows<{ customer_id: string; lifecycle_stage: string }>(`
      select customer_id, lifecycle_stage from customer_segments_current
      where customer_id in ('N1', 'L1', 'R1', 'R2', 'V1', 'X1', 'W1', 'P1') order by customer_id`);
    expect(Object.fromEntries(rows.map((r) => [r.customer_id, r.lifecycle_stage]))).toEqual({
      N1: 'New', L1: 'Loyal', R1: 'At Risk', R2: 'At Risk', V1: 'Active', X1: 'Churned', W1: 'Won Back', P1: 'Prospect',
    });
    // W1 was churned at the end of October 2024 (660 days) and came back in November
    const w1 = await pareto.rows(`
      select strftime(month_start_date, '%Y-%m') as month, from_segment, to_segment from tier_migration_monthly
      where scheme = 'lifecycle' and month_start_date = '2024-11-01' and from_segment = 'Churned' and to_segment = 'Won Back'`);
    expect(w1).toEqual([{ month: '2024-11', from_segment: 'Churned', to_segment: 'Won Back' }]);
    expect(describeFailures(await testStep(pareto, []))).toEqual([]);
  });
});

describe('ABC with tied, zero and negative trailing revenue (pareto)', () => {
  // Q1 and Q2 120 each, Z1 0 (a completed order of 0), M1 −40 (a credit note booked as a completed order): total 200
  const exportsDir = writeExports(join(tempDir('abc-edges'), 'exports'), {
    customers: ['Q1', 'Q2', 'Z1', 'M1'].map((id) => customer(id, { created_date: '2022-01-01' })),
    orders: [order('Q1', '2024-12-10', 120), order('Q2', '2024-12-11', 120), order('Z1', '2024-12-12', 0), order('M1', '2024-12-13', -40)],
  });
  let warehouse: Warehouse;
  beforeAll(async () => { warehouse = await buildWarehouse(exportsDir, projectWithSegmentation(() => {})); });
  afterAll(() => warehouse.close());

  it('gives a tie the class of its first member and puts zero and negative revenue past every share', async () => {
    // revenue strictly above: Q1/Q2 0 → A (< 0.7); Z1 240 and M1 240 → 1.2 of the total, under no share → C
    expect(await segmentsAt(warehouse, 'abc', '2024-12-01')).toEqual({ Q1: 'A', Q2: 'A', Z1: 'C', M1: 'C' });
  });
});

describe('no look-ahead for every scheme', () => {
  it('gives the same history up to June 2024 whether or not later orders exist', async () => {
    const early = [order('K1', '2024-01-05', 9000), order('K2', '2024-02-05', 300), order('K2', '2024-05-05', 300), order('K3', '2024-03-01', 70000)];
    const later = [order('K1', '2024-07-05', 90000), order('K4', '2024-08-01', 100), order('K3', '2024-09-01', 5)];
    const customers = ['K1', 'K2', 'K3', 'K4'].map((id) => customer(id));
    const cut = writeExports(join(tempDir('lookahead-cut'), 'exports'), { customers, orders: early });
    const full = writeExports(join(tempDir('lookahead-full'), 'exports'), { customers, orders: [...early, ...later] });
    const a = await buildWarehouse(cut, projectWithSegmentation((config: Config) => { config['as_of_date'] = '2024-06-30'; }));
    const b = await buildWarehouse(full, projectWithSegmentation(() => {}));
    const c = await buildWarehouse(full, projectWithSegmentation((config: Config) => { config['as_of_date'] = '2024-06-30'; }));
    try {
      const history = (w: Warehouse) => w.rows(`
        select * exclude (customer_key) from int_customer_segments_evaluated
        where month_index <= 2024 * 12 + 5 order by customer_key, month_index`);
      const cutHistory = await history(a);
      expect(cutHistory.length).toBe(6 + 5 + 4); // K1 Jan–Jun, K2 Feb–Jun, K3 Mar–Jun
      expect(await history(b)).toEqual(cutHistory);
      expect(await history(c)).toEqual(cutHistory);
    } finally {
      a.close(); b.close(); c.close();
    }
  });
});
