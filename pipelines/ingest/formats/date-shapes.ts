/**
 * The written shapes of a date that we recognise, as regular expressions that both engines run: TypeScript
 * (to detect a column's format from its values) and DuckDB's RE2 (to parse the whole column). Keeping one source
 * means a value detection counts as parseable is one the SQL parses. Only syntax both engines read the same way
 * is used: \d is ASCII digits in both, and non-ASCII characters are written literally.
 *
 * Every shape captures, in this order: three date parts, the time of day ('' when absent), and AM/PM ('' when
 * absent). Which date part is the year, month or day is up to the format.
 */
import { compiled } from './regex.ts';
import { trimValue, WHITESPACE_CLASS } from './text.ts';

export type DateSeparator = '-' | '/' | '.';

/** Whitespace inside a value; RE2's \s would miss the no-break and ideographic spaces that JS's \s matches. */
const S = WHITESPACE_CLASS;

const TIME = String.raw`(\d{1,2}:\d{2}(?::\d{2}(?:\.\d{1,6})?)?)`;
const MERIDIEM = String.raw`(?:${S}*([AaPp][Mm]))?`;
/** A UTC offset or Z is accepted and dropped: we keep the wall-clock time the CRM user saw, as written. */
const ZONE = String.raw`(?:${S}*(?:[Zz]|UTC|GMT|[+-]\d{2}(?::?\d{2})?))?`;

/** 2024-01-05, 2024/1/5 9:03, 2024.01.05, 2024-01-05T09:03:00Z, 2024-01-05 09:03:00.123+08:00 */
export const YEAR_FIRST = String.raw`^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:(?:[Tt]|${S}+)${TIME}${MERIDIEM}${ZONE})?$`;

/** 2024年1月5日, 2024年01月05日 09:03 (号 is the colloquial 日). */
export const CHINESE = String.raw`^(\d{4})${S}*年${S}*(\d{1,2})${S}*月${S}*(\d{1,2})${S}*[日号](?:${S}*${TIME}${MERIDIEM})?$`;

/** 20240105: no separators, always year-month-day. */
export const COMPACT = String.raw`^(\d{4})(\d{2})(\d{2})()()$`;

/** 05.01.2024, 1/5/2024 9:03 AM, 05-01-2024: day and month first, in an order the data (or the user) decides. */
export function yearLastPattern(separator: DateSeparator): string {
  const sep = separator === '.' ? String.raw`\.` : separator;
  return String.raw`^(\d{1,2})${sep}(\d{1,2})${sep}(\d{4})(?:${S}+${TIME}${MERIDIEM})?$`;
}

/**
 * Excel's day count (45296 = 2024-01-05; the fraction is the time of day). At most five digits before the point:
 * that reaches 2173, and keeps 8-digit 20240105 apart. Serials below 61 fall before 1900-03-01, where Excel's
 * fictitious 1900-02-29 makes the 1899-12-30 epoch one day off; they are not parsed rather than parsed wrong.
 */
export const EXCEL_SERIAL = String.raw`^\d{1,5}(?:\.\d+)?$`;
export const EXCEL_EPOCH = '1899-12-30';
export const EXCEL_FIRST_SERIAL = 61;

/** The parts one value was written with, before it is known which part is the day and which the month. */
export interface WrittenDate {
  readonly parts: readonly [number, number, number];
  readonly time: string;
  readonly meridiem: string;
}

export function matchDate(pattern: string, value: string): WrittenDate | undefined {
  const match = compiled(pattern).exec(trimValue(value));
  if (!match) return undefined;
  return {
    parts: [Number(match[1]), Number(match[2]), Number(match[3])],
    time: match[4] ?? '',
    meridiem: (match[5] ?? '').toUpperCase(),
  };
}

/** True when year, month and day make a real calendar date (no 2024-02-30), as DuckDB's cast to DATE checks. */
export function isCalendarDate(year: number, month: number, day: number): boolean {
  if (month < 1 || month > 12 || day < 1) return false;
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return day <= daysInMonth;
}

/** True when a captured time (and AM/PM) is a real time of day, as the SQL checks it. */
export function isTimeOfDay(time: string, meridiem: string): boolean {
  if (time === '') return true;
  const [hours = NaN, minutes = NaN, seconds = 0] = time.split(':').map(Number);
  if (minutes > 59 || seconds >= 60) return false;
  return meridiem === '' ? hours <= 23 : hours >= 1 && hours <= 12;
}

export function isExcelSerial(value: string): boolean {
  const text = trimValue(value);
  return compiled(EXCEL_SERIAL).test(text) && Number(text) >= EXCEL_FIRST_SERIAL;
}
