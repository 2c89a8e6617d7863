import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { withWarehouse } from '../db/warehouse.ts';
import { generateSample, DEFAULT_GENERATE_OPTIONS, type GenerateSummary } from '../generate/index.ts';
import type { LoadResult } from '../ingest/load-sources.ts';
import type { BuiltModel } from '../runner/build.ts';
import type { DataTestResult } from '../runner/data-tests.ts';
import { buildStep, DEFAULT_PROJECT, loadStep, testStep, type Log, type ProjectLocation, type ReadOptions } from '../pipeline/steps.ts';
import { recordRun, type RunRecord } from '../pipeline/run-record.ts';
import { buildDashboard } from '../dashboard/build.ts';
import { createKysely } from '../db/kysely.ts';
import type { WarehouseSchema } from '../db/schema.ts';
import type { Warehouse } from '../db/warehouse.ts';

export interface RunOptions {
  readonly warehousePath: string;
  /** Files and folders to load: the canonical layout (the sample's), CRM exports, order logs. */
  readonly inputs: readonly string[];
  readonly read?: ReadOptions;
  /** Generate the bundled sample exports into the (one) input folder first when they are absent. */
  readonly generateIfMissing: boolean;
  /** Build the static dashboard after the warehouse. */
  readonly dashboard: boolean;
  readonly project?: ProjectLocation;
  readonly log?: Log;
}

export interface TierCount {
  readonly tier: string;
  readonly tier_label_zh: string;
  readonly customers: number;
  readonly trailing_revenue_cny: number;
}

export interface RunSummary {
  readonly generated: GenerateSummary | null;
  readonly load: LoadResult;
  readonly built: readonly BuiltModel[];
  readonly tests: readonly DataTestResult[];
  readonly run: RunRecord;
  readonly tiers: readonly TierCount[];
  readonly dashboardDir: string | null;
}

/** `crm-tiers run`: (generate) → load → build → test → record the run → (dashboard). */
export async function runCommand(options: RunOptions): Promise<RunSummary> {
  const log = options.log ?? (() => {});
  const project = options.project ?? DEFAULT_PROJECT;
  const startedAt = new Date();
  let generated: GenerateSummary | null = null;
  const [sampleDir] = options.inputs;
  const sampleMissing = options.inputs.length === 1 && sampleDir !== undefined && !(existsSync(sampleDir) && statSync(sampleDir).isFile())
    && !existsSync(join(sampleDir, 'customers.csv'));
  if (options.generateIfMissing && sampleMissing && sampleDir !== undefined) {
    log(`Generating the sample CRM exports into ${sampleDir} …`);
    generated = await generateSample({ ...DEFAULT_GENERATE_OPTIONS, outDir: sampleDir });
  }
  const result = await withWarehouse(options.warehousePath, {}, async (warehouse) => {
    log(`Loading ${options.inputs.join(', ')} into ${options.warehousePath} …`);
    const load = await loadStep(warehouse, options.inputs, project, log, options.read);
    log('Building models …');
    const { built } = await buildStep(warehouse, [], project, log);
    log('Running data tests …');
    const tests = await testStep(warehouse, [], project);
    const run = await recordRun(warehouse, startedAt, load, built.length, tests);
    const tiers = await countCustomersPerTier(warehouse);
    return { load, built, tests, run, tiers };
  });
  let dashboardDir: string | null = null;
  if (options.dashboard) {
    // the warehouse is closed by now: Evidence opens the file itself
    log('Building the dashboard (Evidence; takes a minute or two) …');
    // Evidence's own output stays out of the summary; a failure carries its last lines
    dashboardDir = (await buildDashboard({ warehousePath: options.warehousePath })).outDir;
  }
  return { generated, ...result, dashboardDir };
}

/** Customers and trailing revenue per member level at the as-of date, top tier first. */
export async function countCustomersPerTier(warehouse: Warehouse): Promise<TierCount[]> {
  const db = createKysely<WarehouseSchema>(warehouse);
  return db
    .selectFrom('customer_value_tier')
    .select((eb) => [
      'tier',
      eb.fn.max('tier_label_zh').as('tier_label_zh'),
      eb.fn.countAll<number>().as('customers'),
      eb.fn.sum<number>('trailing_revenue_cny').as('trailing_revenue_cny'),
    ])
    .groupBy(['tier', 'tier_rank'])
    .orderBy('tier_rank')
    .execute();
}
