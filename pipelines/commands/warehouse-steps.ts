import { withWarehouse } from '../db/warehouse.ts';
import type { LoadResult } from '../ingest/load-sources.ts';
import type { DataTestResult } from '../runner/data-tests.ts';
import { buildStep, DEFAULT_PROJECT, loadStep, testStep, type BuildStepResult, type Log, type ProjectLocation, type ReadOptions } from '../pipeline/steps.ts';

export interface WarehouseOptions {
  readonly warehousePath: string;
  readonly project?: ProjectLocation;
  readonly log?: Log;
}

/** `crm-tiers load`: reads files and folders of CRM exports into the raw_* tables (quarantining bad rows). */
export async function loadCommand(options: WarehouseOptions & { readonly input: string | readonly string[]; readonly read?: ReadOptions }): Promise<LoadResult> {
  return withWarehouse(options.warehousePath, {}, (warehouse) => loadStep(warehouse, options.input, options.project ?? DEFAULT_PROJECT, options.log, options.read));
}

/** `crm-tiers build`: builds the selected models (all by default) in dependency order. */
export async function buildCommand(options: WarehouseOptions & { readonly select: readonly string[] }): Promise<BuildStepResult> {
  return withWarehouse(options.warehousePath, {}, (warehouse) => buildStep(warehouse, options.select, options.project ?? DEFAULT_PROJECT, options.log));
}

/** `crm-tiers test`: runs the data tests declared in the selected models' .yml files. */
export async function testCommand(options: WarehouseOptions & { readonly select: readonly string[] }): Promise<DataTestResult[]> {
  return withWarehouse(options.warehousePath, { readOnly: true }, (warehouse) => testStep(warehouse, options.select, options.project ?? DEFAULT_PROJECT));
}
