// The CLV marts in a real build: with a tiny history the models cannot be fitted, and the build still produces
// every mart (historical CLV, warning in clv_model_fit) with its data tests passing.
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { generateSample, DEFAULT_GENERATE_OPTIONS } from '../pipelines/generate/index.ts';
import { runCommand } from '../pipelines/commands/run.ts';
import { withWarehouse } from '../pipelines/db/warehouse.ts';
import { tempDir } from './helpers/fixtures.ts';

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
