import type { SourcesConfig, SourceTable } from '../config/sources.ts';
import { quoteIdentifier, sqlString } from '../db/sql-text.ts';
import { DUCKDB_TYPE } from './csv-scan.ts';

/** The source in models/sources.yml whose tables are the canonical schema every loader writes (raw_<table>). */
export const CANONICAL_SOURCE = 'raw';

/** The source system of files already in the canonical layout (the bundled sample's). */
export const CANONICAL_SYSTEM = 'canonical';

/**
 * Columns every raw table has besides its declared ones, in this order after them: where a row came from, its
 * id there, and the source's own deleted / merged flags (kept, never counted twice: staging leaves them out).
 * `source_id` is the table's key column under a name common to all tables; a virtual column, so ten million order
 * ids are not stored twice.
 */
export const RECORD_COLUMNS: readonly { readonly name: string; readonly type: string; readonly virtual?: true }[] = Object.freeze([
  { name: 'source_system', type: 'VARCHAR' },
  { name: 'source_id', type: 'VARCHAR', virtual: true },
  { name: 'is_deleted', type: 'BOOLEAN' },
  { name: 'merged_into_id', type: 'VARCHAR' },
  { name: '_source_file', type: 'VARCHAR' },
  { name: '_loaded_at', type: 'TIMESTAMP' },
  { name: '_row_number', type: 'BIGINT' },
]);

export function canonicalTables(sources: Readonly<SourcesConfig>): readonly SourceTable[] {
  return sources.sources.find((source) => source.name === CANONICAL_SOURCE)?.tables ?? [];
}

export function canonicalTable(sources: Readonly<SourcesConfig>, name: string): SourceTable {
  const table = canonicalTables(sources).find((t) => t.name === name);
  if (!table) throw new Error(`models/sources.yml has no canonical table ${name}`);
  return table;
}

/** Every column of a raw table, in order, with its DuckDB type. */
export function canonicalColumns(table: SourceTable): { name: string; type: string; virtual?: true }[] {
  return [...table.columns.map((c) => ({ name: c.name, type: DUCKDB_TYPE[c.type] })), ...RECORD_COLUMNS];
}

/**
 * A select list producing a raw table's stored columns, in order and typed, from SQL expressions by column
 * name; columns without one are NULL. Insert it `by name` into a table made by createCanonicalTableSql (with the same
 * `constants`, which it leaves out).
 */
export function canonicalSelectList(table: SourceTable, expressions: Readonly<Record<string, string>>,
  constants: Readonly<Record<string, string>> = {}): string {
  return canonicalColumns(table)
    .filter((c) => !c.virtual && !Object.hasOwn(constants, c.name))
    .map(({ name, type }) => `cast(${expressions[name] ?? 'null'} as ${type}) as ${quoteIdentifier(name)}`)
    .join(',\n      ');
}

/**
 * DDL of an empty raw table of this shape (source_id computed from the key column). `constants` (column → SQL
 * constant) are virtual columns: one file's rows share their file, system, load time and flags, so they are
 * computed on read instead of stored. A stored constant text column cost about 0.9 s per 10M rows to write (a
 * null one 0.3 s): the benchmark's 10.3M orders were written in 7.0 s with them stored, 3.8 s without.
 * A table assembled from several files (createCanonicalTableAsSql) stores them.
 */
export function createCanonicalTableSql(relation: string, table: SourceTable, constants: Readonly<Record<string, string>> = {}): string {
  const key = table.unique_key ?? '_row_number';
  const columns = canonicalColumns(table).map((c) => {
    if (c.virtual) return `${quoteIdentifier(c.name)} ${c.type} as (cast(${quoteIdentifier(key)} as varchar))`;
    const constant = constants[c.name];
    return constant === undefined ? `${quoteIdentifier(c.name)} ${c.type}` : `${quoteIdentifier(c.name)} ${c.type} as (cast(${constant} as ${c.type}))`;
  });
  return `create or replace table ${quoteIdentifier(relation)} (${columns.join(', ')})`;
}

/** SQL that creates `relation` as a raw table holding the rows of `select` (stored columns, by name). */
export function createCanonicalTableAsSql(relation: string, table: SourceTable, select: string): string {
  return `${createCanonicalTableSql(relation, table)};\ninsert into ${quoteIdentifier(relation)} by name ${select}`;
}

/** SQL constants for the record columns that are the same on every row read from `file` (all but the row number). */
// a type, not an interface: it passes as a Record<string, string> of constants
export type RecordConstants = Readonly<{
  source_system: string;
  is_deleted: string;
  merged_into_id: string;
  _source_file: string;
  _loaded_at: string;
}>;

export function recordConstants(file: string, loadedAt: string, system: string): RecordConstants {
  return {
    source_system: sqlString(system),
    is_deleted: 'false',
    merged_into_id: 'null',
    _source_file: sqlString(file),
    _loaded_at: `timestamp ${sqlString(loadedAt)}`,
  };
}
