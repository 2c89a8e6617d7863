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
export const rowValueConverter: DuckDBValueConverter<RowValue> = (value, type, converter) => {
  if (value === null) return null;
  if (INTEGER_TYPES.has(type.typeId)) {
    const big = value as bigint;
    if (big > BigInt(Number.MAX_SAFE_INTEGER) || big < BigInt(Number.MIN_SAFE_INTEGER)) {
      throw new RangeError(`integer ${big} does not fit a JavaScript number; cast it to DOUBLE or VARCHAR in SQL`);
    }
    return Number(big);
  }
  if (type.typeId === DuckDBTypeId.DATE) return formatDate(value);
  return JSDuckDBValueConverter(value, type, converter as unknown as Parameters<typeof JSDuckDBValueConverter>[2]) as RowValue;
};

function formatDate(value: DuckDBValue): string {
  // DuckDBDateValue.toString() prints the ISO date (and 'infinity' for the special values)
  return (value as DuckDBDateValue).toString();
}

/** Reads a materialized result as row objects with {@link rowValueConverter}. */
export function toRows<T extends object = Row>(result: DuckDBResultReader): T[] {
  return result.convertRowObjects(rowValueConverter) as unknown as T[];
}
