// The CLV step of a warehouse build: the splits go in before the models, the fits right after the summary model,
// so the CLV marts (ordinary SQL models) read them in the same build. The fitted tables are written as the
// build goes, like the config tables before it: a build that fails later leaves them newer than the models.
import type { Warehouse } from '../db/warehouse.ts';
import type { ModelProject } from '../runner/project.ts';
import type { ClvSchemeConfig } from '../config/segmentation.ts';
import { loadClvSettings, type ClvSettings } from './settings.ts';
import { createFittedTables, fitSplit } from './fit-split.ts';
import { SUMMARY_MODEL, writeClvParameters, writeClvSettings, type ClvSplit } from './warehouse-io.ts';

/** validation: calibrate up to holdout_months before the last purchase day, check on the rest; forecast: all history. */
export function warehouseSplits(settings: Readonly<ClvSettings>): ClvSplit[] {
  return [
    { split: 'validation', timeUnit: settings.time_unit, calibrationEndDate: null, holdoutMonths: settings.holdout_months, holdoutEndDate: null },
    { split: 'forecast', timeUnit: settings.time_unit, calibrationEndDate: null, holdoutMonths: 0, holdoutEndDate: null },
  ];
}

export interface ClvBuildHooks {
  readonly beforeBuild: () => Promise<void>;
  readonly afterModel: (name: string, relation: string) => Promise<void>;
}

/** Hooks for buildModels; inert for a project without the CLV summary model (e.g. test fixtures). */
export function clvBuildHooks(warehouse: Warehouse, project: ModelProject, settingsFile: string, scheme: Readonly<ClvSchemeConfig>, log?: (line: string) => void): ClvBuildHooks {
  if (!project.models.has(SUMMARY_MODEL)) return { beforeBuild: async () => {}, afterModel: async () => {} };
  const settings = loadClvSettings(settingsFile);
  return {
    beforeBuild: async () => {
      await writeClvParameters(warehouse, warehouseSplits(settings));
      await writeClvSettings(warehouse, settings, scheme);
    },
    afterModel: async (name, relation) => {
      if (name !== SUMMARY_MODEL) return;
      const started = performance.now();
      await createFittedTables(warehouse);
      const fittedAt = new Date();
      for (const { split } of warehouseSplits(settings)) {
        const result = await fitSplit(warehouse, split, {
          timeUnit: settings.time_unit,
          horizonMonths: settings.horizon_months,
          monthlyDiscountRate: settings.monthly_discount_rate,
          minRepeatBuyers: settings.min_repeat_buyers,
          paretoNbd: false,
          clv: split === 'forecast',
          maxFitCustomers: settings.max_fit_customers,
          summaryRelation: relation,
        }, fittedAt);
        for (const warning of result.warnings) log?.(`  warning: CLV ${split}: ${warning}`);
      }
      log?.(`  fit   CLV models (BG/NBD, Gamma-Gamma) ${((performance.now() - started) / 1000).toFixed(2)}s`);
    },
  };
}
