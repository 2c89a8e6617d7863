import { closeSync, existsSync, openSync, readSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { randomUUID } from 'node:crypto';
import type { Warehouse } from '../db/warehouse.ts';
import type { SourcesConfig, SourceTable } from '../config/sources.ts';
import { quoteIdentifier, sourceRelation } from '../runner/project.ts';
import { ruleViolations, sqlString, typedValue } from './row-checks.ts';

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

const NO_PROBLEMS = 'select null::bigint as _record, null::varchar as _column, null::varchar as _raw_value, null::varchar as _reason where false';

/** A row's 0-based record number in _incoming. */
const RECORD = '(rowid - (select min(rowid) from _incoming))';

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

/**
 * Loads every table of every source from `inputDir` into raw_<table>, in one transaction: if anything fails,
 * the warehouse keeps its previous raw data. Each input row ends up either in raw_<table> or in `quarantine`
 * with file, line, column, raw value and reason; `load_files` records the reconciliation per file.
 */
export async function loadSources(warehouse: Warehouse, sources: SourcesConfig, options: LoadOptions): Promise<LoadResult> {
  const loadId = randomUUID();
  const loadedAt = new Date().toISOString().replace('T', ' ').replace('Z', '');
  const files: FileReconciliation[] = [];
  for (const source of sources.sources) {
    for (const table of source.tables) {
      const path = resolve(join(options.inputDir, table.file));
      if (!existsSync(path)) throw new InputFileError(path, `not found (source ${source.name}, table ${table.name}); run \`crm-tiers generate\` for sample data or point --input at your exports`);
    }
  }
  await warehouse.exec('begin transaction');
  try {
    await warehouse.exec(LOAD_TABLES_DDL);
    for (const source of sources.sources) {
      for (const table of source.tables) {
        const started = performance.now();
        const result = await loadTable(warehouse, source.name, table, join(options.inputDir, table.file), loadId, loadedAt);
        files.push(result);
        options.log?.(`  ${result.file}: ${result.rows_read.toLocaleString('en-US')} read, ${result.rows_loaded.toLocaleString('en-US')} loaded, ${result.rows_quarantined.toLocaleString('en-US')} quarantined (${((performance.now() - started) / 1000).toFixed(2)}s)`);
      }
    }
    await warehouse.exec('commit');
  } catch (error) {
    await warehouse.exec('rollback');
    throw error;
  }
  return { load_id: loadId, loaded_at: loadedAt, files };
}

async function loadTable(warehouse: Warehouse, source: string, table: SourceTable, file: string, loadId: string, loadedAt: string): Promise<FileReconciliation> {
  const path = resolve(file);
  const relation = quoteIdentifier(sourceRelation(source, table.name));
  const rejects = `_rejects_${table.name}`;
  const rejectScans = `_reject_scans_${table.name}`;
  const fileLiteral = sqlString(file);
  const header = readHeader(path);
  const missing = table.columns.map((c) => c.name).filter((c) => !header.includes(c));
  if (missing.length > 0) {
    throw new InputFileError(file, `missing column${missing.length > 1 ? 's' : ''} ${missing.join(', ')} in the header row (found: ${header.join(', ')})`);
  }
  // The header is read here and the column list handed to DuckDB, so its sniffer cannot be misled by bad rows.
  const columnTypes = `{${header.map((name) => `${sqlString(name)}: 'VARCHAR'`).join(', ')}}`;
  const scan = `read_csv(${sqlString(path)}, auto_detect = false, header = true, delim = ',', quote = '"', escape = '"', columns = ${columnTypes}, store_rejects = true, rejects_table = '${rejects}', rejects_scan = '${rejectScans}')`;
  const columns = table.columns.map((c) => quoteIdentifier(c.name)).join(', ');

  // One parse of the file into memory, as text. Insertion order is file order, so a row's rowid, counted from
  // the first row's, is its record number (rows created in a transaction have offset rowids).
  await warehouse.exec(`create or replace temp table _incoming as select ${columns} from ${scan}`);
  // The reader logs one reject per bad column; keep the first per line so each input line counts once.
  await warehouse.exec(`create or replace temp table _rejected_lines as
    select line, arg_min(column_name, column_idx) as column_name, arg_min(csv_line, column_idx) as csv_line,
      arg_min(error_type || ': ' || error_message, column_idx) as reason
    from ${rejects} group by line`);
  const [rejectCount] = await warehouse.rows<{ n: number }>(`select count(*) as n from _rejected_lines`);
  // The file line of a parsed record: header is line 1, and lines the CSV reader rejected are skipped over.
  const lineOf = (record: string) => (rejectCount?.n ?? 0) === 0
    ? `(${record} + 2)`
    : `(${record} + 2 + (select count(*) from (select line - row_number() over (order by line) as shift from _rejected_lines) where shift <= ${record} + 1))`;

  const rules = ruleViolations(table, '_incoming', RECORD);
  await warehouse.exec(`create or replace temp table _rule_problems as ${rules ?? NO_PROBLEMS}`);
  await warehouse.exec(`create or replace temp table _problems as ${problemQuery(table, source)}`);
  const [problemCount] = await warehouse.rows<{ n: number }>('select count(*) as n from _problems');
  const hasProblems = (problemCount?.n ?? 0) > 0;

  await warehouse.exec(`delete from quarantine where source = '${source}' and table_name = '${table.name}'`);
  await warehouse.exec(`
    insert into quarantine
    select '${loadId}', '${source}', '${table.name}', ${fileLiteral}, line, column_name, csv_line, reason, '${loadedAt}'
    from _rejected_lines order by line;
    insert into quarantine
    select '${loadId}', '${source}', '${table.name}', ${fileLiteral}, ${lineOf('_record')}, _column, _raw_value, _reason, '${loadedAt}'
    from _problems order by _record;
    create or replace table ${relation} as
    select ${table.columns.map(typedValue).join(', ')}, ${fileLiteral} as _source_file, timestamp '${loadedAt}' as _loaded_at, ${lineOf(RECORD)} as _row_number
    from _incoming ${hasProblems ? `where ${RECORD} not in (select _record from _problems)` : ''};`);

  const [counts] = await warehouse.rows<{ parsed: number; loaded: number; rejected: number }>(`
    select (select count(*) from _incoming) as parsed,
           (select count(*) from ${relation}) as loaded,
           (select count(*) from _rejected_lines) as rejected`);
  const rowsRead = (counts?.parsed ?? 0) + (counts?.rejected ?? 0);
  const rowsQuarantined = (problemCount?.n ?? 0) + (counts?.rejected ?? 0);
  const rowsLoaded = counts?.loaded ?? 0;
  await warehouse.exec(`
    insert into load_files values ('${loadId}', '${source}', '${table.name}', ${fileLiteral}, ${statSync(path).size}, ${rowsRead}, ${rowsLoaded}, ${rowsQuarantined}, '${loadedAt}');
    drop table _incoming; drop table _rule_problems; drop table _problems; drop table _rejected_lines; drop table ${rejects}; drop table ${rejectScans};`);
  if (rowsRead !== rowsLoaded + rowsQuarantined) {
    throw new InputFileError(file, `row counts do not reconcile: ${rowsRead} read ≠ ${rowsLoaded} loaded + ${rowsQuarantined} quarantined`);
  }
  return { file, source, table: table.name, rows_read: rowsRead, rows_loaded: rowsLoaded, rows_quarantined: rowsQuarantined };
}

/**
 * Every record of `_incoming` that must not be loaded, once, with the first reason that applies:
 * a broken column rule, then a repeated unique key (the first good occurrence stays), then a reference to a
 * row the parent table does not have. Each check is one set-based pass; most files have no problems at all.
 */
function problemQuery(table: SourceTable, source: string): string {
  const checks: string[] = ['select 1 as _priority, * from _rule_problems'];
  if (table.unique_key) {
    const key = quoteIdentifier(table.unique_key);
    checks.push(`select 2 as _priority, _record, ${sqlString(table.unique_key)} as _column, _key as _raw_value,
        'duplicate ${table.unique_key} (first seen on line ' || (_first + 2) || ')' as _reason
      from (
        select ${RECORD} as _record, ${key} as _key, min(${RECORD}) over (partition by ${key}) as _first
        from _incoming
        where ${key} in (select ${key} from _incoming where ${key} is not null group by ${key} having count(*) > 1)
          and not exists (select 1 from _rule_problems where _rule_problems._record = ${RECORD})
      )
      where _record <> _first`);
  }
  for (const ref of table.references) {
    const column = quoteIdentifier(ref.column);
    const parent = quoteIdentifier(sourceRelation(source, ref.table));
    checks.push(`select 3 as _priority, ${RECORD} as _record, ${sqlString(ref.column)} as _column, ${column} as _raw_value,
        '${ref.column} ' || ${column} || ' not found in ${ref.table}' as _reason
      from _incoming
      where ${column} is not null
        and not exists (select 1 from ${parent} where ${parent}.${quoteIdentifier(ref.field)} = _incoming.${column})`);
  }
  return `select _record, arg_min(_column, _priority) as _column, arg_min(_raw_value, _priority) as _raw_value, arg_min(_reason, _priority) as _reason
    from (${checks.join('\n      union all\n      ')})
    group by _record`;
}

/** The header row's column names (first line, RFC 4180 quoting, UTF-8 BOM stripped). */
export function readHeader(path: string): string[] {
  const fd = openSync(path, 'r');
  const buffer = Buffer.alloc(64 * 1024);
  let text: string;
  try {
    const bytes = readSync(fd, buffer, 0, buffer.length, 0);
    text = buffer.subarray(0, bytes).toString('utf8').replace(/^\uFEFF/, '');
  } finally {
    closeSync(fd);
  }
  const names: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (quoted) {
      if (char === '"' && text[i + 1] === '"') { field += '"'; i++; }
      else if (char === '"') quoted = false;
      else field += char;
    } else if (char === '"') quoted = true;
    else if (char === ',') { names.push(field.trim()); field = ''; }
    else if (char === '\n' || char === '\r') break;
    else field += char;
  }
  names.push(field.trim());
  return names;
}
