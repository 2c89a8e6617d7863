import { readFile } from 'node:fs/promises';
import * as XLSX from '@e965/xlsx';
import * as cpexcel from '@e965/xlsx/dist/cpexcel.full.mjs';
import { CsvFileWriter } from './csv-write.ts';
import { cleanHeaderNames } from './header-names.ts';

// old .xls (BIFF5 and earlier) store text in the Windows code page, e.g. 936 for Chinese: SheetJS needs the tables
XLSX.set_cptable(cpexcel);

/** Rows searched for the header: WukongCRM puts one note row above it; a few title rows are also common. */
const HEADER_SEARCH_ROWS = 10;

export interface ExcelCsv {
  readonly sheet: string;
  readonly headers: readonly string[];
  /** 1-based sheet row of the header. */
  readonly headerRowNumber: number;
  /** 1-based sheet row of each data row written, in order. */
  readonly rowNumbers: readonly number[];
  /** Fully empty rows between the header and the last data row, left out of the CSV. */
  readonly emptyRowsSkipped: number;
}

type Cell = XLSX.CellObject;
type SheetRow = readonly (Cell | undefined)[];

/**
 * Writes one sheet of an .xlsx / .xls workbook as a UTF-8 CSV: the header row found under any note rows, names
 * cleaned, then every later non-empty row, each value as the text the user saw in Excel.
 */
export async function excelToCsv(path: string, target: string, sheetName?: string): Promise<ExcelCsv> {
  let workbook: XLSX.WorkBook;
  try {
    // cellNF keeps each cell's number format so dates can be recognised; dense rows are faster to walk
    workbook = XLSX.read(await readFile(path), { type: 'buffer', dense: true, cellNF: true, cellDates: false });
  } catch (error) {
    throw new Error(`cannot read ${path} as an Excel workbook: ${error instanceof Error ? error.message : String(error)}`);
  }
  const sheet = sheetName ?? workbook.SheetNames[0];
  const worksheet = sheet === undefined ? undefined : workbook.Sheets[sheet];
  if (sheet === undefined || worksheet === undefined) {
    throw new Error(`${path} has no sheet named "${sheetName ?? ''}"; its sheets: ${workbook.SheetNames.map((s) => `"${s}"`).join(', ') || 'none'}`);
  }
  const date1904 = Boolean(workbook.Workbook?.WBProps?.date1904);
  // SheetJS leaves holes for empty rows and cells: Array.from fills them, where map would keep them
  const rows: SheetRow[] = Array.from(worksheet['!data'] ?? [], (row) => row ?? []);
  const texts = (row: SheetRow | undefined): string[] => Array.from(row ?? [], (cell) => cellText(cell, date1904));

  const writer = new CsvFileWriter(target);
  try {
    const headerIndex = findHeaderRow(rows.slice(0, HEADER_SEARCH_ROWS).map(texts));
    if (headerIndex === null) {
      return { sheet, headers: [], headerRowNumber: 1, rowNumbers: [], emptyRowsSkipped: 0 };
    }
    const data: { row: number; values: string[] }[] = [];
    let emptyRows = 0;
    for (let r = headerIndex + 1; r < rows.length; r++) {
      const values = texts(rows[r]);
      if (values.every((v) => v === '')) emptyRows++;
      else data.push({ row: r + 1, values });
    }
    // trailing empty rows (formatting left below the data) are not gaps anyone would ask about
    const lastDataRow = data.at(-1)?.row ?? headerIndex + 1;
    const emptyRowsSkipped = emptyRows - Math.max(0, rows.length - lastDataRow);

    const header = texts(rows[headerIndex]);
    const { first, last } = usedColumns([header, ...data.map((d) => d.values)]);
    const headers = cleanHeaderNames(range(first, last).map((c) => header[c] ?? ''));
    await writer.write(headers);
    for (const { values } of data) await writer.write(range(first, last).map((c) => values[c] ?? ''));
    return { sheet, headers, headerRowNumber: headerIndex + 1, rowNumbers: data.map((d) => d.row), emptyRowsSkipped };
  } finally {
    await writer.close();
  }
}

/**
 * Index of the header among the first rows, or null when they are all empty. The header is the first row about
 * as wide as the widest one: a note row above it (one long merged cell) or a title row is narrower. A sheet one
 * column wide has no such contrast, so there only a long single-cell note is passed over.
 */
export function findHeaderRow(rows: readonly (readonly string[])[]): number | null {
  const counts = rows.map((row) => row.filter((v) => v !== '').length);
  const widest = Math.max(0, ...counts);
  if (widest === 0) return null;
  if (widest === 1) {
    const index = rows.findIndex((row, i) => counts[i] === 1 && !isNote(row.find((v) => v !== '') ?? ''));
    return index >= 0 ? index : counts.findIndex((n) => n > 0);
  }
  const needed = Math.max(2, Math.ceil(widest / 2));
  return counts.findIndex((n) => n >= needed);
}

function isNote(text: string): boolean {
  return text.length > 30 || /[\r\n]/.test(text);
}

/** First and last column holding anything, across the header and data. */
function usedColumns(rows: readonly (readonly string[])[]): { first: number; last: number } {
  let first = Infinity;
  let last = -1;
  for (const row of rows) {
    row.forEach((value, c) => {
      if (value === '') return;
      first = Math.min(first, c);
      last = Math.max(last, c);
    });
  }
  return last < 0 ? { first: 0, last: -1 } : { first, last };
}

function range(first: number, last: number): number[] {
  return Array.from({ length: Math.max(0, last - first + 1) }, (_, i) => first + i);
}

/** Built-in formats Excel shows in the reader's locale (14: short date, 22: short date-time), so no fixed look. */
const LOCALE_DATE_FORMATS = new Set([XLSX.SSF.get_table()[14], XLSX.SSF.get_table()[22]]);

/**
 * A cell as text. Excel's formatted text (`w`) is what the user saw, so amounts keep `1,234.50` and dates their
 * chosen format; dates whose format depends on the viewer's locale, or that have no text, become ISO.
 */
export function cellText(cell: Cell | undefined, date1904 = false): string {
  if (cell === undefined || cell.t === 'z') return '';
  const format = typeof cell.z === 'string' ? cell.z : undefined;
  if (cell.t === 'n' && typeof cell.v === 'number' && isDateFormat(format)) {
    if (cell.w === undefined || LOCALE_DATE_FORMATS.has(format)) return isoDate(cell.v, date1904);
  }
  if (cell.w !== undefined) return cell.w;
  if (cell.t === 'b') return cell.v ? 'TRUE' : 'FALSE';
  if (cell.v instanceof Date) return cell.v.toISOString();
  return cell.v === undefined || cell.v === null ? '' : String(cell.v);
}

function isDateFormat(format: string | undefined): format is string {
  return format !== undefined && format !== 'General' && XLSX.SSF.is_date(format);
}

/** An Excel date serial as `YYYY-MM-DD`, or `YYYY-MM-DD HH:MM:SS` when it has a time of day. */
export function isoDate(serial: number, date1904 = false): string {
  const parts = XLSX.SSF.parse_date_code(serial, { date1904 });
  const pad = (n: number, width = 2): string => String(n).padStart(width, '0');
  const date = `${pad(parts.y, 4)}-${pad(parts.m)}-${pad(parts.d)}`;
  if (parts.H === 0 && parts.M === 0 && parts.S === 0) return date;
  return `${date} ${pad(parts.H)}:${pad(parts.M)}:${pad(parts.S)}`;
}
