import type { ColumnType, Generated } from 'kysely';

/**
 * Types of the warehouse tables TypeScript reads or writes through Kysely. Dates come back as 'YYYY-MM-DD'
 * strings and timestamps as Date (see values.ts); counts and money as numbers.
 */
export interface WarehouseRunsTable {
  run_id: string;
  started_at: ColumnType<Date, Date, never>;
  finished_at: ColumnType<Date, Date, never>;
  as_of_date: string | null;
  customers_loaded: number;
  orders_loaded: number;
  rows_quarantined: number;
  models_built: number;
  tests_passed: number;
  tests_failed: number;
}

export interface CustomerValueTierTable {
  customer_id: string;
  customer_name: string;
  customer_type: string;
  region: string | null;
  channel: string | null;
  as_of_date: string;
  tier: string;
  tier_rank: number;
  tier_label_zh: string;
  previous_month_tier: string | null;
  tier_change: 'new' | 'upgraded' | 'downgraded' | 'unchanged';
  trailing_revenue_cny: number;
  trailing_orders_count: number;
  lifetime_revenue_cny: number;
  lifetime_orders_count: number;
  first_order_date: string;
}

export interface TierKpisMonthlyTable {
  month_start_date: string;
  month_end_date: string;
  tier: string;
  tier_rank: number;
  customers: number;
  active_customers: number;
  new_customers: number;
  upgraded_customers: number;
  downgraded_customers: number;
  orders: number;
  revenue_cny: number;
  trailing_revenue_cny: number;
}

export interface QuarantineTable {
  load_id: string;
  source: string;
  table_name: string;
  file: string;
  row_number: number | null;
  column_name: string | null;
  raw_value: string | null;
  reason: string;
  loaded_at: Generated<Date>;
}

/** One row per data test of a `crm-tiers run`: the dashboard's data quality page shows the latest run's. */
export interface DataTestResultsTable {
  run_id: string;
  model: string;
  column_name: string | null;
  test: string;
  status: 'pass' | 'fail' | 'error';
  failures: number;
  error: string | null;
}

export interface WarehouseSchema {
  warehouse_runs: WarehouseRunsTable;
  data_test_results: DataTestResultsTable;
  customer_value_tier: CustomerValueTierTable;
  tier_kpis_monthly: TierKpisMonthlyTable;
  quarantine: QuarantineTable;
}
