import { quoteIdentifier } from '../runner/project.ts';
import type { SourceColumn, SourceTable } from '../config/sources.ts';
import { sqlString } from '../db/sql-text.ts';

/** A rule a parsed value must pass, as SQL: `failsWhen` is true for a bad value, `reason` says why in words. */
interface ColumnRule {
  readonly column: string;
  readonly failsWhen: string;
  readonly reason: string;
}

function rulesFor(column: SourceColumn): ColumnRule[] {
  const col = quoteIdentifier(column.name);
  const rules: ColumnRule[] = [];
  // written so most values are decided without trim(): these run on every row of every file. Only a value that
  // starts with a space (or a lower control byte) or a non-ASCII character can trim to '', since trim() removes
  // spaces and Unicode white space only; comparing the first bytes is a fraction of trim()'s cost
  const missing = column.type === 'text'
    ? `${col} is null or ((${col} < '!' or ${col} >= chr(128)) and trim(${col}) = '')`
    : `${col} is null`;
  if (column.required) rules.push({ column: column.name, failsWhen: missing, reason: 'required value is missing' });
  if (column.type === 'integer') rules.push({ column: column.name, failsWhen: `${col} <> trunc(${col})`, reason: 'not a whole number' });
  if (column.values) {
    rules.push({
      column: column.name,
      failsWhen: `${col} is not null and ${col} not in (${column.values.map(sqlString).join(', ')}) and trim(${col}) not in (${[...column.values, ''].map(sqlString).join(', ')})`,
      reason: `unexpected value (allowed: ${column.values.join(', ')})`,
    });
  }
  return rules;
}

export const NO_PROBLEMS = 'select null::bigint as _record, null::varchar as _column, null::varchar as _raw_value, null::varchar as _reason, null::bigint as _first_record where false';

/**
 * Every parsed record of `relation` (identified by the `record` expression) that must not be loaded, once,
 * with the first reason that applies: a broken column rule (first in column order), then a repeated unique key
 * (the first good occurrence stays; `_first_record` points at it), then a reference to a row the parent
 * relation does not have.
 * Each check is one set-based pass; most files have no problems at all.
 */
export function problemQuery(table: SourceTable, relation: string, record: string, parentRelation: (table: string) => string): string {
  const checks: string[] = [];
  const rules = table.columns.flatMap(rulesFor);
  if (rules.length > 0) {
    const pick = (value: (rule: ColumnRule) => string) => `case ${rules.map((rule) => `when ${rule.failsWhen} then ${value(rule)}`).join(' ')} end`;
    checks.push(`select 1 as _priority, ${record} as _record,
        ${pick((r) => sqlString(r.column))} as _column,
        ${pick((r) => `${quoteIdentifier(r.column)}::varchar`)} as _raw_value,
        ${pick((r) => sqlString(r.reason))} as _reason,
        null::bigint as _first_record
      from ${relation}
      where ${rules.map((r) => `(${r.failsWhen})`).join(' or ')}`);
  }
  const ruleBroken = rules.length > 0 ? rules.map((r) => `(${r.failsWhen})`).join(' or ') : 'false';
  if (table.unique_key) {
    const key = quoteIdentifier(table.unique_key);
    checks.push(`select 2 as _priority, _record, ${sqlString(table.unique_key)} as _column, _key as _raw_value,
        'duplicate ${table.unique_key}' as _reason, _first as _first_record
      from (
        select ${record} as _record, ${key} as _key, min(${record}) over (partition by ${key}) as _first
        from ${relation}
        where ${key} in (select ${key} from ${relation} where ${key} is not null group by ${key} having count(*) > 1)
          and not (${ruleBroken})
      )
      where _record <> _first`);
  }
  for (const ref of table.references) {
    const column = quoteIdentifier(ref.column);
    const parent = parentRelation(ref.table);
    checks.push(`select 3 as _priority, ${record} as _record, ${sqlString(ref.column)} as _column, ${column} as _raw_value,
        '${ref.column} ' || ${column} || ' not found in ${ref.table}' as _reason, null::bigint as _first_record
      from ${relation}
      where ${column} is not null
        and not exists (select 1 from ${parent} where ${parent}.${quoteIdentifier(ref.field)} = ${relation}.${column})`);
  }
  if (checks.length === 0) return NO_PROBLEMS;
  return `select _record, arg_min(_column, _priority) as _column, arg_min(_raw_value, _priority) as _raw_value,
      arg_min(_reason, _priority) as _reason, arg_min(_first_record, _priority) as _first_record
    from (${checks.join('\n      union all\n      ')})
    group by _record`;
}
