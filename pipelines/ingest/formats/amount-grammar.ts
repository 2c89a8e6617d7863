/**
 * How an amount may be written, as regular expressions that TypeScript (detection) and DuckDB's RE2 (parsing)
 * both run, so a value detection counts as a number is one the SQL parses.
 *
 * A value is cleaned in two steps (currency and the spaces around it go; a sign or parenthesis stays), then must
 * be, in full: an optional sign and a number, or a number in parentheses (accounting negative). A number has
 * digits with at most one decimal separator, or groups of exactly three digits after the first one to three,
 * separated consistently by the thousands separator, a space or an apostrophe. Grouping is checked rather than
 * the separators simply dropped, so "1,5" under dot-decimal is rejected instead of read as 15.
 */
import { CURRENCY_PATTERN } from './currencies.ts';
import { compiled } from './regex.ts';
import { WHITESPACE_CLASS } from './text.ts';

export type DecimalSeparator = '.' | ',';

const S = WHITESPACE_CLASS;
const OPEN = '[(（]';
const CLOSE = '[)）]';
const SIGN = '[-−+]';
/** Spaces that separate thousands: plain, no-break, figure, thin, narrow no-break. */
const GROUP_SPACE = '[ \u00a0\u2007\u2009\u202f]';

/** Each step replaces its match with its first group; the currency token may be upper or lower case. */
export const CLEANING_STEPS: readonly string[] = [
  // leading: sign or '(' kept, then currency and spaces dropped: "-¥ 5", "$-5", "($1,234.00)", "- 5"
  `^(${SIGN}|${OPEN})?${S}*(?:${CURRENCY_PATTERN}${S}*)?`,
  // trailing: spaces and currency dropped, ')' kept: "1.234,50 €", "5元", "(1,234.00 USD)", "(5 )"
  `${S}*(?:${CURRENCY_PATTERN})?${S}*(${CLOSE})?$`,
];

function numberPattern(decimal: DecimalSeparator): string {
  const dec = decimal === '.' ? '\\.' : ',';
  const thousands = decimal === '.' ? [',', GROUP_SPACE, "'"] : ['\\.', GROUP_SPACE, "'"];
  const fraction = `(?:${dec}\\d+)?`;
  const grouped = thousands.map((sep) => `\\d{1,3}(?:${sep}\\d{3})+${fraction}`);
  return `(?:${[...grouped, `\\d+${fraction}`, `${dec}\\d+`].join('|')})`;
}

/** A cleaned value that is a number written with `decimal` as its decimal separator. */
export function validAmountPattern(decimal: DecimalSeparator): string {
  const number = numberPattern(decimal);
  return `^(?:${SIGN}?${number}|${OPEN}${number}${CLOSE})$`;
}

/** Parentheses around a cleaned value mean it is negative. */
export const ACCOUNTING_NEGATIVE = `^${OPEN}(.*)${CLOSE}$`;

/** TypeScript: a value after {@link CLEANING_STEPS}, as the SQL cleans it. */
export function cleanAmount(value: string): string {
  return CLEANING_STEPS.reduce((text, step) => text.replace(compiled(step, 'i'), '$1'), value);
}
