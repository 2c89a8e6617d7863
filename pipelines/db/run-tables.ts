/**
 * The pipeline-run tables: written by `crm-tiers run`, and made by every load too, so the dashboard (whose data
 * quality page reads them) builds from any loaded warehouse, with or without a run.
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
);`;
