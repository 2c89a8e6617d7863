// The dashboard site end to end: a warehouse with hand-written mart rows -> buildDashboard (Evidence
// sources + build, offline) -> previewDashboard -> headless Chromium. Checks what a person would see:
// the numbers, the charts, and that the page neither errors nor reaches off this machine.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { Warehouse } from '../pipelines/db/warehouse.ts';
import { generateSample, DEFAULT_GENERATE_OPTIONS } from '../pipelines/generate/index.ts';
import { runCommand } from '../pipelines/commands/run.ts';
import type { Browser } from 'playwright-core';
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
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

// ---------------------------------------------------------------------------------------------

/** Every page of the site: [screenshot name, path]. */
const PAGES: readonly (readonly [string, string])[] = [['index', ''], ['data-quality', 'data-quality']];

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
    expect(buildOutput.join('\n')).toMatch(/tier_kpis_monthly .*wrote 144 rows/);
    expect(buildOutput.join('\n')).toMatch(/Build complete/);
  });

  it('overview page: headline numbers, charts and table as the fixture says, no errors, nothing leaves the machine', async () => {
    const { context, problems, newPage } = await openWatchedContext(browser!);
    try {
      const page = await newPage();
      await page.goto(preview!.url, { waitUntil: 'networkidle' });
      await page.waitForFunction(() => document.querySelectorAll('.chart-container .chart canvas').length >= 2, null, { timeout: 30_000 });
      // let ECharts finish its entry animation before reading pixels and taking the screenshot
      await page.waitForTimeout(1500);

      const headings = (await page.locator('h1, h2, h3').allInnerTexts()).map((text) => text.replace(/\s+/g, ' ').trim());
      expect(headings).toEqual([
        'Customer tiers — overview',
        'Latest month: October 2026',
        'Tiers over time',
        // one question per chart, each titled with its time window
        'Customers per tier, Nov 2023 – Oct 2026',
        'Revenue by tier, last 12 months: Nov 2025 – Oct 2026',
        'Latest month per tier: October 2026',
      ]);
      const body = await page.locator('body').innerText();
      expect(body).toContain('run-fixture-002');
      expect(body).toContain('2026-10-31');

      // Headline KPIs (formatted as Evidence formats them).
      expect(await readBigValues(page)).toEqual([
        { title: 'Customers with a tier, Oct 2026', value: '4,000', comparison: '▲ 100 vs Sep 2026' },
        { title: 'Revenue, Oct 2026', value: '¥1,037,000', comparison: '▲ 8.0% vs Sep 2026' },
        { title: 'Share of revenue from Diamond, Oct 2026', value: '39.7%', comparison: '▲ 0.1 pts vs Sep 2026' },
      ]);

      // Charts: drawn, every tier in its own colour in both.
      const charts = await readCharts(page, TIERS.map((t) => t.colour));
      expect(charts).toHaveLength(2);
      for (const chart of charts) {
        expect(chart.width).toBeGreaterThan(300);
        expect(chart.height).toBeGreaterThan(150);
        expect(chart.coloursFound.sort()).toEqual(TIERS.map((t) => t.colour).sort());
      }

      // Latest month per tier, top tier first.
      const rows = await page.locator('table').first().locator('tr:has(td)').evaluateAll((trs) =>
        trs.map((tr) => Array.from(tr.querySelectorAll('td'), (td) => (td.textContent ?? '').replace(/\s+/g, ' ').trim())),
      );
      expect(rows).toEqual([
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

      await page.close();

      expect(problems.consoleErrors).toEqual([]);
      expect(problems.outboundRequests).toEqual([]);
      expect(problems.failedRequests.filter((r) => !r.url.startsWith(preview!.url))).toEqual([]);
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
      // let charts draw (and ECharts finish its entry animation) before the screenshot
      await page.waitForTimeout(2000);
      // Evidence shows a failed query or component as an error box instead of failing the build.
      expect(await page.locator('body').innerText()).not.toMatch(/Error in Query|Error in [A-Z][A-Za-z ]*:/);
      const screenshot = await saveScreenshot(page, name);
      expect(screenshot).toMatch(/\.png$/);
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
    } finally {
      warehouse.close();
    }
    const built = await buildDashboard({ warehousePath, outDir: join(workDir, 'site') });
    preview = await previewDashboard({ port: 0, dir: built.outDir });
    browser = await launchChromium();
  }, 600_000);

  afterAll(async () => {
    await browser?.close();
    await preview?.close();
    if (workDir) rmSync(workDir, { recursive: true, force: true });
  });

  it('headline numbers and the per-tier table equal the warehouse', async () => {
    const { context, problems, newPage } = await openWatchedContext(browser!);
    try {
      const page = await newPage();
      await page.goto(preview!.url, { waitUntil: 'networkidle' });
      await page.waitForFunction(() => document.querySelectorAll('.chart-container .chart canvas').length >= 2, null, { timeout: 30_000 });
      const [customers, revenue, share] = await readBigValues(page);
      expect(customers?.title).toBe(`Customers with a tier, ${expected.month}`);
      expect(shownNumber(customers!.value)).toBe(expected.customers);
      expect(Math.abs(shownNumber(revenue!.value) - expected.revenue)).toBeLessThanOrEqual(shownPrecision(revenue!.value));
      expect(Math.abs(shownNumber(share!.value) - expected.topShare)).toBeLessThanOrEqual(shownPrecision(share!.value));

      const rows = await page.locator('table').first().locator('tr:has(td)').evaluateAll((trs) =>
        trs.map((tr) => Array.from(tr.querySelectorAll('td'), (td) => (td.textContent ?? '').replace(/\s+/g, ' ').trim())),
      );
      expect(rows.map((row) => [row[0]?.split(' ')[0], shownNumber(row[2] ?? '')])).toEqual(expected.perTier.map((t) => [t.tier, t.customers]));
      await saveScreenshot(page, 'index-sample');
      expect(problems.consoleErrors).toEqual([]);
      expect(problems.outboundRequests).toEqual([]);
    } finally {
      await context.close();
    }
  }, 120_000);
});
