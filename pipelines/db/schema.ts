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

/** The CLV tier columns kept per run (clv_tier_snapshots) and computed per month (clv_tier_kpis_monthly). */
interface ClvTierMonthColumns {
  month_start_date: string;
  segment_rank: number;
  customers: number;
  active_customers: number;
  orders: number;
  revenue_cny: number;
  repeat_customers: number;
  clv_cny: number;
}

export interface ClvTierSnapshotsTable extends ClvTierMonthColumns {
  run_id: string;
}

export interface ClvTierKpisMonthlyTable extends ClvTierMonthColumns {
  scheme: string;
  segment: string;
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

/* The marts and staging views `crm-tiers export` reads (only the columns it reads). */
export interface CustomerSegmentsCurrentTable {
  customer_id: string;
  customer_name: string;
  customer_type: string;
  region: string | null;
  channel: string | null;
  as_of_date: string;
  value_tier: string | null;
  value_tier_zh: string | null;
  abc_class: string | null;
  abc_class_zh: string | null;
  customer_score: number | null;
  score_tier: string | null;
  score_tier_zh: string | null;
  rfm_score: string | null;
  rfm_segment: string | null;
  rfm_segment_zh: string | null;
  lifecycle_stage: string | null;
  lifecycle_stage_zh: string | null;
  clv_tier: string | null;
  clv_tier_zh: string | null;
  top_product_category: string | null;
  is_price_sensitive: boolean | null;
  is_service_intensive: boolean | null;
  satisfaction_band: string | null;
  referrals_made: number | null;
  is_strategic_account: boolean | null;
}

export interface SegmentDefinitionsTable {
  scheme_code: number;
  scheme: string;
  scheme_label_en: string;
  scheme_label_zh: string;
  segment_rank: number;
  segment: string;
  segment_zh: string;
}

export interface CustomerRfmTable {
  customer_id: string;
  first_order_date: string;
  last_order_date: string;
  recency_days: number;
  frequency_orders: number;
  monetary_cny: number;
}

export interface CustomerClvTable {
  customer_id: string;
  p_alive: number | null;
  clv_cny: number;
  clv_tier: string;
  clv_tier_rank: number;
  churn_risk_band: string;
}

export interface StgCustomersTable {
  customer_id: string;
  customer_key: bigint;
  email: string | null;
  phone: string | null;
}

export interface StgContactsTable {
  contact_id: string;
  customer_key: bigint | null;
  email: string | null;
  phone: string | null;
  created_date: string;
}

export interface WarehouseSchema {
  warehouse_runs: WarehouseRunsTable;
  clv_tier_snapshots: ClvTierSnapshotsTable;
  clv_tier_kpis_monthly: ClvTierKpisMonthlyTable;
  data_test_results: DataTestResultsTable;
  customer_value_tier: CustomerValueTierTable;
  tier_kpis_monthly: TierKpisMonthlyTable;
  quarantine: QuarantineTable;
  customer_segments_current: CustomerSegmentsCurrentTable;
  segment_definitions: SegmentDefinitionsTable;
  customer_rfm: CustomerRfmTable;
  customer_clv: CustomerClvTable;
  stg_customers: StgCustomersTable;
  stg_contacts: StgContactsTable;
}
