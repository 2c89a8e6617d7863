import type { Warehouse } from '../db/warehouse.ts';
import { loadSourcesConfig } from '../config/sources.ts';
import { loadSegmentationConfig } from '../config/segmentation.ts';
import { CONFIG_SOURCES, writeConfigTables } from '../config/config-tables.ts';
import { loadSources, type LoadResult } from '../ingest/load-sources.ts';
import { loadModelProject, type ModelProject, type SourceReference } from '../runner/project.ts';
import { selectModels } from '../runner/select.ts';
import { buildModels, type BuiltModel } from '../runner/build.ts';
import { runDataTests, type DataTestResult } from '../runner/data-tests.ts';
import { PROJECT_PATHS, REPO_ROOT } from '../project-paths.ts';

/** Where the project's configuration lives; tests point these at fixtures. */
export interface ProjectLocation {
  readonly modelsDir: string;
  readonly sourcesConfig: string;
  readonly segmentationConfig: string;
}

export const DEFAULT_PROJECT: ProjectLocation = PROJECT_PATHS;

export type Log = (line: string) => void;

function knownSources(location: ProjectLocation): SourceReference[] {
  const sources = loadSourcesConfig(location.sourcesConfig);
  const raw = sources.sources.flatMap((s) => s.tables.map((t) => ({ source: s.name, table: t.name })));
  return [...raw, ...CONFIG_SOURCES];
}

/** Reads and checks the model project (refs, sources, cycles, .yml files) without touching the warehouse. */
export function readProject(location: ProjectLocation = DEFAULT_PROJECT): ModelProject {
  return loadModelProject(location.modelsDir, knownSources(location), REPO_ROOT);
}

export async function loadStep(warehouse: Warehouse, inputDir: string, location: ProjectLocation = DEFAULT_PROJECT, log?: Log): Promise<LoadResult> {
  const sources = loadSourcesConfig(location.sourcesConfig);
  return loadSources(warehouse, sources, { inputDir, ...(log ? { log } : {}) });
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
  await writeConfigTables(warehouse, segmentation);
  const built = await buildModels(warehouse, project, selected, log ? { log } : {});
  return { project, selected, built };
}

export async function testStep(warehouse: Warehouse, selectors: readonly string[], location: ProjectLocation = DEFAULT_PROJECT): Promise<DataTestResult[]> {
  const project = readProject(location);
  return runDataTests(warehouse, project, selectModels(project, selectors));
}
