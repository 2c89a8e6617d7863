// The CLV marts in a real build: with a tiny history the models cannot be fitted, and the build still produces
// every mart (historical CLV, warning in clv_model_fit) with its data tests passing.
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { generateSample, DEFAULT_GENERATE_OPTIONS } from '../pipelines/generate/index.ts';
import { runCommand } from '../pipelines/commands/run.ts';
import { withWarehouse } from '../pipelines/db/warehouse.ts';
import { customer, order, tempDir, writeExports } from './helpers/fixtures.ts';

describe('CLV in the warehouse build', () => {
  it('falls back to historical CLV with a warning when too few customers bought again', async () => {
    const dir = tempDir('clv-warehouse');
    const input = join(dir, 'exports');
    await generateSample({ ...DEFAULT_GENERATE_OPTIONS, customers: 25, months: 12, outDir: input });
    const warehousePath = join(dir, 'warehouse.duckdb');
    const summary = await runCommand({ warehousePath, inputs: [input], generateIfMissing: false, dashboard: false });
    expect(summary.tests.filter((t) => t.status !== 'pass')).toEqual([]);
    await withWarehouse(warehousePath, { readOnly: true }, async (warehouse) => {
      const fits = await warehouse.rows<{ split: string; model: string; warning: string }>('select split, model, warning from clv_model_fit order by split');
      expect(fits.map((f) => [f.split, f.model])).toEqual([['forecast', 'historical'], ['validation', 'historical']]);
      expect(fits[0]?.warning).toMatch(/repeat buyers; CLV falls back to historical/);
      const [clv] = await warehouse.rows<{ customers: number; with_p_alive: number; buyers: number }>(
        `select count(*)::double as customers, count(p_alive)::double as with_p_alive,
                (select count(distinct customer_id)::double from stg_orders where is_revenue) as buyers
         from customer_clv where clv_model = 'historical'`);
      // one row per buyer, no P(alive) without a model
      expect(clv?.customers).toBe(clv?.buyers);
      expect(clv?.with_p_alive).toBe(0);
    });
  });
});

describe('CLV tiers over time (clv_tier_kpis_monthly)', () => {
  // 40 customers who buy in January and March 2024, 8 of them in May too; a second export adds June orders.
  const customers = Array.from({ length: 40 }, (_, i) => customer(`K${String(i + 1).padStart(2, '0')}`));
  const ordersToMay = customers.flatMap((c, i) => [
    order(String(c['customer_id']), '2024-01-15', 100 * (i + 1)),
    order(String(c['customer_id']), '2024-03-15', 50 * (i + 1)),
    ...(i < 8 ? [order(String(c['customer_id']), '2024-05-15', 80 * (i + 1))] : []),
  ]);
  const ordersToJune = [...ordersToMay, ...customers.slice(30).map((c) => order(String(c['customer_id']), '2024-06-10', 900))];
  type Row = { month: string; segment: string; customers: number; revenue_cny: number };
  const tiersByMonth = (warehousePath: string) => withWarehouse(warehousePath, { readOnly: true }, (w) => w.rows<Row>(`
    select strftime(month_start_date, '%Y-%m') as month, segment, customers, revenue_cny
    from clv_tier_kpis_monthly order by month_start_date, segment_rank`));

  it('keeps each run\'s latest month, so the history grows by a month per monthly run', async () => {
    const dir = tempDir('clv-snapshots');
    const warehousePath = join(dir, 'warehouse.duckdb');
    const may = writeExports(join(dir, 'may'), { customers, orders: ordersToMay });
    const june = writeExports(join(dir, 'june'), { customers, orders: ordersToJune });

    const first = await runCommand({ warehousePath, inputs: [may], generateIfMissing: false, dashboard: false });
    expect(first.tests.filter((t) => t.status !== 'pass')).toEqual([]);
    const afterMay = await tiersByMonth(warehousePath);
    expect(new Set(afterMay.map((r) => r.month))).toEqual(new Set(['2024-05']));
    // every buyer has a CLV tier; May's revenue is the 8 May buyers' 80 × (1 + … + 8)
    expect(afterMay.reduce((sum, r) => sum + r.customers, 0)).toBe(40);
    expect(afterMay.reduce((sum, r) => sum + r.revenue_cny, 0)).toBe(80 * 36);

    const second = await runCommand({ warehousePath, inputs: [june], generateIfMissing: false, dashboard: false });
    expect(second.tests.filter((t) => t.status !== 'pass')).toEqual([]);
    const afterJune = await tiersByMonth(warehousePath);
    // May as the first run saw it, June from this run's fit (10 June buyers at 900)
    expect(afterJune.filter((r) => r.month === '2024-05')).toEqual(afterMay);
    expect(afterJune.filter((r) => r.month === '2024-06').reduce((sum, r) => sum + r.revenue_cny, 0)).toBe(9000);

    // the same month again replaces its snapshot instead of adding one
    await runCommand({ warehousePath, inputs: [june], generateIfMissing: false, dashboard: false });
    expect(await tiersByMonth(warehousePath)).toEqual(afterJune);
    const snapshots = await withWarehouse(warehousePath, { readOnly: true }, (w) => w.rows<{ n: number }>('select count(*)::double as n from clv_tier_snapshots'));
    expect(snapshots[0]?.n).toBe(afterJune.length);

    // reloading the May data: June's snapshot is not history of May
    await runCommand({ warehousePath, inputs: [may], generateIfMissing: false, dashboard: false });
    expect(await tiersByMonth(warehousePath)).toEqual(afterMay);
  }, 120_000);
});
