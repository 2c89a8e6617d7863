import { existsSync } from 'node:fs';
import { z } from 'zod';
import type { Warehouse } from '../db/warehouse.ts';
import { readYamlFile } from './yaml-file.ts';
import { parseConfig } from './zod-errors.ts';

/** models/dashboard.yml: what the static dashboard may show and how it opens. */
export const dashboardSchema = z.strictObject({
  dashboard: z.strictObject({
    show_contact_details: z.boolean().default(false),
    default_language: z.enum(['en', 'zh']).default('en'),
    campaign_customers_per_segment: z.number().int().min(1).max(10_000).default(100),
  }),
});

export type DashboardConfig = z.output<typeof dashboardSchema>['dashboard'];

export const DEFAULT_DASHBOARD_CONFIG: Readonly<DashboardConfig> = Object.freeze(dashboardSchema.parse({ dashboard: {} }).dashboard);

/** The dashboard settings; the defaults (no contact details, English) when the file does not exist. */
export function loadDashboardConfig(file: string): Readonly<DashboardConfig> {
  if (!existsSync(file)) return DEFAULT_DASHBOARD_CONFIG;
  return parseConfig(dashboardSchema, readYamlFile(file), file).dashboard;
}

/** Writes config_dashboard (one row), read by the dashboard marts as {{ source('config', 'dashboard') }}. */
export async function writeDashboardConfigTable(warehouse: Warehouse, config: Readonly<DashboardConfig>): Promise<void> {
  await warehouse.exec(`
    create or replace table config_dashboard (
      show_contact_details boolean not null,
      default_language varchar not null,
      campaign_customers_per_segment integer not null
    )`);
  await warehouse.exec('insert into config_dashboard values ($1, $2, $3)', [
    config.show_contact_details, config.default_language, config.campaign_customers_per_segment]);
}
