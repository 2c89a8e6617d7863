import {
  DuckDBDateValue,
  DuckDBTypeId,
  JSDuckDBValueConverter,
  type DuckDBValueConverter,
  type DuckDBResultReader,
  type DuckDBValue,
} from '@duckdb/node-api';

/** A value as our TypeScript code sees it: numbers for every numeric type, ISO strings for dates. */
export type RowValue = string | number | boolean | Date | null | RowValue[] | { [key: string]: RowValue };
export type Row = Record<string, RowValue>;

const INTEGER_TYPES = new Set<DuckDBTypeId>([
  DuckDBTypeId.BIGINT,
  DuckDBTypeId.UBIGINT,
  DuckDBTypeId.HUGEINT,
  DuckDBTypeId.UHUGEINT,
]);

/**
 * Wraps DuckDB's JS converter so that counts (BIGINT/HUGEINT) arrive as plain numbers and DATEs as
 * 'YYYY-MM-DD' strings: analysts compare them with literals, and a JS Date would shift with the time zone.
 * A count beyond 2^53 is an error rather than a silently rounded number.
 */
export const rowValueConverter: DuckDBValueConverter<RowValue> = makeConverter((big) => {
  throw new RangeError(`integer ${big} does not fit a JavaScript number; cast it to DOUBLE or VARCHAR in SQL`);
});

/**
 * The same, for rows shown to people (query output, offending rows of a data test): an integer too large for a
 * JavaScript number, such as a 64-bit hash key, is shown as its exact decimal text instead of failing.
 */
export const displayValueConverter: DuckDBValueConverter<RowValue> = makeConverter((big) => big.toString());

function makeConverter(unsafeInteger: (value: bigint) => RowValue): DuckDBValueConverter<RowValue> {
  const convert: DuckDBValueConverter<RowValue> = (value, type) => {
    if (value === null) return null;
    if (INTEGER_TYPES.has(type.typeId)) {
      const big = value as bigint;
      if (big > BigInt(Number.MAX_SAFE_INTEGER) || big < BigInt(Number.MIN_SAFE_INTEGER)) return unsafeInteger(big);
      return Number(big);
    }
    if (type.typeId === DuckDBTypeId.DATE) return formatDate(value);
    return JSDuckDBValueConverter(value, type, convert as unknown as Parameters<typeof JSDuckDBValueConverter>[2]) as RowValue;
  };
  return convert;
}

function formatDate(value: DuckDBValue): string {
  // DuckDBDateValue.toString() prints the ISO date (and 'infinity' for the special values)
  return (value as DuckDBDateValue).toString();
}

/** Reads a materialized result as row objects with {@link rowValueConverter} (or the display converter). */
export function toRows<T extends object = Row>(result: DuckDBResultReader, converter: DuckDBValueConverter<RowValue> = rowValueConverter): T[] {
  return result.convertRowObjects(converter) as unknown as T[];
}
