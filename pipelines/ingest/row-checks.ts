import { quoteIdentifier } from '../runner/project.ts';
import type { SourceColumn, SourceTable } from '../config/sources.ts';

/** A rule a raw value must pass, as SQL: `failsWhen` is true for a bad value, `reason` says why in words. */
interface ColumnRule {
  readonly column: string;
  readonly failsWhen: string;
  readonly reason: string;
}

export function sqlString(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}

const SQL_TYPE: Readonly<Record<SourceColumn['type'], string | null>> = {
  text: null,
  date: 'date',
  decimal: 'decimal(18, 2)',
  integer: 'bigint',
};

/** The value as it is stored once it passed its rules: typed columns cast, blanks as null, text as given. */
export function typedValue(column: SourceColumn): string {
  const col = quoteIdentifier(column.name);
  const type = SQL_TYPE[column.type];
  return type ? `try_cast(nullif(trim(${col}), '') as ${type}) as ${col}` : col;
}

function rulesFor(column: SourceColumn): ColumnRule[] {
  const col = quoteIdentifier(column.name);
  const rules: ColumnRule[] = [];
  if (column.required) rules.push({ column: column.name, failsWhen: `nullif(trim(${col}), '') is null`, reason: 'required value is missing' });
  const present = `nullif(trim(${col}), '') is not null`;
  if (column.type === 'date') rules.push({ column: column.name, failsWhen: `${present} and try_cast(trim(${col}) as date) is null`, reason: 'not a date (expected YYYY-MM-DD)' });
  if (column.type === 'decimal') rules.push({ column: column.name, failsWhen: `${present} and try_cast(trim(${col}) as decimal(18, 2)) is null`, reason: 'not a number' });
  if (column.type === 'integer') rules.push({ column: column.name, failsWhen: `${present} and try_cast(trim(${col}) as bigint) is null`, reason: 'not a whole number' });
  if (column.values) {
    rules.push({
      column: column.name,
      failsWhen: `${present} and trim(${col}) not in (${column.values.map(sqlString).join(', ')})`,
      reason: `unexpected value (allowed: ${column.values.join(', ')})`,
    });
  }
  return rules;
}

/**
 * A query over `relation` returning one row per record that breaks a column rule: `_record` (its record number),
 * `_column`, `_raw_value`, `_reason` — the first broken rule in column order, where a person reads first.
 */
export function ruleViolations(table: SourceTable, relation: string, record: string): string | null {
  const rules = table.columns.flatMap(rulesFor);
  if (rules.length === 0) return null;
  const pick = (value: (rule: ColumnRule) => string) => `case ${rules.map((rule) => `when ${rule.failsWhen} then ${value(rule)}`).join(' ')} end`;
  return `select ${record} as _record,
      ${pick((r) => sqlString(r.column))} as _column,
      ${pick((r) => `${quoteIdentifier(r.column)}::varchar`)} as _raw_value,
      ${pick((r) => sqlString(r.reason))} as _reason
    from ${relation}
    where ${rules.map((r) => `(${r.failsWhen})`).join(' or ')}`;
}
