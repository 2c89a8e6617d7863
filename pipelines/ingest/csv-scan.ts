import { quoteIdentifier, sqlString } from '../db/sql-text.ts';
import { readCsvHeader } from './files/csv-header.ts';
import type { SourceColumn, SourceTable } from '../config/sources.ts';


/** DuckDB type each declared column is stored as. */
export const DUCKDB_TYPE: Readonly<Record<SourceColumn['type'], string>> = {
  text: 'VARCHAR',
  date: 'DATE',
  decimal: 'DECIMAL(18,2)',
  integer: 'BIGINT',
};

/**
 * The type the CSV reader parses each column as; it rejects (and we quarantine) what does not parse. Whole numbers
 * are read as DOUBLE and checked, because the reader would round 1.5 into a BIGINT without a word.
 */
export const PARSE_TYPE: Readonly<Record<SourceColumn['type'], string>> = { ...DUCKDB_TYPE, integer: 'DOUBLE' };

/** What a person is told when a value does not parse as its column's type. */
export const TYPE_REASON: Readonly<Record<SourceColumn['type'], string>> = {
  text: 'not text',
  date: 'not a date (expected YYYY-MM-DD)',
  decimal: 'not a number',
  integer: 'not a whole number',
};

/**
 * read_csv over a file whose header we read ourselves: every column of the file is listed (undeclared ones as
 * text, dropped later), so DuckDB's sniffer cannot be misled by bad rows, and rows that do not parse go to the
 * named rejects tables with their line number instead of stopping the load.
 */
export function csvScan(path: string, header: readonly string[], table: SourceTable, rejectsTable: string, rejectScansTable: string): string {
  const types = header.map((name) => {
    const column = table.columns.find((c) => c.name === name);
    return `${sqlString(name)}: '${column ? PARSE_TYPE[column.type] : 'VARCHAR'}'`;
  });
  return `read_csv(${sqlString(path)}, auto_detect = false, header = true, delim = ',', quote = '"', escape = '"', ` +
    `columns = {${types.join(', ')}}, store_rejects = true, rejects_table = '${rejectsTable}', rejects_scan = '${rejectScansTable}')`;
}

/** The declared columns, read from the file; those it does not have (optional ones) are NULL. */
export function columnList(table: SourceTable, inFile: (column: SourceColumn) => boolean = () => true): string {
  return table.columns
    .map((c) => (inFile(c) ? quoteIdentifier(c.name) : `cast(null as ${PARSE_TYPE[c.type]}) as ${quoteIdentifier(c.name)}`))
    .join(', ');
}

/** The columns as stored, of those `inFile`: whole numbers (parsed as DOUBLE and checked) cast to BIGINT. */
export function storedColumnList(table: SourceTable, inFile: (column: SourceColumn) => boolean = () => true): string {
  return table.columns
    .filter(inFile)
    .map((c) => (c.type === 'integer' ? `cast(${quoteIdentifier(c.name)} as bigint) as ${quoteIdentifier(c.name)}` : quoteIdentifier(c.name)))
    .join(', ');
}

/** The header row's column names (quote-aware, BOM stripped, names trimmed); empty for an empty file. */
export function readHeader(path: string): string[] {
  return readCsvHeader(path)?.names.map((name) => name.trim()) ?? [];
}
