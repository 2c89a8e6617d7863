import { randomUUID } from 'node:crypto';
import type { Warehouse } from '../db/warehouse.ts';
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

/** Appends one row to warehouse_runs, so the dashboard can say when the data was last refreshed and how it went. */
export async function recordRun(warehouse: Warehouse, startedAt: Date, load: LoadResult, modelsBuilt: number, tests: readonly DataTestResult[]): Promise<RunRecord> {
  const [asOf] = await warehouse.rows<{ as_of_date: string | null }>(
    `select max(month_end_date) as as_of_date from int_evaluation_months_generated`,
  ).catch(() => [{ as_of_date: null }]);
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
  await warehouse.exec(`create table if not exists warehouse_runs (
    run_id varchar primary key, started_at timestamp not null, finished_at timestamp not null, as_of_date date,
    customers_loaded bigint not null, orders_loaded bigint not null, rows_quarantined bigint not null,
    models_built integer not null, tests_passed integer not null, tests_failed integer not null)`);
  await warehouse.exec('insert into warehouse_runs values ($1, $2::timestamp, $3::timestamp, $4::date, $5, $6, $7, $8, $9, $10)', [
    record.run_id, isoTimestamp(record.started_at), isoTimestamp(record.finished_at), record.as_of_date,
    record.customers_loaded, record.orders_loaded, record.rows_quarantined, record.models_built, record.tests_passed, record.tests_failed,
  ]);
  return record;
}

function isoTimestamp(date: Date): string {
  return date.toISOString().replace('T', ' ').replace('Z', '');
}
