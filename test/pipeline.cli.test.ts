// The whole pipeline through the real command line, as a user runs it, on a small generated sample.
import { beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { Warehouse } from '../pipelines/db/warehouse.ts';
import { REPO_ROOT } from '../pipelines/project-paths.ts';
import { tempDir } from './helpers/fixtures.ts';

const CLI = join(REPO_ROOT, 'pipelines', 'bin', 'crm-tiers.mjs');

function crmTiers(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', cwd: REPO_ROOT, timeout: 120_000 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

const work = tempDir('cli');
const input = join(work, 'exports');
const warehouse = join(work, 'warehouse.duckdb');

describe('crm-tiers end to end', () => {
  let run: any;
  beforeAll(() => {
    const generated = crmTiers('--json', 'generate', '--customers', '400', '--months', '18', '--seed', '7', '--out', input);
    expect(generated.stderr).toBe('');
    expect(generated.status).toBe(0);
    const result = crmTiers('--warehouse', warehouse, '--json', 'run', '--input', input);
    expect(result.status, result.stderr).toBe(0);
    run = JSON.parse(result.stdout);
  });

  it('loads every generated row and reconciles each file', () => {
    const generated = JSON.parse(crmTiers('--json', 'generate', '--customers', '400', '--months', '18', '--seed', '7', '--out', join(work, 'again')).stdout);
    for (const file of run.load.files) {
      expect(file.rows_read).toBe(file.rows_loaded + file.rows_quarantined);
      expect(file.rows_quarantined).toBe(0);
      expect(file.rows_read).toBe(generated.files.find((f: { table: string }) => f.table === file.table).rows);
    }
  });

  it('builds every model and passes every data test', () => {
    expect(run.built.map((b: { name: string }) => b.name)).toEqual(expect.arrayContaining(['stg_customers', 'stg_orders', 'customer_rfm', 'customer_value_tier', 'tier_kpis_monthly']));
    expect(run.tests.filter((t: { status: string }) => t.status !== 'pass')).toEqual([]);
    expect(run.run.tests_failed).toBe(0);
    expect(run.run.as_of_date).toBe('2026-10-31');
    // the run's test results stay in the warehouse for the dashboard's data quality page
    const stored = crmTiers('--warehouse', warehouse, '--json', 'query', `select status, count(*)::integer as tests from data_test_results where run_id = '${run.run.run_id}' group by all`);
    expect(JSON.parse(stored.stdout)).toEqual([{ status: 'pass', tests: run.tests.length }]);
  });

  it('reports customers per tier that match the warehouse, and the tiers are all populated', () => {
    const query = crmTiers('--warehouse', warehouse, '--json', 'query', 'select tier, count(*) as customers from customer_value_tier group by tier order by min(tier_rank)');
    expect(query.status, query.stderr).toBe(0);
    const counts = JSON.parse(query.stdout);
    expect(counts).toEqual(run.tiers.map((t: { tier: string; customers: number }) => ({ tier: t.tier, customers: t.customers })));
    expect(counts.map((c: { tier: string }) => c.tier)).toEqual(['Diamond', 'Gold', 'Silver', 'Regular']);
  });

  it('keeps monthly snapshots whose tier counts add up to the buyers known at each month end', () => {
    const query = crmTiers('--warehouse', warehouse, '--json', 'query', `
      with kpis as (select month_end_date, sum(customers) as customers from tier_kpis_monthly group by all),
      buyers as (
        select m.month_end_date, count(distinct o.customer_id) as buyers
        from int_evaluation_months_generated m join stg_orders o on o.is_revenue and o.order_date <= m.month_end_date
        group by all
      )
      select count(*) as months, count(*) filter (where kpis.customers <> buyers.buyers) as mismatches
      from kpis join buyers using (month_end_date)`);
    expect(JSON.parse(query.stdout)).toEqual([{ months: 18, mismatches: 0 }]);
  });

  it('prints a table for people and runs the data tests on their own', () => {
    const table = crmTiers('--warehouse', warehouse, 'query', 'select tier, label_zh from tier_definitions order by tier_rank');
    expect(table.stdout).toMatch(/^tier\s+label_zh\n-+\s+-+\nDiamond\s+钻石\n/);
    const tests = crmTiers('--warehouse', warehouse, 'test', '--select', 'customer_value_tier');
    expect(tests.status).toBe(0);
    expect(tests.stdout).toMatch(/Data tests: \d+ passed, 0 failed/);
  });

  it('keeps query read-only', () => {
    const result = crmTiers('--warehouse', warehouse, 'query', 'delete from tier_kpis_monthly');
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/read-only/i);
  });

  it('says "warehouse is in use" when another process holds it', async () => {
    const holder = await Warehouse.open(warehouse);
    try {
      const result = crmTiers('--warehouse', warehouse, 'query', 'select 1');
      expect(result.status).toBe(2);
      expect(result.stderr).toContain('warehouse is in use');
      expect(result.stderr).not.toMatch(/at .*\.ts:\d+/); // a message, not a stack trace
    } finally {
      holder.close();
    }
  });

  it('explains a bad selector and a missing input folder', () => {
    const select = crmTiers('--warehouse', warehouse, 'build', '--select', 'customer_tier+');
    expect(select.status).toBe(2);
    expect(select.stderr).toContain('--select customer_tier+: there is no model named customer_tier');
    const missing = crmTiers('--warehouse', join(work, 'other.duckdb'), 'load', '--input', join(work, 'nowhere'));
    expect(missing.status).toBe(2);
    expect(missing.stderr).toMatch(/nowhere: not found/);
  });
});

