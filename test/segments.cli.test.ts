// `crm-tiers segment` and `--config` through the real command line.
import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { readYamlFile } from '../pipelines/config/yaml-file.ts';
import { PROJECT_PATHS, REPO_ROOT } from '../pipelines/project-paths.ts';
import { order, tempDir } from './helpers/fixtures.ts';

const BIN = join(REPO_ROOT, 'pipelines', 'bin', 'crm-tiers.mjs');
const crmTiers = (...args: string[]) => execFileSync(process.execPath, [BIN, ...args], { encoding: 'utf8', env: { ...process.env, CI: '1' } });

/** A plain order log: customer, date, amount. */
function orderLog(): string {
  const rows = [
    order('S1', '2024-01-10', 40000), order('S1', '2024-05-10', 40000), // 80,000 in the window → Gold
    order('S2', '2024-03-01', 6000), // Silver
    order('S3', '2024-06-01', 100), order('S3', '2024-07-01', 100), // July is after the as-of date
  ];
  const file = join(tempDir('segment-cli'), 'orders.csv');
  writeFileSync(file, ['order_id,customer_id,order_date,amount', ...rows.map((r) => `${r['order_id']},${r['customer_id']},${r['order_date']},${r['amount_cny']}`)].join('\n'));
  return file;
}

describe('crm-tiers segment', () => {
  it('prints customers, orders and revenue per segment as JSON, with data up to --as-of only', () => {
    const file = orderLog();
    const value = JSON.parse(crmTiers('--json', 'segment', '--input', file, '--as-of', '2024-06-30', '--scheme', 'value'));
    expect(value).toEqual([
      { segment: 'Diamond', customers: 0, orders: 0, revenue: 0 },
      { segment: 'Gold', customers: 1, orders: 2, revenue: 80000 },
      { segment: 'Silver', customers: 1, orders: 1, revenue: 6000 },
      { segment: 'Regular', customers: 1, orders: 1, revenue: 100 }, // S3's July order is not seen
    ]);
    // lifecycle on 2024-06-30: S3 first bought 29 days ago (new), S1 and S2 bought within 180 days (active)
    const lifecycle = JSON.parse(crmTiers('--json', 'segment', '--input', file, '--as-of', '2024-06-30', '--scheme', 'lifecycle'));
    expect(lifecycle.filter((s: { customers: number }) => s.customers > 0)).toEqual([
      { segment: 'New', customers: 1, orders: 1, revenue: 100 },
      { segment: 'Active', customers: 2, orders: 3, revenue: 86000 },
    ]);
  });

  it('uses the rules of --config', () => {
    const config = structuredClone(readYamlFile(PROJECT_PATHS.segmentationConfig)) as Record<string, any>;
    config['value_tiers']['tiers'][0]['label_zh'] = '至尊';
    config['value_tiers']['tiers'][0]['name'] = 'Black';
    config['value_tiers']['tiers'][0]['min_revenue_cny'] = 50000;
    const file = join(tempDir('segment-config'), 'rules.yml');
    writeFileSync(file, stringify(config));
    const value = JSON.parse(crmTiers('--json', 'segment', '--input', orderLog(), '--as-of', '2024-06-30', '--scheme', 'value', '--config', file));
    expect(value[0]).toEqual({ segment: 'Black', customers: 1, orders: 2, revenue: 80000 });
  });

  it('rejects a scheme it does not know, naming the choices', () => {
    expect(() => crmTiers('segment', '--input', 'x.csv', '--as-of', '2024-06-30', '--scheme', 'vip')).toThrow(/Allowed choices are rfm, value, abc, score, lifecycle/);
  });
});
