import * as XLSX from '@e965/xlsx';
import { header, type ExportColumn, type ExportLanguage, type ExportRow } from './query.ts';

type Value = ExportRow[keyof ExportRow];

/** CSV: UTF-8 with a BOM (Excel on Chinese Windows reads BOM-less CSV as GBK), CRLF line ends, RFC 4180 quoting. */
export function toCsv(columns: readonly ExportColumn[], rows: readonly ExportRow[], lang: ExportLanguage): Buffer {
  const lines = [columns.map((c) => csvField(header(c, lang))).join(',')];
  for (const row of rows) lines.push(columns.map((c) => csvField(csvValue(row[c.key]))).join(','));
  return Buffer.from(`\uFEFF${lines.join('\r\n')}\r\n`, 'utf8');
}

function csvValue(value: Value): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  return String(value);
}

function csvField(text: string): string {
  // quote a field with a delimiter, a quote or a line break, and one with spaces at either end (kept as they are)
  return /[",\r\n]|^\s|\s$/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

const NUMBER_FORMATS: Partial<Record<ExportColumn['kind'], string>> = {
  integer: '0',
  money: '#,##0.00',
  date: 'yyyy-mm-dd',
};

/** Excel's day number of an ISO date (days since 1899-12-30, the 1900 date system), computed in UTC. */
export function excelDate(iso: string): number {
  const [year, month, day] = iso.split('-').map(Number) as [number, number, number];
  return (Date.UTC(year, month - 1, day) - Date.UTC(1899, 11, 30)) / 86_400_000;
}

function xlsxCell(value: Value, column: ExportColumn): XLSX.CellObject | undefined {
  if (value === null || value === undefined) return undefined;
  const format = NUMBER_FORMATS[column.kind];
  switch (column.kind) {
    case 'date':
      return { t: 'n', v: excelDate(String(value)), z: format };
    case 'integer':
    case 'money':
    case 'number':
      return format ? { t: 'n', v: Number(value), z: format } : { t: 'n', v: Number(value) };
    case 'boolean':
      return { t: 'b', v: Boolean(value) };
    case 'text':
      // text stays text: phone numbers and ids keep their leading zeros and '+'
      return { t: 's', v: String(value) };
  }
}

/** Display width, CJK characters counting two. */
function width(text: string): number {
  let total = 0;
  for (const char of text) total += /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/.test(char) ? 2 : 1;
  return total;
}

/**
 * A sheet name Excel accepts: at most 31 characters, none of : \ / ? * [ ]; apostrophes are dropped too (Excel
 * refuses one at either end, and the sheet's name is quoted with them in the autofilter's defined name).
 */
export function sheetName(text: string): string {
  return text.replace(/[:\\/?*[\]]/g, '-').replaceAll("'", '').slice(0, 31) || 'customers';
}

/**
 * XLSX (Office Open XML, which Excel and WPS open): one sheet, a header row in English or Chinese, numbers as
 * numbers (amounts with a thousands format), dates as Excel dates shown yyyy-mm-dd, yes/no as booleans, and an
 * autofilter on the header.
 */
export function toXlsx(columns: readonly ExportColumn[], rows: readonly ExportRow[], lang: ExportLanguage, sheet: string): Buffer {
  const worksheet: XLSX.WorkSheet = {};
  const widths = columns.map((c) => width(header(c, lang)));
  columns.forEach((column, c) => {
    worksheet[XLSX.utils.encode_cell({ r: 0, c })] = { t: 's', v: header(column, lang) };
  });
  rows.forEach((row, index) => {
    columns.forEach((column, c) => {
      const cell = xlsxCell(row[column.key], column);
      if (!cell) return;
      worksheet[XLSX.utils.encode_cell({ r: index + 1, c })] = cell;
      if (index < 1000) widths[c] = Math.max(widths[c] ?? 0, column.kind === 'date' ? 10 : width(String(cell.v)));
    });
  });
  const range = XLSX.utils.encode_range({ s: { r: 0, c: 0 }, e: { r: rows.length, c: columns.length - 1 } });
  worksheet['!ref'] = range;
  worksheet['!autofilter'] = { ref: range };
  worksheet['!cols'] = widths.map((w) => ({ wch: Math.min(Math.max(w + 2, 8), 50) }));
  const workbook = XLSX.utils.book_new();
  XLSX.utils.book_append_sheet(workbook, worksheet, sheetName(sheet));
  return XLSX.write(workbook, { type: 'buffer', bookType: 'xlsx', compression: true }) as Buffer;
}
