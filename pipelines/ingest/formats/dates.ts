/**
 * Date columns: detect one format from a column's values (TypeScript), then parse the whole column with it in
 * DuckDB. A value the format does not parse becomes NULL, so the loader can quarantine it; the SQL never raises.
 */
import { isNullToken } from './nulls.ts';
import { sqlString, trimSql, trimValue } from './text.ts';
import {
  CHINESE, COMPACT, EXCEL_EPOCH, EXCEL_FIRST_SERIAL, EXCEL_SERIAL, YEAR_FIRST,
  isCalendarDate, isExcelSerial, isTimeOfDay, matchDate, yearLastPattern,
  type DateSeparator,
} from './date-shapes.ts';
import { AmbiguousDateFormatError, UnrecognisedDateFormatError, type ColumnOrigin } from './date-errors.ts';

export { AmbiguousDateFormatError, UnrecognisedDateFormatError, type ColumnOrigin, type DateSeparator };

export type DateOrder = 'YMD' | 'DMY' | 'MDY';

/** What was detected. `hasTime`: some values carry a time of day (values without one are read as midnight). */
export type DateFormat =
  /** Year first, separated by '-', '/' or '.', optionally with a time, 'T', and a zone (dropped). Never ambiguous. */
  | { readonly kind: 'pattern'; readonly order: 'YMD'; readonly hasTime: boolean }
  /** Year last: 05.01.2024, 1/5/2024 9:03 AM. Only the detected separator is parsed (see detectDateFormat). */
  | { readonly kind: 'pattern'; readonly order: 'DMY' | 'MDY'; readonly separator: DateSeparator; readonly hasTime: boolean }
  /** 2024年1月5日, optionally with a time. */
  | { readonly kind: 'chinese'; readonly hasTime: boolean }
  /** 20240105 */
  | { readonly kind: 'compact' }
  /** Excel's day number, 45296 = 2024-01-05; the fraction is the time of day. */
  | { readonly kind: 'excel-serial'; readonly hasTime: boolean };

export interface DetectDateOptions extends ColumnOrigin {
  /** The user's --date-format: settles day/month order for year-last dates (and overrides the dots-are-DMY rule). */
  readonly order?: 'DMY' | 'MDY';
}

/** The format of a column with no values at all: nothing will be parsed, so any format is right. */
const EMPTY_COLUMN_FORMAT: DateFormat = { kind: 'pattern', order: 'YMD', hasTime: false };

const EXAMPLE_COUNT = 3;

/** How well one format reads a column: how many values it parses, or why it cannot be chosen. */
interface Candidate {
  readonly format: DateFormat;
  readonly parsed: number;
  readonly unresolved?: { readonly reason: 'fits-both' | 'conflicting'; readonly examples: readonly string[] };
}

/**
 * The one format that reads a column, from its values (SQL NULLs and null tokens are skipped). Pass the whole
 * column or a sample; repeated values cost nothing extra.
 *
 * Every recognised format is tried on every value and the one that parses the most values wins; the values it
 * does not parse become NULL in SQL and are quarantined. On a tie the earlier of these wins: year-first,
 * Chinese, year-last with '/', '-', '.', compact, Excel serial. A column with no value at all gets the year-first
 * format (there is nothing to parse).
 *
 * Year-last dates with '/' or '-' take their day/month order from the data: a value that is a date only as
 * D/M/Y (25/01/2024) means DMY, one that is a date only as M/D/Y (01/25/2024) means MDY. Dots mean DMY (the
 * European convention; nobody writes M.D.Y). `options.order` overrides both.
 *
 * @throws AmbiguousDateFormatError when year-last dates win but every one fits both orders, or the column has
 *   values that fit only DMY and values that fit only MDY, and `options.order` does not say which.
 * @throws UnrecognisedDateFormatError when values are present but not one parses in any format.
 */
export function detectDateFormat(values: readonly (string | null)[], options: DetectDateOptions = {}): DateFormat {
  const column = tally(values);
  if (column.length === 0) return EMPTY_COLUMN_FORMAT;
  const candidates: Candidate[] = [
    fixedOrderCandidate(column, YEAR_FIRST, (hasTime) => ({ kind: 'pattern', order: 'YMD', hasTime })),
    fixedOrderCandidate(column, CHINESE, (hasTime) => ({ kind: 'chinese', hasTime })),
    yearLastCandidate(column, '/', options.order),
    yearLastCandidate(column, '-', options.order),
    yearLastCandidate(column, '.', options.order),
    fixedOrderCandidate(column, COMPACT, () => ({ kind: 'compact' })),
    excelSerialCandidate(column),
  ];
  const best = candidates.reduce((winner, next) => (next.parsed > winner.parsed ? next : winner));
  if (best.parsed === 0) throw new UnrecognisedDateFormatError(options, examples(column));
  if (best.unresolved) throw new AmbiguousDateFormatError(options, best.unresolved.examples, best.unresolved.reason);
  return best.format;
}

/** A column's distinct non-null values with how often each occurs, in first-seen order: real date columns repeat a lot. */
interface Tallied {
  readonly value: string;
  readonly count: number;
}

function tally(values: readonly (string | null)[]): Tallied[] {
  const counts = new Map<string, number>();
  for (const value of values) {
    if (value === null || isNullToken(value)) continue;
    const trimmed = trimValue(value);
    counts.set(trimmed, (counts.get(trimmed) ?? 0) + 1);
  }
  return [...counts].map(([value, count]) => ({ value, count }));
}

function total(values: readonly Tallied[]): number {
  return values.reduce((sum, { count }) => sum + count, 0);
}

function examples(values: readonly Tallied[], count = EXAMPLE_COUNT): string[] {
  return values.slice(0, count).map(({ value }) => value);
}

/** Shapes whose parts are always year, month, day in that order. */
function fixedOrderCandidate(column: readonly Tallied[], pattern: string, format: (hasTime: boolean) => DateFormat): Candidate {
  let parsed = 0;
  let hasTime = false;
  for (const { value, count } of column) {
    const date = matchDate(pattern, value);
    if (!date || !isCalendarDate(...date.parts) || !isTimeOfDay(date.time, date.meridiem)) continue;
    parsed += count;
    hasTime ||= date.time !== '';
  }
  return { format: format(hasTime), parsed };
}

function yearLastCandidate(column: readonly Tallied[], separator: DateSeparator, userOrder: 'DMY' | 'MDY' | undefined): Candidate {
  const pattern = yearLastPattern(separator);
  const written = column.flatMap((tallied) => {
    const date = matchDate(pattern, tallied.value);
    if (!date || !isTimeOfDay(date.time, date.meridiem)) return [];
    const [first, second, year] = date.parts;
    return [{ ...tallied, hasTime: date.time !== '', dmy: isCalendarDate(year, second, first), mdy: isCalendarDate(year, first, second) }];
  });
  const formatFor = (order: 'DMY' | 'MDY'): Candidate => {
    const fitting = written.filter((w) => (order === 'DMY' ? w.dmy : w.mdy));
    return { format: { kind: 'pattern', order, separator, hasTime: fitting.some((w) => w.hasTime) }, parsed: total(fitting) };
  };

  const order = userOrder ?? (separator === '.' ? 'DMY' : undefined);
  if (order) return formatFor(order);
  const onlyDmy = written.filter((w) => w.dmy && !w.mdy);
  const onlyMdy = written.filter((w) => w.mdy && !w.dmy);
  if (onlyDmy.length > 0 && onlyMdy.length === 0) return formatFor('DMY');
  if (onlyMdy.length > 0 && onlyDmy.length === 0) return formatFor('MDY');
  // Unsettled: it competes with what it could parse either way, and if it wins the user must choose.
  const fitting = written.filter((w) => w.dmy || w.mdy);
  const conflicting = onlyDmy.length > 0;
  return {
    format: { kind: 'pattern', order: 'DMY', separator, hasTime: false },
    parsed: total(fitting),
    unresolved: {
      reason: conflicting ? 'conflicting' : 'fits-both',
      examples: conflicting ? [...examples(onlyDmy, 2), ...examples(onlyMdy, 2)] : examples(fitting),
    },
  };
}

function excelSerialCandidate(column: readonly Tallied[]): Candidate {
  const serials = column.filter(({ value }) => isExcelSerial(value));
  return { format: { kind: 'excel-serial', hasTime: serials.some(({ value }) => !Number.isInteger(Number(value))) }, parsed: total(serials) };
}

/** SQL: `expr` read with `format` as a DATE; NULL when the value does not parse (never an error). */
export function dateSql(expr: string, format: DateFormat): string {
  // Through the timestamp, so a value with an impossible time (2024-01-05 25:00) is NULL here too, not half-read.
  return `CAST(${timestampSql(expr, format)} AS DATE)`;
}

/** SQL: `expr` read with `format` as a TIMESTAMP (midnight when a value has no time); NULL when it does not parse. */
export function timestampSql(expr: string, format: DateFormat): string {
  const value = trimSql(expr);
  switch (format.kind) {
    case 'excel-serial':
      return excelSerialSql(value);
    case 'chinese':
      return writtenDateSql(value, CHINESE, String.raw`\1-\2-\3`);
    case 'compact':
      return writtenDateSql(value, COMPACT, String.raw`\1-\2-\3`);
    case 'pattern':
      if (format.order === 'YMD') return writtenDateSql(value, YEAR_FIRST, String.raw`\1-\2-\3`);
      return writtenDateSql(value, yearLastPattern(format.separator), format.order === 'DMY' ? String.raw`\3-\2-\1` : String.raw`\3-\1-\2`);
  }
}

/**
 * A value matching one of the date shapes: its parts rearranged to Y-M-D and cast (the cast rejects 2024-13-45
 * and 2024-02-30), plus its time of day. `value` is repeated; DuckDB evaluates the shared parts once per row.
 */
function writtenDateSql(value: string, pattern: string, ymdTemplate: string): string {
  const regex = sqlString(pattern);
  const date = `try_cast(regexp_replace(${value}, ${regex}, '${ymdTemplate}') AS DATE)`;
  const time = `regexp_extract(${value}, ${regex}, 4)`;
  const meridiem = `upper(regexp_extract(${value}, ${regex}, 5))`;
  const timeOfDay = `CASE WHEN ${time} = '' THEN TIME '00:00:00'
    WHEN ${meridiem} = '' THEN ${twentyFourHourSql(time)}
    ELSE CAST(try_strptime(${time} || ' ' || ${meridiem}, ['%I:%M %p', '%I:%M:%S %p', '%I:%M:%S.%f %p']) AS TIME) END`;
  return `(CASE WHEN regexp_full_match(${value}, ${regex}) THEN ${date} + (${timeOfDay}) END)`;
}

/** A 24-hour time; '24:00' is refused (DuckDB's TIME takes it, and it would move the value into the next day). */
function twentyFourHourSql(time: string): string {
  return `CASE WHEN starts_with(${time}, '24') THEN NULL ELSE try_cast(${time} AS TIME) END`;
}

function excelSerialSql(value: string): string {
  const serial = `try_cast(${value} AS DOUBLE)`;
  // Rounded to the millisecond: the fraction is binary floating point (9:03 is 0.37708333…).
  return `(CASE WHEN regexp_full_match(${value}, ${sqlString(EXCEL_SERIAL)}) AND ${serial} >= ${EXCEL_FIRST_SERIAL}
    THEN TIMESTAMP '${EXCEL_EPOCH}' + to_milliseconds(CAST(round(${serial} * 86400000) AS BIGINT)) END)`;
}

/** How a format is written, for messages such as "not a date (expected DD.MM.YYYY)". */
export function describeDateFormat(format: DateFormat): string {
  switch (format.kind) {
    case 'excel-serial':
      return 'an Excel date number such as 45296';
    case 'chinese':
      return 'YYYY年M月D日';
    case 'compact':
      return 'YYYYMMDD';
    case 'pattern': {
      if (format.order === 'YMD') return 'YYYY-MM-DD';
      const [first, second] = format.order === 'DMY' ? ['DD', 'MM'] : ['MM', 'DD'];
      return [first, second, 'YYYY'].join(format.separator);
    }
  }
}
