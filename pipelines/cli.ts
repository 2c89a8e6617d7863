// The crm-tiers command line: parses arguments, calls the library, prints results. No logic of its own.
import { resolve } from 'node:path';
import { Command, InvalidArgumentError, Option } from 'commander';
import { PROJECT_PATHS } from './project-paths.ts';
import { formatJson, formatTable } from './cli/format.ts';
import { printBuild, printLoad, printRunSummary, printTests, testsFailed } from './cli/reports.ts';
import { generateSample, parseGenerateOptions, DEFAULT_GENERATE_OPTIONS } from './generate/index.ts';
import { queryWarehouse } from './commands/query.ts';
import { buildCommand, loadCommand, testCommand } from './commands/warehouse-steps.ts';
import { runCommand } from './commands/run.ts';
import type { ReadOptions } from './pipeline/steps.ts';
import { RejectRateError } from './ingest/reject-rate.ts';
import { SOURCE_CHOICES } from './ingest/load-inputs.ts';
import { buildDashboard } from './dashboard/build.ts';
import { previewDashboard } from './dashboard/preview.ts';
import { runBenchmark } from './commands/bench.ts';
import { clvCommand } from './commands/clv.ts';
import { printClv } from './clv/report.ts';
import { segmentCommand } from './commands/segment.ts';
import { exportCommand, EXPORT_FORMATS, EXPORT_LANGUAGES, type ExportFormat } from './commands/export.ts';
import { EXPORT_SCHEMES } from './export/tiers.ts';
import type { ExportLanguage } from './export/query.ts';
import { DEFAULT_PROJECT, type ProjectLocation } from './pipeline/steps.ts';
import type { SchemeKey } from './config/segmentation.ts';

interface GlobalOptions {
  readonly warehouse: string;
  readonly json: boolean;
}

const stderr = (line: string) => process.stderr.write(`${line}\n`);
/**
 * Progress lines: on a terminal, not in CI logs or when a script reads --json (results always go to stdout).
 * CRM_TIERS_PROGRESS=1 asks for them anywhere, e.g. from a program that watches the run.
 */
const progress = (json: boolean) =>
  process.env['CRM_TIERS_PROGRESS'] === '1' || (!json && !process.env['CI'] && process.stderr.isTTY) ? stderr : undefined;
const stdout = (text: string) => process.stdout.write(`${text}\n`);

function integer(name: string) {
  return (value: string): number => {
    if (!/^-?\d+$/.test(value)) throw new InvalidArgumentError(`${name} must be a whole number`);
    return Number(value);
  };
}

function isoDate(name: string) {
  return (value: string): string => {
    const date = new Date(`${value}T00:00:00Z`);
    if (!/^\d{4}-\d{2}-\d{2}$/.test(value) || Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== value) {
      throw new InvalidArgumentError(`${name} must be a date written YYYY-MM-DD`);
    }
    return value;
  };
}

function globals(command: Command): GlobalOptions {
  return command.optsWithGlobals<GlobalOptions>();
}

const program = new Command('crm-tiers')
  .description('Customer tiering warehouse: CRM exports → DuckDB → tier models → static dashboard')
  .addOption(new Option('--warehouse <path>', 'DuckDB warehouse file').default(PROJECT_PATHS.warehouse, 'data/warehouse.duckdb'))
  .option('--json', 'print results as JSON (for scripts)', false)
  .showHelpAfterError();

program
  .command('generate')
  .description('write deterministic sample CRM exports (customers, orders, activities, surveys, referrals, tickets)')
  .option('--customers <n>', 'number of customers', integer('--customers'), DEFAULT_GENERATE_OPTIONS.customers)
  .option('--months <n>', 'months of history', integer('--months'), DEFAULT_GENERATE_OPTIONS.months)
  .option('--seed <n>', 'random seed (same seed → same bytes)', integer('--seed'), DEFAULT_GENERATE_OPTIONS.seed)
  .option('--end-month <yyyy-mm>', 'last month of history', DEFAULT_GENERATE_OPTIONS.endMonth)
  .addOption(new Option('--out <dir>', 'output folder').default(PROJECT_PATHS.sampleDir, 'data/sample'))
  .action(async (options: { customers: number; months: number; seed: number; endMonth: string; out: string }, command: Command) => {
    const summary = await generateSample(parseGenerateOptions({ ...options, outDir: resolve(options.out) }));
    if (globals(command).json) stdout(formatJson(summary));
    else stdout(formatTable(summary.files.map((f) => ({ table: f.table, file: f.file, rows: f.rows }))));
  });

function readOptions(options: ReadFlags): ReadOptions {
  return {
    ...(options.source ? { source: options.source } : {}),
    ...(options.mode ? { mode: options.mode } : {}),
    ...(options.currency ? { currency: options.currency.toUpperCase() } : {}),
    ...(options.dateFormat ? { dateOrder: options.dateFormat } : {}),
    ...(options.maxRejectRate !== undefined ? { maxRejectRate: options.maxRejectRate } : {}),
  };
}

interface ReadFlags {
  readonly source?: string;
  readonly mode?: 'replace' | 'append';
  readonly currency?: string;
  readonly dateFormat?: 'DMY' | 'MDY';
  readonly maxRejectRate?: number;
}

function fraction(value: string): number {
  const share = Number(value);
  if (!/^\d*\.?\d+$/.test(value) || share > 1) throw new InvalidArgumentError('--max-reject-rate is a fraction from 0 to 1, e.g. 0.3');
  return share;
}
const maxRejectRateOption = () => new Option('--max-reject-rate <fraction>', 'fail when more than this share of a file is quarantined (default: models/sources.yml)').argParser(fraction);

const configOption = () => new Option('--config <file>', 'segmentation rules to use').default(PROJECT_PATHS.segmentationConfig, 'models/segmentation.yml');
const projectWith = (config: string): ProjectLocation => ({ ...DEFAULT_PROJECT, segmentationConfig: resolve(config) });

const inputHelp = 'files or folders: the canonical layout (models/sources.yml), WukongCRM / HubSpot / Salesforce / Zoho exports, or order logs (.csv .xlsx .xls .parquet .json)';
const sourceOption = () => new Option('--source <name>', 'read the inputs as this source instead of detecting it from the headers').choices([...SOURCE_CHOICES]);
const modeOption = () => new Option('--mode <mode>', 'replace the warehouse raw data, or append to it (default: load_mode in models/sources.yml)').choices(['replace', 'append']);
const currencyOption = () => new Option('--currency <code>', 'currency of amounts without a symbol, e.g. GBP (rates in models/currencies.yml)');
const dateFormatOption = () => new Option('--date-format <order>', 'day or month first, for dates like 03/04/2024').choices(['DMY', 'MDY']);

program
  .command('load')
  .description('load CRM exports into raw_* tables; bad rows go to the quarantine table')
  .argument('[paths...]', inputHelp)
  .addOption(new Option('--input <path>', 'same as the [paths...] argument').default(PROJECT_PATHS.sampleDir, 'data/sample'))
  .addOption(sourceOption())
  .addOption(modeOption())
  .addOption(currencyOption())
  .addOption(dateFormatOption())
  .addOption(maxRejectRateOption())
  .action(async (paths: string[], options: { input: string } & ReadFlags, command: Command) => {
    const { warehouse, json } = globals(command);
    const result = await loadCommand({ warehousePath: warehouse, input: paths.length > 0 ? paths : [options.input], read: readOptions(options), log: progress(json) });
    if (json) stdout(formatJson(result));
    else stdout(printLoad(result));
  });

program
  .command('build')
  .description('build the SQL models in dependency order')
  .option('-s, --select <selectors...>', 'models to build: name, name+ (and downstream), +name (and upstream), layer:marts')
  .addOption(configOption())
  .action(async (options: { select?: string[]; config: string }, command: Command) => {
    const { warehouse, json } = globals(command);
    const result = await buildCommand({ warehousePath: warehouse, select: options.select ?? [], project: projectWith(options.config), log: progress(json) });
    stdout(json ? formatJson(result.built) : printBuild(result.built));
  });

program
  .command('test')
  .description("run the data tests declared in the models' .yml files")
  .option('-s, --select <selectors...>', 'models whose tests to run (same syntax as build)')
  .action(async (options: { select?: string[] }, command: Command) => {
    const { warehouse, json } = globals(command);
    const results = await testCommand({ warehousePath: warehouse, select: options.select ?? [] });
    stdout(json ? formatJson(results) : printTests(results));
    if (testsFailed(results)) process.exitCode = 1;
  });

program
  .command('run')
  .description('load + build + test (and optionally generate the sample first and build the dashboard after)')
  .argument('[paths...]', inputHelp)
  .addOption(new Option('--input <path>', 'same as the [paths...] argument').default(PROJECT_PATHS.sampleDir, 'data/sample'))
  .addOption(sourceOption())
  .addOption(modeOption())
  .addOption(currencyOption())
  .addOption(dateFormatOption())
  .addOption(maxRejectRateOption())
  .option('--sample', 'generate the bundled sample exports into the input folder when they are absent', false)
  .option('--dashboard', 'build the static dashboard after the warehouse', false)
  .addOption(configOption())
  .action(async (paths: string[], options: { input: string; sample: boolean; dashboard: boolean; config: string } & ReadFlags, command: Command) => {
    const { warehouse, json } = globals(command);
    const summary = await runCommand({
      warehousePath: warehouse,
      project: projectWith(options.config),
      inputs: paths.length > 0 ? paths : [options.input],
      read: readOptions(options),
      generateIfMissing: options.sample,
      dashboard: options.dashboard,
      log: progress(json) ?? (() => {}),
    });
    stdout(json ? formatJson(summary) : printRunSummary(summary));
    if (testsFailed(summary.tests)) process.exitCode = 1;
  });

program
  .command('segment')
  .description('run one segmentation scheme on an order file as of a date (in memory; the warehouse is not touched)')
  .requiredOption('--input <file>', 'an order log file (.csv .xlsx .xls .parquet .json) or a folder of exports')
  .requiredOption('--as-of <date>', 'evaluate with data up to this date, YYYY-MM-DD')
  .addOption(new Option('--scheme <scheme>', 'which scheme').choices(['rfm', 'value', 'abc', 'score', 'lifecycle']).default('rfm'))
  .addOption(configOption())
  .addOption(currencyOption())
  .addOption(dateFormatOption())
  .addOption(maxRejectRateOption())
  .action(async (options: { input: string; asOf: string; scheme: SchemeKey; config: string } & ReadFlags, command: Command) => {
    const { json } = globals(command);
    const result = await segmentCommand({
      input: options.input, asOf: options.asOf, scheme: options.scheme, project: projectWith(options.config), read: readOptions(options),
    });
    stdout(json ? formatJson(result.segments.map(({ segment, customers, orders, revenue }) => ({ segment, customers, orders, revenue })))
      : formatTable(result.segments.map((s) => ({ ...s }))));
  });

program
  .command('query')
  .description('run read-only SQL against the warehouse and print the result')
  .argument('<sql>', 'the SQL to run')
  .action(async (sql: string, _options: unknown, command: Command) => {
    const { warehouse, json } = globals(command);
    const result = await queryWarehouse(warehouse, sql);
    stdout(json ? formatJson(result.rows) : formatTable(result.rows, result.columns));
  });

program
  .command('export')
  .description('write the customers of one tier of one scheme (with email and phone) to a CSV, XLSX or Parquet file for a campaign')
  .addOption(new Option('--scheme <scheme>', 'which scheme').choices([...EXPORT_SCHEMES]).makeOptionMandatory())
  .requiredOption('--tier <tier>', 'the tier: its English name or its Chinese label (e.g. Gold or 黄金)')
  .addOption(new Option('--format <format>', 'file format').choices([...EXPORT_FORMATS]).makeOptionMandatory())
  .option('--out <file>', 'file to write (default: data/out/<scheme>-<tier>-<today>.<format>)')
  .addOption(new Option('--lang <lang>', 'language of the headers and tier names').choices([...EXPORT_LANGUAGES]).default('en'))
  .action(async (options: { scheme: string; tier: string; format: ExportFormat; out?: string; lang: ExportLanguage }, command: Command) => {
    const { warehouse, json } = globals(command);
    const result = await exportCommand({
      warehousePath: warehouse, scheme: options.scheme, tier: options.tier, format: options.format, lang: options.lang,
      ...(options.out !== undefined ? { out: options.out } : {}),
    });
    const tier = result.tier_zh !== result.tier ? `${result.tier} (${result.tier_zh})` : result.tier;
    stdout(json ? formatJson(result) : `Wrote ${result.customers.toLocaleString('en-US')} customer${result.customers === 1 ? '' : 's'} of ${result.scheme} tier ${tier} at ${result.as_of_date ?? '(no as-of date)'} to ${result.file}`);
  });

const dashboard = program.command('dashboard').description('build or preview the static Evidence dashboard');
dashboard
  .command('build')
  .description('build the static site into dashboards/build from the warehouse marts')
  .option('--verbose', "show Evidence's own output", false)
  .action(async (options: { verbose: boolean }, command: Command) => {
    const { warehouse, json } = globals(command);
    const result = await buildDashboard({ warehousePath: warehouse, ...(options.verbose ? { log: stderr } : {}) });
    stdout(json ? formatJson(result) : `Dashboard built in ${result.seconds.toFixed(0)} s: ${result.outDir}`);
  });
dashboard
  .command('preview')
  .description('serve the built site on 127.0.0.1')
  .option('--port <n>', 'port', integer('--port'), 4173)
  .action(async (options: { port: number }) => {
    const server = await previewDashboard({ port: options.port, host: '127.0.0.1' });
    stdout(`Serving the dashboard at ${server.url} — press Ctrl+C to stop.`);
    const stop = () => void server.close().then(() => process.exit(0));
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });

program
  .command('bench')
  .description('time and measure memory of load + build on a large generated data set (default 1M customers / ~10M orders)')
  .option('--customers <n>', 'number of customers', integer('--customers'), 1_000_000)
  .option('--months <n>', 'months of history', integer('--months'), 36)
  .option('--order-log', 'load only the generated orders.csv, read as a plain order log', false)
  .action(async (options: { customers: number; months: number; orderLog: boolean }, command: Command) => {
    const { json } = globals(command);
    const result = await runBenchmark({ customers: options.customers, months: options.months, orderLog: options.orderLog, log: stderr });
    stdout(json ? formatJson(result) : formatTable([{ ...result }]));
  });

program
  .command('clv')
  .description('fit the CLV models (BG/NBD, Pareto/NBD, Gamma-Gamma) on one file and check them on a holdout')
  .requiredOption('--input <file>', 'a CDNOW file (../shared/datasets/cdnow/CDNOW_sample.txt) or an order log')
  .addOption(new Option('--format <format>', 'cdnow: whitespace-separated CDNOW file; orders: an order log as `load` reads it').choices(['cdnow', 'orders']).makeOptionMandatory())
  .option('--calibration-end <date>', 'last day of the calibration period, YYYY-MM-DD (default: 1997-09-30 for cdnow, the last purchase day for orders)', isoDate('--calibration-end'))
  .option('--holdout-end <date>', 'last day of the holdout period, YYYY-MM-DD (default: the last purchase day)', isoDate('--holdout-end'))
  .addOption(new Option('--time-unit <unit>', 'unit of recency, T and the rates').choices(['day', 'week', 'month']).default('week'))
  .addOption(currencyOption())
  .addOption(dateFormatOption())
  .addOption(maxRejectRateOption())
  .action(async (options: { input: string; format: 'cdnow' | 'orders'; calibrationEnd?: string; holdoutEnd?: string; timeUnit: 'day' | 'week' | 'month' } & ReadFlags, command: Command) => {
    const { json } = globals(command);
    const result = await clvCommand({
      input: options.input,
      format: options.format,
      timeUnit: options.timeUnit,
      ...(options.calibrationEnd ? { calibrationEnd: options.calibrationEnd } : {}),
      ...(options.holdoutEnd ? { holdoutEnd: options.holdoutEnd } : {}),
      read: readOptions(options),
      log: progress(json) ?? (() => {}),
    });
    for (const warning of result.warnings) stderr(`warning: ${warning}`);
    stdout(json ? formatJson(result) : printClv(result));
  });

try {
  await program.parseAsync(process.argv);
} catch (error) {
  // Known errors carry a message written for the user; a stack trace would only hide it.
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`crm-tiers: ${message}\n`);
  if (process.env['CRM_TIERS_DEBUG'] && error instanceof Error) process.stderr.write(`${error.stack}\n`);
  // 1: the data failed a check (too many rejects); 2: the command could not do its job
  process.exitCode = error instanceof RejectRateError ? 1 : 2;
}
