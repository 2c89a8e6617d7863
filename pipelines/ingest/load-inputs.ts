import { existsSync, readdirSync, statSync } from 'node:fs';
import { extname, join, resolve } from 'node:path';
import type { Warehouse } from '../db/warehouse.ts';
import type { LoadMode, SourcesConfig } from '../config/sources.ts';
import type { CurrenciesConfig } from '../config/currencies.ts';
import { quoteIdentifier, sqlString } from '../db/sql-text.ts';
import { prepareFile, SUPPORTED_EXTENSIONS, type PreparedFile } from './files/index.ts';
import { CANONICAL_SYSTEM, canonicalTable } from './canonical.ts';
import { commitLoad, dropStagedTables, ensureLoadTables, type LoadedFileRecord, type StagedLoad } from './commit-load.ts';
import { InputFileError, isCanonicalFolder, newLoad, stageCanonicalFolder, type LoadResult } from './load-sources.ts';
import { ORDER_LOG_SOURCE, stageOrderLogFile } from './order-log.ts';
import { missingOrderLogColumns, recogniseOrderLogColumns } from './order-log-columns.ts';
import { hashFile, sameAsLastLoad, type ManifestEntry } from './manifest.ts';
import { describeExportKinds, detectExportKind, isSourceSystem, type ExportKind } from './adapters/index.ts';
import { stageExport } from './adapters/stage-export.ts';

/** What `--source` may name: a CRM's exports, the canonical layout, or a plain order log. */
export const SOURCE_CHOICES = [CANONICAL_SYSTEM, ORDER_LOG_SOURCE, 'wukong', 'hubspot', 'salesforce', 'zoho'] as const;

export interface LoadInputsOptions {
  readonly sources: Readonly<SourcesConfig>;
  readonly currencies: Readonly<CurrenciesConfig>;
  readonly currenciesFile: string;
  readonly workDir: string;
  readonly mode: LoadMode;
  /** Read every input as this source instead of detecting it from the headers. */
  readonly source?: string;
  readonly currency?: string;
  readonly dateOrder?: 'DMY' | 'MDY';
  readonly log?: (line: string) => void;
}

type Input =
  | { readonly kind: 'canonical'; readonly dir: string }
  | { readonly kind: 'order-log'; readonly path: string }
  | { readonly kind: 'export'; readonly path: string; readonly exportKind: ExportKind; readonly file: PreparedFile };

/**
 * Loads files and folders of CRM exports in one go: a folder in the canonical layout, exports of WukongCRM,
 * HubSpot, Salesforce and Zoho (recognised from their headers, or as `source` says), and plain order logs. Rows
 * referring to records that are not there (a contract of an unknown 客户名称) are quarantined, as are ids seen in
 * two files. The result becomes the warehouse's raw data in one transaction (see commitLoad for replace / append).
 */
export async function loadInputs(warehouse: Warehouse, paths: readonly string[], options: LoadInputsOptions): Promise<LoadResult> {
  if (options.source !== undefined && !(SOURCE_CHOICES as readonly string[]).includes(options.source)) {
    throw new Error(`--source ${options.source}: unknown source (choose one of ${SOURCE_CHOICES.join(', ')})`);
  }
  const { loadId, loadedAt } = newLoad();
  const inputs: Input[] = [];
  try {
    for (const path of paths) inputs.push(...await classify(resolve(path), options));
    if (inputs.filter((i) => i.kind === 'canonical').length > 1) {
      throw new Error('more than one folder in the canonical layout given: load one at a time, or use --mode append');
    }
    await ensureLoadTables(warehouse);
    await dropStagedTables(warehouse);
    const staged: StagedLoad[] = [];
    try {
      for (const input of inputs) staged.push(await stageInput(warehouse, input, options, loadId, loadedAt));
      const combined = await checkAcrossFiles(warehouse, staged, inputs, options, loadId, loadedAt);
      const previous = await sameAsLastLoad(warehouse, combined.manifest, options.mode);
      if (previous) return { load_id: previous, loaded_at: loadedAt, files: publicRecords(combined.files), unchanged_since_load: previous };
      await commitLoad(warehouse, options.sources, combined, options.mode, loadId, loadedAt);
      return { load_id: loadId, loaded_at: loadedAt, files: publicRecords(combined.files) };
    } finally {
      await dropStagedTables(warehouse);
    }
  } finally {
    for (const input of inputs) if (input.kind === 'export') await input.file.cleanup();
  }
}

function publicRecords(files: readonly LoadedFileRecord[]) {
  return files.map(({ fileBytes: _bytes, ...file }) => file);
}

/** What a path is: a canonical folder, or (a folder of) order logs and CRM exports. */
async function classify(path: string, options: LoadInputsOptions): Promise<Input[]> {
  if (!existsSync(path)) throw new InputFileError(path, 'not found');
  if (statSync(path).isDirectory()) {
    if ((options.source === undefined || options.source === CANONICAL_SYSTEM) && isCanonicalFolder(path, options.sources)) {
      return [{ kind: 'canonical', dir: path }];
    }
    if (options.source === CANONICAL_SYSTEM) {
      throw new InputFileError(path, `has none of the canonical layout's files (${options.sources.sources[0]?.tables.filter((t) => !t.optional).map((t) => t.file).join(', ')})`);
    }
    const files = readdirSync(path).filter((name) => SUPPORTED_EXTENSIONS[extname(name).toLowerCase()] !== undefined && !name.startsWith('.')).sort();
    if (files.length === 0) {
      throw new InputFileError(path, `holds no files to load (${Object.keys(SUPPORTED_EXTENSIONS).join(', ')}); run \`crm-tiers generate\` for sample data or point the load at your exports`);
    }
    const inputs: Input[] = [];
    for (const name of files) inputs.push(await classifyFile(join(path, name), options));
    return inputs;
  }
  if (options.source === CANONICAL_SYSTEM) throw new InputFileError(path, '--source canonical reads a folder (customers.csv, orders.csv, …), not a single file');
  return [await classifyFile(path, options)];
}

async function classifyFile(path: string, options: LoadInputsOptions): Promise<Input> {
  if (options.source === ORDER_LOG_SOURCE) return { kind: 'order-log', path };
  const file = await prepareFile(path, { workDir: options.workDir });
  const system = options.source !== undefined && isSourceSystem(options.source) ? options.source : undefined;
  const exportKind = detectExportKind(file.headers, system);
  if (exportKind) return { kind: 'export', path, exportKind, file };
  await file.cleanup();
  if (system) {
    throw new InputFileError(path, `not recognised as a ${system} export. Expected headers: ${describeExportKinds(system)} (found: ${file.headers.join(', ')})`);
  }
  const missing = missingOrderLogColumns(recogniseOrderLogColumns(file.headers, options.sources.column_mappings));
  if (missing.length === 0) return { kind: 'order-log', path };
  throw new InputFileError(path, `not recognised as an order log: it needs ${missing.join(', ')} (found: ${file.headers.join(', ')}); ` +
    'nor do its headers match a known export (WukongCRM, HubSpot, Salesforce, Zoho). ' +
    'Name the source with --source, or map your headers in column_mappings of models/sources.yml.');
}

async function stageInput(warehouse: Warehouse, input: Input, options: LoadInputsOptions, loadId: string, loadedAt: string): Promise<StagedLoad> {
  switch (input.kind) {
    case 'canonical':
      return stageCanonicalFolder(warehouse, options.sources, input.dir, loadId, loadedAt, options.workDir, options.log);
    case 'order-log':
      return stageOrderLogFile(warehouse, input.path, options.sources, {
        workDir: options.workDir, currencies: options.currencies, currenciesFile: options.currenciesFile,
        columnMappings: options.sources.column_mappings,
        ...(options.currency ? { currency: options.currency } : {}),
        ...(options.dateOrder ? { dateOrder: options.dateOrder } : {}),
        ...(options.log ? { log: options.log } : {}),
      }, loadId, loadedAt);
    case 'export': {
      const table = canonicalTable(options.sources, input.exportKind.table);
      const hashing = hashFile(input.path);
      try {
        const staged = await stageExport(warehouse, input.file, input.exportKind, table, {
          currencies: options.currencies,
          ...(options.currency ? { currency: options.currency } : {}),
          ...(options.dateOrder ? { dateOrder: options.dateOrder } : {}),
          ...(options.sources.column_mappings[table.name] ? { columnMappings: options.sources.column_mappings[table.name] } : {}),
        }, loadId, loadedAt).catch((error: unknown) => {
          if (error instanceof InputFileError) throw error;
          const message = (error as Error).message.replaceAll(input.file.readPath, input.path);
          // errors of the format detection already name the file
          throw new InputFileError(input.path, `could not be loaded as ${input.exportKind.label}: ${message.replace(`${input.path}, `, '')}`);
        });
        const { record } = staged;
        options.log?.(`  ${input.path} (${input.exportKind.label}): ${record.rows_read.toLocaleString('en-US')} read, ${record.rows_loaded.toLocaleString('en-US')} loaded, ${record.rows_quarantined.toLocaleString('en-US')} quarantined`);
        const manifest: ManifestEntry = { table: `${input.exportKind.system}.${table.name}`, file: input.path, ...(await hashing) };
        return { fragments: [{ table: table.name, relation: staged.fragment }], quarantines: [staged.quarantine], files: [record], manifest: [manifest] };
      } finally {
        await hashing.catch(() => undefined);
      }
    }
  }
}

/**
 * Checks that need every file of the load: an export's row whose id another file of the same system and table
 * already brought is a duplicate, and a row pointing at a parent (customer, contract) that the same system's
 * files do not have (nor, when appending, the warehouse) cannot be attributed. Both are quarantined.
 */
async function checkAcrossFiles(warehouse: Warehouse, staged: readonly StagedLoad[], inputs: readonly Input[], options: LoadInputsOptions,
  loadId: string, loadedAt: string): Promise<StagedLoad> {
  const files: LoadedFileRecord[] = staged.flatMap((s) => s.files);
  const existing = new Set((await warehouse.rows<{ table_name: string }>("select table_name from information_schema.tables where table_schema = 'main'")).map((r) => r.table_name));
  const fragmentsOf = (table: string) => staged.flatMap((s) => s.fragments).filter((f) => f.table === table).map((f) => quoteIdentifier(f.relation));
  const exportStages = staged.map((s, i) => ({ s, input: inputs[i] })).filter((x) => x.input?.kind === 'export');

  const seen = new Map<string, string[]>();
  for (const { s } of exportStages) {
    const fragment = s.fragments[0];
    const quarantine = s.quarantines[0];
    const record = s.files[0];
    if (!fragment || !quarantine || !record) continue;
    const relation = quoteIdentifier(fragment.relation);
    const moves: { where: string; column: string; raw: string; reason: string }[] = [];
    const key = `${record.source}.${fragment.table}`;
    const earlier = seen.get(key) ?? [];
    if (earlier.length > 0) {
      const others = earlier.map((r) => `select source_id, _source_file, _row_number from ${r}`).join(' union all ');
      moves.push({
        where: `source_id in (select source_id from (${others}))`,
        column: `'source_id'`, raw: 'source_id',
        reason: `'duplicate: ' || source_id || ' was already read from ' || (select any_value(_source_file || ' row ' || _row_number) from (${others}) o where o.source_id = ${relation}.source_id)`,
      });
    }
    seen.set(key, [...earlier, relation]);
    const table = canonicalTable(options.sources, fragment.table);
    for (const reference of table.references) {
      const parents = fragmentsOf(reference.table).map((p) => `select ${quoteIdentifier(reference.field)} as id from ${p} where source_system = ${sqlString(record.source)}`);
      const raw = `raw_${reference.table}`;
      if (options.mode === 'append' && existing.has(raw)) parents.push(`select ${quoteIdentifier(reference.field)} as id from ${quoteIdentifier(raw)} where source_system = ${sqlString(record.source)}`);
      const column = quoteIdentifier(reference.column);
      const parentSet = parents.length > 0 ? parents.join(' union all ') : 'select null::varchar as id where false';
      moves.push({
        where: `${column} is not null and ${column} not in (select id from (${parentSet}) where id is not null)`,
        column: sqlString(reference.column), raw: `${column}::varchar`,
        reason: `${sqlString(`${reference.column} `)} || ${column} || ${sqlString(` not found in the ${reference.table} from ${record.source}: load that export with it (or use --mode append if it is already loaded)`)}`,
      });
    }
    let moved = 0;
    for (const move of moves) {
      await warehouse.exec(`insert into ${quoteIdentifier(quarantine)}
        select ${sqlString(loadId)}, source_system, ${sqlString(fragment.table)}, _source_file, _row_number, ${move.column}, ${move.raw}, ${move.reason}, timestamp ${sqlString(loadedAt)}
        from ${relation} where ${move.where}`);
      const [deleted] = await warehouse.rows<{ n: number }>(`select count(*) as n from ${relation} where ${move.where}`);
      await warehouse.exec(`delete from ${relation} where ${move.where}`);
      moved += deleted?.n ?? 0;
    }
    if (moved > 0) {
      const index = files.indexOf(record);
      files[index] = { ...record, rows_loaded: record.rows_loaded - moved, rows_quarantined: record.rows_quarantined + moved };
    }
  }
  return {
    fragments: staged.flatMap((s) => s.fragments),
    quarantines: staged.flatMap((s) => s.quarantines),
    files,
    manifest: staged.flatMap((s) => s.manifest),
  };
}
