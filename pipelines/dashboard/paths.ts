import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { REPO_ROOT } from '../project-paths.ts';

export { REPO_ROOT };

/** The Evidence project. */
export const DASHBOARDS_DIR = join(REPO_ROOT, 'dashboards');

/** Where `evidence build` leaves the static site. */
export const DASHBOARD_BUILD_DIR = join(DASHBOARDS_DIR, 'build');

/** Evidence's working copy of the project (template, source data, query cache). */
export const EVIDENCE_WORK_DIR = join(DASHBOARDS_DIR, '.evidence');

/** The Evidence source that reads the warehouse (dashboards/sources/warehouse). */
export const WAREHOUSE_SOURCE_NAME = 'warehouse';
export const WAREHOUSE_SOURCE_DIR = join(DASHBOARDS_DIR, 'sources', WAREHOUSE_SOURCE_NAME);

/** The Evidence CLI script (`evidence` bin of @evidence-dev/evidence), as installed for the dashboards workspace. */
export function evidenceCliPath(): string {
  const require = createRequire(join(DASHBOARDS_DIR, 'package.json'));
  let packageJson: string;
  try {
    packageJson = require.resolve('@evidence-dev/evidence/package.json');
  } catch {
    throw new Error('Evidence is not installed (@evidence-dev/evidence not found from dashboards/). Run `npm install` at the repository root.');
  }
  const cli = join(dirname(packageJson), 'cli.js');
  if (!existsSync(cli)) throw new Error(`Evidence CLI not found at ${cli}. Run \`npm install\` at the repository root.`);
  return cli;
}
