import { quoteIdentifier } from '../runner/project.ts';
import type { SourceColumn, SourceTable } from '../config/sources.ts';

/** A rule a raw value must pass, as SQL: `failsWhen` is true for a bad value, `reason` says why in words. */
interface ColumnRule {
  readonly column: string;
  readonly failsWhen: string;
  readonly reason: string;
}

function sqlString(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
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
 * SQL select-list items that name the first broken rule of a row: `_bad_column`, `_raw_value`, `_reason`
 * (all null for a good row). First in column order, so the message points where a person reads first.
 */
export function firstProblemColumns(table: SourceTable): string {
  const rules = table.columns.flatMap(rulesFor);
  if (rules.length === 0) return `null::varchar as _bad_column, null::varchar as _raw_value, null::varchar as _reason`;
  const pick = (value: (rule: ColumnRule) => string) =>
    `case ${rules.map((rule) => `when ${rule.failsWhen} then ${value(rule)}`).join(' ')} end`;
  return [
    `${pick((r) => sqlString(r.column))} as _bad_column`,
    `${pick((r) => `${quoteIdentifier(r.column)}::varchar`)} as _raw_value`,
    `${pick((r) => sqlString(r.reason))} as _reason`,
  ].join(',\n    ');
}
