import type { Warehouse } from '../db/warehouse.ts';
import type { SourceReference } from '../runner/project.ts';
import type { SegmentationConfig } from './segmentation.ts';

/** The config tables models may read as {{ source('config', …) }}. */
export const CONFIG_SOURCES: readonly SourceReference[] = Object.freeze([
  { source: 'config', table: 'parameters' },
  { source: 'config', table: 'value_tiers' },
  { source: 'config', table: 'rfm_segments' },
]);

/**
 * Writes the segmentation config into config_* tables with bound parameters, so rule values reach SQL as data.
 * Replaced on every build: the config file is the only place these values live.
 */
export async function writeConfigTables(warehouse: Warehouse, config: Readonly<SegmentationConfig>): Promise<void> {
  await warehouse.exec(`
    create or replace table config_parameters (
      as_of_date date,
      value_tier_window_months integer not null,
      rfm_bins integer not null,
      rfm_other_segment varchar not null,
      rfm_other_segment_zh varchar not null
    );
    create or replace table config_value_tiers (
      tier varchar not null,
      tier_rank integer not null,
      min_revenue_cny double not null,
      label_en varchar not null,
      label_zh varchar not null
    );
    create or replace table config_rfm_segments (
      segment varchar not null,
      segment_zh varchar not null,
      rule_order integer not null,
      recency_score_min integer not null,
      recency_score_max integer not null,
      frequency_score_min integer not null,
      frequency_score_max integer not null,
      monetary_score_min integer not null,
      monetary_score_max integer not null
    );`);
  await warehouse.exec('insert into config_parameters values ($1::date, $2, $3, $4, $5)', [
    config.as_of_date === 'latest' ? null : config.as_of_date,
    config.value_tiers.window_months,
    config.rfm.bins,
    config.rfm.other_segment.name,
    config.rfm.other_segment.label_zh,
  ]);
  for (const [index, tier] of config.value_tiers.tiers.entries()) {
    await warehouse.exec('insert into config_value_tiers values ($1, $2, $3, $4, $5)', [tier.name, index + 1, tier.min_revenue_cny, tier.name, tier.label_zh]);
  }
  for (const [index, segment] of config.rfm.segments.entries()) {
    await warehouse.exec('insert into config_rfm_segments values ($1, $2, $3, $4, $5, $6, $7, $8, $9)', [
      segment.name, segment.label_zh, index + 1,
      segment.recency[0], segment.recency[1], segment.frequency[0], segment.frequency[1], segment.monetary[0], segment.monetary[1],
    ]);
  }
}
