// The dashboard site end to end: a warehouse with hand-written mart rows -> buildDashboard (Evidence
// sources + build, offline) -> previewDashboard -> headless Chromium. Checks what a person would see:
// the numbers, the charts, and that the page neither errors nor reaches off this machine.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { Warehouse } from '../pipelines/db/warehouse.ts';
import { generateSample, DEFAULT_GENERATE_OPTIONS } from '../pipelines/generate/index.ts';
import { runCommand } from '../pipelines/commands/run.ts';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDashboard } from '../pipelines/dashboard/build.ts';
import { previewDashboard, type DashboardPreview } from '../pipelines/dashboard/preview.ts';
import {
  launchChromium,
  openWatchedContext,
  queryInPage,
  readBigValues,
  readCharts,
  saveScreenshot,
} from './helpers/browser.ts';

// ---------------------------------------------------------------------------------------------
// Fixture: the marts the dashboard reads, 36 months (Nov 2023 – Oct 2026) × 4 tiers.
// The last two months are written out by hand; the headline numbers below follow from them.
// ---------------------------------------------------------------------------------------------

interface TierFixture {
  readonly tier: string;
  readonly rank: number;
  readonly minRevenue: number;
  readonly zh: string;
  readonly colour: string; // as dashboards/queries/tiers.sql assigns it by rank
}
const TIERS: readonly TierFixture[] = [
  { tier: 'Diamond', rank: 1, minRevenue: 100000, zh: '钻石', colour: '#1f4e89' },
  { tier: 'Gold', rank: 2, minRevenue: 30000, zh: '黄金', colour: '#d39e1f' },
  { tier: 'Silver', rank: 3, minRevenue: 5000, zh: '白银', colour: '#8c99a6' },
  { tier: 'Regular', rank: 4, minRevenue: 0, zh: '普通', colour: '#b7cde3' },
];

/** customers, active_customers, orders, revenue_cny, trailing_revenue_cny per tier. */
type MonthFixture = Record<string, readonly [number, number, number, number, number]>;

const OCT_2026: MonthFixture = {
  Diamond: [12, 9, 31, 412000.0, 2950000.0],
  Gold: [85, 51, 140, 298500.5, 4100000.0],
  Silver: [640, 280, 520, 236750.25, 6300000.0],
  Regular: [3263, 610, 690, 89749.25, 1900000.0],
}; // 4,000 customers; revenue 1,037,000.00; Diamond share 412,000 / 1,037,000 = 39.73%
const SEP_2026: MonthFixture = {
  Diamond: [11, 8, 29, 380000.0, 2900000.0],
  Gold: [80, 50, 133, 275000.0, 4000000.0],
  Silver: [620, 270, 505, 220000.0, 6200000.0],
  Regular: [3189, 600, 675, 85000.0, 1850000.0],
}; // 3,900 customers; revenue 960,000.00; Diamond share 39.58%

const FIRST_MONTH = { year: 2023, month: 11 };
const MONTHS = 36;

function monthStart(index: number): string {
  const total = FIRST_MONTH.year * 12 + (FIRST_MONTH.month - 1) + index;
  return `${Math.floor(total / 12)}-${String((total % 12) + 1).padStart(2, '0')}-01`;
}

function fixtureRow(index: number, tier: TierFixture): readonly [number, number, number, number, number] {
  if (index === MONTHS - 1) return OCT_2026[tier.tier]!;
  if (index === MONTHS - 2) return SEP_2026[tier.tier]!;
  // Earlier months: a steady ramp up to September's values (half of them in the first month).
  const [customers, active, orders, revenue, trailing] = SEP_2026[tier.tier]!;
  const f = 0.5 + (0.5 * index) / (MONTHS - 2);
  return [Math.round(customers * f), Math.round(active * f), Math.round(orders * f), Math.round(revenue * f * 100) / 100, Math.round(trailing * f)];
}

async function writeFixtureWarehouse(path: string): Promise<void> {
  const kpiRows: string[] = [];
  for (let index = 0; index < MONTHS; index++) {
    const start = monthStart(index);
    for (const tier of TIERS) {
      const [customers, active, orders, revenue, trailing] = fixtureRow(index, tier);
      kpiRows.push(
        `(DATE '${start}', (DATE '${start}' + INTERVAL 1 MONTH - INTERVAL 1 DAY)::DATE, '${tier.tier}', ${tier.rank}, ` +
          `${customers}, ${active}, ${orders}, ${revenue}, ${trailing})`,
      );
    }
  }
  const instance = await DuckDBInstance.create(path);
  const connection = await instance.connect();
  try {
    await connection.run(`
      CREATE TABLE tier_kpis_monthly (
        month_start_date DATE, month_end_date DATE, tier VARCHAR, tier_rank INTEGER,
        customers BIGINT, active_customers BIGINT, orders BIGINT,
        revenue_cny DOUBLE, trailing_revenue_cny DOUBLE);
      INSERT INTO tier_kpis_monthly VALUES ${kpiRows.join(',\n')};
      CREATE TABLE tier_definitions (
        tier VARCHAR, tier_rank INTEGER, min_trailing_revenue_cny DOUBLE, window_months INTEGER, label_en VARCHAR, label_zh VARCHAR);
      INSERT INTO tier_definitions VALUES
        ${TIERS.map((t) => `('${t.tier}', ${t.rank}, ${t.minRevenue}, 12, '${t.tier}', '${t.zh}')`).join(', ')};
      CREATE TABLE warehouse_runs (
        run_id VARCHAR, finished_at TIMESTAMP, as_of_date DATE, customers_loaded BIGINT, orders_loaded BIGINT);
      INSERT INTO warehouse_runs VALUES
        ('run-fixture-001', TIMESTAMP '2026-10-01 02:10:00', DATE '2026-09-30', 3900, 51000),
        ('run-fixture-002', TIMESTAMP '2026-11-01 02:15:00', DATE '2026-10-31', 4000, 52000);
      -- the data quality page: the latest load (two files; the older load must not count) and run
      CREATE TABLE load_files (load_id VARCHAR, source VARCHAR, table_name VARCHAR, file VARCHAR, file_bytes BIGINT,
        rows_read BIGINT, rows_loaded BIGINT, rows_quarantined BIGINT, loaded_at TIMESTAMP);
      INSERT INTO load_files VALUES
        ('load-old', 'canonical', 'orders', '/exports/old/orders.csv', 10, 99, 99, 0, TIMESTAMP '2026-10-01 02:00:00'),
        ('load-new', 'wukong', 'customers', '/exports/客户.xlsx', 2000, 4000, 3990, 10, TIMESTAMP '2026-11-01 02:00:00'),
        ('load-new', 'wukong', 'orders', '/exports/合同.xlsx', 9000, 52040, 52000, 40, TIMESTAMP '2026-11-01 02:00:00');
      CREATE TABLE quarantine (load_id VARCHAR, source VARCHAR, table_name VARCHAR, file VARCHAR, row_number BIGINT,
        column_name VARCHAR, raw_value VARCHAR, reason VARCHAR, loaded_at TIMESTAMP);
      INSERT INTO quarantine SELECT 'load-new', 'wukong', 'orders', '/exports/合同.xlsx', 10 + i, '客户名称', '某公司' || i,
        'customer_id 某公司' || i || ' not found in the customers from wukong: load that export with it', TIMESTAMP '2026-11-01 02:00:00'
        FROM range(30) t(i);
      INSERT INTO quarantine SELECT 'load-new', 'wukong', 'orders', '/exports/合同.xlsx', 100 + i, '合同金额', 'N/A',
        'required value is missing (amount_cny)', TIMESTAMP '2026-11-01 02:00:00' FROM range(10) t(i);
      INSERT INTO quarantine SELECT 'load-new', 'wukong', 'customers', '/exports/客户.xlsx', 5 + i, '创建时间', '2024-13-0' || i,
        'not a date (expected YYYY-MM-DD)', TIMESTAMP '2026-11-01 02:00:00' FROM range(10) t(i);
      CREATE TABLE data_test_results (run_id VARCHAR, model VARCHAR, column_name VARCHAR, test VARCHAR, status VARCHAR, failures BIGINT, error VARCHAR);
      INSERT INTO data_test_results VALUES
        ('run-fixture-002', 'stg_orders', 'order_id', 'not_null', 'pass', 0, NULL),
        ('run-fixture-002', 'stg_orders', 'customer_id', 'relationships', 'fail', 3, NULL),
        ('run-fixture-002', 'customer_clv', 'customer_id', 'unique', 'pass', 0, NULL),
        ('run-fixture-001', 'stg_orders', 'order_id', 'not_null', 'fail', 9, NULL);
      -- not a mart: the dashboard must not need it
      CREATE TABLE stg_orders AS SELECT 1 AS order_id;
    `);
    await writeDashboardMartFixtures(connection);
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

// ---------------------------------------------------------------------------------------------
// The marts of the other pages, hand-written with known numbers (October 2026 is the latest month).
// ---------------------------------------------------------------------------------------------

/**
 * dashboard_kpis_monthly: two region / channel / type combinations. Oct 2026, Sep 2026 and Oct 2025 are written
 * out; the other months scale September down. Oct 2026 sums to 4,000 customers and ¥1,037,000 as tier_kpis_monthly.
 * columns: customers, active, revenue, top-tier revenue, repeat, churn-exposed, churned, satisfaction sum, surveyed
 */
type KpiRow = readonly [number, number, number, number, number, number, number, number, number];
const KPI_COMBINATIONS = [
  ['华东', 'online', 'B2C'],
  ['华北', 'direct', 'B2B'],
] as const;
const KPI_MONTHS: Record<string, readonly [KpiRow, KpiRow]> = {
  '2026-10-01': [[3000, 700, 700000, 300000, 1800, 2900, 58, 4000, 1000], [1000, 250, 337000, 112000, 700, 950, 19, 1750, 500]],
  '2026-09-01': [[2920, 690, 660000, 280000, 1750, 2850, 57, 3950, 1000], [980, 238, 300000, 100000, 680, 930, 28, 1700, 500]],
  '2025-10-01': [[2500, 600, 500000, 200000, 1400, 2400, 72, 3510, 900], [800, 200, 250000, 75000, 500, 780, 16, 1360, 400]],
};

function kpiRows(): string[] {
  const rows: string[] = [];
  for (let index = 0; index < MONTHS; index++) {
    const start = monthStart(index);
    const written = KPI_MONTHS[start];
    KPI_COMBINATIONS.forEach(([region, channel, type], c) => {
      const row = written?.[c] ?? (KPI_MONTHS['2026-09-01']![c]!.map((v) => Math.round(v * (0.5 + (0.5 * index) / (MONTHS - 2)))) as unknown as KpiRow);
      rows.push(`(DATE '${start}', '${region}', '${channel}', '${type}', ${row.join(', ')})`);
    });
  }
  return rows;
}

/** segment_migration_between_months, value scheme: [to month, months back, from rank, to rank, customers]. */
const LONG_MOVES: readonly (readonly [string, number, number, number, number])[] = [
  // 12 months back to the latest month: 92.0 % stayed, 1.4 % moved up, 263 new (sums per tier: 12, 85, 640, 3,263)
  ...([[1, 1, 10], [2, 1, 2], [2, 2, 70], [3, 2, 15], [3, 3, 600], [4, 3, 40], [4, 4, 3000], [0, 4, 263]] as const).map(([f, t, n]) => ['2026-10-01', 12, f, t, n] as const),
  // 1 month back: 97.0 % stayed
  ...([[1, 1, 11], [2, 1, 1], [2, 2, 80], [3, 2, 5], [3, 3, 610], [4, 3, 30], [4, 4, 3180], [0, 4, 83]] as const).map(([f, t, n]) => ['2026-10-01', 1, f, t, n] as const),
  // quarter end to quarter end, June → September 2026: 3,774 of 3,877 stayed (97.3 %), 3 moved up, 100 new
  ...([[1, 1, 9], [2, 2, 75], [3, 2, 3], [3, 3, 590], [4, 4, 3100], [0, 4, 100]] as const).map(([f, t, n]) => ['2026-09-01', 3, f, t, n] as const),
];

async function writeDashboardMartFixtures(connection: { run(sql: string): Promise<unknown> }): Promise<void> {
  const tierValues = TIERS.map((t) => `('value', 1, 'Member level', '会员等级', ${t.rank}, '${t.tier}', '${t.zh}', ${t.minRevenue})`);
  const longMoves = LONG_MOVES.map(([toMonth, back, from, to, customers]) => {
    const name = (rank: number) => (rank === 0 ? ['Prospect', '潜在客户'] : [TIERS[rank - 1]!.tier, TIERS[rank - 1]!.zh]);
    const [fromEn, fromZh] = name(from);
    const [toEn, toZh] = name(to);
    return `('value', 1, ${back}, DATE '${toMonth}' - INTERVAL ${back} MONTH, DATE '${toMonth}', ${toMonth === '2026-10-01'}, ${from}, '${fromEn}', '${fromZh}', ${to}, '${toEn}', '${toZh}', ${customers}, ${customers * 1000})`;
  });
  await connection.run(`
    CREATE TABLE dashboard_settings (show_contact_details BOOLEAN, default_language VARCHAR, campaign_customers_per_segment INTEGER);
    INSERT INTO dashboard_settings VALUES (false, 'en', 3);
    CREATE TABLE dashboard_kpis_monthly (month_start_date DATE, region VARCHAR, channel VARCHAR, customer_type VARCHAR,
      customers BIGINT, active_customers BIGINT, revenue_cny DOUBLE, top_tier_revenue_cny DOUBLE, repeat_customers BIGINT,
      churn_exposed_customers BIGINT, churned_customers BIGINT, satisfaction_score_sum DOUBLE, satisfaction_customers BIGINT,
      orders BIGINT DEFAULT 0);
    INSERT INTO dashboard_kpis_monthly (month_start_date, region, channel, customer_type, customers, active_customers, revenue_cny,
      top_tier_revenue_cny, repeat_customers, churn_exposed_customers, churned_customers, satisfaction_score_sum, satisfaction_customers)
      VALUES ${kpiRows().join(',\n')};
    -- the Pareto curve: revenue share = sqrt(customer share): the top 1 % bring 10 %, the top 10 % 31.6 %
    CREATE TABLE revenue_concentration AS SELECT CAST(p AS INTEGER) AS customer_share_pct, 4000 AS customers_total,
      CAST(ceil(40 * p) AS BIGINT) AS customers, 1e7 * sqrt(p / 100) AS cumulative_revenue_cny, sqrt(p / 100) AS revenue_share
      FROM range(0, 101) t(p);
    CREATE TABLE segment_definitions (scheme VARCHAR, scheme_code INTEGER, scheme_label_en VARCHAR, scheme_label_zh VARCHAR,
      segment_rank INTEGER, segment VARCHAR, segment_zh VARCHAR, min_value DOUBLE);
    INSERT INTO segment_definitions VALUES ${tierValues.join(', ')},
      ('abc', 2, 'ABC class', 'ABC 分类', 1, 'A', 'A 类', 0.7), ('abc', 2, 'ABC class', 'ABC 分类', 2, 'B', 'B 类', 0.9),
      ('abc', 2, 'ABC class', 'ABC 分类', 3, 'C', 'C 类', 1),
      ('lifecycle', 5, 'Lifecycle stage', '生命周期', 0, 'Prospect', '潜在客户', NULL), ('lifecycle', 5, 'Lifecycle stage', '生命周期', 1, 'New', '新客户', NULL),
      ('lifecycle', 5, 'Lifecycle stage', '生命周期', 2, 'Active', '活跃客户', NULL), ('lifecycle', 5, 'Lifecycle stage', '生命周期', 3, 'Loyal', '忠诚客户', NULL),
      ('lifecycle', 5, 'Lifecycle stage', '生命周期', 4, 'Won Back', '回流客户', NULL), ('lifecycle', 5, 'Lifecycle stage', '生命周期', 5, 'At Risk', '流失预警', NULL),
      ('lifecycle', 5, 'Lifecycle stage', '生命周期', 6, 'Churned', '已流失', NULL),
      ('clv', 6, 'CLV tier', 'CLV 分层', 1, 'Top', '顶级价值', NULL), ('clv', 6, 'CLV tier', 'CLV 分层', 2, 'High', '高价值', NULL),
      ('clv', 6, 'CLV tier', 'CLV 分层', 3, 'Medium', '中等价值', NULL), ('clv', 6, 'CLV tier', 'CLV 分层', 4, 'Low', '低价值', NULL);
    -- CLV tiers of two runs (September and October 2026)
    CREATE TABLE clv_tier_kpis_monthly AS
      SELECT 'clv' AS scheme, 6 AS scheme_code, m.month_start_date, t.rank AS segment_rank, t.segment, t.segment_zh,
        CAST(t.customers + m.shift * t.rank AS BIGINT) AS customers, CAST(t.customers / 2 AS BIGINT) AS active_customers, CAST(t.customers AS BIGINT) AS orders,
        CAST(100.0 * t.customers / t.rank AS DECIMAL(18, 2)) AS revenue_cny, 0.25 AS revenue_share, 100.0 / t.rank AS average_order_value_cny,
        0.5 AS repeat_purchase_rate, CAST(t.customers / 2 AS BIGINT) AS repeat_customers, CAST(1000.0 * t.customers / t.rank AS DECIMAL(18, 2)) AS clv_cny
      FROM (VALUES (DATE '2026-09-01', 0), (DATE '2026-10-01', 10)) m(month_start_date, shift),
        (VALUES (1, 'Top', '顶级价值', 200), (2, 'High', '高价值', 600), (3, 'Medium', '中等价值', 1200), (4, 'Low', '低价值', 2000)) t(rank, segment, segment_zh, customers);
    -- segment_kpis_monthly: member levels as tier_kpis_monthly; ABC classes and lifecycle stages made up from them
    CREATE TABLE segment_kpis_monthly AS
      SELECT 'value' AS scheme, 1 AS scheme_code, k.month_start_date, k.tier_rank AS segment_rank, k.tier AS segment, d.label_zh AS segment_zh,
        k.customers, k.active_customers, k.orders, k.revenue_cny,
        k.revenue_cny / sum(k.revenue_cny) OVER (PARTITION BY k.month_start_date) AS revenue_share,
        k.revenue_cny / nullif(k.orders, 0) AS average_order_value_cny,
        0.9 - 0.1 * k.tier_rank AS repeat_purchase_rate, 0.95 - 0.05 * k.tier_rank AS retention_rate, 0.01 * k.tier_rank AS churn_rate,
        0.02 AS upgrade_rate, 0.01 AS downgrade_rate, CAST(NULL AS DOUBLE) AS prospect_conversion_rate,
        4.5 - 0.2 * k.tier_rank AS average_satisfaction_score, 9 - k.tier_rank AS average_nps_score
      FROM tier_kpis_monthly AS k JOIN tier_definitions AS d USING (tier)
      UNION ALL
      SELECT 'abc', 2, month_start_date, s.rank, s.segment, s.segment || ' 类', CAST(round(sum(customers) * s.share) AS BIGINT), 0, 0,
        sum(revenue_cny) * s.revenue_share, s.revenue_share, NULL, 0.5, 0.8, 0.02, 0.01, 0.01, NULL, 4.0, 8.0
      FROM tier_kpis_monthly, (VALUES (1, 'A', 0.1, 0.7), (2, 'B', 0.2, 0.2), (3, 'C', 0.7, 0.1)) s(rank, segment, share, revenue_share)
      GROUP BY month_start_date, s.rank, s.segment, s.share, s.revenue_share
      UNION ALL
      SELECT 'lifecycle', 5, month_start_date, s.rank, s.segment, s.segment_zh, CAST(round(sum(customers) * s.share) AS BIGINT), 0, 0, 0, 0, NULL,
        0.5, 0.8, 0.02, NULL, NULL, CASE WHEN s.rank = 0 THEN 0.05 END, 4.0, 8.0
      FROM tier_kpis_monthly, (VALUES (0, 'Prospect', '潜在客户', 0.25), (1, 'New', '新客户', 0.1), (2, 'Active', '活跃客户', 0.3), (3, 'Loyal', '忠诚客户', 0.25),
        (4, 'Won Back', '回流客户', 0.02), (5, 'At Risk', '流失预警', 0.08), (6, 'Churned', '已流失', 0.25)) s(rank, segment, segment_zh, share)
      GROUP BY month_start_date, s.rank, s.segment, s.segment_zh, s.share;
    -- month-to-month moves: per tier 10 × rank stay, 3 move up from the tier below, 2 move down to it; lifecycle: 5 New → Active,
    -- 2 Active → Loyal, 20 Active stay, 4 Churned → Won Back
    CREATE TABLE tier_migration_monthly AS
      SELECT 'value' AS scheme, 1 AS scheme_code, m.month_start_date, f.rank AS from_segment_rank, f.segment AS from_segment, f.zh AS from_segment_zh,
        t.rank AS to_segment_rank, t.segment AS to_segment, t.zh AS to_segment_zh,
        CASE WHEN f.rank = t.rank THEN 10 * f.rank WHEN f.rank = t.rank + 1 THEN 3 ELSE 2 END AS customers, 1000.0 * f.rank AS revenue_cny
      FROM (SELECT DISTINCT month_start_date FROM tier_kpis_monthly WHERE month_start_date > DATE '2023-11-01') m,
        (SELECT tier_rank AS rank, tier AS segment, label_zh AS zh FROM tier_definitions) f,
        (SELECT tier_rank AS rank, tier AS segment, label_zh AS zh FROM tier_definitions) t
      WHERE abs(f.rank - t.rank) <= 1
      UNION ALL
      SELECT 'lifecycle', 5, m.month_start_date, mv.from_rank, mv.from_name, mv.from_name, mv.to_rank, mv.to_name, mv.to_name, mv.n, 500.0
      FROM (SELECT DISTINCT month_start_date FROM tier_kpis_monthly WHERE month_start_date > DATE '2023-11-01') m,
        (VALUES (1, 'New', 2, 'Active', 5), (1, 'New', 1, 'New', 5), (2, 'Active', 3, 'Loyal', 2), (2, 'Active', 2, 'Active', 18),
          (6, 'Churned', 4, 'Won Back', 4)) AS mv(from_rank, from_name, to_rank, to_name, n);
    CREATE TABLE segment_migration_between_months (scheme VARCHAR, scheme_code INTEGER, months_back INTEGER, from_month_start_date DATE,
      to_month_start_date DATE, is_to_latest_month BOOLEAN, from_segment_rank INTEGER, from_segment VARCHAR, from_segment_zh VARCHAR, to_segment_rank INTEGER,
      to_segment VARCHAR, to_segment_zh VARCHAR, customers BIGINT, revenue_cny DOUBLE);
    INSERT INTO segment_migration_between_months VALUES ${longMoves.join(', ')};
    -- cohorts: 100 customers a month, half of them ordering in every later month
    CREATE TABLE cohort_retention AS
      SELECT m.month_start_date AS cohort_month_start_date, CAST(k AS INTEGER) AS months_since_acquisition, 100 AS cohort_customers,
        CASE WHEN k = 0 THEN 100 ELSE 50 END AS active_customers, CASE WHEN k = 0 THEN 1.0 ELSE 0.5 END AS active_share,
        CASE WHEN k = 0 THEN 10000.0 ELSE 5000.0 END AS revenue_cny
      FROM (SELECT DISTINCT month_start_date FROM tier_kpis_monthly) m, range(0, 36) r(k)
      WHERE m.month_start_date + INTERVAL (k) MONTH <= DATE '2026-10-01';
    CREATE TABLE lifecycle_funnel (grouping VARCHAR, step_rank INTEGER, step VARCHAR, step_zh VARCHAR, month_start_date DATE, customers BIGINT);
    INSERT INTO lifecycle_funnel VALUES
      ('funnel', 1, 'Known customers (prospects included)', '全部客户（含潜在客户）', NULL, 5000),
      ('funnel', 2, 'Bought at least once', '至少购买一次', NULL, 4000),
      ('funnel', 3, 'Bought again (2+ orders)', '复购（2 单以上）', NULL, 2500),
      ('funnel', 4, 'Loyal now', '当前忠诚客户', NULL, 1000);
    INSERT INTO lifecycle_funnel SELECT 'days_to_first_purchase', b.rank, b.step, b.step_zh, m.month_start_date, b.n
      FROM (SELECT DISTINCT month_start_date FROM tier_kpis_monthly) m,
        (VALUES (1, '0–7 days', '0–7 天', 20), (2, '8–30 days', '8–30 天', 10), (3, '31–90 days', '31–90 天', 5)) b(rank, step, step_zh, n);
    CREATE TABLE clv_distribution (grouping VARCHAR, clv_tier VARCHAR, clv_tier_rank INTEGER, band_rank INTEGER, band_label VARCHAR,
      customers BIGINT, clv_cny DOUBLE, average_clv_cny DOUBLE, at_risk_customers BIGINT, average_p_alive DOUBLE);
    INSERT INTO clv_distribution VALUES
      ('clv_band', 'Top', 1, 6, '100k–250k', 200, 30000000, 150000, 5, 0.8), ('clv_band', 'High', 2, 4, '20k–50k', 600, 18000000, 30000, 7, 0.7),
      ('clv_band', 'Medium', 3, 3, '5k–20k', 1200, 12000000, 10000, 0, 0.6), ('clv_band', 'Low', 4, 1, '< 1k', 2000, 1000000, 500, 0, 0.5),
      ('p_alive_band', 'Top', 1, 10, '0.9–1.0', 200, 30000000, 150000, 5, 0.95), ('p_alive_band', 'High', 2, 8, '0.7–0.8', 600, 18000000, 30000, 7, 0.75),
      ('p_alive_band', 'Medium', 3, 6, '0.5–0.6', 1200, 12000000, 10000, 0, 0.55), ('p_alive_band', 'Low', 4, 3, '0.2–0.3', 2000, 1000000, 500, 0, 0.25);
    CREATE TABLE clv_holdout_check (calibration_frequency VARCHAR, calibration_frequency_rank BIGINT, calibration_end_date DATE, holdout_end_date DATE,
      customers BIGINT, actual_purchases HUGEINT, predicted_purchases DOUBLE, actual_purchases_per_customer DOUBLE, predicted_purchases_per_customer DOUBLE);
    INSERT INTO clv_holdout_check VALUES
      ('0', 0, DATE '2026-04-30', DATE '2026-10-31', 1000, 300, 350, 0.3, 0.35),
      ('1', 1, DATE '2026-04-30', DATE '2026-10-31', 500, 400, 420, 0.8, 0.84),
      ('7+', 7, DATE '2026-04-30', DATE '2026-10-31', 100, 300, 330, 3, 3.3),
      ('all', 8, DATE '2026-04-30', DATE '2026-10-31', 1600, 1000, 1100, 0.625, 0.6875);
    CREATE TABLE clv_model_fit (split VARCHAR, model VARCHAR, parameters VARCHAR, log_likelihood DOUBLE, customers BIGINT, converged BOOLEAN,
      iterations INTEGER, warning VARCHAR, time_unit VARCHAR, calibration_end_date DATE, fitted_at TIMESTAMP);
    INSERT INTO clv_model_fit VALUES
      ('forecast', 'bgnbd', 'a=0.8 alpha=4.4 b=2.4 r=0.24', -9582.4, 4000, true, 40, NULL, 'week', DATE '2026-10-31', TIMESTAMP '2026-11-01 02:10:00');
    CREATE TABLE clv_at_risk_customers (customer_id VARCHAR, customer_name VARCHAR, region VARCHAR, value_tier VARCHAR, value_tier_zh VARCHAR,
      lifecycle_stage VARCHAR, lifecycle_stage_zh VARCHAR, clv_tier VARCHAR, clv_cny DOUBLE, p_alive DOUBLE, p_alive_change DOUBLE,
      churn_risk_band VARCHAR, clv_position INTEGER);
    INSERT INTO clv_at_risk_customers VALUES
      ('C-0042', '星河贸易有限公司', '华东', 'Diamond', '钻石', 'At Risk', '流失预警', 'Top', 812345.6, 0.31, -0.22, 'medium', 1),
      ('C-0007', 'Blue Harbor Ltd', '华北', 'Gold', '黄金', 'Active', '活跃客户', 'Top', 456789.1, 0.45, -0.12, 'medium', 2);
    -- the campaign planner: member levels in the two regions (at stake: trailing revenue and CLV)
    CREATE TABLE campaign_segments AS
      SELECT 'value' AS scheme, 1 AS scheme_code, 'Member level' AS scheme_label_en, '会员等级' AS scheme_label_zh, t.tier_rank AS segment_rank,
        t.tier AS segment, t.label_zh AS segment_zh, r.region, r.channel, r.customer_type,
        CASE t.tier_rank WHEN 1 THEN 'VIP care' WHEN 4 THEN 'Nurture' ELSE 'Upsell' END AS action,
        CASE t.tier_rank WHEN 1 THEN 'VIP 专属服务' WHEN 4 THEN '培育激活' ELSE '交叉销售 / 升级' END AS action_zh,
        CAST(r.factor * 10 * (5 - t.tier_rank) AS BIGINT) AS customers, r.factor * 100000.0 * (5 - t.tier_rank) AS trailing_revenue_cny,
        r.factor * 200000.0 * (5 - t.tier_rank) AS clv_cny, CAST(t.tier_rank = 1 AS BIGINT) AS at_risk_high_value_customers
      FROM tier_definitions t, (VALUES ('华东', 'online', 'B2C', 3), ('华北', 'direct', 'B2B', 1)) r(region, channel, customer_type, factor)
      UNION ALL
      SELECT 'abc', 2, 'ABC class', 'ABC 分类', 1, 'A', 'A 类', '华东', 'online', 'B2C', 'VIP care', 'VIP 专属服务', 50, 5e6, 8e6, 2;
    CREATE TABLE campaign_customers (scheme VARCHAR, segment_rank INTEGER, segment VARCHAR, segment_zh VARCHAR, action VARCHAR, action_zh VARCHAR,
      value_position INTEGER, customer_id VARCHAR, customer_name VARCHAR, region VARCHAR, channel VARCHAR, customer_type VARCHAR,
      value_tier VARCHAR, lifecycle_stage VARCHAR, trailing_revenue_cny DOUBLE, clv_cny DOUBLE, p_alive DOUBLE, is_at_risk_high_value BOOLEAN,
      email VARCHAR, phone VARCHAR);
    INSERT INTO campaign_customers VALUES
      ('value', 1, 'Diamond', '钻石', 'VIP care', 'VIP 专属服务', 1, 'C-0042', '星河贸易有限公司', '华东', 'online', 'B2C', 'Diamond', 'At Risk', 350000, 812345.6, 0.31, true, NULL, NULL),
      ('value', 1, 'Diamond', '钻石', 'VIP care', 'VIP 专属服务', 2, 'C-0101', '长江实业', '华北', 'direct', 'B2B', 'Diamond', 'Loyal', 300000, 700000, 0.9, false, NULL, NULL),
      ('value', 1, 'Diamond', '钻石', 'VIP care', 'VIP 专属服务', 3, 'C-0102', 'Pearl River Foods', '华东', 'online', 'B2C', 'Diamond', 'Loyal', 250000, 600000, 0.92, false, NULL, NULL),
      ('value', 2, 'Gold', '黄金', 'Upsell', '交叉销售 / 升级', 1, 'C-0007', 'Blue Harbor Ltd', '华北', 'direct', 'B2B', 'Gold', 'Active', 90000, 456789.1, 0.45, true, NULL, NULL),
      ('abc', 1, 'A', 'A 类', 'VIP care', 'VIP 专属服务', 1, 'C-0042', '星河贸易有限公司', '华东', 'online', 'B2C', 'Diamond', 'At Risk', 350000, 812345.6, 0.31, true, NULL, NULL);
  `);
}

// ---------------------------------------------------------------------------------------------

/** Every page of the site: [screenshot name, path]. */
const PAGES: readonly (readonly [string, string])[] = [
  ['index', ''],
  ['tiers-over-time', 'tiers-over-time'],
  ['tier-migration', 'tier-migration'],
  ['lifecycle', 'lifecycle'],
  ['loyalty', 'loyalty'],
  ['cohorts', 'cohorts'],
  ['clv', 'clv'],
  ['campaign-planner', 'campaign-planner'],
  ['data-quality', 'data-quality'],
];

/** ECharts charts each page draws from the fixture. */
const CHARTS_PER_PAGE: Readonly<Record<string, number>> = {
  index: 3, 'tiers-over-time': 3, 'tier-migration': 4, lifecycle: 5, loyalty: 5, cohorts: 3, clv: 3, 'campaign-planner': 1, 'data-quality': 1,
};

describe('dashboard site in headless Chromium (offline)', () => {
  let workDir: string;
  let preview: DashboardPreview | undefined;
  let browser: Browser | undefined;
  let buildOutput: string[] = [];
  let buildSeconds = 0;

  beforeAll(async () => {
    workDir = mkdtempSync(join(tmpdir(), 'crm-tiers-dashboard-'));
    const warehousePath = join(workDir, 'warehouse.duckdb');
    await writeFixtureWarehouse(warehousePath);
    buildOutput = [];
    // built into a temp folder: the test must never replace the site a person built with `npm start`
    const built = await buildDashboard({ warehousePath, outDir: join(workDir, 'site'), log: (line) => buildOutput.push(line) });
    buildSeconds = built.seconds;
    preview = await previewDashboard({ port: 0, dir: built.outDir });
    browser = await launchChromium();
  }, 600_000);

  afterAll(async () => {
    await browser?.close();
    await preview?.close();
    if (workDir) rmSync(workDir, { recursive: true, force: true });
  });

  it('built from the fixture warehouse', () => {
    expect(buildSeconds).toBeGreaterThan(0);
    const output = buildOutput.join('\n');
    expect(output).toMatch(/tier_kpis_monthly .*wrote 144 rows/);
    expect(output).toMatch(/dashboard_kpis_monthly .*wrote 72 rows/);
    expect(output).toMatch(/revenue_concentration .*wrote 101 rows/);
    expect(output).toMatch(/campaign_customers .*wrote 5 rows/);
    expect(output).toMatch(/Build complete/);
  });

  it('overview page: headline numbers, charts and tables as the fixture says, no errors, nothing leaves the machine', async () => {
    const { context, problems, newPage } = await openWatchedContext(browser!);
    try {
      const page = await newPage();
      await page.goto(preview!.url, { waitUntil: 'networkidle' });
      await page.waitForFunction(() => document.querySelectorAll('.chart-container .chart canvas').length >= 3, null, { timeout: 30_000 });
      // let ECharts finish its entry animation before reading pixels and taking the screenshot
      await page.waitForTimeout(1500);

      expect(await headings(page)).toEqual([
        'Customer tiers — overview · 客户分层概览',
        'Latest month: October 2026',
        // one question per chart, each titled with its time window
        'Headline KPIs: Oct 2026, vs Sep 2026, vs Oct 2025',
        'Revenue concentration: share of customers → share of revenue, trailing revenue Nov 2025 – Oct 2026',
        'Tiers over time',
        'Customers per tier, Nov 2023 – Oct 2026',
        'Revenue by tier, last 12 months: Nov 2025 – Oct 2026',
        'Latest month per tier: October 2026',
      ]);
      const body = await page.locator('body').innerText();
      expect(body).toContain('run-fixture-002');
      expect(body).toContain('2026-10-31');
      // the Pareto points named in the text: sqrt(1 %) = 10 %, sqrt(10 %) = 31.6 %, sqrt(20 %) = 44.7 %
      expect(body).toMatch(/top 1 % of customers bring 10\.0%\s*, the top 10 %\s*31\.6%\s*, the top 20 %\s*44\.7%/);

      // Headline KPIs (formatted as Evidence formats them), each against the month before.
      expect(await readBigValues(page)).toEqual([
        { title: 'Customers with a tier, Oct 2026', value: '4,000', comparison: '▲ 100 vs Sep 2026' },
        { title: 'Active customers, Oct 2026', value: '950', comparison: '▲ 22 vs Sep 2026' },
        { title: 'Revenue, Oct 2026', value: '¥1,037,000', comparison: '▲ 8.0% vs Sep 2026' },
        { title: 'Share of revenue from Diamond, Oct 2026', value: '39.7%', comparison: '▲ 0.1 pts vs Sep 2026' },
        { title: 'Repeat-purchase rate, Oct 2026', value: '62.5%', comparison: '▲ 0.2 pts vs Sep 2026' },
        { title: 'Churn rate, Oct 2026', value: '2.0%', comparison: '▼ -0.2 pts vs Sep 2026' },
        { title: 'Average satisfaction, Oct 2026', value: '3.83', comparison: '▲ 0.07 vs Sep 2026' },
      ]);
      // ... and in the KPI table also against October 2025 (signed, not coloured: for churn, down is good)
      expect(await tableRows(page, 0)).toEqual([
        ['Customers with a tier', '4,000', '+100', '+700'],
        ['Active customers (ordered in the month)', '950', '+22', '+150'],
        ['Revenue', '¥1,037,000', '+8.0%', '+38.3%'],
        ['Top-tier share of revenue', '39.7%', '+0.1 pts', '+3.1 pts'],
        ['Repeat-purchase rate', '62.5%', '+0.2 pts', '+4.9 pts'],
        ['Churn rate', '2.0%', '-0.2 pts', '-0.8 pts'],
        ['Average satisfaction (1–5)', '3.83', '+0.07', '+0.09'],
      ]);

      // Charts: drawn; the Pareto curve in the top tier's colour, every tier in its own colour in the other two.
      const charts = await readCharts(page, TIERS.map((t) => t.colour));
      expect(charts).toHaveLength(3);
      expect(charts[0]!.coloursFound).toContain('#1f4e89');
      for (const chart of charts.slice(1)) {
        expect(chart.width).toBeGreaterThan(300);
        expect(chart.height).toBeGreaterThan(150);
        expect(chart.coloursFound.sort()).toEqual(TIERS.map((t) => t.colour).sort());
      }

      // Latest month per tier, top tier first.
      expect(await tableRows(page, 1)).toEqual([
        ['Diamond 钻石', '¥100,000', '12', '9', '31', '¥412k', '39.7%', '¥2,950k'],
        ['Gold 黄金', '¥30,000', '85', '51', '140', '¥299k', '28.8%', '¥4,100k'],
        ['Silver 白银', '¥5,000', '640', '280', '520', '¥237k', '22.8%', '¥6,300k'],
        ['Regular 普通', '¥0', '3,263', '610', '690', '¥90k', '8.7%', '¥1,900k'],
      ]);

      // The browser's own DuckDB-Wasm has the source data (parquet decoded without any download).
      expect(
        await queryInPage(page, `
          SELECT sum(customers) AS customers, count(*) AS rows
          FROM warehouse.tier_kpis_monthly
          WHERE month_start_date = (SELECT max(month_start_date) FROM warehouse.tier_kpis_monthly)`),
      ).toEqual([{ customers: 4000, rows: 4 }]);

      // Filters: without 华北 (1,000 customers, ¥337,000 in October) the headline numbers are 华东's alone.
      await chooseOptions(page, 'Region', ['华北']);
      await expect.poll(async () => (await readBigValues(page))[0]?.value, { timeout: 15_000 }).toBe('3,000');
      expect((await readBigValues(page))[2]?.value).toBe('¥700,000');

      // Language: 中文 turns titles, month names and tier names into Chinese.
      await page.getByRole('button', { name: '中文' }).click();
      await expect.poll(async () => (await headings(page))[1], { timeout: 15_000 }).toBe('最新月份: 2026年10月');
      expect((await tableRows(page, 1)).map((row) => row[0])).toEqual(['Diamond 钻石', 'Gold 黄金', 'Silver 白银', 'Regular 普通']);
      expect(await page.locator('body').innerText()).toContain('各等级客户数, 2023年11月 – 2026年10月');

      // The choice carries to the other pages (this browser keeps it): the migration page opens in Chinese,
      // its scheme and comparison names too.
      const next = await newPage();
      await next.goto(new URL('tier-migration', preview!.url).href, { waitUntil: 'networkidle' });
      await expect.poll(async () => (await headings(next)).find((t) => t.startsWith('两个月末之间的迁移')), { timeout: 15_000 })
        .toBe('两个月末之间的迁移（客户数） (会员等级): 2025年10月 → 2026年10月（12 个月）');
      await next.close();

      await page.close();

      expect(problems.consoleErrors).toEqual([]);
      expect(problems.outboundRequests).toEqual([]);
      expect(problems.failedRequests.filter((r) => !r.url.startsWith(preview!.url))).toEqual([]);
      expect(problems.errorResponses).toEqual([]);
    } finally {
      await context.close();
    }
  }, 120_000);

  it('tiers over time: a scheme per month, the table of the last month; the scheme dropdown switches schemes', async () => {
    const { context, problems, newPage } = await openWatchedContext(browser!);
    try {
      const page = await newPage();
      await page.goto(new URL('tiers-over-time', preview!.url).href, { waitUntil: 'networkidle' });
      await page.waitForFunction(() => document.querySelectorAll('.chart-container .chart canvas').length >= 3, null, { timeout: 30_000 });
      const titles = await headings(page);
      expect(titles).toContain('Customers per segment at month end (Member level), Nov 2024 – Oct 2026');
      expect(titles).toContain('Segments in the last month of the range: Oct 2026');
      expect((await tableRows(page, 0)).map((row) => row.slice(0, 2))).toEqual([['Diamond', '12'], ['Gold', '85'], ['Silver', '640'], ['Regular', '3,263']]);
      await chooseOption(page, 'Scheme', 'ABC class');
      await expect.poll(async () => (await tableRows(page, 0)).map((row) => row[0]), { timeout: 15_000 }).toEqual(['A', 'B', 'C']);
      // 10 / 20 / 70 % of October's 4,000 customers
      expect((await tableRows(page, 0)).map((row) => row[1])).toEqual(['400', '800', '2,800']);
      await chooseOption(page, 'From month', 'Oct 2025');
      await expect.poll(async () => (await headings(page)).find((t) => t.startsWith('Revenue per segment')), { timeout: 15_000 })
        .toBe('Revenue per segment (ABC class), Oct 2025 – Oct 2026');
      // CLV tiers: one month per run kept (the fixture has two runs), with the note that says so
      await chooseOption(page, 'Scheme', 'CLV tier');
      await expect.poll(async () => (await tableRows(page, 0)).map((row) => row.slice(0, 2)), { timeout: 15_000 })
        .toEqual([['Top', '210'], ['High', '620'], ['Medium', '1,230'], ['Low', '2,040']]);
      expect(await page.locator('body').innerText()).toContain('their history has one month per `crm-tiers run` kept');
      expect(problems.consoleErrors).toEqual([]);
    } finally {
      await context.close();
    }
  }, 120_000);

  it('tier migration: moves from 12 months back by default, 1 month back or between quarter ends on request; upgrade and downgrade rates', async () => {
    const { context, problems, newPage } = await openWatchedContext(browser!);
    try {
      const page = await newPage();
      await page.goto(new URL('tier-migration', preview!.url).href, { waitUntil: 'networkidle' });
      await page.waitForFunction(() => document.querySelectorAll('.chart-container .chart canvas').length >= 4, null, { timeout: 30_000 });
      expect(await headings(page)).toContain('Moves between two month ends, customers (Member level): Oct 2025 → Oct 2026 (12 months)');
      expect((await readBigValues(page)).map((b) => b.value)).toEqual(['4,000', '92.0%', '1.4%', '0.0%', '263']);
      await chooseOption(page, 'Compare', 'Sep 2026 → Oct 2026 (1 month)');
      await expect.poll(async () => (await readBigValues(page))[1]?.value, { timeout: 15_000 }).toBe('97.0%');
      expect((await readBigValues(page))[4]?.value).toBe('83');
      // two quarter ends, neither of them the latest month
      await chooseOption(page, 'Compare', 'Jun 2026 → Sep 2026 (3 months)');
      await expect.poll(async () => (await readBigValues(page)).map((b) => b.value), { timeout: 15_000 }).toEqual(['3,877', '97.3%', '0.1%', '0.0%', '100']);
      expect(await headings(page)).toContain('Moves between two month ends, customers (Member level): Jun 2026 → Sep 2026 (3 months)');
      // per month 9 of 115 customers moved up and 6 down
      expect(await queryInPage(page, `
        SELECT round(100 * sum(customers) FILTER (WHERE to_segment_rank < from_segment_rank) / sum(customers), 1) AS up
        FROM warehouse.tier_migration_monthly WHERE scheme = 'value' AND month_start_date = DATE '2026-10-01'`)).toEqual([{ up: 7.8 }]);
      // RFM and lifecycle are not ranked: no upgrade rate chart, a sentence instead
      await chooseOption(page, 'Scheme', 'Lifecycle stage');
      await expect.poll(async () => page.locator('body').innerText(), { timeout: 15_000 }).toMatch(/are not ranked from best to worst/);
      // the fixture has no lifecycle moves: a sentence instead of empty charts (and no error)
      expect(await page.locator('body').innerText()).toMatch(/No customer of the later month end is in this scheme and comparison/);
      expect(problems.consoleErrors).toEqual([]);
    } finally {
      await context.close();
    }
  }, 120_000);

  it('campaign planner: segments with actions and revenue at stake, a capped list without contact details', async () => {
    const { context, problems, newPage } = await openWatchedContext(browser!);
    try {
      const page = await newPage();
      await page.goto(new URL('campaign-planner', preview!.url).href, { waitUntil: 'networkidle' });
      await page.waitForFunction(() => document.querySelectorAll('.chart-container .chart canvas').length >= 1, null, { timeout: 30_000 });
      // customers: 10 × (5 − rank) × (3 in 华东 + 1 in 华北)
      expect((await tableRows(page, 0)).map((row) => row.slice(0, 3))).toEqual([
        ['Diamond', 'VIP care', '160'], ['Gold', 'Upsell', '120'], ['Silver', 'Upsell', '80'], ['Regular', 'Nurture', '40'],
      ]);
      expect(await headings(page)).toContain('Customer list: top 3 customers per segment by CLV, Oct 2026');
      await chooseOption(page, 'Segment', 'Diamond');
      await expect.poll(async () => (await tableRows(page, 1)).map((row) => row[1]), { timeout: 15_000 }).toEqual(['C-0042', 'C-0101', 'C-0102']);
      await chooseOptions(page, 'Region', ['华北']);
      await expect.poll(async () => (await tableRows(page, 1)).map((row) => row[1]), { timeout: 15_000 }).toEqual(['C-0042', 'C-0102']);
      expect((await tableRows(page, 0))[0]?.[2]).toBe('120');
      const body = await page.locator('body').innerText();
      expect(body).not.toMatch(/@|Email|Phone/);
      expect(await queryInPage(page, 'SELECT count(email) + count(phone) AS contacts FROM warehouse.campaign_customers')).toEqual([{ contacts: 0 }]);
      expect(problems.consoleErrors).toEqual([]);
    } finally {
      await context.close();
    }
  }, 120_000);

  it('lifecycle, loyalty, cohorts and CLV pages show the fixture numbers', async () => {
    const { context, problems, newPage } = await openWatchedContext(browser!);
    try {
      const page = await newPage();
      await page.goto(new URL('lifecycle', preview!.url).href, { waitUntil: 'networkidle' });
      await page.waitForFunction(() => document.querySelectorAll('.chart-container .chart canvas').length >= 5, null, { timeout: 30_000 });
      expect(await headings(page)).toContain('Lifecycle funnel, as of Oct 2026');
      expect(await queryInPage(page, `SELECT sum(customers) AS n FROM warehouse.lifecycle_funnel WHERE grouping = 'funnel'`)).toEqual([{ n: 12500 }]);

      await page.goto(new URL('cohorts', preview!.url).href, { waitUntil: 'networkidle' });
      await page.waitForFunction(() => document.querySelectorAll('.chart-container .chart canvas').length >= 3, null, { timeout: 30_000 });
      expect(await headings(page)).toContain('Share of each cohort ordering, by months since acquisition, cohorts acquired, Nov 2024 – Oct 2026');

      await page.goto(new URL('clv', preview!.url).href, { waitUntil: 'networkidle' });
      await page.waitForFunction(() => document.querySelectorAll('.chart-container .chart canvas').length >= 3, null, { timeout: 30_000 });
      // the holdout: 1,000 actual, 1,100 predicted purchase days
      expect((await readBigValues(page)).map((b) => b.value)).toEqual(['1,000', '1,100', '10.0%']);
      expect(await headings(page)).toContain('Predicted vs actual purchase days in the holdout: 01 May 2026 – 31 Oct 2026');
      expect((await tableRows(page, 0)).map((row) => row.slice(0, 3))).toEqual([['1', 'C-0042', '星河贸易有限公司'], ['2', 'C-0007', 'Blue Harbor Ltd']]);
      expect(problems.consoleErrors).toEqual([]);
    } finally {
      await context.close();
    }
  }, 120_000);

  it('data quality page: the latest load reconciles per file, top reasons and the latest run\'s failing test', async () => {
    const { context, problems, newPage } = await openWatchedContext(browser!);
    try {
      const page = await newPage();
      await page.goto(new URL('data-quality', preview!.url).href, { waitUntil: 'networkidle' });
      await page.waitForFunction(() => document.querySelectorAll('.chart-container .chart canvas').length >= 1, null, { timeout: 30_000 });
      // the older load and the older run do not count
      expect((await readBigValues(page)).map((b) => [b.title, b.value])).toEqual([
        ['Rows read, latest load', '56,040'],
        ['Rows loaded, latest load', '55,990'],
        ['Rows quarantined, latest load', '50'],
        ['Data tests failed, latest run', '1'],
      ]);
      const body = await page.locator('body').innerText();
      expect(body).toContain('合同.xlsx');
      expect(body).not.toContain('old/orders.csv');
      // thirty "not found" rows with thirty different ids are one kind of reason
      expect(body).toMatch(/customer_id … not found in the customers from wukong: load that export with it/);
      expect(body).toMatch(/relationships on customer_id/);

      // Language: 中文 turns the titles and column names into Chinese; the numbers stay.
      await page.getByRole('button', { name: '中文' }).click();
      await expect.poll(async () => (await readBigValues(page))[0]?.title, { timeout: 15_000 }).toBe('读取行数（最近一次加载）');
      expect((await readBigValues(page)).map((b) => b.value)).toEqual(['56,040', '55,990', '50', '1']);
      expect(await headings(page)).toContain('最近一次加载读取的文件');
      expect(problems.consoleErrors).toEqual([]);
      expect(problems.outboundRequests).toEqual([]);
    } finally {
      await context.close();
    }
  }, 120_000);

  it.each(PAGES)('page %s renders without errors (screenshot in test/screenshots/)', async (name, path) => {
    const { context, problems, newPage } = await openWatchedContext(browser!);
    try {
      const page = await newPage();
      const response = await page.goto(new URL(path, preview!.url).href, { waitUntil: 'networkidle' });
      expect(response?.status()).toBe(200);
      await page.waitForFunction((n) => document.querySelectorAll('.chart-container .chart canvas').length >= n, CHARTS_PER_PAGE[name] ?? 0, { timeout: 30_000 });
      // let charts draw (and ECharts finish its entry animation) before the screenshot
      await page.waitForTimeout(2000);
      // Evidence shows a failed query or component as an error box instead of failing the build.
      const body = await page.locator('body').innerText();
      expect(body).not.toMatch(/Error in Query|Error in [A-Z][A-Za-z ]*:/);
      // every label resolved, every query answered
      expect(body).not.toMatch(/undefined|Loading\.\.\./);
      // every chart has drawn its data (coloured pixels, not just axes and grid lines)
      const charts = await colouredPixelsPerChart(page);
      expect(charts.length).toBeGreaterThanOrEqual(CHARTS_PER_PAGE[name] ?? 0);
      for (const coloured of charts) expect(coloured).toBeGreaterThan(200);
      const screenshot = await saveScreenshot(page, name);
      expect(screenshot).toMatch(/\.png$/);
      expect(problems.consoleErrors).toEqual([]);
      expect(problems.outboundRequests).toEqual([]);
    } finally {
      await context.close();
    }
  }, 120_000);

  it('the sidebar moves between pages inside the app, with no failed request or error on the way', async () => {
    const { context, problems, newPage } = await openWatchedContext(browser!);
    try {
      const page = await newPage();
      await page.goto(preview!.url, { waitUntil: 'networkidle' });
      for (const [, path] of PAGES.filter(([, p]) => p !== '')) {
        // a click, not a page load: the app fetches the next page's metadata and data itself
        await page.locator(`a[href="/${path}"]`).first().click();
        await page.waitForURL((url) => url.pathname.replace(/\/$/, '') === `/${path}`);
        await page.waitForLoadState('networkidle');
      }
      // Evidence asked for /api//<page>/evidencemeta.json on every such move (patched in dashboards/patches)
      expect(problems.errorResponses).toEqual([]);
      expect(problems.consoleErrors).toEqual([]);
      expect(problems.outboundRequests).toEqual([]);
    } finally {
      await context.close();
    }
  }, 120_000);
});

/** '¥1,037,000' → 1037000, '¥412k' → 412000, '3,971' → 3971, '39.7%' → 39.7 (as shown, so compared with rounding). */
function shownNumber(text: string): number {
  const match = /(-?[\d,.]+)\s*([kMB])?/.exec(text.replace(/[¥$]/g, ''));
  if (!match?.[1]) throw new Error(`no number in "${text}"`);
  const scale = { k: 1e3, M: 1e6, B: 1e9 }[match[2] ?? ''] ?? 1;
  return Number(match[1].replaceAll(',', '')) * scale;
}

/** Relative precision of a shown number: '¥5.2M' is good to ±0.05M, '3,971' exactly. */
function shownPrecision(text: string): number {
  const match = /(-?[\d,.]+)\s*([kMB])?/.exec(text.replace(/[¥$]/g, ''));
  const decimals = match?.[1]?.split('.')[1]?.length ?? 0;
  const scale = { k: 1e3, M: 1e6, B: 1e9 }[match?.[2] ?? ''] ?? 1;
  return (0.5 * scale) / 10 ** decimals;
}

describe('dashboard built by the real pipeline shows the warehouse numbers', () => {
  let workDir: string;
  let preview: DashboardPreview | undefined;
  let browser: Browser | undefined;
  let expected: { month: string; customers: number; revenue: number; topShare: number; perTier: { tier: string; customers: number }[] };
  let siteDir = '';
  let contacts: string[] = [];
  let campaignCustomers = 0;

  beforeAll(async () => {
    workDir = mkdtempSync(join(tmpdir(), 'crm-tiers-dashboard-real-'));
    const inputDir = join(workDir, 'exports');
    const warehousePath = join(workDir, 'warehouse.duckdb');
    await generateSample({ ...DEFAULT_GENERATE_OPTIONS, customers: 600, months: 24, seed: 11, outDir: inputDir });
    const run = await runCommand({ warehousePath, inputs: [inputDir], generateIfMissing: false, dashboard: false });
    expect(run.tests.filter((t) => t.status !== 'pass')).toEqual([]);
    const warehouse = await Warehouse.open(warehousePath, { readOnly: true });
    try {
      const [latest] = await warehouse.rows<{ month: string; customers: number; revenue: number; top: number }>(`
        select strftime(month_start_date, '%b %Y') as month, sum(customers) as customers, sum(revenue_cny) as revenue,
          sum(revenue_cny) filter (where tier_rank = 1) as top
        from tier_kpis_monthly where month_start_date = (select max(month_start_date) from tier_kpis_monthly)
        group by month_start_date`);
      const perTier = await warehouse.rows<{ tier: string; customers: number }>(`
        select tier, customers from tier_kpis_monthly
        where month_start_date = (select max(month_start_date) from tier_kpis_monthly) order by tier_rank`);
      expected = { month: latest!.month, customers: latest!.customers, revenue: latest!.revenue, topShare: (100 * latest!.top) / latest!.revenue, perTier };
      // the contact details the site must not carry (models/dashboard.yml: show_contact_details false)
      contacts = (await warehouse.rows<{ contact: string }>(`
        select email as contact from stg_customers where email like '%@%' union select phone from stg_customers where length(phone) >= 8`)).map((r) => r.contact);
      const [campaign] = await warehouse.rows<{ customers: number }>(`select sum(customers) as customers from campaign_segments where scheme = 'value'`);
      campaignCustomers = Number(campaign!.customers);
    } finally {
      warehouse.close();
    }
    const built = await buildDashboard({ warehousePath, outDir: join(workDir, 'site') });
    siteDir = built.outDir;
    preview = await previewDashboard({ port: 0, dir: built.outDir });
    browser = await launchChromium();
  }, 600_000);

  afterAll(async () => {
    await browser?.close();
    await preview?.close();
    if (workDir) rmSync(workDir, { recursive: true, force: true });
  });

  it('the built site holds no email or phone number of any customer', () => {
    expect(contacts.length).toBeGreaterThan(100);
    const files = readdirSync(siteDir, { recursive: true, withFileTypes: true }).filter((f) => f.isFile());
    // one pass over each file: the contacts are looked up by the few characters at each position, and only those
    // that start so are compared whole (every contact against every file, text.includes, took over a minute)
    const prefixLength = Math.min(6, ...contacts.map((c) => c.length));
    const byPrefix = new Map<string, string[]>();
    for (const contact of contacts) {
      const prefix = contact.slice(0, prefixLength);
      byPrefix.set(prefix, [...(byPrefix.get(prefix) ?? []), contact]);
    }
    let bytes = 0;
    const found = new Set<string>();
    for (const file of files) {
      // contact details are ASCII: searching the bytes as latin1 finds them in any file (HTML, JS, JSON, parquet)
      const text = readFileSync(join(file.parentPath, file.name)).toString('latin1');
      bytes += text.length;
      for (let at = 0; at + prefixLength <= text.length; at += 1) {
        for (const contact of byPrefix.get(text.slice(at, at + prefixLength)) ?? []) if (text.startsWith(contact, at)) found.add(contact);
      }
    }
    expect(bytes).toBeGreaterThan(1_000_000);
    expect([...found]).toEqual([]);
  });

  it.each(PAGES)('page %s renders from a real run: charts drawn, no errors (screenshot <page>-sample)', async (name, path) => {
    const { context, problems, newPage } = await openWatchedContext(browser!);
    try {
      const page = await newPage();
      await page.goto(new URL(path, preview!.url).href, { waitUntil: 'networkidle' });
      // the sample has no quarantined row, so the data quality page has no chart
      const minimum = name === 'data-quality' ? 0 : CHARTS_PER_PAGE[name] ?? 0;
      await page.waitForFunction((n) => document.querySelectorAll('.chart-container .chart canvas').length >= n, minimum, { timeout: 30_000 });
      await page.waitForTimeout(2000);
      const body = await page.locator('body').innerText();
      expect(body).not.toMatch(/Error in Query|Error in [A-Z][A-Za-z ]*:|undefined|Loading\.\.\./);
      const charts = await colouredPixelsPerChart(page);
      expect(charts.length).toBeGreaterThanOrEqual(minimum);
      for (const coloured of charts) expect(coloured).toBeGreaterThan(200);
      if (name === 'tier-migration') {
        // every customer of the latest month end is in the moves
        expect(shownNumber((await readBigValues(page))[0]!.value)).toBe(expected.customers);
      }
      if (name === 'campaign-planner') {
        const customers = (await tableRows(page, 0)).reduce((sum, row) => sum + shownNumber(row[2] ?? ''), 0);
        expect(customers).toBe(campaignCustomers);
      }
      await saveScreenshot(page, `${name}-sample`);
      expect(problems.consoleErrors).toEqual([]);
      expect(problems.outboundRequests).toEqual([]);
    } finally {
      await context.close();
    }
  }, 120_000);

  it('headline numbers and the per-tier table equal the warehouse', async () => {
    const { context, problems, newPage } = await openWatchedContext(browser!);
    try {
      const page = await newPage();
      await page.goto(preview!.url, { waitUntil: 'networkidle' });
      await page.waitForFunction(() => document.querySelectorAll('.chart-container .chart canvas').length >= 3, null, { timeout: 30_000 });
      const [customers, , revenue, share] = await readBigValues(page);
      expect(customers?.title).toBe(`Customers with a tier, ${expected.month}`);
      expect(shownNumber(customers!.value)).toBe(expected.customers);
      expect(Math.abs(shownNumber(revenue!.value) - expected.revenue)).toBeLessThanOrEqual(shownPrecision(revenue!.value));
      expect(Math.abs(shownNumber(share!.value) - expected.topShare)).toBeLessThanOrEqual(shownPrecision(share!.value));

      const rows = await tableRows(page, 1);
      expect(rows.map((row) => [row[0]?.split(' ')[0], shownNumber(row[2] ?? '')])).toEqual(expected.perTier.map((t) => [t.tier, t.customers]));
      expect(problems.consoleErrors).toEqual([]);
      expect(problems.outboundRequests).toEqual([]);
    } finally {
      await context.close();
    }
  }, 120_000);
});

/** The page's h1–h3 texts, whitespace collapsed. */
async function headings(page: Page): Promise<string[]> {
  return (await page.locator('h1, h2, h3').allInnerTexts()).map((text) => text.replace(/\s+/g, ' ').trim());
}

/**
 * The body rows of the n-th table on the page, cell texts whitespace collapsed. Evidence may render a DataTable as
 * more than one <table> element with the same rows; those count once.
 */
async function tableRows(page: Page, n: number): Promise<string[][]> {
  const tables = await page.locator('table').evaluateAll((elements) =>
    elements.map((table) =>
      Array.from(table.querySelectorAll('tr:has(td)'), (tr) => Array.from(tr.querySelectorAll('td'), (td) => (td.textContent ?? '').replace(/\s+/g, ' ').trim())),
    ),
  );
  const distinct = tables.filter((rows, i) => rows.length > 0 && (i === 0 || JSON.stringify(rows) !== JSON.stringify(tables[i - 1])));
  return distinct[n] ?? [];
}

/** Picks an option of a single-choice Evidence Dropdown (found by its title); long lists are searched first. */
async function chooseOption(page: Page, dropdown: string, option: string): Promise<void> {
  await page.getByRole('combobox', { name: dropdown }).click();
  const search = page.locator('[data-cmdk-input]');
  if ((await search.count()) > 0) await search.first().fill(option);
  await page.getByRole('option', { name: option, exact: true }).click();
  await page.keyboard.press('Escape');
}

/** Toggles options of a multiple-choice Evidence Dropdown (all are selected at first: this deselects them). */
async function chooseOptions(page: Page, dropdown: string, toggle: readonly string[]): Promise<void> {
  await page.getByRole('combobox', { name: dropdown }).click();
  for (const option of toggle) await page.getByRole('option', { name: option, exact: true }).click();
  await page.keyboard.press('Escape');
}

/** Every ECharts canvas on the page with the number of coloured (not white or grey) pixels it has drawn. */
async function colouredPixelsPerChart(page: Page): Promise<number[]> {
  return page.evaluate(() =>
    Array.from(document.querySelectorAll<HTMLCanvasElement>('.chart-container .chart canvas')).map((canvas) => {
      const context = canvas.getContext('2d');
      if (!context || canvas.width === 0 || canvas.height === 0) return 0;
      const { data } = context.getImageData(0, 0, canvas.width, canvas.height);
      let coloured = 0;
      for (let p = 0; p < data.length; p += 4) {
        const [r, g, b, a] = [data[p]!, data[p + 1]!, data[p + 2]!, data[p + 3]!];
        if (a > 200 && Math.max(r, g, b) - Math.min(r, g, b) > 40) coloured++;
      }
      return coloured;
    }),
  );
}
