import { Warehouse } from '../db/warehouse.ts';
import { loadSegmentationConfig, checkSegmentation, type SchemeKey, type SegmentationConfig } from '../config/segmentation.ts';
import { ConfigError, deepFreeze } from '../config/zod-errors.ts';
import { boundParameters, writeConfigTables } from '../config/config-tables.ts';
import { DEFAULT_PROJECT, loadStep, readProject, type Log, type ProjectLocation, type ReadOptions } from '../pipeline/steps.ts';
import { selectModels } from '../runner/select.ts';
import { buildModels } from '../runner/build.ts';
import { summariseScheme, SCHEME_KEYS, type SegmentSummary } from '../segment/scheme-summary.ts';

export interface SegmentOptions {
  /** An order log file (or a folder of exports in the sample layout). */
  readonly input: string;
  /** Evaluate with data up to this date (YYYY-MM-DD). */
  readonly asOf: string;
  readonly scheme: SchemeKey;
  readonly read?: ReadOptions;
  readonly project?: ProjectLocation;
  readonly log?: Log;
}

export interface SegmentResult {
  readonly scheme: SchemeKey;
  readonly as_of_date: string;
  readonly segments: readonly SegmentSummary[];
}

/** The one model every scheme is evaluated in; the runner builds it and what it needs, nothing else. */
const SCHEME_MODEL = 'int_customer_segments_evaluated';

/**
 * `crm-tiers segment`: one scheme on one order file, in a throwaway in-memory warehouse, so analysts can try
 * rules without a full pipeline run. The config file's rules apply, with the as-of date given here.
 */
export async function segmentCommand(options: SegmentOptions): Promise<SegmentResult> {
  if (!SCHEME_KEYS.includes(options.scheme)) throw new Error(`--scheme must be one of ${SCHEME_KEYS.join(', ')} (got ${options.scheme})`);
  const project = options.project ?? DEFAULT_PROJECT;
  const config = withAsOfDate(loadSegmentationConfig(project.segmentationConfig), options.asOf, project.segmentationConfig);
  const warehouse = await Warehouse.open(':memory:');
  try {
    await loadStep(warehouse, options.input, project, options.log, options.read);
    await writeConfigTables(warehouse, config);
    const models = readProject(project);
    await buildModels(warehouse, models, selectModels(models, [`+${SCHEME_MODEL}`]), { ...(options.log ? { log: options.log } : {}), parameters: boundParameters(config) });
    return { scheme: options.scheme, as_of_date: options.asOf, segments: await summariseScheme(warehouse, options.scheme) };
  } finally {
    warehouse.close();
  }
}

function withAsOfDate(config: Readonly<SegmentationConfig>, asOf: string, file: string): Readonly<SegmentationConfig> {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(asOf) || Number.isNaN(Date.parse(asOf))) {
    throw new ConfigError('--as-of', [`write the date as YYYY-MM-DD (got ${asOf})`]);
  }
  return checkSegmentation(deepFreeze({ ...structuredClone(config), as_of_date: asOf }), file);
}
