/**
 * Currency symbols, codes and Chinese names that appear around amounts in CRM exports, by ISO code.
 * Codes match in any case (rmb, Usd).
 */
import { nullIfTokenSql } from './nulls.ts';
import { compiled, escapeRegex } from './regex.ts';
import { sqlString } from './text.ts';

export const CURRENCY_TOKENS: Readonly<Record<string, readonly string[]>> = Object.freeze({
  // ¥ is also the yen sign, but these exports come from Chinese CRMs, where ¥ (and full-width ￥) means yuan;
  // yen is recognised only from 円, 日元 and JPY.
  CNY: ['人民币', 'RMB', 'CNY', '￥', '¥', '元'],
  USD: ['US$', '美元', '美金', 'USD', '$'],
  EUR: ['欧元', 'EUR', '€'],
  GBP: ['英镑', 'GBP', '£'],
  HKD: ['HK$', '港币', '港元', 'HKD'],
  JPY: ['日元', 'JPY', '円'],
});

/**
 * Every token with its code, longest first: 美元 (USD) must be seen before 元 (CNY), and HK$ before $.
 * Tokens are upper case so they can be compared with an upper-cased value.
 */
const TOKENS_LONGEST_FIRST: readonly { readonly token: string; readonly code: string }[] = Object.entries(CURRENCY_TOKENS)
  .flatMap(([code, tokens]) => tokens.map((token) => ({ token: token.toUpperCase(), code })))
  .sort((a, b) => b.token.length - a.token.length);

/** Any one currency token, as a regular expression for RE2 and JS; use it case-insensitively. */
export const CURRENCY_PATTERN = `(?:${TOKENS_LONGEST_FIRST.map(({ token }) => escapeRegex(token)).join('|')})`;

const CODE_BY_TOKEN: ReadonlyMap<string, string> = new Map(TOKENS_LONGEST_FIRST.map(({ token, code }) => [token, code]));

/**
 * The ISO code of a value's currency token, or undefined when it has none. The leftmost token counts (and at one
 * place the longest), as in {@link currencySql}.
 */
export function currencyOf(value: string): string | undefined {
  const token = compiled(CURRENCY_PATTERN, 'i').exec(value)?.[0];
  return token === undefined ? undefined : CODE_BY_TOKEN.get(token.toUpperCase());
}

/**
 * SQL: the ISO code of the currency each value of `expr` is written in, from its symbol, code or name;
 * `defaultCurrency` when it has none; NULL when the value is missing (a null token), as its amount is.
 */
export function currencySql(expr: string, defaultCurrency: string): string {
  const value = nullIfTokenSql(expr);
  const token = `upper(regexp_extract(${value}, ${sqlString(CURRENCY_PATTERN)}, 0, 'i'))`;
  const codes = [...CODE_BY_TOKEN].map(([t, code]) => `${sqlString(t)}: '${code}'`).join(', ');
  // One regex pass and a map lookup per value, rather than a test per token
  return `(CASE WHEN ${value} IS NULL THEN NULL ELSE coalesce(MAP {${codes}}[${token}], ${sqlString(defaultCurrency)}) END)`;
}
