/**
 * Amount columns: detect the decimal separator (and the currencies written) from a column's values, then parse
 * the whole column in DuckDB as DECIMAL(18,2). A value that is not a number becomes NULL, never an error.
 */
import { isNullToken } from './nulls.ts';
import { sqlString, trimSql, trimValue } from './text.ts';
import { currencyOf } from './currencies.ts';
import { compiled } from './regex.ts';
import { ACCOUNTING_NEGATIVE, CLEANING_STEPS, cleanAmount, validAmountPattern, type DecimalSeparator } from './amount-grammar.ts';

export type { DecimalSeparator };

const DOT_DECIMAL = compiled(validAmountPattern('.'));
const COMMA_DECIMAL = compiled(validAmountPattern(','));

export interface AmountFormat {
  readonly decimalSeparator: DecimalSeparator;
  /** ISO codes of the currencies written in the values, most frequent first; empty when none is written. */
  readonly currencies: readonly string[];
}

/**
 * The decimal separator of a column, decided from all its values (SQL NULLs and null tokens skipped):
 * each value is tried as dot-decimal and as comma-decimal with the grammar the SQL uses. A value that is a number
 * only one way is evidence for it: "12,400.00", "1,234,567", "3.5" for '.'; "1.234,50", "1 234,50", "1,5",
 * "1.234.567" for ','. "1,234", "1.234" and "1 234" read both ways and are no evidence. The separator with more
 * evidence wins; a tie, including no evidence at all, means '.' (the convention of Chinese and English CRMs, so a
 * lone "1,234" is 1234). Values of the losing convention then become NULL and are quarantined, never misread.
 */
export function detectAmountFormat(values: readonly (string | null)[]): AmountFormat {
  const present = values.filter((value): value is string => value !== null && !isNullToken(value)).map(trimValue);
  let dotOnly = 0;
  let commaOnly = 0;
  for (const value of present) {
    const cleaned = cleanAmount(value);
    const dot = DOT_DECIMAL.test(cleaned);
    const comma = COMMA_DECIMAL.test(cleaned);
    if (dot && !comma) dotOnly++;
    if (comma && !dot) commaOnly++;
  }
  return { decimalSeparator: commaOnly > dotOnly ? ',' : '.', currencies: currenciesByFrequency(present) };
}

function currenciesByFrequency(values: readonly string[]): string[] {
  const counts = new Map<string, number>();
  for (const value of values) {
    const code = currencyOf(value);
    if (code) counts.set(code, (counts.get(code) ?? 0) + 1);
  }
  return [...counts].sort((a, b) => b[1] - a[1]).map(([code]) => code);
}

/**
 * SQL: `expr` as DECIMAL(18,2): currency symbols, codes and names, spaces and thousands separators removed,
 * a leading minus or enclosing parentheses read as negative; more than two decimals are rounded (half away from
 * zero). NULL when the value is not a number in `format`, or does not fit DECIMAL(18,2).
 */
export function amountSql(expr: string, format: AmountFormat): string {
  const cleaned = CLEANING_STEPS.reduce((text, step) => `regexp_replace(${text}, ${sqlString(step)}, '\\1', 'i')`, trimSql(expr));
  const signed = `replace(regexp_replace(${cleaned}, ${sqlString(ACCOUNTING_NEGATIVE)}, '-\\1'), '−', '-')`;
  let digits = `regexp_replace(${signed}, ${sqlString(`[^-0-9${format.decimalSeparator}]`)}, '', 'g')`;
  if (format.decimalSeparator === ',') digits = `replace(${digits}, ',', '.')`;
  return `(CASE WHEN regexp_full_match(${cleaned}, ${sqlString(validAmountPattern(format.decimalSeparator))})
    THEN try_cast(${digits} AS DECIMAL(18,2)) END)`;
}

/** How a format writes one thousand two hundred thirty-four and a half, for messages. */
export function describeAmountFormat(format: AmountFormat): string {
  return format.decimalSeparator === '.' ? '1,234.50' : '1.234,50';
}
