// Turning the files CRMs export (CSV in any common encoding, Excel, parquet, JSON) into DuckDB scans
export { prepareFile, fileFormat, SUPPORTED_EXTENSIONS } from './prepare.ts';
export type { PreparedFile, PrepareOptions, FileFormat, ScanOptions } from './prepare.ts';
export { detectEncoding, detectFileEncoding, ENCODING_SAMPLE_BYTES } from './detect-encoding.ts';
export type { TextEncoding } from './detect-encoding.ts';
export { transcodeToUtf8 } from './transcode.ts';
export { excelToCsv, findHeaderRow, cellText } from './excel.ts';
export type { ExcelCsv } from './excel.ts';
export { readCsvHeader, detectDelimiter } from './csv-header.ts';
export type { CsvHeader, Delimiter } from './csv-header.ts';
export { cleanHeaderNames } from './header-names.ts';
