import type { Warehouse } from '../db/warehouse.ts';
import { loadCurrenciesConfig } from '../config/currencies.ts';
import { loadSourcesConfig, type LoadMode } from '../config/sources.ts';
import { checkRejectRate } from '../ingest/reject-rate.ts';
import { loadSegmentationConfig } from '../config/segmentation.ts';
import { boundParameters, CONFIG_SOURCES, writeConfigTables } from '../config/config-tables.ts';
import { loadDashboardConfig, writeDashboardConfigTable } from '../config/dashboard.ts';
import type { LoadResult } from '../ingest/load-sources.ts';
import { loadInputs } from '../ingest/load-inputs.ts';
import { loadModelProject, type ModelProject, type SourceReference } from '../runner/project.ts';
import { selectModels } from '../runner/select.ts';
import { buildModels, type BuiltModel } from '../runner/build.ts';
import { runDataTests, type DataTestResult } from '../runner/data-tests.ts';
import { PROJECT_PATHS, REPO_ROOT } from '../project-paths.ts';
import { CLV_SOURCES } from '../clv/warehouse-io.ts';
import { clvBuildHooks } from '../clv/warehouse-step.ts';

/** Where the project's configuration lives; tests point these at fixtures. */
export interface ProjectLocation {
  readonly modelsDir: string;
  readonly sourcesConfig: string;
  readonly segmentationConfig: string;
  readonly currenciesConfig: string;
  /** models/clv.yml (CLV fit settings); used only when the project has the CLV summary model. */
  readonly clvConfig?: string;
  /** models/dashboard.yml (what the dashboard may show); defaults when absent. */
  readonly dashboardConfig?: string;
}

export const DEFAULT_PROJECT: ProjectLocation = PROJECT_PATHS;

export type Log = (line: string) => void;

function knownSources(location: ProjectLocation): SourceReference[] {
  const sources = loadSourcesConfig(location.sourcesConfig);
  const raw = sources.sources.flatMap((s) => s.tables.map((t) => ({ source: s.name, table: t.name })));
  return [...raw, ...CONFIG_SOURCES, ...CLV_SOURCES];
}

/** Reads and checks the model project (refs, sources, cycles, .yml files) without touching the warehouse. */
export function readProject(location: ProjectLocation = DEFAULT_PROJECT): ModelProject {
  return loadModelProject(location.modelsDir, knownSources(location), REPO_ROOT);
}

/** How to read files whose own content leaves something open. */
export interface ReadOptions {
  /** Currency of amounts written without a symbol (an order log). */
  readonly currency?: string;
  /** Day-first or month-first, for dates like 03/04/2024 that fit both. */
  readonly dateOrder?: 'DMY' | 'MDY';
  /** Overrides max_reject_rate of models/sources.yml. */
  readonly maxRejectRate?: number;
  /** Overrides load_mode of models/sources.yml. */
  readonly mode?: LoadMode;
  /** Read the inputs as this source (canonical, order-log, wukong, hubspot, salesforce, zoho) instead of detecting it. */
  readonly source?: string;
}

/**
 * Loads `inputs`: folders in the canonical layout (the bundled sample's), CRM exports (WukongCRM, HubSpot,
 * Salesforce, Zoho; files or folders of them) and plain order / invoice logs (CSV, Excel, Parquet, JSON).
 */
export async function loadStep(warehouse: Warehouse, inputs: string | readonly string[], location: ProjectLocation = DEFAULT_PROJECT, log?: Log, read: ReadOptions = {}): Promise<LoadResult> {
  const sources = loadSourcesConfig(location.sourcesConfig);
  const result = await loadInputs(warehouse, typeof inputs === 'string' ? [inputs] : inputs, {
    sources,
    currencies: loadCurrenciesConfig(location.currenciesConfig),
    currenciesFile: location.currenciesConfig,
    workDir: PROJECT_PATHS.workDir,
    mode: read.mode ?? sources.load_mode,
    ...(read.source ? { source: read.source } : {}),
    ...(read.currency ? { currency: read.currency } : {}),
    ...(read.dateOrder ? { dateOrder: read.dateOrder } : {}),
    ...(log ? { log } : {}),
  });
  checkRejectRate(result.files, read.maxRejectRate ?? sources.max_reject_rate);
  return result;
}

export interface BuildStepResult {
  readonly project: ModelProject;
  readonly selected: readonly string[];
  readonly built: readonly BuiltModel[];
}

/** Writes the segmentation config into config_* tables, then builds the selected models in dependency order. */
export async function buildStep(warehouse: Warehouse, selectors: readonly string[], location: ProjectLocation = DEFAULT_PROJECT, log?: Log): Promise<BuildStepResult> {
  const segmentation = loadSegmentationConfig(location.segmentationConfig);
  const project = readProject(location);
  const selected = selectModels(project, selectors);
  await writeDashboardConfigTable(warehouse, loadDashboardConfig(location.dashboardConfig ?? PROJECT_PATHS.dashboardConfig));
  await writeConfigTables(warehouse, segmentation);
  const clv = clvBuildHooks(warehouse, project, location.clvConfig ?? PROJECT_PATHS.clvConfig, segmentation.clv, log);
  await clv.beforeBuild();
  const built = await buildModels(warehouse, project, selected, { ...(log ? { log } : {}), afterModel: clv.afterModel, parameters: boundParameters(segmentation) });
  return { project, selected, built };
}

export async function testStep(warehouse: Warehouse, selectors: readonly string[], location: ProjectLocation = DEFAULT_PROJECT): Promise<DataTestResult[]> {
  const project = readProject(location);
  return runDataTests(warehouse, project, selectModels(project, selectors), boundParameters(loadSegmentationConfig(location.segmentationConfig)));
}
