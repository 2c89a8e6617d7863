import { statSync } from 'node:fs';
import type { Warehouse } from '../../db/warehouse.ts';
import type { SourceColumn, SourceTable } from '../../config/sources.ts';
import type { CurrenciesConfig } from '../../config/currencies.ts';
import { quoteIdentifier, sqlString } from '../../db/sql-text.ts';
import type { PreparedFile } from '../files/index.ts';
import { amountSql, currencySql, dateSql, describeDateFormat, detectAmountFormat, detectDateFormat, nullIfTokenSql } from '../formats/index.ts';
import { collectRejectedLines, dropRejectTables } from '../rejects.ts';
import { dropRecordLines, recordLineSql } from '../line-map.ts';
import { canonicalSelectList, createCanonicalTableSql, recordConstants } from '../canonical.ts';
import { stagingName, type LoadedFileRecord } from '../commit-load.ts';
import { normaliseHeader, type ColumnSource, type ExportKind, type ValueMap } from './types.ts';

export interface ExportReadOptions {
  readonly currencies: Readonly<CurrenciesConfig>;
  /** Currency of amounts written without a symbol or code; default: the symbol most seen, else the base currency. */
  readonly currency?: string;
  readonly dateOrder?: 'DMY' | 'MDY';
  /** Headers mapped onto canonical columns of this table in models/sources.yml (header → column). */
  readonly columnMappings?: Readonly<Record<string, string>>;
}

export interface StagedExport {
  readonly fragment: string;
  readonly quarantine: string;
  readonly record: LoadedFileRecord;
}

/** How one canonical column is read from the file: its raw text, its parsed value, the header to blame. */
interface ColumnPlan {
  readonly column: SourceColumn;
  readonly header: string | null;
  /** The cell's text as the file has it (for quarantine), before null tokens such as N/A are read as empty. */
  readonly original: string;
  readonly raw: string;
  readonly value: string;
  /** True when the text is there but is not a valid value; the reason says why. */
  readonly invalid: string;
  readonly reason: string;
}

/**
 * Stages one CRM export: every row becomes a row of the canonical table (typed, with its source id and flags) or
 * a quarantine row naming the file, row, header, raw value and reason. One set-based SQL pass over the file.
 */
export async function stageExport(warehouse: Warehouse, file: PreparedFile, kind: ExportKind, table: SourceTable,
  options: ExportReadOptions, loadId: string, loadedAt: string): Promise<StagedExport> {
  const scan = file.csvOptions ? file.scan({ store_rejects: 'true', rejects_table: "'_ex_rejects'", rejects_scan: "'_ex_reject_scans'" }) : file.scanSql;
  await warehouse.exec(`create or replace temp table _ex_lines as select * from ${scan}`);
  try {
    const [first] = await warehouse.rows<{ rowid: string | null }>('select min(rowid)::varchar as rowid from _ex_lines');
    const record = `(_ex_lines.rowid - ${first?.rowid ?? '0'})`;
    const rejected = file.csvOptions ? await collectRejectedLines(warehouse, '_ex_rejects', file.firstDataRowNumber) : 0;
    const [parsed] = await warehouse.rows<{ n: number }>('select count(*) as n from _ex_lines');
    const lineOf = await recordLineSql(warehouse, file, parsed?.n ?? 0, rejected);

    const headerOf = headerResolver(file.headers);
    const value = (header: string): string => {
      const actual = headerOf(header);
      return actual === null ? 'cast(null as varchar)' : `trim(${nullIfTokenSql(quoteIdentifier(actual))})`;
    };
    const mapped = new Map(Object.entries(options.columnMappings ?? {}).flatMap(([header, column]) => {
      const actual = headerOf(header);
      return actual === null ? [] : [[column, actual] as const];
    }));
    const plans: ColumnPlan[] = [];
    for (const column of table.columns) {
      const mappedHeader = mapped.get(column.name);
      const source: ColumnSource | undefined = mappedHeader !== undefined ? { headers: [mappedHeader] } : kind.columns[column.name];
      plans.push(await planColumn(warehouse, column, source, { value, headerOf, kind, file, options }));
    }

    const footer = kind.footer ? `coalesce(regexp_matches(${rowText(file.headers)}, ${sqlString(kind.footer.pattern)}, 'i'), false)` : 'false';
    const sourceIdColumn = table.unique_key ?? table.columns[0]?.name ?? '';
    const deleted = firstPresent(kind.deletedHeaders, headerOf);
    const merged = firstPresent(kind.mergedIntoHeaders, headerOf);
    await warehouse.exec(`
      create or replace temp table _ex_parsed as
      select ${record} as _record,
        ${plans.map((p, i) => `${p.original} as "original_${i}", ${p.raw} as "raw_${i}", ${p.value} as "value_${i}"`).join(',\n        ')},
        ${footer} as _footer,
        ${deleted ? `coalesce(lower(${value(deleted)}) in ('true', '1', 'yes', '是'), false)` : 'false'} as _deleted,
        ${merged ? value(merged) : 'cast(null as varchar)'} as _merged_into,
      from _ex_lines`);

    // the first problem of each row, in column order: a footer line, a missing required value, a value that is not valid
    const checks = plans.map((p, i) => ({ plan: p, i })).flatMap(({ plan, i }) => {
      const raw = `"raw_${i}"`;
      const parsed = `"value_${i}"`;
      const header = sqlString(plan.header ?? plan.column.name);
      const original = `"original_${i}"`;
      const list: { when: string; column: string; raw: string; reason: string }[] = [];
      if (plan.column.required) list.push({ when: `${parsed} is null and ${raw} is null`, column: header, raw: original, reason: sqlString(`required value is missing (${plan.column.name})`) });
      list.push({ when: plan.invalid.replaceAll('{raw}', raw).replaceAll('{value}', parsed), column: header, raw: original, reason: plan.reason });
      return list;
    });
    const idIndex = plans.findIndex((p) => p.column.name === sourceIdColumn);
    const problemCase = (pick: (c: (typeof checks)[number]) => string) =>
      `case when _footer then ${pick({ when: '', column: 'null', raw: `${rowText(file.headers, '_ex_lines')}`, reason: sqlString(kind.footer?.reason ?? '') })} ${checks.map((c) => `when ${c.when} then ${pick(c)}`).join(' ')} end`;
    await warehouse.exec(`
      create or replace temp table _ex_checked as
      select _ex_parsed.*,
        ${problemCase((c) => c.column)} as _problem_column,
        ${problemCase((c) => `cast(${c.raw} as varchar)`)} as _problem_raw,
        ${problemCase((c) => c.reason)} as _problem_reason,
      from _ex_parsed join _ex_lines on ${record} = _ex_parsed._record;
      create or replace temp table _ex_checked as
      select *,
        -- a repeated id: the first good row stays, later ones are quarantined pointing at it
        case when _problem_reason is null then min(_record) filter (where _problem_reason is null) over (partition by "value_${idIndex}") end as _first_record,
      from _ex_checked`);

    const fragment = stagingName(`${kind.system}_${table.name}`);
    const quarantine = stagingName(`${kind.system}_${table.name}_quarantine`);
    const fileLiteral = sqlString(file.path);
    const duplicate = `(_problem_reason is null and _record <> _first_record)`;
    const expressions: Record<string, string> = Object.fromEntries(plans.map((p, i) => [p.column.name, `"value_${i}"`]));
    // the same on every row of the file, so virtual columns (the deleted and merged flags come from each row)
    const { source_system, _source_file, _loaded_at } = recordConstants(file.path, loadedAt, kind.system);
    const constants = { source_system, _source_file, _loaded_at };
    await warehouse.exec(`
      create or replace table ${quoteIdentifier(quarantine)} as
      select ${sqlString(loadId)} as load_id, ${sqlString(kind.system)} as source, ${sqlString(table.name)} as table_name, ${fileLiteral} as file,
        ${lineOf('_record')} as row_number,
        case when ${duplicate} then ${sqlString(plans[idIndex]?.header ?? sourceIdColumn)} else _problem_column end as column_name,
        case when ${duplicate} then "original_${idIndex}" else _problem_raw end as raw_value,
        case when ${duplicate} then 'duplicate ' || ${sqlString(plans[idIndex]?.header ?? sourceIdColumn)} || ' (first seen on row ' || ${lineOf('_first_record')} || ')'
             else _problem_reason end as reason,
        timestamp ${sqlString(loadedAt)} as loaded_at
      from _ex_checked
      where _problem_reason is not null or ${duplicate}
      ${rejected > 0 ? `union all
      select ${sqlString(loadId)}, ${sqlString(kind.system)}, ${sqlString(table.name)}, ${fileLiteral}, line, column_name, csv_line,
        case when ${kind.footer ? `regexp_matches(csv_line, ${sqlString(kind.footer.pattern)}, 'i')` : 'false'} then ${sqlString(kind.footer?.reason ?? '')}
             else error_type || ': ' || error_message end,
        timestamp ${sqlString(loadedAt)}
      from _rejected_lines` : ''}
      order by row_number;

      ${createCanonicalTableSql(fragment, table, constants)};
      insert into ${quoteIdentifier(fragment)} by name
      select ${canonicalSelectList(table, {
        ...expressions,
        _row_number: lineOf('_record'),
        is_deleted: '_deleted',
        merged_into_id: '_merged_into',
      }, constants)}
      from _ex_checked
      where _problem_reason is null and not ${duplicate}
      order by _record`);

    const [counts] = await warehouse.rows<{ read: number; loaded: number; quarantined: number }>(`
      select (select count(*) from _ex_lines) + ${rejected} as read,
        (select count(*) from ${quoteIdentifier(fragment)}) as loaded,
        (select count(*) from ${quoteIdentifier(quarantine)}) as quarantined`);
    const rows = { rows_read: counts?.read ?? 0, rows_loaded: counts?.loaded ?? 0, rows_quarantined: counts?.quarantined ?? 0 };
    if (rows.rows_read !== rows.rows_loaded + rows.rows_quarantined) {
      throw new Error(`row counts do not reconcile: ${rows.rows_read} read ≠ ${rows.rows_loaded} loaded + ${rows.rows_quarantined} quarantined`);
    }
    return { fragment, quarantine, record: { file: file.path, source: kind.system, table: table.name, fileBytes: statSync(file.path).size, ...rows } };
  } finally {
    await warehouse.exec('drop table if exists _ex_lines; drop table if exists _ex_parsed; drop table if exists _ex_checked');
    await dropRecordLines(warehouse);
    if (file.csvOptions) await dropRejectTables(warehouse, '_ex_rejects', '_ex_reject_scans');
  }
}

/** Finds a file's header by a name as adapters write it (case, spaces, `_`, `-`, `.` and a leading `*` ignored). */
function headerResolver(headers: readonly string[]): (name: string) => string | null {
  const byName = new Map<string, string>();
  for (const header of headers) if (!byName.has(normaliseHeader(header))) byName.set(normaliseHeader(header), header);
  return (name) => byName.get(normaliseHeader(name)) ?? null;
}

function firstPresent(headers: readonly string[] | undefined, headerOf: (name: string) => string | null): string | null {
  for (const header of headers ?? []) if (headerOf(header) !== null) return header;
  return null;
}

/** The whole row as text (for footer lines and quarantined rows without one bad column). */
function rowText(headers: readonly string[], relation?: string): string {
  const prefix = relation ? `${relation}.` : '';
  return headers.length === 0 ? "''" : `concat_ws(',', ${headers.map((h) => `${prefix}${quoteIdentifier(h)}`).join(', ')})`;
}

interface PlanContext {
  readonly value: (header: string) => string;
  readonly headerOf: (name: string) => string | null;
  readonly kind: ExportKind;
  readonly file: PreparedFile;
  readonly options: ExportReadOptions;
}

/** Decides how a canonical column is read: which header, how its text is normalised and parsed, what is invalid. */
async function planColumn(warehouse: Warehouse, column: SourceColumn, source: ColumnSource | undefined, context: PlanContext): Promise<ColumnPlan> {
  const none: ColumnPlan = { column, header: null, original: 'cast(null as varchar)', raw: 'cast(null as varchar)', value: 'null', invalid: 'false', reason: "''" };
  if (source === undefined) return none;
  if ('constant' in source) return { ...none, original: sqlString(source.constant), raw: sqlString(source.constant), value: sqlString(source.constant) };

  let header: string | null;
  let text: string;
  if ('sql' in source) {
    const has = (h: string) => context.headerOf(h) !== null;
    header = source.uses.find(has) ?? null;
    text = header === null ? 'cast(null as varchar)' : source.sql(context.value, has);
  } else {
    header = source.headers.map(context.headerOf).find((h) => h !== null) ?? null;
    if (header === null) return none;
    text = context.value(header);
  }
  const shown = header ?? column.name;
  const actual = 'sql' in source ? null : context.headerOf(header ?? '');
  const original = actual === null ? text : quoteIdentifier(actual);

  if (column.type === 'date') {
    const format = detectDateFormat(await sample(warehouse, text), {
      column: shown, file: context.file.path, ...(context.options.dateOrder ? { order: context.options.dateOrder } : {}) });
    return { column, header, original, raw: text, value: dateSql(text, format), invalid: '{raw} is not null and {value} is null',
      reason: sqlString(`not a date (expected ${describeDateFormat(format)})`) };
  }
  if (column.type === 'decimal') return planAmount(warehouse, column, header, original, text, context);
  if (column.type === 'integer') {
    const number = `try_cast(${amountSql(text, { decimalSeparator: '.', currencies: [] })} as double)`;
    return { column, header, original, raw: text, value: `case when ${number} = trunc(${number}) then cast(${number} as bigint) end`,
      invalid: '{raw} is not null and {value} is null', reason: sqlString('not a whole number') };
  }
  // text: normalised by the adapter's value map or pattern, checked against the canonical column's values
  let value = text;
  let invalid = 'false';
  let reason = "''";
  if ('map' in source && source.map) {
    value = mapValueSql(text, source.map);
    if (typeof source.map.otherwise !== 'string' && 'reject' in source.map.otherwise) {
      invalid = '{raw} is not null and {value} is null';
      reason = sqlString(`unexpected value (known: ${source.map.cases.map(([, v]) => v).filter((v, i, all) => all.indexOf(v) === i).join(', ')})`);
    }
  } else if ('extract' in source && source.extract) {
    value = `coalesce(nullif(regexp_extract(${text}, ${sqlString(source.extract)}, 1), ''), ${text})`;
  }
  if (column.values && invalid === 'false') {
    invalid = `{value} is not null and {value} not in (${column.values.map(sqlString).join(', ')})`;
    reason = sqlString(`unexpected value (allowed: ${column.values.join(', ')})`);
  }
  return { column, header, original, raw: text, value, invalid, reason };
}

/** Amounts: the decimal separator from the column's values, the currency per row, converted to the base currency. */
async function planAmount(warehouse: Warehouse, column: SourceColumn, header: string | null, original: string, text: string, context: PlanContext): Promise<ColumnPlan> {
  const { options } = context;
  const format = detectAmountFormat(await sample(warehouse, text));
  const fallback = options.currency ?? format.currencies[0] ?? options.currencies.base_currency;
  const codeHeader = firstPresent(context.kind.currencyHeaders, context.headerOf);
  const currency = codeHeader
    ? `coalesce(upper(${context.value(codeHeader)}), ${currencySql(text, fallback)})`
    : currencySql(text, fallback);
  const rates = Object.entries(options.currencies.rates_to_base).map(([code, rate]) => `${sqlString(code)}: ${rate}`).join(', ');
  const rate = `(MAP {${rates}}[${currency}])`;
  const value = `cast(round(${amountSql(text, format)} * ${rate}, 2) as decimal(18, 2))`;
  const known = Object.keys(options.currencies.rates_to_base).join(', ');
  return {
    column, header, original, raw: text, value,
    invalid: '{raw} is not null and {value} is null',
    reason: `case when ${amountSql(text, format)} is null then 'not a number' else 'no exchange rate for ' || coalesce(${currency}, '?') || ' in models/currencies.yml (known: ${known})' end`,
  };
}

function mapValueSql(text: string, map: ValueMap): string {
  const otherwise = typeof map.otherwise === 'string' ? sqlString(map.otherwise) : 'keep' in map.otherwise ? text : 'null';
  if (map.cases.length === 0) return otherwise;
  return `case when ${text} is null then null ${map.cases.map(([pattern, value]) => `when regexp_matches(${text}, ${sqlString(pattern)}, 'i') then ${sqlString(value)}`).join(' ')} else ${otherwise} end`;
}

async function sample(warehouse: Warehouse, expression: string): Promise<string[]> {
  const rows = await warehouse.rows<{ value: string }>(`select distinct ${expression} as value from _ex_lines where ${expression} is not null limit 200000`);
  return rows.map((r) => r.value);
}
