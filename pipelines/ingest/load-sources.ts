import { closeSync, existsSync, openSync, readSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { randomUUID } from 'node:crypto';
import type { Warehouse } from '../db/warehouse.ts';
import type { SourcesConfig, SourceTable } from '../config/sources.ts';
import { quoteIdentifier, sourceRelation } from '../runner/project.ts';
import { firstProblemColumns } from './row-checks.ts';

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
  const fileLiteral = `'${file.replaceAll("'", "''")}'`;
  const header = readHeader(path);
  const missing = table.columns.map((c) => c.name).filter((c) => !header.includes(c));
  if (missing.length > 0) {
    throw new InputFileError(file, `missing column${missing.length > 1 ? 's' : ''} ${missing.join(', ')} in the header row (found: ${header.join(', ')})`);
  }
  // The header is read here and the column list handed to DuckDB, so its sniffer cannot be misled by bad rows.
  const columnTypes = `{${header.map((name) => `'${name.replaceAll("'", "''")}': 'VARCHAR'`).join(', ')}}`;
  const scan = `read_csv('${path.replaceAll("'", "''")}', auto_detect = false, header = true, delim = ',', quote = '"', escape = '"', columns = ${columnTypes}, store_rejects = true, rejects_table = '${rejects}', rejects_scan = '${rejectScans}')`;

  const columns = table.columns.map((c) => quoteIdentifier(c.name)).join(', ');
  await warehouse.exec(`create or replace temp table _incoming as select row_number() over () as _record, ${columns} from ${scan}`);
  // The reader logs one reject per bad column; keep the first per line so each input line counts once.
  await warehouse.exec(`create or replace temp table _rejected_lines as
    select line, arg_min(column_name, column_idx) as column_name, arg_min(csv_line, column_idx) as csv_line,
      arg_min(error_type || ': ' || error_message, column_idx) as reason
    from ${rejects} group by line`);
  const [rejectCount] = await warehouse.rows<{ n: number }>(`select count(*) as n from _rejected_lines`);
  // The file line of each parsed record: header is line 1, and lines the CSV reader rejected are skipped over.
  const lineNumber = (rejectCount?.n ?? 0) === 0
    ? `_record + 1`
    : `_record + 1 + (select count(*) from (select line - row_number() over (order by line) as shift from _rejected_lines) where shift <= _record)`;

  const key = table.unique_key ? quoteIdentifier(table.unique_key) : undefined;
  const referenceChecks = table.references.map((ref, i) => {
    const parent = quoteIdentifier(sourceRelation(source, ref.table));
    return {
      join: `left join (select distinct ${quoteIdentifier(ref.field)} as _key from ${parent}) as _ref${i} on _ref${i}._key = checked.${quoteIdentifier(ref.column)}`,
      missing: `_ref${i}._key is null and checked.${quoteIdentifier(ref.column)} is not null`,
      ref,
    };
  });
  const refColumn = referenceChecks.map((r) => `when _reason is null and ${r.missing} then '${r.ref.column}'`).join(' ');
  const refReason = referenceChecks.map((r) => `when _reason is null and ${r.missing} then '${r.ref.column} ' || checked.${quoteIdentifier(r.ref.column)} || ' not found in ${r.ref.table}'`).join(' ');
  const refValue = referenceChecks.map((r) => `when _reason is null and ${r.missing} then checked.${quoteIdentifier(r.ref.column)}`).join(' ');

  await warehouse.exec(`
    create or replace temp table _checked as
    with numbered as (
      select *, ${lineNumber} as _row_number, ${firstProblemColumns(table)}
      from _incoming
    ),
    checked as (
      select *,
        ${key ? `min(_row_number) over (partition by ${key}, _reason is null) as _first_line` : 'null as _first_line'}
      from numbered
    )
    select checked.* exclude (_bad_column, _raw_value, _reason, _first_line),
      case when _reason is not null then _bad_column ${key ? `when ${key} is not null and _first_line <> _row_number then '${table.unique_key}'` : ''} ${refColumn} end as _bad_column,
      case when _reason is not null then _raw_value ${key ? `when ${key} is not null and _first_line <> _row_number then ${key}` : ''} ${refValue} end as _raw_value,
      case when _reason is not null then _reason ${key ? `when ${key} is not null and _first_line <> _row_number then 'duplicate ${table.unique_key} (first seen on line ' || _first_line || ')'` : ''} ${refReason} end as _reason
    from checked ${referenceChecks.map((r) => r.join).join(' ')}`);

  await warehouse.exec(`delete from quarantine where source = '${source}' and table_name = '${table.name}'`);
  await warehouse.exec(`
    insert into quarantine
    select '${loadId}', '${source}', '${table.name}', ${fileLiteral}, line, column_name, csv_line, reason, '${loadedAt}'
    from _rejected_lines order by line;
    insert into quarantine
    select '${loadId}', '${source}', '${table.name}', ${fileLiteral}, _row_number, _bad_column, _raw_value, _reason, '${loadedAt}'
    from _checked where _reason is not null order by _row_number;
    create or replace table ${relation} as
    select ${columns}, ${fileLiteral} as _source_file, timestamp '${loadedAt}' as _loaded_at, _row_number
    from _checked where _reason is null order by _row_number;`);

  const [counts] = await warehouse.rows<{ parsed: number; quarantined: number; loaded: number; rejected: number }>(`
    select (select count(*) from _checked) as parsed,
           (select count(*) from _checked where _reason is not null) as quarantined,
           (select count(*) from ${relation}) as loaded,
           (select count(*) from _rejected_lines) as rejected`);
  const rowsRead = (counts?.parsed ?? 0) + (counts?.rejected ?? 0);
  const rowsQuarantined = (counts?.quarantined ?? 0) + (counts?.rejected ?? 0);
  const rowsLoaded = counts?.loaded ?? 0;
  await warehouse.exec(`
    insert into load_files values ('${loadId}', '${source}', '${table.name}', ${fileLiteral}, ${statSync(path).size}, ${rowsRead}, ${rowsLoaded}, ${rowsQuarantined}, '${loadedAt}');
    drop table _incoming; drop table _checked; drop table _rejected_lines; drop table ${rejects}; drop table ${rejectScans};`);
  if (rowsRead !== rowsLoaded + rowsQuarantined) {
    throw new InputFileError(file, `row counts do not reconcile: ${rowsRead} read ≠ ${rowsLoaded} loaded + ${rowsQuarantined} quarantined`);
  }
  return { file, source, table: table.name, rows_read: rowsRead, rows_loaded: rowsLoaded, rows_quarantined: rowsQuarantined };
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
