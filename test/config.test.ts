import { describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { loadSegmentationConfig, unreachableRfmSegments } from '../pipelines/config/segmentation.ts';
import { loadSourcesConfig } from '../pipelines/config/sources.ts';
import { DEFAULT_DASHBOARD_CONFIG, loadDashboardConfig } from '../pipelines/config/dashboard.ts';
import { readYamlFile } from '../pipelines/config/yaml-file.ts';
import { PROJECT_PATHS } from '../pipelines/project-paths.ts';
import { tempDir } from './helpers/fixtures.ts';

function writeSegmentation(edit: (config: Record<string, any>) => void): string {
  const config = structuredClone(readYamlFile(PROJECT_PATHS.segmentationConfig)) as Record<string, any>;
  edit(config);
  const file = join(tempDir('config'), 'segmentation.yml');
  writeFileSync(file, stringify(config));
  return file;
}

describe('segmentation config', () => {
  it('reads the shipped config, frozen, with every RFM segment reachable', () => {
    const config = loadSegmentationConfig(PROJECT_PATHS.segmentationConfig);
    expect(config.value_tiers.tiers.map((t) => t.name)).toEqual(['Diamond', 'Gold', 'Silver', 'Regular']);
    expect(Object.isFrozen(config.value_tiers.tiers[0])).toBe(true);
    expect(unreachableRfmSegments(config.rfm.segments, config.rfm.bins)).toEqual([]);
    expect(config.rfm.segments).toHaveLength(11);
  });

  it('names the bad key and what is allowed', () => {
    const typo = writeSegmentation((c) => { c['value_tiers']['tiers'][1]['min_revenue_cny'] = 'lots'; });
    expect(() => loadSegmentationConfig(typo)).toThrow(/segmentation\.yml: invalid configuration\n\s+value_tiers\.tiers\.1\.min_revenue_cny: .*number/);
    const unknown = writeSegmentation((c) => { c['value_tier'] = {}; });
    expect(() => loadSegmentationConfig(unknown)).toThrow(/\(top level\): Unrecognized key: "value_tier"/);
    const date = writeSegmentation((c) => { c['as_of_date'] = '31/12/2024'; });
    expect(() => loadSegmentationConfig(date)).toThrow(/as_of_date: /);
  });

  it('rejects tiers out of order and a last tier that leaves buyers without a tier', () => {
    const order = writeSegmentation((c) => { c['value_tiers']['tiers'][2]['min_revenue_cny'] = 50000; });
    expect(() => loadSegmentationConfig(order)).toThrow(/value_tiers\.tiers\.2\.min_revenue_cny: list tiers from the top down/);
    const floor = writeSegmentation((c) => { c['value_tiers']['tiers'][3]['min_revenue_cny'] = 1; });
    expect(() => loadSegmentationConfig(floor)).toThrow(/the last tier must start at 0/);
  });

  it('rejects an RFM rule that can never match because rules above it take all its scores', () => {
    const shadowed = writeSegmentation((c) => {
      c['rfm']['segments'].splice(1, 0, { name: 'Everyone', label_zh: '所有人', recency: [1, 5], frequency: [1, 5], monetary: [1, 5] });
    });
    expect(() => loadSegmentationConfig(shadowed)).toThrow(/rfm\.segments: Loyal Customers can never be assigned/);
    const range = writeSegmentation((c) => { c['rfm']['segments'][0]['recency'] = [4, 6]; });
    expect(() => loadSegmentationConfig(range)).toThrow(/rfm\.segments\.0\.recency: \[4, 6\] must be a range within 1\.\.5/);
  });
});

describe('dashboard config', () => {
  it('ships with contact details off and English first; a missing file means the same', () => {
    expect(loadDashboardConfig(PROJECT_PATHS.dashboardConfig)).toEqual({ show_contact_details: false, default_language: 'en', campaign_customers_per_segment: 100 });
    expect(loadDashboardConfig(join(tempDir('config'), 'absent.yml'))).toEqual(DEFAULT_DASHBOARD_CONFIG);
    expect(DEFAULT_DASHBOARD_CONFIG.show_contact_details).toBe(false);
  });

  it('names a bad value', () => {
    const file = join(tempDir('config'), 'dashboard.yml');
    writeFileSync(file, stringify({ dashboard: { default_language: 'fr', show_contact_details: 'yes' } }));
    expect(() => loadDashboardConfig(file)).toThrow(/dashboard\.default_language[\s\S]*dashboard\.show_contact_details|dashboard\.show_contact_details[\s\S]*dashboard\.default_language/);
  });
});

describe('sources config', () => {
  it('reads the shipped sources and checks references point at earlier tables', () => {
    const config = loadSourcesConfig(PROJECT_PATHS.sourcesConfig);
    expect(config.sources[0]?.tables.map((t) => t.name)).toEqual(['customers', 'contacts', 'deals', 'orders', 'payments', 'activities', 'surveys', 'referrals', 'tickets']);
    const broken = structuredClone(readYamlFile(PROJECT_PATHS.sourcesConfig)) as Record<string, any>;
    broken['sources'][0]['tables'][1]['references'][0]['field'] = 'id';
    const file = join(tempDir('sources'), 'sources.yml');
    writeFileSync(file, stringify(broken));
    expect(() => loadSourcesConfig(file)).toThrow(/sources\.0\.tables\.1\.references\.0\.field: customers has no column id/);
  });
});

describe('segmentation schemes in config', () => {
  it('keeps models/segmentation.schema.json in step with the zod schema (regenerate: npx tsx pipelines/config/segmentation-json-schema.ts)', async () => {
    const { readFileSync } = await import('node:fs');
    const { SEGMENTATION_JSON_SCHEMA_PATH, segmentationJsonSchemaText } = await import('../pipelines/config/segmentation-json-schema.ts');
    expect(readFileSync(SEGMENTATION_JSON_SCHEMA_PATH, 'utf8')).toBe(segmentationJsonSchemaText());
    expect(readFileSync(PROJECT_PATHS.segmentationConfig, 'utf8').split('\n')[0]).toBe('# yaml-language-server: $schema=./segmentation.schema.json');
  });

  it('reads every scheme of the shipped config', () => {
    const config = loadSegmentationConfig(PROJECT_PATHS.segmentationConfig);
    expect(config.abc.classes.map((c) => c.name)).toEqual(['A', 'B', 'C']);
    expect(config.score.tiers.map((t) => t.name)).toEqual(['Key', 'Growth', 'Maintain', 'Low']);
    expect(Object.keys(config.lifecycle.stages)).toEqual(['prospect', 'new', 'active', 'loyal', 'won_back', 'at_risk', 'churned']);
    expect(config.rfm.method).toBe('quantile');
  });

  it('names the bad key and the allowed values for every scheme', () => {
    const method = writeSegmentation((c) => { c['abc']['method'] = 'pareto80'; });
    expect(() => loadSegmentationConfig(method)).toThrow(/abc\.method: .*"pareto".*"percentile"/);
    const measure = writeSegmentation((c) => { c['value_tiers']['measure'] = 'orders'; });
    expect(() => loadSegmentationConfig(measure)).toThrow(/value_tiers\.tiers\.0\.min_orders: required when value_tiers\.measure is orders \(allowed measures: revenue, orders, quantity\)/);
    const stage = writeSegmentation((c) => { delete c['lifecycle']['stages']['won_back']; });
    expect(() => loadSegmentationConfig(stage)).toThrow(/lifecycle\.stages\.won_back: /);
    const weights = writeSegmentation((c) => { c['score']['weights'] = { recency: 0 }; });
    expect(() => loadSegmentationConfig(weights)).toThrow(/score\.weights: give at least one/);
    const shares = writeSegmentation((c) => { c['abc']['classes'][2]['up_to_share'] = 0.95; });
    expect(() => loadSegmentationConfig(shares)).toThrow(/abc\.classes\.2\.up_to_share: the last class must reach 1/);
    const bins = writeSegmentation((c) => { c['rfm']['bins'] = 4; });
    expect(() => loadSegmentationConfig(bins)).toThrow(/rfm\.bins: method quantile scores in the R rfm package's 5 bins/);
    const hysteresis = writeSegmentation((c) => { c['abc']['downgrade_after_months'] = 7; });
    expect(() => loadSegmentationConfig(hysteresis)).toThrow(/abc\.downgrade_after_months: /);
    const churn = writeSegmentation((c) => { c['lifecycle']['churn_days'] = 100; });
    expect(() => loadSegmentationConfig(churn)).toThrow(/lifecycle\.churn_days: must be above lifecycle\.at_risk_days/);
    const clvShares = writeSegmentation((c) => { c['clv']['tiers'][3]['share'] = 0.4; });
    expect(() => loadSegmentationConfig(clvShares)).toThrow(/clv\.tiers: the shares add up to 0\.9, not 1/);
    const clvRisk = writeSegmentation((c) => { c['clv']['at_risk_high_value']['p_alive_below'] = 1.5; });
    expect(() => loadSegmentationConfig(clvRisk)).toThrow(/clv\.at_risk_high_value\.p_alive_below: /);
  });

  it('reads the CLV scheme: tiers with Chinese labels and the at-risk rule, and defaults when a config has none', () => {
    const config = loadSegmentationConfig(PROJECT_PATHS.segmentationConfig);
    expect(config.clv.tiers.map((t) => [t.name, t.label_zh, t.share])).toEqual([['Top', '顶级价值', 0.05], ['High', '高价值', 0.15], ['Medium', '中等价值', 0.3], ['Low', '低价值', 0.5]]);
    expect(config.clv.at_risk_high_value).toEqual({ top_share: 0.2, p_alive_below: 0.5, p_alive_drop: 0.1 });
    const without = writeSegmentation((c) => { delete c['clv']; });
    expect(loadSegmentationConfig(without).clv.tiers.length).toBe(4);
  });
});
