import { z } from 'zod';
import { readYamlFile } from '../config/yaml-file.ts';
import { ConfigError, parseConfig } from '../config/zod-errors.ts';

/** models/clv.yml: how the warehouse fits and uses the CLV models. CLV tiers and the at-risk rule are a segmentation
 * scheme (models/segmentation.yml `clv`), beside the other tiers. */
export const clvSettingsSchema = z.strictObject({
  time_unit: z.enum(['day', 'week', 'month']),
  holdout_months: z.int().min(1).max(60),
  horizon_months: z.int().min(1).max(120),
  monthly_discount_rate: z.number().min(0).max(1),
  min_repeat_buyers: z.int().min(3),
  max_fit_customers: z.int().min(1000),
  churn_risk: z.strictObject({
    high_below: z.number().min(0).max(1),
    medium_below: z.number().min(0).max(1),
  }),
});

export type ClvSettings = z.output<typeof clvSettingsSchema>;

export function loadClvSettings(file: string): Readonly<ClvSettings> {
  const settings = parseConfig(clvSettingsSchema, readYamlFile(file), file);
  if (settings.churn_risk.high_below > settings.churn_risk.medium_below) {
    throw new ConfigError(file, ['churn_risk: high_below must not be above medium_below']);
  }
  return settings;
}
