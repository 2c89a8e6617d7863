import { existsSync, mkdirSync, rmSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { randomUUID } from 'node:crypto';
import type { Warehouse } from '../db/warehouse.ts';
import type { SourceColumn, SourcesConfig, SourceTable } from '../config/sources.ts';
import { quoteIdentifier, sqlString } from '../db/sql-text.ts';
import { columnList, csvScan, readHeader, storedColumnList, TYPE_REASON } from './csv-scan.ts';
import { problemQuery } from './row-checks.ts';
import { collectRejectedLines, dropRejectTables } from './rejects.ts';
import { dropRecordLines, recordLineSql } from './line-map.ts';
import { readableLineEnds } from './files/line-breaks.ts';
import { hashFile } from './manifest.ts';
import { CANONICAL_SYSTEM, canonicalTables, createCanonicalTableSql, recordConstants } from './canonical.ts';
import { stagingName, type FileReconciliation, type LoadedFileRecord, type StagedLoad } from './commit-load.ts';

export { readHeader } from './csv-scan.ts';

export type { FileReconciliation, LoadedFileRecord } from './commit-load.ts';

export interface LoadResult {
  readonly load_id: string;
  readonly loaded_at: string;
  readonly files: readonly FileReconciliation[];
  /** The load that already read these same file contents, when this load therefore changed nothing. */
  readonly unchanged_since_load?: string;
}

/** A problem with a whole input file (missing, unreadable, or without the columns we need): the load stops and says which. */
export class InputFileError extends Error {
  constructor(readonly file: string, message: string) {
    super(`${file}: ${message}`);
    this.name = 'InputFileError';
  }
}

/** A new load's id, and its time as a DuckDB timestamp literal's text (UTC). */
export function newLoad(): { loadId: string; loadedAt: string } {
  return { loadId: randomUUID(), loadedAt: new Date().toISOString().replace('T', ' ').replace('Z', '') };
}

/** Whether a folder holds files in the canonical layout (models/sources.yml's file names). */
export function isCanonicalFolder(dir: string, sources: Readonly<SourcesConfig>): boolean {
  return canonicalTables(sources).some((table) => !table.optional && existsSync(join(dir, table.file)));
}

/**
 * Stages every canonical table from `inputDir`, in the layout models/sources.yml declares (the bundled sample's).
 * Each input row ends up either in its table's fragment or in the quarantine fragment with file, line, column,
 * raw value and reason. Nothing is visible until commitLoad swaps the fragments in.
 */
export async function stageCanonicalFolder(warehouse: Warehouse, sources: Readonly<SourcesConfig>, inputDir: string, loadId: string,
  loadedAt: string, workDir: string, log?: (line: string) => void): Promise<StagedLoad> {
  const tables = canonicalTables(sources).map((table) => ({ table, file: join(inputDir, table.file) }));
  const present = tables.filter(({ table, file }) => checkFile(table, file));

  // hashed while DuckDB stages the tables, so a reload of the same files costs no extra time to detect
  const hashing = Promise.all(present.map(async ({ table, file }) => ({ table: table.name, file, ...(await hashFile(resolve(file))) })));
  try {
    const staged: (LoadedFileRecord & { relation: string; quarantine: string })[] = [];
    const relationOf = new Map<string, string>();
    for (const { table, file } of present) {
      const started = performance.now();
      const result = await stageTable(warehouse, table, file, loadId, loadedAt, relationOf, workDir).catch((error: unknown) => {
        throw error instanceof InputFileError ? error : new InputFileError(file, `could not be loaded: ${(error as Error).message}`);
      });
      relationOf.set(table.name, result.relation);
      staged.push(result);
      log?.(`  ${result.file}: ${result.rows_read.toLocaleString('en-US')} read, ${result.rows_loaded.toLocaleString('en-US')} loaded, ${result.rows_quarantined.toLocaleString('en-US')} quarantined (${((performance.now() - started) / 1000).toFixed(2)}s)`);
    }
    return {
      fragments: staged.map((s) => ({ table: s.table, relation: s.relation })),
      quarantines: staged.map((s) => s.quarantine),
      files: staged.map(({ relation: _r, quarantine: _q, ...file }) => file),
      manifest: await hashing,
    };
  } finally {
    await hashing.catch(() => undefined);
  }
}

/**
 * Whether the table's file is there to load (an optional table's may be absent); stops before anything is written
 * when a required file is missing or lacks a declared column.
 */
function checkFile(table: SourceTable, file: string): boolean {
  const path = resolve(file);
  if (!existsSync(path)) {
    if (table.optional) return false;
    throw new InputFileError(path, `not found (table ${table.name}); run \`crm-tiers generate\` for sample data or point --input at your exports`);
  }
  const header = readHeader(path);
  const missing = table.columns.filter((c) => !c.optional).map((c) => c.name).filter((c) => !header.includes(c));
  if (missing.length > 0) {
    throw new InputFileError(file, `missing column${missing.length > 1 ? 's' : ''} ${missing.join(', ')} in the header row (found: ${header.join(', ')})`);
  }
  return true;
}

async function stageTable(warehouse: Warehouse, table: SourceTable, file: string, loadId: string, loadedAt: string,
  stagedParents: ReadonlyMap<string, string>, workDir: string): Promise<LoadedFileRecord & { relation: string; quarantine: string }> {
  const path = resolve(file);
  const readPath = await readableLineEnds(path, async () => {
    mkdirSync(workDir, { recursive: true });
    return join(workDir, `${table.name}-${Date.now()}.lf.csv`);
  });
  try {
    return await stageParsedTable(warehouse, table, file, path, readPath, loadId, loadedAt, stagedParents);
  } finally {
    if (readPath !== path) rmSync(readPath, { force: true });
  }
}

async function stageParsedTable(warehouse: Warehouse, table: SourceTable, file: string, path: string, readPath: string, loadId: string,
  loadedAt: string, stagedParents: ReadonlyMap<string, string>): Promise<LoadedFileRecord & { relation: string; quarantine: string }> {
  const relation = stagingName(`raw_${table.name}`);
  const quarantine = stagingName(`quarantine_${table.name}`);
  const fileLiteral = sqlString(file);
  const header = readHeader(readPath);
  const inFile = (c: SourceColumn) => header.includes(c.name);

  // One parallel parse into memory, typed; values that do not parse, and malformed lines, go to the rejects tables.
  await warehouse.exec(`create or replace temp table _incoming as select ${columnList(table, inFile)} from ${csvScan(readPath, header, table, '_rejects', '_reject_scans')}`);
  // Insertion order is file order, so a row's rowid counted from the first row's is its record number
  // (rows created inside a transaction carry offset rowids; too large for a JS number, so kept as text).
  const [first] = await warehouse.rows<{ rowid: string | null }>('select min(rowid)::varchar as rowid from _incoming');
  const record = `(_incoming.rowid - ${first?.rowid ?? "0"})`;

  const rejectedLines = await collectRejectedLines(warehouse, '_rejects', 2);
  const [parsed] = await warehouse.rows<{ n: number }>('select count(*) as n from _incoming');
  const lineOf = await recordLineSql(warehouse, { readPath, format: 'csv', firstDataRowNumber: 2, emptyRowsSkipped: 0, sourceRowNumber: (n) => n + 1 },
    parsed?.n ?? 0, rejectedLines);

  const parentRelation = (parent: string) => {
    const staged = stagedParents.get(parent);
    // an optional parent without a file is empty
    return staged ? quoteIdentifier(staged) : `(select null::varchar as ${quoteIdentifier(referencedField(table, parent))} where false)`;
  };
  await warehouse.exec(`create or replace temp table _problems as ${problemQuery(table, '_incoming', record, parentRelation)}`);
  const [problems] = await warehouse.rows<{ n: number }>('select count(*) as n from _problems');
  const problemCount = problems?.n ?? 0;

  // the file's provenance, and the declared columns it does not have, are the same on every row: not stored
  const constants = {
    ...recordConstants(file, loadedAt, CANONICAL_SYSTEM),
    ...Object.fromEntries(table.columns.filter((c) => !inFile(c)).map((c) => [c.name, 'null'])),
  };
  const castReason = `case ${table.columns.map((c) => `when column_name = ${sqlString(c.name)} then ${sqlString(TYPE_REASON[c.type])}`).join(' ')} else error_message end`;
  await warehouse.exec(`
    create or replace table ${quoteIdentifier(quarantine)} as
    select ${sqlString(loadId)} as load_id, ${sqlString(CANONICAL_SYSTEM)} as source, ${sqlString(table.name)} as table_name, ${fileLiteral} as file,
      line as row_number, column_name,
      case when error_type = 'CAST' then regexp_extract(error_message, 'Could not convert string "(.*)" to', 1) else csv_line end as raw_value,
      case when error_type = 'CAST' then ${castReason} else error_type || ': ' || error_message end as reason,
      timestamp ${sqlString(loadedAt)} as loaded_at
    from _rejected_lines
    union all
    select ${sqlString(loadId)}, ${sqlString(CANONICAL_SYSTEM)}, ${sqlString(table.name)}, ${fileLiteral},
      ${lineOf('_record')}, _column, _raw_value,
      _reason || coalesce(' (first seen on line ' || ${lineOf('_first_record')} || ')', ''),
      timestamp ${sqlString(loadedAt)}
    from _problems
    order by row_number;
    ${createCanonicalTableSql(relation, table, constants)};
    insert into ${quoteIdentifier(relation)} by name
    select ${storedColumnList(table, inFile)}, ${lineOf(record)} as _row_number
    from _incoming
    ${problemCount > 0 ? `where ${record} not in (select _record from _problems)` : ''};`);

  const [counts] = await warehouse.rows<{ parsed: number; loaded: number }>(`
    select (select count(*) from _incoming) as parsed, (select count(*) from ${quoteIdentifier(relation)}) as loaded`);
  await warehouse.exec('drop table _incoming; drop table _problems;');
  await dropRejectTables(warehouse, '_rejects', '_reject_scans');
  await dropRecordLines(warehouse);
  const rowsRead = (counts?.parsed ?? 0) + rejectedLines;
  const rowsLoaded = counts?.loaded ?? 0;
  const rowsQuarantined = problemCount + rejectedLines;
  if (rowsRead !== rowsLoaded + rowsQuarantined) {
    throw new InputFileError(file, `row counts do not reconcile: ${rowsRead} read ≠ ${rowsLoaded} loaded + ${rowsQuarantined} quarantined`);
  }
  return { file, source: CANONICAL_SYSTEM, table: table.name, relation, quarantine, fileBytes: statSync(path).size, rows_read: rowsRead, rows_loaded: rowsLoaded, rows_quarantined: rowsQuarantined };
}

function referencedField(table: SourceTable, parent: string): string {
  return table.references.find((r) => r.table === parent)?.field ?? 'id';
}
