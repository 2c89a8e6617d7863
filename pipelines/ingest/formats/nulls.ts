import { sqlString, trimSql, trimValue } from './text.ts';

/**
 * Cell texts that CRM and spreadsheet exports write for "no value". Compared after trimming and ignoring case,
 * so 'NULL', 'null' and 'Null' all count.
 */
export const NULL_TOKENS: readonly string[] = Object.freeze([
  '', 'N/A', 'NA', 'n/a', '#N/A', '-', '--', '—', 'null', 'NULL', 'None', 'nil', 'NaN',
  '无', '暂无', '空', '（空）', '(空)', '未填写',
]);

const LOWERCASE_TOKENS: readonly string[] = [...new Set(NULL_TOKENS.map((token) => token.toLowerCase()))];
const TOKEN_SET: ReadonlySet<string> = new Set(LOWERCASE_TOKENS);

/** True when a value means "no value": empty after trimming, or one of {@link NULL_TOKENS}. */
export function isNullToken(value: string | null | undefined): boolean {
  return value == null || TOKEN_SET.has(trimValue(value).toLowerCase());
}

/** The longest token in UTF-8 bytes: longer values are never compared (most values, cheaply). */
const LONGEST_TOKEN_BYTES = Math.max(...LOWERCASE_TOKENS.map((token) => Buffer.byteLength(token)));

/** SQL: NULL when `expr` is SQL NULL or a null token (after trimming, any case), else the trimmed text. */
export function nullIfTokenSql(expr: string): string {
  const trimmed = trimSql(expr);
  return `(CASE WHEN strlen(${trimmed}) <= ${LONGEST_TOKEN_BYTES} AND lower(${trimmed}) IN (${LOWERCASE_TOKENS.map(sqlString).join(', ')}) THEN NULL ELSE ${trimmed} END)`;
}
