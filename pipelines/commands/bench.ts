import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { withWarehouse } from '../db/warehouse.ts';
import { DEFAULT_GENERATE_OPTIONS, generateSample } from '../generate/index.ts';
import { buildStep, loadStep, testStep, type Log } from '../pipeline/steps.ts';
import { PROJECT_PATHS } from '../project-paths.ts';

export interface BenchmarkOptions {
  readonly customers: number;
  readonly months: number;
  /** Load only the generated orders.csv, as a plain order log (the order-log loader's speed). */
  readonly orderLog?: boolean;
  readonly log?: Log;
}

export interface BenchmarkResult {
  readonly customers: number;
  readonly orders_loaded: number;
  readonly rows_loaded: number;
  readonly generate_seconds: number;
  readonly load_seconds: number;
  readonly load_rows_per_second: number;
  readonly build_seconds: number;
  readonly load_and_build_seconds: number;
  readonly data_test_seconds: number;
  readonly peak_rss_mib: number;
}

const seconds = (start: number) => Number(((performance.now() - start) / 1000).toFixed(2));

/**
 * `npm run bench`: generates (once, cached under data/bench) a large sample, then times load + build + data tests
 * into a fresh warehouse and reports the process's peak resident memory (DuckDB runs in-process, so it counts).
 */
export async function runBenchmark(options: BenchmarkOptions): Promise<BenchmarkResult> {
  const log = options.log ?? (() => {});
  const inputDir = join(PROJECT_PATHS.benchDir, `sample-${options.customers}-${options.months}`);
  let generateSeconds = 0;
  if (!existsSync(join(inputDir, 'tickets.csv'))) {
    log(`Generating ${options.customers.toLocaleString('en-US')} customers × ${options.months} months into ${inputDir} (cached for next time) …`);
    const started = performance.now();
    await generateSample({ ...DEFAULT_GENERATE_OPTIONS, customers: options.customers, months: options.months, outDir: inputDir });
    generateSeconds = seconds(started);
  }
  const warehousePath = join(PROJECT_PATHS.benchDir, 'bench.duckdb');
  rmSync(warehousePath, { force: true });
  rmSync(`${warehousePath}.wal`, { force: true });
  return withWarehouse(warehousePath, {}, async (warehouse) => {
    let started = performance.now();
    const load = options.orderLog
      ? await loadStep(warehouse, join(inputDir, 'orders.csv'), undefined, log, { source: 'order-log' })
      : await loadStep(warehouse, inputDir, undefined, log);
    const loadSeconds = seconds(started);
    const rowsRead = load.files.reduce((sum, f) => sum + f.rows_read, 0);
    started = performance.now();
    await buildStep(warehouse, [], undefined, log);
    const buildSeconds = seconds(started);
    started = performance.now();
    await testStep(warehouse, []);
    const testSeconds = seconds(started);
    return {
      customers: options.customers,
      orders_loaded: load.files.find((f) => f.table === 'orders')?.rows_loaded ?? 0,
      rows_loaded: load.files.reduce((sum, f) => sum + f.rows_loaded, 0),
      generate_seconds: generateSeconds,
      load_seconds: loadSeconds,
      load_rows_per_second: Math.round(rowsRead / loadSeconds),
      build_seconds: buildSeconds,
      load_and_build_seconds: Number((loadSeconds + buildSeconds).toFixed(2)),
      data_test_seconds: testSeconds,
      peak_rss_mib: Math.round(process.resourceUsage().maxRSS / 1024),
    };
  });
}
