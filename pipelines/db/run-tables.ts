/**
 * The pipeline-run tables: written by `crm-tiers run`, and made by every load too, so the dashboard (whose data
 * quality page reads them) and the models that read clv_tier_snapshots build from any loaded warehouse, with or
 * without a run. They outlive loads and builds: they are the history of the runs.
 */
export const RUN_TABLES_DDL = `
create table if not exists warehouse_runs (
  run_id varchar primary key, started_at timestamp not null, finished_at timestamp not null, as_of_date date,
  customers_loaded bigint not null, orders_loaded bigint not null, rows_quarantined bigint not null,
  models_built integer not null, tests_passed integer not null, tests_failed integer not null
);
create table if not exists data_test_results (
  run_id varchar not null, model varchar not null, column_name varchar, test varchar not null,
  status varchar not null, failures bigint not null, error varchar
);
create table if not exists clv_tier_snapshots (
  month_start_date date not null, segment_rank integer not null, customers bigint not null, active_customers bigint not null,
  orders bigint not null, revenue_cny decimal(18, 2) not null, repeat_customers bigint not null, clv_cny decimal(18, 2) not null,
  run_id varchar not null, primary key (month_start_date, segment_rank)
);`;
