import { mkdirSync, statSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { basename, extname, join, resolve } from 'node:path';
import { detectFileEncoding, isUtf8, type TextEncoding } from './detect-encoding.ts';
import { transcodeToUtf8 } from './transcode.ts';
import { readableLineEnds } from './line-breaks.ts';
import { readCsvHeader, type Delimiter } from './csv-header.ts';
import { excelToCsv } from './excel.ts';
import { cleanHeaderNames } from './header-names.ts';
import { tableFunctionColumns } from './table-columns.ts';
import { optionList, varcharColumns } from './sql-text.ts';
import { quoteIdentifier as sqlIdentifier, sqlString } from '../../db/sql-text.ts';

export type FileFormat = 'csv' | 'xlsx' | 'xls' | 'parquet' | 'json';

/** Extensions we read, and the format each one is. */
export const SUPPORTED_EXTENSIONS: Readonly<Record<string, FileFormat>> = {
  '.csv': 'csv',
  '.tsv': 'csv',
  '.txt': 'csv',
  '.xlsx': 'xlsx',
  '.xls': 'xls',
  '.parquet': 'parquet',
  '.json': 'json',
  '.ndjson': 'json',
  '.jsonl': 'json',
};

/** DuckDB named options as SQL text, e.g. `{ store_rejects: 'true', rejects_table: "'rej_orders'" }`. */
export type ScanOptions = Readonly<Record<string, string>>;

/**
 * A user's file made readable by DuckDB, every column as VARCHAR under its cleaned header name.
 *
 * Reading it: `select * from ${file.scanSql}`. A loader that needs more reader options (rejects tables, typed
 * columns) calls `file.scan({ store_rejects: 'true', … })`: the options are added to the read_csv / read_parquet /
 * read_json call, replacing any of ours with the same name (so `columns` can be replaced by typed columns, in the
 * order and names of `headers`). `csvOptions` holds our read_csv options when DuckDB reads a CSV (CSV files, and
 * Excel sheets after conversion), so a loader can also build its own read_csv over `readPath`.
 */
export interface PreparedFile {
  readonly path: string;
  readonly format: FileFormat;
  /** Detected encoding, for CSV; null for the others. */
  readonly encoding: TextEncoding | null;
  readonly headers: readonly string[];
  /** 1-based line (CSV) or sheet row (Excel) of the header in the original file; 0 for parquet and JSON, which have none. */
  readonly headerRowNumber: number;
  readonly sheet: string | null;
  /** `scan()` without extra options. */
  readonly scanSql: string;
  /** Line / sheet row of the first row scanSql returns; for parquet and JSON the record number, 1. */
  readonly firstDataRowNumber: number;
  /** The file DuckDB reads: the user's own, or a UTF-8 CSV in the work folder. */
  readonly readPath: string;
  /** read_csv options (SQL literals) when DuckDB reads a CSV, else null. */
  readonly csvOptions: ScanOptions | null;
  /** Fully empty sheet rows left out between the header and the last data row (Excel only; 0 otherwise). */
  readonly emptyRowsSkipped: number;
  /** The table-function SQL with extra reader options appended. */
  scan(extraOptions?: ScanOptions): string;
  /**
   * Line / sheet row in the original file of the n-th row (1-based) scanSql returns. For CSV this assumes one line
   * per record (a quoted line break shifts later lines; DuckDB's own reject line numbers are exact for CSV).
   */
  sourceRowNumber(dataRow: number): number;
  /** Removes the work files made for this file (none for UTF-8 CSV, parquet and JSON). */
  cleanup(): Promise<void>;
}

export interface PrepareOptions {
  /** Folder for converted files; created when missing. */
  readonly workDir: string;
  /** Excel sheet to read; the first sheet when absent. */
  readonly sheet?: string;
}

/** Turns a CRM export into something DuckDB reads natively and describes it. */
export async function prepareFile(path: string, options: PrepareOptions): Promise<PreparedFile> {
  const format = fileFormat(path);
  if (options.sheet !== undefined && format !== 'xlsx' && format !== 'xls') {
    throw new Error(`a sheet ("${options.sheet}") was given for ${path}, which is not an Excel workbook`);
  }
  statSync(path); // a missing file fails here, with its name, before any work folder is made
  const work = new WorkFolder(options.workDir, basename(path));
  try {
    switch (format) {
      case 'csv': return await prepareCsv(path, work);
      case 'xlsx':
      case 'xls': return await prepareExcel(path, format, work, options.sheet);
      case 'parquet':
      case 'json': return await prepareSelfDescribing(path, format, work);
    }
  } catch (error) {
    await work.remove();
    throw error;
  }
}

/** The format named by the file's extension; an error naming the file and what is supported otherwise. */
export function fileFormat(path: string): FileFormat {
  const extension = extname(path).toLowerCase();
  const format = SUPPORTED_EXTENSIONS[extension];
  if (format === undefined) {
    throw new Error(`unsupported file type ${extension ? `"${extension}"` : '(no extension)'}: ${path}. ` +
      `Supported: ${Object.keys(SUPPORTED_EXTENSIONS).join(', ')}`);
  }
  return format;
}

/** One folder per prepared file inside workDir, made only when a converted file is needed. */
class WorkFolder {
  private folder: string | null = null;

  constructor(private readonly workDir: string, private readonly name: string) {}

  /** A path for a converted file. */
  async file(suffix: string): Promise<string> {
    if (this.folder === null) {
      mkdirSync(this.workDir, { recursive: true });
      this.folder = await mkdtemp(join(resolve(this.workDir), 'prepare-'));
    }
    return join(this.folder, `${this.name}${suffix}`);
  }

  async remove(): Promise<void> {
    if (this.folder !== null) await rm(this.folder, { recursive: true, force: true });
  }
}

async function prepareCsv(path: string, work: WorkFolder): Promise<PreparedFile> {
  const encoding = detectFileEncoding(path);
  let readPath = resolve(path);
  if (!isUtf8(encoding)) {
    readPath = await work.file('.utf8.csv');
    await transcodeToUtf8(path, readPath, encoding);
  }
  readPath = await readableLineEnds(readPath, () => work.file('.lf.csv'));
  const header = readCsvHeader(readPath);
  if (header === null) return emptyFile(path, 'csv', encoding, null, 1, work);
  const headers = cleanHeaderNames(header.names);
  const headerRowNumber = header.blankLinesBefore + 1;
  const firstDataRowNumber = headerRowNumber + header.headerLines;
  return csvFile({
    path, format: 'csv', encoding, sheet: null, readPath, headers, headerRowNumber, firstDataRowNumber,
    emptyRowsSkipped: 0, work,
    csvOptions: csvOptions(headers, header.delimiter, header.blankLinesBefore),
    sourceRowNumber: (n) => firstDataRowNumber + n - 1,
  });
}

async function prepareExcel(path: string, format: 'xlsx' | 'xls', work: WorkFolder, sheet?: string): Promise<PreparedFile> {
  const readPath = await work.file('.csv');
  const excel = await excelToCsv(path, readPath, sheet);
  if (excel.headers.length === 0) return emptyFile(path, format, null, excel.sheet, excel.headerRowNumber, work);
  const firstDataRowNumber = excel.rowNumbers[0] ?? excel.headerRowNumber + 1;
  return csvFile({
    path, format, encoding: null, sheet: excel.sheet, readPath, headers: excel.headers,
    headerRowNumber: excel.headerRowNumber, firstDataRowNumber, emptyRowsSkipped: excel.emptyRowsSkipped, work,
    csvOptions: csvOptions(excel.headers, ',', 0),
    sourceRowNumber: (n) => {
      const row = excel.rowNumbers[n - 1];
      if (row === undefined) throw new RangeError(`${path} has no data row ${n} (it has ${excel.rowNumbers.length})`);
      return row;
    },
  });
}

/** Our read_csv options: the header we read, every column text, nothing left to DuckDB's sniffer. */
function csvOptions(headers: readonly string[], delimiter: Delimiter, skip: number): ScanOptions {
  return {
    auto_detect: 'false',
    header: 'true',
    delim: sqlString(delimiter),
    quote: `'"'`,
    escape: `'"'`,
    skip: String(skip),
    columns: varcharColumns(headers),
  };
}

interface CsvFileParts extends Omit<PreparedFile, 'scan' | 'scanSql' | 'cleanup' | 'csvOptions'> {
  readonly csvOptions: ScanOptions;
  readonly work: WorkFolder;
}

function csvFile(parts: CsvFileParts): PreparedFile {
  const { work, ...file } = parts;
  const scan = (extra?: ScanOptions): string => `read_csv(${sqlString(file.readPath)}, ${optionList(file.csvOptions, extra)})`;
  return { ...file, scan, scanSql: scan(), cleanup: () => work.remove() };
}

/** Parquet and JSON name their own columns: DuckDB reads them in place, each column cast to text. */
async function prepareSelfDescribing(path: string, format: 'parquet' | 'json', work: WorkFolder): Promise<PreparedFile> {
  const readPath = resolve(path);
  if (statSync(readPath).size === 0) return emptyFile(path, format, null, null, 0, work);
  const reader = (options: ScanOptions): string => {
    const list = optionList(options);
    return `${format === 'json' ? 'read_json' : 'read_parquet'}(${sqlString(readPath)}${list ? `, ${list}` : ''})`;
  };
  const base: ScanOptions = format === 'json' ? { format: "'auto'" } : {};
  // JSON: every record is read for the names, as a key first seen late would otherwise be dropped without a word
  const names = await tableFunctionColumns(reader(format === 'json' ? { ...base, sample_size: '-1' } : base));
  const headers = cleanHeaderNames(names);
  const scan = (extra?: ScanOptions): string => {
    // JSON columns declared VARCHAR keep each value's JSON text (a nested object stays JSON, not struct syntax)
    const inner = reader(format === 'json' ? { ...base, columns: varcharColumns(names), ...extra } : { ...base, ...extra });
    const casts = names.map((name, i) => `CAST(${sqlIdentifier(name)} AS VARCHAR) AS ${sqlIdentifier(headers[i]!)}`);
    return `(select ${casts.join(', ')} from ${inner})`;
  };
  return {
    path, format, encoding: null, headers, headerRowNumber: 0, sheet: null, firstDataRowNumber: 1, readPath,
    csvOptions: null, emptyRowsSkipped: 0, scan, scanSql: scan(), sourceRowNumber: (n) => n,
    cleanup: () => work.remove(),
  };
}

/** A file with no header at all: no columns, and a scan returning no rows (one placeholder column, as SQL needs one). */
function emptyFile(path: string, format: FileFormat, encoding: TextEncoding | null, sheet: string | null,
  headerRowNumber: number, work: WorkFolder): PreparedFile {
  const scan = (): string => `(select NULL::VARCHAR AS column_1 where false)`;
  return {
    path, format, encoding, headers: [], headerRowNumber, sheet, firstDataRowNumber: headerRowNumber + 1,
    readPath: resolve(path), csvOptions: null, emptyRowsSkipped: 0, scan, scanSql: scan(),
    sourceRowNumber: (n) => headerRowNumber + n, cleanup: () => work.remove(),
  };
}
