import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root, whatever the working directory: defaults resolve from here, user paths from the cwd. */
export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

export const PROJECT_PATHS = Object.freeze({
  modelsDir: join(REPO_ROOT, 'models'),
  sourcesConfig: join(REPO_ROOT, 'models', 'sources.yml'),
  segmentationConfig: join(REPO_ROOT, 'models', 'segmentation.yml'),
  sampleDir: join(REPO_ROOT, 'data', 'sample'),
  warehouse: join(REPO_ROOT, 'data', 'warehouse.duckdb'),
  benchDir: join(REPO_ROOT, 'data', 'bench'),
  currenciesConfig: join(REPO_ROOT, 'models', 'currencies.yml'),
  clvConfig: join(REPO_ROOT, 'models', 'clv.yml'),
  dashboardConfig: join(REPO_ROOT, 'models', 'dashboard.yml'),
  workDir: join(REPO_ROOT, 'data', '.work'),
});
