// Known answers on a hand-made 10-buyer history: every expected value below was worked out by hand
// (see the comments), not produced by the models.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { Warehouse } from '../pipelines/db/warehouse.ts';
import { buildStep, loadStep, testStep, DEFAULT_PROJECT, type ProjectLocation } from '../pipelines/pipeline/steps.ts';
import { describeFailures } from '../pipelines/runner/data-tests.ts';
import { customer, order, projectWithSegmentation, tempDir, writeExports } from './helpers/fixtures.ts';

const exportsDir = writeExports(join(tempDir('known-answers'), 'exports'), {
  customers: [
    ...['C01', 'C02', 'C03', 'C04', 'C05', 'C06', 'C07', 'C08', 'C09', 'C10'].map((id) => customer(id)),
    customer('C11'), // a prospect: never orders
    customer('C12'), // only a cancelled order: not a buyer
  ],
  orders: [
    order('C01', '2024-06-10', 50000), order('C01', '2024-12-20', 60000),
    order('C02', '2024-11-15', 40000),
    order('C03', '2023-06-01', 200000), order('C03', '2024-03-01', 6000),
    ...['2024-08-01', '2024-09-01', '2024-10-01', '2024-11-01', '2024-12-30'].map((d) => order('C04', d, 100)),
    order('C05', '2024-01-15', 30000),
    order('C06', '2023-12-31', 99999),
    order('C07', '2024-10-10', 5000),
    order('C08', '2024-12-01', '4999.99'), order('C08', '2024-12-02', 100000, 'cancelled'),
    order('C09', '2024-07-07', 1000), order('C09', '2024-07-08', 1000), order('C09', '2024-07-09', 1000),
    order('C10', '2024-02-02', '29999.99'), order('C10', '2024-05-05', '0.02'),
    order('C12', '2024-04-04', 70000, 'cancelled'),
  ],
});

async function buildWarehouse(project: ProjectLocation): Promise<Warehouse> {
  const warehouse = await Warehouse.open(':memory:');
  await loadStep(warehouse, exportsDir, project);
  await buildStep(warehouse, [], project);
  return warehouse;
}

describe('known answers at the latest month end (as_of_date: latest → 2024-12-31)', () => {
  let warehouse: Warehouse;
  beforeAll(async () => {
    warehouse = await buildWarehouse(DEFAULT_PROJECT);
  });
  afterAll(() => warehouse.close());

  it('passes every data test declared in the models', async () => {
    const results = await testStep(warehouse, []);
    expect(describeFailures(results)).toEqual([]);
  });

  it('assigns member levels from trailing-12-month revenue (Jan–Dec 2024)', async () => {
    const rows = await warehouse.rows<{ customer_id: string; tier: string; trailing_revenue_cny: number }>(
      'select customer_id, tier, trailing_revenue_cny from customer_value_tier order by customer_id');
    expect(rows).toEqual([
      { customer_id: 'C01', tier: 'Diamond', trailing_revenue_cny: 110000 }, // 50,000 + 60,000
      { customer_id: 'C02', tier: 'Gold', trailing_revenue_cny: 40000 },
      { customer_id: 'C03', tier: 'Silver', trailing_revenue_cny: 6000 }, // the 200,000 of Jun 2023 left the window
      { customer_id: 'C04', tier: 'Regular', trailing_revenue_cny: 500 },
      { customer_id: 'C05', tier: 'Gold', trailing_revenue_cny: 30000 }, // Jan 2024 is still inside; threshold is ≥
      { customer_id: 'C06', tier: 'Regular', trailing_revenue_cny: 0 }, // Dec 2023 is just outside
      { customer_id: 'C07', tier: 'Silver', trailing_revenue_cny: 5000 }, // exactly the Silver minimum
      { customer_id: 'C08', tier: 'Regular', trailing_revenue_cny: 4999.99 }, // the cancelled 100,000 does not count
      { customer_id: 'C09', tier: 'Regular', trailing_revenue_cny: 3000 },
      { customer_id: 'C10', tier: 'Gold', trailing_revenue_cny: 30000.01 },
    ]);
  });

  it('keeps prospects and cancelled-only customers out of the tiers', async () => {
    const rows = await warehouse.rows<{ n: number }>(`select count(*) as n from customer_value_tier where customer_id in ('C11', 'C12')`);
    expect(rows[0]?.n).toBe(0);
  });

  it('tracks each month: C03 is Diamond through May 2024 and drops to Silver in June', async () => {
    const rows = await warehouse.rows<{ month_start_date: string; value_tier: string }>(`
      select months.month_start_date, tiers.tier as value_tier
      from int_customer_segments_evaluated as evaluated
      join int_evaluation_months_generated as months using (month_index)
      join tier_definitions as tiers on tiers.tier_rank = evaluated.value_tier_rank
      join stg_customers as customers using (customer_key)
      where customers.customer_id = 'C03' and months.month_start_date in ('2023-06-01', '2024-02-01', '2024-05-01', '2024-06-01', '2024-12-01')
      order by months.month_start_date`);
    expect(rows).toEqual([
      { month_start_date: '2023-06-01', value_tier: 'Diamond' },
      { month_start_date: '2024-02-01', value_tier: 'Diamond' },
      { month_start_date: '2024-05-01', value_tier: 'Diamond' },
      { month_start_date: '2024-06-01', value_tier: 'Silver' }, // 200,000 leaves the window; 6,000 of March remains
      { month_start_date: '2024-12-01', value_tier: 'Silver' },
    ]);
  });

  it('aggregates tier KPIs per month: December 2024', async () => {
    const rows = await warehouse.rows(`
      select tier, customers, active_customers, orders, revenue_cny, downgraded_customers from tier_kpis_monthly
      where month_start_date = '2024-12-01' order by tier_rank`);
    expect(rows).toEqual([
      { tier: 'Diamond', customers: 1, active_customers: 1, orders: 1, revenue_cny: 60000, downgraded_customers: 0 },
      { tier: 'Gold', customers: 3, active_customers: 0, orders: 0, revenue_cny: 0, downgraded_customers: 0 },
      { tier: 'Silver', customers: 2, active_customers: 0, orders: 0, revenue_cny: 0, downgraded_customers: 0 },
      // C06 falls from Gold (99,999 of Dec 2023) to Regular in Dec 2024; C04 and C08 ordered
      { tier: 'Regular', customers: 4, active_customers: 2, orders: 2, revenue_cny: 5099.99, downgraded_customers: 1 },
    ]);
    const [months] = await warehouse.rows<{ n: number; first: string; last: string }>(
      'select count(distinct month_start_date) as n, min(month_start_date) as first, max(month_end_date) as last from tier_kpis_monthly');
    expect(months).toEqual({ n: 19, first: '2023-06-01', last: '2024-12-31' }); // Jun 2023 … Dec 2024
  });

  it('scores RFM in equal-size bins by rank (rfm.method: rank) and names segments by the first matching rule', async () => {
    const rankProject = projectWithSegmentation((config) => { (config['rfm'] as Record<string, unknown>)['method'] = 'rank'; });
    const rankWarehouse = await buildWarehouse(rankProject);
    const rows = await rankWarehouse.rows(`
      select customer_id, recency_days, frequency_orders, monetary_cny, rfm_score, rfm_segment
      from customer_rfm order by customer_id`);
    // Recency days to 2024-12-31 ranked longest first: C06 366, C05 351 → 1; C03 305, C10 240 → 2; C09 175, C07 82 → 3;
    // C02 46, C08 30 → 4; C01 11, C04 1 → 5. Frequency: five customers tie at 1 order (rank 1 → score 1),
    // 2 orders rank 6 → 1 + floor(5·5/10) = 3, C09 (rank 9) and C04 (rank 10) → 5. Monetary: pairs by rank as for recency.
    expect(rows).toEqual([
      { customer_id: 'C01', recency_days: 11, frequency_orders: 2, monetary_cny: 110000, rfm_score: '535', rfm_segment: 'Loyal Customers' },
      { customer_id: 'C02', recency_days: 46, frequency_orders: 1, monetary_cny: 40000, rfm_score: '414', rfm_segment: 'New Customers' },
      { customer_id: 'C03', recency_days: 305, frequency_orders: 2, monetary_cny: 206000, rfm_score: '235', rfm_segment: 'At Risk' },
      { customer_id: 'C04', recency_days: 1, frequency_orders: 5, monetary_cny: 500, rfm_score: '551', rfm_segment: 'Others' },
      { customer_id: 'C05', recency_days: 351, frequency_orders: 1, monetary_cny: 30000, rfm_score: '113', rfm_segment: 'Hibernating' },
      { customer_id: 'C06', recency_days: 366, frequency_orders: 1, monetary_cny: 99999, rfm_score: '114', rfm_segment: 'Hibernating' },
      { customer_id: 'C07', recency_days: 82, frequency_orders: 1, monetary_cny: 5000, rfm_score: '312', rfm_segment: 'Promising' },
      { customer_id: 'C08', recency_days: 30, frequency_orders: 1, monetary_cny: 4999.99, rfm_score: '412', rfm_segment: 'New Customers' },
      { customer_id: 'C09', recency_days: 175, frequency_orders: 3, monetary_cny: 3000, rfm_score: '351', rfm_segment: 'Others' },
      { customer_id: 'C10', recency_days: 240, frequency_orders: 2, monetary_cny: 30000.01, rfm_score: '233', rfm_segment: 'At Risk' },
    ]);
    rankWarehouse.close();
  });
});

describe('no look-ahead: an earlier as-of date ignores every later order', () => {
  it('evaluates tiers and RFM at 2024-06-30 from orders up to that day only', async () => {
    const project = projectWithSegmentation((config) => {
      config['as_of_date'] = '2024-06-30';
    });
    const warehouse = await buildWarehouse(project);
    try {
      const tiers = await warehouse.rows<{ customer_id: string; tier: string; as_of_date: string }>(
        `select customer_id, tier, as_of_date from customer_value_tier where customer_id in ('C01', 'C02', 'C03') order by customer_id`);
      expect(tiers).toEqual([
        { customer_id: 'C01', tier: 'Gold', as_of_date: '2024-06-30' }, // only the 50,000 of 10 June
        { customer_id: 'C03', tier: 'Silver', as_of_date: '2024-06-30' }, // C02 first buys in November: not yet a buyer
      ]);
      const [latest] = await warehouse.rows<{ last_order_date: string }>('select max(last_order_date) as last_order_date from customer_rfm');
      expect(latest?.last_order_date).toBe('2024-06-10');
      expect(describeFailures(await testStep(warehouse, [], project))).toEqual([]);
    } finally {
      warehouse.close();
    }
  });

  it('lets analysts move tier thresholds in config without touching SQL', async () => {
    const project = projectWithSegmentation((config) => {
      const tiers = (config['value_tiers'] as { tiers: { min_revenue_cny: number }[] }).tiers;
      if (tiers[0]) tiers[0].min_revenue_cny = 40000; // Diamond from 40,000
    });
    const warehouse = await buildWarehouse(project);
    try {
      const rows = await warehouse.rows<{ customer_id: string }>(`select customer_id from customer_value_tier where tier = 'Diamond' order by customer_id`);
      expect(rows.map((r) => r.customer_id)).toEqual(['C01', 'C02']);
    } finally {
      warehouse.close();
    }
  });
});
