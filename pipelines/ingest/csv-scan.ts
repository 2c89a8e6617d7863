import { closeSync, openSync, readSync } from 'node:fs';
import { quoteIdentifier } from '../runner/project.ts';
import type { SourceColumn, SourceTable } from '../config/sources.ts';

export function sqlString(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}

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

export function columnList(table: SourceTable): string {
  return table.columns.map((c) => quoteIdentifier(c.name)).join(', ');
}

/** The columns as stored: whole numbers (parsed as DOUBLE and checked) cast to BIGINT. */
export function storedColumnList(table: SourceTable): string {
  return table.columns
    .map((c) => (c.type === 'integer' ? `cast(${quoteIdentifier(c.name)} as bigint) as ${quoteIdentifier(c.name)}` : quoteIdentifier(c.name)))
    .join(', ');
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
      if (char === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (char === '"') quoted = false;
      else field += char;
    } else if (char === '"') quoted = true;
    else if (char === ',') {
      names.push(field.trim());
      field = '';
    } else if (char === '\n' || char === '\r') break;
    else field += char;
  }
  names.push(field.trim());
  return names;
}
