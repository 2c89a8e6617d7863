import { sqlString } from '../../db/sql-text.ts';

/**
 * Characters trimmed from both ends of every value. Besides ASCII whitespace: the no-break and thin spaces that
 * Excel and European number formats leave behind, the ideographic space of Chinese input methods, and the BOM
 * that a UTF-8 export can put before its first cell.
 */
export const EDGE_WHITESPACE = ' \t\r\n\u00a0\u2007\u2009\u202f\u3000\ufeff';

/** The same characters as {@link EDGE_WHITESPACE}, as a character class for regular expressions (RE2 and JS). */
export const WHITESPACE_CLASS = `[${EDGE_WHITESPACE.replace('\t', '\\t').replace('\r', '\\r').replace('\n', '\\n')}]`;

/** Trims a value in TypeScript exactly as {@link trimSql} does in DuckDB (String.trim knows other characters). */
export function trimValue(value: string): string {
  let start = 0;
  let end = value.length;
  while (start < end && EDGE_WHITESPACE.includes(value[start]!)) start++;
  while (end > start && EDGE_WHITESPACE.includes(value[end - 1]!)) end--;
  return value.slice(start, end);
}

/**
 * SQL: `expr` as text without {@link EDGE_WHITESPACE} at either end. Trimming a character set is slow at ten
 * million values, so it runs only on values that start or end with one of them (the same result).
 */
export function trimSql(expr: string): string {
  const text = `CAST(${expr} AS VARCHAR)`;
  const set = sqlString(EDGE_WHITESPACE);
  return `(CASE WHEN contains(${set}, left(${text}, 1)) OR contains(${set}, right(${text}, 1)) THEN trim(${text}, ${set}) ELSE ${text} END)`;
}

export { sqlString };
