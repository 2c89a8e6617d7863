import type { Warehouse } from '../db/warehouse.ts';
import { countLines, recordStarts } from './files/line-breaks.ts';
import { lineOfRecord } from './rejects.ts';

/** What is needed to say where a parsed record is in the user's file. */
export interface RecordSource {
  /** The file DuckDB read (the user's own, or a UTF-8 / line-feed copy with the same lines). */
  readonly readPath: string;
  readonly format: 'csv' | 'xlsx' | 'xls' | 'parquet' | 'json';
  /** Line (CSV) or sheet row (Excel) of the first data row; 1 for parquet and JSON (their record numbers). */
  readonly firstDataRowNumber: number;
  /** Excel: empty sheet rows left out between data rows. */
  readonly emptyRowsSkipped: number;
  /** Excel: the sheet row of the n-th (1-based) data row. */
  sourceRowNumber(dataRow: number): number;
  /** CSV: DuckDB's read_csv options (`delim` is the separator), when it reads a CSV. */
  readonly csvOptions?: Readonly<Record<string, string>> | null;
}

const MAP_TABLE = '_record_lines';

/**
 * SQL giving the line (CSV) or sheet row (Excel) in the user's file of a parsed record (0-based record number
 * among the rows the reader accepted). Most files have one line per record, and then it is arithmetic. A file with
 * blank lines, line breaks inside quoted cells or skipped empty sheet rows gets an exact record → line table,
 * built from one pass over the file (CSV) or the sheet's row list (Excel). `_rejected_lines` (rejects.ts) must
 * hold the reader's rejected lines when `rejectedLines` > 0.
 */
export async function recordLineSql(warehouse: Warehouse, source: RecordSource, parsedRecords: number, rejectedLines: number): Promise<(record: string) => string> {
  const linear = (record: string) => lineOfRecord(record, source.firstDataRowNumber, rejectedLines);
  await warehouse.exec(`drop table if exists ${MAP_TABLE}`);
  if (source.format === 'parquet' || source.format === 'json') return linear;
  let lines: number[];
  if (source.format === 'xlsx' || source.format === 'xls') {
    if (source.emptyRowsSkipped === 0) return linear;
    lines = Array.from({ length: parsedRecords }, (_, i) => source.sourceRowNumber(i + 1));
  } else {
    const dataLines = (await countLines(source.readPath)) - (source.firstDataRowNumber - 1);
    if (dataLines === parsedRecords + rejectedLines) return linear;
    const delimiter = source.csvOptions?.['delim']?.replace(/^'|'$/g, '') || ',';
    const starts = await recordStarts(source.readPath, source.firstDataRowNumber, delimiter === '\\t' ? '\t' : delimiter);
    // The reader numbers a rejected line without counting line breaks inside quotes; its byte position is exact:
    // the rejected record is the first one starting at or after it (blank lines before it are part of its text).
    const rejected = new Set<number>();
    if (rejectedLines > 0) {
      const rows = await warehouse.rows<{ line: number; position: number }>('select line::bigint as line, line_byte_position::bigint as position from _rejected_lines');
      const fixes: string[] = [];
      for (const row of rows) {
        const start = firstStartAtOrAfter(starts, row.position - 1);
        if (start === undefined) continue;
        rejected.add(start.line);
        if (start.line !== row.line) fixes.push(`(${row.line}, ${start.line})`);
      }
      if (fixes.length > 0) {
        await warehouse.exec(`update _rejected_lines set line = fix.physical from (values ${fixes.join(', ')}) as fix(reported, physical)
          where _rejected_lines.line = fix.reported`);
      }
    }
    lines = starts.map((s) => s.line).filter((line) => !rejected.has(line));
    // a stray quote can make the reader see other records than this count does: then the arithmetic is the best guess
    if (lines.length !== parsedRecords) return linear;
  }
  await warehouse.exec(`create temp table ${MAP_TABLE} (record bigint primary key, line bigint)`);
  for (let i = 0; i < lines.length; i += 50_000) {
    await warehouse.exec(`insert into ${MAP_TABLE} values ${lines.slice(i, i + 50_000).map((line, j) => `(${i + j}, ${line})`).join(', ')}`);
  }
  return (record: string) => `(select line from ${MAP_TABLE} where ${MAP_TABLE}.record = ${record})`;
}

/** The first record whose start is at or after `offset` (starts are in file order). */
function firstStartAtOrAfter(starts: readonly { line: number; offset: number }[], offset: number): { line: number; offset: number } | undefined {
  let low = 0;
  let high = starts.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (starts[mid]!.offset < offset) low = mid + 1;
    else high = mid;
  }
  return starts[low];
}

export async function dropRecordLines(warehouse: Warehouse): Promise<void> {
  await warehouse.exec(`drop table if exists ${MAP_TABLE}`);
}
