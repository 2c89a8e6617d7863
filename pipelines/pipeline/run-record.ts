import { RUN_TABLES_DDL } from '../db/run-tables.ts';
import { randomUUID } from 'node:crypto';
import type { Warehouse } from '../db/warehouse.ts';
import { createKysely } from '../db/kysely.ts';
import type { WarehouseSchema } from '../db/schema.ts';
import type { LoadResult } from '../ingest/load-sources.ts';
import type { DataTestResult } from '../runner/data-tests.ts';

export interface RunRecord {
  readonly run_id: string;
  readonly started_at: Date;
  readonly finished_at: Date;
  readonly as_of_date: string | null;
  readonly customers_loaded: number;
  readonly orders_loaded: number;
  readonly rows_quarantined: number;
  readonly models_built: number;
  readonly tests_passed: number;
  readonly tests_failed: number;
}

/**
 * Appends one row to warehouse_runs and the run's data test results to data_test_results, so the dashboard can say
 * when the data was last refreshed and how it went.
 */
export async function recordRun(warehouse: Warehouse, startedAt: Date, load: LoadResult, modelsBuilt: number, tests: readonly DataTestResult[]): Promise<RunRecord> {
  const db = createKysely<WarehouseSchema>(warehouse);
  const asOf = await db
    .selectFrom('tier_kpis_monthly')
    .select((eb) => eb.fn.max('month_end_date').as('as_of_date'))
    .executeTakeFirst();
  const loaded = (table: string) => load.files.find((f) => f.table === table)?.rows_loaded ?? 0;
  const record: RunRecord = {
    run_id: randomUUID(),
    started_at: startedAt,
    finished_at: new Date(),
    as_of_date: asOf?.as_of_date ?? null,
    customers_loaded: loaded('customers'),
    orders_loaded: loaded('orders'),
    rows_quarantined: load.files.reduce((sum, f) => sum + f.rows_quarantined, 0),
    models_built: modelsBuilt,
    tests_passed: tests.filter((t) => t.status === 'pass').length,
    tests_failed: tests.filter((t) => t.status !== 'pass').length,
  };
  await warehouse.exec(RUN_TABLES_DDL);
  await db.insertInto('warehouse_runs').values({ ...record }).execute();
  if (tests.length > 0) {
    await db.insertInto('data_test_results').values(tests.map((t) => ({
      run_id: record.run_id, model: t.model, column_name: t.column, test: t.test, status: t.status, failures: t.failures, error: t.error ?? null,
    }))).execute();
  }
  await snapshotClvTiers(warehouse, record.run_id);
  return record;
}

/**
 * Keeps this run's latest-month CLV tiers in clv_tier_snapshots (replacing an earlier run's for the same month),
 * so that clv_tier_kpis_monthly has a history: CLV is fitted once per run, at the latest data.
 */
async function snapshotClvTiers(warehouse: Warehouse, runId: string): Promise<void> {
  const [mart] = await warehouse.rows<{ n: number }>(`select count(*) as n from information_schema.tables where table_name = 'clv_tier_kpis_monthly'`);
  if (!mart?.n) return;
  const db = createKysely<WarehouseSchema>(warehouse);
  const latest = db.selectFrom('clv_tier_kpis_monthly').select((eb) => eb.fn.max('month_start_date').as('month_start_date'));
  await db.deleteFrom('clv_tier_snapshots').where('month_start_date', '=', latest).execute();
  await db.insertInto('clv_tier_snapshots')
    .columns(['month_start_date', 'segment_rank', 'customers', 'active_customers', 'orders', 'revenue_cny', 'repeat_customers', 'clv_cny', 'run_id'])
    .expression(db.selectFrom('clv_tier_kpis_monthly')
      .select(['month_start_date', 'segment_rank', 'customers', 'active_customers', 'orders', 'revenue_cny', 'repeat_customers', 'clv_cny'])
      .select((eb) => eb.val(runId).as('run_id'))
      .where('month_start_date', '=', latest))
    .execute();
}
