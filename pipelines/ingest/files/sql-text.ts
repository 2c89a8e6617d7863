import { sqlString } from '../../db/sql-text.ts';

/** DuckDB named options (values already SQL literals) as `key = value, …`, later keys replacing earlier ones. */
export function optionList(...options: readonly (Readonly<Record<string, string>> | undefined)[]): string {
  const merged: Record<string, string> = {};
  for (const set of options) Object.assign(merged, set);
  return Object.entries(merged).map(([key, value]) => `${key} = ${value}`).join(', ');
}

/** A DuckDB struct literal naming every column as VARCHAR, the `columns` option of read_csv / read_json. */
export function varcharColumns(names: readonly string[]): string {
  return `{${names.map((name) => `${sqlString(name)}: 'VARCHAR'`).join(', ')}}`;
}
