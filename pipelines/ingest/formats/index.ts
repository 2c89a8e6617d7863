/** Detecting how a CRM export writes dates, amounts and missing values, and parsing them in DuckDB. */
export { NULL_TOKENS, isNullToken, nullIfTokenSql } from './nulls.ts';
export {
  AmbiguousDateFormatError,
  UnrecognisedDateFormatError,
  dateSql,
  describeDateFormat,
  detectDateFormat,
  timestampSql,
  type ColumnOrigin,
  type DateFormat,
  type DateOrder,
  type DateSeparator,
  type DetectDateOptions,
} from './dates.ts';
export { amountSql, describeAmountFormat, detectAmountFormat, type AmountFormat, type DecimalSeparator } from './amounts.ts';
export { CURRENCY_TOKENS, currencyOf, currencySql } from './currencies.ts';
