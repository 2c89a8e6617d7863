import { existsSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { randomUUID } from 'node:crypto';
import type { Warehouse } from '../db/warehouse.ts';
import type { SourcesConfig, SourceTable } from '../config/sources.ts';
import { quoteIdentifier, sourceRelation } from '../runner/project.ts';
import { columnList, csvScan, readHeader, storedColumnList, TYPE_REASON } from './csv-scan.ts';
import { sqlString } from '../db/sql-text.ts';
import { problemQuery } from './row-checks.ts';
import { collectRejectedLines, dropRejectTables, lineOfRecord } from './rejects.ts';
import { hashFile, manifestInsertSql, MANIFEST_DDL, sameAsLastLoad, type ManifestEntry } from './manifest.ts';

export { readHeader } from './csv-scan.ts';

export interface FileReconciliation {
  readonly file: string;
  readonly source: string;
  readonly table: string;
  readonly rows_read: number;
  readonly rows_loaded: number;
  readonly rows_quarantined: number;
}

export interface LoadResult {
  readonly load_id: string;
  readonly loaded_at: string;
  readonly files: readonly FileReconciliation[];
  /** The load that already read these same file contents, when this load therefore changed nothing. */
  readonly unchanged_since_load?: string;
}

export interface LoadOptions {
  readonly inputDir: string;
  readonly log?: (line: string) => void;
}

/** A problem with a whole input file (missing, or without the columns we need): the load stops and says which. */
export class InputFileError extends Error {
  constructor(readonly file: string, message: string) {
    super(`${file}: ${message}`);
    this.name = 'InputFileError';
  }
}

const LOAD_TABLES_DDL = `
create table if not exists quarantine (
  load_id varchar not null,
  source varchar not null,
  table_name varchar not null,
  file varchar not null,
  row_number bigint,
  column_name varchar,
  raw_value varchar,
  reason varchar not null,
  loaded_at timestamp not null
);
create table if not exists load_files (
  load_id varchar not null,
  source varchar not null,
  table_name varchar not null,
  file varchar not null,
  file_bytes bigint not null,
  rows_read bigint not null,
  rows_loaded bigint not null,
  rows_quarantined bigint not null,
  loaded_at timestamp not null
);`;

/** A new load's id, and its time as a DuckDB timestamp literal's text (UTC). */
export function newLoad(): { loadId: string; loadedAt: string } {
  return { loadId: randomUUID(), loadedAt: new Date().toISOString().replace('T', ' ').replace('Z', '') };
}

/** The quarantine and load_files tables every load writes to. */
export async function ensureLoadTables(warehouse: Warehouse): Promise<void> {
  await warehouse.exec(LOAD_TABLES_DDL);
  await warehouse.exec(MANIFEST_DDL);
}

/** Tables a load writes before it swaps them in; a load that died leaves them behind, and the next one replaces them. */
export const stagedRelation = (relation: string) => `_loading_${relation}`;
export const stagedQuarantine = (relation: string) => `_loading_quarantine_${relation}`;

interface StagedTable extends LoadedFileRecord {
  readonly relation: string;
}

/**
 * Loads every table of every source from `inputDir` into raw_<table>. Each input row ends up either in
 * raw_<table> or in `quarantine` with file, line, column, raw value and reason; `load_files` records the
 * reconciliation per file. Tables are first written under staging names and then swapped in with the
 * quarantine and reconciliation rows in one short transaction: a load that fails or is killed leaves the
 * warehouse's previous data as it was.
 */
export async function loadSources(warehouse: Warehouse, sources: SourcesConfig, options: LoadOptions): Promise<LoadResult> {
  const { loadId, loadedAt } = newLoad();
  const tables = sources.sources.flatMap((source) => source.tables.map((table) => ({ source: source.name, table, file: join(options.inputDir, table.file) })));
  for (const { source, table, file } of tables) checkFile(source, table, file);

  await ensureLoadTables(warehouse);
  // hashed while DuckDB stages the tables, so a reload of the same files costs no extra time to detect
  const hashing = Promise.all(tables.map(async ({ table, file }) => ({ table: table.name, file, ...(await hashFile(resolve(file))) })));
  const staged: StagedTable[] = [];
  try {
    for (const { source, table, file } of tables) {
      const started = performance.now();
      const result = await stageTable(warehouse, source, table, file, loadId, loadedAt).catch((error: unknown) => {
        throw error instanceof InputFileError ? error : new InputFileError(file, `could not be loaded: ${(error as Error).message}`);
      });
      staged.push(result);
      options.log?.(`  ${result.file}: ${result.rows_read.toLocaleString('en-US')} read, ${result.rows_loaded.toLocaleString('en-US')} loaded, ${result.rows_quarantined.toLocaleString('en-US')} quarantined (${((performance.now() - started) / 1000).toFixed(2)}s)`);
    }
    const manifest = await hashing;
    const files = staged.map(({ relation: _r, fileBytes: _b, ...file }) => file);
    const previous = await sameAsLastLoad(warehouse, manifest);
    if (previous) return { load_id: previous, loaded_at: loadedAt, files, unchanged_since_load: previous };
    await swapIn(warehouse, staged, staged, manifest, loadId, loadedAt);
    return { load_id: loadId, loaded_at: loadedAt, files };
  } finally {
    await hashing.catch(() => undefined);
    await dropStaged(warehouse, staged.map((table) => table.relation));
  }
}

/** Stops before anything is written when a file is missing or lacks a declared column. */
function checkFile(source: string, table: SourceTable, file: string): void {
  const path = resolve(file);
  if (!existsSync(path)) {
    throw new InputFileError(path, `not found (source ${source}, table ${table.name}); run \`crm-tiers generate\` for sample data or point --input at your exports`);
  }
  const header = readHeader(path);
  const missing = table.columns.map((c) => c.name).filter((c) => !header.includes(c));
  if (missing.length > 0) {
    throw new InputFileError(file, `missing column${missing.length > 1 ? 's' : ''} ${missing.join(', ')} in the header row (found: ${header.join(', ')})`);
  }
}

async function stageTable(warehouse: Warehouse, source: string, table: SourceTable, file: string, loadId: string, loadedAt: string): Promise<StagedTable> {
  const path = resolve(file);
  const relation = sourceRelation(source, table.name);
  const fileLiteral = sqlString(file);
  const columns = columnList(table);

  // One parallel parse into memory, typed; values that do not parse, and malformed lines, go to the rejects tables.
  await warehouse.exec(`create or replace temp table _incoming as select ${columns} from ${csvScan(path, readHeader(path), table, '_rejects', '_reject_scans')}`);
  // Insertion order is file order, so a row's rowid counted from the first row's is its record number
  // (rows created inside a transaction carry offset rowids; too large for a JS number, so kept as text).
  const [first] = await warehouse.rows<{ rowid: string | null }>('select min(rowid)::varchar as rowid from _incoming');
  const record = `(_incoming.rowid - ${first?.rowid ?? "0"})`;

  const rejectedLines = await collectRejectedLines(warehouse, '_rejects', 2);
  const lineOf = (recordExpression: string) => lineOfRecord(recordExpression, 2, rejectedLines);

  await warehouse.exec(`create or replace temp table _problems as ${problemQuery(table, '_incoming', record, (parent) => quoteIdentifier(stagedRelation(sourceRelation(source, parent))))}`);
  const [problems] = await warehouse.rows<{ n: number }>('select count(*) as n from _problems');
  const problemCount = problems?.n ?? 0;

  const castReason = `case ${table.columns.map((c) => `when column_name = ${sqlString(c.name)} then ${sqlString(TYPE_REASON[c.type])}`).join(' ')} else error_message end`;
  await warehouse.exec(`
    create or replace table ${quoteIdentifier(stagedQuarantine(relation))} as
    select ${sqlString(loadId)} as load_id, ${sqlString(source)} as source, ${sqlString(table.name)} as table_name, ${fileLiteral} as file,
      line as row_number, column_name,
      case when error_type = 'CAST' then regexp_extract(error_message, 'Could not convert string "(.*)" to', 1) else csv_line end as raw_value,
      case when error_type = 'CAST' then ${castReason} else error_type || ': ' || error_message end as reason,
      timestamp ${sqlString(loadedAt)} as loaded_at
    from _rejected_lines
    union all
    select ${sqlString(loadId)}, ${sqlString(source)}, ${sqlString(table.name)}, ${fileLiteral},
      ${lineOf('_record')}, _column, _raw_value,
      _reason || coalesce(' (first seen on line ' || ${lineOf('_first_record')} || ')', ''),
      timestamp ${sqlString(loadedAt)}
    from _problems
    order by row_number;
    create or replace table ${quoteIdentifier(stagedRelation(relation))} as
    select ${storedColumnList(table)}, ${fileLiteral} as _source_file, timestamp ${sqlString(loadedAt)} as _loaded_at, ${lineOf(record)} as _row_number
    from _incoming
    ${problemCount > 0 ? `where ${record} not in (select _record from _problems)` : ''};`);

  const [counts] = await warehouse.rows<{ parsed: number; loaded: number }>(`
    select (select count(*) from _incoming) as parsed, (select count(*) from ${quoteIdentifier(stagedRelation(relation))}) as loaded`);
  await warehouse.exec('drop table _incoming; drop table _problems;');
  await dropRejectTables(warehouse, '_rejects', '_reject_scans');
  const rowsRead = (counts?.parsed ?? 0) + rejectedLines;
  const rowsLoaded = counts?.loaded ?? 0;
  const rowsQuarantined = problemCount + rejectedLines;
  if (rowsRead !== rowsLoaded + rowsQuarantined) {
    throw new InputFileError(file, `row counts do not reconcile: ${rowsRead} read ≠ ${rowsLoaded} loaded + ${rowsQuarantined} quarantined`);
  }
  return { file, source, table: table.name, relation, fileBytes: statSync(path).size, rows_read: rowsRead, rows_loaded: rowsLoaded, rows_quarantined: rowsQuarantined };
}

/** A staged table to swap in: its relation, and (optionally) its staged quarantine rows. */
export interface StagedRelation {
  readonly source: string;
  readonly table: string;
  readonly relation: string;
}

/** One row of load_files: a file read, with its reconciliation. */
export interface LoadedFileRecord extends FileReconciliation {
  readonly fileBytes: number;
}

/**
 * One short transaction: the new raw tables (written as _loading_<relation>) replace the old, with their staged
 * quarantine rows (_loading_quarantine_<relation>, when present) and the files' reconciliation rows.
 */
export async function swapIn(warehouse: Warehouse, staged: readonly StagedRelation[], files: readonly LoadedFileRecord[], manifest: readonly ManifestEntry[], loadId: string, loadedAt: string): Promise<void> {
  await warehouse.exec('begin transaction');
  try {
    for (const table of staged) {
      const raw = quoteIdentifier(table.relation);
      const [quarantined] = await warehouse.rows<{ n: number }>(
        `select count(*) as n from information_schema.tables where table_name = ${sqlString(stagedQuarantine(table.relation))}`);
      await warehouse.exec(`
        delete from quarantine where source = ${sqlString(table.source)} and table_name = ${sqlString(table.table)};
        ${(quarantined?.n ?? 0) > 0 ? `insert into quarantine select * from ${quoteIdentifier(stagedQuarantine(table.relation))};` : ''}
        drop table if exists ${raw};
        alter table ${quoteIdentifier(stagedRelation(table.relation))} rename to ${raw};`);
    }
    for (const file of files) {
      await warehouse.exec(`insert into load_files values (${sqlString(loadId)}, ${sqlString(file.source)}, ${sqlString(file.table)}, ${sqlString(file.file)},
        ${file.fileBytes}, ${file.rows_read}, ${file.rows_loaded}, ${file.rows_quarantined}, ${sqlString(loadedAt)})`);
    }
    if (manifest.length > 0) await warehouse.exec(manifestInsertSql(manifest, loadId, loadedAt));
    await warehouse.exec('commit');
  } catch (error) {
    await warehouse.exec('rollback');
    throw error;
  }
}

/** Drops what a load staged; after a successful swap only the staged quarantine tables remain. */
export async function dropStaged(warehouse: Warehouse, relations: readonly string[]): Promise<void> {
  for (const relation of relations) {
    await warehouse.exec(`drop table if exists ${quoteIdentifier(stagedRelation(relation))}; drop table if exists ${quoteIdentifier(stagedQuarantine(relation))}`);
  }
}
