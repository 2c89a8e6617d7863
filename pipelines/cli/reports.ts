import type { LoadResult } from '../ingest/load-sources.ts';
import type { BuiltModel } from '../runner/build.ts';
import { describeFailures, type DataTestResult } from '../runner/data-tests.ts';
import type { RunSummary } from '../commands/run.ts';
import { formatTable } from './format.ts';

export function printLoad(result: LoadResult): string {
  const rows = result.files.map((f) => ({ file: f.file, source: f.source, table: `raw_${f.table}`, read: f.rows_read, loaded: f.rows_loaded, quarantined: f.rows_quarantined }));
  const quarantined = result.files.reduce((sum, f) => sum + f.rows_quarantined, 0);
  const note = quarantined > 0 ? `\n${quarantined} row(s) quarantined — see: crm-tiers query "select * from quarantine"` : '';
  const unchanged = result.unchanged_since_load ? `\nNothing changed: load ${result.unchanged_since_load} already read these same files.` : '';
  return formatTable(rows) + note + unchanged;
}

export function printBuild(built: readonly BuiltModel[]): string {
  return formatTable(built.map((b) => ({ model: b.name, materialized: b.materialized, rows: b.rows, seconds: Number(b.seconds.toFixed(2)) })));
}

export function testsFailed(results: readonly DataTestResult[]): boolean {
  return results.some((r) => r.status !== 'pass');
}

export function printTests(results: readonly DataTestResult[]): string {
  const passed = results.filter((r) => r.status === 'pass').length;
  const lines = describeFailures(results);
  return [...lines, `Data tests: ${passed} passed, ${results.length - passed} failed`].join('\n');
}

/** The closing summary of `crm-tiers run`: what was loaded, customers per tier, where the site is. */
export function printRunSummary(summary: RunSummary): string {
  const loaded = summary.load.files.reduce((sum, f) => sum + f.rows_loaded, 0);
  const quarantined = summary.load.files.reduce((sum, f) => sum + f.rows_quarantined, 0);
  const seconds = (summary.run.finished_at.getTime() - summary.run.started_at.getTime()) / 1000;
  const out = [
    '',
    `Loaded ${loaded.toLocaleString('en-US')} rows from ${summary.load.files.length} file${summary.load.files.length === 1 ? '' : 's'} (${quarantined.toLocaleString('en-US')} quarantined), built ${summary.built.length} models and ran the data tests in ${seconds.toFixed(1)} s.`,
    printTests(summary.tests),
    '',
    `Customers per member level at ${summary.run.as_of_date ?? '(no orders)'}:`,
    formatTable(summary.tiers.map((t) => ({ tier: t.tier, 等级: t.tier_label_zh, customers: t.customers, trailing_revenue_cny: Math.round(t.trailing_revenue_cny) }))),
  ];
  if (summary.dashboardDir) {
    out.push('', `Dashboard built: ${summary.dashboardDir}`, 'Preview it with:  npm run dashboard:preview   (serves http://127.0.0.1:4173)');
  }
  return out.join('\n');
}
